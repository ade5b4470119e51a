"""The run diff page: what changed since the previous run (reports.diff), per agency and
item, with the same table as CSV (reports.diff.render_diff_csv) or XLSX."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response

from reports._thai import label
from reports.diff import KIND_LABEL, RunDiff, change_title, diff_runs, summary_line, value_label

from ._deps import Reader, repo_of, require_page_read
from ._downloads import Format, Table, download
from ._i18n import format_date, text
from ._pages_common import MAX_ID, blank, dashboard_of, page, run_or_404

router = APIRouter(include_in_schema=False)


def _diff_table(diff: RunDiff, lang: str) -> Table:
    """The rows reports.diff.render_diff_csv writes, as a Table (the XLSX download)."""
    head = [text(k, lang) for k in ("col_code", "col_agency", "col_province", "col_site",
                                    "col_change", "col_item", "col_title", "col_before",
                                    "col_after", "col_url_before", "col_url_after")]
    table = Table(f"oitwatch-diff-run{diff.run_a.id}-run{diff.run_b.id}", head + ["kind"])
    for e in diff.agencies:
        for c in e.changes:
            table.rows.append([
                e.agency_code or "", e.agency_name or "", e.province or "", e.seed_url,
                label(KIND_LABEL, c.kind.value, lang), c.item_code or "",
                change_title(c, lang) if c.item_code else "",
                value_label(c, c.before, lang) if c.before else "",
                value_label(c, c.after, lang) if c.after else "",
                c.url_before or "", c.url_after or "", c.kind.value,
            ])
    return table


@router.get("/runs/{run_id}/diff")
def diff_page(
    request: Request,
    reader: Annotated[Reader, Depends(require_page_read)],
    run_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    against: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    province: Annotated[str | None, Query(max_length=200)] = None,
    format: Format | None = None,  # noqa: A002
) -> Response:
    lang = reader.lang
    run = run_or_404(request, run_id)
    dash = dashboard_of(request)
    if against is None:
        against = dash.previous_run_id(run_id)
    else:
        run_or_404(request, against)
    province = blank(province)
    if against is None:
        return page(request, "diff_page.html", run=run, other=None, diff=None, summary="",
                    province=province, provinces=dash.filter_options().provinces,
                    date=lambda v: format_date(v, lang))
    diff = diff_runs(repo_of(request), against, run_id, province=province)
    if format is not None:
        return download(_diff_table(diff, lang), format)
    return page(
        request, "diff_page.html", run=run, other=diff.run_a, diff=diff,
        summary=summary_line(diff, lang), province=province,
        provinces=dash.filter_options().provinces, kind_label=lambda k: label(KIND_LABEL, k, lang),
        value_label=lambda c, v: value_label(c, v, lang), item_title=lambda c: change_title(c, lang),
        date=lambda v: format_date(v, lang),
    )
