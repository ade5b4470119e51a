"""Sitemaps (sitemaps.org): ``<urlset>`` and ``<sitemapindex>``, plain or gzipped.

Read with a regular expression rather than an XML parser: agency sitemaps are
often not well-formed XML, and a regex cannot be made to expand entities.
"""

from __future__ import annotations

import html
import re
import zlib

__all__ = ["parse_sitemap"]

_LOC = re.compile(rb"<(?:[\w-]+:)?loc\b[^>]*>(.*?)</(?:[\w-]+:)?loc\s*>", re.IGNORECASE | re.DOTALL)
_CDATA = re.compile(r"^<!\[CDATA\[(.*)\]\]>$", re.DOTALL)
_INDEX = re.compile(rb"<(?:[\w-]+:)?sitemapindex\b", re.IGNORECASE)


def _gunzip(data: bytes, cap: int) -> bytes:
    z = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        return z.decompress(data, cap)
    except zlib.error:
        return b""


def parse_sitemap(body: bytes, max_bytes: int, max_urls: int) -> tuple[bool, list[str]]:
    """(is a sitemap index, the ``<loc>`` URLs) of a sitemap file.

    A text sitemap (one URL per line) is accepted too.
    """
    if body[:2] == b"\x1f\x8b":
        body = _gunzip(body, max_bytes)
    body = body[:max_bytes]
    is_index = _INDEX.search(body[:4096]) is not None
    urls: list[str] = []
    if b"<" in body[:1024]:
        for match in _LOC.finditer(body):
            text = html.unescape(match.group(1).decode("utf-8", "replace")).strip()
            cdata = _CDATA.match(text)
            if cdata:
                text = cdata.group(1).strip()
            if text:
                urls.append(text)
                if len(urls) >= max_urls:
                    break
    else:
        for line in body.decode("utf-8", "replace").splitlines():
            line = line.strip()
            if line.startswith(("http://", "https://")):
                urls.append(line)
                if len(urls) >= max_urls:
                    break
    return is_index, urls
