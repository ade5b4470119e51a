"""``not_whole_law``: the target states the agency's duties instead of pasting a whole
law (seed 001: "ไม่ใช่การยกกฎหมายมาทั้งฉบับ"). A text with more than ``max_sections``
different sections (มาตรา), or with the signature block of an Act
("ผู้รับสนองพระราชโองการ"), is a whole law.

    - not_whole_law: true
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from .._result import Reason
from .._site import Candidate
from .._thaidate import th_digits
from ._base import Check, CheckContext, Outcome, register

_SECTION = re.compile(r"มาตรา(\d{1,3})(?:/\d+)?(?!\d)")
_ACT_MARKERS = ("ผู้รับสนองพระราชโองการ", "ให้ไว้ณวันที่")


class WholeLawParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    max_sections: int = Field(default=30, ge=1)


@register
class NotWholeLaw(Check):
    name = "not_whole_law"
    Params = WholeLawParams
    judges = frozenset({"page", "document"})
    default_reason = Reason(
        th="เป็นการยกกฎหมายมาทั้งฉบับ ไม่ใช่การแสดงหน้าที่และอำนาจของหน่วยงาน",
        en="a whole law is pasted instead of stating the agency's duties and powers",
    )

    @classmethod
    def shorthand(cls, raw: Any) -> Any:
        if raw is True or raw is None:
            return {}
        if raw is False:
            raise ValueError("'not_whole_law: false' checks nothing: remove the entry")
        return raw

    def __init__(self, params: WholeLawParams, ctx: CheckContext) -> None:
        super().__init__(params, ctx)

    def run(self, cand: Candidate) -> Outcome:
        text = cand.content()
        if text is None:
            return Outcome(None)
        sections = {m.group(1) for m in _SECTION.finditer(text)}
        if len(sections) > self.params.max_sections:
            n = len(sections)
            return Outcome(
                False,
                Reason(
                    th=f"พบบทบัญญัติกฎหมาย {th_digits(n)} มาตรา",
                    en=f"{n} sections of a law are reproduced",
                ),
            )
        if any(m in text for m in _ACT_MARKERS) and len(sections) > 5:
            return Outcome(
                False,
                Reason(th="พบตัวบทพระราชบัญญัติทั้งฉบับ", en="the full text of an Act is reproduced"),
            )
        return Outcome(True)
