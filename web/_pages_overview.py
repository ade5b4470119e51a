"""The overview (agencies × items heat map of a run) and the item page (every agency's
status for one item, what a monitor prints for a meeting).

Both read the run with one matrix query (DashboardRepository.matrix) over the filtered
selection; counts and the score distribution are over the whole selection, the table
shows one page of it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response

from rules import ScoreEstimate
from storage.dashboard_repo import MatrixRow
from storage.repo import RunHeader

from ._charts import histogram, pass_rate_chart
from ._deps import PageError, Reader, require_page_read
from ._downloads import Format, Table, download
from ._i18n import format_date, item_status, site_status, text
from ._pages_common import (
    MAX_ID,
    Column,
    Paging,
    columns_of,
    dashboard_of,
    page,
    row_score,
    run_or_404,
    selection_of,
)

router = APIRouter(include_in_schema=False)

Sort = Literal["score", "-score", "name", "-name"]
FilterText = Annotated[str | None, Query(max_length=200)]
_CODE = re.compile(r"^[A-Za-z]{1,8}[0-9]{0,4}[A-Za-z0-9._-]{0,8}$")
DATE_ONLY = 3  # "3 ธ.ค. 2569" of format_date's Thai output


@dataclass(slots=True)
class Line:
    """One agency row of a table."""

    row: MatrixRow
    score: ScoreEstimate | None

    @property
    def oit(self) -> float | None:
        return None if self.score is None else self.score.oit

    @property
    def name(self) -> str:
        return self.row.agency_name or self.row.seed_url


GLYPH = {"pass": "✓", "partial": "◐", "fail": "✗", "error": "!"}


def _cells(line: Line, columns: list[Column], lang: str) -> list[tuple[str, str, str, str]]:
    """(code, class, title, glyph) of each heat map cell, computed here rather than in the
    template: 100 rows × 43 items of template function calls are most of a page's time."""
    labels = {s: item_status(s, lang) for s in GLYPH}
    none = text("st_none", lang)
    out = []
    for col in columns:
        status = line.row.items.get(col.code)
        if status in GLYPH:
            out.append((col.code, f"s-{status}", f"{col.code} {labels[status]}", GLYPH[status]))
        else:
            out.append((col.code, "s-none", f"{col.code} {none}", "·"))
    return out


@dataclass(frozen=True, slots=True)
class ItemCount:
    column: Column
    counts: dict[str, int]  # pass, partial, fail, error, none
    total: int

    def sentence(self, lang: str) -> str:
        missing = self.counts["fail"]
        if lang == "th":
            return f"{self.column.code} ไม่พบ {missing} จาก {self.total} หน่วยงาน"
        return f"{self.column.code} missing at {missing} of {self.total} agencies"


def _sorted(lines: list[Line], sort: str) -> list[Line]:
    if sort in ("name", "-name"):
        return sorted(lines, key=lambda x: (x.name, x.row.site_scan_id), reverse=sort == "-name")
    # by estimate; rows without one always last, ties by name
    scored = [x for x in lines if x.oit is not None]
    unscored = [x for x in lines if x.oit is None]
    sign = -1 if sort == "score" else 1
    scored.sort(key=lambda x: (sign * (x.oit or 0.0), x.name, x.row.site_scan_id))
    unscored.sort(key=lambda x: (x.name, x.row.site_scan_id))
    return scored + unscored


def _counts(columns: list[Column], lines: list[Line]) -> list[ItemCount]:
    out = []
    for col in columns:
        counts = {"pass": 0, "partial": 0, "fail": 0, "error": 0, "none": 0}
        for line in lines:
            status = line.row.items.get(col.code)
            counts[status if status in counts else "none"] += 1
        out.append(ItemCount(col, counts, len(lines)))
    return out


def _resolve_run(request: Request, run: int | None) -> RunHeader | None:
    if run is not None:
        return run_or_404(request, run)
    default = dashboard_of(request).default_run_id()
    return run_or_404(request, default) if default is not None else None


def _date(value: object, lang: str) -> str:
    shown = format_date(value, lang)  # type: ignore[arg-type]
    return " ".join(shown.split()[:DATE_ONLY]) if lang == "th" else shown.split()[0]


def _score_text(score: ScoreEstimate | None) -> str:
    return "" if score is None or score.oit is None else f"{score.oit:.2f}"


def _site_label(row: MatrixRow, lang: str) -> str:
    if row.state != "complete":
        return text(f"scan_{row.state}", lang)
    return site_status(row.status or "error", lang)


def _heatmap_table(lines: list[Line], columns: list[Column], run: RunHeader, lang: str) -> Table:
    head = [text(k, lang) for k in ("col_code", "col_agency", "col_province", "col_district",
                                    "col_type", "col_site_status", "col_score")]
    table = Table(f"oitwatch-run{run.id}-overview", head + [c.code for c in columns])
    for x in lines:
        r = x.row
        table.rows.append([
            r.agency_code or "", x.name, r.province or "", r.district or "", r.agency_type or "",
            _site_label(r, lang), round(x.oit, 2) if x.oit is not None else None,
            *[item_status(r.items[c.code], lang) if c.code in r.items else "" for c in columns],
        ])
    return table


def _counts_table(counts: list[ItemCount], run: RunHeader, lang: str) -> Table:
    head = [text(k, lang) for k in ("col_item", "col_title", "st_pass", "st_partial", "st_fail",
                                    "st_error", "st_none", "col_sentence")]
    table = Table(f"oitwatch-run{run.id}-item-counts", head)
    for c in counts:
        table.rows.append([c.column.code, c.column.title(lang), c.counts["pass"],
                           c.counts["partial"], c.counts["fail"], c.counts["error"],
                           c.counts["none"], c.sentence(lang)])
    return table


@router.get("/")
def overview(
    request: Request,
    reader: Annotated[Reader, Depends(require_page_read)],
    run: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    province: FilterText = None,
    district: FilterText = None,
    type: FilterText = None,  # noqa: A002 - the query parameter's public name
    sort: Sort = "score",
    page_no: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=500)] = 100,
    format: Format | None = None,  # noqa: A002
    table: Literal["heatmap", "counts"] = "heatmap",
) -> Response:
    lang = reader.lang
    header = _resolve_run(request, run)
    dash = dashboard_of(request)
    selection = selection_of(province, district, type)
    options = dash.filter_options(selection.province)
    if header is None:
        return page(request, "overview.html", run=None, runs=[], options=options,
                    selection=selection, sort=sort)
    rows = dash.matrix(header.id, selection)
    columns = columns_of(request, header, rows)
    lines = _sorted([Line(r, row_score(header, r)) for r in rows], sort)
    counts = _counts(columns, lines)
    if format is not None:
        if table == "counts":
            return download(_counts_table(counts, header, lang), format)
        return download(_heatmap_table(lines, columns, header, lang), format)
    paging = Paging(page_no, per_page, len(lines))
    chart = histogram([x.oit for x in lines])
    return page(
        request, "overview.html", run=header, runs=dash.run_choices(), options=options,
        selection=selection, sort=sort, columns=columns, lines=paging.slice(lines),
        paging=paging, counts=counts, chart=chart, date=lambda v: _date(v, lang),
        cells=lambda line: _cells(line, columns, lang),
    )


# -- the item page --------------------------------------------------------------------------


def _item_table(lines: list[Line], reasons: dict[int, tuple[list[dict[str, str]], str | None]],
                column: Column, run: RunHeader, lang: str) -> Table:
    head = [text(k, lang) for k in ("col_code", "col_agency", "col_province", "col_district",
                                    "col_type", "col_status", "col_reasons", "col_evidence")]
    table = Table(f"oitwatch-run{run.id}-{column.code}", head)
    for x in lines:
        r = x.row
        status = r.items.get(column.code)
        why, url = reasons.get(r.site_scan_id, ([], None))
        table.rows.append([
            r.agency_code or "", x.name, r.province or "", r.district or "", r.agency_type or "",
            item_status(status, lang) if status else text("st_none", lang),
            " | ".join(str(w.get(lang) or w.get("th") or "") for w in why), url or "",
        ])
    return table


@router.get("/runs/{run_id}/items/{code}")
def item_page(
    request: Request,
    reader: Annotated[Reader, Depends(require_page_read)],
    run_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    code: Annotated[str, Path(max_length=24)],
    province: FilterText = None,
    district: FilterText = None,
    type: FilterText = None,  # noqa: A002
    sort: Sort = "name",
    format: Format | None = None,  # noqa: A002
) -> Response:
    lang = reader.lang
    header = run_or_404(request, run_id)
    if not _CODE.match(code):
        raise PageError(404, "no_such_item", code)
    dash = dashboard_of(request)
    selection = selection_of(province, district, type)
    all_rows = dash.matrix(header.id, selection, item_code=None)
    columns = columns_of(request, header, all_rows)
    column = next((c for c in columns if c.code.upper() == code.upper()), None)
    if column is None:
        raise PageError(404, "no_such_item", code)
    lines = _sorted([Line(r, row_score(header, r)) for r in all_rows], sort)
    reasons = dash.item_reasons(header.id, column.code, selection)
    if format is not None:
        return download(_item_table(lines, reasons, column, header, lang), format)
    rates = dash.item_pass_rates(column.code, selection)
    chart = pass_rate_chart([(r.id, _date(r.started_at, lang), p, j) for r, p, j in rates])
    count = _counts([column], lines)[0]
    return page(
        request, "item_page.html", run=header, column=column, lines=lines, reasons=reasons,
        count=count, chart=chart, rates=rates, options=dash.filter_options(selection.province),
        selection=selection, sort=sort, date=lambda v: _date(v, lang),
    )
