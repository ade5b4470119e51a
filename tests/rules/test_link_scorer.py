"""catalog.link_scorer(): the crawler fetches relevant links first."""

from __future__ import annotations

import pytest

from crawler._models import Link
from rules import load_catalog


def L(
    text: str = "",
    url: str = "https://www.example.go.th/x",
    *,
    title: str = "",
    context: str = "",
    tag: str = "a",
) -> Link:
    return Link(
        url=url,
        text=text,
        title=title,
        context=context,
        tag=tag,
        source_url="https://www.example.go.th/",
    )


@pytest.fixture(scope="module")
def score():
    return load_catalog("ita-2566").link_scorer()


def test_relevant_links_rank_above_irrelevant(score) -> None:
    relevant = [
        L("โครงสร้างส่วนราชการ"),
        L("ติดต่อเรา"),
        L("E-Service"),
        L("แจ้งเรื่องร้องเรียนการทุจริต"),
        L("นโยบายคุ้มครองข้อมูลส่วนบุคคล"),
        L("", "https://itas.nacc.go.th/go/eit/lglly5", title="EIT"),
        L("", "https://www.facebook.com/abt.example"),
    ]
    irrelevant = [
        L("ปฏิทินกิจกรรม"),
        L("ประวัติความเป็นมา"),
        L("แหล่งท่องเที่ยว"),
        L("เปิด", context="ดาวน์โหลดโปรแกรมอ่านไฟล์"),
    ]
    lowest_relevant = min(score(x) for x in relevant)
    assert lowest_relevant > 0.5
    for x in irrelevant:
        assert score(x) == 0, x
    assert all(0 <= score(x) <= 1 for x in relevant + irrelevant)


def test_hub_pages_score_high(score) -> None:
    assert score(L("ITA 2566")) >= 0.8
    assert score(L("การเปิดเผยข้อมูลสาธารณะ (OIT)")) >= 0.8
    assert score(L("Digital Government")) == 0  # "ita" inside "digital" is not ITA


def test_hub_row_label_is_read_from_context(score) -> None:
    assert score(L("เปิด", context="O5 ข้อมูลการติดต่อ เปิด")) > 0.5
    assert score(L("คลิก", context="ข่าวประชาสัมพันธ์ คลิก")) > 0.5
    # the context is not read when the link says what it is
    assert score(L("ปฏิทิน", context="ติดต่อเรา ปฏิทิน")) == 0


def test_item_codes_alone_do_not_score(score) -> None:
    assert score(L("O5", context="O5 ๐๕")) == 0
    assert score(L("๐๑๘")) == 0


def test_online_is_not_line(score) -> None:
    assert score(L("สื่อการเรียนรู้ออนไลน์")) == 0
    assert score(L("ไลน์ อบต.")) > 0.5


def test_look_alikes_score_low_but_not_zero(score) -> None:
    general = score(L("ร้องเรียนร้องทุกข์", "https://www.example.go.th/public/complaintgeneral/1"))
    assert 0 < general < score(L("ร้องเรียนการทุจริต"))


def test_url_only_match_scores_less_than_label(score) -> None:
    by_url = score(L("หน้า 2", "https://www.example.go.th/public/fraudcomplaint/data"))
    by_label = score(L("แจ้งเบาะแสการทุจริต"))
    assert 0 < by_url < by_label
