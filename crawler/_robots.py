"""robots.txt per RFC 9309, parsed with Protego (Scrapy's parser).

Outcomes of fetching ``/robots.txt`` (RFC 9309 section 2.3.1):
- 2xx: parse it; rules for the product token ``oitwatch`` apply, else ``*``.
- 4xx (including 401/403): "unavailable", everything is allowed.
- 5xx or a network error: "unreachable", assume complete disallow.
Redirects are followed (up to 5 hops, by the fetcher) and bodies are read up
to 500 KiB, the minimum the RFC asks parsers to handle.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import anyio
from protego import Protego

__all__ = ["ROBOTS_MAX_BYTES", "ROBOTS_TOKEN", "RobotsCache", "RobotsRules"]

ROBOTS_TOKEN = "oitwatch"
ROBOTS_MAX_BYTES = 500 * 1024


@dataclass
class RobotsRules:
    """What one origin's robots.txt says."""

    allow_all: bool = False
    disallow_all: bool = False
    reason: str = ""  # why disallow_all, e.g. "robots.txt unreachable (HTTP 503)"
    parser: Protego | None = None
    sitemaps: list[str] = field(default_factory=list)
    crawl_delay: float | None = None
    fetch_error: str = ""  # no HTTP answer at all (DNS, refused, timeout, TLS ...)
    fetch_error_kind: str = ""  # FetchResult.error_kind of that failure
    ttl: float | None = None  # cache lifetime; None = the cache's default

    @classmethod
    def parse(cls, body: bytes) -> RobotsRules:
        text = body.decode("utf-8", errors="replace").lstrip("\ufeff")
        try:
            parser = Protego.parse(text)
        except Exception:  # noqa: BLE001 - a parser bug must not stop the crawl
            return cls(allow_all=True)
        delay: float | None = None
        try:
            raw_delay = parser.crawl_delay(ROBOTS_TOKEN)
            delay = float(raw_delay) if raw_delay is not None else None
        except (TypeError, ValueError):
            delay = None
        return cls(parser=parser, sitemaps=list(parser.sitemaps), crawl_delay=delay)

    @classmethod
    def unavailable(cls) -> RobotsRules:
        return cls(allow_all=True)

    @classmethod
    def unreachable(cls, reason: str, error: str = "", error_kind: str = "") -> RobotsRules:
        # Cached briefly: the server may be back in a few minutes.
        return cls(
            disallow_all=True,
            reason=reason,
            fetch_error=error,
            fetch_error_kind=error_kind,
            ttl=600.0,
        )

    def allows(self, url: str) -> bool:
        if self.disallow_all:
            return False
        if self.allow_all or self.parser is None:
            return True
        try:
            return bool(self.parser.can_fetch(url, ROBOTS_TOKEN))
        except Exception:  # noqa: BLE001 - Protego on odd input: allow rather than crash
            return True


Loader = Callable[[str, bool], Awaitable[RobotsRules]]


class RobotsCache:
    """Fetches each origin's robots.txt once (per SSRF policy) and keeps it.

    Concurrent sites can share hosts, so a lock per origin makes the second
    caller wait for the first fetch instead of fetching again.
    """

    def __init__(self, load: Loader, ttl: float = 24 * 3600.0, max_entries: int = 20_000) -> None:
        self._load = load
        self._ttl = ttl
        self._max_entries = max_entries
        self._rules: dict[tuple[str, bool], tuple[float, RobotsRules]] = {}
        self._locks: dict[tuple[str, bool], anyio.Lock] = {}

    async def get(self, url: str, allow_private: bool) -> RobotsRules:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        key = (origin, allow_private)
        lock = self._locks.setdefault(key, anyio.Lock())
        async with lock:
            cached = self._rules.get(key)
            now = time.monotonic()
            if cached is not None and cached[0] > now:
                return cached[1]
            rules = await self._load(origin, allow_private)
            if len(self._rules) >= self._max_entries:
                self._rules.clear()
                self._locks = {key: lock}
            ttl = self._ttl if rules.ttl is None else rules.ttl
            self._rules[key] = (now + ttl, rules)
            return rules
