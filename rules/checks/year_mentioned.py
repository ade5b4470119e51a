"""``year_mentioned``: the target's text mentions a year relative to the catalog's
fiscal year: ``current`` (the fiscal year, e.g. 2566), ``previous`` (2565),
``next``, or a number. Thai and Arabic digits, and 2-digit years after a month or
"ปีงบ" ("15 มี.ค. 66", "ปีงบ 66"), all count.

    - year_mentioned: current
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, field_validator

from .._result import Reason
from .._site import Candidate
from .._thaidate import year_pattern
from ._base import Check, CheckContext, Outcome, register

_OFFSETS = {"current": 0, "previous": -1, "next": 1}


class YearParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # current / previous / next (relative to the catalog's fiscal year) or a B.E. year
    year: Annotated[str, BeforeValidator(lambda v: str(v) if isinstance(v, int) else v)]

    @field_validator("year")
    @classmethod
    def _known(cls, v: str) -> str:
        if v in _OFFSETS or (v.isdigit() and 2400 < int(v) < 2800):
            return v
        raise ValueError("should be current, previous, next or a Buddhist-Era year such as 2566")


@register
class YearMentioned(Check):
    name = "year_mentioned"
    Params = YearParams
    judges = frozenset({"page", "document"})
    default_reason = Reason(
        th="ไม่พบข้อมูลของปีที่กำหนด", en="nothing dated in the required year was found"
    )

    def __init__(self, params: YearParams, ctx: CheckContext) -> None:
        super().__init__(params, ctx)
        y = params.year
        self.year = ctx.fiscal_year + _OFFSETS[y] if y in _OFFSETS else int(y)
        self.pattern = year_pattern(self.year)
        self.default_reason = Reason(  # type: ignore[misc]
            th=f"ไม่พบการระบุปี พ.ศ. {self.year}", en=f"no mention of the year {self.year} (B.E.)"
        )

    @classmethod
    def shorthand(cls, raw: Any) -> Any:
        return {"year": raw} if isinstance(raw, str | int) and not isinstance(raw, bool) else raw

    def run(self, cand: Candidate) -> Outcome:
        text = cand.content()
        if text is None:
            return Outcome(None)
        m = self.pattern.search(text)
        if m:
            return Outcome(True, found=f"year {self.year} ('{m.group(0)}')")
        return Outcome(False)
