"""The crawl of one site: home page, sitemaps, best-first loop, click paths.

:class:`SiteRun` holds everything that belongs to one site (scope, frontier,
cookies, results) and uses the shared parts of its :class:`~crawler.Crawler`
(client, limiter, robots cache, document threads, browser). Documents are
read as they are fetched (``_documents``); what the static HTML does not show
(rendered links, QR codes) is added by ``_enrich``. Every failure ends up as
the site's status and reason, a :class:`Page` with ``error``, a
:class:`Skip`, or one of the site's ``notes``.
"""

from __future__ import annotations

import hashlib
import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import anyio
import httpx

from ._charset import decode_html
from ._content import extension, kind_of_url
from ._documents import SiteDocuments
from ._enrich import after_static_crawl, enrich_page
from ._fetch import FetchResult
from ._frontier import Candidate, Frontier, TrapLimits, navigation_hop
from ._images import SiteImages
from ._models import (
    ClickStep,
    Link,
    Page,
    PageImage,
    PageKind,
    SiteCrawl,
    SiteStatus,
    Skip,
)
from ._net import DNSLookupError, forbidden_reason
from ._parse import parse_html
from ._paths import FREE_TAGS, SITEMAP_LABEL, LinkGraph, label
from ._rendering import SiteRendering
from ._sitemap import parse_sitemap
from ._url import Scope, dedup_key, host_port, is_ip_host, normalize_url

if TYPE_CHECKING:
    from ._crawler import Crawler

__all__ = ["OnPage", "Scorer", "SiteRun", "WantsMore"]

logger = logging.getLogger("crawler")

Scorer = Callable[[Link], float]
OnPage = Callable[[Page], None]
WantsMore = Callable[[SiteCrawl], bool]

_UNREACHABLE_ERRORS = frozenset({"dns", "connect", "timeout", "network"})
_MAX_SITEMAP_LEVELS = 3
MAX_SKIPS = 10_000  # Skip records kept per site


def _now() -> datetime:
    return datetime.now(UTC)


def _path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")


@dataclass
class _Outcome:
    status: SiteStatus = SiteStatus.OK
    reason: str = ""
    done: bool = False  # a final status was decided before the crawl loop


@dataclass
class SiteRun:
    crawler: Crawler
    seed_url: str
    scorer: Scorer | None = None
    on_page: OnPage | None = None
    wants_more: WantsMore | None = None
    started: datetime = field(default_factory=_now)

    seed: str = ""
    final_url: str = ""
    allow_private: bool = False
    scope: Scope = field(default_factory=lambda: Scope(set()))
    jar: httpx.Cookies = field(default_factory=httpx.Cookies)
    pages: list[Page] = field(default_factory=list)
    outcome: _Outcome = field(default_factory=_Outcome)
    home_fetched: bool = False
    home_page: Page | None = None
    timed_out: bool = False
    budget_hit: bool = False

    def __post_init__(self) -> None:
        config = self.crawler.config
        self.frontier = Frontier(
            max_depth=config.max_depth,
            limits=TrapLimits(
                max_query_variants=config.trap_max_query_variants,
                max_path_variants=config.trap_max_path_variants,
                max_calendar=config.trap_max_calendar,
                max_pagination=config.trap_max_pagination,
                max_year_tabs=config.trap_max_year_tabs,
            ),
            candidate_score=config.candidate_score,
            candidate_depth=config.candidate_extra_depth,
        )
        self.graph = LinkGraph()
        self.skipped: dict[str, Skip] = {}
        self.fetched: dict[str, Page] = {}  # dedup key → page
        self.external: dict[str, None] = {}  # dedup keys of off-site URLs, in order seen
        self.discovery: dict[str, list[ClickStep]] = {}  # provisional paths for on_page
        self.sitemap_urls: list[str] = []
        self.used = 0  # page budget used, including requests in flight
        # Pages of the budget kept for evidence candidates (only with a scorer:
        # without one no link is a candidate).
        self.reserve = (
            int(config.max_pages * config.candidate_reserve) if self.scorer is not None else 0
        )
        self.reserve_hit = False  # other links were left for the reserve
        self.in_flight = 0
        self.wake = anyio.Event()
        self._scorer_failed = False
        self.notes: dict[str, None] = {}  # SiteCrawl.notes, in order, each once
        self.documents = SiteDocuments(self.crawler.documents)
        self.images = SiteImages(self)
        self.rendering = SiteRendering(self)

    # ------------------------------------------------------------------ entry

    async def run(self) -> None:
        config = self.crawler.config
        seed = self.seed_url.strip()
        if seed and "://" not in seed:
            seed = "http://" + seed
        normalized = normalize_url(seed)
        if normalized is None:
            self._finish(SiteStatus.ERROR, f"bad seed URL: {self.seed_url!r}")
            return
        self.seed = self.final_url = normalized
        self.scope = Scope.of(normalized)

        private = await self._seed_is_private(normalized)
        if self.outcome.done:
            return
        self.allow_private = private if config.allow_private is None else config.allow_private

        if config.obey_robots:
            rules = await self.crawler.robots_for(normalized, self.allow_private)
            if rules.fetch_error:
                # The host gave no HTTP answer for robots.txt: report why (the
                # home page would fail the same way), not "blocked".
                unreachable = rules.fetch_error_kind in _UNREACHABLE_ERRORS
                status = SiteStatus.UNREACHABLE if unreachable else SiteStatus.ERROR
                self._finish(status, rules.fetch_error)
                return
            if rules.disallow_all:
                self._finish(SiteStatus.BLOCKED, rules.reason)
                return
            if not rules.allows(normalized):
                self._finish(SiteStatus.BLOCKED, f"robots.txt disallows {_path_of(normalized)}")
                return

        if not await self._home():
            return
        if config.use_sitemaps:
            await self._sitemaps()
        await self._loop()
        if config.render != "never":
            await after_static_crawl(self)

    async def _seed_is_private(self, url: str) -> bool:
        """Is the seed on a loopback/private address (so ``allow_private=None``
        lets this crawl reach such addresses)? Pinned hosts do not count."""
        host, _ = host_port(url)
        if host == "localhost" or host.endswith(".localhost"):
            return True
        if is_ip_host(host):
            return forbidden_reason(host) is not None
        if self.crawler.custom_transport or self.crawler.resolver.pinned(host):
            return False
        try:
            with anyio.fail_after(self.crawler.config.connect_timeout):
                addresses = await self.crawler.resolver.resolve(host)
        except DNSLookupError as exc:
            if not exc.temporary:
                self._finish(SiteStatus.UNREACHABLE, str(exc))
            return False
        except TimeoutError:
            return False  # let the fetch try (and report) again
        return any(forbidden_reason(a) for a in addresses)

    # -------------------------------------------------------------- home page

    async def _home(self) -> bool:
        result = await self.crawler.fetcher.fetch(
            self.seed, allow_private=self.allow_private, jar=self.jar, check_hop=self._home_hop
        )
        if result.skip:
            reason, detail = result.skip
            if reason == "robots":
                self._finish(SiteStatus.BLOCKED, detail)
            elif reason == "type":
                self._finish(SiteStatus.ERROR, f"home page is not HTML: {detail}")
            else:
                self._finish(SiteStatus.ERROR, f"home page: {detail}")
            return False
        if result.error_kind:
            status = (
                SiteStatus.UNREACHABLE
                if result.error_kind in _UNREACHABLE_ERRORS
                else SiteStatus.ERROR
            )
            self._finish(status, result.error)
            self._record_failed(result, Candidate(url=self.seed, depth=0))
            return False
        self.final_url = result.final_url
        self.home_fetched = True
        candidate = Candidate(url=self.seed, depth=0)
        self.discovery[candidate.key] = []
        self.frontier.mark_done(candidate.key)
        code = result.status
        if not 200 <= code < 300:
            self._record_failed(result, candidate)
            if code in (401, 403):
                self._finish(SiteStatus.BLOCKED, f"HTTP {code} at home page")
            elif code == 429:
                self._finish(SiteStatus.BLOCKED, "HTTP 429 at home page (rate limited)")
            else:
                self._finish(SiteStatus.ERROR, f"HTTP {code} at home page")
            return False
        if result.kind != "html":
            await self._record_document(result, candidate, read=False)
            self._finish(
                SiteStatus.ERROR, f"home page is a document ({result.content_type}), not HTML"
            )
            return False
        # The home page may have moved to another domain: that is the site now.
        self.scope.add(result.final_url)
        self.used += 1
        await self._record_html(result, candidate, is_home=True)
        return True

    async def _home_hop(self, url: str) -> tuple[str, str] | None:
        return await self._robots_hop(url)

    async def _page_hop(self, url: str) -> tuple[str, str] | None:
        if url not in self.scope:
            return "scope", f"redirects off-site to {url}"
        if dedup_key(url) in self.fetched:
            # Only a redirect hop can be already fetched (the first hop came
            # from the frontier): do not fetch that page twice.
            return "duplicate", f"redirects to {url}, fetched already"
        return await self._robots_hop(url)

    async def robots_hop(self, url: str) -> tuple[str, str] | None:
        return await self._robots_hop(url)

    async def _robots_hop(self, url: str) -> tuple[str, str] | None:
        if not self.crawler.config.obey_robots:
            return None
        rules = await self.crawler.robots_for(url, self.allow_private)
        if rules.disallow_all:
            return "robots", rules.reason
        if not rules.allows(url):
            return "robots", f"robots.txt disallows {_path_of(url)}"
        return None

    # --------------------------------------------------------------- sitemaps

    async def _sitemaps(self) -> None:
        config = self.crawler.config
        parts = urlsplit(self.final_url)
        queue: deque[tuple[str, int]] = deque([(f"{parts.scheme}://{parts.netloc}/sitemap.xml", 0)])
        if config.obey_robots:
            for origin in dict.fromkeys((self.seed, self.final_url)):
                rules = await self.crawler.robots_for(origin, self.allow_private)
                queue.extend((url, 0) for url in rules.sitemaps)
        seen: set[str] = set()
        files = 0
        while queue and files < config.max_sitemap_files:
            if len(self.sitemap_urls) >= config.max_sitemap_urls:
                break
            raw, level = queue.popleft()
            url = normalize_url(raw)
            if url is None or dedup_key(url) in seen or url not in self.scope:
                continue
            seen.add(dedup_key(url))
            files += 1
            result = await self.crawler.fetcher.fetch(
                url,
                allow_private=self.allow_private,
                jar=self.jar,
                check_hop=self._page_hop,
                raw_cap=config.max_sitemap_bytes,
            )
            if not result.ok:
                continue
            room = config.max_sitemap_urls - len(self.sitemap_urls)
            is_index, locs = parse_sitemap(result.body, config.max_sitemap_bytes, room)
            for loc in locs:
                target = normalize_url(loc)
                if target is None or target not in self.scope:
                    continue
                if is_index:
                    if level + 1 < _MAX_SITEMAP_LEVELS:
                        queue.append((target, level + 1))
                    continue
                self.sitemap_urls.append(target)
                link = Link(
                    url=target, text="", title="", context="", tag="sitemap", source_url=url
                )
                self._push(link, depth=1, parent=None, from_sitemap=True)

    # ------------------------------------------------------------- main loop

    async def crawl_frontier(self) -> None:
        """Fetch what the frontier holds, within the page budget."""
        await self._loop()

    async def _loop(self) -> None:
        config = self.crawler.config
        workers = max(1, config.per_host_concurrency)
        async with anyio.create_task_group() as group:
            while True:
                while self.in_flight < workers:
                    if self.used >= config.max_pages:
                        self.budget_hit = self.budget_hit or len(self.frontier) > 0
                        break
                    # The last pages of the budget are kept for evidence candidates.
                    reserved = self.used >= config.max_pages - self.reserve
                    candidate = self._next(candidates_only=reserved)
                    if candidate is None:
                        self.reserve_hit = self.reserve_hit or (reserved and len(self.frontier) > 0)
                        break
                    self.used += 1
                    self.in_flight += 1
                    group.start_soon(self._visit, candidate)
                if self.in_flight == 0:
                    break
                await self.wake.wait()
                self.wake = anyio.Event()

    def _next(self, *, candidates_only: bool = False) -> Candidate | None:
        candidate, dropped = self.frontier.pop(candidates_only=candidates_only)
        for item, detail in dropped:
            self._skip(item.url, "trap", detail)
        return candidate

    async def _visit(self, candidate: Candidate) -> None:
        try:
            counted = await self._fetch_one(candidate)
            if not counted:
                self.used -= 1
        except Exception as exc:  # a bug on one page must not end the site's crawl
            logger.exception("crawler: internal error on %s", candidate.url)
            self._add_page(
                Page(
                    url=candidate.url,
                    final_url=candidate.url,
                    kind=PageKind.PAGE,
                    status=0,
                    content_type="",
                    size=0,
                    sha256="",
                    fetched_at=_now(),
                    depth=candidate.depth,
                    error=f"internal error: {type(exc).__name__}: {exc}",
                ),
                candidate,
            )
        finally:
            self.in_flight -= 1
            self.wake.set()

    async def _fetch_one(self, candidate: Candidate) -> bool:
        """Fetch one candidate; True when it used the page budget."""
        config = self.crawler.config
        result = await self.crawler.fetcher.fetch(
            candidate.url, allow_private=self.allow_private, jar=self.jar, check_hop=self._page_hop
        )
        for hop in result.redirects:
            self.frontier.mark_done(dedup_key(hop))
        if result.skip:
            reason, detail = result.skip
            if reason == "duplicate":
                self.graph.add_alias(candidate.key, result.final_url)
            if reason == "scope" and candidate.link is not None and candidate.parent is not None:
                # An on-site link that leads off-site (often E-Service or e-GP):
                # record where it really goes, labelled as the link was.
                src = candidate.link
                moved = Link(
                    url=result.final_url,
                    text=src.text,
                    title=src.title,
                    context=src.context,
                    tag=src.tag,
                    source_url=src.source_url,
                )
                self.graph.add_edge(candidate.parent, moved)
                self.external.setdefault(dedup_key(result.final_url))
            self._skip(candidate.url, reason, detail)
            return False
        if result.error_kind or not 200 <= result.status < 300:
            self._record_failed(result, candidate)
            return True
        if result.kind == "document":
            await self._record_document(result, candidate)
            return True
        if result.truncated:
            self._skip(candidate.url, "size", f"page larger than {config.max_page_bytes} bytes")
            return False
        await self._record_html(result, candidate)
        return True

    # ------------------------------------------------------------- recording

    def _provisional_path(self, candidate: Candidate) -> list[ClickStep]:
        if candidate.link is None:
            return []
        if candidate.parent is None:
            return [ClickStep(candidate.url, SITEMAP_LABEL)]
        parent = self.discovery.get(candidate.parent, [])
        if candidate.link.tag in FREE_TAGS:
            return parent
        return [*parent, ClickStep(candidate.url, label(candidate.link))]

    def _add_page(self, page: Page, candidate: Candidate, also: list[str] | None = None) -> None:
        self._register(page, candidate, also)
        self._announce(page)

    def _register(self, page: Page, candidate: Candidate, also: list[str] | None = None) -> None:
        path = self._provisional_path(candidate)
        self.discovery[candidate.key] = path
        page.click_path = path
        page.depth = len(path)
        self.pages.append(page)
        self.fetched[candidate.key] = page
        self.graph.add_page(candidate.key, page.links, also=[*(also or ()), page.final_url])

    def _announce(self, page: Page) -> None:
        if self.on_page is not None:
            try:
                self.on_page(page)
            except Exception:  # a progress callback must not end the crawl
                logger.exception("crawler: on_page callback failed")

    def _base_page(self, result: FetchResult, candidate: Candidate, kind: PageKind) -> Page:
        return Page(
            url=candidate.url,
            final_url=result.final_url,
            kind=kind,
            status=result.status,
            content_type=result.content_type,
            size=len(result.body),
            sha256=hashlib.sha256(result.body).hexdigest() if result.body else "",
            fetched_at=result.fetched_at or _now(),
            depth=candidate.depth,
        )

    def _record_failed(self, result: FetchResult, candidate: Candidate) -> None:
        kind = PageKind.DOCUMENT if kind_of_url(result.final_url) == "document" else PageKind.PAGE
        page = self._base_page(result, candidate, kind)
        page.error = result.error or f"HTTP {result.status}"
        self._add_page(page, candidate, result.redirects)

    async def _record_document(
        self, result: FetchResult, candidate: Candidate, *, read: bool = True
    ) -> None:
        page = self._base_page(result, candidate, PageKind.DOCUMENT)
        body, result.body = result.body, b""  # the page keeps the text, never the bytes
        if read:
            await self.documents.read(page, body)
        del body
        self._add_page(page, candidate, result.redirects)

    async def _record_html(
        self, result: FetchResult, candidate: Candidate, *, is_home: bool = False
    ) -> None:
        config = self.crawler.config
        html, codec = decode_html(result.body, result.header_charset)
        parsed = parse_html(html, result.final_url, max_links=config.max_links_per_page)
        page = self._base_page(result, candidate, PageKind.PAGE)
        result.body = b""
        page.title = parsed.title
        page.charset = codec
        page.text = parsed.text
        page.headings = parsed.headings
        page.links = parsed.links
        page.forms = parsed.forms
        page.images = [
            PageImage(url=r.url, alt=r.title, context=r.context, tiny=r.tiny)
            for r in parsed.images
        ]
        if result.truncated:
            page.error = f"truncated at {config.max_page_bytes} bytes"
        if is_home:
            self.home_page = page
        self._register(page, candidate, result.redirects)
        self.follow(parsed.links, candidate, result.final_url)
        why = self.rendering.reason(html, len(parsed.links), is_home=is_home)
        del html
        try:
            await enrich_page(self, page, candidate, parsed.images, render=why, home=is_home)
        except Exception as exc:  # the page is recorded: keep it, say what went wrong
            logger.exception("crawler: internal error rendering or reading images of %s", page.url)
            self.add_note(f"internal error on {page.url}: {type(exc).__name__}: {exc}")
        self._announce(page)

    def follow(self, links: list[Link], candidate: Candidate, page_url: str = "") -> None:
        """Queue a page's on-site links (each once, at its best score) and
        note its off-site ones.

        The depth limit counts navigation: frames, documents, pagination and
        fiscal-year tabs of the page (``page_url``, else the candidate's URL)
        add no level (``nav_depth``); they also inherit the page's score, so
        the file behind an evidence page and the next page of an evidence
        listing come before unrelated pages. The priority still counts every
        click but frames (``depth``): later pages of a listing wait behind its
        first ones, as do the click paths shown to the auditor.
        """
        page_url = page_url or candidate.url
        best: dict[str, tuple[float, Link, bool]] = {}
        for link in links:
            key = dedup_key(link.url)
            if link.url not in self.scope:
                self.external.setdefault(key)
                continue
            score = self._score(link)
            text = f"{link.text} {link.title}"
            free = link.tag in FREE_TAGS or (
                navigation_hop(page_url, link.url, kind_of_url(link.url), text) is not None
            )
            if free:
                score = max(score, candidate.score)
            if key not in best or score > best[key][0]:
                best[key] = (score, link, free)
        for score, link, free in best.values():
            clicks = candidate.depth + (0 if link.tag in FREE_TAGS else 1)
            levels = candidate.levels + (0 if free else 1)
            self._push(link, depth=clicks, nav_depth=levels, parent=candidate.key, score=score)

    def add_links(self, page: Page, candidate: Candidate, links: list[Link]) -> None:
        """Links found after the page was recorded (rendered DOM, QR codes)."""
        if not links:
            return
        page.links.extend(links)
        for link in links:
            self.graph.add_edge(candidate.key, link)
        self.follow(links, candidate, page.final_url)

    def known(self, key: str) -> bool:
        """Has the crawl met this URL already (fetched, queued, skipped, off-site)?"""
        return (
            key in self.fetched
            or key in self.external
            or key in self.skipped
            or self.frontier.is_known(key)
        )

    # ------------------------------------------------------ used by helpers

    def record_skip(self, url: str, reason: str, detail: str = "") -> None:
        self._skip(url, reason, detail)

    def add_note(self, note: str) -> None:
        self.notes.setdefault(note)

    def _push(
        self,
        link: Link,
        *,
        depth: int,
        parent: str | None,
        score: float | None = None,
        from_sitemap: bool = False,
        nav_depth: int | None = None,
    ) -> None:
        config = self.crawler.config
        key = dedup_key(link.url)
        if key in self.fetched:
            return
        candidate = Candidate(
            url=link.url,
            depth=depth,
            score=self._score(link) if score is None else score,
            link=link,
            parent=parent,
            from_sitemap=from_sitemap,
            nav_depth=nav_depth,
        )
        if self.frontier.is_known(key):
            self.frontier.push(candidate)  # may raise its priority; never refused
            return
        kind = kind_of_url(link.url)
        if kind in ("image", "other"):
            self._skip(link.url, "type", f"not a page or document (.{extension(link.url)})")
            return
        if kind == "document" and not config.fetch_documents:
            self._skip(link.url, "type", "documents are not fetched (fetch_documents=False)")
            return
        refusal = self.frontier.push(candidate)
        if refusal is not None:
            self._skip(link.url, *refusal)

    def _score(self, link: Link) -> float:
        if self.scorer is None:
            return 0.0
        try:
            return float(self.scorer(link))
        except Exception:  # the rules' scorer is not ours to trust: score 0, log once
            if not self._scorer_failed:
                logger.exception("crawler: scorer failed; scoring links 0")
                self._scorer_failed = True
            return 0.0

    def _skip(self, url: str, reason: str, detail: str = "", *, override: bool = False) -> None:
        key = dedup_key(url)
        if key in self.skipped and not override:
            return
        if len(self.skipped) >= MAX_SKIPS and key not in self.skipped:
            return  # a gallery site can skip thousands of images; keep the report bounded
        self.skipped[key] = Skip(url=url, reason=reason, detail=detail)

    def _finish(self, status: SiteStatus, reason: str) -> None:
        self.outcome = _Outcome(status=status, reason=reason, done=True)

    # ---------------------------------------------------------------- result

    def result(self, started: datetime, internal_error: str = "") -> SiteCrawl:
        config = self.crawler.config
        if internal_error and not self.outcome.done:
            self._finish(SiteStatus.ERROR, internal_error)
        if self.timed_out and not self.home_fetched and not self.outcome.done:
            self._finish(
                SiteStatus.UNREACHABLE,
                f"site timeout ({config.site_timeout:g} s) before the home page answered",
            )
        for candidate in self.frontier.drain():
            if self.timed_out:
                why = "site timeout"
            elif self.reserve_hit and not self.frontier.is_candidate(candidate):
                why = (
                    f"page budget: the last {self.reserve} of {config.max_pages} pages"
                    " are kept for evidence candidates"
                )
            else:
                why = f"page budget ({config.max_pages}) reached"
            self._skip(candidate.url, "budget", why, override=True)
        external_links = self._finalize_paths()
        for key in list(self.skipped):
            if key in self.fetched:
                del self.skipped[key]
        status, reason = self.outcome.status, self.outcome.reason
        if not self.outcome.done:
            reason = self._summary()
        return SiteCrawl(
            seed_url=self.seed_url,
            final_url=self.final_url or self.seed_url,
            status=status,
            reason=reason,
            started_at=started,
            finished_at=_now(),
            pages=self.pages,
            external_links=external_links,
            skipped=list(self.skipped.values()),
            notes=self._all_notes(),
            allow_private=self.allow_private,
        )

    def snapshot(self) -> SiteCrawl:
        """The crawl so far, for ``wants_more``; the crawl goes on afterwards."""
        return SiteCrawl(
            seed_url=self.seed_url,
            final_url=self.final_url or self.seed_url,
            status=SiteStatus.OK,
            reason=self._summary(),
            started_at=self.started,
            finished_at=_now(),
            pages=list(self.pages),
            external_links=self._finalize_paths(),
            skipped=list(self.skipped.values()),
            notes=self._all_notes(),
            allow_private=self.allow_private,
        )

    def _all_notes(self) -> list[str]:
        notes = [
            *self.notes,
            *self.documents.site_notes(),
            *self.images.notes(),
            *self.rendering.notes(),
        ]
        return list(dict.fromkeys(notes))

    def _summary(self) -> str:
        config = self.crawler.config
        docs = sum(1 for p in self.pages if p.kind is PageKind.DOCUMENT and p.status)
        html = sum(1 for p in self.pages if p.kind is PageKind.PAGE and p.status)
        text = f"{html} pages and {docs} documents fetched"
        if self.timed_out:
            text += f"; stopped at the site timeout ({config.site_timeout:g} s)"
        elif self.budget_hit:
            text += f"; page budget ({config.max_pages}) reached"
        elif self.reserve_hit:
            text += (
                f"; other links stopped at {config.max_pages - self.reserve} pages"
                f" (the last {self.reserve} of the budget are kept for evidence candidates)"
            )
        return text

    def _finalize_paths(self) -> list[tuple[Link, list[ClickStep]]]:
        if not self.pages:
            return []
        paths, via = self.graph.shortest_paths(dedup_key(self.seed), self.sitemap_urls)
        for key, page in self.fetched.items():
            path = paths.get(self.graph.node(page.url))
            if path is None:
                path = paths.get(key)
            if path is not None:  # else keep the discovery path (should not happen)
                page.click_path = path
                page.depth = len(path)
        externals: list[tuple[Link, list[ClickStep]]] = []
        for key in self.external:
            link = via.get(key)
            if link is None:
                continue
            # The page's path plus the link itself, even for an iframe (a free edge).
            source = paths.get(self.graph.node(link.source_url))
            if source is None:
                continue
            externals.append((link, [*source, ClickStep(link.url, label(link))]))
        return externals
