"""Schedules on the dashboard: the list (when each fires next, what it did last), adding
one (cron checked as `oitwatch schedule add` checks it), and editing one's cron, name and
switch. The scheduler service notices a change by the row's ``updated_at``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from rules import list_catalogs
from scheduler import CronError, cron_trigger, next_fire_times
from storage.errors import NotFoundError
from storage.records import ScheduleRecord

from ._deps import Reader, repo_of, require_page_read
from ._forms_common import (
    Problems,
    Values,
    forms_repo,
    lang_query,
    read_checkbox,
    read_text,
    with_lang,
    writable_form,
)
from ._forms_selection import MAX_PAGES, describe, read_scan_choice
from ._forms_provinces import province_label
from ._render import render

router = APIRouter(include_in_schema=False)

MAX_ID = 2**31 - 1
BACKENDS = ("inprocess", "celery")


def _next_time(schedule: ScheduleRecord) -> Any:
    if not schedule.enabled:
        return None
    try:
        times = next_fire_times(schedule.cron, 1)
    except CronError:
        return None
    return times[0] if times else None


def _list_page(request: Request, values: Values, problems: Problems, *, status: int = 200,
               saved: int | None = None) -> Response:
    schedules = repo_of(request).list_schedules()
    rows = [(s, _next_time(s)) for s in schedules]
    return render(
        request, "schedules.html", status_code=status, province_label=province_label,
        rows=rows, values=values, problems=problems, facets=forms_repo(request).agency_facets(),
        catalogs=list_catalogs(),
        backends=BACKENDS, max_pages_limit=MAX_PAGES, describe=describe, saved=saved,
        action="/schedules" + lang_query(request),
    )


@router.get("/schedules")
def schedules_list(
    request: Request,
    reader: Reader = Depends(require_page_read),
    saved: int | None = Query(None, ge=1, le=MAX_ID),
) -> Response:
    values = Values(checked={"enabled": True})
    return _list_page(request, values, Problems(), saved=saved)


def read_cron(form: FormData, values: Values, problems: Problems) -> str:
    cron = read_text(form, "cron", "f_cron", values, problems, max_len=200, required=True)
    if not cron or "cron" in problems:
        return ""
    try:
        cron_trigger(cron)
    except CronError as exc:
        # CronError's own sentences already say "cron" and show an example.
        problems.by_field["cron"] = {"th": exc.th, "en": exc.en}
        return ""
    return " ".join(cron.split())


def read_name(form: FormData, values: Values, problems: Problems, *,
              taken: Any, other_than: int | None = None) -> str | None:
    name = read_text(form, "name", "f_schedule_name", values, problems, max_len=200)
    if name and "name" not in problems and taken(name, other_than=other_than):
        problems.add("name", "f_schedule_name", f"มีตารางชื่อ '{name}' แล้ว",
                     f"a schedule named '{name}' exists already")
    return name or None


@router.post("/schedules")
async def add_schedule(request: Request) -> Response:
    form = await writable_form(request)
    values, problems = Values(), Problems()
    repo = forms_repo(request)

    def check() -> tuple[Any, str, str | None, str, bool]:
        cron = read_cron(form, values, problems)
        name = read_name(form, values, problems, taken=repo_of(request).schedule_name_taken)
        backend = read_text(form, "backend", "f_backend", values, problems, max_len=20)
        if backend and backend not in BACKENDS:
            problems.add("backend", "f_backend", f"ไม่รู้จัก '{backend}'", f"unknown '{backend}'")
        enabled = read_checkbox(form, "enabled", values)
        choice = read_scan_choice(form, values, problems, repo.agency_facets(),
                                  lookup_codes=None, any_province=True)
        return choice, cron, name, backend or "inprocess", enabled

    choice, cron, name, backend, enabled = await run_in_threadpool(check)
    if problems or choice is None:
        return await run_in_threadpool(
            lambda: _list_page(request, values, problems, status=400)
        )
    options: dict[str, Any] = {"max_pages": choice.max_pages or 300}
    schedule_id = await run_in_threadpool(
        lambda: repo_of(request).add_schedule(
            cron=cron, selection=choice.selection.to_dict(), name=name, catalog=choice.catalog,
            backend=backend, options=options, enabled=enabled,
        )
    )
    return RedirectResponse(with_lang(request, f"/schedules?saved={schedule_id}"),
                            status_code=303)


def _schedule(request: Request, schedule_id: int) -> ScheduleRecord:
    schedule = repo_of(request).get_schedule(schedule_id)
    if schedule is None:
        raise NotFoundError(f"no schedule with id {schedule_id}")
    return schedule


def _edit_page(request: Request, schedule: ScheduleRecord, values: Values, problems: Problems,
               status: int = 200) -> Response:
    return render(
        request, "schedules_edit.html", status_code=status, schedule=schedule, values=values,
        problems=problems, describe=describe,
        action=f"/schedules/{schedule.id}" + lang_query(request),
    )


@router.get("/schedules/{schedule_id}/edit")
def edit_schedule(
    request: Request,
    schedule_id: int = Path(ge=1, le=MAX_ID),
    reader: Reader = Depends(require_page_read),
) -> Response:
    schedule = _schedule(request, schedule_id)
    values = Values(shown={"cron": schedule.cron, "name": schedule.name or ""},
                    checked={"enabled": schedule.enabled})
    return _edit_page(request, schedule, values, Problems())


@router.post("/schedules/{schedule_id}")
async def save_schedule(request: Request, schedule_id: int = Path(ge=1, le=MAX_ID)) -> Response:
    form = await writable_form(request)
    schedule = await run_in_threadpool(_schedule, request, schedule_id)
    values, problems = Values(), Problems()

    def check() -> tuple[str, str | None, bool]:
        cron = read_cron(form, values, problems)
        name = read_name(form, values, problems, taken=repo_of(request).schedule_name_taken,
                         other_than=schedule_id)
        return cron, name, read_checkbox(form, "enabled", values)

    cron, name, enabled = await run_in_threadpool(check)
    if problems:
        return await run_in_threadpool(
            lambda: _edit_page(request, schedule, values, problems, 400)
        )
    await run_in_threadpool(
        lambda: repo_of(request).update_schedule(
            schedule_id, {"cron": cron, "name": name, "enabled": enabled}
        )
    )
    return RedirectResponse(with_lang(request, f"/schedules?saved={schedule_id}"),
                            status_code=303)
