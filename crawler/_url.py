"""URL normalisation, de-duplication keys and same-site scope.

One URL must have one spelling, or the crawler fetches the same page under
several names and the link graph splits. Normalisation follows RFC 3986
section 6 plus the usual crawler rules (session ids and tracking parameters
removed, query parameters sorted).

Percent-encoding: every byte outside the unreserved set is written as an
upper-case ``%XX`` escape and every escaped unreserved byte is decoded, so the
raw Thai slug ``/ข่าว`` and the encoded ``/%e0%b8%82...`` become one URL.
Escaped reserved characters (``%2F``, ``%3F``, ``%26`` ...) stay escaped:
decoding them would change what the URL means.
"""

from __future__ import annotations

import functools
import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit, urlunsplit

import idna

__all__ = [
    "Scope",
    "dedup_key",
    "host_port",
    "is_ip_host",
    "normalize_url",
    "registrable_domain",
    "site_key",
]

_DEFAULT_PORTS = {"http": 80, "https": 443}

# RFC 3986 unreserved characters: an escape of one of these is always decoded.
_UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
# Characters left literal when they appear literally (sub-delims and the few
# gen-delims a component may contain). Everything else is percent-encoded.
_PATH_SAFE = _UNRESERVED | frozenset(b"!$&'()*+,;=:@/")
_QUERY_SAFE = _UNRESERVED | frozenset(b"!$'()*+,;:@/?")  # '&' and '=' delimit pairs

_HEX = "0123456789ABCDEF"

# Query parameters that identify a visitor or a campaign, never a page.
_DROP_PARAMS = frozenset(
    {"phpsessid", "jsessionid", "sid", "sessionid", "session_id", "aspsessionid", "fbclid", "gclid"}
)
_DROP_PARAM_PREFIXES = ("utm_",)
# Session ids carried as a path parameter: /page;jsessionid=ABC?x=1
_PATH_SESSION = re.compile(r";(?:jsessionid|phpsessid|sid|sessionid)=[^/?#]*", re.IGNORECASE)

_ASCII_HOST = re.compile(r"[a-z0-9_.\-]+")

# Browsers drop ASCII tab and newline anywhere in a URL; pages contain them.
_TAB_NL = re.compile(r"[\t\n\r]")


def _normalize_component(text: str, safe: frozenset[int]) -> str:
    """Re-encode one URL component canonically (see the module docstring)."""
    out: list[str] = []
    raw = text.encode("utf-8", "surrogatepass")
    i = 0
    n = len(raw)
    while i < n:
        b = raw[i]
        if b == 0x25 and i + 2 < n and _is_hex(raw[i + 1]) and _is_hex(raw[i + 2]):
            value = int(raw[i + 1 : i + 3], 16)
            if value in _UNRESERVED:
                out.append(chr(value))
            else:
                # Keep the escape (reserved ASCII stays meaningful; non-ASCII bytes
                # are escaped anyway), upper-case hex.
                out.append("%" + _HEX[value >> 4] + _HEX[value & 15])
            i += 3
            continue
        if b in safe:
            out.append(chr(b))
        else:
            # Includes a lone "%" not followed by two hex digits: escape it.
            out.append("%" + _HEX[b >> 4] + _HEX[b & 15])
        i += 1
    return "".join(out)


def _is_hex(b: int) -> bool:
    return 48 <= b <= 57 or 65 <= b <= 70 or 97 <= b <= 102


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 section 5.2.4."""
    if not path:
        return "/"
    segments = path.split("/")
    out: list[str] = []
    for seg in segments[1:] if path.startswith("/") else segments:
        if seg == "..":
            if out:
                out.pop()
        elif seg != ".":
            out.append(seg)
    result = "/" + "/".join(out)
    # "/a/b/.." means the directory "/a/": keep the trailing slash.
    if segments[-1] in (".", "..") and not result.endswith("/"):
        result += "/"
    return result


def _normalize_host(host: str) -> str | None:
    host = host.strip().rstrip(".").lower()
    if not host:
        return None
    if host.startswith("[") and host.endswith("]"):
        try:
            return "[" + ipaddress.IPv6Address(host[1:-1]).compressed + "]"
        except ValueError:
            return None
    if host.isascii():
        return host if _ASCII_HOST.fullmatch(host) else None
    try:
        return idna.encode(host, uts46=True).decode("ascii")
    except idna.IDNAError:
        try:
            encoded = host.encode("idna").decode("ascii")
        except UnicodeError:
            return None
        # The lax IDNA 2003 codec passes ASCII punctuation through ("; ¡" becomes
        # "xn--;-6ba"): the result must be a host name we would accept as typed.
        return encoded if _ASCII_HOST.fullmatch(encoded) else None


def _normalize_query(query: str) -> str:
    if not query:
        return ""
    pairs: list[tuple[str, str]] = []
    for part in query.split("&"):
        if not part:
            continue
        key, sep, value = part.partition("=")
        lower = key.lower()
        if lower in _DROP_PARAMS or lower.startswith(_DROP_PARAM_PREFIXES):
            continue
        key = _normalize_component(key, _QUERY_SAFE)
        value = _normalize_component(value, _QUERY_SAFE)
        pairs.append((key, sep + value))
    pairs.sort()  # stable for equal keys: same value order gives the same URL
    return "&".join(k + v for k, v in pairs)


def normalize_url(url: str, base: str | None = None) -> str | None:
    """Return the canonical absolute form of ``url`` (resolved against ``base``),
    or None when it is not an http(s) URL we could fetch.

    Credentials (``user:pass@``) are removed: the crawler never sends them.
    """
    try:
        url = _TAB_NL.sub("", url).strip()
        if base is not None:
            url = urljoin(base, url)
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in _DEFAULT_PORTS:
            return None
        hostname = parts.hostname
        if hostname is None:
            return None
        host = _normalize_host(hostname if ":" not in hostname else f"[{hostname}]")
        if host is None:
            return None
        port = parts.port  # raises ValueError for a bad port
    except ValueError:
        return None
    netloc = host if port is None or port == _DEFAULT_PORTS[scheme] else f"{host}:{port}"
    path = _PATH_SESSION.sub("", parts.path)
    path = _remove_dot_segments(_normalize_component(path, _PATH_SAFE))
    query = _normalize_query(parts.query)
    return urlunsplit((scheme, netloc, path, query, ""))


def dedup_key(url: str) -> str:
    """Key under which a normalised URL counts as already seen: the scheme is
    ignored because agency sites mix http:// and https:// links to one page."""
    return url.split("://", 1)[-1]


def host_port(url: str) -> tuple[str, int]:
    """(host, port) of a normalised URL; the host without IPv6 brackets."""
    parts = urlsplit(url)
    port = parts.port or _DEFAULT_PORTS.get(parts.scheme, 80)
    return (parts.hostname or ""), port


def is_ip_host(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


@functools.lru_cache(maxsize=1)
def _extractor() -> object:
    import tldextract

    # Offline: the bundled Public Suffix List snapshot, no fetch, no cache file.
    # Private suffixes (blogspot.com, github.io ...) are included so that each
    # tenant of a hosting platform is its own site.
    return tldextract.TLDExtract(
        suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True
    )


@functools.lru_cache(maxsize=4096)
def registrable_domain(host: str) -> str:
    """``www.abc.go.th`` → ``abc.go.th``; "" for IPs, single labels and bare suffixes."""
    if is_ip_host(host):
        return ""
    result = _extractor()(host)  # type: ignore[operator]
    return str(result.top_domain_under_public_suffix)


# Hosts shared by many unrelated sites, where a site is a path prefix.
# Google Sites (used by schools): /view/<name>/, /site/<name>/, /a/<domain>/<name>/.
_SHARED_HOSTS = {"sites.google.com"}


def _shared_prefix(host: str, path: str) -> str | None:
    if host not in _SHARED_HOSTS:
        return None
    segments = [s for s in path.split("/") if s]
    wanted = 3 if segments[:1] == ["a"] else 2
    if len(segments) < wanted:
        return "/"
    return "/" + "/".join(segments[:wanted]) + "/"


def site_key(url: str) -> str:
    """Identity of the site a normalised URL belongs to.

    Hostnames: the registrable domain, so ``www.abc.go.th`` and
    ``eservice.abc.go.th`` are one site and ``xyz.go.th`` another (``go.th``
    is a public suffix). IP addresses and ``localhost``: exact host and port.
    """
    parts = urlsplit(url)
    host = parts.hostname or ""
    if is_ip_host(host) or host == "localhost":
        port = parts.port or _DEFAULT_PORTS.get(parts.scheme, 80)
        return f"{host}:{port}"
    prefix = _shared_prefix(host, parts.path)
    if prefix is not None:
        return host + prefix
    return registrable_domain(host) or host


@dataclass
class Scope:
    """The set of sites a crawl may fetch from: the seed's site and, when the
    home page redirected to another domain (an agency that moved), that one."""

    keys: set[str]

    @classmethod
    def of(cls, *urls: str) -> Scope:
        return cls({site_key(u) for u in urls})

    def add(self, url: str) -> None:
        self.keys.add(site_key(url))

    def __contains__(self, url: str) -> bool:
        key = site_key(url)
        if key in self.keys:
            return True
        # A shared-host key with prefix "/" (a bare sites.google.com seed) covers the host.
        return any(k.endswith("/") and key.startswith(k) for k in self.keys)
