"""Year mentions relative to the fiscal year."""

from __future__ import annotations

import pytest

from rules import normalize_th
from rules._thaidate import year_pattern


@pytest.mark.parametrize(
    "text",
    [
        "ปีงบประมาณ พ.ศ. ๒๕๖๖",
        "ประกาศ ณ วันที่ 15 มีนาคม 2566",
        "15 มี.ค. 66",
        "๑ ต.ค. ๖๖",
        "ปีงบ 66",
        "1/3/66",
        "พ.ศ.66",
        "มีค 66",
    ],
)
def test_mentions_2566(text: str) -> None:
    assert year_pattern(2566).search(normalize_th(text))


@pytest.mark.parametrize(
    "text", ["ปี 2565", "มีผู้เข้าร่วม 166 คน", "25660", "โทร 0-4405-6622", "ลำดับที่ 66"]
)
def test_does_not_mention_2566(text: str) -> None:
    assert not year_pattern(2566).search(normalize_th(text))


# --- read_years: everything the year checks build on ------------------------------------------

from rules._thaidate import fiscal_year_of, read_years  # noqa: E402


def _facts(text: str):
    return read_years(normalize_th(text), 2566)


def test_full_and_two_digit_years_thai_digits() -> None:
    f = _facts("ประกาศ ณ วันที่ ๑๕ มีนาคม ๒๕๖๖ และ 3 ก.พ. 65")
    assert set(f.years) == {2566, 2565}
    assert {(m.month, m.year) for m in f.months} == {(3, 2566), (2, 2565)}


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("แผนพัฒนาท้องถิ่น (พ.ศ. ๒๕๖๖ - ๒๕๗๐)", (2566, 2570)),
        ("พ.ศ.2561-2565", (2561, 2565)),
        ("ปี 2566 ถึง 2570", (2566, 2570)),
        ("2566–70", (2566, 2570)),
    ],
)
def test_ranges(text: str, span: tuple[int, int]) -> None:
    assert span in _facts(text).ranges


def test_fiscal_year_and_bare_months() -> None:
    f = _facts("สถิติ ปีงบประมาณ 66: ต.ค. พ.ย. ธ.ค. ม.ค. ก.พ. มี.ค.")
    assert f.fiscal_years == {2566}
    assert f.fiscal_months(2566) == {10, 11, 12, 1, 2, 3}
    assert f.fiscal_months(2565) == set()


def test_october_belongs_to_the_next_fiscal_year() -> None:
    assert fiscal_year_of(2565, 10) == 2566 and fiscal_year_of(2566, 9) == 2566
    f = _facts("ข้อมูล ๑ ต.ค. ๖๕ – ๓๑ มี.ค. ๖๖")
    assert f.fiscal_months(2566) == {10, 3} and f.six_months
    assert f.mentions_fiscal_year(2566)


def test_iso_and_numeric_dates() -> None:
    f = _facts("2023-03-15 และ 1/10/2565")
    assert {(m.month, m.year) for m in f.months} == {(3, 2566), (10, 2565)}


def test_not_years() -> None:
    f = _facts("งบประมาณ 25,660 บาท โทร 0-4405-6622 จำนวน 2566000 บาท")
    assert not f.years and not f.months


def test_six_month_phrases() -> None:
    assert _facts("รายงานรอบ ๖ เดือน").six_months
    assert _facts("ไตรมาสที่ 2").six_months
    assert not _facts("ปีงบประมาณ 2566 เดือนมีนาคม").six_months
