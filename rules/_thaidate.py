"""Thai years and dates in normalised text (digits already 0-9, no spaces).

Small on purpose: the building block for year-binding checks. Later date checks
(e.g. "data covering the first 6 months of the fiscal year") belong here too.
"""

from __future__ import annotations

import functools
import re

from ._normalize import normalize_th

__all__ = ["MONTHS", "year_pattern"]

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


def _abbr(a: str) -> str:
    # "มี.ค." -> "มี\.?ค\.?"
    parts = [re.escape(p) for p in normalize_th(a).split(".") if p]
    return r"\.?".join(parts) + r"\.?"


_MONTH_ALT = "|".join(
    [re.escape(normalize_th(full)) for full, _ in MONTHS] + [_abbr(ab) for _, ab in MONTHS]
)
# what may stand right before a 2-digit year: a month, "พ.ศ.", "ปีงบประมาณ", "ปีงบ", or d/m/
_YEAR_PREFIX = rf"(?:{_MONTH_ALT}|พ\.?ศ\.?|ปีงบประมาณ|ปีงบ\.?|\d{{1,2}}[/.-]\d{{1,2}}[/.-])"


@functools.lru_cache(maxsize=64)
def year_pattern(year_be: int) -> re.Pattern[str]:
    """Matches a Buddhist-Era year in normalised text: "2566" anywhere (not inside a
    longer number), or "66" right after a month, "พ.ศ.", "ปีงบ(ประมาณ)" or a d/m/ date."""
    full = str(year_be)
    short = full[-2:]
    return re.compile(rf"(?<!\d){full}(?!\d)|{_YEAR_PREFIX}{short}(?!\d)")
