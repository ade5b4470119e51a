"""Agencies and schedules: read by anyone allowed to read, changed only with a token.

Writes check what the CLI checks (registry rules for codes, home pages and catalogs; the
scheduler's cron parser; campaign selections), so a row added through the API is one the
CLI, the scheduler and the scanner accept."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response

from oitwatch.campaign import CampaignError, Selection
from storage.api_repo import AgencyFilter
from storage.records import AgencyRecord, ScheduleRecord

from ._api_models import (
    AgencyIn,
    AgencyList,
    AgencyOut,
    ScheduleChange,
    ScheduleIn,
    ScheduleList,
    ScheduleOut,
    SelectionIn,
)
from ._api_params import (
    DETAIL,
    LIST,
    WRITE,
    IdPath,
    clean,
    error_response,
    filter_text,
    not_found,
    page_body,
)
from ._api_results import ApiRepo, PagingDep
from ._deps import ApiError, repo_of, require_api_read, require_api_write

__all__ = ["known_catalog", "router", "selection_of"]

router = APIRouter()
Read = [Depends(require_api_read)]
Write = [Depends(require_api_write)]
_CONFLICT: dict[int | str, dict[str, Any]] = {409: error_response("a schedule with that name exists")}


def _bad(code: str, en: str, th: str) -> ApiError:
    return ApiError(400, code, en, th)


def known_catalog(catalog: str | None) -> None:
    from rules import list_catalogs

    if catalog is not None and catalog not in list_catalogs():
        known = ", ".join(sorted(list_catalogs()))
        raise _bad("unknown_catalog", f"no catalog {catalog!r} (known: {known})",
                   f"ไม่มีชุดกฎ {catalog} (มี: {known})")


def selection_of(body: SelectionIn) -> Selection:
    """The campaign selection, with the CLI's rule (exactly one of province, agencies,
    all; a district only with a province) as a 400."""
    try:
        return Selection(province=body.province, district=body.district,
                         agencies=tuple(body.agencies), all=body.all)
    except CampaignError as exc:
        raise _bad("bad_selection", exc.en, exc.th) from exc


# -- agencies --------------------------------------------------------------------------------


def _agency(a: AgencyRecord) -> dict[str, Any]:
    return {"id": a.id, "code": a.code, "name": a.name, "type": a.type,
            "province": a.province, "district": a.district, "homepage": a.homepage,
            "catalog": a.catalog}


@router.get("/agencies", response_model=AgencyList, responses=LIST, dependencies=Read,
            tags=["agencies"])
def list_agencies(
    request: Request,
    api: ApiRepo,
    page: PagingDep,
    province: Annotated[str | None, filter_text("จังหวัด, e.g. ขอนแก่น")] = None,
    district: Annotated[str | None, filter_text("อำเภอ")] = None,
    type: Annotated[str | None, filter_text("ประเภท, e.g. อบต.")] = None,
    q: Annotated[str | None, filter_text("a part of the name")] = None,
    code: Annotated[str | None, filter_text("registry code")] = None,
) -> dict[str, Any]:
    """The agency registry, by id."""
    from oitwatch.registry import normalize_district, normalize_province

    f = AgencyFilter(
        normalize_province(province) or None if province else None,
        normalize_district(district) or None if district else None,
        clean(type), clean(q), clean(code),
    )
    found = api.agencies(f, limit=page.limit, offset=page.offset)
    return page_body(request, page, found, [_agency(a) for a in found.items])


@router.get("/agencies/{agency_id}", response_model=AgencyOut, responses=DETAIL,
            dependencies=Read, tags=["agencies"])
def get_agency(agency_id: IdPath, request: Request) -> dict[str, Any]:
    agency = repo_of(request).get_agency(agency_id)
    if agency is None:
        raise not_found("agency", "หน่วยงาน", agency_id)
    return _agency(agency)


@router.post("/agencies", response_model=AgencyOut, status_code=201,
             responses={**WRITE, 200: {"model": AgencyOut, "description": "updated"}},
             dependencies=Write, tags=["agencies"])
def put_agency(body: AgencyIn, request: Request, response: Response, api: ApiRepo) -> dict[str, Any]:
    """Add an agency (201) or update the one with this code (200), checked like a row of
    `oitwatch agencies import`: a valid home page, a known catalog."""
    from oitwatch.registry import check_homepage, normalize_district, normalize_province

    homepage = None
    if body.homepage:
        homepage, th, en = check_homepage(body.homepage)
        if homepage is None:
            raise _bad("bad_homepage", en or "bad homepage", th or "เว็บไซต์ไม่ถูกต้อง")
    known_catalog(body.catalog)
    existed = api.agency_id_by_code(body.code) is not None
    repo = repo_of(request)
    agency_id = repo.upsert_agency(
        name=body.name, homepage=homepage, code=body.code, agency_type=body.type or None,
        province=normalize_province(body.province) or None if body.province else None,
        district=normalize_district(body.district) or None if body.district else None,
        catalog=body.catalog or None,
    )
    if existed:
        response.status_code = 200
    agency = repo.get_agency(agency_id)
    assert agency is not None
    return _agency(agency)


# -- schedules -------------------------------------------------------------------------------


def _schedule(r: ScheduleRecord) -> dict[str, Any]:
    return {"id": r.id, "name": r.name, "cron": r.cron, "selection": r.selection,
            "catalog": r.catalog, "backend": r.backend, "options": r.options,
            "enabled": r.enabled, "created_at": r.created_at, "updated_at": r.updated_at,
            "last_fired_at": r.last_fired_at, "last_status": r.last_status,
            "last_run_id": r.last_run_id, "last_run_state": r.last_run_state}


def _cron(expr: str) -> str:
    """The expression as stored (single spaces), after the scheduler's own parser took it."""
    from scheduler import CronError, cron_trigger

    try:
        cron_trigger(expr)
    except CronError as exc:
        raise _bad("bad_cron", exc.en, exc.th) from exc
    except ValueError as exc:  # anything else APScheduler refuses
        raise _bad("bad_cron", f"bad cron expression {expr!r}: {exc}",
                   f"รูปแบบ cron '{expr}' ไม่ถูกต้อง: {exc}") from exc
    return " ".join(expr.split())


def _name_free(api: Any, name: str | None, other_than: int | None = None) -> None:
    if name and api.schedule_name_taken(name, other_than=other_than):
        raise ApiError(409, "conflict", f"a schedule named {name!r} exists already",
                       f"มีตารางชื่อ {name} อยู่แล้ว")


@router.get("/schedules", response_model=ScheduleList, responses=LIST, dependencies=Read,
            tags=["schedules"])
def list_schedules(request: Request, api: ApiRepo, page: PagingDep) -> dict[str, Any]:
    """Recurring campaigns (cron in Asia/Bangkok), by id, with their last run."""
    found = api.schedules(limit=page.limit, offset=page.offset)
    return page_body(request, page, found, [_schedule(r) for r in found.items])


@router.get("/schedules/{schedule_id}", response_model=ScheduleOut, responses=DETAIL,
            dependencies=Read, tags=["schedules"])
def get_schedule(schedule_id: IdPath, api: ApiRepo) -> dict[str, Any]:
    found = api.schedule(schedule_id)
    if found is None:
        raise not_found("schedule", "ตารางการตรวจ", schedule_id)
    return _schedule(found)


@router.post("/schedules", response_model=ScheduleOut, status_code=201,
             responses={**WRITE, **_CONFLICT}, dependencies=Write, tags=["schedules"])
def add_schedule(body: ScheduleIn, request: Request, api: ApiRepo) -> dict[str, Any]:
    """Add a schedule, as `oitwatch schedule add` does; `oitwatch scheduler` runs it."""
    cron = _cron(body.cron)
    selection = selection_of(body.selection)
    known_catalog(body.catalog)
    _name_free(repo_of(request), body.name)
    o = body.options
    schedule_id = repo_of(request).add_schedule(
        cron=cron, selection=selection.to_dict(), name=body.name, catalog=body.catalog,
        backend=body.backend, enabled=body.enabled,
        options={"max_pages": o.max_pages, "max_depth": o.max_depth, "min_delay": o.delay,
                 "site_concurrency": o.concurrency},
    )
    found = api.schedule(schedule_id)
    assert found is not None
    return _schedule(found)


@router.patch("/schedules/{schedule_id}", response_model=ScheduleOut,
              responses={**WRITE, **_CONFLICT}, dependencies=Write, tags=["schedules"])
def change_schedule(
    schedule_id: IdPath, body: ScheduleChange, request: Request, api: ApiRepo
) -> dict[str, Any]:
    """Switch a schedule on or off, change its cron or its name (only the fields sent)."""
    sent = body.model_fields_set  # never empty, and only the name may be null (the model)
    changes: dict[str, Any] = {}
    if body.cron is not None:  # a bad body is a 400 whether or not the schedule exists
        changes["cron"] = _cron(body.cron)
    if api.schedule(schedule_id) is None:
        raise not_found("schedule", "ตารางการตรวจ", schedule_id)
    if body.enabled is not None:
        changes["enabled"] = body.enabled
    if "name" in sent:
        _name_free(repo_of(request), body.name, other_than=schedule_id)
        changes["name"] = body.name
    if not repo_of(request).update_schedule(schedule_id, changes):
        raise not_found("schedule", "ตารางการตรวจ", schedule_id)
    found = api.schedule(schedule_id)
    assert found is not None
    return _schedule(found)
