"""What the dashboard pages share: the dashboard repository, the run's item columns, the
score of a row, filters from the query string, safe links to crawled URLs, and rendering
with the pages' helpers.

Crawled URLs become ``href`` only when they are http(s): a hostile site's
``javascript:alert(1)`` evidence URL is shown as text, never as a link."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from fastapi import Request
from fastapi.responses import HTMLResponse

from reports._score import _catalog
from rules import Catalog, ScoreEstimate, estimate_score
from storage.dashboard_repo import DashboardRepository, MatrixRow, SiteFilter
from storage.repo import RunHeader

from ._deps import PageError, repo_of
from ._render import render

__all__ = [
    "MAX_ID",
    "Column",
    "Paging",
    "columns_of",
    "dashboard_of",
    "page",
    "row_score",
    "run_or_404",
    "safe_url",
    "selection_of",
    "status_class",
]

MAX_ID = 2**31 - 1  # ids are 32-bit integers in PostgreSQL: a larger one is a 400, not a 500
STATUSES = ("pass", "partial", "fail", "error")


def dashboard_of(request: Request) -> DashboardRepository:
    """One DashboardRepository per app, over the app's database."""
    state = request.app.state
    found = getattr(state, "dashboard", None)
    if found is None:
        found = state.dashboard = DashboardRepository(repo_of(request).db)
    return found  # type: ignore[no-any-return]


def run_or_404(request: Request, run_id: int) -> RunHeader:
    run = dashboard_of(request).run_header(run_id)
    if run is None:
        raise PageError(404, "no_such_run", f"#{run_id}")
    return run


@dataclass(frozen=True, slots=True)
class Column:
    code: str
    title_th: str
    title_en: str

    def title(self, lang: str) -> str:
        return self.title_th if lang == "th" else self.title_en


def catalog_of(run: RunHeader) -> Catalog | None:
    return _catalog(run.catalog_id)


def code_key(code: str) -> tuple[str, int, str]:
    from reports.diff import code_key as key

    return key(code)


def columns_of(request: Request, run: RunHeader, rows: list[MatrixRow]) -> list[Column]:
    """The catalog's items in catalog order, then any other code the results hold."""
    catalog = catalog_of(run)
    columns = [Column(i.code, i.title_th, i.title_en) for i in catalog.items] if catalog else []
    known = {c.code for c in columns}
    extra = sorted({code for row in rows for code in row.items if code not in known},
                   key=code_key)
    if extra:
        titles = dashboard_of(request).item_titles(run.id)
        columns += [Column(c, *titles.get(c, (c, c))) for c in extra]
    return columns


def row_score(run: RunHeader, row: MatrixRow) -> ScoreEstimate | None:
    """The OIT estimate of a complete scan (None: not complete, or no catalog)."""
    catalog = catalog_of(run)
    if catalog is None or row.state != "complete" or not row.items:
        return None
    return estimate_score(catalog, row.items)


def status_class(status: str | None) -> str:
    return f"s-{status}" if status in STATUSES else "s-none"


def safe_url(url: object) -> str | None:
    """``url`` when it may be a link (http or https with a host), else None."""
    if not isinstance(url, str) or len(url) > 4000:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    if any(ord(c) < 33 for c in url.strip()):
        return None
    return url.strip()


def blank(value: str | None) -> str | None:
    """A select's "all" option sends an empty value: no filter."""
    value = (value or "").strip()
    return value or None


def selection_of(province: str | None, district: str | None, kind: str | None) -> SiteFilter:
    return SiteFilter(blank(province), blank(district), blank(kind))


@dataclass(frozen=True, slots=True)
class Paging:
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def start(self) -> int:
        return (self.page - 1) * self.per_page

    def slice(self, rows: list[Any]) -> list[Any]:
        return rows[self.start : self.start + self.per_page]


def page(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """render() with the pages' helpers: ``link(path, **params)`` keeps ``?lang=`` when the
    reader chose it by URL (no cookie), ``safe_url``, ``status_class``."""
    asked = request.query_params.get("lang")

    def link(path: str, **params: Any) -> str:
        query = {k: str(v) for k, v in params.items() if v is not None and v != ""}
        if asked in ("th", "en"):
            query.setdefault("lang", asked)
        return path + ("?" + urlencode(query) if query else "")

    return render(
        request, template, status_code=status_code, link=link, safe_url=safe_url,
        status_class=status_class, **context,
    )
