"""Conversions between the shared dataclasses and rows. No queries here (see repo.py).

Values are validated on the way in (enum values, identifier lengths), so a bad value fails
the same way on SQLite, which ignores VARCHAR lengths, and on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from crawler._models import Page, PageKind, SiteCrawl, SiteStatus
from rules._result import Evidence, ItemResult, ItemStatus, Reason

from .models import EvidenceRow, ItemResultRow, PageRow, SiteScan
from .records import StoredSiteReport

__all__ = [
    "check_len",
    "homepage_key",
    "item_from_row",
    "item_rows",
    "page_rows",
    "site_report",
    "site_status",
]

_INDEX_PAGES = ("index.php", "index.html", "index.htm", "index.asp", "index.aspx", "default.aspx")


def homepage_key(url: str) -> str:
    """A key under which http/https, "www." and trailing-slash variants of a home page agree.

    >>> homepage_key("https://www.Example.go.th/index.php") == homepage_key("http://example.go.th")
    True
    """
    url = url.strip()
    if "://" not in url:
        url = "http://" + url
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    port = f":{parts.port}" if parts.port not in (None, 80, 443) else ""
    path = parts.path
    last = path.rsplit("/", 1)[-1]
    if last.lower() in _INDEX_PAGES:
        path = path[: -len(last)]
    key = host + port + path.rstrip("/")
    return f"{key}?{parts.query}" if parts.query else key


def check_len(name: str, value: str, limit: int) -> str:
    if len(value) > limit:
        raise ValueError(f"{name} {value[:40]!r}... is longer than {limit} characters")
    return value


def _page_row(site_scan_id: int, page: Page) -> PageRow:
    return PageRow(
        site_scan_id=site_scan_id,
        url=page.url,
        final_url=page.final_url,
        kind=PageKind(page.kind).value,
        http_status=page.status,
        content_type=page.content_type,
        size=page.size,
        sha256=check_len("sha256", page.sha256, 64),
        fetched_at=page.fetched_at,
        title=page.title,
        depth=page.depth,
        click_path=[{"url": s.url, "text": s.text} for s in page.click_path],
        error=page.error,
    )


def page_rows(site_scan_id: int, crawl: SiteCrawl) -> tuple[list[PageRow], dict[str, PageRow]]:
    """Rows for fetched pages and off-site links, plus a URL -> row map to link evidence.

    Off-site links become kind ``external`` rows (status 0, never fetched), once per URL,
    so an external evidence URL (Facebook, e-GP, Google Forms) is recorded with the click
    path where it was found.
    """
    rows: list[PageRow] = []
    by_url: dict[str, PageRow] = {}
    for page in crawl.pages:
        row = _page_row(site_scan_id, page)
        rows.append(row)
        by_url.setdefault(page.url, row)
        by_url.setdefault(page.final_url, row)
    for link, path in crawl.external_links:
        if link.url in by_url:
            continue
        row = PageRow(
            site_scan_id=site_scan_id,
            url=link.url,
            final_url=link.url,
            kind=PageKind.EXTERNAL.value,
            http_status=0,
            depth=len(path),  # the path ends with the link itself
            click_path=[{"url": s.url, "text": s.text} for s in path],
        )
        rows.append(row)
        by_url[link.url] = row
    return rows, by_url


def item_rows(
    site_scan_id: int, catalog_id: str, results: Iterable[ItemResult], pages: dict[str, PageRow]
) -> list[ItemResultRow]:
    rows = []
    for result in results:
        evidence = [
            EvidenceRow(
                rank=rank,
                url=ev.url,
                kind=PageKind(ev.kind).value,
                click_path=list(ev.click_path),
                click_path_urls=list(ev.click_path_urls),
                matched=ev.matched,
                sha256=check_len("sha256", ev.sha256, 64),
                score=float(ev.score),
                meets_requirements=bool(ev.meets_requirements),
                document_pages=[int(n) for n in ev.document_pages],
                image_url=ev.image_url,
                screenshot=check_len("screenshot", ev.screenshot, 64),
                page=pages.get(ev.url),
            )
            for rank, ev in enumerate(result.evidence)
        ]
        rows.append(
            ItemResultRow(
                site_scan_id=site_scan_id,
                catalog_id=catalog_id,
                code=check_len("item code", result.code, 32),
                title_th=result.title_th,
                title_en=result.title_en,
                status=ItemStatus(result.status).value,
                reasons=[{"th": r.th, "en": r.en} for r in result.reasons],
                evidence=evidence,
            )
        )
    return rows


def site_status(crawl: SiteCrawl) -> str:
    return SiteStatus(crawl.status).value


def item_from_row(row: ItemResultRow) -> ItemResult:
    return ItemResult(
        code=row.code,
        title_th=row.title_th,
        title_en=row.title_en,
        status=ItemStatus(row.status),
        evidence=[
            Evidence(
                url=ev.url,
                kind=ev.kind,
                click_path=list(ev.click_path),
                click_path_urls=list(ev.click_path_urls),
                matched=ev.matched,
                sha256=ev.sha256,
                score=ev.score,
                meets_requirements=ev.meets_requirements,
                document_pages=list(ev.document_pages or []),
                image_url=ev.image_url or "",
                screenshot=ev.screenshot or "",
            )
            for ev in row.evidence
        ],
        reasons=[Reason(th=r["th"], en=r["en"]) for r in row.reasons],
    )


def site_report(scan: SiteScan, items: list[ItemResult]) -> StoredSiteReport:
    """A report for one site scan. Only a complete scan carries items and crawl figures."""
    agency = scan.agency
    common = {
        "seed_url": scan.seed_url,
        "started_at": scan.started_at,
        "agency_name": agency.name if agency else None,
        "agency_code": agency.code if agency else None,
        "site_scan_id": scan.id,
        "state": scan.state,
    }
    if scan.state == "complete":
        return StoredSiteReport(
            final_url=scan.final_url or scan.seed_url,
            status=scan.status or SiteStatus.ERROR.value,
            reason=scan.reason or "",
            pages_fetched=scan.pages_fetched,
            finished_at=scan.finished_at or scan.started_at,
            items=items,
            notes=list(scan.notes or []),
            **common,  # type: ignore[arg-type]
        )
    if scan.state == "failed":
        reason = f"scan failed: {scan.reason or 'no reason recorded'}"
    elif scan.state == "queued":
        reason = "scan not finished (queued: no worker has started it yet)"
    else:
        reason = "scan not finished (still running, or its process stopped)"
    return StoredSiteReport(
        final_url=scan.final_url or scan.seed_url,
        status=SiteStatus.ERROR.value,
        reason=reason,
        pages_fetched=0,
        finished_at=scan.finished_at or scan.started_at,
        items=[],
        **common,  # type: ignore[arg-type]
    )
