"""Text from old non-Unicode Thai fonts: tell it apart, and decode it when we can.

PDFs made with pre-Unicode Thai fonts (the "DB" / "PSL" families of the 1990s-2000s,
still in many agency templates) map each Thai glyph to the Latin-1 code point of its
TIS-620 byte, so the extracted text reads "¡ÒÃ»ÃÐàÁÔ¹" for "การประเมิน". Matched as
it is, such text names nothing and dates nothing: a rule would judge a document it
never read. :func:`looks_undecodable` says so; :func:`repair_tis620` turns the common
TIS-620-as-Latin-1 case back into Thai, and returns None when the result does not read
as Thai (another private mapping), so the caller reports the text as unreadable
instead of guessing.

Pure Python, no dependencies: the rules engine uses the same test on stored text.
"""

from __future__ import annotations

__all__ = ["UNDECODABLE_NOTE", "looks_undecodable", "repair_tis620"]

UNDECODABLE_NOTE = (
    "text not readable: an old non-Unicode Thai font (the text comes out as Latin-1 symbols)"
)

_LATIN1_HIGH = range(0xA1, 0x100)  # where TIS-620 bytes land when read as Latin-1
_THAI = range(0x0E01, 0x0E5C)
_THAI_CONSONANTS = range(0x0E01, 0x0E2F)
# vowels and marks written above or below a consonant: they cannot start a syllable
_THAI_COMBINING = frozenset([0x0E31, *range(0x0E34, 0x0E3B), *range(0x0E47, 0x0E4F)])
_TIS620_UNUSED = frozenset([0xDB, 0xDC, 0xDD, 0xDE])  # no Thai character has these bytes
_MIN_SUSPECT = 20  # fewer odd characters than this is an accent or a symbol, not a font
_SUSPECT_SHARE = 0.3  # of the letters
_MAX_BAD_MARKS = 0.1  # share of combining marks with nothing to sit on, in decoded Thai


def _counts(text: str) -> tuple[int, int, int]:
    """(Latin-1 high letters and replacement characters, Thai letters, ASCII letters)."""
    odd = thai = ascii_letters = 0
    for ch in text:
        o = ord(ch)
        if o in _LATIN1_HIGH or o == 0xFFFD:
            odd += 1
        elif o in _THAI:
            thai += 1
        elif ch.isascii() and ch.isalpha():
            ascii_letters += 1
    return odd, thai, ascii_letters


def looks_undecodable(text: str) -> bool:
    """Whether ``text`` is mostly the symbols an old Thai font produces (Latin-1
    letters, replacement characters) rather than Thai or English."""
    if not text:
        return False
    odd, thai, ascii_letters = _counts(text)
    if odd < _MIN_SUSPECT or odd <= thai:
        return False
    return odd >= _SUSPECT_SHARE * (odd + thai + ascii_letters)


def _reads_as_thai(text: str) -> bool:
    """Whether the combining marks of ``text`` sit where Thai puts them: on a consonant,
    at most two stacked (a vowel and a tone mark)."""
    marks = bad = 0
    stacked = -1  # marks on the current consonant; -1: no consonant to sit on
    for ch in text:
        o = ord(ch)
        if o in _THAI_COMBINING:
            marks += 1
            if 0 <= stacked < 2:
                stacked += 1
            else:
                bad += 1
        elif o in _THAI_CONSONANTS:
            stacked = 0
        else:
            stacked = -1
    return marks == 0 or bad <= _MAX_BAD_MARKS * marks


def repair_tis620(text: str) -> str | None:
    """``text`` with TIS-620 bytes read as Latin-1 turned back into Thai, or None when
    the result does not read as Thai (marks with no consonant to sit on)."""
    out = "".join(
        chr(ord(ch) + 0x0D60) if 0xA1 <= ord(ch) <= 0xFB and ord(ch) not in _TIS620_UNUSED else ch
        for ch in text
    )
    odd, thai, _ = _counts(out)
    if thai == 0 or odd > thai * 0.05 or not _reads_as_thai(out):
        return None
    return out
