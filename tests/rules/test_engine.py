"""evaluate(): statuses, evidence, click paths and the engine's edge cases."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from crawler._models import PageKind, SiteCrawl, SiteStatus
from rules import ItemStatus, evaluate, load_catalog
from rules._loader import CATALOGS_DIR
from rules._result import Reason
from rules.checks import REGISTRY, Check, Outcome, register


@pytest.fixture(scope="module")
def catalog():
    return load_catalog("ita-2566")


def _item(catalog, crawl, code):
    return {r.code: r for r in evaluate(catalog, crawl)}[code]


@pytest.mark.parametrize(
    ("status", "th", "en"),
    [
        (
            SiteStatus.UNREACHABLE,
            "เข้าเว็บไซต์ไม่ได้: connection refused",
            "site unreachable: connection refused",
        ),
        (
            SiteStatus.BLOCKED,
            "เว็บไซต์ไม่อนุญาตให้เข้าตรวจ: connection refused",
            "site blocked the crawler",
        ),
        (SiteStatus.ERROR, "ตรวจเว็บไซต์ไม่ได้", "site could not be crawled: connection refused"),
    ],
)
def test_site_not_ok_gives_error_for_every_item(catalog, status, th, en) -> None:
    now = datetime.now(UTC)
    crawl = SiteCrawl(
        "https://x.go.th/", "https://x.go.th/", status, "connection refused", now, now
    )
    results = evaluate(catalog, crawl)
    assert [r.code for r in results] == [i.code for i in catalog.items if i.implemented]
    for r in results:
        assert r.status == ItemStatus.ERROR and not r.evidence
        assert th in r.reasons[0].th and en in r.reasons[0].en


def test_one_result_per_item_with_a_rule_in_catalog_order(catalog, site_from_html) -> None:
    results = evaluate(catalog, site_from_html("<p>ยินดีต้อนรับ</p>"))
    with_rules = [i.code for i in catalog.items if i.implemented]
    assert [r.code for r in results] == with_rules
    assert len(with_rules) == len(catalog.items) == 43
    assert results[0].title_th == "โครงสร้าง" and results[0].title_en == "Organisation structure"
    assert {r.status for r in results if r.code in ("O1", "O5", "O28")} == {ItemStatus.FAIL}


def test_click_path_labels_and_urls(catalog, site_from_html) -> None:
    crawl = site_from_html(
        {
            "/": '<a href="/about">ข้อมูลพื้นฐาน</a>',
            "/about": '<a href="/about/structure">โครงสร้างองค์กร</a>',
            # the chart image: a list of divisions alone is not a chart (issue 8)
            "/about/structure": "<title>โครงสร้างองค์กร</title><p>สำนักปลัด กองคลัง กองช่าง</p>"
            '<img src="/img/chart.png" alt="แผนผังโครงสร้าง">',
        }
    )
    r = _item(catalog, crawl, "O1")
    assert r.status == ItemStatus.PASS
    e = r.evidence[0]
    assert e.kind == "page"
    assert e.url == "https://www.example.go.th/about/structure"
    assert e.click_path == ["หน้าแรก", "ข้อมูลพื้นฐาน", "โครงสร้างองค์กร"]
    assert e.click_path_urls == [
        "https://www.example.go.th/",
        "https://www.example.go.th/about",
        "https://www.example.go.th/about/structure",
    ]
    assert e.sha256 and e.meets_requirements
    assert "หน้าแรก > ข้อมูลพื้นฐาน > โครงสร้างองค์กร" in r.reasons[0].th


def test_evidence_is_bounded_and_best_first(catalog, site_from_html) -> None:
    rows = "".join(f'<li><a href="/f/chart{i}.pdf">แผนผังโครงสร้าง ปี {i}</a></li>' for i in range(9))
    crawl = site_from_html(
        {"/": f"<ul>{rows}</ul><a href='/org'>แผนผังองค์กร</a>", "/org": "<title>x</title>"}
    )
    r = _item(catalog, crawl, "O1")
    assert r.status == ItemStatus.PASS
    assert len(r.evidence) == 5
    scores = [e.score for e in r.evidence if e.meets_requirements]
    assert scores == sorted(scores, reverse=True)


def test_near_misses_come_after_good_evidence(catalog, site_from_html) -> None:
    crawl = site_from_html(
        {
            "/": '<a href="/c1">ติดต่อเรา</a> <a href="/c2">ติดต่อหน่วยงาน</a>',
            "/c1": "<p>โทร 044-123456</p>",
            "/c2": "<p>หมู่ที่ 1 ตำบลเมือง อำเภอเมือง จังหวัดขอนแก่น 40000 โทร 043-123456 "
            "โทรสาร 043-123457 saraban@example.go.th แผนที่ตั้ง</p>",
        }
    )
    r = _item(catalog, crawl, "O5")
    assert r.status == ItemStatus.PASS
    assert [e.url.rsplit("/", 1)[-1] for e in r.evidence] == ["c2", "c1"]
    assert [e.meets_requirements for e in r.evidence] == [True, False]


def test_broken_link_is_not_evidence(catalog, load_fixture, tmp_path) -> None:
    f = tmp_path / "x.html"
    f.write_text(
        '<!-- page: / -->\n<a href="/contact">ติดต่อเรา</a>\n<!-- page: /contact status=404 -->\nNot found',
        encoding="utf-8",
    )
    crawl, _ = load_fixture(f)
    r = _item(catalog, crawl, "O5")
    assert r.status == ItemStatus.FAIL
    assert any("HTTP 404" in x.en for x in r.reasons)
    assert r.evidence[0].url.endswith("/contact") and not r.evidence[0].meets_requirements


def test_template_headings_do_not_make_candidates(catalog, site_from_html) -> None:
    """A sidebar heading present on every page ("ติดต่อเรา") is site template, not the item."""
    sidebar = "<h3>ติดต่อเรา</h3><p>หมู่ 1 ตำบลเมือง อำเภอเมือง จังหวัดเลย 42000 โทร 042-811111 โทรสาร 042-811112 a@b.go.th แผนที่ตั้ง</p>"
    pages = {"/": sidebar + "".join(f'<a href="/n{i}">ข่าว {i}</a>' for i in range(5))}
    pages.update({f"/n{i}": f"<title>เรื่อง {i}</title><h1>เรื่อง {i}</h1>{sidebar}" for i in range(5)})
    r = _item(catalog, site_from_html(pages), "O5")
    assert r.status == ItemStatus.FAIL
    # ...while on a small site (fewer than 4 pages) nothing is treated as template
    small = {"/": '<a href="/n0">ข่าว</a>', "/n0": f"<title>เรื่อง</title>{sidebar}"}
    assert _item(catalog, site_from_html(small), "O5").status == ItemStatus.PASS


def test_off_site_link_found_by_label_only_is_not_trusted(catalog, site_from_html) -> None:
    crawl = site_from_html('<a href="https://www.facebook.com/abt.example">ติดต่อเรา</a>')
    r = _item(catalog, crawl, "O5")
    assert r.status == ItemStatus.PARTIAL
    assert any("another website" in x.en for x in r.reasons)


def test_off_site_link_vouched_by_external_pattern_passes(catalog, site_from_html) -> None:
    crawl = site_from_html('<a href="https://eservice.other-host.go.th/">บริการ</a>')
    r = _item(catalog, crawl, "O18")
    assert r.status == ItemStatus.PASS
    assert r.evidence[0].kind == "external"


def test_clean_link_wins_over_a_look_alike_label_to_the_same_page(catalog, site_from_html) -> None:
    crawl = site_from_html(
        {
            "/": '<a href="/report">แจ้งเบาะแสการทุจริต</a> <a href="/report">ร้องเรียนทั่วไป</a>',
            "/report": '<title>แจ้งเรื่อง</title><form><input name="a"><textarea name="b"></textarea></form>',
        }
    )
    assert _item(catalog, crawl, "O28").status == ItemStatus.PASS


def test_document_text_is_judged_once_extracted(catalog, site_from_html) -> None:
    """A document whose text could not be read is not a pass (the report says what was not
    checked); once the crawler extracts its text, the text checks judge it."""
    crawl = site_from_html(
        {"/": '<a href="/files/contact.pdf">ข้อมูลการติดต่อ</a>', "/files/contact.pdf": ""}
    )
    r = _item(catalog, crawl, "O5")
    assert r.status == ItemStatus.PARTIAL
    assert any("document content not read" in x.en for x in r.reasons)
    doc = next(p for p in crawl.pages if p.kind == PageKind.DOCUMENT)
    doc.text = "หมู่ 1 ตำบลเมือง อำเภอเมือง จังหวัดเลย 42000 โทร 042-811111 a@b.go.th แผนที่ตั้ง"
    r = _item(catalog, crawl, "O5")
    assert r.status == ItemStatus.PARTIAL
    assert any("no fax number" in x.en for x in r.reasons)


def test_a_new_check_type_plugs_in_without_engine_changes(tmp_path: Path, site_from_html) -> None:
    @register
    class MentionsAgency(Check):
        name = "test_mentions_agency"
        from rules.checks._common import TextParams as Params

        judges = frozenset({"page"})
        default_reason = Reason(th="ไม่พบชื่อหน่วยงาน", en="the agency is not named")

        def run(self, cand):  # type: ignore[override]
            text = cand.content()
            return Outcome(None) if text is None else Outcome("อบต" in text)

    try:
        folder = tmp_path / "ita-2566"
        folder.mkdir()
        shutil.copy(CATALOGS_DIR / "ita-2566" / "catalog.yaml", folder)
        (folder / "o3.yaml").write_text(
            "code: O3\ntitle: {th: อำนาจหน้าที่, en: Duties and powers}\nsource: test\n"
            "requirement: {th: ทดสอบ, en: test}\nfind: {keywords: [อำนาจหน้าที่]}\n"
            "require:\n  - test_mentions_agency: {words: [x]}\n",
            encoding="utf-8",
        )
        cat = load_catalog(folder)
        crawl = site_from_html(
            {"/": '<a href="/duty">อำนาจหน้าที่</a>', "/duty": "<p>เทศบาลมีหน้าที่</p>"}
        )
        r = _item(cat, crawl, "O3")
        assert r.status == ItemStatus.PARTIAL
        assert any(x.en == "the agency is not named" for x in r.reasons)
    finally:
        REGISTRY.pop("test_mentions_agency", None)
