"""Thai years and dates in normalised text (digits already 0-9, no spaces).

Everything works on text passed through :func:`normalize_th`: "๑๕ มี.ค. ๖๖" arrives
as "15มี.ค.66". Recognised:

- Buddhist-Era years written in full ("2566", "๒๕๖๖") anywhere but inside a longer number;
- two-digit years ("66") right after a month, "พ.ศ.", "ปีงบประมาณ"/"ปีงบ" or a d/m/ date;
- full and abbreviated Thai month names, with or without the dots ("มี.ค.", "มีค");
- year ranges: "2566-2570", "พ.ศ. 2566 – 2570", "2566 ถึง 2570", "(พ.ศ.2561-2565)";
- ISO dates ("2023-03-15", Christian Era) converted to B.E.

Fiscal year Y runs 1 Oct (Y−1) – 30 Sep Y: a month of Oct–Dec belongs to the next
fiscal year. The year-binding checks (``rules/checks/year_*.py``) build on this module.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass

from ._normalize import normalize_th

__all__ = [
    "MONTHS",
    "MonthMention",
    "YearFacts",
    "fiscal_year_of",
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
_MONTH_YEAR = re.compile(
    rf"(?:{_MONTH_GROUPS})(?:พ\.?ศ\.?)?(?:(?P<y4>2[45]\d\d)|(?P<y2>\d\d))(?!\d)"
)
_NUM_DATE = re.compile(r"(?<![\d/.])([0-3]?\d)[/.]([01]?\d)[/.](2[45]\d\d|\d\d)(?![\d/])")
_BARE_MONTH = re.compile(rf"(?:{_MONTH_GROUPS})")
_RANGE_SEP = r"(?:-|–|—|ถึง|~)"
_RANGE = re.compile(
    rf"(?<!\d)(2[45]\d\d){_RANGE_SEP}(?:พ\.?ศ\.?)?(2[45]\d\d|\d\d)(?!\d)"
)
_FISCAL = re.compile(r"(?:ปีงบประมาณ|ปีงบ\.?)(?:พ\.?ศ\.?)?(2[45]\d\d|\d\d)(?!\d)")
_SIX_MONTHS = re.compile(
    r"(?<!\d)6เดือน|หกเดือน|ครึ่งปี|ไตรมาส(?:ที่)?2|ไตรมาส(?:ที่)?1-2|ไตรมาส(?:ที่)?1และ2|"
    r"(?:ต\.?ค\.?|ตุลาคม)\d{0,4}(?:-|–|ถึง)\d{0,2}(?:มี\.?ค\.?|มีนาคม)"
)


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


@dataclass(slots=True)
class YearFacts:
    """Every year, range, month and fiscal-year mention found in one text."""

    years: Counter[int]  # each B.E. year mentioned, with how often
    ranges: list[tuple[int, int]]  # "2566-2570" → (2566, 2570)
    months: list[MonthMention]  # month + year ("15 มี.ค. 66" → (3, 2566))
    bare_months: set[int]  # months named without a year
    fiscal_years: set[int]  # "ปีงบประมาณ 2566" → 2566
    six_months: bool  # "6 เดือน", "ไตรมาส 2", "ต.ค. – มี.ค." ...

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

    def mentions_fiscal_year(self, fiscal_year: int) -> bool:
        """A date in the fiscal year, "ปีงบประมาณ Y", or the year Y itself."""
        return (
            fiscal_year in self.fiscal_years
            or fiscal_year in self.years
            or any(m.fiscal_year == fiscal_year for m in self.months)
        )


def read_years(text: str, reference: int | None = None) -> YearFacts:
    """Read the years of a normalised text. ``reference`` (the catalog's fiscal year)
    decides whether a two-digit year is 25xx or 24xx."""
    years: Counter[int] = Counter()
    ranges: list[tuple[int, int]] = []
    months: list[MonthMention] = []
    bare: set[int] = set()
    fiscal: set[int] = set()
    if not text:
        return YearFacts(years, ranges, months, bare, fiscal, False)
    for m in _FULL_YEAR.finditer(text):
        years[int(m.group(1))] += 1
    for m in _SHORT_YEAR.finditer(text):
        years[_year4(m.group(1), reference)] += 1
    for m in _ISO_DATE.finditer(text):
        years[int(m.group(1)) + 543] += 1
        months.append(MonthMention(int(m.group(2)), int(m.group(1)) + 543))
    for m in _RANGE.finditer(text):
        a = int(m.group(1))
        b_raw = m.group(2)
        b = int(b_raw) if len(b_raw) == 4 else a - a % 100 + int(b_raw)
        if a <= b <= a + 20:
            ranges.append((a, b))
    for m in _MONTH_YEAR.finditer(text):
        month = next(i for i in range(1, 13) if m.group(f"m{i}"))
        y = int(m.group("y4")) if m.group("y4") else _year4(m.group("y2"), reference)
        months.append(MonthMention(month, y))
    for m in _NUM_DATE.finditer(text):
        month, raw = int(m.group(2)), m.group(3)
        if 1 <= month <= 12 and 1 <= int(m.group(1)) <= 31:
            months.append(MonthMention(month, int(raw) if len(raw) == 4 else _year4(raw, reference)))
    for m in _BARE_MONTH.finditer(text):
        bare.add(next(i for i in range(1, 13) if m.group(f"m{i}")))
    for m in _FISCAL.finditer(text):
        raw = m.group(1)
        fiscal.add(int(raw) if len(raw) == 4 else _year4(raw, reference))
    six = _SIX_MONTHS.search(text) is not None
    return YearFacts(years, ranges, months, bare, fiscal, six)
