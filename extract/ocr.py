"""OCR of PDF pages that have no text layer, with the Tesseract binary.

Agencies often publish scanned, signed documents (No Gift declarations,
reports with the executive's signature): without OCR those are invisible to
the rules. Tesseract is a Debian package (``tesseract-ocr`` plus
``tesseract-ocr-tha`` for Thai); we run the binary rather than binding a
library, so a crash or a hang in it only costs one page, and the subprocess
timeout is a hard wall.

When Tesseract is missing the result says so in ``note`` ("text not read"),
never a silent empty text: a monitor must see that a document was not read.
"""

from __future__ import annotations

import functools
import io
import os
import shutil
import subprocess
import time
from dataclasses import dataclass, replace

from PIL import Image

from .model import DocumentText, Limits, PageText, join_notes
from .pdf import render_page

__all__ = ["OcrResult", "ocr_available", "ocr_image", "ocr_scanned_pages", "ocr_status"]

LANGUAGES = "tha+eng"


@dataclass(frozen=True, slots=True)
class OcrResult:
    text: str
    error: str = ""


def ocr_status() -> tuple[bool, str]:
    """(usable, reason): the ``tesseract`` binary is on PATH and has Thai."""
    binary = shutil.which("tesseract")
    if binary is None:
        return False, "Tesseract is not installed"
    languages = _languages(binary)
    if "tha" not in languages:
        return False, "Tesseract has no Thai language data (Debian package tesseract-ocr-tha)"
    return True, f"Tesseract at {binary}"


def ocr_available() -> bool:
    return ocr_status()[0]


@functools.lru_cache(maxsize=8)
def _languages(binary: str) -> frozenset[str]:
    # Cached per binary path: asked once per process, not once per page.
    try:
        done = subprocess.run([binary, "--list-langs"], capture_output=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    lines = done.stdout.decode("utf-8", "replace").splitlines()
    # The first line is 'List of available languages in "...":'.
    return frozenset(line.strip() for line in lines[1:] if line.strip())


def _environment() -> dict[str, str]:
    # Tesseract's OpenMP threads fight the crawler for the 2 cores and make
    # single pages slower, not faster; one thread per process is its own advice.
    return {**os.environ, "OMP_THREAD_LIMIT": "1"}


def ocr_image(image: Image.Image, *, dpi: int = 200, timeout: float = 30.0) -> OcrResult:
    """Text of one image, read as Thai + English. Never raises."""
    binary = shutil.which("tesseract")
    if binary is None:
        return OcrResult("", "Tesseract is not installed")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    command = [binary, "stdin", "stdout", "-l", LANGUAGES, "--dpi", str(dpi), "--psm", "3"]
    try:
        done = subprocess.run(command, input=buffer.getvalue(), capture_output=True,
                              timeout=timeout, env=_environment(), check=False)
    except subprocess.TimeoutExpired:
        return OcrResult("", f"OCR timed out after {timeout:g} s")
    except OSError as exc:
        return OcrResult("", f"Tesseract did not run: {exc}")
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
        return OcrResult("", f"Tesseract failed: {detail[-1] if detail else done.returncode}")
    return OcrResult(done.stdout.decode("utf-8", "replace").strip())


def ocr_scanned_pages(body: bytes, document: DocumentText, limits: Limits | None = None,
                      *, deadline: float | None = None) -> DocumentText:
    """``document`` (read from the PDF ``body``) with its scanned pages OCRed,
    up to ``limits.max_ocr_pages`` and the deadline. Pages left unread are
    named in ``note``."""
    limits = limits or Limits()
    scanned = [page.number for page in document.pages if page.scanned and page.source == "text"]
    if not scanned:
        return document
    if deadline is None:
        deadline = time.monotonic() + limits.time_budget
    whole = len(scanned) == len(document.pages)
    what = "scanned document" if whole else f"{len(scanned)} scanned page(s)"
    if not limits.ocr:
        return replace(document, note=join_notes(document.note, f"{what}, text not read: OCR is off"))
    usable, reason = ocr_status()
    if not usable:
        return replace(document, note=join_notes(document.note, f"{what}, text not read: {reason}"))

    texts: dict[int, str] = {}
    problems: list[str] = []
    for number in scanned:
        if len(texts) >= limits.max_ocr_pages:
            problems.append(f"OCR page limit of {limits.max_ocr_pages} reached")
            break
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            problems.append(f"time budget of {limits.time_budget:g} s used up")
            break
        image = render_page(body, number, dpi=limits.ocr_dpi, max_pixels=limits.ocr_max_pixels)
        if image is None:
            problems.append(f"page {number} could not be rendered")
            continue
        result = ocr_image(image, dpi=limits.ocr_dpi, timeout=min(limits.ocr_timeout, remaining))
        if result.error:
            problems.append(f"page {number}: {result.error}")
            continue
        texts[number] = result.text

    pages = [
        PageText(page.number, texts[page.number], "ocr", scanned=True) if page.number in texts else page
        for page in document.pages
    ]
    unread = len(scanned) - len(texts)
    notes = [document.note, f"{len(texts)} page(s) read by OCR" if texts else ""]
    if unread:
        notes.append(f"{unread} scanned page(s), text not read: {', '.join(problems)}")
    truncated = document.truncated or bool(unread)
    return replace(document, pages=pages, truncated=truncated, note=join_notes(*notes))
