"""Rendering pages in headless Chromium (Playwright's async API).

For the few pages whose menu only exists after JavaScript runs, and for
screenshots in which to look for QR codes. One browser per Renderer (make
one per process and share it), a bounded number of pages at once, a fresh
browser context per page (no cookies or storage carried between sites), and
every request through :class:`~render.guard.GuardProxy`.

Each page is gated twice, because neither gate sees everything:

- Playwright's request routing sees every request the page makes (the page,
  its frames, XHR/fetch, scripts, images), with its type and frame, but not
  redirect hops. Each is asked the address policy (with the pins), then the
  caller's ``check(url, navigation)`` (the crawler: scope for main-frame
  navigations, robots.txt for all); refused ones are aborted and counted.
- The page's own GuardProxy (with a ``check``; else the browser's) sees every
  connection and every plain-HTTP redirect hop, and asks the same address
  policy and ``check(url, False)``.

Refusals end up in ``RenderedPage.refused`` / ``Screenshot.refused``
(kind → count: "address", "robots", "scope", ...).

Failures come back as results with ``error`` set; only a missing or
unlaunchable browser raises (:class:`BrowserUnavailable`, when entering the
context manager), so the caller can note "not rendered" and scan on.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass, field, replace
from types import TracebackType
from typing import Self
from urllib.parse import urlsplit

from playwright.async_api import (
    Browser,
    BrowserContext,
    Page,
    Playwright,
    Request,
    Route,
    async_playwright,
)
from playwright.async_api import Error as PlaywrightError

from .browser import LAUNCH_ARGS, find_browser
from .guard import AllowUrl, GuardProxy, public_only

RequestCheck = Callable[[str, bool], Awaitable["tuple[str, str] | None"]]
"""(url, main-frame navigation?) → None to let the request go, or (kind, why)."""

__all__ = [
    "BrowserUnavailable",
    "RenderConfig",
    "RenderError",
    "RenderedLink",
    "RenderedPage",
    "Renderer",
    "RequestCheck",
    "RequestLog",
    "Screenshot",
]

_MAX_REFUSED_SHOWN = 20

# Never needed to read a page's menus and text; often the bulk of its bytes.
_BLOCKED_TYPES = frozenset({"media", "font", "image", "texttrack", "manifest"})

_LINKS_JS = """(max) => {
  const out = [];
  const clean = (s) => (s || '').replace(/\\s+/g, ' ').trim().slice(0, 300);
  for (const a of document.querySelectorAll('a[href], area[href]')) {
    let href = a.href;
    if (typeof href !== 'string') href = new URL(href.baseVal, document.baseURI).href;  // SVG <a>
    if (!href || href.startsWith('javascript:')) continue;
    const img = a.querySelector && a.querySelector('img[alt]');
    const text = clean(a.innerText || a.textContent) || clean(a.getAttribute('title'))
      || clean(a.getAttribute('aria-label')) || clean(img && img.alt);
    out.push([href, text]);
    if (out.length >= max) break;
  }
  return out;
}"""

# Make lazy images load and scroll-triggered content appear before a
# screenshot (WordPress marks every image loading="lazy").
_REVEAL_JS = """async (maxHeight) => {
  for (const img of document.querySelectorAll('img[loading="lazy"]')) img.loading = 'eager';
  const step = Math.max(window.innerHeight, 400);
  for (let y = 0; y < Math.min(document.documentElement.scrollHeight, maxHeight); y += step) {
    window.scrollTo(0, y);
    await new Promise((r) => setTimeout(r, 50));
  }
  window.scrollTo(0, 0);
  return Math.max(document.documentElement.scrollHeight, document.body ? document.body.scrollHeight : 0);
}"""


class RenderError(Exception):
    """Base of the renderer's own errors."""


class BrowserUnavailable(RenderError):
    """No usable browser: none found, or it would not start. ``reason`` says which."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class RenderConfig:
    browser_path: str | None = None  # else $OITWATCH_CHROMIUM, Playwright's, Debian's
    concurrency: int = 2  # pages rendered at once (2 cores)
    navigation_timeout: float = 20.0  # seconds until the page's DOM is there
    settle_time: float = 1.5  # then at most this long for the network to go quiet
    page_budget: float = 40.0  # hard limit per render() / screenshot() call
    viewport: tuple[int, int] = (1280, 900)
    max_screenshot_height: int = 6000  # CSS px; at scale 2 a screenshot is then <= 31 MP
    max_html_chars: int = 5_000_000
    max_links: int = 5_000
    user_agent: str | None = None  # None: the browser's own
    locale: str = "th-TH"
    # Agency sites often have expired or self-signed certificates; we read
    # them, we do not trust them with anything.
    ignore_https_errors: bool = True


@dataclass(frozen=True, slots=True)
class RenderedLink:
    url: str  # absolute, as the browser resolved it
    text: str  # visible text, else title / aria-label / image alt


@dataclass(frozen=True, slots=True)
class RenderedPage:
    url: str  # as requested
    final_url: str = ""  # after redirects
    status: int = 0  # HTTP status of the main document (0: none)
    title: str = ""
    html: str = ""  # the DOM after scripts ran, serialised
    links: list[RenderedLink] = field(default_factory=list)
    error: str = ""
    refused: dict[str, int] = field(default_factory=dict)  # kind → browser requests refused
    refused_urls: list[str] = field(default_factory=list)  # the first few, "kind: url (why)"


@dataclass(frozen=True, slots=True)
class Screenshot:
    url: str
    final_url: str = ""
    png: bytes = b""
    truncated: bool = False  # the page was taller than max_height and was cut
    error: str = ""
    refused: dict[str, int] = field(default_factory=dict)
    refused_urls: list[str] = field(default_factory=list)


class RequestLog:
    """The browser requests one page had refused, by kind."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.shown: list[str] = []
        self.navigation = ""  # the first refused main-frame navigation, as shown

    def add(self, url: str, kind: str, why: str, *, navigation: bool = False) -> None:
        self.counts[kind] += 1
        line = f"{kind}: {url[:300]} ({why})"
        if len(self.shown) < _MAX_REFUSED_SHOWN:
            self.shown.append(line)
        if navigation and not self.navigation:
            self.navigation = line

    def replaced_page(self, page: Page) -> str:
        """The error when a refused navigation left Chromium's error page in
        place of the page (a script's ``location = ...``), else ""."""
        if self.navigation and page.url.startswith("chrome-error:"):
            return f"blocked: the page navigated to a refused URL: {self.navigation}"
        return ""


class Renderer:
    """``async with Renderer(config, allow_url=policy) as renderer:``

    ``allow_url(url) -> bool`` (sync or async) decides every request the
    browser makes, redirect hops included; the default refuses loopback and
    private addresses (see :mod:`render.guard`).
    """

    def __init__(self, config: RenderConfig | None = None, *, allow_url: AllowUrl | None = None,
                 pins: Mapping[str, str] | None = None) -> None:
        """``pins``: host → address, the crawler's ``--resolve``: the browser
        reaches a pinned host at its pinned address (see :mod:`render.guard`)."""
        self.config = config or RenderConfig()
        self._allow = allow_url or public_only
        self._pins = dict(pins or {})
        self._proxy = GuardProxy(self._allow, pins=self._pins)
        self._slots = asyncio.Semaphore(max(self.config.concurrency, 1))
        self._launch_lock = asyncio.Lock()
        self._playwright: Playwright | None = None
        self._browser: Browser | None = None
        self.browser_path = ""

    async def __aenter__(self) -> Self:
        await self._proxy.__aenter__()
        try:
            self._playwright = await async_playwright().start()
            location = find_browser(self.config.browser_path,
                                    playwright_path=self._playwright.chromium.executable_path)
            if location.path is None:
                raise BrowserUnavailable(location.reason)
            self.browser_path = location.path
            await self._launch()
        except BaseException as exc:
            await self.__aexit__(None, None, None)
            if isinstance(exc, BrowserUnavailable):
                raise
            if isinstance(exc, Exception):
                raise BrowserUnavailable(f"browser did not start: {_short(exc)}") from exc
            raise
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        if self._browser is not None:
            with contextlib.suppress(Exception):
                await self._browser.close()
            self._browser = None
        if self._playwright is not None:
            with contextlib.suppress(Exception):
                await self._playwright.stop()
            self._playwright = None
        await self._proxy.__aexit__(None, None, None)

    @property
    def blocked(self) -> list[str]:
        """URLs the proxies refused (address policy, or a page's check on a
        redirect hop; the latest 1000), for reports."""
        return list(self._proxy.blocked)

    async def _launch(self) -> None:
        assert self._playwright is not None
        self._browser = await self._playwright.chromium.launch(
            executable_path=self.browser_path,
            headless=True,
            args=list(LAUNCH_ARGS),
            # Loopback too: Playwright adds "<-loopback>" so 127.0.0.1 is proxied.
            proxy={"server": self._proxy.server},
            handle_sigint=False, handle_sigterm=False, handle_sighup=False,
        )

    async def _ensure_browser(self) -> Browser:
        async with self._launch_lock:
            if self._browser is None or not self._browser.is_connected():
                if self._playwright is None:
                    raise RenderError("Renderer used outside 'async with'")
                await self._launch()  # the browser crashed: one new one, then go on
            assert self._browser is not None
            return self._browser

    @contextlib.asynccontextmanager
    async def _page(self, log: RequestLog, check: RequestCheck | None, *, images: bool,
                    scale: float = 1.0) -> AsyncIterator[Page]:
        browser = await self._ensure_browser()
        width, height = self.config.viewport

        async def hop_check(url: str) -> tuple[str, str] | None:
            assert check is not None
            return await check(url, False)

        async with contextlib.AsyncExitStack() as stack:
            proxy = self._proxy  # the browser's own: the address policy and pins
            if check is not None:
                # A proxy of the page's own, so redirect hops meet this page's
                # check and its refusals are counted for this page. (Not without a
                # check: a context with its own proxy gets its own network context.)
                proxy = GuardProxy(self._allow, pins=self._pins, hop_check=hop_check,
                                   on_refused=log.add, blocked=self._proxy.blocked)
                await stack.enter_async_context(proxy)
            context = await self._new_context(browser, proxy, width, height, scale)
            stack.push_async_callback(_close_quietly, context)
            blocked = _BLOCKED_TYPES - {"image"} if images else _BLOCKED_TYPES

            async def route(route: Route, request: Request) -> None:
                with contextlib.suppress(PlaywrightError):
                    if request.resource_type in blocked:
                        await route.abort("blockedbyclient")  # our choice of bytes: not counted
                        return
                    refusal = await self._refusal(proxy, check, request)
                    if refusal is not None:
                        log.add(request.url, *refusal, navigation=_is_main_navigation(request))
                        await route.abort("blockedbyclient")
                    else:
                        await route.continue_()

            await context.route("**/*", route)
            page = await context.new_page()
            page.set_default_timeout(self.config.navigation_timeout * 1000)
            yield page

    @staticmethod
    async def _refusal(proxy: GuardProxy, check: RequestCheck | None,
                       request: Request) -> tuple[str, str] | None:
        """Why the browser must not make ``request``, or None. Addresses
        first: no robots.txt is fetched for a host we may not reach."""
        url = request.url
        if urlsplit(url).scheme not in ("http", "https", "ws", "wss"):
            return None  # data:, blob: ... never leave the browser
        address, why = await proxy.check(url)
        if address is None:
            return "address", why
        if check is None:
            return None
        try:
            return await check(url, _is_main_navigation(request))
        except Exception as exc:  # noqa: BLE001 - a failing site policy refuses
            return "error", f"request check failed: {type(exc).__name__}"

    async def _new_context(self, browser: Browser, proxy: GuardProxy, width: int, height: int,
                           scale: float) -> BrowserContext:
        return await browser.new_context(
            # None: the proxy the browser was launched with
            proxy={"server": proxy.server} if proxy is not self._proxy else None,
            viewport={"width": width, "height": height},
            device_scale_factor=scale,
            ignore_https_errors=self.config.ignore_https_errors,
            locale=self.config.locale,
            user_agent=self.config.user_agent,
            accept_downloads=False,
            service_workers="block",  # workers' requests would bypass the routing
        )

    async def _open(self, page: Page, url: str, log: RequestLog) -> tuple[int, str]:
        """Navigate and let scripts run. (status, error)."""
        address, why = await self._proxy.check(url)
        if address is None:
            log.add(url, "address", why)
            return 0, f"blocked: {url} ({why})"
        try:
            response = await page.goto(url, wait_until="domcontentloaded",
                                       timeout=self.config.navigation_timeout * 1000)
        except PlaywrightError as exc:
            if log.navigation:  # our own routing aborted the page itself
                return 0, f"blocked: {log.navigation}"
            return 0, _navigation_error(exc)
        # Menus are often built on "load" or from an XHR after it: wait for
        # both, briefly, and carry on with whatever is there.
        with contextlib.suppress(PlaywrightError):
            await page.wait_for_load_state("load", timeout=self.config.navigation_timeout * 1000)
        if self.config.settle_time > 0:  # (a timeout of 0 means "no timeout" to Playwright)
            with contextlib.suppress(PlaywrightError):
                await page.wait_for_load_state("networkidle", timeout=self.config.settle_time * 1000)
        if response is None:
            return 0, ""
        headers = response.headers
        if "x-oitwatch-blocked" in headers:
            return response.status, f"blocked: {response.url} ({headers['x-oitwatch-blocked']})"
        if "x-oitwatch-error" in headers:
            return 0, f"unreachable: {response.url} ({headers['x-oitwatch-error']})"
        return response.status, ""

    async def render(self, url: str, *, check: RequestCheck | None = None) -> RenderedPage:
        """The page after its scripts ran: final URL, HTML, title and links.
        ``check``: the site's decision on each browser request (see the module doc)."""
        log = RequestLog()
        async with self._slots:
            try:
                async with asyncio.timeout(self.config.page_budget):
                    page = await self._render(url, log, check)
            except TimeoutError:
                page = RenderedPage(url, error=f"page budget of {self.config.page_budget:g} s used up")
            except Exception as exc:  # noqa: BLE001 - one page's failure must not stop a scan
                page = RenderedPage(url, error=f"render failed: {_short(exc)}")
        return replace(page, refused=dict(log.counts), refused_urls=list(log.shown))

    async def _render(self, url: str, log: RequestLog, check: RequestCheck | None) -> RenderedPage:
        async with self._page(log, check, images=False) as page:
            status, error = await self._open(page, url, log)
            error = error or log.replaced_page(page)
            if error:
                return RenderedPage(url, _real_url(page), status, error=error)
            html = (await page.content())[: self.config.max_html_chars]
            title = await page.title()
            pairs = await page.evaluate(_LINKS_JS, self.config.max_links)
            links = [RenderedLink(str(href), str(text)) for href, text in pairs]
            return RenderedPage(url, page.url, status, title, html, links)

    async def screenshot(self, url: str, *, full_page: bool = True, max_height: int | None = None,
                         device_scale_factor: float = 2.0,
                         check: RequestCheck | None = None) -> Screenshot:
        """A PNG of the page with images loaded. Scale 2 by default: QR codes
        drawn small on a page have modules of 1-2 CSS px, too few to decode
        at scale 1. Height is capped (CSS px) to bound the image size."""
        limit = max_height or self.config.max_screenshot_height
        log = RequestLog()
        async with self._slots:
            try:
                async with asyncio.timeout(self.config.page_budget):
                    shot = await self._screenshot(url, full_page, limit, device_scale_factor,
                                                  log, check)
            except TimeoutError:
                shot = Screenshot(url, error=f"page budget of {self.config.page_budget:g} s used up")
            except Exception as exc:  # noqa: BLE001 - one page's failure must not stop a scan
                shot = Screenshot(url, error=f"screenshot failed: {_short(exc)}")
        return replace(shot, refused=dict(log.counts), refused_urls=list(log.shown))

    async def _screenshot(self, url: str, full_page: bool, limit: int, scale: float,
                          log: RequestLog, check: RequestCheck | None) -> Screenshot:
        async with self._page(log, check, images=True, scale=scale) as page:
            _, error = await self._open(page, url, log)
            error = error or log.replaced_page(page)
            if error:
                return Screenshot(url, _real_url(page), error=error)
            width, viewport_height = self.config.viewport
            height = viewport_height
            if full_page:
                height = int(await page.evaluate(_REVEAL_JS, limit))
                if self.config.settle_time > 0:
                    with contextlib.suppress(PlaywrightError):
                        await page.wait_for_load_state("networkidle",
                                                       timeout=self.config.settle_time * 1000)
            shot_height = max(1, min(height, limit))
            png = await page.screenshot(
                full_page=full_page, type="png", animations="disabled",
                clip={"x": 0, "y": 0, "width": width, "height": shot_height} if full_page else None,
            )
            return Screenshot(url, page.url, png, truncated=full_page and height > limit)


def _is_main_navigation(request: Request) -> bool:
    try:
        return request.is_navigation_request() and request.frame.parent_frame is None
    except PlaywrightError:  # no frame (a worker's request): not the page itself
        return False


async def _close_quietly(context: BrowserContext) -> None:
    with contextlib.suppress(Exception):
        await context.close()


def _real_url(page: Page) -> str:
    url = page.url
    return "" if url == "about:blank" or url.startswith("chrome-error:") else url


def _short(exc: BaseException) -> str:
    # Playwright messages carry a multi-line call log; the first line says it.
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]


def _navigation_error(exc: PlaywrightError) -> str:
    message = _short(exc)
    if "Download is starting" in message or "ERR_ABORTED" in message:
        return f"not a page (a download?): {message}"
    if "ERR_TUNNEL_CONNECTION_FAILED" in message:
        return f"blocked or unreachable (HTTPS through the address guard): {message}"
    if "Timeout" in message:
        return f"navigation timed out: {message}"
    return f"navigation failed: {message}"
