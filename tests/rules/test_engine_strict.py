"""The engine judging like a strict consultant (issue 8): a disqualifier decides the
status, unreadable content is not a pass, collections split over ``?page=N`` pages and
linked documents are judged as a whole, and a page the crawler had found is used when
it was fetched under another URL (or the "not fetched" reason says why it was not)."""

from __future__ import annotations

import pytest

from crawler._models import Skip
from extract.legacy import looks_undecodable, repair_tis620
from rules import ItemStatus, evaluate, load_catalog
from rules._result import Reason
from rules._site import listing_key, loose_key

THAI = "รายงานผลการดำเนินงานประจำปีงบประมาณ ปัญหาและอุปสรรค ข้อเสนอแนะ การประเมิน"
LEGACY = THAI.encode("tis-620").decode("latin-1")  # what an old Thai font extracts as


@pytest.fixture(scope="module")
def catalog():
    return load_catalog("ita-2566")


def _item(catalog, crawl, code, agency=None):
    return evaluate(catalog, crawl, agency, only=[code])[0]


# --- reasons -----------------------------------------------------------------------------


def test_a_reason_is_not_a_rejection_unless_flagged_and_the_flag_does_not_split_reasons() -> None:
    plain = Reason("ก", "a")
    assert plain.rejects is False
    assert plain.rejecting().rejects is True
    assert plain.rejecting() == plain  # the same sentence: deduplicated as one
    assert Reason(th="x", en="y") == Reason("x", "y", True)


# --- point 2: another agency's name ------------------------------------------------------


def test_a_copied_page_is_partial_and_the_agencys_own_page_still_passes(
    catalog, site_from_html
) -> None:
    own = "องค์การบริหารส่วนตำบลบึงกระจับ"
    copied = (
        "<title>ประกาศเจตนารมณ์ No Gift Policy</title>"
        "<p>เจ้าหน้าที่เทศบาลตำบลศาลาลายทุกคนจะไม่รับของขวัญและของกำนัล</p>"
        "<p>ประกาศ ณ วันที่ ๓ ตุลาคม ๒๕๖๕ ลงชื่อ นายก</p>"
    )
    crawl = site_from_html({"/": '<a href="/ng">ประกาศเจตนารมณ์ No Gift Policy</a>', "/ng": copied})
    r = _item(catalog, crawl, "O31", own)
    assert r.status == ItemStatus.PARTIAL
    assert any("ศาลาลาย" in x.th and x.rejects for x in r.reasons)
    assert not r.evidence[0].meets_requirements

    mine = copied.replace("เทศบาลตำบลศาลาลาย", "องค์การบริหารส่วนตำบลบึงกระจับ")
    crawl = site_from_html(
        {
            "/": '<a href="/ng">ประกาศเจตนารมณ์ No Gift Policy</a>'
            '<a href="/ng2">ประกาศเจตนารมณ์ No Gift Policy ฉบับลงนาม</a>',
            "/ng": copied,
            "/ng2": mine,
        }
    )
    r = _item(catalog, crawl, "O31", own)
    assert r.status == ItemStatus.PASS
    assert r.evidence[0].url.endswith("/ng2")
    assert not any(x.rejects for x in r.reasons)
    assert not any("ศาลาลาย" in x.th for x in r.reasons)


# --- point 6: unreadable content ---------------------------------------------------------


def test_legacy_font_text_is_told_apart_and_tis620_is_decoded() -> None:
    assert looks_undecodable(LEGACY)
    assert not looks_undecodable(THAI)
    assert not looks_undecodable("Café au lait, crème brûlée, naïve résumé " * 3)
    assert repair_tis620(LEGACY) == THAI
    # symbols that are not TIS-620 either: not guessed
    assert repair_tis620("ÿþýüÿþýüÿþýüÿþýüÿþýüÿþýü") is None


def test_a_scanned_document_is_partial_with_the_crawlers_note(catalog, site_from_html) -> None:
    crawl = site_from_html({"/": '<a href="/files/contact.pdf">ข้อมูลการติดต่อ</a>', "/files/contact.pdf": ""})
    doc = next(p for p in crawl.pages if p.url.endswith(".pdf"))
    doc.note = "scanned document, text not read: Tesseract is not installed"
    r = _item(catalog, crawl, "O5")
    assert r.status == ItemStatus.PARTIAL
    why = next(x for x in r.reasons if "document content not read" in x.en)
    assert why.rejects and "Tesseract is not installed" in why.en and "Tesseract" in why.th


def test_legacy_font_garbage_is_not_read_as_text(catalog, site_from_html) -> None:
    crawl = site_from_html({"/": '<a href="/files/ar.pdf">รายงานผลการดำเนินงานประจำปี 2565</a>', "/files/ar.pdf": LEGACY})
    r = _item(catalog, crawl, "O13")
    assert r.status == ItemStatus.PARTIAL
    assert any("old non-Unicode Thai font" in x.en for x in r.reasons)


def test_an_image_does_not_pass_an_item_that_needs_text_but_a_chart_image_does(
    catalog, site_from_html
) -> None:
    crawl = site_from_html(
        {"/": '<a href="/img/nogift.jpg">ประกาศเจตนารมณ์ No Gift Policy ปี 2566</a>', "/img/nogift.jpg": ""}
    )
    r = _item(catalog, crawl, "O31")
    assert r.status == ItemStatus.PARTIAL
    assert any("image whose text is not read" in x.en for x in r.reasons)
    # O1 only needs to see the chart: an image of it is the evidence itself
    crawl = site_from_html({"/": '<a href="/img/chart.jpg">โครงสร้างองค์กร</a>', "/img/chart.jpg": ""})
    assert _item(catalog, crawl, "O1").status == ItemStatus.PASS


def test_a_readable_candidate_wins_over_an_unreadable_one(catalog, site_from_html) -> None:
    crawl = site_from_html(
        {
            "/": '<a href="/files/c.pdf">ข้อมูลการติดต่อ (PDF)</a> <a href="/contact">ติดต่อเรา</a>',
            "/files/c.pdf": "",
            "/contact": "<title>ติดต่อเรา</title><p>หมู่ 1 ตำบลเมือง อำเภอเมือง จังหวัดเลย 42000 "
            "โทร 042-811111 โทรสาร 042-811112 saraban@abt.go.th แผนที่</p>"
            '<iframe src="https://www.google.com/maps/embed?pb=1"></iframe>',
        }
    )
    r = _item(catalog, crawl, "O5")
    assert r.status == ItemStatus.PASS and r.evidence[0].url.endswith("/contact")
    assert not any(x.rejects for x in r.reasons)


# --- point 5: collections ----------------------------------------------------------------


def test_listing_keys_tell_pagination_from_other_listings() -> None:
    assert listing_key("https://x.go.th/news?cat=3&page=2") == ("x.go.th/news?cat=3", 2)
    assert listing_key("https://www.x.go.th/news?cat=3")[0] == "x.go.th/news?cat=3"
    assert listing_key("https://x.go.th/news/page/4/") == ("x.go.th/news?", 4)
    # a fiscal-year tab is another listing, not another page of this one
    assert listing_key("https://x.go.th/skr?year=2566")[0] != listing_key("https://x.go.th/skr?year=2565")[0]
    assert loose_key("http://www.x.go.th/a/") == loose_key("https://x.go.th/a#top")


def _months(months: list[str]) -> str:
    return "".join(f"<li><a href='/f/{abs(hash(m))}.pdf'>สขร.๑ เดือน{m}</a></li>" for m in months)


def test_a_collection_over_two_pages_is_judged_whole(catalog, site_from_html) -> None:
    first = _months(["ตุลาคม 2565", "พฤศจิกายน 2565", "ธันวาคม 2565"])
    second = _months(["มกราคม 2566", "กุมภาพันธ์ 2566", "มีนาคม 2566"])
    title = "<title>สรุปผลการจัดซื้อจัดจ้างรายเดือน ปีงบประมาณ 2566</title>"
    pages = {
        "/": '<a href="/skr">สรุปผลการจัดซื้อจัดจ้างรายเดือน</a>',
        "/skr": f"{title}<ul>{first}</ul><a href='/skr?page=2'>2</a>",
        "/skr?page=2": f"{title}<ul>{second}</ul><a href='/skr'>1</a>",
    }
    r = _item(catalog, site_from_html(pages), "O21")
    assert r.status == ItemStatus.PASS
    assert "judged as a whole" in r.evidence[0].matched
    # a link to another fiscal-year tab is not a continuation: its months (Jan–Mar 2565,
    # of fiscal year 2565) do not complete this year's
    old = _months(["มกราคม 2565", "กุมภาพันธ์ 2565", "มีนาคม 2565"])
    pages["/skr"] = f"{title}<ul>{first}</ul><a href='/skr?year=2565'>ปี 2565</a>"
    pages.pop("/skr?page=2")
    pages["/skr?year=2565"] = (
        "<title>สรุปผลการจัดซื้อจัดจ้างรายเดือน ปีงบประมาณ 2565</title>"
        f"<ul>{old}</ul><a href='/skr'>ปี 2566</a>"
    )
    r = _item(catalog, site_from_html(pages), "O21")
    assert r.status == ItemStatus.PARTIAL, [x.en for x in r.reasons]


def test_linked_documents_join_a_collection_but_another_items_document_does_not(
    catalog, site_from_html
) -> None:
    stats = (
        "<title>สถิติเรื่องร้องเรียนการทุจริต</title><p>เรื่องร้องเรียนการทุจริตทั้งหมด 2 "
        "ดำเนินการแล้วเสร็จ 1 อยู่ระหว่างดำเนินการ 1</p>"
    )
    year_text = "ข้อมูลระหว่าง ๑ ตุลาคม ๒๕๖๕ ถึง ๓๑ มีนาคม ๒๕๖๖"
    base = {"/": '<a href="/cs">สถิติเรื่องร้องเรียนการทุจริต</a>'}
    linked = {**base, "/cs": stats + '<a href="/f/r.pdf">ดาวน์โหลด</a>', "/f/r.pdf": year_text}
    assert _item(catalog, site_from_html(linked), "O29").status == ItemStatus.PASS
    # the same document, but it is the procurement plan (another item found it by its label)
    other = {
        **base,
        "/cs": stats + '<a href="/f/r.pdf">แผนการจัดซื้อจัดจ้าง ประจำปี</a>',
        "/f/r.pdf": year_text,
    }
    assert _item(catalog, site_from_html(other), "O29").status == ItemStatus.PARTIAL


def test_merging_never_makes_a_passing_page_worse(catalog, site_from_html) -> None:
    """A duties page linking to the whole Act as a reference still passes O3: the page
    alone is judged first, the collection only when the page alone does not pass."""
    act = " ".join(f"มาตรา {i} ข้อความ" for i in range(1, 120))
    crawl = site_from_html(
        {
            "/": '<a href="/duty">อำนาจหน้าที่</a>',
            "/duty": "<title>อำนาจหน้าที่</title><p>ตามพระราชบัญญัติสภาตำบลและองค์การบริหารส่วนตำบล "
            "องค์การบริหารส่วนตำบลมีอำนาจหน้าที่ "
            "ในการพัฒนาตำบล ทั้งในด้านเศรษฐกิจ สังคม และวัฒนธรรม จัดให้มีและบำรุงรักษาทางน้ำและทางบก "
            "รักษาความสะอาดของถนน ป้องกันโรค ส่งเสริมการศึกษา</p>"
            '<a href="/f/act.pdf">เอกสารประกอบ</a>',
            "/f/act.pdf": act,
        }
    )
    with_act = _item(catalog, crawl, "O3")
    crawl.pages = [p for p in crawl.pages if not p.url.endswith(".pdf")]
    alone = _item(catalog, crawl, "O3")
    assert alone.status == ItemStatus.PASS, [x.en for x in alone.reasons]
    assert with_act.status == ItemStatus.PASS


# --- point 1: found, then not fetched ----------------------------------------------------


_CONTACT = (
    "<title>หน้า 12</title><p>หมู่ 1 ตำบลเมือง อำเภอเมือง จังหวัดเลย 42000 "
    "โทร 042-811111 โทรสาร 042-811112 saraban@abt.go.th แผนที่</p>"
    '<iframe src="https://www.google.com/maps/embed?pb=1"></iframe>'
)


def test_a_page_fetched_under_another_spelling_is_used(catalog, site_from_html) -> None:
    crawl = site_from_html(
        {"/": '<a href="http://www.example.go.th/c/">ข้อมูลการติดต่อ</a>', "/c": _CONTACT}
    )
    r = _item(catalog, crawl, "O5")
    assert r.status == ItemStatus.PASS, [x.en for x in r.reasons]


def test_a_page_skipped_as_a_redirect_to_a_fetched_page_is_used(catalog, site_from_html) -> None:
    crawl = site_from_html({"/": '<a href="/go?id=7">ข้อมูลการติดต่อ</a>', "/c": _CONTACT})
    crawl.skipped.append(
        Skip(
            "https://www.example.go.th/go?id=7",
            "duplicate",
            "redirects to https://www.example.go.th/c, fetched already",
        )
    )
    assert _item(catalog, crawl, "O5").status == ItemStatus.PASS


def test_not_fetched_says_why_when_the_crawler_said(catalog, site_from_html) -> None:
    crawl = site_from_html({"/": '<a href="/deep/contact">ข้อมูลการติดต่อ</a>'})
    r = _item(catalog, crawl, "O5")
    assert r.status == ItemStatus.PARTIAL
    assert any("was not fetched" in x.en and x.rejects for x in r.reasons)
    crawl.skipped.append(
        Skip("https://www.example.go.th/deep/contact", "budget", "page budget (300) reached")
    )
    r = _item(catalog, crawl, "O5")
    why = next(x for x in r.reasons if "was not fetched" in x.en)
    assert "page budget (300) reached" in why.en and "จำนวนหน้าสูงสุด" in why.th
    # a document behind a label, never fetched: not a pass on its label (and says why)
    crawl = site_from_html({"/": '<a href="/files/big.pdf">ข้อมูลการติดต่อ</a>'})
    crawl.skipped.append(Skip("https://www.example.go.th/files/big.pdf", "size", "document of 90000000 bytes > 26214400 bytes"))
    r = _item(catalog, crawl, "O5")
    assert r.status == ItemStatus.PARTIAL
    assert any("larger than the size limit" in x.en for x in r.reasons)


def test_the_crawler_decodes_or_notes_an_old_thai_font() -> None:
    """crawler/_documents.py: text of an old non-Unicode Thai font in the common TIS-620
    mapping is decoded back to Thai (and says so); a font with a mapping of its own gets a
    note saying it is not readable (kept as read); ordinary Thai text gets none."""
    from datetime import UTC, datetime

    from crawler._documents import SiteDocuments
    from crawler._models import Page, PageKind

    def doc(text: str) -> Page:
        return Page("https://x.go.th/a.pdf", "https://x.go.th/a.pdf", PageKind.DOCUMENT, 200,
                    "application/pdf", 1, "", datetime.now(UTC), 1, text=text, doc_pages=[text])

    legacy = doc(LEGACY)
    assert "decoded as TIS-620" in SiteDocuments._legacy_font(legacy)
    assert legacy.text == THAI and legacy.doc_pages == [THAI]
    marks = "".join("\u00e8\u00e9\u00d4"[i % 3] for i in range(60))  # no consonant to sit on
    private = doc(marks)
    assert "not readable" in SiteDocuments._legacy_font(private) and private.text == marks
    assert SiteDocuments._legacy_font(doc(THAI)) == ""


def test_entries_of_one_listing_lend_each_other_coverage_but_not_contents(
    catalog, site_from_html
) -> None:
    """Last year's complete report on the same listing must not complete this year's
    report: only coverage (every month, six months) is judged over a listing's entries."""
    full = (
        "<title>รายงานผลการดำเนินงานประจำปี 2564</title><p>ผลการดำเนินงาน 40 โครงการ "
        "เบิกจ่ายงบประมาณ 10,000,000 บาท ปัญหาและอุปสรรค งบประมาณไม่เพียงพอ ข้อเสนอแนะ ควรวางแผน</p>"
    )
    thin = "<title>รายงานผลการดำเนินงานประจำปี 2565</title><p>ผลการดำเนินงาน 42 โครงการ</p>"
    crawl = site_from_html(
        {
            "/": '<a href="/reports">เอกสารเผยแพร่</a>',
            "/reports": '<ul><li><a href="/r64">รายงานผลการดำเนินงานประจำปี 2564</a></li>'
            '<li><a href="/r65">รายงานผลการดำเนินงานประจำปี 2565</a></li></ul>',
            "/r64": full,
            "/r65": thin,
        }
    )
    r = _item(catalog, crawl, "O13")
    assert r.status == ItemStatus.PARTIAL, [x.en for x in r.reasons]
