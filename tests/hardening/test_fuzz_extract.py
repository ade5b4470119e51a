"""Fuzzing the document and image readers: PDFs (PDFium), DOCX/XLSX/PPTX (zip +
XML), images (Pillow) and QR decoding get valid files with bytes overwritten,
cut, inserted, and well-formed containers with hostile XML inside. Property: a
result (with an error or a note when unreadable) within the time bound, never an
exception."""

from __future__ import annotations

import pytest
from fuzzing import bounded, fuzz, thaiish
from hypothesis import given
from hypothesis import strategies as st
from seeds import SEEDS, docx, mutated, pptx, xlsx_with_sheet

from extract import Limits, document_format, extract_text, load_image, read_qr

# No OCR (seconds per page, tested in tests/extract) and a small time budget.
LIMITS = Limits(ocr=False, time_budget=5.0, max_pages=5, max_image_pixels=4_000_000)


def _documents() -> st.SearchStrategy[tuple[str, bytes]]:
    return st.sampled_from(["pdf", "docx", "pptx", "xlsx"]).flatmap(
        lambda kind: st.tuples(st.just(kind), mutated(SEEDS[kind]))
    )


def _check_document(body: bytes, content_type: str = "", url: str = "") -> None:
    doc = bounded(lambda: extract_text(body, content_type, url, LIMITS), 30)
    assert doc.format
    assert doc.ok or doc.error  # unreadable is said, not raised
    assert len(doc.pages) <= max(LIMITS.max_pages, 1) or doc.format == "docx"
    assert len(doc.text) <= LIMITS.max_chars + 3 * len(doc.pages)


@fuzz(150)
@given(_documents())
def test_mutated_documents_give_a_result(kind_body: tuple[str, bytes]) -> None:
    _kind, body = kind_body
    _check_document(body, "application/octet-stream", "http://a.go.th/x." + _kind)


@fuzz(100)
@given(
    st.binary(max_size=3000),
    st.sampled_from(["application/pdf", "text/html", ""]),
    st.sampled_from(["http://a.go.th/x.pdf", "http://a.go.th/x.docx", "http://a.go.th/%zz"]),
)
def test_any_bytes_as_a_document(body: bytes, content_type: str, url: str) -> None:
    document_format(body, content_type, url)
    _check_document(b"%PDF-1.4\n" + body, content_type, url)
    _check_document(b"PK\x03\x04" + body, content_type, url)


def test_zip_of_a_newer_version_is_an_error_not_an_exception() -> None:
    """Found by the fuzzer: zipfile raises NotImplementedError ("zip file version 6.4")
    on open, which office_format did not catch, so extract_text raised."""
    body = bytearray(SEEDS["docx"])
    at = body.find(b"PK\x01\x02")  # central directory: "version needed" at offset 6
    body[at + 6 : at + 8] = (64).to_bytes(2, "little")
    doc = extract_text(bytes(body), "", "http://a.go.th/x.docx")
    assert doc.error == "DOCX not readable: NotImplementedError: zip file version 6.4"


_XML_BITS = st.sampled_from(
    [
        "<w:p>",
        "</w:p>",
        "<w:r>",
        "<w:t>",
        "</w:t>",
        "</w:r>",
        "<w:tab/>",
        "<w:br/>",
        "<w:tbl><w:tr><w:tc>",
        "</w:tc></w:tr></w:tbl>",
        "<a:p>",
        "<a:t>",
        "</a:t>",
        "</a:p>",
        "&amp;",
        "&#0;",
        "&#x110000;",
        "&undefined;",
        "<!DOCTYPE x [<!ENTITY a 'aaaa'>]>",
        "&a;",
        "<![CDATA[",
        "]]>",
        "<!--",
        "-->",
        "<?pi x?>",
        "<",
        ">",
        "\x00",
        "ข้อมูล",
    ]
)


@fuzz(200)
@given(st.lists(st.one_of(_XML_BITS, thaiish), max_size=50).map("".join), st.booleans())
def test_hostile_xml_inside_a_valid_package(xml: str, slide: bool) -> None:
    body = pptx(xml) if slide else docx(xml)
    _check_document(body)


_CELL_BITS = st.sampled_from(
    [
        "<row r='1'>",
        "<row r='1048576'>",
        "<row r='-1'>",
        "<row>",
        "</row>",
        "<c r='A1'>",
        "<c r='XFD1048576' t='s'>",
        "<c t='s'>",
        "<c t='d'>",
        "<c t='b'>",
        "<c t='e'>",
        "<c t='inlineStr'><is><t>",
        "</t></is>",
        "<c t='n'>",
        "<c s='99999'>",
        "</c>",
        "<v>",
        "</v>",
        "0",
        "99999999",
        "1e400",
        "nan",
        "-0",
        "2566-13-45T25:61:00",
        "<f>SUM(A1:A9)</f>",
        "ข้อมูล",
        "&amp;",
        "<",
    ]
)


@fuzz(80)
@given(st.lists(st.one_of(_CELL_BITS, thaiish), max_size=50).map("".join))
def test_hostile_cells_inside_a_valid_workbook(sheet_data: str) -> None:
    _check_document(xlsx_with_sheet(sheet_data))


def _images() -> st.SearchStrategy[bytes]:
    return st.sampled_from(["png", "jpeg", "gif", "bmp", "tiff", "webp"]).flatmap(
        lambda kind: mutated(SEEDS[kind])
    )


@pytest.mark.filterwarnings("ignore::UserWarning")  # Pillow on corrupt TIFF/EXIF tags
@fuzz(150)
@given(_images())
def test_mutated_images_give_a_result(body: bytes) -> None:
    loaded = bounded(lambda: load_image(body, LIMITS))
    assert (loaded.image is None) == bool(loaded.error)
    if loaded.image is not None:
        assert loaded.image.mode in ("RGB", "L")
        assert loaded.image.width * loaded.image.height <= LIMITS.max_image_pixels
    result = bounded(lambda: read_qr(body, LIMITS), 30)
    assert isinstance(result.codes, list)
