"""The paginated queries of the JSON API (web/api.py): one page of rows plus the total.

Every list is ordered by id (stable while rows are added: a new row goes to the end) and
answered with two statements: the page (LIMIT/OFFSET) and one COUNT over the same FROM and
WHERE, so the total stays one indexed count even at 1,000 agencies x 43 items per run.
Filters are plain equality (or a name substring) and every value arrives already checked
by the API (bounded ints, no NUL), so no query here can fail on a client's input.

    api = ApiRepository(db)
    page = api.item_results(ItemFilter(run_id=3, status="fail"), limit=50, offset=0)
    page.items, page.total

Uses the same Database and transaction discipline as storage.repo.Repository, and its
record types where they fit (RunSummary, AgencyRecord, ScheduleRecord).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session

from .models import (
    Agency,
    EvidenceRow,
    ItemResultRow,
    PageRow,
    ScanRun,
    Schedule,
    SiteScan,
    SiteScanState,
)
from .records import AgencyRecord, RunSummary, ScheduleRecord
from .repo import Repository, Transactions, _agency_record

__all__ = [
    "AgencyFilter",
    "ApiRepository",
    "EvidenceFilter",
    "EvidenceItem",
    "ItemFilter",
    "ItemResultItem",
    "Page",
    "RunFilter",
    "SiteScanFilter",
    "SiteScanItem",
]

T = TypeVar("T")
QUEUED, RUNNING, COMPLETE, FAILED = (s.value for s in SiteScanState)


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: list[T]
    total: int


# -- filters (None: not filtered) ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RunFilter:
    state: str | None = None
    trigger: str | None = None
    schedule_id: int | None = None


@dataclass(frozen=True, slots=True)
class SiteScanFilter:
    run_id: int | None = None
    agency_id: int | None = None
    agency_code: str | None = None
    province: str | None = None
    state: str | None = None
    status: str | None = None


@dataclass(frozen=True, slots=True)
class ItemFilter:
    run_id: int | None = None
    site_scan_id: int | None = None
    code: str | None = None  # item code, case-insensitive
    status: str | None = None
    province: str | None = None
    agency_code: str | None = None


@dataclass(frozen=True, slots=True)
class EvidenceFilter:
    run_id: int | None = None
    site_scan_id: int | None = None
    code: str | None = None  # item code, case-insensitive
    agency_code: str | None = None


@dataclass(frozen=True, slots=True)
class AgencyFilter:
    province: str | None = None
    district: str | None = None
    type: str | None = None
    q: str | None = None  # part of the name, case-insensitive
    code: str | None = None


# -- records --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SiteScanItem:
    id: int
    run_id: int
    agency_id: int | None
    agency_code: str | None
    agency_name: str | None
    province: str | None
    district: str | None
    seed_url: str
    final_url: str | None
    state: str
    status: str | None
    reason: str | None
    started_at: datetime
    finished_at: datetime | None
    pages_fetched: int
    duration: float | None
    notes: list[Any] = field(default_factory=list)
    catalog_id: str = ""
    # code -> status of its items (detail only; empty unless the scan is complete)
    item_status: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class EvidenceItem:
    id: int
    item_result_id: int
    site_scan_id: int
    run_id: int
    agency_code: str | None
    item_code: str
    rank: int
    url: str
    kind: str
    click_path: list[Any]
    click_path_urls: list[Any]
    matched: str
    sha256: str  # the rules engine's hash, else the crawler's hash of the same fetch
    score: float
    meets_requirements: bool
    document_pages: list[Any]
    image_url: str
    screenshot: str
    warc_file: str | None
    warc_offset: int | None
    page_id: int | None
    fetched_at: datetime | None
    http_status: int | None


@dataclass(frozen=True, slots=True)
class ItemResultItem:
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
    status: str
    reasons: list[Any] = field(default_factory=list)
    evidence: list[EvidenceItem] = field(default_factory=list)  # detail only, best first


def _page_of(s: Session, query: Select[Any], limit: int, offset: int) -> tuple[list[Any], int]:
    """One page of ``query`` (already ordered) and the count of all its rows. The count
    drops the ORDER BY and selects only COUNT(*) over the same FROM/WHERE."""
    rows = list(s.execute(query.limit(limit).offset(offset)))
    if offset == 0 and len(rows) < limit:
        return rows, len(rows)  # the page holds every row: no second statement needed
    count = query.order_by(None).with_only_columns(func.count(), maintain_column_froms=True)
    return rows, int(s.scalar(count) or 0)


_SITE_COLUMNS = (
    SiteScan.id, SiteScan.run_id, SiteScan.agency_id, Agency.code, Agency.name,
    Agency.province, Agency.district, SiteScan.seed_url, SiteScan.final_url, SiteScan.state,
    SiteScan.status, SiteScan.reason, SiteScan.started_at, SiteScan.finished_at,
    SiteScan.pages_fetched, SiteScan.duration,
)
_ITEM_COLUMNS = (
    ItemResultRow.id, ItemResultRow.site_scan_id, SiteScan.run_id, SiteScan.agency_id,
    Agency.code, Agency.name, Agency.province, ItemResultRow.catalog_id, ItemResultRow.code,
    ItemResultRow.title_th, ItemResultRow.title_en, ItemResultRow.status,
)
_EVIDENCE_COLUMNS = (
    EvidenceRow.id, EvidenceRow.item_result_id, ItemResultRow.site_scan_id, SiteScan.run_id,
    Agency.code, ItemResultRow.code, EvidenceRow.rank, EvidenceRow.url, EvidenceRow.kind,
    EvidenceRow.click_path, EvidenceRow.click_path_urls, EvidenceRow.matched,
    EvidenceRow.sha256, EvidenceRow.score, EvidenceRow.meets_requirements,
    EvidenceRow.document_pages, EvidenceRow.image_url, EvidenceRow.screenshot,
    EvidenceRow.warc_file, EvidenceRow.warc_offset, EvidenceRow.page_id, PageRow.sha256,
    PageRow.fetched_at, PageRow.http_status,
)


_SITE_FIELDS = tuple(f for f in SiteScanItem.__dataclass_fields__)[: len(_SITE_COLUMNS)]
_ITEM_FIELDS = tuple(f for f in ItemResultItem.__dataclass_fields__)[: len(_ITEM_COLUMNS)]


def _site_item(row: Sequence[Any], **extra: Any) -> SiteScanItem:
    return SiteScanItem(**dict(zip(_SITE_FIELDS, row, strict=False)), **extra)


def _item_result(row: Sequence[Any], **extra: Any) -> ItemResultItem:
    return ItemResultItem(**dict(zip(_ITEM_FIELDS, row, strict=False)), **extra)


def _evidence(row: Sequence[Any]) -> EvidenceItem:
    (ev_id, item_id, scan_id, run_id, agency_code, item_code, rank, url, kind, path, urls,
     matched, sha, score, meets, doc_pages, image_url, shot, warc_file, warc_offset, page_id,
     page_sha, fetched_at, http_status) = row
    return EvidenceItem(
        id=ev_id, item_result_id=item_id, site_scan_id=scan_id, run_id=run_id,
        agency_code=agency_code, item_code=item_code, rank=rank, url=url, kind=kind,
        click_path=list(path or []), click_path_urls=list(urls or []), matched=matched or "",
        sha256=sha or page_sha or "", score=float(score or 0.0), meets_requirements=bool(meets),
        document_pages=list(doc_pages or []), image_url=image_url or "", screenshot=shot or "",
        warc_file=warc_file, warc_offset=warc_offset, page_id=page_id, fetched_at=fetched_at,
        http_status=http_status,
    )


def _where_equal(query: Select[Any], pairs: Sequence[tuple[Any, object]]) -> Select[Any]:
    """``column == value`` for every filter that was given (None: not filtered)."""
    for column, value in pairs:
        if value is not None:
            query = query.where(column == value)
    return query


class ApiRepository(Transactions):
    """Lists and details of runs, site scans, item results, evidence, agencies and
    schedules, one page at a time; and the schedule edits the API offers."""

    # -- runs -----------------------------------------------------------------------------

    @staticmethod
    def _runs_query() -> Select[Any]:
        counts = (
            select(
                SiteScan.run_id,
                func.count().label("sites"),
                *(
                    func.sum(case((SiteScan.state == state, 1), else_=0)).label(state)
                    for state in (COMPLETE, FAILED, RUNNING, QUEUED)
                ),
            )
            .group_by(SiteScan.run_id)
            .subquery()
        )
        return select(
            ScanRun, counts.c.sites, counts.c[COMPLETE], counts.c[FAILED], counts.c[RUNNING],
            counts.c[QUEUED],
        ).outerjoin(counts, counts.c.run_id == ScanRun.id)

    @staticmethod
    def _run_summary(row: Sequence[Any]) -> RunSummary:
        run, sites, complete, failed, running, queued = row
        return RunSummary(
            id=run.id, catalog_id=run.catalog_id, fiscal_year=run.fiscal_year,
            trigger=run.trigger, state=run.state, started_at=run.started_at,
            finished_at=run.finished_at, tool_version=run.tool_version,
            site_count=int(sites or 0), sites_complete=int(complete or 0),
            sites_failed=int(failed or 0), sites_running=int(running or 0),
            sites_queued=int(queued or 0), schedule_id=run.schedule_id,
        )

    def runs(self, f: RunFilter, *, limit: int, offset: int) -> Page[RunSummary]:
        where = []
        if f.state is not None:
            where.append(ScanRun.state == f.state)
        if f.trigger is not None:
            where.append(ScanRun.trigger == f.trigger)
        if f.schedule_id is not None:
            where.append(ScanRun.schedule_id == f.schedule_id)
        page = select(ScanRun.id).where(*where).order_by(ScanRun.id)
        with self._read() as s:
            ids, total = _page_of(s, page, limit, offset)
            wanted = [r[0] for r in ids]
            if not wanted:
                return Page([], total)
            # the per-state counts only for this page's runs
            query = self._runs_query().where(ScanRun.id.in_(wanted)).order_by(ScanRun.id)
            return Page([self._run_summary(r) for r in s.execute(query)], total)

    def run(self, run_id: int) -> tuple[RunSummary, dict[str, Any]] | None:
        """The run's summary and its options (None: no such run)."""
        with self._read() as s:
            row = s.execute(self._runs_query().where(ScanRun.id == run_id)).first()
            if row is None:
                return None
            return self._run_summary(row), dict(row[0].options or {})

    def previous_run_id(self, run_id: int) -> int | None:
        """The newest run started before this one (what a diff compares with by default)."""
        with self._read() as s:
            return s.scalar(select(func.max(ScanRun.id)).where(ScanRun.id < run_id))

    # -- site scans ----------------------------------------------------------------------

    @staticmethod
    def _sites_query() -> Select[Any]:
        return (
            select(*_SITE_COLUMNS)
            .select_from(SiteScan)
            .outerjoin(Agency, SiteScan.agency_id == Agency.id)
        )

    def site_scans(self, f: SiteScanFilter, *, limit: int, offset: int) -> Page[SiteScanItem]:
        query = _where_equal(self._sites_query(), (
            (SiteScan.run_id, f.run_id), (SiteScan.agency_id, f.agency_id),
            (Agency.code, f.agency_code), (Agency.province, f.province),
            (SiteScan.state, f.state), (SiteScan.status, f.status),
        ))
        with self._read() as s:
            rows, total = _page_of(s, query.order_by(SiteScan.id), limit, offset)
            return Page([_site_item(r) for r in rows], total)

    def site_scan(self, site_scan_id: int) -> SiteScanItem | None:
        """The scan with its notes, its run's catalog and its items' statuses (for the
        score estimate)."""
        query = self._sites_query().add_columns(SiteScan.notes, ScanRun.catalog_id).join(
            ScanRun, SiteScan.run_id == ScanRun.id
        ).where(SiteScan.id == site_scan_id)
        with self._read() as s:
            row = s.execute(query).first()
            if row is None:
                return None
            statuses: dict[str, str] = {}
            if row.state == COMPLETE:
                statuses = {
                    code: status
                    for code, status in s.execute(
                        select(ItemResultRow.code, ItemResultRow.status)
                        .where(ItemResultRow.site_scan_id == site_scan_id)
                        .order_by(ItemResultRow.id)
                    )
                }
            *site, notes, catalog_id = row
            return _site_item(site, notes=list(notes or []), catalog_id=catalog_id,
                              item_status=statuses)

    # -- item results --------------------------------------------------------------------

    @staticmethod
    def _items_query() -> Select[Any]:
        return (
            select(*_ITEM_COLUMNS)
            .select_from(ItemResultRow)
            .join(SiteScan, ItemResultRow.site_scan_id == SiteScan.id)
            .outerjoin(Agency, SiteScan.agency_id == Agency.id)
        )

    def item_results(self, f: ItemFilter, *, limit: int, offset: int) -> Page[ItemResultItem]:
        query = _where_equal(self._items_query(), (
            (SiteScan.run_id, f.run_id), (ItemResultRow.site_scan_id, f.site_scan_id),
            (ItemResultRow.status, f.status), (Agency.province, f.province),
            (Agency.code, f.agency_code),
        ))
        if f.code is not None:
            query = query.where(func.upper(ItemResultRow.code) == f.code.strip().upper())
        with self._read() as s:
            rows, total = _page_of(s, query.order_by(ItemResultRow.id), limit, offset)
            return Page([_item_result(r) for r in rows], total)

    def item_result(self, item_result_id: int) -> ItemResultItem | None:
        """The verdict with its reasons and every evidence candidate, best first."""
        query = self._items_query().add_columns(ItemResultRow.reasons).where(
            ItemResultRow.id == item_result_id
        )
        with self._read() as s:
            row = s.execute(query).first()
            if row is None:
                return None
            evidence = [
                _evidence(r)
                for r in s.execute(
                    self._evidence_query()
                    .where(EvidenceRow.item_result_id == item_result_id)
                    .order_by(EvidenceRow.rank)
                )
            ]
            *item, reasons = row
            return _item_result(item, reasons=list(reasons or []), evidence=evidence)

    # -- evidence ------------------------------------------------------------------------

    @staticmethod
    def _evidence_query() -> Select[Any]:
        return (
            select(*_EVIDENCE_COLUMNS)
            .select_from(EvidenceRow)
            .join(ItemResultRow, EvidenceRow.item_result_id == ItemResultRow.id)
            .join(SiteScan, ItemResultRow.site_scan_id == SiteScan.id)
            .outerjoin(Agency, SiteScan.agency_id == Agency.id)
            .outerjoin(PageRow, EvidenceRow.page_id == PageRow.id)
        )

    def evidence(self, f: EvidenceFilter, *, limit: int, offset: int) -> Page[EvidenceItem]:
        query = _where_equal(self._evidence_query(), (
            (SiteScan.run_id, f.run_id), (ItemResultRow.site_scan_id, f.site_scan_id),
            (Agency.code, f.agency_code),
        ))
        if f.code is not None:
            query = query.where(func.upper(ItemResultRow.code) == f.code.strip().upper())
        with self._read() as s:
            rows, total = _page_of(s, query.order_by(EvidenceRow.id), limit, offset)
            return Page([_evidence(r) for r in rows], total)

    def evidence_item(self, evidence_id: int) -> EvidenceItem | None:
        with self._read() as s:
            row = s.execute(self._evidence_query().where(EvidenceRow.id == evidence_id)).first()
            return _evidence(row) if row is not None else None

    # -- agencies ------------------------------------------------------------------------

    def agencies(self, f: AgencyFilter, *, limit: int, offset: int) -> Page[AgencyRecord]:
        query = select(Agency)
        query = _where_equal(query, (
            (Agency.province, f.province), (Agency.district, f.district),
            (Agency.type, f.type), (Agency.code, f.code),
        ))
        if f.q:
            # autoescape: a "%" or "_" typed by someone is a character, not a wildcard
            query = query.where(func.lower(Agency.name).contains(f.q.lower(), autoescape=True))
        with self._read() as s:
            rows, total = _page_of(s, query.order_by(Agency.id), limit, offset)
            return Page([_agency_record(r[0]) for r in rows], total)

    def agency_id_by_code(self, code: str) -> int | None:
        with self._read() as s:
            return s.scalar(select(Agency.id).where(Agency.code == code))

    # -- schedules -----------------------------------------------------------------------

    @staticmethod
    def _schedules_query() -> Select[Any]:
        last = (
            select(ScanRun.schedule_id, func.max(ScanRun.id).label("run_id"))
            .where(ScanRun.schedule_id.is_not(None))
            .group_by(ScanRun.schedule_id)
            .subquery()
        )
        return (
            select(Schedule, ScanRun.id, ScanRun.state)
            .outerjoin(last, last.c.schedule_id == Schedule.id)
            .outerjoin(ScanRun, ScanRun.id == last.c.run_id)
        )

    @staticmethod
    def _schedule(row: Sequence[Any]) -> ScheduleRecord:
        schedule, run_id, state = row
        return Repository._schedule_record(schedule, (run_id, state) if run_id else None)

    def schedules(self, *, limit: int, offset: int) -> Page[ScheduleRecord]:
        with self._read() as s:
            page = list(s.execute(
                self._schedules_query().order_by(Schedule.id).limit(limit).offset(offset)
            ))
            total = int(s.scalar(select(func.count()).select_from(Schedule)) or 0)
            return Page([self._schedule(r) for r in page], total)

    def schedule(self, schedule_id: int) -> ScheduleRecord | None:
        with self._read() as s:
            row = s.execute(self._schedules_query().where(Schedule.id == schedule_id)).first()
            return self._schedule(row) if row is not None else None

