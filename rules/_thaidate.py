"""Thai years and dates in normalised text (digits already 0-9, no spaces).

Everything works on text passed through :func:`normalize_th`: "๑๕ มี.ค. ๖๖" arrives
as "15มี.ค.66". Recognised:

- Buddhist-Era years written in full ("2566", "๒๕๖๖") anywhere but inside a longer number;
- two-digit years ("66") right after a month, "พ.ศ.", "ปีงบประมาณ"/"ปีงบ" or a d/m/ date;
- full and abbreviated Thai month names, with or without the dots ("มี.ค.", "มีค");
- year ranges: "2566-2570", "พ.ศ. 2566 – 2570", "2566 ถึง 2570", "(พ.ศ.2561-2565)";
- ISO dates ("2023-03-15") and Christian-Era years after a month ("มีนาคม 2023",
  "15 Mar 2023", "15/03/2023") converted to B.E.;
- month periods: "ต.ค. 65 – มี.ค. 66", "ต.ค. – ธ.ค. 65" (the first month takes the year
  of the second, or the year before when it comes later in the calendar), "ตั้งแต่เดือน
  ตุลาคม 2565 ถึงเดือนมีนาคม 2566".

A month *with* its year is a date (``YearFacts.months``); a month named without a year
(``bare_months``) only counts where the text names the fiscal year. The checks treat
dates as stronger evidence than a year in a heading: dates say which period the
content is about, a heading only what it claims to be.

Fiscal year Y runs 1 Oct (Y−1) – 30 Sep Y: a month of Oct–Dec belongs to the next
fiscal year. The year-binding checks (``rules/checks/year_*.py``) build on this module.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections import Counter
from dataclasses import dataclass, field

from ._normalize import normalize_th

__all__ = [
    "MONTHS",
    "MonthMention",
    "Period",
    "YearFacts",
    "fiscal_year_of",
    "month_index",
    "month_label",
    "read_years",
    "th_digits",
    "year_pattern",
]

# (full name, abbreviation) in calendar order; abbreviations are matched with or
# without their dots.
MONTHS = [
    ("มกราคม", "ม.ค."),
    ("กุมภาพันธ์", "ก.พ."),
    ("มีนาคม", "มี.ค."),
    ("เมษายน", "เม.ย."),
    ("พฤษภาคม", "พ.ค."),
    ("มิถุนายน", "มิ.ย."),
    ("กรกฎาคม", "ก.ค."),
    ("สิงหาคม", "ส.ค."),
    ("กันยายน", "ก.ย."),
    ("ตุลาคม", "ต.ค."),
    ("พฤศจิกายน", "พ.ย."),
    ("ธันวาคม", "ธ.ค."),
]

_THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def th_digits(value: object) -> str:
    """``2566`` → ``"๒๕๖๖"`` (for Thai sentences)."""
    return str(value).translate(_THAI_DIGITS)


def month_label(month: int, year_be: int, thai: bool = True) -> str:
    """``(3, 2566)`` → ``"มี.ค. ๖๖"`` (Thai) or ``"Mar 2566"``."""
    if thai:
        return f"{MONTHS[month - 1][1]} {th_digits(str(year_be)[-2:])}"
    names = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
    return f"{names[month - 1]} {year_be}"


def fiscal_year_of(year_be: int, month: int) -> int:
    """The fiscal year a calendar month belongs to (Oct–Dec count for the next year)."""
    return year_be + 1 if month >= 10 else year_be


def _abbr(a: str) -> str:
    # "มี.ค." -> "มี\.?ค\.?"
    parts = [re.escape(p) for p in normalize_th(a).split(".") if p]
    return r"\.?".join(parts) + r"\.?"


# month alternatives, each in its own named group so the month number is known
_MONTH_GROUPS = "|".join(
    f"(?P<m{i}>{re.escape(normalize_th(full))}|{_abbr(ab)})"
    for i, (full, ab) in enumerate(MONTHS, 1)
)
_MONTH_ALT = "|".join(
    [re.escape(normalize_th(full)) for full, _ in MONTHS] + [_abbr(ab) for _, ab in MONTHS]
)
# what may stand right before a 2-digit year: a month, "พ.ศ.", "ปีงบประมาณ", "ปีงบ", or d/m/
_YEAR_PREFIX = rf"(?:{_MONTH_ALT}|พ\.?ศ\.?|ปีงบประมาณ|ปีงบ\.?|(?<!\d)\d{{1,2}}[/.-]\d{{1,2}}[/.-])"


@functools.lru_cache(maxsize=64)
def year_pattern(year_be: int) -> re.Pattern[str]:
    """Matches a Buddhist-Era year in normalised text: "2566" anywhere (not inside a
    longer number), or "66" right after a month, "พ.ศ.", "ปีงบ(ประมาณ)" or a d/m/ date."""
    full = str(year_be)
    short = full[-2:]
    return re.compile(rf"(?<!\d){full}(?!\d)|{_YEAR_PREFIX}{short}(?!\d)")


# --- reading every year and month out of a text ----------------------------------------------

_FULL_YEAR = re.compile(r"(?<![\d,])(2[45]\d\d)(?![\d,])")  # 2400-2599, not inside a number
_SHORT_YEAR = re.compile(rf"{_YEAR_PREFIX}(\d\d)(?!\d)")
_ISO_DATE = re.compile(r"(?<!\d)(20\d\d)-(0[1-9]|1[0-2])-([0-3]\d)(?!\d)")

# English month names (the text is case-folded); only read with a year right after them,
# and not inside a word ("primary2023" holds no "mar").
_EN_MONTHS = [
    "jan(?:uary)?",
    "feb(?:ruary)?",
    "mar(?:ch)?",
    "apr(?:il)?",
    "may",
    "june?",
    "july?",
    "aug(?:ust)?",
    "sep(?:t(?:ember)?)?",
    "oct(?:ober)?",
    "nov(?:ember)?",
    "dec(?:ember)?",
]


def _month_groups(prefix: str) -> str:
    """One named group per month (``<prefix>1`` … ``<prefix>12``), Thai or English, so a
    match tells which month it is; several can live in one pattern with other prefixes."""
    alts = []
    for i, (full, ab) in enumerate(MONTHS, 1):
        th = f"{re.escape(normalize_th(full))}|{_abbr(ab)}"
        en = rf"(?<![a-z]){_EN_MONTHS[i - 1]}\.?,?"
        alts.append(f"(?P<{prefix}{i}>{th}|{en})")
    return "|".join(alts)


def _month_of(m: re.Match[str], prefix: str) -> int:
    return next(i for i in range(1, 13) if m.group(f"{prefix}{i}"))


# A year after a month: B.E. or C.E. in full, or two B.E. digits. A full year may run into
# the next table cell ("ตุลาคม2565120" is "ตุลาคม 2565 | 120" with the spaces removed);
# two digits may not ("ต.ค.65120" is not read).
def _year_after(prefix: str) -> str:
    return (
        rf"(?:พ\.?ศ\.?|ค\.?ศ\.?)?(?:(?P<{prefix}be>2[45]\d\d)|(?P<{prefix}ce>(?:19|20)\d\d)"
        rf"|(?P<{prefix}y2>\d\d)(?!\d))"
    )


_MONTH_YEAR = re.compile(rf"(?:{_month_groups('m')}){_year_after('y')}")
_NUM_DATE = re.compile(
    r"(?<![\d/.])([0-3]?\d)[/.]([01]?\d)[/.](2[45]\d\d|(?:19|20)\d\d|\d\d(?![\d/]))(?!/)"
)
_BARE_MONTH = re.compile(rf"(?:{_MONTH_GROUPS})")
_RANGE_SEP = r"(?:-|–|—|ถึง|~)"
_RANGE = re.compile(rf"(?<!\d)(2[45]\d\d){_RANGE_SEP}(?:พ\.?ศ\.?)?(2[45]\d\d|\d\d)(?!\d)")
# "ต.ค. 65 – มี.ค. 66", "ต.ค.–ธ.ค. 65", "1 ต.ค. 2565 - 31 มี.ค. 2566",
# "ตั้งแต่เดือนตุลาคม 2565 ถึงเดือนมีนาคม 2566"
_PERIOD = re.compile(
    rf"(?:{_month_groups('s')})(?:{_year_after('s')})?(?!\d)"
    rf"{_RANGE_SEP}(?:วันที่)?(?:[0-3]?\d)?(?:เดือน)?"
    rf"(?:{_month_groups('e')}){_year_after('e')}"
)
_FISCAL = re.compile(r"(?:ปีงบประมาณ|ปีงบ\.?)(?:พ\.?ศ\.?)?(2[45]\d\d|\d\d)(?!\d)")
_SIX_MONTHS = re.compile(
    r"(?<!\d)6เดือน|หกเดือน|ครึ่งปี|ไตรมาส(?:ที่)?2|ไตรมาส(?:ที่)?1-2|ไตรมาส(?:ที่)?1และ2|"
    r"(?:ต\.?ค\.?|ตุลาคม)\d{0,4}(?:-|–|ถึง)\d{0,2}(?:มี\.?ค\.?|มีนาคม)"
)
# A date further than this from the catalog's year is a misread number ("1/2/23" is not
# 2523) or a decades-old citation ("ระเบียบ ... ลงวันที่ 10 ม.ค. 2540"): not the period of
# the content either way.
_PLAUSIBLE = 10


def _year4(two: str, reference: int | None = None) -> int:
    """A two-digit B.E. year: "66" → 2566 (24xx when that is nearer the reference)."""
    y = 2500 + int(two)
    if reference is not None and abs((y - 100) - reference) < abs(y - reference):
        y -= 100
    return y


@dataclass(frozen=True, slots=True)
class MonthMention:
    month: int  # 1-12
    year: int  # B.E.

    @property
    def fiscal_year(self) -> int:
        return fiscal_year_of(self.year, self.month)

    @property
    def index(self) -> int:
        """Months since year 0 B.E., for comparing and spanning dates."""
        return self.year * 12 + self.month - 1


def month_index(year_be: int, month: int) -> int:
    return year_be * 12 + month - 1


@dataclass(frozen=True, slots=True)
class Period:
    """A run of months written as one span: "ต.ค. 65 – มี.ค. 66"."""

    start: MonthMention
    end: MonthMention

    def overlaps(self, first: int, last: int) -> set[int]:
        """The calendar months (1-12) of this period that fall in [first, last]
        (month indexes)."""
        lo, hi = max(self.start.index, first), min(self.end.index, last)
        return {i % 12 + 1 for i in range(lo, hi + 1)}


@dataclass(slots=True)
class YearFacts:
    """Every year, range, month and fiscal-year mention found in one text."""

    years: Counter[int]  # each B.E. year mentioned, with how often
    ranges: list[tuple[int, int]]  # "2566-2570" → (2566, 2570)
    months: list[MonthMention]  # dates: month + year ("15 มี.ค. 66" → (3, 2566))
    bare_months: set[int]  # months named without a year
    fiscal_years: set[int]  # "ปีงบประมาณ 2566" → 2566
    six_months: bool  # "6 เดือน", "ไตรมาส 2", "ต.ค. – มี.ค." ...
    periods: list[Period] = field(default_factory=list)  # "ต.ค. 65 – มี.ค. 66"

    @property
    def empty(self) -> bool:
        return not (self.years or self.ranges or self.months)

    def main_years(self, near: int | None = None, n: int = 3) -> list[int]:
        """The years mentioned most (for messages), newest first among equals; with
        ``near``, only years within 15 of it (an amount of "2500 บาท" is not a year)."""
        items = [(y, c) for y, c in self.years.items() if near is None or abs(y - near) <= 15]
        ranked = sorted(items, key=lambda kv: (-kv[1], -kv[0]))
        return [y for y, _ in ranked[:n]]

    def fiscal_months(self, fiscal_year: int) -> set[int]:
        """Months (1-12) of ``fiscal_year`` that are named with their year, plus months
        named without a year when the text is about that fiscal year."""
        out = {m.month for m in self.months if m.fiscal_year == fiscal_year}
        if fiscal_year in self.fiscal_years:
            out |= self.bare_months
        return out

    def dated_between(self, first: int, last: int) -> set[int]:
        """Calendar months (1-12) that dates or periods put in [first, last] (month
        indexes, both included)."""
        out = {m.month for m in self.months if first <= m.index <= last}
        for p in self.periods:
            out |= p.overlaps(first, last)
        return out

    def mentions_fiscal_year(self, fiscal_year: int) -> bool:
        """A date in the fiscal year, "ปีงบประมาณ Y", or the year Y itself."""
        return (
            fiscal_year in self.fiscal_years
            or fiscal_year in self.years
            or any(m.fiscal_year == fiscal_year for m in self.months)
        )


def _year_of(m: re.Match[str], prefix: str, reference: int | None) -> int | None:
    """The B.E. year of a month's ``_year_after`` groups (None when it has none)."""
    if m.group(f"{prefix}be"):
        return int(m.group(f"{prefix}be"))
    if m.group(f"{prefix}ce"):
        return int(m.group(f"{prefix}ce")) + 543
    if m.group(f"{prefix}y2"):
        return _year4(m.group(f"{prefix}y2"), reference)
    return None


def _num_year(raw: str, reference: int | None) -> int:
    if len(raw) == 4:
        y = int(raw)
        return y + 543 if y < 2400 else y
    return _year4(raw, reference)


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans sorted, the overlapping ones merged: disjoint and in order."""
    out: list[tuple[int, int]] = []
    for lo, hi in sorted(spans):
        if out and lo < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


@functools.lru_cache(maxsize=128)
def read_years(text: str, reference: int | None = None) -> YearFacts:
    """Read the years of a normalised text. ``reference`` (the catalog's fiscal year)
    decides whether a two-digit year is 25xx or 24xx, and drops dates more than
    ``_PLAUSIBLE`` years away from it (misread numbers, or decades-old citations that
    say nothing about the period of the content).

    Cached, because the checks of every item read the same candidates' texts again:
    treat the result as read-only."""
    years: Counter[int] = Counter()
    ranges: list[tuple[int, int]] = []
    months: list[MonthMention] = []
    periods: list[Period] = []
    bare: set[int] = set()
    fiscal: set[int] = set()
    if not text:
        return YearFacts(years, ranges, months, bare, fiscal, False, periods)

    def plausible(year_be: int) -> bool:
        return reference is None or abs(year_be - reference) <= _PLAUSIBLE

    def add_month(month: int, year_be: int) -> None:
        if 1 <= month <= 12 and plausible(year_be):
            months.append(MonthMention(month, year_be))

    dated_spans: list[tuple[int, int]] = []  # where a month is written with its year
    for m in _FULL_YEAR.finditer(text):
        years[int(m.group(1))] += 1
    for m in _SHORT_YEAR.finditer(text):
        years[_year4(m.group(1), reference)] += 1
    for m in _ISO_DATE.finditer(text):
        years[int(m.group(1)) + 543] += 1
        add_month(int(m.group(2)), int(m.group(1)) + 543)
    for m in _RANGE.finditer(text):
        a = int(m.group(1))
        b_raw = m.group(2)
        b = int(b_raw) if len(b_raw) == 4 else a - a % 100 + int(b_raw)
        if a <= b <= a + 20:
            ranges.append((a, b))
    for m in _MONTH_YEAR.finditer(text):
        y = _year_of(m, "y", reference)
        assert y is not None  # the pattern requires a year
        if m.group("yce") or (m.group("ybe") and text[m.end() : m.end() + 1].isdigit()):
            years[y] += 1  # not counted by _FULL_YEAR (C.E., or run into the next cell)
        add_month(_month_of(m, "m"), y)
        dated_spans.append(m.span())
    for m in _PERIOD.finditer(text):
        sm, em = _month_of(m, "s"), _month_of(m, "e")
        ey = _year_of(m, "e", reference)
        sy = _year_of(m, "s", reference)
        assert ey is not None
        if sy is None:
            # "ต.ค. – มี.ค. 66": October comes before March, so it is October 2565
            sy = ey if sm <= em else ey - 1
            add_month(sm, sy)  # with its own year, _MONTH_YEAR has read it already
        start, end = MonthMention(sm, sy), MonthMention(em, ey)
        if start.index <= end.index <= start.index + 24 and plausible(sy) and plausible(ey):
            periods.append(Period(start, end))
        dated_spans.append(m.span())
    for m in _NUM_DATE.finditer(text):
        if 1 <= int(m.group(1)) <= 31:
            y = _num_year(m.group(3), reference)
            if len(m.group(3)) == 4 and m.group(3).startswith(("19", "20")):
                years[y] += 1  # "15/03/2023": a C.E. year, not counted by _FULL_YEAR
            add_month(int(m.group(2)), y)
    dated = _merged(dated_spans)
    starts = [lo for lo, _ in dated]
    for m in _BARE_MONTH.finditer(text):
        a, b = m.span()
        # The dated span starting last before b is the only one that can overlap
        # (merged spans are disjoint and sorted); a scan of every span per month was
        # quadratic: 14,000 dated months in one document took 15 s.
        at = bisect.bisect_left(starts, b) - 1
        if at < 0 or dated[at][1] <= a:
            bare.add(_month_of(m, "m"))
    for m in _FISCAL.finditer(text):
        raw = m.group(1)
        fiscal.add(int(raw) if len(raw) == 4 else _year4(raw, reference))
    six = _SIX_MONTHS.search(text) is not None
    return YearFacts(years, ranges, months, bare, fiscal, six, periods)
