"""Crawler: the shared machinery (one HTTP client, limits, robots cache) and
the public entry points ``Crawler.crawl`` and ``crawl_site``."""

from __future__ import annotations

import asyncio
import http.cookiejar
import logging
from datetime import UTC, datetime
from types import TracebackType
from typing import Self

import anyio
import httpx

from ._config import CrawlConfig
from ._documents import DocumentReader
from ._fetch import Fetcher, Recorder, current_recorder
from ._fleet_limit import RedisLimiter
from ._models import SiteCrawl, SiteStatus
from ._net import GuardedTransport, HostResolver, Resolver
from ._politeness import Limiter
from ._rendering import RendererPool
from ._robots import ROBOTS_MAX_BYTES, RobotsCache, RobotsRules
from ._site import OnPage, Scorer, SiteRun, WantsMore
from ._url import host_port

__all__ = ["Crawler", "crawl_site"]

logger = logging.getLogger("crawler")


class _NoCookiePolicy(http.cookiejar.DefaultCookiePolicy):
    """The shared client keeps no cookies: each site has its own jar (see
    SiteRun.jar), so one site's cookies never reach another site."""

    def set_ok(self, cookie: http.cookiejar.Cookie, request: object) -> bool:
        return False


class Crawler:
    """Crawls agency sites. One instance shares one HTTP client, the
    per-host/global limits, the robots.txt cache, the document-reading
    threads and the browser (started on first need) across every site it
    crawls, so many ``crawl()`` calls may run concurrently::

        async with Crawler(CrawlConfig(max_pages=300)) as crawler:
            site = await crawler.crawl("https://www.example.go.th/")

    ``transport`` replaces the network layer (e.g. ``httpx.MockTransport`` in
    tests); the SSRF guard then only checks IP-literal URLs, since names are
    resolved by that transport. ``resolver`` replaces DNS for the guarded
    transport: an async ``host -> [ip, ...]`` function whose answers are
    checked like DNS answers (a test hook).
    """

    def __init__(
        self,
        config: CrawlConfig | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        *,
        resolver: Resolver | None = None,
    ) -> None:
        self.config = config = config or CrawlConfig()
        self.resolver = HostResolver(resolver, config.resolve)
        self.custom_transport = transport is not None
        limits = httpx.Limits(
            max_connections=max(4, config.global_concurrency * 2),
            max_keepalive_connections=max(2, config.global_concurrency),
            keepalive_expiry=5.0,
        )
        if transport is None:
            transport = GuardedTransport(
                verify_tls=config.verify_tls, resolver=self.resolver, limits=limits
            )
        self._client = httpx.AsyncClient(
            transport=transport,
            follow_redirects=False,  # redirects are followed by Fetcher, hop by hop
            trust_env=False,  # no proxies or .netrc credentials from the environment
            cookies=http.cookiejar.CookieJar(policy=_NoCookiePolicy()),
            timeout=httpx.Timeout(
                connect=config.connect_timeout,
                read=config.read_timeout,
                write=config.read_timeout,
                pool=config.request_timeout,
            ),
            headers={
                "User-Agent": config.user_agent,
                "Accept": "text/html,application/xhtml+xml,application/pdf;q=0.9,*/*;q=0.8",
                "Accept-Language": "th,en;q=0.8",
                # Only what our bounded decoder handles (see _fetch._Decoder).
                "Accept-Encoding": "gzip, deflate",
            },
        )
        self.limiter = Limiter(
            per_host=config.per_host_concurrency,
            global_limit=config.global_concurrency,
            delay=config.min_delay,
            fleet=_fleet_limiter(config),
        )
        self.fetcher = Fetcher(self._client, self.limiter, config)
        self._robots = RobotsCache(self._load_robots)
        self.documents = DocumentReader(config)  # threads reading PDF/DOCX/XLSX text
        self.image_limiter = anyio.CapacityLimiter(2)  # threads decoding images for QR codes
        self.renderers = RendererPool(config)  # headless Chromium, started on first need

    async def __aenter__(self) -> Self:
        await self._client.__aenter__()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            await self.renderers.aclose()
        finally:
            try:
                await self._client.__aexit__(exc_type, exc, tb)
            finally:
                await self.limiter.aclose()

    async def aclose(self) -> None:
        try:
            await self.renderers.aclose()
        finally:
            try:
                await self._client.aclose()
            finally:
                await self.limiter.aclose()

    async def crawl(
        self,
        seed_url: str,
        scorer: Scorer | None = None,
        on_page: OnPage | None = None,
        wants_more: WantsMore | None = None,
        *,
        recorder: Recorder | None = None,
    ) -> SiteCrawl:
        """Crawl one site from its home page. Never raises for anything the
        site does: the outcome is in ``SiteCrawl.status`` and ``reason``;
        what could not be done (no browser, no OCR, budgets) is in ``notes``.

        ``scorer(link)`` rates a link's relevance (about 0..1; higher is
        fetched sooner). ``on_page(page)`` is called after each page, once its
        document text, rendered links and QR codes are in; its
        ``click_path`` is provisional until the crawl returns.
        ``wants_more(site)`` is asked once after the static crawl, with the
        crawl so far (on the event loop, like ``scorer``: keep it to one
        evaluation of the site's rules): True (items still missing) renders
        the home page and the likeliest ITA hub pages and crawls on from the
        links they show, within the remaining budget (not with render="never").

        ``recorder(event)`` receives every HTTP exchange of this site's crawl (robots.txt,
        sitemaps, each redirect hop, pages, documents, images) and the rendered DOM and
        screenshots (see ``crawler._fetch.HttpExchange``); ``CrawlConfig.recorder`` is the
        default. robots.txt is cached per origin by the Crawler: a second site on the same
        origin does not fetch (nor record) it again.
        """
        token = current_recorder.set(recorder) if recorder is not None else None
        try:
            return await self._crawl(seed_url, scorer, on_page, wants_more)
        finally:
            if token is not None:
                current_recorder.reset(token)

    async def _crawl(
        self,
        seed_url: str,
        scorer: Scorer | None,
        on_page: OnPage | None,
        wants_more: WantsMore | None,
    ) -> SiteCrawl:
        started = datetime.now(UTC)
        fallbacks = self.limiter.fleet_fallbacks
        site = SiteRun(self, seed_url, scorer, on_page, wants_more, started)
        internal_error = ""
        try:
            with anyio.move_on_after(self.config.site_timeout) as scope:
                await site.run()
            site.timed_out = scope.cancelled_caught
        except Exception as exc:  # no traceback escapes crawl(): it becomes the status
            logger.exception("crawler: internal error crawling %s", seed_url)
            internal_error = f"internal error: {type(exc).__name__}: {exc}"
        try:
            crawl = site.result(started, internal_error)
            if self.limiter.fleet_fallbacks != fallbacks and self.limiter.fleet is not None:
                # Some requests of this site (or of sites crawled alongside) went without
                # the fleet's limits: the auditor should know politeness was per worker.
                crawl.notes.append(
                    "fleet-wide politeness unavailable (Redis: "
                    f"{self.limiter.fleet.last_error or 'unreachable'}): per-host limits "
                    "were kept within this worker only"
                )
            return crawl
        except Exception as exc:  # last resort: a minimal result, still no traceback
            logger.exception("crawler: internal error building the result for %s", seed_url)
            now = datetime.now(UTC)
            return SiteCrawl(
                seed_url=seed_url,
                final_url=site.final_url or seed_url,
                status=SiteStatus.ERROR,
                reason=f"internal error: {type(exc).__name__}: {exc}",
                started_at=started,
                finished_at=now,
                pages=site.pages,
            )

    async def screenshot(self, url: str, *, allow_private: bool = False) -> tuple[str, str]:
        """Store a full-page PNG of an evidence page (the auditor sees what was online):
        (sha256 in ``config.screenshot_dir``, "") or ("", why not). ``allow_private``:
        the crawl's ``SiteCrawl.allow_private``. Never raises."""
        try:
            host, port = host_port(url)
            async with self.limiter.slot(f"{host}:{port}"):  # one more visit: be polite
                return await self.renderers.evidence_screenshot(url, allow_private)
        except Exception as exc:  # a broken browser must not lose the scan's results
            logger.warning("crawler: screenshot of %s failed: %s", url, exc)
            return "", f"screenshot failed: {type(exc).__name__}: {exc}"

    # ---------------------------------------------------------------- robots

    async def robots_for(self, url: str, allow_private: bool) -> RobotsRules:
        return await self._robots.get(url, allow_private)

    async def _load_robots(self, origin: str, allow_private: bool) -> RobotsRules:
        """Fetch and interpret ``origin/robots.txt`` (RFC 9309 section 2.3.1)."""
        result = await self.fetcher.fetch(
            origin + "/robots.txt",
            allow_private=allow_private,
            jar=httpx.Cookies(),
            raw_cap=ROBOTS_MAX_BYTES,
            max_redirects=5,
        )
        if result.skip is not None:
            # SSRF refusal: the page fetch will be refused and reported too.
            # Too many redirects: RFC 9309 allows treating robots.txt as unavailable.
            return RobotsRules.unavailable()
        if result.error_kind:
            return RobotsRules.unreachable(
                f"robots.txt unreachable: {result.error}", result.error, result.error_kind
            )
        status = result.status
        if 200 <= status < 300:
            rules = RobotsRules.parse(result.body)
            if rules.crawl_delay:
                host, port = host_port(origin + "/")
                delay = min(rules.crawl_delay, self.config.max_crawl_delay)
                self.limiter.set_delay(f"{host}:{port}", delay)
            return rules
        if 400 <= status < 500:
            return RobotsRules.unavailable()
        if status >= 500:
            return RobotsRules.unreachable(
                f"robots.txt unreachable (HTTP {status}); RFC 9309: assume disallow all"
            )
        return RobotsRules.unavailable()


def _fleet_limiter(config: CrawlConfig) -> RedisLimiter | None:
    """The Redis limiter of ``config.limiter_url``, or None (this process's limits only)."""
    if not config.limiter_url:
        return None
    lease = config.limiter_lease
    return RedisLimiter(
        config.limiter_url,
        per_host=config.per_host_concurrency,
        prefix=config.limiter_prefix,
        lease_ttl=lease if lease is not None else config.request_timeout + 10.0,
    )


def crawl_site(
    seed_url: str, config: CrawlConfig | None = None, scorer: Scorer | None = None
) -> SiteCrawl:
    """Crawl one site synchronously (a convenience wrapper: ``asyncio.run``)."""

    async def main() -> SiteCrawl:
        async with Crawler(config) as crawler:
            return await crawler.crawl(seed_url, scorer=scorer)

    return asyncio.run(main())
