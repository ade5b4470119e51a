"""Text of Office Open XML documents: DOCX, XLSX (and PPTX, which costs little).

All three are zip files, so one guard comes first: a zip bomb (a few KB that
inflate to gigabytes) must fail fast, before anything is decompressed. We cap
the member count, the declared total size and the compression ratio, and we
read each member with a byte cap too. Python's zipfile never returns more
than a member's declared size (a lying header ends in a CRC error), so the
declared sizes bound memory.

XML is parsed with the standard library. Its expat (2.4.1+) refuses
billion-laughs entity expansion and never fetches external entities.
"""

from __future__ import annotations

import io
import re
import time
import warnings
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable, Iterable
from datetime import date, datetime

import openpyxl  # type: ignore[import-untyped]  # ships no type hints

from .model import DocumentText, Limits, PageText

__all__ = ["ZipRefused", "office_format", "read_docx", "read_pptx", "read_xlsx"]

_LARGE_MEMBER = 1024 * 1024  # the ratio check applies to members above 1 MiB
_MAX_COLUMNS = 200  # spreadsheet columns read per row; ITA tables have < 30


class ZipRefused(Exception):
    """The zip container breaks a limit; nothing was decompressed."""


def office_format(body: bytes) -> str | None:
    """"docx", "xlsx" or "pptx" from the zip's member names, else None."""
    if not body.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        # NotImplementedError: zipfile refuses a "zip file version" above 6.3 on open.
        return None
    for name, kind in (("word/document.xml", "docx"), ("xl/workbook.xml", "xlsx"),
                       ("ppt/presentation.xml", "pptx")):
        if name in names:
            return kind
    return None


def _open_zip(body: bytes, limits: Limits) -> zipfile.ZipFile:
    if len(body) > limits.max_bytes:
        raise ZipRefused(f"file too large: {len(body)} bytes > {limits.max_bytes}")
    archive = zipfile.ZipFile(io.BytesIO(body))
    members = archive.infolist()
    if len(members) > limits.max_zip_members:
        raise ZipRefused(f"zip has {len(members)} members > {limits.max_zip_members}")
    total = sum(member.file_size for member in members)
    if total > limits.max_unzipped_bytes:
        raise ZipRefused(f"zip would inflate to {total} bytes > {limits.max_unzipped_bytes}")
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > _LARGE_MEMBER and ratio > limits.max_compression_ratio:
            raise ZipRefused(f"zip bomb: {member.filename} inflates {ratio:.0f}x")
    return archive


def _read_member(archive: zipfile.ZipFile, name: str, limits: Limits) -> bytes:
    with archive.open(name) as member:
        data = member.read(limits.max_unzipped_bytes + 1)
    if len(data) > limits.max_unzipped_bytes:
        raise ZipRefused(f"{name} inflates past {limits.max_unzipped_bytes} bytes")
    return data


# Reads an archive that passed the guard: (archive, limits, deadline) -> result.
_Reader = Callable[[zipfile.ZipFile, Limits, float], DocumentText]


def _guarded(kind: str, body: bytes, limits: Limits | None, read: _Reader) -> DocumentText:
    limits = limits or Limits()
    deadline = time.monotonic() + limits.time_budget
    try:
        with _open_zip(body, limits) as archive:
            return read(archive, limits, deadline)
    except ZipRefused as exc:
        return DocumentText(kind, error=f"{kind.upper()} refused: {exc}")
    except KeyError as exc:
        return DocumentText(kind, error=f"{kind.upper()} not readable: missing part {exc}")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ET.ParseError, EOFError) as exc:
        return DocumentText(kind, error=f"{kind.upper()} not readable: {exc}")
    except Exception as exc:  # noqa: BLE001 - hostile input must not stop a scan
        return DocumentText(kind, error=f"{kind.upper()} not readable: {type(exc).__name__}: {exc}")


def _local(tag: str) -> str:
    # Match on local names: covers both transitional and strict OOXML namespaces.
    return tag.rsplit("}", 1)[-1]


def _paragraph_lines(xml: bytes, paragraph: str, text: str) -> list[str]:
    """Lines of text from WordprocessingML or DrawingML: one per paragraph,
    table rows as cells joined by " | " (a row often is the evidence: the
    item label and its date sit in neighbouring cells)."""
    lines: list[str] = []
    paragraphs: list[list[str]] = []  # open paragraphs (text boxes nest them)
    rows: list[list[str]] = []  # open table rows
    cells: list[list[str]] = []  # open table cells
    fallback = 0  # inside mc:Fallback, which repeats the mc:Choice content (text boxes)

    def emit(line: str) -> None:
        if cells:
            cells[-1].append(line)
        elif line:
            lines.append(line)

    for event, element in ET.iterparse(io.BytesIO(xml), events=("start", "end")):
        name = _local(element.tag)
        if name == "Fallback":
            fallback += 1 if event == "start" else -1
            continue
        if event == "start":
            if name == paragraph:
                paragraphs.append([])
            elif name == "tr":
                rows.append([])
            elif name == "tc":
                cells.append([])
            continue
        if name in (text, "tab", "br", "cr"):
            if paragraphs and not fallback:
                paragraphs[-1].append(
                    (element.text or "") if name == text else ("\t" if name == "tab" else "\n")
                )
        elif name == paragraph and paragraphs:
            emit("".join(paragraphs.pop()).strip())
        elif name == "tc" and cells:
            cell = " ".join(part for part in cells.pop() if part)
            if rows:
                rows[-1].append(cell)
        elif name == "tr" and rows:
            row = " | ".join(cell for cell in rows.pop() if cell)
            emit(row)
        element.clear()  # keep memory flat on big documents
    return lines


def read_docx(body: bytes, limits: Limits | None = None) -> DocumentText:
    """Body text (paragraphs and tables in order), then headers and footers,
    where the agency's name often sits. One page: DOCX has no stored pages."""

    def read(archive: zipfile.ZipFile, limits: Limits, deadline: float) -> DocumentText:
        names = archive.namelist()
        parts = ["word/document.xml"] + sorted(
            name for name in names if re.fullmatch(r"word/(header|footer)\d*\.xml", name)
        )
        lines: list[str] = []
        truncated = False
        for part in parts:
            if time.monotonic() > deadline:
                truncated = True
                break
            lines += _paragraph_lines(_read_member(archive, part, limits), "p", "t")
        text, cut = _capped("\n".join(lines), limits)
        note = "time budget used up" if truncated else ("text limit reached" if cut else "")
        return DocumentText("docx", [PageText(1, text)], 1, truncated or cut, note)

    return _guarded("docx", body, limits, read)


def read_pptx(body: bytes, limits: Limits | None = None) -> DocumentText:
    """One page per slide, in slide order."""

    def read(archive: zipfile.ZipFile, limits: Limits, deadline: float) -> DocumentText:
        slides = sorted(
            (int(match.group(1)), name)
            for name in archive.namelist()
            if (match := re.fullmatch(r"ppt/slides/slide(\d+)\.xml", name))
        )
        pages: list[PageText] = []
        chars = 0
        stopped = ""
        for number, name in slides:
            if len(pages) >= limits.max_pages:
                stopped = f"slide limit of {limits.max_pages} reached"
                break
            if time.monotonic() > deadline or chars >= limits.max_chars:
                stopped = "time or text limit reached"
                break
            text = "\n".join(_paragraph_lines(_read_member(archive, name, limits), "p", "t"))
            text = text[: limits.max_chars - chars]
            chars += len(text)
            pages.append(PageText(number, text))
        note = f"read {len(pages)} of {len(slides)} slides: {stopped}" if stopped else ""
        return DocumentText("pptx", pages, len(slides), bool(stopped), note)

    return _guarded("pptx", body, limits, read)


def read_xlsx(body: bytes, limits: Limits | None = None) -> DocumentText:
    """One page per sheet: the sheet's title, then one line per row with its
    non-empty cells joined by tabs. Formulas give their cached values."""

    def read(archive: zipfile.ZipFile, limits: Limits, deadline: float) -> DocumentText:
        # The zip passed the guard; openpyxl opens it again from the bytes
        # (zipfile still caps every member at its declared size).
        with warnings.catch_warnings():
            # openpyxl warns about unsupported extensions (data validation, ...).
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(io.BytesIO(body), read_only=True, data_only=True)
            try:
                return _read_sheets(book, limits, deadline)
            finally:
                book.close()

    return _guarded("xlsx", body, limits, read)


def _read_sheets(book: openpyxl.Workbook, limits: Limits, deadline: float) -> DocumentText:
    sheets = book.worksheets
    pages: list[PageText] = []
    cells = chars = 0
    stopped = ""
    for number, sheet in enumerate(sheets[: limits.max_pages], start=1):
        lines = [sheet.title]
        rows: Iterable[tuple[object, ...]] = sheet.iter_rows(
            max_row=limits.max_rows, max_col=_MAX_COLUMNS, values_only=True
        )
        for row in rows:
            cells += len(row)
            if cells > limits.max_cells:
                stopped = f"cell limit of {limits.max_cells} reached"
                break
            if time.monotonic() > deadline:
                stopped = f"time budget of {limits.time_budget:g} s used up"
                break
            values = [_cell_text(value) for value in row if value is not None]
            if any(values):
                lines.append("\t".join(value for value in values if value))
        text = "\n".join(lines)[: max(limits.max_chars - chars, 0)]
        chars += len(text)
        pages.append(PageText(number, text))
        if stopped:
            break
    if not stopped and len(sheets) > limits.max_pages:
        stopped = f"sheet limit of {limits.max_pages} reached"
    note = f"read {len(pages)} of {len(sheets)} sheets: {stopped}" if stopped else ""
    return DocumentText("xlsx", pages, len(sheets), bool(stopped), note)


def _cell_text(value: object) -> str:
    if isinstance(value, datetime) and not (value.hour or value.minute or value.second):
        return value.date().isoformat()
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # 2566.0 -> "2566": years and amounts read as people wrote them
    return str(value).strip()


def _capped(text: str, limits: Limits) -> tuple[str, bool]:
    if len(text) > limits.max_chars:
        return text[: limits.max_chars], True
    return text, False
