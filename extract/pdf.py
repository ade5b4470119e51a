"""PDF text with pypdfium2 (PDFium, Chromium's PDF engine).

Why PDFium: pdfminer.six garbles Thai (combining vowels and tone marks come
out of order), PDFium extracts it correctly at ~1-2 ms per page. It does put
stray spaces inside Thai words; we keep that raw text, because the rules
engine compares with whitespace removed.

PDFium is not thread-safe, so every call into it holds :data:`_PDFIUM_LOCK`
(the crawler may call us from several worker threads). A page that PDFium
takes very long over cannot be interrupted in-process: the time budget is
checked between pages; a caller that needs a hard wall runs us in a worker
process.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pypdfium2 as pdfium  # type: ignore[import-untyped]  # ships no type hints
import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped]
from PIL import Image

from .model import DocumentText, Limits, PageText

__all__ = ["is_pdf", "read_pdf", "render_page"]

_PDFIUM_LOCK = threading.Lock()

# A page counts as "no text layer" below this many non-space characters
# (a scanned page often still carries a typed page number or a stamp).
_MIN_TEXT_CHARS = 20
# ... and only if images cover at least this share of it (a page with just a
# logo and a short caption is not worth seconds of OCR).
_MIN_IMAGE_AREA = 0.25


def is_pdf(body: bytes) -> bool:
    # The spec lets readers accept junk before the header; PDFium looks in the first 1 KiB.
    return b"%PDF-" in body[:1024]


@contextmanager
def _open(body: bytes) -> Iterator[pdfium.PdfDocument]:
    doc = pdfium.PdfDocument(body)
    try:
        yield doc
    finally:
        doc.close()


def _open_error(exc: Exception) -> str:
    message = str(exc)
    if "password" in message.lower():
        return "PDF is password-protected"
    return f"PDF not readable: {message}"


def read_pdf(body: bytes, limits: Limits | None = None, *, deadline: float | None = None) -> DocumentText:
    """The text of each page, up to ``limits.max_pages`` pages, ``max_chars``
    characters and the time budget (or ``deadline``, a ``time.monotonic()``
    value shared with later OCR). Never raises."""
    limits = limits or Limits()
    if len(body) > limits.max_bytes:
        return DocumentText("pdf", error=f"PDF too large: {len(body)} bytes > {limits.max_bytes}")
    if deadline is None:
        deadline = time.monotonic() + limits.time_budget
    try:
        with _PDFIUM_LOCK, _open(body) as doc:
            return _read_pages(doc, limits, deadline)
    except pdfium.PdfiumError as exc:
        return DocumentText("pdf", error=_open_error(exc))
    except Exception as exc:  # noqa: BLE001 - hostile input must not stop a scan
        return DocumentText("pdf", error=f"PDF not readable: {type(exc).__name__}: {exc}")


def _read_pages(doc: pdfium.PdfDocument, limits: Limits, deadline: float) -> DocumentText:
    page_count = len(doc)
    pages: list[PageText] = []
    chars = 0
    stopped = ""
    failed: list[int] = []
    for index in range(min(page_count, limits.max_pages)):
        if time.monotonic() > deadline:
            stopped = f"time budget of {limits.time_budget:g} s used up"
            break
        if chars >= limits.max_chars:
            stopped = f"text limit of {limits.max_chars} characters reached"
            break
        try:
            page = doc[index]
            try:
                text = _page_text(page)[: limits.max_chars - chars]
                scanned = _looks_scanned(page, text)
            finally:
                page.close()
        except Exception:  # noqa: BLE001 - one broken page must not lose the others
            failed.append(index + 1)
            text, scanned = "", False
        chars += len(text)
        pages.append(PageText(index + 1, text, "text", scanned))
    if not stopped and page_count > limits.max_pages:
        stopped = f"page limit of {limits.max_pages} reached"
    notes = [f"read {len(pages)} of {page_count} pages: {stopped}" if stopped else "",
             f"page(s) {', '.join(map(str, failed))} not readable" if failed else ""]
    note = "; ".join(n for n in notes if n)
    return DocumentText("pdf", pages, page_count, truncated=bool(stopped), note=note)


def _page_text(page: pdfium.PdfPage) -> str:
    textpage = page.get_textpage()
    try:
        # PDFium ends lines with "\r\n"; normalise so callers see one convention.
        return str(textpage.get_text_range()).replace("\r\n", "\n").replace("\r", "\n")
    finally:
        textpage.close()


def _looks_scanned(page: pdfium.PdfPage, text: str) -> bool:
    if sum(1 for ch in text if not ch.isspace()) >= _MIN_TEXT_CHARS:
        return False
    width, height = page.get_size()
    page_area = max(width * height, 1.0)
    covered = 0.0
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=3):
        left, bottom, right, top = obj.get_bounds()
        covered += max(right - left, 0.0) * max(top - bottom, 0.0)
        if covered / page_area >= _MIN_IMAGE_AREA:
            return True
    return False


def render_page(body: bytes, number: int, *, dpi: int, max_pixels: int) -> Image.Image | None:
    """Page ``number`` (1-based) as a grayscale image at ``dpi``, scaled down
    so it has at most ``max_pixels`` pixels (a page can declare any size).
    None when the page cannot be rendered."""
    try:
        with _PDFIUM_LOCK, _open(body) as doc:
            if not 1 <= number <= len(doc):
                return None
            page = doc[number - 1]
            try:
                width, height = page.get_size()  # PDF units, 1/72 inch
                scale = dpi / 72
                pixels = width * height * scale * scale
                if pixels > max_pixels:
                    scale *= (max_pixels / pixels) ** 0.5
                bitmap = page.render(scale=scale, grayscale=True)
                try:
                    image: Image.Image = bitmap.to_pil().copy()  # copy: detach from PDFium's buffer
                    return image
                finally:
                    bitmap.close()
            finally:
                page.close()
    except Exception:  # noqa: BLE001 - the caller reports "page not rendered"
        return None
