"""``text_all``: the target's text contains every listed word/pattern; a miss names
what is missing.

    - text_all: [ผลการดำเนินงาน, ปัญหาอุปสรรค, ข้อเสนอแนะ]
"""

from __future__ import annotations

from typing import Any

from .._result import Reason
from .._site import Candidate
from ._base import Check, CheckContext, Outcome, register
from ._common import TextMatcher, TextParams, text_shorthand


@register
class TextAll(Check):
    name = "text_all"
    Params = TextParams
    judges = frozenset({"page", "document"})
    default_reason = Reason(th="เนื้อหายังไม่ครบตามที่กำหนด", en="the content lacks required elements")

    reads_words = True

    def __init__(self, params: TextParams, ctx: CheckContext) -> None:
        super().__init__(params, ctx)
        self.matcher = TextMatcher(params)

    def matches_text(self, text: str) -> bool:
        return self.matcher.any_in(text)

    @classmethod
    def shorthand(cls, raw: Any) -> Any:
        return text_shorthand(raw)

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
