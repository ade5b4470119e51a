"""Plain data the repository returns. No ORM objects leave storage."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from reports._model import RunReport, SiteReport

__all__ = [
    "AgencyImportStats",
    "AgencyInput",
    "AgencyRecord",
    "EvidenceRecord",
    "RunProgress",
    "RunSummary",
    "ScheduleRecord",
    "SiteClaim",
    "StoredRunReport",
    "StoredSiteReport",
]


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
    site_count: int  # site scans started (or queued)
    sites_complete: int
    sites_failed: int
    sites_running: int
    sites_queued: int = 0  # campaign sites no worker has started yet
    schedule_id: int | None = None


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


@dataclass(frozen=True, slots=True)
class AgencyInput:
    """One registry row to store (already validated by oitwatch.registry). ``None`` fields
    leave the stored value as it is."""

    code: str
    name: str
    type: str | None = None
    province: str | None = None
    district: str | None = None
    homepage: str | None = None
    catalog: str | None = None


@dataclass(frozen=True, slots=True)
class AgencyImportStats:
    inserted: int
    updated: int
    unchanged: int


@dataclass(frozen=True, slots=True)
class SiteClaim:
    """The answer to "may I scan this site of this run?". ``token`` is None when there is
    nothing to do (``skipped`` says why: already complete, run closed)."""

    site_scan_id: int | None
    token: str | None
    attempt: int = 0
    skipped: str | None = None

    @property
    def claimed(self) -> bool:
        return self.token is not None


@dataclass(frozen=True, slots=True)
class RunProgress:
    run_id: int
    state: str  # running | complete | interrupted
    total: int
    queued: int
    running: int
    complete: int
    failed: int

    @property
    def done(self) -> int:
        return self.complete + self.failed


@dataclass(frozen=True, slots=True)
class ScheduleRecord:
    id: int
    name: str | None
    cron: str
    selection: dict[str, Any]
    catalog: str | None
    backend: str
    options: dict[str, Any]
    enabled: bool
    created_at: datetime
    updated_at: datetime
    last_fired_at: datetime | None
    last_status: str | None
    last_run_id: int | None = None
    last_run_state: str | None = None
