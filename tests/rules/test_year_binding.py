"""The year checks on one candidate: dates in the content win over a year in a heading,
a menu or a link label; content without dates is judged by its years; labels and hubs
only decide when the content cannot be read."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from rules import normalize_th
from rules.checks._base import CheckContext, Outcome
from rules.checks.year_binding import (
    MonthlyReports,
    YearDone,
    YearFirstHalf,
    YearInForce,
    YearReport,
)


@dataclass
class _Cand:
    """What the year checks read of a candidate (texts are normalised, as the engine's)."""

    text: str | None
    label: str = ""
    hubs: set[int] = field(default_factory=set)
    kind: str = "page"

    def main_text(self) -> str | None:
        return None if self.text is None else normalize_th(self.text)

    def label_text(self) -> str:
        return normalize_th(self.label)

    def hub_years(self) -> set[int]:
        return self.hubs


def _run(
    check_cls, text: str | None, year: str = "current", fy: int = 2566, params=None, **kw
) -> Outcome:
    check = check_cls(check_cls.Params(year=year, **(params or {})), CheckContext(f"ita-{fy}", fy))
    return check.run(_Cand(text, **kw))  # type: ignore[arg-type]


def _th(out: Outcome) -> str:
    assert out.detail is not None
    return out.detail.th


# --- year_first_half: 1 Oct (Y-1) – 31 Mar Y --------------------------------------------------

WRONG_HALF = (
    "สถิติการให้บริการ ปีงบประมาณ 2566 (รอบ 6 เดือน) ตุลาคม 2564 120 พฤศจิกายน 2564 101 "
    "ธันวาคม 2564 87 มกราคม 2565 110 กุมภาพันธ์ 2565 95 มีนาคม 2565 98"
)


def test_first_half_dates_of_another_period_beat_the_heading_year() -> None:
    out = _run(YearFirstHalf, WRONG_HALF)
    assert out.met is False
    th = _th(out)
    assert "ต.ค. ๖๔ – มี.ค. ๖๕" in th and "ปีงบประมาณ ๒๕๖๕" in th
    assert th.index("ต.ค. ๖๔") < th.index("๑ ต.ค. ๖๕")  # what was found, then what is needed
    assert "Oct 2564 – Mar 2565" in out.detail.en  # type: ignore[union-attr]


def test_first_half_the_same_data_shifted_a_year_passes() -> None:
    right = WRONG_HALF.replace("2565", "2566").replace("2564", "2565")
    assert _run(YearFirstHalf, right).met is True


@pytest.mark.parametrize(
    "text",
    [
        # the right period compared with the same months a year earlier
        "รอบ 6 เดือน (1 ต.ค. 65 – 31 มี.ค. 66) 620 ราย เทียบกับ ต.ค. 64 – มี.ค. 65 580 ราย",
        # months without a year under the fiscal year
        "สถิติ ปีงบประมาณ 2566 ต.ค. 10 พ.ย. 12 ธ.ค. 9 ม.ค. 11 ก.พ. 8 มี.ค. 7",
        # one old letter cited does not overturn the stated period
        "รายงาน 6 เดือน ปีงบประมาณ 2566 ตามหนังสือ ลงวันที่ 10 ม.ค. 2563",
        # a cut-off date inside the half-year
        "ผลการดำเนินงาน 6 เดือน ปีงบประมาณ 2566 ข้อมูล ณ วันที่ 31 มี.ค. 66",
        # signed after the half-year, in the same fiscal year
        "รายงานไตรมาส 1-2 ปีงบประมาณ 2566 ลงนาม 20 เม.ย. 66",
        "Service statistics, Oct 2022 – Mar 2023",
        "ข้อมูลระหว่าง 2022-10-01 ถึง 2023-03-31",
    ],
)
def test_first_half_passes(text: str) -> None:
    assert _run(YearFirstHalf, text).met is True, text


def test_first_half_a_later_period_is_wrong_too() -> None:
    out = _run(YearFirstHalf, "สถิติ ปีงบประมาณ 2566 ต.ค. 66 – มี.ค. 67")
    assert out.met is False and "ปีงบประมาณ ๒๕๖๗" in _th(out)


def test_first_half_one_quarter_only() -> None:
    out = _run(YearFirstHalf, "สถิติไตรมาส 1 ปีงบประมาณ 2566 (ต.ค. – ธ.ค. 65)")
    assert out.met is False and "ไม่ครอบคลุม ๖ เดือนแรก" in _th(out)


# --- year_done: an activity dated in fiscal year Y --------------------------------------------


def test_done_december_two_years_back_is_the_previous_fiscal_year() -> None:
    out = _run(YearDone, "กิจกรรม No Gift Policy ประจำปี 2566 ประชุมชี้แจง เมื่อวันที่ 15 ธันวาคม 2564")
    assert out.met is False
    assert "ธ.ค. ๖๔" in _th(out) and "ปีงบประมาณ ๒๕๖๕" in _th(out)


@pytest.mark.parametrize(
    "text",
    [
        "ประชุมชี้แจง เมื่อวันที่ 15 ธันวาคม 2565",  # December 2565 is fiscal year 2566
        "อบรม ๑๕ มีนาคม ๒๕๖๖",
        "อบรม 15 มี.ค. 66",
        "อบรม 2023-03-15",
        "อบรม 15/03/2566",
        "อบรม 1 ต.ค. 2565",  # the first day of fiscal year 2566
        "อบรม 30 ก.ย. 2566",  # the last
        "การขับเคลื่อนจริยธรรม ประจำปีงบประมาณ 2566",  # no dates: the stated year
        # one date of the year among older ones (a news list, an order cited)
        "ข่าว 20 ม.ค. 66 ข่าว 15 มิ.ย. 65 ตามคำสั่งลงวันที่ 1 ต.ค. 63",
    ],
)
def test_done_passes(text: str) -> None:
    assert _run(YearDone, text).met is True, text


def test_done_the_day_before_the_fiscal_year() -> None:
    out = _run(YearDone, "ประจำปีงบประมาณ 2566 อบรม 30 ก.ย. 2565")
    assert out.met is False and "ปีงบประมาณ ๒๕๖๕" in _th(out)


def test_done_news_whose_latest_entry_is_of_last_fiscal_year() -> None:
    out = _run(YearDone, "ข่าวประชาสัมพันธ์ 2566 ปลูกต้นไม้ 15 มิ.ย. 65 ประชาคม 2 มี.ค. 65")
    assert out.met is False and "มิ.ย. ๖๕" in _th(out)


# --- year_report: a report of Y-1 ------------------------------------------------------------


def test_report_dated_before_its_year_is_an_older_report() -> None:
    out = _run(
        YearReport,
        "รายงานผลการดำเนินงานประจำปี 2565 ผลการดำเนินงาน 1 ตุลาคม 2563 – 30 กันยายน 2564",
        year="previous",
    )
    assert out.met is False and "ปีงบประมาณ ๒๕๖๔" in _th(out) and "ต้องเป็นปี ๒๕๖๕" in _th(out)


@pytest.mark.parametrize(
    "text",
    [
        # compared with the year before, published after the year
        (
            "ผลการดำเนินงานปีงบประมาณ 2565 เทียบกับปีงบประมาณ 2564 ต.ค. 63 – ก.ย. 64 "
            "ประกาศ ณ วันที่ 15 ตุลาคม 2565"
        ),
        # a cited regulation's date does not make it older
        "รายงานผลการดำเนินงาน ประจำปีงบประมาณ 2565 ตามระเบียบ ลงวันที่ 10 ม.ค. 2563",
        "รายงานผลการดำเนินงานประจำปี 2565",
    ],
)
def test_report_passes(text: str) -> None:
    assert _run(YearReport, text, year="previous").met is True, text


# --- year_in_force, monthly_reports -------------------------------------------------------------


@pytest.mark.parametrize("fy", [2566, 2567, 2570])
def test_a_five_year_plan_is_in_force_every_year_of_it(fy: int) -> None:
    assert _run(YearInForce, "แผนพัฒนาท้องถิ่น (พ.ศ. ๒๕๖๖ - ๒๕๗๐)", fy=fy).met is True


def test_monthly_reports_of_another_year_under_the_heading_year() -> None:
    text = "สรุปผลการจัดซื้อจัดจ้าง ปีงบประมาณ 2566 " + " ".join(
        f"สขร.1 {m}" for m in ["ต.ค. 64", "พ.ย. 64", "ธ.ค. 64", "ม.ค. 65", "ก.พ. 65", "มี.ค. 65"]
    )
    out = _run(MonthlyReports, text)
    assert out.met is False and "ปีงบประมาณ ๒๕๖๕" in _th(out)
    shifted = text.replace(" 65", " 66").replace(" 64", " 65")
    assert _run(MonthlyReports, shifted).met is True


def test_a_six_month_span_is_not_monthly_reports() -> None:
    out = _run(MonthlyReports, "สรุปผลการจัดซื้อจัดจ้าง ต.ค. 65 – มี.ค. 66")
    assert out.met is False and "ขาดข้อมูลเดือน" in _th(out)


# --- where the years come from -----------------------------------------------------------------


def test_an_unreadable_document_is_judged_by_its_label_then_its_hub() -> None:
    out = _run(YearDone, None, label="กิจกรรม No Gift ธ.ค. 64", kind="document")
    assert out.met is False and "ตามชื่อลิงก์" in _th(out)
    assert _run(YearDone, None, label="กิจกรรม No Gift ปีงบประมาณ 2566", kind="document").met
    assert _run(YearFirstHalf, None, hubs={2566}, kind="document").met is True
    assert _run(YearFirstHalf, None, kind="document").met is None  # not judged


def test_content_dates_win_over_the_label() -> None:
    out = _run(YearDone, "ประชุม 15 ธันวาคม 2564", label="กิจกรรม No Gift ปีงบประมาณ 2566")
    assert out.met is False


def test_a_readable_page_without_a_year() -> None:
    out = _run(YearDone, "ประชุมชี้แจงพนักงาน")
    assert out.met is False and "ไม่ระบุปี" in _th(out)


def test_done_a_declaration_for_the_year_signed_just_before_it() -> None:
    """With ``signed_before: true`` (O31: a declaration "for" the year)."""
    ahead = "ประกาศเจตนารมณ์ No Gift Policy ประจำปีงบประมาณ 2566 ประกาศ ณ วันที่ 25 กันยายน 2565"
    signed_before = {"signed_before": True}
    assert _run(YearDone, ahead, params=signed_before).met is True
    assert _run(YearDone, ahead).met is False  # an activity must be inside the year
    # signed half a year earlier: last year's declaration with a new heading
    assert _run(YearDone, ahead.replace("กันยายน", "มีนาคม"), params=signed_before).met is False
    # the quarter before, but the text does not say it is for 2566
    undated = "ประกาศเจตนารมณ์ No Gift Policy ประกาศ ณ วันที่ 25 กันยายน 2565"
    assert _run(YearDone, undated, params=signed_before).met is False
