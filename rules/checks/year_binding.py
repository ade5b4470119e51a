"""Year binding: the evidence must be of the right year for the catalog's fiscal year Y.

    - year_mentioned: current        # Y (or "previous", "next", a B.E. year) is mentioned
    - year_in_force: current         # a plan in force in Y: "2566", "2566-2570", "ปีงบประมาณ 66"
    - year_report: previous          # a report of Y−1
    - year_first_half: current       # data covering 1 Oct (Y−1) – 31 Mar Y
    - year_done: current             # an activity done in fiscal year Y (a date in it, or Y)
    - year_done: {year: current, signed_before: true}   # or signed Jul–Sep (Y−1) for Y
    - monthly_reports: current       # one summary per month, Oct (Y−1) … Mar Y (O21)

Where the years are read, in order:

1. the target's text (title, headings, body; menus and footers left out), once it can
   be read — pages always, documents once their text is extracted;
2. the labels of the links that led to it ("รายงานผลการดำเนินงานประจำปี 2565");
3. the ITA hub page that lists it: a hub titled "ITA 2566" is the agency's submission
   for assessment 2566, so its documents count for catalog 2566, and a hub of another
   year ("ITA 2565") does not — an O-number on a hub never decides the item, its year does.

When none of these gives a year: a readable page is unmet ("no year is stated"), a
document whose text is not extracted is not judged (the report says so).

Within one text, **dates win over years**. A menu, a page heading or a link label says
what the content claims to be ("สถิติการให้บริการ ปีงบประมาณ 2566"); the dates in it
("ต.ค. 64 … มี.ค. 65") say what it is. So where the content is dated:

- year_done needs a date in fiscal year Y; dates that are all of other fiscal years
  are unmet even under a heading "ปีงบประมาณ Y" ("Dec 2564" is fiscal year 2565),
  except, with ``signed_before: true``, a text naming year Y signed in the quarter
  before it (a declaration "for Y" is prepared ahead);
- year_first_half / monthly_reports are unmet when the dates name another period
  (two months or more, or a span) and none falls in Oct (Y−1) – Mar Y; a date after
  the half-year inside fiscal year Y (when a report was signed) is neither for nor
  against, and one stray date (a letter cited) does not overturn the stated year;
- year_report is unmet when the dates name a period and all are before year Y
  (a report of Y is dated in Y, or after it when it was published).

Dates of the right period next to others (a report of 2566 that compares with 2565)
still pass. Content without dates is judged by its years as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, field_validator

from .._result import Reason
from .._site import Candidate
from .._thaidate import (
    MonthMention,
    YearFacts,
    month_index,
    month_label,
    read_years,
    th_digits,
    year_pattern,
)
from ._base import KINDS, Check, CheckContext, Outcome, register

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


class DoneParams(YearParams):
    # a text *for* the year (a declaration) may be signed in the quarter before it starts
    signed_before: bool = False


@dataclass(slots=True)
class _Source:
    facts: YearFacts
    where: str  # "content" | "label" | "hub"
    hub_years: frozenset[int] = frozenset()


def _years_th(years: list[int]) -> str:
    return ", ".join(th_digits(y) for y in years)


def _years_en(years: list[int]) -> str:
    return ", ".join(str(y) for y in years)


def _span(months: list[MonthMention]) -> tuple[str, str]:
    """From the earliest to the latest date: ("ต.ค. ๖๔ – มี.ค. ๖๕", "Oct 2564 – Mar 2565")."""
    lo = min(months, key=lambda m: m.index)
    hi = max(months, key=lambda m: m.index)
    if lo.index == hi.index:
        return month_label(lo.month, lo.year), month_label(lo.month, lo.year, False)
    return (
        f"{month_label(lo.month, lo.year)} – {month_label(hi.month, hi.year)}",
        f"{month_label(lo.month, lo.year, False)} – {month_label(hi.month, hi.year, False)}",
    )


def _fiscal_years(months: list[MonthMention]) -> list[int]:
    return sorted({m.fiscal_year for m in months})


def _fiscal_year_th(y: int) -> str:
    return f"๑ ต.ค. {th_digits(str(y - 1)[-2:])} – ๓๐ ก.ย. {th_digits(str(y)[-2:])}"


def _names_a_period(months: list[MonthMention], facts: YearFacts) -> bool:
    """Whether these dates say which period a text is about: two different months, or
    one end of a span ("ก.ค. 65 – ธ.ค. 65" seen from fiscal year 2565). One date alone
    may be a letter the text cites."""
    idx = {m.index for m in months}
    return len(idx) >= 2 or any(p.start.index in idx or p.end.index in idx for p in facts.periods)


class YearCheck(Check):
    """Base of the year checks: finds the years (content → labels → hub) and lets the
    subclass decide with :meth:`judge`."""

    Params = YearParams
    judges = KINDS
    label_note: ClassVar[tuple[str, str]] = (" (ตามชื่อลิงก์)", " (by the link label)")

    def __init__(self, params: YearParams, ctx: CheckContext) -> None:
        super().__init__(params, ctx)
        y = params.year
        self.year = ctx.fiscal_year + _OFFSETS[y] if y in _OFFSETS else int(y)
        self.fiscal_year = ctx.fiscal_year

    @classmethod
    def shorthand(cls, raw: Any) -> Any:
        return {"year": raw} if isinstance(raw, str | int) and not isinstance(raw, bool) else raw

    # -- where the years come from --

    def _sources(self, cand: Candidate) -> tuple[_Source | None, bool]:
        """(the first source with any year, whether the content itself was readable)."""
        ref = self.fiscal_year
        text = cand.main_text()
        readable = text is not None
        if text:
            facts = read_years(text, ref)
            if not facts.empty:
                return _Source(facts, "content"), readable
        label = cand.label_text()
        if label:
            facts = read_years(label, ref)
            if not facts.empty:
                return _Source(facts, "label"), readable
        hubs = cand.hub_years()
        if hubs:
            return _Source(read_years("", ref), "hub", frozenset(hubs)), readable
        return None, readable

    def run(self, cand: Candidate) -> Outcome:
        src, readable = self._sources(cand)
        if src is None:
            if readable:
                return Outcome(
                    False,
                    Reason(
                        th=f"ไม่ระบุปี พ.ศ. ของข้อมูล (ต้องเป็นปี {th_digits(self.year)})",
                        en=f"no year is stated (it must be of {self.year})",
                    ),
                )
            return Outcome(None)
        if src.where == "hub":
            return self._by_hub(src.hub_years)
        met, detail, found = self.judge(src.facts, cand)
        if met:
            note = " (link label)" if src.where == "label" else ""
            return Outcome(True, found=found + note)
        if detail is not None and src.where == "label":
            detail = Reason(th=detail.th + self.label_note[0], en=detail.en + self.label_note[1])
        return Outcome(False, detail)

    def _by_hub(self, hub_years: frozenset[int]) -> Outcome:
        if self.fiscal_year in hub_years:
            return Outcome(True, found=f"listed on the ITA {self.fiscal_year} page")
        years = sorted(hub_years, reverse=True)
        return Outcome(
            False,
            Reason(
                th=f"พบในหน้ารวมข้อมูล ITA ปี {_years_th(years)} ซึ่งเป็นข้อมูลของการประเมินปีอื่น "
                f"ต้องเป็นของการประเมินปี {th_digits(self.fiscal_year)}",
                en=f"listed on the ITA {_years_en(years)} page, which belongs to another "
                f"assessment year; it must be for {self.fiscal_year}",
            ),
        )

    # -- the decision, per check type --

    def judge(self, facts: YearFacts, cand: Candidate) -> tuple[bool, Reason | None, str]:
        raise NotImplementedError  # pragma: no cover

    def wrong_year(self, facts: YearFacts, cand: Candidate, want: int) -> Reason:
        years = facts.main_years(near=want) or facts.main_years()
        what_th = "เอกสาร" if cand.kind == "document" else "ข้อมูล"
        if not years:
            return Reason(
                th=f"ไม่ระบุปี พ.ศ. ของ{what_th} (ต้องเป็นปี {th_digits(want)})",
                en=f"no year is stated (it must be of {want})",
            )
        return Reason(
            th=f"พบ{what_th} แต่เป็นปี {_years_th(years)} ต้องเป็นปี {th_digits(want)}",
            en=f"found, but it is of {_years_en(years)}; it must be of {want}",
        )

    def dated_elsewhere(
        self, months: list[MonthMention], cand: Candidate, want: int, need: tuple[str, str]
    ) -> Reason:
        """The content's dates are of another fiscal year: say which period was found."""
        what_th = "เอกสาร" if cand.kind == "document" else "ข้อมูล"
        span_th, span_en = _span(months)
        fys = _fiscal_years(months)
        return Reason(
            th=f"พบ{what_th}ลงวันที่ {span_th} (ปีงบประมาณ {_years_th(fys)}) "
            f"ต้องเป็นปี {th_digits(want)}: {need[0]}",
            en=f"found, but it is dated {span_en} (fiscal year {_years_en(fys)}); "
            f"it must be of {want}: {need[1]}",
        )


@register
class YearMentioned(YearCheck):
    name = "year_mentioned"
    default_reason = Reason(
        th="ไม่พบข้อมูลของปีที่กำหนด", en="nothing dated in the required year was found"
    )

    def judge(self, facts: YearFacts, cand: Candidate) -> tuple[bool, Reason | None, str]:
        if self.year in facts.years or self.year in facts.fiscal_years:
            return True, None, f"year {self.year}"
        text = cand.main_text() or cand.label_text()
        if text and year_pattern(self.year).search(text):
            return True, None, f"year {self.year}"
        return False, self.wrong_year(facts, cand, self.year), ""


@register
class YearInForce(YearCheck):
    name = "year_in_force"
    default_reason = Reason(
        th="ไม่พบแผนที่มีระยะเวลาบังคับใช้ครอบคลุมปีที่กำหนด",
        en="no plan in force in the required year",
    )

    def judge(self, facts: YearFacts, cand: Candidate) -> tuple[bool, Reason | None, str]:
        y = self.year
        for a, b in facts.ranges:
            if a <= y <= b:
                return True, None, f"in force {a}-{b}"
        if y in facts.years or y in facts.fiscal_years:
            return True, None, f"year {y}"
        if facts.ranges:
            spans = list(dict.fromkeys(f"{a}–{b}" for a, b in facts.ranges))[:3]
            return (
                False,
                Reason(
                    th=f"พบแผน พ.ศ. {th_digits(', '.join(spans))} ซึ่งไม่ครอบคลุมปี {th_digits(y)}",
                    en=f"found a plan for {', '.join(spans)}, which does not cover {y}",
                ),
                "",
            )
        return False, self.wrong_year(facts, cand, y), ""


@register
class YearReport(YearCheck):
    name = "year_report"
    default_reason = Reason(th="ไม่พบรายงานผลของปีที่กำหนด", en="no report of the required year")

    def judge(self, facts: YearFacts, cand: Candidate) -> tuple[bool, Reason | None, str]:
        y = self.year
        dated = facts.months
        if dated and max(m.fiscal_year for m in dated) < y and _names_a_period(dated, facts):
            # every date is before year y: an older report, whatever its heading says
            need = (
                f"รายงานของปี {th_digits(y)} (ลงวันที่ในปีนั้นหรือหลังจากนั้น)",
                f"a report of {y} (dated in that year or after it)",
            )
            return False, self.dated_elsewhere(dated, cand, y, need), ""
        if y in facts.years or y in facts.fiscal_years or any(a <= y <= b for a, b in facts.ranges):
            return True, None, f"report of {y}"
        return False, self.wrong_year(facts, cand, y), ""


_FIRST_HALF_EARLY = {10, 11, 12}
_FIRST_HALF_LATE = {1, 2, 3}


def _first_half_th(y: int) -> str:
    return f"๑ ต.ค. {th_digits(str(y - 1)[-2:])} – ๓๑ มี.ค. {th_digits(str(y)[-2:])}"


def _first_half(y: int) -> tuple[int, int]:
    """Month indexes of October (y−1) and March y."""
    return month_index(y - 1, 10), month_index(y, 3)


def _first_half_need(y: int) -> tuple[str, str]:
    return (
        f"ข้อมูล ๖ เดือนแรกของปีงบประมาณ ({_first_half_th(y)})",
        f"data of the first six months of the fiscal year (1 Oct {y - 1} – 31 Mar {y})",
    )


def _other_period(facts: YearFacts, y: int) -> list[MonthMention]:
    """The dates, when they place the content in another period than the first half of
    fiscal year y: none falls in Oct (y−1) – Mar y, and those outside fiscal year y
    name a period. [] when the dates do not contradict (or there are none)."""
    if facts.dated_between(*_first_half(y)):
        return []
    outside = [m for m in facts.months if m.fiscal_year != y]
    return outside if outside and _names_a_period(outside, facts) else []


@register
class YearFirstHalf(YearCheck):
    name = "year_first_half"
    default_reason = Reason(
        th="ไม่พบข้อมูลที่ครอบคลุม ๖ เดือนแรกของปีงบประมาณ",
        en="no data covering the first six months of the fiscal year",
    )

    def judge(self, facts: YearFacts, cand: Candidate) -> tuple[bool, Reason | None, str]:
        y = self.year
        other = _other_period(facts, y)
        if other:
            return False, self.dated_elsewhere(other, cand, y, _first_half_need(y)), ""
        months = facts.fiscal_months(y) | facts.dated_between(*_first_half(y))
        if months & _FIRST_HALF_EARLY and months & _FIRST_HALF_LATE:
            return True, None, f"covers Oct {y - 1} – Mar {y}"
        if facts.six_months and facts.mentions_fiscal_year(y):
            return True, None, f"six-month data of {y}"
        if facts.mentions_fiscal_year(y):
            seen = sorted(months, key=lambda m: (m < 10, m))
            got_th = ", ".join(month_label(m, y - 1 if m >= 10 else y) for m in seen)
            got_en = ", ".join(month_label(m, y - 1 if m >= 10 else y, False) for m in seen)
            return (
                False,
                Reason(
                    th=f"พบข้อมูลปี {th_digits(y)} แต่ไม่ครอบคลุม ๖ เดือนแรก ({_first_half_th(y)})"
                    + (f": พบเพียง {got_th}" if got_th else ""),
                    en=f"found data of {y}, but it does not cover the first six months "
                    f"(1 Oct {y - 1} – 31 Mar {y})" + (f": only {got_en}" if got_en else ""),
                ),
                "",
            )
        return False, self.wrong_year(facts, cand, y), ""


@register
class YearDone(YearCheck):
    name = "year_done"
    Params = DoneParams
    default_reason = Reason(
        th="ไม่พบการดำเนินการในปีงบประมาณที่กำหนด", en="nothing done in the required fiscal year"
    )

    def judge(self, facts: YearFacts, cand: Candidate) -> tuple[bool, Reason | None, str]:
        y = self.year
        dated = facts.months
        if facts.dated_between(month_index(y - 1, 10), month_index(y, 9)):
            return True, None, f"dated in fiscal year {y}"
        if dated and self.params.signed_before and self._ahead_of_the_year(facts, y):
            return True, None, f"for fiscal year {y}, signed just before it"
        if dated:
            # dated, but never in fiscal year y: the dates win over "ปีงบประมาณ y" in a title
            need = (
                f"ดำเนินการในปีงบประมาณ {th_digits(y)} ({_fiscal_year_th(y)})",
                f"done in fiscal year {y} (1 Oct {y - 1} – 30 Sep {y})",
            )
            return False, self.dated_elsewhere(dated, cand, y, need), ""
        if facts.mentions_fiscal_year(y):
            return True, None, f"done in fiscal year {y}"
        return False, self.wrong_year(facts, cand, y), ""

    @staticmethod
    def _ahead_of_the_year(facts: YearFacts, y: int) -> bool:
        """A declaration "for fiscal year y" is often signed in the quarter before y
        starts: the text names y and its latest date is Jul–Sep (y−1)."""
        latest = max(m.index for m in facts.months)
        near = month_index(y - 1, 7) <= latest <= month_index(y - 1, 9)
        return near and (y in facts.fiscal_years or y in facts.years)


@register
class MonthlyReports(YearCheck):
    name = "monthly_reports"
    default_reason = Reason(
        th="ไม่พบข้อมูลรายเดือนครบทุกเดือนของ ๖ เดือนแรกของปีงบประมาณ",
        en="not every month of the first six months of the fiscal year is covered",
    )

    def judge(self, facts: YearFacts, cand: Candidate) -> tuple[bool, Reason | None, str]:
        y = self.year
        other = _other_period(facts, y)
        if other:
            return False, self.dated_elsewhere(other, cand, y, _first_half_need(y)), ""
        months = facts.fiscal_months(y)
        need = [10, 11, 12, 1, 2, 3]
        missing = [m for m in need if m not in months]
        if not missing:
            return True, None, f"monthly Oct {y - 1} – Mar {y}"
        if months:
            th = ", ".join(month_label(m, y - 1 if m >= 10 else y) for m in missing)
            en = ", ".join(month_label(m, y - 1 if m >= 10 else y, False) for m in missing)
            return (
                False,
                Reason(th=f"ขาดข้อมูลเดือน {th}", en=f"months missing: {en}"),
                "",
            )
        if facts.mentions_fiscal_year(y):
            return (
                False,
                Reason(
                    th=f"พบข้อมูลปี {th_digits(y)} แต่ไม่แยกเป็นรายเดือน (ต้องมีทุกเดือน {_first_half_th(y)})",
                    en=f"found data of {y}, but not month by month "
                    f"(every month from Oct {y - 1} to Mar {y} is needed)",
                ),
                "",
            )
        return False, self.wrong_year(facts, cand, y), ""
