"""OCR of scanned PDF pages, and what happens without Tesseract."""

from __future__ import annotations

from pathlib import Path

import pytest
from extract_support import SCANNED, Docs, compact

from extract import Limits, extract_text, ocr_available


@pytest.mark.usefixtures("tesseract")
def test_scanned_pdf_is_read_by_ocr(docs: Docs) -> None:
    doc = extract_text(docs.scanned_pdf, "application/pdf", "https://agency.go.th/nogift.pdf")
    assert doc.error == "" and doc.page_count == 1
    page = doc.pages[0]
    assert page.scanned and page.source == "ocr" and doc.ocr_used
    for phrase in SCANNED:
        assert compact(phrase) in compact(page.text), page.text
    assert "read by OCR" in doc.note


@pytest.mark.usefixtures("tesseract")
def test_ocr_page_limit(docs: Docs) -> None:
    doc = extract_text(docs.scanned_pdf, "application/pdf", "", Limits(max_ocr_pages=0))
    assert doc.pages[0].source == "text" and doc.pages[0].text == ""
    assert "text not read" in doc.note and "OCR page limit" in doc.note and doc.truncated


def test_without_tesseract_the_note_says_text_not_read(docs: Docs, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no tesseract on PATH
    assert not ocr_available()
    doc = extract_text(docs.scanned_pdf, "application/pdf", "")
    assert doc.error == ""
    assert "scanned document, text not read: Tesseract is not installed" in doc.note
    assert doc.pages[0].scanned and doc.pages[0].source == "text" and doc.pages[0].text == ""


def test_tesseract_without_thai_data_is_named(docs: Docs, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "tesseract"
    fake.write_text('#!/bin/sh\necho "List of available languages in \\"/x/\\" (1):"\necho eng\n')
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    doc = extract_text(docs.scanned_pdf, "application/pdf", "")
    assert "text not read" in doc.note and "tesseract-ocr-tha" in doc.note


def test_ocr_can_be_turned_off(docs: Docs) -> None:
    doc = extract_text(docs.scanned_pdf, "application/pdf", "", Limits(ocr=False))
    assert "text not read: OCR is off" in doc.note


def test_pages_with_text_are_not_ocred(docs: Docs) -> None:
    doc = extract_text(docs.thai_pdf, "application/pdf", "")
    assert not doc.ocr_used and "OCR" not in doc.note
