"""Turning untrusted document and image bytes into text and QR payloads.

Everything here is bounded (bytes, pages, pixels, time) and never raises on
hostile input: a failure comes back as a result whose ``error`` or ``note``
says why, so one bad file never stops a site's scan.

    doc = extract_text(body, "application/pdf", url)
    doc.text, doc.error, doc.note, doc.pages[0].source   # "text" or "ocr"
    codes = decode_qr(png_bytes)                          # [QrCode(text, kind, position)]
"""

from __future__ import annotations

import posixpath
import time
from urllib.parse import unquote, urlsplit

from .images import ImageResult, load_image
from .model import DocumentText, Limits, PageText, TextSource
from .ocr import ocr_available, ocr_status
from .ocr import ocr_scanned_pages as _ocr_scanned_pages
from .office import office_format, read_docx, read_pptx, read_xlsx
from .pdf import is_pdf, read_pdf
from .qr import (
    QrCode,
    QrKind,
    QrResult,
    classify_text,
    classify_url,
    decode_qr,
    decode_qr_image,
    itas_code,
    read_qr,
)

__all__ = [
    "DocumentText",
    "ImageResult",
    "Limits",
    "PageText",
    "QrCode",
    "QrKind",
    "QrResult",
    "TextSource",
    "classify_text",
    "classify_url",
    "decode_qr",
    "decode_qr_image",
    "document_format",
    "extract_text",
    "itas_code",
    "load_image",
    "ocr_available",
    "ocr_status",
    "read_qr",
]

_BY_TYPE = {
    "application/pdf": "pdf",
    "application/x-pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/msword": "doc",
    "application/vnd.ms-excel": "xls",
    "application/vnd.ms-powerpoint": "ppt",
    "application/rtf": "rtf",
    "text/rtf": "rtf",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
}
_BY_EXTENSION = {
    ".pdf": "pdf", ".docx": "docx", ".xlsx": "xlsx", ".pptx": "pptx", ".doc": "doc",
    ".xls": "xls", ".ppt": "ppt", ".rtf": "rtf", ".odt": "odt", ".ods": "ods",
}
# Formats we recognise but do not read (yet): the result says so by name.
_NOT_READ = {"doc", "xls", "ppt", "rtf", "odt", "ods"}
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc/.xls/.ppt container


def document_format(body: bytes, content_type: str = "", url: str = "") -> str:
    """"pdf", "docx", "xlsx", "pptx", a legacy name ("doc", ...) or "unknown".

    The bytes decide first: agency servers often send PDFs as
    ``application/octet-stream`` or ``text/html``, and links say ``.pdf`` for
    Word files. The declared type and the URL's extension only name formats
    the bytes cannot tell apart (an OLE2 file is .doc, .xls or .ppt).
    """
    if is_pdf(body):
        return "pdf"
    office = office_format(body)
    if office:
        return office
    declared = _BY_TYPE.get(content_type.split(";", 1)[0].strip().lower())
    try:
        extension = posixpath.splitext(unquote(urlsplit(url).path))[1].lower()
    except ValueError:
        extension = ""
    hinted = declared or _BY_EXTENSION.get(extension)
    if body.startswith(b"PK\x03\x04") and hinted in ("docx", "xlsx", "pptx"):
        return hinted  # a broken or odd package: its reader says what is wrong
    if body.startswith(_OLE2):
        return hinted if hinted in ("doc", "xls", "ppt") else "doc"
    if body.startswith(b"{\\rtf"):
        return "rtf"
    return hinted if hinted in _NOT_READ else "unknown"


def extract_text(body: bytes, content_type: str = "", url: str = "",
                 limits: Limits | None = None) -> DocumentText:
    """Text of a PDF (with OCR of scanned pages), DOCX, XLSX or PPTX document.
    Other formats come back with a note saying they were not read."""
    limits = limits or Limits()
    if len(body) > limits.max_bytes:
        return DocumentText("unknown", error=f"document too large: {len(body)} bytes "
                                             f"> {limits.max_bytes}")
    kind = document_format(body, content_type, url)
    if kind == "pdf":
        deadline = time.monotonic() + limits.time_budget
        document = read_pdf(body, limits, deadline=deadline)
        if document.error:
            return document
        return _ocr_scanned_pages(body, document, limits, deadline=deadline)
    if kind == "docx":
        return read_docx(body, limits)
    if kind == "xlsx":
        return read_xlsx(body, limits)
    if kind == "pptx":
        return read_pptx(body, limits)
    if kind in _NOT_READ:
        return DocumentText(kind, note=f"format not read: {kind} (legacy or unsupported format)")
    return DocumentText("unknown", error="format not read: not a PDF, DOCX, XLSX or PPTX document")
