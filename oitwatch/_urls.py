"""Checks the seed URLs a user types, before any scan starts."""

from __future__ import annotations

from urllib.parse import urlsplit

__all__ = ["SeedError", "normalize_seed"]


class SeedError(ValueError):
    def __init__(self, url: str, th: str, en: str) -> None:
        super().__init__(en)
        self.url = url
        self.th = f"{th}: {url!r}"
        self.en = f"{en}: {url!r}"


def normalize_seed(raw: str) -> str:
    """Accept what monitors write ("www.abc.go.th", "http://abc.go.th/") and return a URL.

    A missing scheme becomes http://: many small agency servers have no HTTPS, and
    those that do redirect http:// to it.
    """
    url = raw.strip()
    if not url:
        raise SeedError(raw, "ที่อยู่เว็บว่าง", "empty URL")
    if "://" not in url:
        url = "http://" + url
    try:
        parts = urlsplit(url)
        port = parts.port  # raises ValueError for a bad port
    except ValueError:
        raise SeedError(raw, "ที่อยู่เว็บไม่ถูกต้อง", "not a valid URL") from None
    if parts.scheme not in ("http", "https"):
        raise SeedError(raw, "รองรับเฉพาะ http และ https", "only http and https URLs can be scanned")
    host = parts.hostname or ""
    if not host or " " in host or (port is not None and not 0 < port < 65536):
        raise SeedError(raw, "ที่อยู่เว็บไม่มีชื่อโดเมนที่ถูกต้อง", "the URL has no valid host name")
    if "." not in host and host != "localhost" and ":" not in host:
        raise SeedError(raw, "ชื่อโดเมนไม่ครบ", "the host name is incomplete")
    return url
