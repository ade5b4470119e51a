"""The dashboard's read-only HTML pages (server-rendered; they work without JavaScript):
the overview heat map and the item page (_pages_overview), the agency page with its ITAS
sheet, archived copies and screenshots (_pages_agency), the run diff (_pages_diff)."""

from __future__ import annotations

from fastapi import APIRouter

from . import _pages_agency, _pages_diff, _pages_overview

router = APIRouter(include_in_schema=False)
router.include_router(_pages_overview.router)
router.include_router(_pages_agency.router)
router.include_router(_pages_diff.router)
