"""Small valid files of every format the extractors read, and a strategy that
damages them: the seeds of the document and image fuzzers."""

from __future__ import annotations

import io
import zipfile

import openpyxl
from crawler_media import one_page_pdf  # tests/crawler is on sys.path (conftest.py)
from hypothesis import strategies as st
from PIL import Image

__all__ = ["SEEDS", "docx", "mutated", "pdf", "pptx"]


def pdf(text: bytes = b"Hello 2566") -> bytes:
    return one_page_pdf(text)


def zip_of(members: dict[str, str | bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
A = 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'


def docx(inner: str) -> bytes:
    return zip_of(
        {
            "[Content_Types].xml": "<Types/>",
            "word/document.xml": f"<w:document {W}><w:body>{inner}</w:body></w:document>",
        }
    )


def pptx(inner: str) -> bytes:
    return zip_of(
        {
            "[Content_Types].xml": "<Types/>",
            "ppt/presentation.xml": "<p/>",
            "ppt/slides/slide1.xml": f"<p:sld {A} xmlns:p='p'>{inner}</p:sld>",
        }
    )


def xlsx() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["ปีงบประมาณ", 2566, 1.5])
    sheet.append(["=SUM(B1:C1)", None, "ข้อมูล"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def image_of(fmt: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 10, 10)).save(out, fmt)
    return out.getvalue()


SEEDS = {
    "pdf": pdf(),
    "docx": docx("<w:p><w:r><w:t>ข้อมูล</w:t></w:r></w:p>"),
    "pptx": pptx("<a:p><a:r><a:t>slide</a:t></a:r></a:p>"),
    "xlsx": xlsx(),
    "png": image_of("PNG"),
    "jpeg": image_of("JPEG"),
    "gif": image_of("GIF"),
    "bmp": image_of("BMP"),
    "tiff": image_of("TIFF"),
    "webp": image_of("WEBP"),
}


@st.composite
def mutated(draw: st.DrawFn, seed: bytes) -> bytes:
    """``seed`` with a few edits: overwrite, insert, delete, cut."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        op = draw(st.sampled_from(["overwrite", "insert", "delete", "cut", "number"]))
        at = draw(st.integers(min_value=0, max_value=max(len(data) - 1, 0)))
        if op == "overwrite":
            chunk = draw(st.binary(min_size=1, max_size=16))
            data[at : at + len(chunk)] = chunk
        elif op == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=64))
        elif op == "delete":
            del data[at : at + draw(st.integers(min_value=1, max_value=64))]
        elif op == "cut":
            del data[at:]
        else:  # a large number where a count, length or offset was: the classic overflow
            data[at:at] = draw(st.sampled_from([b"99999999999", b"-1", b"4294967296", b"0"]))
    return bytes(data)


SHEET_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def xlsx_with_sheet(sheet_data: str) -> bytes:
    """The seed workbook with its first sheet's ``<sheetData>`` replaced."""
    source = zipfile.ZipFile(io.BytesIO(SEEDS["xlsx"]))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = f"<worksheet {SHEET_NS}><sheetData>{sheet_data}</sheetData></worksheet>"
            archive.writestr(info.filename, data)
    return out.getvalue()
