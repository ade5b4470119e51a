"""Document text: each fetched PDF / DOCX / XLSX / PPTX is read into its Page.

Reading runs in a worker thread (``extract`` is synchronous and CPU-bound;
PDFium is serialised by a lock inside ``extract``), at most
``CrawlConfig.extract_concurrency`` documents at once for the whole Crawler,
so a site of big PDFs cannot starve the event loop or the other sites.

The body is not kept: the caller drops it once :meth:`DocumentReader.read`
returns, so a nightly crawl holds at most one body per worker in memory.

OCR (Tesseract, seconds per page) is bounded per document and per site
(``max_ocr_pages_per_site``): pages are reserved before a document is read
and the unused part given back, so concurrent reads cannot overshoot.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import anyio
import anyio.to_thread

from extract import DocumentText, Limits, extract_text, ocr_status
from extract.legacy import UNDECODABLE_NOTE, looks_undecodable, repair_tis620

from ._config import CrawlConfig
from ._models import Page

__all__ = ["DocumentReader", "SiteDocuments"]

logger = logging.getLogger("crawler")

# What extract says when OCR was switched off for a document; for us that
# only happens when the site's OCR budget is used up, so we say that instead.
_OCR_OFF = "OCR is off"


class DocumentReader:
    """Shared by every site of one Crawler: the thread limiter."""

    def __init__(self, config: CrawlConfig) -> None:
        self.config = config
        self.limiter = anyio.CapacityLimiter(max(1, config.extract_concurrency))

    async def extract(
        self, body: bytes, content_type: str, url: str, limits: Limits
    ) -> DocumentText:
        """``extract_text`` in a worker thread. Never raises."""
        try:
            return await anyio.to_thread.run_sync(
                extract_text, body, content_type, url, limits, limiter=self.limiter
            )
        except Exception as exc:  # extract never raises by contract; a bug must not stop a site
            logger.exception("crawler: document extraction failed for %s", url)
            return DocumentText("unknown", error=f"internal error: {type(exc).__name__}: {exc}")


LEGACY_DECODED_NOTE = "text of an old non-Unicode Thai font, decoded as TIS-620"


@dataclass
class SiteDocuments:
    """One site's document reading: its OCR budget and what it could not do."""

    reader: DocumentReader
    ocr_used: int = 0  # OCR pages done or reserved
    unread_scans: int = 0  # scanned pages left unread, for any reason
    budget_unread: int = 0  # ... because the site's OCR budget was used up
    no_ocr_reason: str = ""  # Tesseract missing or without Thai, when a scan needed it

    async def read(self, page: Page, body: bytes) -> None:
        """Fill ``page.text``, ``doc_pages``, ``text_source`` and ``note``."""
        config = self.reader.config
        if not config.extract_documents or not body:
            return
        reserved = max(
            0, min(config.max_ocr_pages_per_document, config.max_ocr_pages_per_site - self.ocr_used)
        )
        self.ocr_used += reserved
        limits = Limits(
            max_bytes=max(config.max_document_bytes, 1),
            max_pages=config.max_document_pages,
            time_budget=config.document_time_budget,
            max_chars=config.max_document_chars,
            ocr=reserved > 0,
            max_ocr_pages=max(reserved, 1),
        )
        doc = await self.reader.extract(body, page.content_type, page.final_url, limits)
        # Give back the reserved OCR pages this document did not use.
        ocr_pages = sum(1 for p in doc.pages if p.source == "ocr")
        self.ocr_used -= reserved - min(ocr_pages, reserved)
        self._fill(page, doc, budget_off=reserved == 0)

    def _fill(self, page: Page, doc: DocumentText, *, budget_off: bool) -> None:
        config = self.reader.config
        page.doc_pages = [p.text for p in doc.pages]
        page.text = doc.text
        sources = {p.source for p in doc.pages if p.text.strip()}
        page.text_source = "mixed" if len(sources) > 1 else next(iter(sources), "")
        note = doc.note
        if budget_off and _OCR_OFF in note:
            note = note.replace(
                _OCR_OFF,
                f"the site's OCR budget ({config.max_ocr_pages_per_site} pages) is used up",
            )
        page.note = "; ".join(n for n in (doc.error, note, self._legacy_font(page)) if n)
        unread = sum(1 for p in doc.pages if p.scanned and p.source == "text")
        if not unread:
            return
        self.unread_scans += unread
        if budget_off:
            self.budget_unread += unread
        elif not self.no_ocr_reason:
            usable, why = ocr_status()  # cached by extract: cheap after the first call
            if not usable:
                self.no_ocr_reason = why

    @staticmethod
    def _legacy_font(page: Page) -> str:
        """Text of an old non-Unicode Thai font (Latin-1 symbols where the Thai should be):
        decoded back to Thai when it is the common TIS-620 mapping (what a consultant sees
        in print is then what the rules read), else left as read and noted, so the rules
        engine reports the document as unreadable instead of judging symbols. "" for
        ordinary text."""
        if not looks_undecodable(page.text):
            return ""
        repaired = repair_tis620(page.text)
        if repaired is None:
            return UNDECODABLE_NOTE
        page.text = repaired
        page.doc_pages = [repair_tis620(t) or t if looks_undecodable(t) else t for t in page.doc_pages]
        return LEGACY_DECODED_NOTE

    def site_notes(self) -> list[str]:
        """What the site's report should say about documents not read."""
        config = self.reader.config
        notes: list[str] = []
        if self.no_ocr_reason:
            notes.append(f"scanned documents not read: {self.no_ocr_reason}")
        if self.budget_unread:
            notes.append(
                f"OCR budget ({config.max_ocr_pages_per_site} pages per site) used up: "
                f"{self.budget_unread} scanned page(s) not read"
            )
        return notes
