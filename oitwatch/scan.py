"""Scanning: crawl a site, apply the catalog's rules, store the result.

This is the one function that the CLI, the demo, the scheduler and the
Celery workers all call; they decide *when* and *where* a scan runs, this
module decides *how*. The flow is one way (Scrapy's engine → pipeline):
crawler → rules → storage; storage never calls back.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone

from crawler import Crawler, CrawlConfig, Page, SiteCrawl
from reports import RunReport, SiteReport
from rules import Catalog, evaluate
from storage import Repository, StorageError

__all__ = ["ScanOptions", "ScanProgress", "scan_sites", "scan_sites_async"]

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
    extra: dict[str, object] = field(default_factory=dict)

    def crawl_config(self) -> CrawlConfig:
        return CrawlConfig(
            max_pages=self.max_pages,
            max_depth=self.max_depth,
            min_delay=self.min_delay,
            per_host_concurrency=self.per_host_concurrency,
            allow_private=self.allow_private,
        )


class ScanProgress:
    """Receives progress events; the CLI subclasses it to draw progress bars."""

    def site_started(self, seed_url: str) -> None:
        pass

    def page_fetched(self, seed_url: str, page: Page) -> None:
        pass

    def site_finished(self, seed_url: str, report: SiteReport) -> None:
        pass


def _to_report(crawl: SiteCrawl, catalog: Catalog) -> SiteReport:
    return SiteReport(
        seed_url=crawl.seed_url,
        final_url=crawl.final_url,
        status=crawl.status.value,
        reason=crawl.reason,
        pages_fetched=crawl.pages_fetched,
        started_at=crawl.started_at,
        finished_at=crawl.finished_at,
        items=evaluate(catalog, crawl),
    )


async def _scan_one(
    crawler: Crawler,
    seed_url: str,
    catalog: Catalog,
    repo: Repository | None,
    run_id: int | None,
    progress: ScanProgress,
    scorer: Callable[..., float],
) -> SiteReport:
    progress.site_started(seed_url)
    started = datetime.now(timezone.utc)
    agency = repo.find_agency_by_homepage(seed_url) if repo is not None else None
    site_scan_id = None
    try:
        if repo is not None and run_id is not None:
            site_scan_id = repo.start_site_scan(run_id, seed_url, agency.id if agency else None)
        crawl = await crawler.crawl(
            seed_url, scorer=scorer, on_page=lambda page: progress.page_fetched(seed_url, page)
        )
        report = _to_report(crawl, catalog)
        if repo is not None and site_scan_id is not None:
            # a thread, so a large write does not stall the other sites' crawls
            await asyncio.to_thread(repo.finish_site_scan, site_scan_id, crawl, report.items)
    except Exception as exc:  # one broken site must never stop the run
        log.warning("scan of %s failed: %s", seed_url, exc, exc_info=True)
        reason = f"scan failed: {type(exc).__name__}: {exc}"
        if repo is not None and site_scan_id is not None:
            try:
                repo.fail_site_scan(site_scan_id, reason)
            except StorageError:  # the database itself is down: the reason is in the log
                log.warning("could not record the failure of %s", seed_url)
        report = SiteReport(
            seed_url=seed_url,
            final_url=seed_url,
            status="error",
            reason=reason,
            pages_fetched=0,
            started_at=started,
            finished_at=datetime.now(timezone.utc),
        )
    if agency is not None:
        report.agency_name, report.agency_code = agency.name, agency.code
    progress.site_finished(seed_url, report)
    return report


async def scan_sites_async(
    seeds: Sequence[str],
    catalog: Catalog,
    repo: Repository | None = None,
    options: ScanOptions | None = None,
    progress: ScanProgress | None = None,
) -> RunReport:
    """Scan every seed (concurrently, bounded) as one run; store it when a repo is given."""
    options = options or ScanOptions()
    progress = progress or ScanProgress()
    started = datetime.now(timezone.utc)
    run_id = (
        repo.start_run(catalog.id, catalog.fiscal_year, options.trigger, asdict(options))
        if repo is not None
        else None
    )
    scorer = catalog.link_scorer()
    gate = asyncio.Semaphore(max(1, options.site_concurrency))

    async def bounded(crawler: Crawler, seed: str) -> SiteReport:
        async with gate:
            return await _scan_one(crawler, seed, catalog, repo, run_id, progress, scorer)

    try:
        async with Crawler(options.crawl_config()) as crawler:
            sites = await asyncio.gather(*(bounded(crawler, seed) for seed in seeds))
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
        finished_at=datetime.now(timezone.utc),
        sites=list(sites),
    )


def scan_sites(
    seeds: Sequence[str],
    catalog: Catalog,
    repo: Repository | None = None,
    options: ScanOptions | None = None,
    progress: ScanProgress | None = None,
) -> RunReport:
    """Synchronous entry point for the CLI, the scheduler and workers."""
    return asyncio.run(scan_sites_async(seeds, catalog, repo, options, progress))

