"""Result and limit types shared by every extractor.

Extractors read untrusted bytes from agency websites, so none of them raises
on bad input: a failure is a :class:`DocumentText` whose ``error`` says why,
and a partial read says so in ``truncated`` and ``note``. The scan can then
report "document not read: <why>" instead of losing the whole site.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

__all__ = ["DocumentText", "Limits", "PageText", "TextSource"]

TextSource = Literal["text", "ocr"]

MiB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Limits:
    """Upper bounds for one extraction. The defaults suit a nightly scan of
    thousands of sites on a 2-core machine; tests shrink them."""

    max_bytes: int = 50 * MiB  # body size accepted at all
    max_pages: int = 50  # PDF pages (or sheets / slides) read
    time_budget: float = 20.0  # seconds per document, checked between pages
    max_chars: int = 2_000_000  # text kept per document
    # OCR (PDF pages without a text layer): seconds of Tesseract each, so few.
    ocr: bool = True
    max_ocr_pages: int = 5
    ocr_dpi: int = 200  # Tesseract reads Thai well from 200-300 DPI
    ocr_timeout: float = 30.0  # per page
    ocr_max_pixels: int = 12_000_000  # rendered page size cap (A4 at 300 DPI is ~8.7 MP)
    # Images (QR decoding).
    max_image_pixels: int = 50_000_000  # a 1280 px wide full-page screenshot at 2x is ~30 MP
    # Zip containers (DOCX, XLSX, PPTX).
    max_unzipped_bytes: int = 100 * MiB
    max_zip_members: int = 5_000
    max_compression_ratio: float = 200.0  # Office XML deflates ~5-30x; bombs 1000x+
    # Spreadsheets.
    max_rows: int = 20_000  # per sheet
    max_cells: int = 200_000  # per workbook


@dataclass(frozen=True, slots=True)
class PageText:
    """Text of one page (PDF page, spreadsheet sheet, slide; a DOCX is one page).

    ``text`` is raw: PDF extraction puts stray spaces inside Thai words, and
    the rules engine compares with whitespace removed, so nothing here tries
    to "fix" it. ``scanned`` marks a page with images but no text layer (the
    OCR candidates); after OCR its ``source`` is ``"ocr"``.
    """

    number: int  # 1-based
    text: str
    source: TextSource = "text"
    scanned: bool = False


@dataclass(frozen=True, slots=True)
class DocumentText:
    """What could be read from one document."""

    format: str  # "pdf", "docx", "xlsx", "pptx", "doc", ... or "unknown"
    pages: list[PageText] = field(default_factory=list)
    page_count: int = 0  # pages in the document, also those not read
    truncated: bool = False  # a limit stopped the read early
    note: str = ""  # human-readable remarks, e.g. why pages were not read
    error: str = ""  # broken or refused by a limit (a format we do not read is only a note)

    @property
    def ok(self) -> bool:
        return not self.error

    @property
    def text(self) -> str:
        """All pages' text, pages separated by a form feed."""
        return "\n\f\n".join(page.text for page in self.pages)

    @property
    def ocr_used(self) -> bool:
        return any(page.source == "ocr" for page in self.pages)


def join_notes(*notes: str) -> str:
    """Join the non-empty notes into one sentence list."""
    return "; ".join(note for note in notes if note)
