"""The one Thai text normalisation used for every match the rules make.

Rule keywords are normalised with the same function when a catalog loads, so a
keyword and the page text it is compared with always have the same spelling.

Thai has no spaces between words and text extracted from PDFs has stray spaces
inside words, so the normalised form has **no whitespace at all**: matching is
substring matching on whitespace-free text.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["normalize_th"]

# Zero-width and invisible formatting characters that break substring matches.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u200e\u200f"

# Legacy Thai fonts (and PDFs made with them) put shifted glyph variants of Thai
# marks in the Private Use Area; map them back to the real characters.
_THAI_PUA = {
    0xF700: "\u0e10",  # THO THAN without descender
    0xF701: "\u0e34",
    0xF702: "\u0e35",
    0xF703: "\u0e36",
    0xF704: "\u0e37",
    0xF705: "\u0e48",
    0xF706: "\u0e49",
    0xF707: "\u0e4a",
    0xF708: "\u0e4b",
    0xF709: "\u0e4c",
    0xF70A: "\u0e48",
    0xF70B: "\u0e49",
    0xF70C: "\u0e4a",
    0xF70D: "\u0e4b",
    0xF70E: "\u0e4c",
    0xF70F: "\u0e0d",  # YO YING without lower part
    0xF710: "\u0e31",
    0xF711: "\u0e4d",
    0xF712: "\u0e47",
    0xF713: "\u0e48",
    0xF714: "\u0e49",
    0xF715: "\u0e4a",
    0xF716: "\u0e4b",
    0xF717: "\u0e4c",
    0xF718: "\u0e38",
    0xF719: "\u0e39",
    0xF71A: "\u0e3a",
}

_TABLE: dict[int, str | None] = {ord(c): None for c in _INVISIBLE}
_TABLE.update(_THAI_PUA)
_TABLE.update({0x0E50 + i: str(i) for i in range(10)})  # Thai digits ๐-๙

_OTHER_PUA = re.compile("[\ue000-\uf8ff]")  # bullets such as U+F0A7 from Word symbol fonts
_WHITESPACE = re.compile(r"\s+")
# NIKHAHIT + SARA AA typed as two characters (optionally around a tone mark) is SARA AM.
_SARA_AM = re.compile("\u0e4d([\u0e48-\u0e4b]?)\u0e32")
_SARA_AM_TONE_FIRST = re.compile("([\u0e48-\u0e4b])\u0e4d\u0e32")
# SARA E typed twice is how many documents spell SARA AE.
_DOUBLE_SARA_E = re.compile("\u0e40\u0e40")


def normalize_th(s: str, *, keep_spaces: bool = False) -> str:
    """Return ``s`` in the form every rule match is made on.

    - Thai digits ๐-๙ become 0-9;
    - "ํา" (NIKHAHIT + SARA AA) becomes "ำ" (SARA AM), and "เเ" becomes "แ";
    - zero-width characters, soft hyphens and private-use symbols (the Word
      bullet U+F0A7) are removed; legacy-font Thai glyph variants are mapped back;
    - Unicode NFC, then casefold (so "E-Service" matches "e-service");
    - **all whitespace is removed** (``keep_spaces=True``: runs of whitespace become
      one space instead — for reading names, where a space ends a word).
    """
    if not s:
        return ""
    s = unicodedata.normalize("NFC", s).translate(_TABLE)
    s = _OTHER_PUA.sub("", s)
    s = _WHITESPACE.sub(" " if keep_spaces else "", s)
    s = _SARA_AM.sub("\\1\u0e33", s)
    s = _SARA_AM_TONE_FIRST.sub("\\1\u0e33", s)
    s = _DOUBLE_SARA_E.sub("\u0e41", s)
    return unicodedata.normalize("NFC", s.casefold())
