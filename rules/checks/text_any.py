"""``text_any``: the target's text contains at least N of the listed words/patterns.

- text_any: [นายก, ปลัด, ผู้อำนวยการ]             # short form: any one word
- text_any: {words: [หมู่ที่, ตำบล, อำเภอ], patterns: ['(?<!\\d)\\d{5}(?!\\d)'], at_least: 2}
"""

from __future__ import annotations

from .._result import Reason
from .._site import Candidate
from ._base import Outcome, register
from ._common import TextCheck


@register
class TextAny(TextCheck):
    name = "text_any"
    default_reason = Reason(
        th="ไม่พบข้อความที่กำหนดในหน้านี้", en="the page does not contain the expected text"
    )

    def run(self, cand: Candidate) -> Outcome:
        text = cand.content()
        if text is None:
            return Outcome(None)
        found, _ = self.matcher.found(text)
        need = self.params.at_least
        if len(found) >= need:
            return Outcome(True, found="text: " + ", ".join(found[:5]))
        if need > 1 and found:
            return Outcome(
                False,
                Reason(
                    th=f"พบเพียง {len(found)} จาก {need} รายการที่ต้องมี ({', '.join(found)})",
                    en=f"found only {len(found)} of the {need} needed ({', '.join(found)})",
                ),
            )
        return Outcome(False)
