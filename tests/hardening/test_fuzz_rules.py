"""Fuzzing the Thai text normalisation and the date reader the rules run on every
page and document: any text ends, in time linear in its length, with a result."""

from __future__ import annotations

import time

import pytest
from fuzzing import bounded, fuzz, thaiish
from hypothesis import example, given
from hypothesis import strategies as st

from rules._normalize import normalize_th
from rules._thaidate import MONTHS, read_years, year_pattern

# Pieces of dates, so the generated text reaches the month, period and range patterns.
_DATE_BITS = (
    [full for full, _ in MONTHS]
    + [ab for _, ab in MONTHS]
    + [
        "พ.ศ.",
        "ค.ศ.",
        "ปีงบประมาณ",
        "ปีงบ.",
        "ถึง",
        "ตั้งแต่เดือน",
        "วันที่",
        "เดือน",
        "-",
        "–",
        "/",
        ".",
        "~",
        "2566",
        "66",
        "2023",
        "15",
        "1",
        "0",
        "31/12/",
        "2566-2570",
        "ไตรมาสที่2",
        "6 เดือน",
        "mar",
        "march",
        "sept.",
        "2023-03-15",
        "๒๕๖๖",
        "ํา",
        "เเ",
        "\uf70a",
        "\u200b",
        " ",
    ]
)
date_text = st.lists(st.one_of(st.sampled_from(_DATE_BITS), thaiish), max_size=60).map("".join)


@fuzz(200)
@given(thaiish, st.booleans())
@example("\u0e4d\u0e48\u0e32" * 3, False)
def test_normalize_th_never_raises(text: str, keep_spaces: bool) -> None:
    out = bounded(lambda: normalize_th(text, keep_spaces=keep_spaces))
    assert isinstance(out, str)
    if not keep_spaces:
        assert not any(ch.isspace() for ch in out)


@fuzz(250)
@given(date_text, st.one_of(st.none(), st.integers(min_value=2400, max_value=2700)))
def test_read_years_never_raises(text: str, reference: int | None) -> None:
    facts = bounded(lambda: read_years(normalize_th(text), reference))
    for month in facts.months:
        assert 1 <= month.month <= 12
    for period in facts.periods:
        assert period.start.index <= period.end.index
    assert all(1 <= m <= 12 for m in facts.bare_months)
    bounded(lambda: year_pattern(reference or 2566).search(normalize_th(text)))


# Long runs of what the patterns' optional parts accept: the shapes that make a
# backtracking regex engine go quadratic or worse.
_ADVERSARIAL = [
    "ม.ค." * 1,
    "ต.ค.-",
    "ตุลาคม2565ถึงเดือน",
    "1/",
    "1.1.",
    "15/03/",
    "2566-",
    "ปีงบประมาณพ.ศ.",
    "พ.ศ.",
    "9",
    "ต.ค.65",
    "ไตรมาส",
    "ต.ค.12-",  # found: 14,000 dated months x 14,000 spans in the bare-month check
    "mar.,",
]


@pytest.mark.parametrize("unit", _ADVERSARIAL)
def test_read_years_is_linear_on_adversarial_runs(unit: str) -> None:
    """150,000 characters of one repeated piece (a long PDF's text) read within 10 s;
    linear code takes about a second here, the quadratic overlap check that "ต.ค.12-"
    found took 15 s on 100,000 characters (so about 35 s on these)."""
    text = normalize_th(unit * (150_000 // len(unit)))
    read_years.cache_clear()
    started = time.monotonic()
    bounded(lambda: read_years(text, 2566), 60)
    assert time.monotonic() - started < 10


@fuzz(200)
@given(date_text)
def test_bare_months_match_the_plain_overlap_rule(text: str) -> None:
    """The fast overlap check (merged spans + bisect) gives what the plain definition
    gives: a month named outside every month-with-year and period match is bare."""
    from rules import _thaidate as t

    norm = normalize_th(text)
    spans = [m.span() for m in t._MONTH_YEAR.finditer(norm)]
    spans += [m.span() for m in t._PERIOD.finditer(norm)]
    expected = {
        t._month_of(m, "m")
        for m in t._BARE_MONTH.finditer(norm)
        if not any(m.start() < hi and lo < m.end() for lo, hi in spans)
    }
    assert read_years(norm, 2566).bare_months == expected
