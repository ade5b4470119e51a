"""Reading results: runs (with progress and diffs), site scans (with the OIT estimate), item
results (with reasons and evidence) and evidence. Plain ``def`` routes: the queries block,
so FastAPI runs them in its thread pool."""

from __future__ import annotations

import functools
import re
from collections import Counter
from pathlib import PurePath
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request

from crawler import SiteStatus
from reports.diff import diff_runs, diff_to_dict
from rules import Catalog, ItemStatus, RuleError, estimate_score, load_catalog
from storage import RunState, SiteScanState
from storage.api_repo import (
    ApiRepository,
    EvidenceFilter,
    EvidenceItem,
    ItemFilter,
    ItemResultItem,
    RunFilter,
    SiteScanFilter,
    SiteScanItem,
)
from storage.records import RunSummary

from ._api_models import (
    DiffOut,
    EvidenceList,
    EvidenceOut,
    ItemResultDetail,
    ItemResultList,
    ProgressOut,
    RunDetail,
    RunList,
    SiteScanDetail,
    SiteScanList,
)
from ._api_params import (
    DETAIL,
    LIST,
    MAX_ID,
    IdPath,
    Paging,
    clean,
    filter_text,
    id_filter,
    not_found,
    page_body,
    paging,
)
from ._deps import ApiError, repo_of, require_api_read

__all__ = ["api_repo", "router"]

router = APIRouter(dependencies=[Depends(require_api_read)])
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
PagingDep = Annotated[Paging, Depends(paging)]


def api_repo(request: Request) -> ApiRepository:
    return ApiRepository(repo_of(request).db)


ApiRepo = Annotated[ApiRepository, Depends(api_repo)]


# -- runs ----------------------------------------------------------------------------------


def _run(run: RunSummary) -> dict[str, Any]:
    return {
        "id": run.id, "catalog_id": run.catalog_id, "fiscal_year": run.fiscal_year,
        "trigger": run.trigger, "state": run.state, "started_at": run.started_at,
        "finished_at": run.finished_at, "tool_version": run.tool_version,
        "schedule_id": run.schedule_id,
        "sites": {"total": run.site_count, "queued": run.sites_queued,
                  "running": run.sites_running, "complete": run.sites_complete,
                  "failed": run.sites_failed},
        "progress": f"/api/v1/runs/{run.id}/progress",
    }


@router.get("/runs", response_model=RunList, responses=LIST, tags=["runs"])
def list_runs(
    request: Request,
    api: ApiRepo,
    page: PagingDep,
    state: Annotated[RunState | None, Query(description="running / complete / interrupted")] = None,
    trigger: Annotated[str | None, filter_text("cli, demo, schedule, dashboard, api …")] = None,
    schedule_id: Annotated[int | None, id_filter("schedule")] = None,
) -> dict[str, Any]:
    """Scan runs, oldest first (by id), with their site counts per state."""
    f = RunFilter(state.value if state else None, clean(trigger), schedule_id)
    found = api.runs(f, limit=page.limit, offset=page.offset)
    return page_body(request, page, found, [_run(r) for r in found.items])


@router.get("/runs/{run_id}", response_model=RunDetail, responses=DETAIL, tags=["runs"])
def get_run(run_id: IdPath, api: ApiRepo) -> dict[str, Any]:
    found = api.run(run_id)
    if found is None:
        raise not_found("scan run", "การตรวจ", run_id)
    run, options = found
    return {**_run(run), "options": options}


@router.get("/runs/{run_id}/progress", response_model=ProgressOut, responses=DETAIL,
            tags=["runs"])
def run_progress(run_id: IdPath, request: Request) -> dict[str, Any]:
    """How far a run is: poll until ``finished``."""
    repo = repo_of(request)
    if repo.run_header(run_id) is None:
        raise not_found("scan run", "การตรวจ", run_id)
    p = repo.run_progress(run_id)
    return {"run_id": p.run_id, "state": p.state, "total": p.total, "queued": p.queued,
            "running": p.running, "complete": p.complete, "failed": p.failed, "done": p.done,
            "finished": p.state != RunState.RUNNING.value}


@router.get("/runs/{run_id}/diff", response_model=DiffOut, responses=DETAIL, tags=["runs"])
def run_diff(
    run_id: IdPath,
    request: Request,
    api: ApiRepo,
    against: Annotated[int | None, Query(ge=1, le=MAX_ID, description=(
        "the earlier run (default: the run before this one)"))] = None,
    lang: Annotated[Literal["th", "en"], Query(description="language of labels and "
                                                            "summary")] = "th",
) -> dict[str, Any]:
    """What changed from ``against`` to this run, per agency (reports.diff)."""
    repo = repo_of(request)
    if repo.run_header(run_id) is None:
        raise not_found("scan run", "การตรวจ", run_id)
    if against is None:
        against = api.previous_run_id(run_id)
        if against is None:
            raise ApiError(404, "no_previous_run",
                           f"run {run_id} is the first run: nothing to compare with "
                           "(pass ?against=RUN_ID)",
                           f"การตรวจ {run_id} เป็นครั้งแรก ไม่มีครั้งก่อนให้เทียบ (ระบุ ?against=)")
    elif repo.run_header(against) is None:
        raise not_found("scan run", "การตรวจ", against)
    return diff_to_dict(diff_runs(repo, against, run_id), lang)


# -- site scans ----------------------------------------------------------------------------


def _site(site: SiteScanItem) -> dict[str, Any]:
    return {
        "id": site.id, "run_id": site.run_id, "agency_id": site.agency_id,
        "agency_code": site.agency_code, "agency_name": site.agency_name,
        "province": site.province, "district": site.district, "seed_url": site.seed_url,
        "final_url": site.final_url, "state": site.state, "status": site.status,
        "reason": site.reason, "started_at": site.started_at, "finished_at": site.finished_at,
        "pages_fetched": site.pages_fetched, "duration": site.duration,
    }


@functools.lru_cache(maxsize=16)
def _catalog(catalog_id: str) -> Catalog | None:
    """Loaded once per catalog id: parsing its rule files per request would dominate."""
    try:
        return load_catalog(catalog_id)
    except RuleError:
        return None


@router.get("/site-scans", response_model=SiteScanList, responses=LIST, tags=["site scans"])
def list_site_scans(
    request: Request,
    api: ApiRepo,
    page: PagingDep,
    run_id: Annotated[int | None, id_filter("run")] = None,
    agency_id: Annotated[int | None, id_filter("agency")] = None,
    agency_code: Annotated[str | None, filter_text("registry code of the agency")] = None,
    province: Annotated[str | None, filter_text("the agency's province")] = None,
    state: Annotated[SiteScanState | None, Query(description="queued / running / complete / "
                                                             "failed")] = None,
    status: Annotated[SiteStatus | None, Query(description="crawl status of a complete scan")]
    = None,
) -> dict[str, Any]:
    """The scans of sites, by id; one per (run, site)."""
    from oitwatch.registry import normalize_province

    f = SiteScanFilter(
        run_id, agency_id, clean(agency_code),
        normalize_province(province) or None if province else None,
        state.value if state else None, status.value if status else None,
    )
    found = api.site_scans(f, limit=page.limit, offset=page.offset)
    return page_body(request, page, found, [_site(s) for s in found.items])


@router.get("/site-scans/{site_scan_id}", response_model=SiteScanDetail, responses=DETAIL,
            tags=["site scans"])
def get_site_scan(site_scan_id: IdPath, api: ApiRepo) -> dict[str, Any]:
    """One scan with its item counts and the OIT score estimate (pass = 100, partial and
    fail = 0, not judged left out: see ``score.basis``)."""
    site = api.site_scan(site_scan_id)
    if site is None:
        raise not_found("site scan", "ผลการตรวจเว็บไซต์", site_scan_id)
    counts = Counter(site.item_status.values())
    score = None
    catalog = _catalog(site.catalog_id) if site.state == SiteScanState.COMPLETE.value else None
    if catalog is not None:
        score = estimate_score(catalog, dict(site.item_status)).to_dict()
    return {
        **_site(site), "catalog_id": site.catalog_id, "notes": site.notes,
        "item_counts": {s.value: counts.get(s.value, 0) for s in ItemStatus}, "score": score,
    }


# -- item results and evidence ---------------------------------------------------------------


def _item(item: ItemResultItem) -> dict[str, Any]:
    return {
        "id": item.id, "site_scan_id": item.site_scan_id, "run_id": item.run_id,
        "agency_id": item.agency_id, "agency_code": item.agency_code,
        "agency_name": item.agency_name, "province": item.province,
        "catalog_id": item.catalog_id, "code": item.code, "title_th": item.title_th,
        "title_en": item.title_en, "status": item.status,
    }


def _archive_name(path: str | None) -> str | None:
    """"run-12/host-scan3-….warc.gz": the file as `evidence export` packages it, without
    the server's own folders (a public server need not tell where it keeps its files)."""
    if not path:
        return None
    parts = PurePath(path).parts
    return "/".join(parts[-2:])


def _evidence(ev: EvidenceItem) -> dict[str, Any]:
    return {
        "id": ev.id, "item_result_id": ev.item_result_id, "site_scan_id": ev.site_scan_id,
        "run_id": ev.run_id, "agency_code": ev.agency_code, "item_code": ev.item_code,
        "rank": ev.rank, "url": ev.url, "kind": ev.kind, "click_path": ev.click_path,
        "click_path_urls": ev.click_path_urls, "matched": ev.matched, "sha256": ev.sha256,
        "score": ev.score, "meets_requirements": ev.meets_requirements,
        "document_pages": ev.document_pages, "image_url": ev.image_url,
        "screenshot": ev.screenshot, "warc_file": _archive_name(ev.warc_file),
        "warc_offset": ev.warc_offset,
        "fetched_at": ev.fetched_at, "http_status": ev.http_status,
        "archived_url": f"/evidence/{ev.id}/archived",
        # only a well-formed hash becomes a URL (the route serves 64-hex names only)
        "screenshot_url": f"/screenshots/{ev.screenshot}.png"
        if _SHA256.match(ev.screenshot) else None,
    }


@router.get("/item-results", response_model=ItemResultList, responses=LIST,
            tags=["item results"])
def list_item_results(
    request: Request,
    api: ApiRepo,
    page: PagingDep,
    run_id: Annotated[int | None, id_filter("run")] = None,
    site_scan_id: Annotated[int | None, id_filter("site scan")] = None,
    code: Annotated[str | None, filter_text("item code, e.g. O28 (any case)")] = None,
    status: Annotated[ItemStatus | None, Query(description="pass / partial / fail / error")]
    = None,
    province: Annotated[str | None, filter_text("the agency's province")] = None,
    agency_code: Annotated[str | None, filter_text("registry code of the agency")] = None,
) -> dict[str, Any]:
    """The verdicts on catalog items, by id (only complete site scans have them)."""
    from oitwatch.registry import normalize_province

    f = ItemFilter(
        run_id, site_scan_id, clean(code), status.value if status else None,
        normalize_province(province) or None if province else None, clean(agency_code),
    )
    found = api.item_results(f, limit=page.limit, offset=page.offset)
    return page_body(request, page, found, [_item(i) for i in found.items])


@router.get("/item-results/{item_result_id}", response_model=ItemResultDetail,
            responses=DETAIL, tags=["item results"])
def get_item_result(item_result_id: IdPath, api: ApiRepo) -> dict[str, Any]:
    """One verdict with its reasons (Thai and English) and its evidence, best first."""
    item = api.item_result(item_result_id)
    if item is None:
        raise not_found("item result", "ผลการตรวจข้อ", item_result_id)
    reasons = [{"th": str(r.get("th", "")), "en": str(r.get("en", ""))}
               for r in item.reasons if isinstance(r, dict)]
    return {**_item(item), "reasons": reasons, "evidence": [_evidence(e) for e in item.evidence]}


@router.get("/evidence", response_model=EvidenceList, responses=LIST, tags=["evidence"])
def list_evidence(
    request: Request,
    api: ApiRepo,
    page: PagingDep,
    run_id: Annotated[int | None, id_filter("run")] = None,
    site_scan_id: Annotated[int | None, id_filter("site scan")] = None,
    code: Annotated[str | None, filter_text("item code, e.g. O28 (any case)")] = None,
    agency_code: Annotated[str | None, filter_text("registry code of the agency")] = None,
) -> dict[str, Any]:
    """Evidence candidates of every item, by id."""
    f = EvidenceFilter(run_id, site_scan_id, clean(code), clean(agency_code))
    found = api.evidence(f, limit=page.limit, offset=page.offset)
    return page_body(request, page, found, [_evidence(e) for e in found.items])


@router.get("/evidence/{evidence_id}", response_model=EvidenceOut, responses=DETAIL,
            tags=["evidence"])
def get_evidence(evidence_id: IdPath, api: ApiRepo) -> dict[str, Any]:
    """One evidence candidate: where it is, how the crawler got there, the fetch it was
    judged on, and where this server keeps its archived copy and screenshot."""
    ev = api.evidence_item(evidence_id)
    if ev is None:
        raise not_found("evidence", "หลักฐาน", evidence_id)
    return _evidence(ev)
