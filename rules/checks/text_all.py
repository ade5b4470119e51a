"""``text_all``: the target's text contains every listed word/pattern; a miss names
what is missing.

    - text_all: [ผลการดำเนินงาน, ปัญหาอุปสรรค, ข้อเสนอแนะ]
"""

from __future__ import annotations

from .._result import Reason
from .._site import Candidate
from ._base import Outcome, register
from ._common import TextCheck


@register
class TextAll(TextCheck):
    name = "text_all"
    default_reason = Reason(th="เนื้อหายังไม่ครบตามที่กำหนด", en="the content lacks required elements")

    def run(self, cand: Candidate) -> Outcome:
        text = cand.content()
        if text is None:
            return Outcome(None)
        found, missing = self.matcher.found(text)
        if not missing:
            return Outcome(True, found="text: " + ", ".join(found[:5]))
        return Outcome(
            False,
            Reason(th="ไม่พบ: " + ", ".join(missing), en="missing: " + ", ".join(missing)),
        )
