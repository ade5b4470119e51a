"""Evidence rows say where to look: the pages of a document that matched, and the
image a QR code was read from."""

from __future__ import annotations

import pytest

from crawler import Link, PageKind
from rules import ItemStatus, evaluate, load_catalog

REPORT_PAGES = [
    "รายงานผลการดำเนินงานประจำปีงบประมาณ พ.ศ. ๒๕๖๕ องค์การบริหารส่วนตำบลตัวอย่าง",
    "ผลการดำเนินโครงการ ๒๕ โครงการ ผลการใช้จ่ายงบประมาณ ๑๒,๐๐๐,๐๐๐ บาท ปีงบประมาณ ๒๕๖๕",
    "ภาคผนวก รูปภาพกิจกรรม",
    "ปัญหา/อุปสรรค งบประมาณไม่เพียงพอ ข้อเสนอแนะ ควรจัดลำดับความสำคัญของโครงการ",
]


@pytest.fixture(scope="module")
def catalog():
    return load_catalog("ita-2566")


def test_document_evidence_lists_the_pages_that_matched(catalog, site_from_html) -> None:
    site = site_from_html(
        {
            "/": '<a href="/files/annual2565.pdf">รายงานผลการดำเนินงานประจำปี ๒๕๖๕</a>',
            "/files/annual2565.pdf": " ".join(REPORT_PAGES),
        }
    )
    doc = next(p for p in site.pages if p.kind == PageKind.DOCUMENT)
    doc.doc_pages = list(REPORT_PAGES)
    o13 = next(r for r in evaluate(catalog, site) if r.code == "O13")
    assert o13.status == ItemStatus.PASS, [r.en for r in o13.reasons]
    best = o13.evidence[0]
    assert best.kind == "document"
    assert 4 in best.document_pages and 3 not in best.document_pages


def test_page_evidence_has_no_document_pages(catalog, site_from_html) -> None:
    site = site_from_html(
        '<h1>ติดต่อเรา</h1><a href="/contact">ติดต่อเรา</a>'
    )
    for result in evaluate(catalog, site):
        for ev in result.evidence:
            if ev.kind != "document":
                assert ev.document_pages == []


def test_qr_evidence_names_the_image_it_was_read_from(catalog, site_from_html) -> None:
    site = site_from_html('<p>ยินดีต้อนรับ</p><img src="/banner/eit.png" alt="แบบสำรวจ">')
    home = site.pages[0]
    qr = Link(
        url="https://itas.nacc.go.th/go/eit/ab12cd", text="QR code", title="แบบสำรวจ",
        context="ร่วมตอบแบบวัดการรับรู้ EIT", tag="qr", source_url=home.url,
        image_url=home.url.rstrip("/") + "/banner/eit.png",
    )
    home.links.append(qr)
    site.external_links.append((qr, []))
    o43 = next(r for r in evaluate(catalog, site) if r.code == "O43")
    qr_rows = [ev for ev in o43.evidence if ev.url == qr.url]
    assert qr_rows, [e.url for e in o43.evidence]
    assert qr_rows[0].image_url.endswith("/banner/eit.png")
