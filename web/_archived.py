"""The archived copy of an evidence URL, read back from the site scan's WARC file.

The body is what a hostile site sent, so it is served as inert as a browser allows:

- ``Content-Security-Policy: sandbox …`` (web._security.ARCHIVED_CSP): no script runs, the
  document gets an opaque origin (no cookie, no storage, no request as the dashboard);
- ``X-Content-Type-Options: nosniff`` and our own ``Content-Type``;
- ``Content-Disposition``: ``inline`` only for HTML and raster images, ``attachment`` for
  anything else (PDF, SVG, office files ...), with an ASCII file name we make;
- none of the crawled response's own headers (Set-Cookie, Location, Link, CSP, Refresh …)
  is passed on: only the media type and charset are read from them.

The stored body still carries its Content-Encoding (archive._writer keeps bytes as sent);
gzip and deflate are decoded here with zlib's ``max_length``, so a decompression bomb
stops at :data:`MAX_BODY` bytes of output instead of filling memory."""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from urllib.parse import unquote, urlsplit

from warcio.archiveiterator import ArchiveIterator

from crawler._charset import codec_for_label, decode_html

__all__ = ["MAX_BODY", "ArchivedBody", "ArchiveReadError", "TooLarge", "read_archived"]

MAX_BODY = 20 * 1024 * 1024  # decoded bytes served at most
MAX_RAW = 40 * 1024 * 1024  # stored (still encoded) bytes read at most
_CHUNK = 64 * 1024
INLINE_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain", "image/png",
                          "image/jpeg", "image/gif", "image/webp"})
_TOKEN = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$")
_CHARSET = re.compile(r"^[A-Za-z0-9._:-]{1,40}$")
_EXT = {"text/html": "html", "application/xhtml+xml": "xhtml", "text/plain": "txt",
        "image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/webp": "webp",
        "application/pdf": "pdf"}


class ArchiveReadError(Exception):
    """The record cannot be read (file gone, offset wrong, not a response record)."""


class TooLarge(ArchiveReadError):
    """The decoded body is larger than MAX_BODY."""


@dataclass(frozen=True, slots=True)
class ArchivedBody:
    media_type: str  # lower-case type/subtype, "application/octet-stream" when unknown
    charset: str | None
    body: bytes
    http_status: int
    target_uri: str
    date: str  # WARC-Date

    @property
    def inline(self) -> bool:
        return self.media_type in INLINE_TYPES

    def filename(self) -> str:
        """An ASCII name from the URL's last path segment, with our extension."""
        last = unquote(urlsplit(self.target_uri).path.rsplit("/", 1)[-1])
        stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", last)
        stem = re.sub(r"[^A-Za-z0-9_-]+", "_", stem).strip("_")[:60] or "archived"
        return f"{stem}.{_EXT.get(self.media_type, 'bin')}"

    def content_type(self) -> str:
        """The media type, and for text the charset the crawler read it in: many Thai sites
        name TIS-620 only in a <meta> (or send a wrong server-wide UTF-8), and without an
        explicit, right label here the browser would show the copy as garbage."""
        if not self.media_type.startswith("text/"):
            return self.media_type
        if self.media_type == "text/html":
            codec = decode_html(self.body, self.charset)[1]
        else:
            codec = codec_for_label(self.charset) or "utf-8"
        return f"{self.media_type}; charset={_WEB_LABELS.get(codec, codec)}"


# Python codec -> the label browsers know it by (WHATWG Encoding)
_WEB_LABELS = {"cp874": "windows-874", "cp1252": "windows-1252", "iso8859-11": "iso-8859-11"}


def _media(header: str | None) -> tuple[str, str | None]:
    if not header:
        return "application/octet-stream", None
    main, *params = header.split(";")
    media = main.strip().lower()
    if not _TOKEN.match(media):
        media = "application/octet-stream"
    charset = None
    for param in params:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            value = value.strip().strip('"')
            charset = value if _CHARSET.match(value) else None
    return media, charset


def _read_capped(stream: BinaryIO, limit: int) -> bytes:
    parts: list[bytes] = []
    size = 0
    while True:
        block = stream.read(_CHUNK)
        if not block:
            return b"".join(parts)
        size += len(block)
        if size > limit:
            raise TooLarge(f"more than {limit} bytes")
        parts.append(block)


def _inflate(raw: bytes, wbits: int) -> bytes:
    """Decode with at most MAX_BODY bytes of output (zlib's max_length bounds each step)."""
    d = zlib.decompressobj(wbits)
    out: list[bytes] = []
    size = 0
    data = raw
    while data:
        piece = d.decompress(data, MAX_BODY + 1 - size)
        size += len(piece)
        out.append(piece)
        if size > MAX_BODY:
            raise TooLarge(f"decodes to more than {MAX_BODY} bytes")
        data = d.unconsumed_tail
        if d.eof:
            break
        if not piece and not data:
            break
    return b"".join(out)


def decode_body(raw: bytes, encoding: str | None) -> bytes:
    """The body without its Content-Encoding (gzip, deflate; identity as it is)."""
    enc = (encoding or "").strip().lower()
    if enc in ("", "identity"):
        if len(raw) > MAX_BODY:
            raise TooLarge(f"more than {MAX_BODY} bytes")
        return raw
    try:
        if enc in ("gzip", "x-gzip"):
            return _inflate(raw, 16 + zlib.MAX_WBITS)
        if enc == "deflate":  # zlib-wrapped as the RFC says, raw deflate as IIS sends
            try:
                return _inflate(raw, zlib.MAX_WBITS)
            except zlib.error:
                return _inflate(raw, -zlib.MAX_WBITS)
    except zlib.error as exc:
        raise ArchiveReadError(f"cannot decode {enc}: {exc}") from exc
    raise ArchiveReadError(f"unsupported Content-Encoding {enc!r}")


def read_archived(warc_file: str, offset: int) -> ArchivedBody:
    """The response record at ``offset`` of ``warc_file``, its body decoded."""
    path = Path(warc_file)
    if offset < 0 or not path.is_file():
        raise ArchiveReadError("the archive file is gone")
    try:
        with path.open("rb") as fh:
            fh.seek(offset)
            record = next(iter(ArchiveIterator(fh)), None)
            if record is None or record.rec_type not in ("response", "resource"):
                raise ArchiveReadError("no response record at this offset")
            http = record.http_headers
            if record.rec_type == "response" and http is not None:
                media, charset = _media(http.get_header("Content-Type"))
                encoding = http.get_header("Content-Encoding")
                status = int(http.get_statuscode() or 0)
            else:
                media, charset = _media(record.rec_headers.get_header("Content-Type"))
                encoding, status = None, 200
            raw = _read_capped(record.raw_stream, MAX_RAW)
            target = record.rec_headers.get_header("WARC-Target-URI") or ""
            date = record.rec_headers.get_header("WARC-Date") or ""
    except (OSError, ValueError, EOFError, zlib.error) as exc:
        raise ArchiveReadError(f"{type(exc).__name__}: {exc}") from exc
    return ArchivedBody(media, charset, decode_body(raw, encoding), status, target, date)
