"""POST /api/v1/scans: start a campaign from the API (token only), like the dashboard's
form: the run and its queued site scans exist when the answer comes, and the client polls
the progress URL while the scan runs in this server (or on Celery workers)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request

from ._api_models import ScanIn, ScanStarted
from ._api_params import WRITE, error_response
from ._api_registry import known_catalog, selection_of
from ._deps import ApiError, require_api_write
from ._jobs import ScanJobs, ScanStartError

__all__ = ["router"]

router = APIRouter()


@router.post(
    "/scans", response_model=ScanStarted, status_code=202, tags=["scans"],
    dependencies=[Depends(require_api_write)],
    responses={**WRITE, 503: error_response("the Celery broker cannot be reached")},
)
def start_scan(body: ScanIn, request: Request) -> dict[str, Any]:
    """Scan the selected agencies now (202: accepted, running). Unknown agency codes, an
    empty selection or agencies without a home page are a 400 that says which."""
    selection = selection_of(body.selection)
    known_catalog(body.catalog)
    jobs: ScanJobs = request.app.state.jobs
    try:
        started = jobs.start(selection, catalog_id=body.catalog, max_pages=body.max_pages,
                             trigger="api")
    except ScanStartError as exc:
        raise ApiError(exc.status, "scan_not_started", exc.en, exc.th) from exc
    return {"run_id": started.run_id, "sites": started.sites, "backend": started.backend,
            "progress": f"/api/v1/runs/{started.run_id}/progress"}
