"""Document text in the crawl: PDF (text layer and OCR), XLSX, formats not
read, the per-site OCR budget, and a run without Tesseract."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from crawler_media import (
    PDF_PAGE_1,
    PDF_PAGE_2,
    Docs,
    compact,
    make_docs,
    one_page_pdf,
    require_tesseract,
)
from server import Reply, TestServer, html

from crawler import CrawlConfig, Crawler, Page, PageKind, SiteCrawl, SiteStatus

pytestmark = pytest.mark.anyio

Serve = Callable[..., TestServer]
Fast = Callable[..., CrawlConfig]
PDF = {"Content-Type": "application/pdf"}


@pytest.fixture(scope="module")
def docs() -> Docs:
    return make_docs()


async def crawl(seed: str, config: CrawlConfig, **kwargs: Any) -> SiteCrawl:
    async with Crawler(config) as crawler:
        return await crawler.crawl(seed, **kwargs)


def by_path(site: SiteCrawl, server: TestServer) -> dict[str, Page]:
    prefix = server.url("")
    return {p.url.removeprefix(prefix) or "/": p for p in site.pages}


def links(*paths: str) -> str:
    return "".join(f"<a href='{p}'>{p}</a>" for p in paths)


async def test_thai_pdf_text_per_page(serve: Serve, fast: Fast, docs: Docs) -> None:
    server = serve(
        {
            "/": html(links("/files/report.pdf", "/files/budget.xlsx", "/files/old.doc")),
            "/files/report.pdf": Reply(200, PDF, docs.thai_pdf),
            "/files/budget.xlsx": Reply(
                200, {"Content-Type": "application/octet-stream"}, docs.xlsx
            ),
            "/files/old.doc": Reply(
                200,
                {"Content-Type": "application/msword"},
                b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
            ),
        }
    )
    seen: list[Page] = []
    site = await crawl(server.url("/"), fast(), on_page=seen.append)
    assert site.status is SiteStatus.OK
    pages = by_path(site, server)
    report = pages["/files/report.pdf"]
    assert report.kind is PageKind.DOCUMENT and report.error == ""
    assert report.text_source == "text" and report.note == ""
    assert len(report.doc_pages) == 2
    # The evidence can say which page matched: page 2's phrase is on page 2 only.
    assert compact(PDF_PAGE_2[0]) in compact(report.doc_pages[1])
    assert compact(PDF_PAGE_2[0]) not in compact(report.doc_pages[0])
    assert compact(PDF_PAGE_1[0]) in compact(report.text)
    assert compact(PDF_PAGE_2[1]) in compact(report.text)
    assert report in seen and report.text  # on_page sees the text
    sheet = pages["/files/budget.xlsx"]
    assert "โครงการป้องกันการทุจริต" in sheet.text and sheet.text_source == "text"
    legacy = pages["/files/old.doc"]
    assert legacy.text == "" and legacy.doc_pages == [] and legacy.text_source == ""
    assert legacy.note.startswith("format not read: doc")
    assert site.notes == []  # nothing the crawl could not do


async def test_scanned_pdf_is_read_by_ocr(serve: Serve, fast: Fast, docs: Docs) -> None:
    require_tesseract()
    server = serve({"/": html(links("/scan.pdf")), "/scan.pdf": Reply(200, PDF, docs.scanned_pdf)})
    site = await crawl(server.url("/"), fast())
    scan = by_path(site, server)["/scan.pdf"]
    assert scan.text_source == "ocr"
    assert "No Gift Policy" in scan.doc_pages[0]
    assert "ประกาศ" in compact(scan.text)
    assert "read by OCR" in scan.note
    assert site.notes == []


async def test_ocr_budget_per_site(serve: Serve, fast: Fast, docs: Docs) -> None:
    require_tesseract()
    server = serve(
        {
            "/": html(links("/a.pdf", "/b.pdf", "/c.pdf")),
            "/a.pdf": Reply(200, PDF, docs.scanned_pdf),
            "/b.pdf": Reply(200, PDF, docs.scanned_pdf + b"\n% b"),
            "/c.pdf": Reply(200, PDF, docs.thai_pdf),
        }
    )
    site = await crawl(server.url("/"), fast(max_ocr_pages_per_site=1))
    pages = by_path(site, server)
    scans = [pages["/a.pdf"], pages["/b.pdf"]]
    assert sorted(p.text_source for p in scans) == ["", "ocr"]
    unread = next(p for p in scans if p.text_source == "")
    assert "text not read: the site's OCR budget (1 pages) is used up" in unread.note
    assert pages["/c.pdf"].text_source == "text"  # text layers need no OCR budget
    assert site.notes == ["OCR budget (1 pages per site) used up: 1 scanned page(s) not read"]


async def test_without_tesseract_the_scan_runs_and_says_so(
    serve: Serve, fast: Fast, docs: Docs, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")  # no tesseract binary to be found
    server = serve(
        {
            "/": html(links("/a.pdf", "/b.pdf", "/c.pdf")),
            "/a.pdf": Reply(200, PDF, docs.scanned_pdf),
            "/b.pdf": Reply(200, PDF, docs.scanned_pdf + b"\n% b"),
            "/c.pdf": Reply(200, PDF, docs.thai_pdf),
        }
    )
    site = await crawl(server.url("/"), fast())
    assert site.status is SiteStatus.OK
    pages = by_path(site, server)
    for path in ("/a.pdf", "/b.pdf"):
        assert pages[path].text_source == ""
        assert "scanned document, text not read: Tesseract is not installed" in pages[path].note
    assert pages["/c.pdf"].text_source == "text"
    assert site.notes == ["scanned documents not read: Tesseract is not installed"]  # once


async def test_no_scanned_document_no_tesseract_note(
    serve: Serve, fast: Fast, docs: Docs, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    server = serve({"/": html(links("/c.pdf")), "/c.pdf": Reply(200, PDF, docs.thai_pdf)})
    site = await crawl(server.url("/"), fast())
    assert site.notes == []


async def test_extraction_off_and_broken_pdf(serve: Serve, fast: Fast, docs: Docs) -> None:
    server = serve(
        {
            "/": html(links("/c.pdf", "/broken.pdf")),
            "/c.pdf": Reply(200, PDF, docs.thai_pdf),
            "/broken.pdf": Reply(200, PDF, b"%PDF-1.4 not really"),
        }
    )
    site = await crawl(server.url("/"), fast())
    broken = by_path(site, server)["/broken.pdf"]
    assert broken.error == "" and broken.text == ""  # fetched fine; its text is what failed
    assert broken.note.startswith("PDF not readable")
    off = await crawl(server.url("/"), fast(extract_documents=False))
    doc = by_path(off, server)["/c.pdf"]
    assert doc.sha256 and doc.text == "" and doc.doc_pages == [] and doc.note == ""


# --------------------------------------------------------------- old Thai fonts

_MARKS = bytes([0xD1, 0xD4, 0xD5, 0xD6, 0xD7, 0xE7, 0xE8, 0xE9, 0xEA, 0xEB])


def _legacy_font_pdf(line: str, *, private: bool = False) -> bytes:
    """A one-page PDF whose Thai is shown through a pre-Unicode Thai font: the bytes are
    TIS-620 codes under a Latin font and no ToUnicode map, so the text layer reads as
    Latin-1 symbols. ``private``: a font of its own mapping (every byte a tone mark's
    code), which no decoding turns back into Thai."""
    raw = line.encode("cp874")
    if private:
        raw = bytes(_MARKS[b % len(_MARKS)] if b >= 0xA1 else b for b in raw)
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /PSL-Kanda /Encoding /WinAnsiEncoding >>"
    return one_page_pdf(raw, font)


async def test_old_thai_font_text_is_decoded_or_marked_unreadable(
    serve: Serve, fast: Fast
) -> None:
    line = "แผนการดำเนินงาน ประจำปีงบประมาณ พ.ศ. ๒๕๖๖ โครงการก่อสร้างถนน งบประมาณ ๕๐๐,๐๐๐ บาท"
    server = serve(
        {
            "/": html(links("/tis.pdf", "/own.pdf")),
            "/tis.pdf": Reply(200, PDF, _legacy_font_pdf(line)),
            "/own.pdf": Reply(200, PDF, _legacy_font_pdf(line, private=True)),
        }
    )
    site = await crawl(server.url("/"), fast())
    pages = by_path(site, server)
    tis = pages["/tis.pdf"]
    # the TIS-620 mapping is read back exactly: the rules see what a reader sees
    assert compact(line) in compact(tis.text), tis.text[:200]
    assert compact(line) in compact(tis.doc_pages[0])
    assert "decoded as TIS-620" in tis.note
    own = pages["/own.pdf"]
    assert "ก" not in own.text and own.text  # symbols, kept as read
    assert own.note.startswith("text not readable: an old non-Unicode Thai font")
