"""The JSON API's documents, as pydantic models: what the OpenAPI document describes is
exactly what the server sends (FastAPI validates every response against them).

Datetimes are aware UTC values, sent as ISO 8601 with the zone ("2026-12-03T18:40:00Z").
Request bodies forbid unknown fields and are strict (``"enabled": "yes"`` is a 400, not a
guess), and their strings refuse NUL (PostgreSQL cannot store it) and overlong values."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from crawler import SiteStatus
from rules import ItemStatus
from storage import RunState, SiteScanState

__all__ = [
    "AgencyIn",
    "AgencyList",
    "AgencyOut",
    "DiffOut",
    "ErrorResponse",
    "EvidenceList",
    "EvidenceOut",
    "ItemResultDetail",
    "ItemResultList",
    "ItemResultOut",
    "ProgressOut",
    "RunDetail",
    "RunList",
    "RunOut",
    "ScanIn",
    "ScanStarted",
    "ScheduleChange",
    "ScheduleIn",
    "ScheduleList",
    "ScheduleOut",
    "SelectionIn",
    "SiteScanDetail",
    "SiteScanList",
    "SiteScanOut",
]

NO_NUL = r"^[^\x00]*$"
MAX_TEXT = 500


def text(max_length: int = MAX_TEXT, min_length: int = 0) -> Any:
    """A body string: trimmed, no NUL, at most ``max_length`` characters."""
    return StringConstraints(strip_whitespace=True, min_length=min_length,
                             max_length=max_length, pattern=NO_NUL)


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


# -- errors and pages ------------------------------------------------------------------------


class ErrorDetail(BaseModel):
    code: str = Field(description="machine-readable, e.g. bad_parameter, not_found, "
                                  "token_required")
    message: str = Field(description="English")
    message_th: str = Field(description="ภาษาไทย")
    details: list[dict[str, Any]] = Field(
        description="for bad_parameter: [{where: 'query.limit', problem: ...}]")


class ErrorResponse(BaseModel):
    """Every 4xx/5xx of the API has this shape."""

    error: ErrorDetail


class _Paged(BaseModel):
    total: int = Field(description="rows matching the filters (all pages)")
    limit: int
    offset: int
    next: str | None = Field(description="the next page (path and query), null on the last")


# -- runs ----------------------------------------------------------------------------------


class SiteCounts(BaseModel):
    total: int
    queued: int
    running: int
    complete: int
    failed: int


class RunOut(BaseModel):
    id: int
    catalog_id: str
    fiscal_year: int = Field(description="Buddhist Era, e.g. 2566")
    trigger: str = Field(description="cli / demo / schedule / dashboard / api …")
    state: RunState
    started_at: datetime
    finished_at: datetime | None
    tool_version: str
    schedule_id: int | None
    sites: SiteCounts
    progress: str = Field(description="URL of /runs/{id}/progress")


class RunDetail(RunOut):
    options: dict[str, Any]


class RunList(_Paged):
    items: list[RunOut]


class ProgressOut(BaseModel):
    run_id: int
    state: RunState
    total: int
    queued: int
    running: int
    complete: int
    failed: int
    done: int = Field(description="complete + failed")
    finished: bool = Field(description="the run is no longer running")


class DiffRun(BaseModel):
    id: int
    catalog: str
    fiscal_year: int
    state: str
    started_at: str | None
    finished_at: str | None


class DiffChange(BaseModel):
    kind: str = Field(description="site_status, lost, fixed, status, evidence_url, "
                                  "evidence_content, only_in_a, only_in_b")
    label: str
    item: str | None
    title: str | None
    before: str | None
    after: str | None
    url_before: str | None
    url_after: str | None
    sha256_before: str | None
    sha256_after: str | None


class DiffAgency(BaseModel):
    id: int | None
    code: str | None
    name: str | None
    province: str | None


class DiffEntry(BaseModel):
    agency: DiffAgency
    seed_url: str
    site_scan_a: int | None
    site_scan_b: int | None
    changes: list[DiffChange]


class DiffOut(BaseModel):
    """reports.diff.diff_to_dict: what changed from ``run_a`` (the earlier) to ``run_b``."""

    run_a: DiffRun
    run_b: DiffRun
    compared: int
    changed: int
    counts: dict[str, int]
    summary: str
    agencies: list[DiffEntry]


# -- site scans ----------------------------------------------------------------------------


class SiteScanOut(BaseModel):
    id: int
    run_id: int
    agency_id: int | None
    agency_code: str | None
    agency_name: str | None
    province: str | None
    district: str | None
    seed_url: str
    final_url: str | None
    state: SiteScanState
    status: SiteStatus | None = Field(description="how the crawl went, once complete")
    reason: str | None
    started_at: datetime
    finished_at: datetime | None
    pages_fetched: int
    duration: float | None = Field(description="seconds")


class Grade(BaseModel):
    th: str
    en: str
    min: float


class SubIndicator(BaseModel):
    code: str
    title_th: str
    title_en: str
    score: float | None
    passed: list[str]
    zero: list[str]
    not_judged: list[str]


class Indicator(BaseModel):
    code: str
    title_th: str
    title_en: str
    score: float | None
    passes: bool | None
    sub_indicators: list[SubIndicator]


class Bilingual(BaseModel):
    th: str
    en: str


class ScoreOut(BaseModel):
    """rules.ScoreEstimate.to_dict: an estimate, never the official score (see ``basis``)."""

    estimate: bool
    catalog: str
    oit: float | None
    grade: Grade | None
    grades_note: str | None
    pass_mark: float
    indicators: list[Indicator]
    sub_indicators: list[SubIndicator]
    counted_as_zero: list[str]
    not_judged: list[str]
    provisional_catalog: bool
    basis: Bilingual


class SiteScanDetail(SiteScanOut):
    catalog_id: str
    notes: list[Any]
    item_counts: dict[str, int] = Field(description="items per status (pass, partial, …)")
    score: ScoreOut | None = Field(description="null unless the scan is complete and its "
                                               "catalog loads")


class SiteScanList(_Paged):
    items: list[SiteScanOut]


# -- item results and evidence ---------------------------------------------------------------


class ItemResultOut(BaseModel):
    id: int
    site_scan_id: int
    run_id: int
    agency_id: int | None
    agency_code: str | None
    agency_name: str | None
    province: str | None
    catalog_id: str
    code: str
    title_th: str
    title_en: str
    status: ItemStatus


class EvidenceOut(BaseModel):
    id: int
    item_result_id: int
    site_scan_id: int
    run_id: int
    agency_code: str | None
    item_code: str
    rank: int = Field(description="0 = the best candidate")
    url: str = Field(description="as found on the agency's site (untrusted)")
    kind: str
    click_path: list[Any] = Field(description="link texts from the home page")
    click_path_urls: list[Any]
    matched: str
    sha256: str = Field(description="of the body as fetched during the scan")
    score: float
    meets_requirements: bool
    document_pages: list[Any]
    image_url: str
    screenshot: str = Field(description="PNG sha256 in the screenshot store, or ''")
    warc_file: str | None = Field(
        description="the WARC file holding this evidence, as run-N/NAME.warc.gz under the "
        "archives folder (and in `oitwatch evidence export` packages)")
    warc_offset: int | None = Field(description="byte offset of its response record")
    fetched_at: datetime | None = Field(description="from the fetched page")
    http_status: int | None
    archived_url: str = Field(description="the archived copy on this server")
    screenshot_url: str | None


class ItemResultDetail(ItemResultOut):
    reasons: list[Bilingual]
    evidence: list[EvidenceOut]


class ItemResultList(_Paged):
    items: list[ItemResultOut]


class EvidenceList(_Paged):
    items: list[EvidenceOut]


# -- agencies --------------------------------------------------------------------------------


class AgencyOut(BaseModel):
    id: int
    code: str | None
    name: str
    type: str | None
    province: str | None
    district: str | None
    homepage: str | None
    catalog: str | None


class AgencyList(_Paged):
    items: list[AgencyOut]


class AgencyIn(_Body):
    """Create the agency with this registry code, or update it. Fields left out (or null)
    keep their stored value."""

    code: Annotated[str, text(32, 1)]
    name: Annotated[str, text(MAX_TEXT, 1)]
    type: Annotated[str, text(200)] | None = None
    province: Annotated[str, text(200)] | None = None
    district: Annotated[str, text(200)] | None = None
    homepage: Annotated[str, text(2000)] | None = None
    catalog: Annotated[str, text(64)] | None = None


# -- schedules and scans -----------------------------------------------------------------------


class SelectionIn(_Body):
    """Exactly one of: a province (optionally one district), agency codes, or all."""

    province: Annotated[str, text(200, 1)] | None = None
    district: Annotated[str, text(200, 1)] | None = None
    agencies: Annotated[list[Annotated[str, text(32, 1)]], Field(max_length=10_000)] = []
    all: bool = False


class ScheduleOptions(_Body):
    """The same options and bounds as `oitwatch schedule add`."""

    max_pages: Annotated[int, Field(ge=1, le=10_000)] = 300
    max_depth: Annotated[int, Field(ge=0, le=50)] = 6
    delay: Annotated[float, Field(ge=0.0, le=3600.0, description="seconds between requests "
                                                               "to one host")] = 0.5
    concurrency: Annotated[int, Field(ge=1, le=256, description="sites at once")] = 8


class ScheduleIn(_Body):
    cron: Annotated[str, text(200, 1), Field(description='5 fields, Asia/Bangkok, e.g. '
                                                          '"0 1 * * *"')]
    selection: SelectionIn
    name: Annotated[str, text(200, 1)] | None = None
    catalog: Annotated[str, text(64, 1)] | None = None
    backend: Literal["inprocess", "celery"] = "inprocess"
    options: ScheduleOptions = ScheduleOptions()
    enabled: bool = True


class ScheduleChange(_Body):
    """Only the fields sent change; ``"name": null`` removes the name."""

    name: Annotated[str, text(200, 1)] | None = None
    cron: Annotated[str, text(200, 1)] | None = None
    enabled: bool | None = None

    @model_validator(mode="after")
    def _no_null_but_name(self) -> ScheduleChange:
        # null means "remove": only the name can be removed
        for key in ("cron", "enabled"):
            if key in self.model_fields_set and getattr(self, key) is None:
                raise ValueError(f"{key} cannot be null")
        if not self.model_fields_set:
            raise ValueError("send at least one of enabled, cron, name")
        return self


class ScheduleOut(BaseModel):
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
    last_run_id: int | None
    last_run_state: str | None


class ScheduleList(_Paged):
    items: list[ScheduleOut]


class ScanIn(_Body):
    selection: SelectionIn
    catalog: Annotated[str, text(64, 1)] | None = Field(
        None, description="default: the agencies' own catalog")
    max_pages: Annotated[int, Field(ge=1, le=10_000)] | None = Field(
        None, description="page budget per site (default: the server's)")


class ScanStarted(BaseModel):
    run_id: int
    sites: int
    backend: str
    progress: str = Field(description="poll this URL until finished is true")
