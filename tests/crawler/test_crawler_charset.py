"""Charset detection and decoding (crawler._charset)."""

from __future__ import annotations

import codecs

import pytest

from crawler._charset import codec_for_label, decode_html, sniff_meta_charset

THAI = "ข้อมูลพื้นฐาน โครงสร้างองค์กร"


@pytest.mark.parametrize(
    "label",
    ["tis-620", "TIS620", "iso-8859-11", "windows-874", "x-windows-874", "cp874", '"tis-620"'],
)
def test_thai_labels_map_to_cp874(label: str) -> None:
    assert codec_for_label(label) == "cp874"


def test_other_labels() -> None:
    assert codec_for_label("UTF-8") == "utf-8"
    assert codec_for_label("iso-8859-1") == "cp1252"  # as browsers do
    assert codec_for_label("no-such-charset") is None
    assert codec_for_label(None) is None


def test_header_charset_wins_over_meta() -> None:
    body = f'<meta charset="utf-8"><p>{THAI}</p>'.encode("cp874")
    text, codec = decode_html(body, "windows-874")
    assert codec == "cp874" and THAI in text


def test_meta_charset_when_header_has_none() -> None:
    body = f'<html><head><meta charset="tis-620"></head><body>{THAI}</body></html>'.encode("cp874")
    text, codec = decode_html(body, None)
    assert codec == "cp874" and THAI in text


def test_meta_http_equiv() -> None:
    body = (
        f'<meta http-equiv="Content-Type" content="text/html; charset=windows-874"><p>{THAI}</p>'
    ).encode("cp874")
    assert sniff_meta_charset(body) == "cp874"
    assert THAI in decode_html(body)[0]


def test_meta_beyond_4kb_is_not_seen_but_detection_still_finds_cp874() -> None:
    body = (" " * 5000 + f'<meta charset="tis-620"><p>{THAI}</p>').encode("cp874")
    assert sniff_meta_charset(body) is None
    text, codec = decode_html(body)
    assert codec == "cp874" and THAI in text


def test_detection_prefers_valid_utf8() -> None:
    text, codec = decode_html(f"<p>{THAI}</p>".encode())
    assert codec == "utf-8" and THAI in text


def test_bom_wins() -> None:
    text, codec = decode_html(codecs.BOM_UTF8 + THAI.encode(), "tis-620")
    assert codec == "utf-8" and text == THAI


def test_wrong_utf8_header_falls_back_to_the_page() -> None:
    body = f'<meta charset="tis-620"><p>{THAI}</p>'.encode("cp874")
    text, codec = decode_html(body, "UTF-8")
    assert codec == "cp874" and THAI in text


def test_truncated_utf8_is_still_utf8() -> None:
    body = f"<p>{THAI}</p>".encode()[:-6]  # cut inside a character
    assert decode_html(body)[1] == "utf-8"


def test_never_raises() -> None:
    text, _ = decode_html(b"\xff\xfe\x00garbage\x80\x81", "utf-8")
    assert isinstance(text, str)
