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


# --- dates: months with their year, periods, C.E. ---------------------------------------------

from rules._thaidate import month_index  # noqa: E402


def _dates(text: str) -> set[tuple[int, int]]:
    return {(m.month, m.year) for m in _facts(text).months}


def _periods(text: str) -> list[tuple[int, int, int, int]]:
    return [(p.start.month, p.start.year, p.end.month, p.end.year) for p in _facts(text).periods]


def test_a_month_with_its_year_is_not_a_bare_month() -> None:
    """ "ตุลาคม 2564" under "ปีงบประมาณ 2566" is October 2564, not an October of 2566's
    fiscal year: only months written without a year take the stated fiscal year."""
    f = _facts("สถิติ ปีงบประมาณ 2566 ตุลาคม 2564 มีนาคม 2565")
    assert f.bare_months == set()
    assert f.fiscal_months(2566) == set()
    assert {m.fiscal_year for m in f.months} == {2565}


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("ต.ค. 65 – มี.ค. 66", (10, 2565, 3, 2566)),
        ("๑ ต.ค. ๖๕ - ๓๑ มี.ค. ๖๖", (10, 2565, 3, 2566)),
        ("ตั้งแต่เดือนตุลาคม ๒๕๖๕ ถึงเดือนมีนาคม ๒๕๖๖", (10, 2565, 3, 2566)),
        ("ระหว่างวันที่ 1 ตุลาคม 2565 ถึงวันที่ 31 มีนาคม 2566", (10, 2565, 3, 2566)),
        # the first month takes the year of the second, or the year before
        ("ต.ค. – มี.ค. 66", (10, 2565, 3, 2566)),
        ("ไตรมาสที่ 1 (ต.ค.-ธ.ค. 65)", (10, 2565, 12, 2565)),
        ("ม.ค.-มี.ค. 66", (1, 2566, 3, 2566)),
        ("Oct 2022 – Mar 2023", (10, 2565, 3, 2566)),
    ],
)
def test_periods(text: str, period: tuple[int, int, int, int]) -> None:
    assert _periods(text) == [period]
    assert (period[0], period[1]) in _dates(text) and (period[2], period[3]) in _dates(text)


def test_a_period_is_dated_over_every_month_it_spans() -> None:
    f = _facts("ข้อมูล ต.ค. 65 – มี.ค. 66")
    assert f.dated_between(month_index(2565, 10), month_index(2566, 3)) == {10, 11, 12, 1, 2, 3}
    assert f.dated_between(month_index(2566, 4), month_index(2566, 9)) == set()


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("15 March 2023", (3, 2566)),
        ("15 Mar. 2023", (3, 2566)),
        ("มีนาคม 2023", (3, 2566)),
        ("15/03/2023", (3, 2566)),
        ("15/03/2566", (3, 2566)),
        ("2023-03-15", (3, 2566)),
        ("วันที่ ๑๕ เดือนมีนาคม พ.ศ. ๒๕๖๖", (3, 2566)),
        ("15 มีค 66", (3, 2566)),
    ],
)
def test_dates_in_every_common_form(text: str, date: tuple[int, int]) -> None:
    assert _dates(text) == {date}
    assert 2566 in _facts(text).years


def test_a_full_year_may_run_into_the_next_table_cell() -> None:
    # "<td>ตุลาคม 2565</td><td>120</td>" loses its spaces when normalised
    assert _dates("<td>ตุลาคม 2565</td><td>120</td>".replace("<td>", " ").replace("</td>", " ")) == {
        (10, 2565)
    }
    # two digits followed by more digits are not a year: "ต.ค. 65 | 120 ราย"
    assert _dates("ต.ค. 65 120 ราย") == set()


def test_not_dates() -> None:
    assert _dates("primary2023 dismay2023 summary 2023") == set()
    assert _dates("ข้อ 1/2/23") == set()  # would be 2523: far from the catalog's year
    # a decades-old date cited by a text says nothing about the period of its content
    assert _dates("ตามระเบียบ ลงวันที่ 10 มกราคม 2540") == set()
