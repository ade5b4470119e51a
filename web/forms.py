"""The dashboard's pages that change data or follow a change: start a scan and watch its
progress, the runs list, agencies, schedules."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
