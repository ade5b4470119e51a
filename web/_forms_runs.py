"""The runs list and one run's page: its state, its sites per state and its progress. A
running run's page reloads itself every 3 seconds (a meta refresh: no JavaScript needed)
and stops once the run is closed."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response

from storage.errors import NotFoundError

from ._deps import Reader, repo_of, require_page_read
from ._forms_common import forms_repo, page_of
from ._render import render

router = APIRouter(include_in_schema=False)

MAX_ID = 2**31 - 1
RUNS_PER_PAGE = 50


@router.get("/runs")
def runs_list(
    request: Request,
    reader: Reader = Depends(require_page_read),
    page: int = Query(1, ge=1, le=1_000_000),
) -> Response:
    total = forms_repo(request).count_runs()
    pg = page_of(page, RUNS_PER_PAGE, total)
    # Newest first; a run a night makes a few hundred a year, so reading up to this page
    # through the one query that counts sites per run is cheap enough.
    runs = repo_of(request).list_runs(limit=pg.offset + pg.size)[pg.offset:]
    return render(request, "runs.html", runs=runs, page=pg)


@router.get("/runs/{run_id}")
def run_page(
    request: Request,
    run_id: int = Path(ge=1, le=MAX_ID),
    reader: Reader = Depends(require_page_read),
) -> Response:
    repo = repo_of(request)
    header = repo.run_header(run_id)
    if header is None:
        raise NotFoundError(f"no scan run with id {run_id}")
    progress = repo.run_progress(run_id)
    return render(
        request, "runs_run.html", run=header, progress=progress,
        running=progress.state == "running",
    )
