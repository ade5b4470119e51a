"""What kind of resource a URL or a response is: HTML, document, image, other.

Agency servers label PDFs ``application/octet-stream`` or
``application/force-download`` and serve some pages without a Content-Type,
so the extension and the first bytes decide when the header does not.
"""

from __future__ import annotations

import posixpath
from typing import Literal
from urllib.parse import unquote, urlsplit

__all__ = [
    "Kind",
    "extension",
    "kind_of_response",
    "kind_of_type",
    "kind_of_url",
    "media_type",
    "sniff",
]

Kind = Literal["html", "document", "image", "other"]

DOCUMENT_EXTENSIONS = frozenset({"pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods"})
IMAGE_EXTENSIONS = frozenset(
    {
        "jpg",
        "jpeg",
        "png",
        "gif",
        "bmp",
        "webp",
        "svg",
        "tif",
        "tiff",
        "ico",
        "heic",
        "avif",
        "jfif",
    }
)
# Never useful as evidence and often large: not fetched.
OTHER_EXTENSIONS = frozenset(
    {
        "css",
        "js",
        "mjs",
        "map",
        "json",
        "zip",
        "rar",
        "7z",
        "gz",
        "tgz",
        "bz2",
        "xz",
        "tar",
        "exe",
        "msi",
        "dmg",
        "apk",
        "iso",
        "bin",
        "mp3",
        "mp4",
        "m4a",
        "m4v",
        "avi",
        "mov",
        "wmv",
        "flv",
        "mkv",
        "wav",
        "ogg",
        "webm",
        "swf",
        "woff",
        "woff2",
        "ttf",
        "eot",
        "otf",
        "csv",
        "txt",
        "rss",
        "atom",
        "ics",
        "dwg",
        "psd",
        "ai",
        "eps",
    }
)
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
DOCUMENT_TYPES = frozenset(
    {
        "application/pdf",
        "application/x-pdf",
        "application/msword",
        "application/vnd.ms-word",
        "application/vnd.ms-excel",
        "application/vnd.ms-powerpoint",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "application/vnd.oasis.opendocument.text",
        "application/vnd.oasis.opendocument.spreadsheet",
    }
)
# Types that say nothing about the content: decide by extension, then by bytes.
VAGUE_TYPES = frozenset(
    {
        "",
        "application/octet-stream",
        "binary/octet-stream",
        "application/force-download",
        "application/download",
        "application/x-download",
        "application/unknown",
        "application/x-unknown",
        "text/plain",  # misconfigured servers send PHP pages and PDFs as text/plain
    }
)


def media_type(content_type: str | None) -> str:
    """``"text/html; charset=tis-620"`` → ``"text/html"``."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def extension(url: str) -> str:
    try:
        path = unquote(urlsplit(url).path)
    except ValueError:  # "http://[": an unclosed IPv6 bracket
        return ""
    return posixpath.splitext(path)[1].lstrip(".").lower()


def kind_of_url(url: str) -> Kind | None:
    """Kind suggested by the URL's extension, or None (no or unknown extension:
    probably a page)."""
    ext = extension(url)
    if ext in DOCUMENT_EXTENSIONS:
        return "document"
    if ext in IMAGE_EXTENSIONS:
        return "image"
    if ext in OTHER_EXTENSIONS:
        return "other"
    return None


def kind_of_type(mtype: str) -> Kind | None:
    """Kind given by a media type, or None when the type is vague."""
    if mtype in HTML_TYPES:
        return "html"
    if mtype in DOCUMENT_TYPES or mtype.startswith(
        ("application/vnd.openxmlformats-officedocument.", "application/vnd.oasis.opendocument.")
    ):
        return "document"
    if mtype.startswith("image/"):
        return "image"
    if mtype in VAGUE_TYPES:
        return None
    return "other"


def sniff(body: bytes) -> Kind | None:
    """Kind from the first bytes, for vague types."""
    head = body[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"%pdf-"):
        return "document"
    if head.startswith((b"pk\x03\x04", b"\xd0\xcf\x11\xe0")):  # OOXML/ODF zip, OLE (doc/xls)
        return "document"
    if head.startswith(
        (
            b"<!doctype html",
            b"<html",
            b"<head",
            b"<body",
            b"<meta",
            b"<title",
            b"<script",
            b"<!--",
            b"<table",
            b"<div",
            b"<p",
            b"<a ",
            b"<frameset",
        )
    ):
        return "html"
    if head.startswith((b"\x89png", b"gif8", b"\xff\xd8\xff")):
        return "image"
    return None


def kind_of_response(mtype: str, url: str) -> Kind | None:
    """Kind from the header, else from the extension; None means "sniff the body"."""
    by_type = kind_of_type(mtype)
    if by_type is not None:
        return by_type
    by_url = kind_of_url(url)
    if by_url in ("document", "image"):
        return by_url
    return None
