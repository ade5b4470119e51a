"""The dashboard's pages that change data or follow a change: start a scan and watch its
progress, the runs list, agencies, schedules. One router made of the modules below, each
with one job; every write needs a signed-in session and the form's CSRF field."""

from __future__ import annotations

from fastapi import APIRouter

from . import _forms_agencies, _forms_runs, _forms_scans, _forms_schedules

router = APIRouter(include_in_schema=False)
for _module in (_forms_runs, _forms_scans, _forms_agencies, _forms_schedules):
    router.include_router(_module.router)
