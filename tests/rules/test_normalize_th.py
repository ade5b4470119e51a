"""The one Thai normalisation, and keyword matching on normalised text."""

from __future__ import annotations

import pytest

from rules import normalize_th
from rules._match import Keyword, KeywordSet


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        ("ปีงบประมาณ ๒๕๖๖", "ปีงบประมาณ2566"),  # Thai digits, spaces removed
        ("๐๑๒๓๔๕๖๗๘๙", "0123456789"),
        ("ค\u0e4d\u0e32ร้อง", "คำร้อง"),  # NIKHAHIT + SARA AA -> SARA AM
        ("น\u0e49\u0e4d\u0e32", "น้ำ"),  # tone mark before the split SARA AM
        ("น\u0e4d\u0e49\u0e32", "น้ำ"),  # tone mark between its halves
        ("น ้ ํ า", "น้ำ"),  # with stray PDF spaces
        ("โครง\u200bสร้าง", "โครงสร้าง"),  # zero-width space
        ("\ufeffติดต่อ\u200c\u200d\u2060เรา", "ติดต่อเรา"),  # BOM, ZWNJ, ZWJ, word joiner
        ("\uf0a7 ข้อมูล", "ข้อมูล"),  # Word's private-use bullet
        ("โครง สร้าง  ส่วน\tราชการ\n", "โครงสร้างส่วนราชการ"),  # PDF spaces inside words
        ("ก\u00a0ข\u3000ค", "กขค"),  # NBSP and ideographic space are whitespace too
        ("E-Service", "e-service"),  # casefold
        ("PRIVACY Policy", "privacypolicy"),
        ("เเผนพัฒนา", "แผนพัฒนา"),  # SARA E typed twice
        ("ห\uf70aน่วย", "ห่น่วย"),  # legacy-font PUA tone mark mapped back
        ("", ""),
    ],
)
def test_normalize_th(raw: str, want: str) -> None:
    assert normalize_th(raw) == want


def test_normalize_is_idempotent() -> None:
    s = "ติดต่อ  เรา ๐๔๔-๑๒๓๔๕๖ ค\u0e4d\u0e32 E-Mail"
    assert normalize_th(normalize_th(s)) == normalize_th(s)


def test_nfc_composes() -> None:
    assert normalize_th("Cafe\u0301") == "caf\u00e9"


def test_keyword_is_normalised_like_the_text() -> None:
    kw = Keyword.word("แผนพัฒนา ๒๕๖๖")
    assert kw.search(normalize_th("แผน พัฒนา 2566 (ฉบับ\u200bปรับปรุง)"))
    assert Keyword.word("ค\u0e4dาร้อง").search(normalize_th("แบบคำร้อง"))


def test_line_guard_does_not_match_inside_online() -> None:
    """'ไลน์' (LINE) sits inside 'ออนไลน์' (online): the guard keeps them apart."""
    line = Keyword.word("ไลน์", not_inside=["ออนไลน์"])
    assert not line.search(normalize_th("บริการออนไลน์"))
    assert not line.search(normalize_th("สื่อสังคมออนไลน์ ออนไลน์"))
    assert line.search(normalize_th("ไลน์ อบต."))
    assert line.search(normalize_th("บริการออนไลน์ และไลน์ทางการ"))  # a real LINE after a guarded one
    assert Keyword.word("ไลน์").search(normalize_th("บริการออนไลน์"))  # the trap, unguarded


def test_regex_keyword() -> None:
    eit = Keyword.pattern(r"(?<![a-z])eit(?![a-z])")
    assert eit.search(normalize_th("แบบวัด EIT 2566"))
    assert not eit.search(normalize_th("neither"))


def test_keyword_set_first_and_missing() -> None:
    ks = KeywordSet.of([Keyword.word("ติดต่อเรา"), Keyword.word("contact")])
    assert ks.first(normalize_th("Contact Us")).raw == "contact"
    assert ks.first(normalize_th("ข่าว")) is None
    assert [k.raw for k in ks.missing(normalize_th("ติดต่อ เรา"))] == ["contact"]
