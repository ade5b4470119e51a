"""JavaScript rendering and screenshots during a crawl (headless Chromium).

:class:`RendererPool` belongs to the Crawler: one browser per address policy
(public sites get a browser that may only reach public addresses; a site
whose seed is on a loopback/private address, e.g. an intranet or a test
server, gets one that may reach such addresses, the fetcher's rule), started
on first need and shared by every site. Without a usable browser the pool
remembers why, and every site that wanted rendering says so in its notes.

:class:`SiteRendering` is one site's use of it: which pages to render
(``CrawlConfig.render``), the per-site budgets, screenshots for QR codes
drawn by CSS or canvas, and the notes. A render holds one of the host's
request slots, so the politeness limits cover the browser too.

Every request the browser makes for a site's page (the page, frames,
XHR/fetch, scripts, images, plain-HTTP redirect hops) meets the static
crawler's decisions: the address policy and the ``--resolve`` pins (in the
renderer's guard), the site's scope for main-frame navigations, and
robots.txt for the ``oitwatch`` token (:meth:`SiteRun.robots_hop`, the same
cache and rules as the fetcher; a sub-resource on another host is judged by
that host's robots.txt). Refused requests are aborted, counted per site and
reported in the site's notes.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import re
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import anyio
import anyio.to_thread

from extract import Limits, QrCode, read_qr
from render import (
    BrowserUnavailable,
    RenderConfig,
    Renderer,
    ScreenshotStore,
    public_only,
    rendering_reason,
)

from ._config import CrawlConfig
from ._fetch import BrowserCapture, emit
from ._images import qr_links
from ._models import Link, Page
from ._parse import ParsedPage, parse_html
from ._robots import RobotsRules
from ._url import dedup_key, host_port

if TYPE_CHECKING:
    from ._site import SiteRun

__all__ = ["RendererPool", "SiteRendering", "any_address"]

logger = logging.getLogger("crawler")

# auto mode: a reason to render (e.g. "empty menu container <ul id=menu>") that
# this many renders in a row found nothing new for is the site template's menu,
# already seen: pages with only that reason are no longer rendered.
_MAX_FRUITLESS = 2
_DIGITS = re.compile(r"\d+")
_MAX_FAILURES_SHOWN = 3
MiB = 1024 * 1024
# RenderedPage.refused kinds, as the site's notes name them.
_REFUSED_LABELS = {
    "robots": "by robots.txt",
    "scope": "as off-site navigations",
    "address": "by the address guard (loopback, private or unresolvable addresses)",
}
# A full-page screenshot at scale 2 is at most 2560 x 12000 px (RenderConfig's height cap).
_SCREENSHOT_LIMITS = Limits(max_bytes=64 * MiB, max_image_pixels=40_000_000)


def any_address(url: str) -> bool:
    """The browser policy of a site allowed to reach private addresses: any
    http(s)/ws(s) URL (the fetcher's ``allow_private=True``)."""
    try:
        parts = urlsplit(url)
        return parts.scheme in ("http", "https", "ws", "wss") and bool(parts.hostname)
    except ValueError:
        return False


class RendererPool:
    """The Crawler's browsers, started on first need (see the module doc)."""

    def __init__(self, config: CrawlConfig) -> None:
        self.config = config
        self.unavailable = ""  # why there is no browser, once known
        self._renderers: dict[bool, Renderer] = {}
        self._stack = contextlib.AsyncExitStack()
        self._lock = anyio.Lock()
        # Pages in the browser at once, all sites together. Taken before the
        # host's request slot, so sites queueing for the browser hold no
        # global request slot (which would stall every other site's fetches).
        self.slots = anyio.Semaphore(RenderConfig().concurrency)
        # The Crawler's robots.txt cache, for evidence screenshots (which belong
        # to no SiteRun); the first SiteRendering hands it over.
        self.robots: Callable[[str, bool], Awaitable[RobotsRules]] | None = None

    async def get(self, allow_private: bool) -> Renderer | None:
        """The renderer for a site's address policy, or None (see ``unavailable``)."""
        if self.config.allow_private is not None:
            allow_private = self.config.allow_private  # one policy for every site
        renderer = self._renderers.get(allow_private)
        if renderer is not None or self.unavailable:
            return renderer
        async with self._lock:
            if allow_private not in self._renderers and not self.unavailable:
                await self._start(allow_private)
        return self._renderers.get(allow_private)

    async def _start(self, allow_private: bool) -> None:
        config = RenderConfig(
            browser_path=self.config.browser_path,
            user_agent=self.config.user_agent,
            ignore_https_errors=not self.config.verify_tls,
        )
        renderer = Renderer(
            config,
            allow_url=any_address if allow_private else public_only,
            pins=self.config.resolve,  # the fetcher's --resolve pins, for the browser too
        )
        try:
            await self._stack.enter_async_context(renderer)
        except BrowserUnavailable as exc:
            self.unavailable = exc.reason
            logger.warning("crawler: JavaScript rendering not available: %s", exc.reason)
            return
        except Exception as exc:  # noqa: BLE001 - Playwright's driver broken etc.: scan on without
            self.unavailable = f"browser did not start: {type(exc).__name__}: {exc}"
            logger.warning("crawler: %s", self.unavailable)
            return
        self._renderers[allow_private] = renderer

    async def aclose(self) -> None:
        self._renderers.clear()
        await self._stack.aclose()

    async def evidence_screenshot(self, url: str, allow_private: bool) -> tuple[str, str]:
        """A full-page PNG of ``url`` (height bounded by RenderConfig), stored by hash in
        ``screenshot_dir``: (sha256, "") or ("", why not)."""
        if not self.config.screenshot_dir:
            return "", "screenshots are not stored (no screenshot directory)"
        renderer = await self.get(allow_private)
        if renderer is None:
            return "", self.unavailable or "no browser"
        async def check(request_url: str, navigation: bool) -> tuple[str, str] | None:
            # robots.txt as for a site's render; no scope (the caller chose the page)
            if self.robots is None or not self.config.obey_robots:
                return None
            rules = await self.robots(request_url, allow_private)
            if not rules.allows(request_url):
                return "robots", rules.reason or f"robots.txt disallows {request_url}"
            return None

        async with self.slots:
            shot = await renderer.screenshot(
                url, full_page=True, device_scale_factor=1, check=check
            )
        if shot.error or not shot.png:
            return "", f"screenshot failed: {shot.error or 'empty image'}"
        store = ScreenshotStore(self.config.screenshot_dir)
        try:
            digest, _ = await anyio.to_thread.run_sync(store.put, shot.png)
        except OSError as exc:
            return "", f"screenshot not stored: {exc}"
        return digest, ""


class SiteRendering:
    """One site's rendering: decisions, budgets, screenshots and notes."""

    def __init__(self, run: SiteRun) -> None:
        self.run = run
        self.config = config = run.crawler.config
        self.mode = config.render
        self.rendered: set[str] = set()  # dedup keys of pages rendered (or tried)
        self.renders = 0
        self.shots = 0
        self.fruitless: Counter[str] = Counter()  # reason → renders in a row with no new URL
        self.why: dict[str, str] = {}  # dedup key of a rendered page → its reason
        self.budget_hit = False
        self.unavailable = ""
        self.never_reason = ""  # render="never": why the home page would have needed it
        self.failures: list[str] = []
        self.refused: Counter[str] = Counter()  # kind → browser requests refused, all pages
        pool = run.crawler.renderers
        if pool.robots is None:
            pool.robots = run.crawler.robots_for

    # ------------------------------------------------------------- decisions

    def reason(self, html: str, link_count: int, *, is_home: bool) -> str:
        """Why to render this page now, or "" (then it is not rendered)."""
        if self.mode == "never":
            if is_home:
                self.never_reason = rendering_reason(html, link_count)
            return ""
        if self.unavailable and not is_home:
            return ""  # the browser is missing: one note is enough, do not re-parse
        if self.mode == "always":
            return "render=always"
        if self.budget_hit:
            return ""
        why = rendering_reason(html, link_count)
        if why and not is_home and self.fruitless[_DIGITS.sub("#", why)] >= _MAX_FRUITLESS:
            return ""
        return why

    def record(self, page: Page, new_urls: int) -> None:
        """How many URLs new to the site the render of ``page`` found (see
        _MAX_FRUITLESS: a script-built menu on every page is rendered a few times, not 300)."""
        why = _DIGITS.sub("#", self.why.get(dedup_key(page.final_url), ""))
        self.fruitless[why] = 0 if new_urls else self.fruitless[why] + 1

    # ------------------------------------------------------------- rendering

    async def render(self, page: Page, why: str = "") -> ParsedPage | None:
        """The page as the browser shows it, parsed; None when not rendered.
        ``why``: the reason it is rendered (see :meth:`reason`)."""
        key = dedup_key(page.final_url)
        if key in self.rendered:
            return None
        self.why[key] = why
        if self.renders >= self.config.max_rendered_pages:
            self.budget_hit = True
            return None
        renderer = await self._renderer()
        if renderer is None:
            return None
        self.rendered.add(key)
        self.renders += 1
        async with self._slot(page.final_url):
            rendered = await renderer.render(page.final_url, check=self.check_request)
        self._count_refused(rendered.refused)
        if rendered.error:
            self._failed(page.final_url, rendered.error)
            return None
        final = rendered.final_url or page.final_url
        emit(self.config, BrowserCapture(
            "dom", page.final_url, final, rendered.html.encode("utf-8"),
            "text/html; charset=utf-8", datetime.now(UTC),
        ))
        if final not in self.run.scope:
            self._failed(page.final_url, f"scripts moved the page off-site to {final}")
            return None
        return parse_html(rendered.html, final, max_links=self.config.max_links_per_page)

    async def screenshot_links(self, page: Page) -> list[Link]:
        """QR codes in a screenshot of the page (scale 2): for codes drawn by
        CSS or a canvas, or images only scripts load. Tag "qr-screenshot"."""
        if self.shots >= self.config.max_screenshots:
            return []
        renderer = await self._renderer()
        if renderer is None:
            return []
        self.shots += 1
        async with self._slot(page.final_url):
            shot = await renderer.screenshot(
                page.final_url, device_scale_factor=2, check=self.check_request
            )
        self._count_refused(shot.refused)
        if shot.error or not shot.png:
            self._failed(page.final_url, f"screenshot: {shot.error or 'empty image'}")
            return []
        png = shot.png
        emit(self.config, BrowserCapture(
            "screenshot", page.final_url, shot.final_url or page.final_url, png, "image/png",
            datetime.now(UTC),
        ))
        del shot
        digest = hashlib.sha256(png).hexdigest()
        codes: list[QrCode] = (
            await anyio.to_thread.run_sync(
                read_qr, png, _SCREENSHOT_LIMITS, limiter=self.run.crawler.image_limiter
            )
        ).codes
        links = qr_links(
            codes,
            page_url=page.final_url,
            image_url=f"screenshot:{digest}",
            title="",
            context="",
            tag="qr-screenshot",
        )
        if links and self.config.screenshot_dir:
            await self._store(png)
        return links

    async def _store(self, png: bytes) -> None:
        assert self.config.screenshot_dir is not None
        store = ScreenshotStore(self.config.screenshot_dir)
        try:
            await anyio.to_thread.run_sync(store.put, png)
        except OSError as exc:
            self.run.add_note(f"screenshot not stored: {exc}")

    async def check_request(self, url: str, navigation: bool) -> tuple[str, str] | None:
        """The static crawler's decision on one browser request: None (go on)
        or (kind, why). ``navigation``: the main frame's document (a script's
        ``location = ...`` included), which must stay on the site; frames and
        sub-resources may come from elsewhere (a CDN's script) but each host's
        robots.txt is obeyed. Addresses and pins are the renderer's guard's."""
        if navigation and url not in self.run.scope:
            return "scope", f"the page navigates off-site to {url}"
        return await self.run.robots_hop(url)

    def _count_refused(self, counts: dict[str, int]) -> None:
        self.refused.update(counts)

    @contextlib.asynccontextmanager
    async def _slot(self, url: str) -> AsyncIterator[None]:
        """A browser page, then one of the host's request slots (politeness)."""
        async with self.run.crawler.renderers.slots:
            host, port = host_port(url)
            async with self.run.crawler.limiter.slot(f"{host}:{port}"):
                yield

    async def _renderer(self) -> Renderer | None:
        pool = self.run.crawler.renderers
        renderer = await pool.get(self.run.allow_private)
        if renderer is None:
            self.unavailable = pool.unavailable or "no browser"
        return renderer

    def _failed(self, url: str, error: str) -> None:
        self.failures.append(f"{url}: {error}")

    # ----------------------------------------------------------------- notes

    def notes(self) -> list[str]:
        notes: list[str] = []
        if self.unavailable:
            notes.append(
                f"JavaScript rendering not available: {self.unavailable}; "
                "menus built by scripts and QR codes drawn on screen were not seen"
            )
        if self.never_reason:
            notes.append(
                f"the home page seems to need JavaScript ({self.never_reason}); "
                "not rendered (render=never)"
            )
        if self.budget_hit:
            notes.append(
                f"rendering budget ({self.config.max_rendered_pages} pages per site) "
                "used up: further pages that need JavaScript were read without it"
            )
        for kind, label in _REFUSED_LABELS.items():
            if self.refused[kind]:
                notes.append(f"rendering: {self.refused[kind]} requests refused {label}")
        others = sum(n for kind, n in self.refused.items() if kind not in _REFUSED_LABELS)
        if others:
            notes.append(f"rendering: {others} requests refused by the request checks")
        if self.failures:
            shown = "; ".join(self.failures[:_MAX_FAILURES_SHOWN])
            more = len(self.failures) - _MAX_FAILURES_SHOWN
            notes.append(
                f"rendering failed for {len(self.failures)} page(s): {shown}"
                + (f"; and {more} more" if more > 0 else "")
            )
        return notes
