"""PDF text: a Thai PDF printed by Chromium, bounds, hostile input."""

from __future__ import annotations

import io
import os
import time

import pypdfium2 as pdfium
from extract_support import PAGE_1, PAGE_2, Docs, compact

from extract import Limits, extract_text
from extract.pdf import read_pdf


def test_thai_pdf_is_read_page_by_page(docs: Docs) -> None:
    doc = extract_text(docs.thai_pdf, "application/pdf", "https://agency.go.th/report.pdf")
    assert doc.format == "pdf" and doc.error == "" and not doc.truncated
    assert doc.page_count == 2 and [page.number for page in doc.pages] == [1, 2]
    assert all(page.source == "text" and not page.scanned for page in doc.pages)
    for phrase in PAGE_1:
        assert compact(phrase) in compact(doc.pages[0].text)
    for phrase in PAGE_2:
        assert compact(phrase) in compact(doc.pages[1].text)
        assert compact(phrase) not in compact(doc.pages[0].text)
    assert compact(PAGE_2[0]) in compact(doc.text)


def test_format_comes_from_the_bytes_not_the_label(docs: Docs) -> None:
    # Agency servers send PDFs as octet-stream or text/html, behind .php links.
    doc = extract_text(docs.thai_pdf, "text/html", "https://agency.go.th/download.php?id=7")
    assert doc.format == "pdf" and doc.page_count == 2


def _blank_pdf(pages: int) -> bytes:
    pdf = pdfium.PdfDocument.new()
    for _ in range(pages):
        pdf.new_page(595, 842).close()
    out = io.BytesIO()
    pdf.save(out)
    pdf.close()
    return out.getvalue()


def test_page_limit() -> None:
    body = _blank_pdf(3000)
    started = time.monotonic()
    doc = extract_text(body, "application/pdf", "", Limits(max_pages=50))
    assert time.monotonic() - started < 5
    assert doc.page_count == 3000 and len(doc.pages) == 50
    assert doc.truncated and "page limit of 50" in doc.note and doc.error == ""


def test_time_budget() -> None:
    doc = read_pdf(_blank_pdf(5), Limits(time_budget=0.0))
    assert doc.truncated and "time budget" in doc.note and len(doc.pages) < 5


def test_text_limit(docs: Docs) -> None:
    doc = read_pdf(docs.thai_pdf, Limits(max_chars=30))
    assert len(doc.text.replace("\n\f\n", "")) <= 30 and doc.truncated


def test_size_limit(docs: Docs) -> None:
    doc = extract_text(docs.thai_pdf, "application/pdf", "", Limits(max_bytes=1000))
    assert doc.error.startswith("document too large")


def test_garbage_and_truncated_pdfs_give_errors_not_exceptions(docs: Docs) -> None:
    for body in (
        b"%PDF-1.7\n" + os.urandom(20_000),
        b"%PDF-1.4\n1 0 obj << /Type /Pages /Count 999999999 /Kids [1 0 R] >> endobj\ntrailer << /Root 1 0 R >>",
        docs.thai_pdf[: len(docs.thai_pdf) // 2],
        b"%PDF-",
    ):
        doc = extract_text(body, "application/pdf", "x.pdf")
        assert doc.format == "pdf"
        assert doc.error or doc.pages is not None  # either refused or partly read, never raised
        assert len(doc.pages) <= Limits().max_pages


def test_unknown_and_legacy_formats_are_named() -> None:
    legacy = extract_text(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "application/msword", "a.doc")
    assert legacy.format == "doc" and "format not read" in legacy.note and legacy.pages == []
    xls = extract_text(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "", "https://x/list.xls")
    assert xls.format == "xls"
    html = extract_text(b"<html><body>hi</body></html>", "text/html", "https://x/")
    assert html.format == "unknown" and "format not read" in html.error
    assert extract_text(b"", "", "").error
