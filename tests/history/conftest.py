"""Fixtures for history, diff and ITAS tests: runs stored through the Repository (the real
Alembic schema), on SQLite and on PostgreSQL like tests/storage.

``store_run`` writes one run from plain descriptions of its sites, so a test states the
verdicts it compares and nothing else.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from crawler._models import ClickStep, Page, PageKind, SiteCrawl, SiteStatus
from rules._result import Evidence, ItemResult, ItemStatus, Reason
from storage import Database, Repository

T0 = datetime(2026, 12, 2, 18, 0, tzinfo=UTC)  # 3 Dec 2569 01:00 in Bangkok


@pytest.fixture(autouse=True)
def _isolated_env(isolated_env: None) -> None:
    """db_url, db and repo (SQLite and PostgreSQL) come from tests/conftest.py."""


@pytest.fixture
def sqlite_url(tmp_path: os.PathLike[str]) -> str:
    """A migrated SQLite file, for CLI tests (the CLI opens the database itself)."""
    url = f"sqlite:///{tmp_path}/cli.sqlite3"
    Database(url).upgrade()
    return url


# -- building runs ------------------------------------------------------------------------


def ev(
    url: str,
    sha: str = "",
    *,
    meets: bool = True,
    kind: str = "page",
    path: Sequence[str] = ("หน้าแรก", "ข้อมูลพื้นฐาน"),
    pages: Sequence[int] = (),
    matched: str = "",
) -> Evidence:
    return Evidence(
        url=url,
        kind=kind,
        click_path=list(path),
        click_path_urls=[url for _ in path],
        matched=matched,
        sha256=sha,
        meets_requirements=meets,
        document_pages=list(pages),
    )


def item(
    code: str,
    status: str,
    *evidence: Evidence,
    reasons: Sequence[tuple[str, str]] = (),
    title_th: str | None = None,
    title_en: str | None = None,
) -> ItemResult:
    return ItemResult(
        code=code,
        title_th=title_th or f"รายการ {code}",
        title_en=title_en or f"item {code}",
        status=ItemStatus(status),
        evidence=list(evidence),
        reasons=[Reason(th=th, en=en) for th, en in reasons],
    )


@dataclass
class Site:
    url: str
    items: list[ItemResult] = field(default_factory=list)
    agency_id: int | None = None
    status: SiteStatus = SiteStatus.OK
    failed: bool = False  # the scan failed: no results written
    titles: dict[str, str] = field(default_factory=dict)  # evidence URL -> page title


def _crawl(site: Site, when: datetime) -> SiteCrawl:
    pages: list[Page] = []
    seen: set[str] = set()
    for result in site.items:
        for e in result.evidence:
            if e.url in seen or e.kind == "external":
                continue
            seen.add(e.url)
            pages.append(
                Page(
                    url=e.url,
                    final_url=e.url,
                    kind=PageKind.DOCUMENT if e.kind == "document" else PageKind.PAGE,
                    status=200,
                    content_type="application/pdf" if e.kind == "document" else "text/html",
                    size=100,
                    sha256=e.sha256,
                    fetched_at=when,
                    depth=len(e.click_path) - 1,
                    click_path=[ClickStep(url=e.url, text=t) for t in e.click_path[1:]],
                    title=site.titles.get(e.url, ""),
                )
            )
    return SiteCrawl(
        seed_url=site.url,
        final_url=site.url,
        status=site.status,
        reason="12 pages fetched" if site.status is SiteStatus.OK else "connection refused",
        started_at=when,
        finished_at=when + timedelta(minutes=3),
        pages=pages,
    )


def store_run(
    repo: Repository, sites: Sequence[Site], *, day: int = 0, catalog: str = "ita-2566"
) -> int:
    """One complete run of these sites, scanned on day ``day`` after T0."""
    when = T0 + timedelta(days=day)
    run = repo.start_run(catalog, 2566, "test")
    for site in sites:
        scan = repo.start_site_scan(run, site.url, site.agency_id)
        if site.failed:
            repo.fail_site_scan(scan, "worker killed")
        else:
            repo.finish_site_scan(scan, _crawl(site, when), site.items)
    repo.finish_run(run)
    return run


def all_error(codes: Sequence[str]) -> list[ItemResult]:
    return [item(c, "error", reasons=[("เข้าเว็บไซต์ไม่ได้", "site unreachable")]) for c in codes]
