"""Plain data the repository returns. No ORM objects leave storage."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from reports._model import RunReport, SiteReport

__all__ = ["AgencyRecord", "EvidenceRecord", "RunSummary", "StoredRunReport", "StoredSiteReport"]


@dataclass(slots=True)
class StoredSiteReport(SiteReport):
    """A SiteReport as loaded from the database, with the scan's bookkeeping.

    ``state`` is ``complete`` (items are the saved results), ``failed`` (the scan or saving
    its results failed: no items) or ``running`` (not finished, or its process died: no
    items). For the last two, ``status`` is ``error`` and ``reason`` starts with
    "scan failed" / "scan not finished", so a renderer that only knows SiteReport still
    cannot mistake them for a finished scan.
    """

    site_scan_id: int = 0
    state: str = "complete"

    @property
    def complete(self) -> bool:
        return self.state == "complete"


@dataclass(slots=True)
class StoredRunReport(RunReport):
    state: str = "complete"  # running | complete | interrupted
    trigger: str = ""
    tool_version: str = ""
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RunSummary:
    """One line of ``oitwatch runs``."""

    id: int
    catalog_id: str
    fiscal_year: int
    trigger: str
    state: str
    started_at: datetime
    finished_at: datetime | None
    tool_version: str
    site_count: int  # site scans started
    sites_complete: int
    sites_failed: int
    sites_running: int


@dataclass(frozen=True, slots=True)
class AgencyRecord:
    id: int
    code: str | None
    name: str
    type: str | None
    province: str | None
    district: str | None
    homepage: str | None
    catalog: str | None


@dataclass(frozen=True, slots=True)
class EvidenceRecord:
    """One row of the auditor's evidence listing. An item with no evidence (e.g. FAIL) has one
    row with ``url`` None, so every judged item appears."""

    run_id: int
    site_scan_id: int
    agency_code: str | None
    agency_name: str | None
    seed_url: str
    final_url: str | None
    item_code: str
    item_title_th: str
    item_status: str
    rank: int | None  # 0 = best candidate
    url: str | None
    kind: str | None
    matched: str | None
    meets_requirements: bool | None
    click_path: list[str]
    sha256: str | None  # of the body as fetched during the scan
    fetched_at: (
        datetime | None
    )  # when the crawler fetched that URL (None: not fetched, e.g. external)
    http_status: int | None
