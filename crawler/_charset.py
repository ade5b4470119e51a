"""Decoding HTML bytes to text.

Thai agency sites are often TIS-620 / windows-874 and declare it only in a
``<meta>`` tag, so the order matters: BOM, HTTP header, ``<meta>`` in the
first 4 KB, then a guess (strict UTF-8, else cp874). The BOM comes first, as
in browsers (WHATWG "decode"): it is written by the tool that produced the
bytes and is more reliable than a server-wide default header.

Python has no codec called "windows-874"; every Thai label maps to ``cp874``,
which is a superset of TIS-620.
"""

from __future__ import annotations

import codecs
import re

__all__ = ["codec_for_label", "decode_html", "sniff_meta_charset"]

_THAI_LABELS = {
    "tis-620",
    "tis620",
    "tis_620",
    "tis-620-2533",
    "iso-8859-11",
    "iso8859-11",
    "iso_8859-11",
    "windows-874",
    "x-windows-874",
    "cp874",
    "ms874",
    "dos-874",
    "thai",
}
# WHATWG: these labels mean windows-1252 in browsers.
_LATIN1_LABELS = {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii"}

# Text codecs of Python that are not page encodings (see codec_for_label).
_NOT_PAGE_CODECS = {"idna", "punycode", "undefined", "unicode-escape", "raw-unicode-escape"}

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_META_SCAN = 4096
# Matches <meta charset="x"> and <meta http-equiv="Content-Type" content="text/html; charset=x">.
_META_CHARSET = re.compile(
    rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.IGNORECASE
)


def codec_for_label(label: str | None) -> str | None:
    """Python codec name for a charset label, or None if unknown."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if label in _THAI_LABELS:
        return "cp874"
    if label in _LATIN1_LABELS:
        return "cp1252"
    try:
        info = codecs.lookup(label)
    except (LookupError, ValueError):  # ValueError: a NUL in the label
        return None
    name = info.name
    # Python also has codecs no web page is written in, some of which cannot
    # decode arbitrary bytes even with errors="replace" (base64, zlib: bytes to
    # bytes; idna, punycode: raise). A label naming one is no label at all.
    if not info._is_text_encoding or name in _NOT_PAGE_CODECS:
        return None
    # A page cannot really be in a UTF-16 variant if it declares so in ASCII
    # <meta>; browsers treat that as UTF-8. "utf-8-sig" is just UTF-8.
    if name.startswith("utf-16") or name == "utf-8-sig":
        return "utf-8"
    return name


def sniff_meta_charset(body: bytes) -> str | None:
    """Codec named by a ``<meta>`` tag in the first 4 KB, if any."""
    for match in _META_CHARSET.finditer(body[:_META_SCAN]):
        codec = codec_for_label(match.group(1).decode("ascii", "replace"))
        if codec:
            return codec
    return None


def _is_utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A page cut at the size cap may end in half a character.
        return exc.start >= len(body) - 3 and exc.reason == "unexpected end of data"
    return True


def decode_html(body: bytes, header_charset: str | None = None) -> tuple[str, str]:
    """Return (text, codec) for an HTML body. Never raises: undecodable bytes
    become U+FFFD."""
    for bom, bom_codec in _BOMS:
        if body.startswith(bom):
            return body[len(bom) :].decode(bom_codec, errors="replace"), bom_codec
    codec: str | None = codec_for_label(header_charset)
    if codec == "utf-8" and not _is_utf8(body):
        # A server-wide "charset=UTF-8" default in front of a TIS-620 page is a
        # common misconfiguration; the page's own <meta> knows better.
        codec = None
    if codec is None:
        codec = sniff_meta_charset(body)
        if codec == "utf-8" and not _is_utf8(body):
            codec = None  # the same mistake in a copied <meta>
    if codec is None:
        codec = "utf-8" if _is_utf8(body) else "cp874"
    try:
        return body.decode(codec, errors="replace"), codec
    except (UnicodeError, LookupError):  # a codec that fails even with errors="replace"
        codec = "utf-8" if _is_utf8(body) else "cp874"
        return body.decode(codec, errors="replace"), codec
