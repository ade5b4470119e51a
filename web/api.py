"""The JSON API under /api/v1 (its OpenAPI document: /api/v1/openapi.json).

Reading (GET) is open when the server is configured so (``public_read``), else it needs a
token; anything that changes data needs ``Authorization: Bearer <token>``. Every list is
paginated the same way ({"items", "total", "limit", "offset", "next"}); every error is
{"error": {"code", "message", "message_th", "details"}}, and bad parameters are a 400, never
a 500 (web/_api_params.py says why each bound exists).

    results  web/_api_results.py   runs, site scans, item results, evidence
    registry web/_api_registry.py  agencies, schedules
    scans    web/_api_scans.py     POST /scans
"""

from __future__ import annotations

from fastapi import APIRouter

from . import _api_registry, _api_results, _api_scans

__all__ = ["router"]

router = APIRouter(prefix="/api/v1")
router.include_router(_api_results.router)
router.include_router(_api_registry.router)
router.include_router(_api_scans.router)
