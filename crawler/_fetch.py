"""One fetch: a GET with retries, manual redirects and size caps.

Redirects are followed here, not by httpx, so every hop is checked again
(SSRF, scope, robots) and loops are caught. Bodies are streamed and decoded by
a bounded decompressor, so neither a huge body nor a gzip bomb can take more
than the cap in memory. Nothing here raises for a network problem: the result
says what happened.
"""

from __future__ import annotations

import email.utils
import logging
import random
import re
import ssl
import zlib
from collections import Counter
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

import anyio
import httpx

from ._config import CrawlConfig
from ._content import Kind, kind_of_response, media_type, sniff
from ._net import ALLOW_PRIVATE, AddressRefused, DNSLookupError, forbidden_reason
from ._politeness import Limiter
from ._url import dedup_key, host_port, is_ip_host, normalize_url

__all__ = [
    "BrowserCapture",
    "FetchResult",
    "Fetcher",
    "HopCheck",
    "HttpExchange",
    "Recorder",
    "current_recorder",
    "parse_retry_after",
]

HopCheck = Callable[[str], Awaitable[tuple[str, str] | None]]
"""Called before each hop with its URL; returns (skip reason, detail) to refuse it."""



@dataclass(frozen=True, slots=True)
class HttpExchange:
    """One HTTP request and its response, as the crawler sent and received them (every
    hop: robots.txt, sitemaps, redirects, pages, documents, images, retries). Handed to a
    :data:`Recorder`; the crawler itself keeps none of it."""

    method: str
    url: str
    request_headers: list[tuple[str, str]]  # as sent, in order (cookies included)
    http_version: str  # "HTTP/1.1"
    status: int
    reason: str
    response_headers: list[tuple[str, str]]  # as received, in order
    body: bytes
    # True: ``body`` is the bytes as received (Content-Encoding still applied, chunking
    # removed); False: only the decoded body was available (e.g. an in-memory transport).
    body_raw: bool
    # False: the body was not read to its end (a redirect, an error page, a size cap,
    # a refused type): ``body`` is what was read, possibly nothing.
    body_complete: bool
    started_at: datetime


@dataclass(frozen=True, slots=True)
class BrowserCapture:
    """What the browser made of a page: the rendered DOM ("dom", UTF-8 HTML) or a
    screenshot ("screenshot", PNG)."""

    kind: Literal["dom", "screenshot"]
    url: str  # the page that was rendered
    final_url: str  # where the browser ended up
    content: bytes
    media_type: str
    captured_at: datetime


Recorder = Callable[[HttpExchange | BrowserCapture], None]
"""Receives every exchange of a crawl; called on the event loop, so it must return at once
(hand the work to a thread). An exception in it is logged, never fails the crawl."""

current_recorder: ContextVar[Recorder | None] = ContextVar("crawler_recorder", default=None)
"""The recorder of the crawl running in this task (set by ``Crawler.crawl(recorder=...)``);
tasks the crawl starts inherit it."""


def _recorder(config: CrawlConfig) -> Recorder | None:
    return current_recorder.get() or config.recorder


def emit(config: CrawlConfig, event: HttpExchange | BrowserCapture) -> None:
    """Hand ``event`` to the crawl's recorder, if any; a failing recorder is only logged."""
    recorder = _recorder(config)
    if recorder is None:
        return
    try:
        recorder(event)
    except Exception:  # archiving must never break a crawl (logged)
        logging.getLogger("crawler").exception("crawler: the recorder failed on %s", event.url)


_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_CHARSET = re.compile(r"""charset\s*=\s*["']?([^"';\s]+)""", re.IGNORECASE)
_RAW_SLACK = 64 * 1024  # compressed bytes may exceed the decoded cap by this much


@dataclass
class FetchResult:
    """What came of fetching one URL (after redirects)."""

    url: str
    final_url: str
    status: int = 0  # of the last response; 0 when none
    content_type: str = ""  # media type, lower case, no parameters
    header_charset: str | None = None
    kind: Kind | None = None  # "html" or "document" when a body was kept
    body: bytes = b""
    truncated: bool = False  # body cut at the size cap
    redirects: list[str] = field(default_factory=list)  # URLs of the hops after the first
    error_kind: str = ""  # "dns", "connect", "timeout", "tls", "network", "other"
    error: str = ""  # human-readable, when error_kind is set
    skip: tuple[str, str] | None = None  # (reason, detail): "ssrf", "robots", "scope",
    #                                       "redirect", "type", "size"
    fetched_at: datetime | None = None

    @property
    def ok(self) -> bool:
        return not self.error_kind and self.skip is None and 200 <= self.status < 300


@dataclass
class _Hop:
    status: int = 0
    location: str | None = None
    content_type: str = ""
    header_charset: str | None = None
    kind: Kind | None = None
    body: bytes = b""
    truncated: bool = False
    retry_after: float | None = None
    error_kind: str = ""
    error: str = ""
    retryable: bool = False
    skip: tuple[str, str] | None = None


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    now = now or datetime.now(UTC)
    return max(0.0, (when - now).total_seconds())


class _UnsupportedEncoding(Exception):
    pass


class _Decoder:
    """Content-Encoding decoder that never produces more than asked for, so a
    gzip bomb costs at most the cap (httpx's decoder inflates a whole chunk)."""

    def __init__(self, header: str) -> None:
        codings = [c.strip().lower() for c in header.split(",") if c.strip()]
        codings = [c for c in codings if c != "identity"]
        if not codings:
            self._mode: str | None = None
        elif codings in (["gzip"], ["x-gzip"]):
            self._mode = "gzip"
        elif codings == ["deflate"]:
            self._mode = "deflate"
        else:
            raise _UnsupportedEncoding(header)
        self._z = self._new()
        self._first = True
        self.failed = False

    def _new(self) -> zlib._Decompress:
        return zlib.decompressobj(16 + zlib.MAX_WBITS if self._mode == "gzip" else zlib.MAX_WBITS)

    def feed(self, data: bytes, limit: int) -> bytes:
        if self._mode is None or self.failed:
            return data[:limit]
        out = bytearray()
        while data and len(out) < limit:
            try:
                chunk = self._z.decompress(data, limit - len(out))
            except zlib.error:
                if self._first and self._mode == "deflate":
                    self._z = zlib.decompressobj(-zlib.MAX_WBITS)  # raw deflate, no zlib header
                    self._mode = "raw-deflate"
                    continue
                if self._first:
                    self._mode = None  # mislabelled: the body is not compressed at all
                    return data[:limit]
                self.failed = True  # corrupt or trailing garbage: keep what we have
                break
            self._first = False
            out += chunk
            if self._z.eof:
                data = self._z.unused_data  # another gzip member may follow
                if data:
                    self._z = self._new()
            else:
                data = self._z.unconsumed_tail
        return bytes(out)


def _describe_error(exc: BaseException, url: str, config: CrawlConfig) -> tuple[str, str, bool]:
    """(error kind, message, retryable) for an exception raised by a request."""
    host, port = host_port(url)
    where = f"{host}:{port}"
    if isinstance(exc, TimeoutError):
        return "timeout", f"no complete response within {config.request_timeout:g} s: {where}", True
    if isinstance(exc, httpx.ConnectTimeout):
        text = str(exc)  # ours: "connect timeout: ip:port" / "DNS lookup timed out: host"
        return "timeout", text if "time" in text else f"connect timeout: {where}", True
    if isinstance(exc, httpx.TimeoutException):
        return "timeout", f"read timeout: {where}", True
    if isinstance(exc, httpx.ConnectError):
        cause: BaseException | None = exc
        for _ in range(6):
            cause = cause.__cause__ or cause.__context__ if cause is not None else None
            if isinstance(cause, DNSLookupError):
                return "dns", str(cause), cause.temporary
            if isinstance(cause, ssl.SSLError):
                reason = getattr(cause, "reason", None) or str(cause)
                return "tls", f"TLS handshake failed: {where}: {reason}", False
        text = str(exc)
        if "ssl" in text.lower() or "tls" in text.lower():
            return "tls", f"TLS handshake failed: {where}: {text}", False
        if "nodename nor servname" in text or "Name or service not known" in text:
            return "dns", f"DNS lookup failed: {host} ({text})", False
        return "connect", text or f"cannot connect to {where}", True
    if isinstance(exc, httpx.TransportError):
        text = str(exc) or type(exc).__name__
        return "network", f"{where}: {text}", True
    return "other", f"{type(exc).__name__}: {exc}", False


def _retryable_status(status: int) -> bool:
    return status == 429 or status in (500, 502, 503, 504) or 520 <= status <= 530


class Fetcher:
    """Fetches URLs through one shared client and limiter."""

    def __init__(self, client: httpx.AsyncClient, limiter: Limiter, config: CrawlConfig) -> None:
        self._client = client
        self._limiter = limiter
        self._config = config

    async def fetch(
        self,
        url: str,
        *,
        allow_private: bool,
        jar: httpx.Cookies,
        check_hop: HopCheck | None = None,
        raw_cap: int | None = None,
        max_redirects: int | None = None,
        image_cap: int | None = None,
    ) -> FetchResult:
        """GET ``url`` following redirects. ``raw_cap`` reads any 2xx body up to
        that many bytes without looking at its type (robots.txt, sitemaps).
        ``image_cap`` fetches an image (kind "image"): an HTML answer or a body
        over that many bytes is refused (skip "type" / "size")."""
        result = FetchResult(url=url, final_url=url)
        limit = self._config.max_redirects if max_redirects is None else max_redirects
        visits: Counter[str] = Counter()
        chain = [url]
        current = url
        while True:
            key = dedup_key(current)
            visits[key] += 1
            # A URL may come back once (a server that sets a cookie and redirects
            # to itself); a third visit is a loop.
            if visits[key] > 2:
                result.skip = ("redirect", "redirect loop: " + " → ".join(chain[-4:]))
                return result
            refusal = self._ssrf_precheck(current, allow_private)
            if refusal is None and check_hop is not None:
                refusal = await check_hop(current)
            if refusal is not None:
                result.skip = refusal
                return result
            hop = await self._with_retries(current, allow_private, jar, raw_cap, image_cap)
            result.fetched_at = datetime.now(UTC)
            result.status = hop.status
            if hop.skip or hop.error_kind:
                result.skip, result.error_kind, result.error = hop.skip, hop.error_kind, hop.error
                return result
            if hop.location is not None:
                target = normalize_url(hop.location, current)
                if target is None:
                    result.skip = (
                        "redirect",
                        f"HTTP {hop.status} to an unusable URL: {hop.location[:200]}",
                    )
                    return result
                if len(chain) > limit:
                    result.skip = ("redirect", f"more than {limit} redirects from {url}")
                    return result
                chain.append(target)
                result.redirects.append(target)
                result.final_url = current = target
                continue
            result.content_type = hop.content_type
            result.header_charset = hop.header_charset
            result.kind = hop.kind
            result.body = hop.body
            result.truncated = hop.truncated
            return result

    def _ssrf_precheck(self, url: str, allow_private: bool) -> tuple[str, str] | None:
        """Refuse IP literals and localhost before queueing for a slot. (Host
        names are checked after resolution, in the transport.)"""
        if allow_private:
            return None
        host, _ = host_port(url)
        if host == "localhost" or host.endswith(".localhost"):
            return "ssrf", f"SSRF guard: {host} is a loopback name"
        if is_ip_host(host):
            why = forbidden_reason(host)
            if why:
                return "ssrf", f"SSRF guard: {host}, a {why} address"
        return None

    async def _with_retries(
        self,
        url: str,
        allow_private: bool,
        jar: httpx.Cookies,
        raw_cap: int | None,
        image_cap: int | None = None,
    ) -> _Hop:
        config = self._config
        host, port = host_port(url)
        key = f"{host}:{port}"
        attempt = 0
        while True:
            hop = await self._once(url, key, allow_private, jar, raw_cap, image_cap)
            retry = hop.retryable or (hop.location is None and _retryable_status(hop.status))
            if not retry or attempt >= config.retries:
                return hop
            if hop.retry_after is not None:
                wait = min(hop.retry_after, config.max_retry_after)
                # The server asked everybody to wait, not just this request.
                self._limiter.pause(key, wait)
            else:
                wait = config.backoff * (2**attempt) * random.uniform(0.5, 1.5)
            attempt += 1
            await anyio.sleep(wait)

    async def _once(
        self,
        url: str,
        key: str,
        allow_private: bool,
        jar: httpx.Cookies,
        raw_cap: int | None,
        image_cap: int | None = None,
    ) -> _Hop:
        try:
            request = self._client.build_request(
                "GET", url, extensions={ALLOW_PRIVATE: allow_private}
            )
            jar.set_cookie_header(request)
            sink = _Sink() if _recorder(self._config) is not None else None
            async with self._limiter.slot(key):
                with anyio.fail_after(self._config.request_timeout):
                    started = datetime.now(UTC)
                    response = await self._client.send(request, stream=True)
                    try:
                        jar.extract_cookies(response)
                        if image_cap is not None:
                            return await self._read_image(response, url, image_cap, sink)
                        return await self._read(response, url, raw_cap, sink)
                    finally:
                        await response.aclose()
                        if sink is not None:  # also when reading failed half-way
                            emit(self._config, sink.exchange(request, response, started))
        except AddressRefused as exc:
            return _Hop(skip=("ssrf", f"SSRF guard: {exc}"))
        except Exception as exc:  # noqa: BLE001 - every failure becomes a result
            kind, message, retryable = _describe_error(exc, url, self._config)
            return _Hop(error_kind=kind, error=message, retryable=retryable)

    async def _read(
        self, response: httpx.Response, url: str, raw_cap: int | None, sink: _Sink | None = None
    ) -> _Hop:
        config = self._config
        status = response.status_code
        headers = response.headers
        location = headers.get("location")
        if status in _REDIRECTS and location:
            return _Hop(status=status, location=location)
        content_type = headers.get("content-type", "")
        mtype = media_type(content_type)
        charset_match = _CHARSET.search(content_type)
        hop = _Hop(
            status=status,
            content_type=mtype,
            header_charset=charset_match.group(1) if charset_match else None,
            retry_after=parse_retry_after(headers.get("retry-after")),
        )
        if not 200 <= status < 300:
            return hop  # error pages are not read
        if raw_cap is not None:  # robots.txt, sitemaps
            try:
                hop.body, hop.truncated = await self._body(response, raw_cap, sink)
            except _UnsupportedEncoding as exc:
                # unreadable: robots.txt counts as unavailable, a sitemap is not read
                hop.skip = ("type", f"unsupported Content-Encoding: {exc}")
            return hop

        kind = kind_of_response(mtype, url)
        if kind in ("image", "other"):
            hop.skip = ("type", f"{mtype or 'no Content-Type'} is not a page or document")
            return hop
        if kind == "document" and not config.fetch_documents:
            hop.skip = ("type", "documents are not fetched (fetch_documents=False)")
            return hop
        if kind == "html":
            cap = config.max_page_bytes
        elif kind == "document":
            cap = config.max_document_bytes
        else:  # unknown until we see the bytes
            cap = max(config.max_page_bytes, config.max_document_bytes)
        declared = _content_length(headers)
        if kind == "document" and declared is not None and declared > cap:
            hop.skip = ("size", f"document of {declared} bytes > {cap} bytes")
            return hop
        try:
            body, truncated = await self._body(response, cap, sink)
        except _UnsupportedEncoding as exc:
            hop.skip = ("type", f"unsupported Content-Encoding: {exc}")
            return hop
        if kind is None:
            kind = sniff(body)
            if kind == "document" and not config.fetch_documents:
                hop.skip = ("type", "documents are not fetched (fetch_documents=False)")
                return hop
            if kind not in ("html", "document"):
                hop.skip = ("type", f"{mtype or 'no Content-Type'}: not recognised as a page")
                return hop
            if kind == "html" and len(body) > config.max_page_bytes:
                body, truncated = body[: config.max_page_bytes], True
        if kind == "document" and truncated:
            hop.skip = ("size", f"document larger than {cap} bytes")
            return hop
        hop.kind, hop.body, hop.truncated = kind, body, truncated
        return hop

    async def _read_image(
        self, response: httpx.Response, url: str, cap: int, sink: _Sink | None = None
    ) -> _Hop:
        """Like :meth:`_read` for an image: refuse pages, documents and big bodies
        (by Content-Length before reading, else at the cap)."""
        status = response.status_code
        location = response.headers.get("location")
        if status in _REDIRECTS and location:
            return _Hop(status=status, location=location)
        mtype = media_type(response.headers.get("content-type", ""))
        hop = _Hop(
            status=status,
            content_type=mtype,
            retry_after=parse_retry_after(response.headers.get("retry-after")),
        )
        if not 200 <= status < 300:
            return hop
        kind = kind_of_response(mtype, url)
        if kind in ("html", "document") or (kind == "other" and not mtype.startswith("image/")):
            hop.skip = ("type", f"{mtype or 'no Content-Type'} is not an image")
            return hop
        declared = _content_length(response.headers)
        if declared is not None and declared > cap:
            hop.skip = ("size", f"image of {declared} bytes > {cap} bytes")
            return hop
        try:
            body, truncated = await self._body(response, cap, sink)
        except _UnsupportedEncoding as exc:
            hop.skip = ("type", f"unsupported Content-Encoding: {exc}")
            return hop
        if truncated:
            hop.skip = ("size", f"image larger than {cap} bytes")
            return hop
        hop.kind, hop.body = "image", body
        return hop

    @staticmethod
    async def _body(
        response: httpx.Response, cap: int, sink: _Sink | None = None
    ) -> tuple[bytes, bool]:
        """Read at most ``cap`` decoded bytes. Returns (body, truncated). ``sink`` keeps
        the bytes as received, for the recorder."""
        if response.is_stream_consumed:
            # Built in memory (e.g. by httpx.MockTransport): httpx has read and decoded it.
            content = response.content
            if sink is not None:
                sink.chunks, sink.raw, sink.complete = [content], False, True
            return content[:cap], len(content) > cap
        decoder = _Decoder(response.headers.get("content-encoding", ""))
        chunks: list[bytes] = []
        size = 0
        raw = 0
        truncated = False
        if sink is not None:
            sink.complete = True  # until a break below
        async for data in response.aiter_raw():
            if sink is not None:
                sink.chunks.append(data)
            raw += len(data)
            out = decoder.feed(data, cap + 1 - size)
            chunks.append(out)
            size += len(out)
            if size > cap or raw > cap + _RAW_SLACK:
                truncated = True
                break
            if decoder.failed:
                break
        else:
            return b"".join(chunks)[:cap], truncated
        if sink is not None:
            sink.complete = False
        return b"".join(chunks)[:cap], truncated


class _Sink:
    """What a recorder gets of one response body: the chunks as received."""

    __slots__ = ("chunks", "complete", "raw")

    def __init__(self) -> None:
        self.chunks: list[bytes] = []
        self.raw = True
        self.complete = False  # set when the body is read to its end

    def exchange(
        self, request: httpx.Request, response: httpx.Response, started: datetime
    ) -> HttpExchange:
        return HttpExchange(
            method=request.method,
            url=str(request.url),
            request_headers=[
                (k.decode("latin-1"), v.decode("latin-1")) for k, v in request.headers.raw
            ],
            http_version=response.http_version or "HTTP/1.1",
            status=response.status_code,
            reason=response.reason_phrase,
            response_headers=[
                (k.decode("latin-1"), v.decode("latin-1")) for k, v in response.headers.raw
            ],
            body=b"".join(self.chunks),
            body_raw=self.raw,
            body_complete=self.complete,
            started_at=started,
        )


def _content_length(headers: httpx.Headers) -> int | None:
    try:
        value = int(headers.get("content-length", ""))
    except ValueError:
        return None
    return value if value >= 0 else None
