"""Scanning: crawl a site, apply the catalog's rules, store the result.

This is the one function that the CLI, the demo, the scheduler and the
Celery workers all call; they decide *when* and *where* a scan runs, this
module decides *how*. The flow is one way (Scrapy's engine → pipeline):
crawler → rules → storage; storage never calls back.

``scan_sites`` scans many sites in this process (one shared crawler, so the
per-host politeness limits hold across agencies); ``scan_one_site`` scans one
site of an existing run and is what a Celery task calls. Both go through
``_scan_one``, which claims the site's row in the run (so a site delivered
twice is recorded once), keeps the claim's lease alive while crawling and
writes the results under that claim.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import uuid
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

from crawler import CrawlConfig, Crawler, Page, SiteCrawl
from reports import RunReport, SiteReport
from rules import Catalog, ItemStatus, evaluate
from storage import (
    DatabaseUnavailableError,
    Repository,
    SiteBusyError,
    StorageError,
    oitwatch_home,
)

__all__ = [
    "ScanOptions",
    "ScanProgress",
    "SiteOutcome",
    "SiteTarget",
    "scan_one_site",
    "scan_sites",
    "scan_sites_async",
]

log = logging.getLogger("oitwatch.scan")


@dataclass(slots=True)
class ScanOptions:
    """What a user may tune for one scan; everything else is CrawlConfig's default."""

    max_pages: int = 300
    max_depth: int = 6
    min_delay: float = 0.5
    per_host_concurrency: int = 2
    site_concurrency: int = 4  # sites crawled at once
    allow_private: bool | None = None
    trigger: str = "cli"
    # How long a claim on a site lasts without renewal (renewed every quarter of it while
    # the crawl runs); after that another worker may take the site over.
    lease_seconds: float = 120.0
    # JavaScript rendering: "auto" (script-built menus; items still missing), "never", "always"
    render: str = "auto"
    browser_path: str | None = None  # default: found automatically (see render/_browser.py)
    # A PNG of each pass/partial item's evidence page, stored by hash under screenshot_dir
    # (default $OITWATCH_HOME/screenshots); auditors see what was online at scan time.
    screenshots: bool = True
    screenshot_dir: str | None = None
    max_evidence_screenshots: int = 20  # per site
    # A gzip WARC 1.1 file per site scan (every HTTP exchange, rendered DOMs, screenshots)
    # under archive_dir (default $OITWATCH_HOME/archives), for `oitwatch evidence export`.
    # Only for stored scans (the database says which file belongs to which scan).
    archive: bool = True
    archive_dir: str | None = None
    max_archive_bytes: int = 500 * 1024 * 1024  # per site; archive.DEFAULT_MAX_ARCHIVE_BYTES
    # Further CrawlConfig fields, e.g. {"check_images": False} (unknown names are refused).
    crawl: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, object] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ScanOptions:
        """The inverse of to_dict; unknown keys (from a newer version) are ignored."""
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})

    def crawl_config(self) -> CrawlConfig:
        known = {f.name for f in fields(CrawlConfig)}
        unknown = sorted(set(self.crawl) - known)
        if unknown:
            raise ValueError(f"unknown crawler setting(s): {', '.join(unknown)}")
        settings: dict[str, Any] = {
            "render": self.render,
            "browser_path": self.browser_path,
            "screenshot_dir": self.screenshot_store() if self.screenshots else None,
            **self.crawl,
        }
        return CrawlConfig(
            max_pages=self.max_pages,
            max_depth=self.max_depth,
            min_delay=self.min_delay,
            per_host_concurrency=self.per_host_concurrency,
            allow_private=self.allow_private,
            **settings,
        )

    def screenshot_store(self) -> str:
        return self.screenshot_dir or str(oitwatch_home() / "screenshots")

    def archive_store(self) -> str | None:
        """Where site archives go, or None with ``archive=False``."""
        if not self.archive:
            return None
        return self.archive_dir or str(oitwatch_home() / "archives")


class ScanProgress:
    """Receives progress events; the CLI subclasses it to draw progress bars."""

    def site_started(self, seed_url: str) -> None:
        pass

    def page_fetched(self, seed_url: str, page: Page) -> None:
        pass

    def site_finished(self, seed_url: str, report: SiteReport) -> None:
        pass


def _to_report(crawl: SiteCrawl, catalog: Catalog, agency_name: str | None) -> SiteReport:
    return SiteReport(
        seed_url=crawl.seed_url,
        final_url=crawl.final_url,
        status=crawl.status.value,
        reason=crawl.reason,
        pages_fetched=crawl.pages_fetched,
        started_at=crawl.started_at,
        finished_at=crawl.finished_at,
        items=evaluate(catalog, crawl, agency_name),
        notes=list(crawl.notes),
    )


def _items_missing(catalog: Catalog, agency_name: str | None) -> Callable[[SiteCrawl], bool]:
    """The crawler's `wants_more` hook: after the static crawl, is any item not found yet?
    Then rendering the home and hub pages may show the links a script builds."""

    def wants_more(crawl: SiteCrawl) -> bool:
        return any(r.status is ItemStatus.FAIL for r in evaluate(catalog, crawl, agency_name))

    return wants_more


async def _screenshot_evidence(
    crawler: Crawler, crawl: SiteCrawl, report: SiteReport, limit: int
) -> None:
    """A PNG of the best evidence page of every pass or partial item (pages on the site
    only: documents and off-site links are kept by hash and URL)."""
    wanted = [
        ev
        for item in report.items
        if item.status in (ItemStatus.PASS, ItemStatus.PARTIAL)
        for ev in item.evidence[:1]
        if ev.kind == "page"
    ]
    urls = list(dict.fromkeys(ev.url for ev in wanted))[:limit]
    # at once: the crawler bounds the browser pages and the host's requests (politeness)
    results = await asyncio.gather(
        *(crawler.screenshot(url, allow_private=crawl.allow_private) for url in urls)
    )
    shots = dict(zip(urls, (digest for digest, _ in results)))
    for _, why in results:
        if why and why not in report.notes:
            report.notes.append(why)
    for ev in wanted:
        ev.screenshot = shots.get(ev.url, "")


def _open_archive(
    archive_dir: str, max_bytes: int, crawler: Crawler, catalog: Catalog, run_id: int | None,
    site_scan_id: int, seed_url: str, agency: Any, attempt: int,
) -> Any:
    """The site scan's WARC file, its warcinfo record naming the run (see archive._writer)."""
    from archive import SiteArchive, archive_path

    config = crawler.config
    info = {
        "isPartOf": f"oitwatch run {run_id}" if run_id is not None else "oitwatch scan",
        "description": "ITA/OIT disclosure scan of one agency website",
        "hostname": socket.gethostname(),
        "http-header-user-agent": config.user_agent,
        "robots": "obey" if config.obey_robots else "ignore",
        "oitwatch-catalog": catalog.id,
        "oitwatch-fiscal-year": catalog.fiscal_year,
        "oitwatch-run": run_id,
        "oitwatch-site-scan": site_scan_id,
        "oitwatch-attempt": attempt,
        "oitwatch-seed-url": seed_url,
        "oitwatch-agency-code": getattr(agency, "code", None),
        "oitwatch-agency-name": getattr(agency, "name", None),
    }
    path = archive_path(archive_dir, run_id, seed_url, site_scan_id)
    return SiteArchive(path, info, max_bytes=max_bytes)


def _archive_screenshots(archive: Any, report: SiteReport, screenshot_dir: str | None) -> None:
    """The evidence screenshots (taken after the crawl) into the site's WARC file too."""
    if not screenshot_dir:
        return
    from render import ScreenshotStore

    store = ScreenshotStore(screenshot_dir)
    done: set[str] = set()
    for item in report.items:
        for ev in item.evidence:
            if ev.screenshot and ev.screenshot not in done:
                done.add(ev.screenshot)
                png = store.get(ev.screenshot)
                if png is not None:
                    archive.add_screenshot(ev.url, png)


async def _close_archive(archive: Any, crawl: SiteCrawl | None, report: SiteReport | None) -> Any:
    """Close the WARC file; its notes (size cap, write error) go to the crawl and report."""
    info = await asyncio.to_thread(archive.close)
    for note in info.notes:
        for notes in (crawl.notes if crawl else None, report.notes if report else None):
            if notes is not None and note not in notes:
                notes.append(note)
    return info


def _store_archive(
    repo: Repository, site_scan_id: int, info: Any, report: SiteReport | None,
    token: str | None,
) -> None:
    pointers: dict[str, int] = {}
    for item in report.items if report is not None else []:
        for ev in item.evidence:
            pointer = info.pointer(ev.url)
            if pointer is not None:
                pointers[ev.url] = pointer.offset
    try:
        repo.record_archive(
            site_scan_id, path=str(info.path), size=info.size, sha256=info.sha256,
            records=info.records, capped=info.capped, notes=info.notes, pointers=pointers,
            token=token,
        )
    except StorageError as exc:  # the scan's results are stored; only the pointer is lost
        log.warning("could not record the web archive %s of site scan %s: %s",
                    info.path, site_scan_id, exc)


@dataclass(frozen=True, slots=True)
class SiteTarget:
    """A site to scan within a run, with its registry agency when known."""

    seed_url: str
    agency_id: int | None = None


@dataclass(frozen=True, slots=True)
class SiteOutcome:
    """What became of one site (a Celery task's result; also logged by workers)."""

    seed_url: str
    state: str  # complete | failed | skipped
    status: str  # ok | unreachable | blocked | error ("" when skipped)
    reason: str
    pages_fetched: int = 0
    items: dict[str, int] = field(default_factory=dict)  # status -> count
    attempt: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _claimant() -> str:
    return f"{socket.gethostname()} pid {os.getpid()}"


async def _keep_lease(repo: Repository, site_scan_id: int, token: str, lease: float) -> None:
    """Renew the claim every quarter lease until cancelled; stop when the claim is gone."""
    while True:
        await asyncio.sleep(max(0.2, lease / 4))
        try:
            alive = await asyncio.to_thread(
                repo.renew_lease, site_scan_id, token, timedelta(seconds=lease)
            )
        except StorageError as exc:  # the database is away: try again at the next beat
            log.warning("could not renew the lease of site scan %s: %s", site_scan_id, exc)
            continue
        if not alive:
            log.warning("site scan %s was taken over or closed; this attempt's result "
                        "will not be recorded", site_scan_id)
            return


def _error_report(seed_url: str, reason: str, started: datetime) -> SiteReport:
    return SiteReport(
        seed_url=seed_url,
        final_url=seed_url,
        status="error",
        reason=reason,
        pages_fetched=0,
        started_at=started,
        finished_at=datetime.now(UTC),
    )


async def _scan_one(
    crawler: Crawler,
    target: SiteTarget | str,
    catalog: Catalog,
    repo: Repository | None,
    run_id: int | None,
    progress: ScanProgress,
    scorer: Callable[..., float],
    *,
    claim_key: str | None = None,
    lease_seconds: float = 120.0,
    strict: bool = False,
    max_screenshots: int = 20,
    archive_dir: str | None = None,
    max_archive_bytes: int = 500 * 1024 * 1024,
) -> tuple[SiteReport | None, SiteOutcome]:
    """Scan one site and store it under a claim. Returns (None, skipped outcome) when the
    run has nothing left to do for it (already complete, run closed).

    ``strict`` (workers): a database that cannot be reached and a site held by another
    live worker raise (the task is retried later) instead of being recorded as failed.
    """
    if isinstance(target, str):
        target = SiteTarget(target)
    seed_url = target.seed_url
    started = datetime.now(UTC)
    agency = None
    site_scan_id: int | None = None
    token: str | None = None
    attempt = 0
    if repo is not None:
        try:
            agency = (
                repo.get_agency(target.agency_id)
                if target.agency_id is not None
                else repo.find_agency_by_homepage(seed_url)
            )
            if run_id is not None:
                claim = repo.claim_site_scan(
                    run_id,
                    seed_url,
                    agency.id if agency else None,
                    claim_key=claim_key or f"inprocess-{uuid.uuid4().hex[:16]}",
                    claimed_by=_claimant(),
                    lease=timedelta(seconds=lease_seconds),
                )
                if not claim.claimed:
                    reason = claim.skipped or "nothing to do"
                    return None, SiteOutcome(seed_url, "skipped", "", reason)
                site_scan_id, token, attempt = claim.site_scan_id, claim.token, claim.attempt
        except (DatabaseUnavailableError, SiteBusyError):
            if strict:
                raise
            log.warning("could not claim %s", seed_url, exc_info=True)
            report = _error_report(seed_url, "scan failed: the database is unavailable", started)
            progress.site_finished(seed_url, report)
            return report, SiteOutcome(seed_url, "failed", "error", report.reason)
    progress.site_started(seed_url)
    renewer = (
        asyncio.create_task(_keep_lease(repo, site_scan_id, token, lease_seconds))
        if repo is not None and site_scan_id is not None and token is not None
        else None
    )
    state = "complete"
    archive = None
    archive_stored = False
    try:
        archive_note = ""
        if archive_dir and repo is not None and site_scan_id is not None:
            try:
                archive = _open_archive(
                    archive_dir, max_archive_bytes, crawler, catalog, run_id, site_scan_id,
                    seed_url, agency, attempt,
                )
            except OSError as exc:  # a full or read-only disk must not cost the scan
                archive_note = f"web archive not written: {exc}"
        agency_name = agency.name if agency else None
        crawl = await crawler.crawl(
            seed_url,
            scorer=scorer,
            on_page=lambda page: progress.page_fetched(seed_url, page),
            wants_more=_items_missing(catalog, agency_name),
            recorder=archive.record if archive is not None else None,
        )
        if archive_note:
            crawl.notes.append(archive_note)
        report = _to_report(crawl, catalog, agency_name)
        if crawl.status.value == "ok" and crawler.config.screenshot_dir:
            await _screenshot_evidence(crawler, crawl, report, max_screenshots)
        if archive is not None:
            _archive_screenshots(archive, report, crawler.config.screenshot_dir)
            archived = await _close_archive(archive, crawl, report)
        if repo is not None and site_scan_id is not None:
            # a thread, so a large write does not stall the other sites' crawls
            await asyncio.to_thread(
                repo.finish_site_scan, site_scan_id, crawl, report.items, token=token
            )
            if archive is not None:
                await asyncio.to_thread(
                    _store_archive, repo, site_scan_id, archived, report, token
                )
                archive_stored = True
    except Exception as exc:  # one broken site must never stop the run
        log.warning("scan of %s failed: %s", seed_url, exc, exc_info=True)
        reason = f"scan failed: {type(exc).__name__}: {exc}"
        state = "failed"
        if repo is not None and site_scan_id is not None:
            try:
                repo.fail_site_scan(site_scan_id, reason, token=token)
            except StorageError:  # the database itself is down: the reason is in the log
                log.warning("could not record the failure of %s", seed_url)
                if strict:
                    raise
        report = _error_report(seed_url, reason, started)
    except BaseException:
        # cancelled (Ctrl-C, a worker's time limit): never leave it looking alive
        if repo is not None and site_scan_id is not None:
            with contextlib.suppress(StorageError):
                repo.fail_site_scan(site_scan_id, "interrupted before the scan ended", token=token)
        raise
    finally:
        if renewer is not None:
            renewer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await renewer
        if archive is not None and not archive_stored:
            # the scan failed half-way: keep what was archived (an auditor may need it);
            # synchronous, since this may run while the task is being cancelled
            with contextlib.suppress(Exception):
                info = archive.close()
                if repo is not None and site_scan_id is not None:
                    _store_archive(repo, site_scan_id, info, None, token)
    if agency is not None:
        report.agency_name, report.agency_code = agency.name, agency.code
    progress.site_finished(seed_url, report)
    counts: dict[str, int] = {}
    for item in report.items:
        counts[item.status.value] = counts.get(item.status.value, 0) + 1
    outcome = SiteOutcome(
        seed_url, state, report.status, report.reason, report.pages_fetched, counts, attempt
    )
    return report, outcome


async def scan_sites_async(
    seeds: Sequence[str | SiteTarget],
    catalog: Catalog,
    repo: Repository | None = None,
    options: ScanOptions | None = None,
    progress: ScanProgress | None = None,
    *,
    run_id: int | None = None,
) -> RunReport:
    """Scan every seed (concurrently, bounded) as one run; store it when a repo is given.

    ``run_id``: an existing run to scan into (a campaign planned by
    Repository.start_campaign_run); it is closed at the end like a run started here.
    The same URL given twice is scanned once.
    """
    options = options or ScanOptions()
    progress = progress or ScanProgress()
    started = datetime.now(UTC)
    targets: dict[str, SiteTarget] = {}
    for seed in seeds:
        target = SiteTarget(seed) if isinstance(seed, str) else seed
        targets.setdefault(target.seed_url, target)
    if repo is not None and run_id is None:
        run_id = repo.start_run(
            catalog.id, catalog.fiscal_year, options.trigger, options.to_dict()
        )
    claim_key = f"inprocess-{uuid.uuid4().hex[:16]}"
    scorer = catalog.link_scorer()
    gate = asyncio.Semaphore(max(1, options.site_concurrency))

    async def bounded(crawler: Crawler, target: SiteTarget) -> SiteReport | None:
        async with gate:
            report, _ = await _scan_one(
                crawler, target, catalog, repo, run_id, progress, scorer,
                claim_key=claim_key, lease_seconds=options.lease_seconds,
                max_screenshots=options.max_evidence_screenshots,
                archive_dir=options.archive_store(), max_archive_bytes=options.max_archive_bytes,
            )
            return report

    try:
        async with Crawler(options.crawl_config()) as crawler:
            sites = await asyncio.gather(*(bounded(crawler, t) for t in targets.values()))
    except BaseException:
        if repo is not None and run_id is not None:
            repo.finish_run(run_id, state="interrupted")
        raise
    if repo is not None and run_id is not None:
        repo.finish_run(run_id, state="complete")
    return RunReport(
        run_id=run_id,
        catalog_id=catalog.id,
        fiscal_year=catalog.fiscal_year,
        started_at=started,
        finished_at=datetime.now(UTC),
        sites=[site for site in sites if site is not None],
    )


def scan_sites(
    seeds: Sequence[str | SiteTarget],
    catalog: Catalog,
    repo: Repository | None = None,
    options: ScanOptions | None = None,
    progress: ScanProgress | None = None,
    *,
    run_id: int | None = None,
) -> RunReport:
    """Synchronous entry point for the CLI, the scheduler and in-process campaigns."""
    return asyncio.run(scan_sites_async(seeds, catalog, repo, options, progress, run_id=run_id))


@cache
def _catalog(catalog_id: str) -> Catalog:
    from rules import load_catalog

    return load_catalog(catalog_id)


@cache
def _repository(db_url: str | None) -> Repository:
    """One engine (connection pool) per worker process and database."""
    from storage import Database

    return Repository(Database(db_url))


# A worker process keeps one event loop and one Crawler per crawl configuration across its
# tasks, so the HTTP connection pool, the robots.txt cache and a started browser are reused
# instead of rebuilt for every site. Created lazily, i.e. after a prefork worker forked.
_loop: asyncio.AbstractEventLoop | None = None
_crawlers: dict[str, Crawler] = {}


async def _worker_crawler(
    options: ScanOptions, limiter_url: str | None = None, limiter_prefix: str | None = None
) -> Crawler:
    config = options.crawl_config()
    if limiter_url:  # a worker: per-host politeness across the whole fleet (its Redis)
        config = replace(config, limiter_url=limiter_url,
                         limiter_prefix=limiter_prefix or config.limiter_prefix)
    key = f"{config!r} {limiter_url}"  # limiter_url is not in the repr (a password)
    crawler = _crawlers.get(key)
    if crawler is None:
        crawler = Crawler(config)
        await crawler.__aenter__()
        _crawlers[key] = crawler
    return crawler


def _run_in_worker_loop(coro: Any) -> Any:
    global _loop
    if _loop is None or _loop.is_closed():
        _loop = asyncio.new_event_loop()
    try:
        return _loop.run_until_complete(coro)
    except BaseException:
        # interrupted (time limit, a bug): start the next task from a clean slate
        _reset_worker_loop()
        raise


def _reset_worker_loop() -> None:
    global _loop
    loop, _loop = _loop, None
    crawlers = list(_crawlers.values())
    _crawlers.clear()
    if loop is None or loop.is_closed():
        return
    try:
        for task in asyncio.all_tasks(loop):
            task.cancel()
        for crawler in crawlers:
            with contextlib.suppress(Exception):
                loop.run_until_complete(crawler.aclose())
    finally:
        loop.close()


def scan_one_site(
    seed_url: str,
    catalog_id: str,
    run_id: int,
    agency_id: int | None,
    options: ScanOptions | dict[str, Any] | None = None,
    db_url: str | None = None,
    *,
    claim_key: str,
    repo: Repository | None = None,
    progress: ScanProgress | None = None,
    limiter_url: str | None = None,
    limiter_prefix: str | None = None,
) -> SiteOutcome:
    """Scan one site of run ``run_id`` in this process and store it; close the run when it
    was the last one. What a Celery task calls (``oitwatch.tasks``). ``limiter_url``: the
    Redis holding fleet-wide per-host limits (keys under ``limiter_prefix``).

    ``claim_key`` must be the same for every delivery of one task (the Celery task id): a
    delivery that finds its own earlier attempt "running" knows that attempt is dead and
    scans again. Raises DatabaseUnavailableError (retry later) and SiteBusyError (another
    live worker has the site: retry after ``retry_after`` seconds).
    """
    if not isinstance(options, ScanOptions):
        options = ScanOptions.from_dict(dict(options or {}))
    repo = repo or _repository(db_url)
    catalog = _catalog(catalog_id)
    progress = progress or ScanProgress()

    async def main() -> SiteOutcome:
        crawler = await _worker_crawler(options, limiter_url, limiter_prefix)
        _, outcome = await _scan_one(
            crawler, SiteTarget(seed_url, agency_id), catalog, repo, run_id, progress,
            catalog.link_scorer(), claim_key=claim_key,
            lease_seconds=options.lease_seconds, strict=True,
            max_screenshots=options.max_evidence_screenshots,
            archive_dir=options.archive_store(), max_archive_bytes=options.max_archive_bytes,
        )
        return outcome

    outcome: SiteOutcome = _run_in_worker_loop(main())
    repo.finish_run_if_done(run_id)
    return outcome

