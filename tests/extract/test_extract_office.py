"""DOCX, XLSX and PPTX text; zip bombs and broken containers."""

from __future__ import annotations

import io
import os
import struct
import time
import tracemalloc
import zipfile
from datetime import datetime

import openpyxl

from extract import Limits, extract_text

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
MC = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _zip(members: dict[str, bytes | str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def _p(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def _docx(body: str, **parts: str) -> bytes:
    document = f'<?xml version="1.0" encoding="UTF-8"?><w:document {W} {MC}><w:body>{body}</w:body></w:document>'
    return _zip({"[Content_Types].xml": "<Types/>", "word/document.xml": document,
                 **{f"word/{name}.xml": f"<w:hdr {W}>{xml}</w:hdr>" for name, xml in parts.items()}})


def test_docx_paragraphs_tables_headers() -> None:
    body = (
        _p("แผนปฏิบัติการป้องกันการทุจริต")
        + "<w:p><w:r><w:t>ประจำปี</w:t></w:r><w:r><w:tab/><w:t xml:space=\"preserve\"> พ.ศ. 2566</w:t></w:r></w:p>"
        + "<w:tbl><w:tr><w:tc>" + _p("โครงการ") + "</w:tc><w:tc>" + _p("งบประมาณ") + "</w:tc></w:tr>"
        + "<w:tr><w:tc>" + _p("อบรมคุณธรรม") + "</w:tc><w:tc>" + _p("20,000") + "</w:tc></w:tr></w:tbl>"
        # A text box: Word writes it twice (mc:Choice and mc:Fallback); read once.
        + "<w:p><w:r><mc:AlternateContent><mc:Choice><w:txbxContent>" + _p("กล่องข้อความ")
        + "</w:txbxContent></mc:Choice><mc:Fallback><w:txbxContent>" + _p("กล่องข้อความ")
        + "</w:txbxContent></mc:Fallback></mc:AlternateContent></w:r></w:p>"
        + "<w:p><w:r><w:delText>ลบแล้ว</w:delText></w:r></w:p>"
    )
    doc = extract_text(_docx(body, header1=_p("องค์การบริหารส่วนตำบลศาลาลาย")), DOCX_TYPE, "a.docx")
    assert doc.format == "docx" and doc.error == "" and doc.page_count == 1
    lines = doc.pages[0].text.split("\n")
    assert lines[:4] == ["แผนปฏิบัติการป้องกันการทุจริต", "ประจำปี\t พ.ศ. 2566",
                         "โครงการ | งบประมาณ", "อบรมคุณธรรม | 20,000"]
    assert doc.text.count("กล่องข้อความ") == 1
    assert "ลบแล้ว" not in doc.text  # deleted (tracked) text is not the document's text
    assert lines[-1] == "องค์การบริหารส่วนตำบลศาลาลาย"  # the header: who wrote it


def test_docx_is_recognised_by_its_contents() -> None:
    doc = extract_text(_docx(_p("สวัสดี")), "application/octet-stream", "https://x/file?id=1")
    assert doc.format == "docx" and doc.text == "สวัสดี"


def test_xlsx_sheets_rows_and_values() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "สขร.1 ต.ค. 65"
    sheet.append(["ลำดับ", "งานที่จัดซื้อ", "วงเงิน", "วันที่"])
    sheet.append([1, "จัดซื้อวัสดุสำนักงาน", 12500.0, datetime(2022, 10, 15)])
    sheet.append([None, None, None, None])
    sheet.append([2, "จ้างซ่อมแซมถนน", "=C2*2", None])
    second = book.create_sheet("สรุป")
    second["B3"] = "ปีงบประมาณ 2566.0"
    second["A1"] = 2566.0
    out = io.BytesIO()
    book.save(out)
    doc = extract_text(out.getvalue(), "", "https://x/procurement.xlsx")
    assert doc.format == "xlsx" and doc.error == "" and doc.page_count == 2
    first = doc.pages[0].text.split("\n")
    assert first[0] == "สขร.1 ต.ค. 65"
    assert first[1] == "ลำดับ\tงานที่จัดซื้อ\tวงเงิน\tวันที่"
    assert first[2] == "1\tจัดซื้อวัสดุสำนักงาน\t12500\t2022-10-15"
    assert first[3].startswith("2\tจ้างซ่อมแซมถนน")  # formula: its cached value (none: never opened in Excel)
    assert doc.pages[1].text.split("\n")[:2] == ["สรุป", "2566"]


def test_xlsx_row_and_cell_limits() -> None:
    book = openpyxl.Workbook()
    for i in range(500):
        book.active.append([i, f"แถว {i}"])
    out = io.BytesIO()
    book.save(out)
    doc = extract_text(out.getvalue(), "", "a.xlsx", Limits(max_cells=100))
    assert doc.truncated and "cell limit" in doc.note
    assert len(doc.pages[0].text.split("\n")) <= 51


def test_pptx_slides_in_order() -> None:
    a = 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
    slide = lambda text: f"<p:sld {a} xmlns:p=\"p\"><a:p><a:r><a:t>{text}</a:t></a:r></a:p></p:sld>"
    body = _zip({"ppt/presentation.xml": "<p/>", "ppt/slides/slide10.xml": slide("สิบ"),
                 "ppt/slides/slide2.xml": slide("สอง"), "ppt/slides/slide1.xml": slide("หนึ่ง")})
    doc = extract_text(body, "", "a.pptx")
    assert doc.format == "pptx" and [p.text for p in doc.pages] == ["หนึ่ง", "สอง", "สิบ"]


def _bomb(size: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as member:
            chunk = b" " * (1 << 20)
            for _ in range(size >> 20):
                member.write(chunk)
    return out.getvalue()


def test_docx_zip_bomb_is_refused_without_inflating() -> None:
    bomb = _bomb(300 << 20)  # 300 MiB of spaces in ~300 KB
    assert len(bomb) < 1 << 20
    tracemalloc.start()
    started = time.monotonic()
    doc = extract_text(bomb, DOCX_TYPE, "bomb.docx")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert doc.error.startswith("DOCX refused") and doc.pages == []
    assert time.monotonic() - started < 2 and peak < 20 << 20


def test_zip_member_that_lies_about_its_size() -> None:
    # The central directory says 100 bytes; the data inflates to 5 MiB.
    body = bytearray(_docx(_p("x" * 5_000_000)))
    entry = body.rfind(b"PK\x01\x02")
    while entry != -1:
        name_length = struct.unpack_from("<H", body, entry + 28)[0]
        if body[entry + 46: entry + 46 + name_length] == b"word/document.xml":
            struct.pack_into("<I", body, entry + 24, 100)
        entry = body.rfind(b"PK\x01\x02", 0, entry)
    doc = extract_text(bytes(body), DOCX_TYPE, "liar.docx")
    assert doc.error and doc.pages == []


def test_zip_limits() -> None:
    many = _zip({"word/document.xml": "<w:document/>", **{f"x/{i}": "" for i in range(50)}})
    assert "members" in extract_text(many, DOCX_TYPE, "", Limits(max_zip_members=20)).error
    big = _zip({"word/document.xml": os.urandom(2 << 20)})  # incompressible: no ratio alarm
    assert "would inflate" in extract_text(big, DOCX_TYPE, "", Limits(max_unzipped_bytes=1 << 20)).error


def test_broken_containers_give_errors() -> None:
    assert extract_text(b"PK\x03\x04" + os.urandom(3000), DOCX_TYPE, "a.docx").error
    assert "missing part" in extract_text(_zip({"word/other.xml": "x"}), DOCX_TYPE, "a.docx").error
    bad_xml = _zip({"word/document.xml": "<w:document><w:body><unclosed></w:body>"})
    assert "not readable" in extract_text(bad_xml, DOCX_TYPE, "a.docx").error
    laughs = ('<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
              + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
              + f"]><w:document {W}><w:body><w:p><w:r><w:t>&j;</w:t></w:r></w:p></w:body></w:document>")
    started = time.monotonic()
    doc = extract_text(_zip({"word/document.xml": laughs}), DOCX_TYPE, "laughs.docx")
    assert "amplification" in doc.error and doc.pages == []  # expat refuses the expansion
    assert time.monotonic() - started < 2
