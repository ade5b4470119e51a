"""Every query oitwatch runs. Callers get plain dataclasses back, never ORM objects.

A scan's life in the database::

    run = repo.start_run("ita-2566", 2566, "cli", {"max_pages": 300})
    scan = repo.start_site_scan(run, "https://example.go.th/")   # committed: state running
    repo.finish_site_scan(scan, crawl, results)                  # one transaction: complete
    repo.finish_run(run)

A process killed mid-run leaves ``running`` rows; ``mark_stale_runs_interrupted`` later turns
them into ``interrupted`` runs with ``failed`` site scans. Item results exist only for
``complete`` site scans, so no report can show half-written results as finished.

A campaign (many agencies, possibly many workers) plans its sites up front::

    run = repo.start_campaign_run("ita-2566", 2566, "schedule", opts, [(url, agency_id), ...],
                                  schedule_id=3, stale_after=timedelta(hours=2))
    claim = repo.claim_site_scan(run, url, agency_id, claim_key=task_id, ...)  # queued -> running
    repo.renew_lease(claim.site_scan_id, claim.token, lease)                  # while crawling
    repo.finish_site_scan(claim.site_scan_id, crawl, results, token=claim.token)
    repo.finish_run_if_done(run)                                              # last one closes it

There is one site scan per (run, seed URL): a task delivered again (killed worker, retry)
claims the same row, so a site is never recorded twice in a run.
"""

from __future__ import annotations

import importlib.metadata
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased, joinedload, selectinload

from crawler._models import SiteCrawl
from rules._result import ItemResult

from . import _convert
from .errors import (
    NotFoundError,
    RunInProgressError,
    SiteBusyError,
    SiteScanWriteError,
    StorageError,
)
from .models import (
    Agency,
    EvidenceRow,
    ItemResultRow,
    PageRow,
    RunState,
    ScanRun,
    Schedule,
    SiteScan,
    SiteScanState,
    utcnow,
)
from .records import (
    AgencyImportStats,
    AgencyInput,
    AgencyRecord,
    EvidenceRecord,
    RunProgress,
    RunSummary,
    ScheduleRecord,
    SiteClaim,
    StoredRunReport,
    StoredSiteReport,
)
from .session import Database

__all__ = [
    "HistoryEntry",
    "ItemSnapshot",
    "Repository",
    "RunHeader",
    "RunSnapshot",
    "SiteSnapshot",
]

QUEUED, RUNNING, COMPLETE, FAILED = (s.value for s in SiteScanState)
UNFINISHED = (QUEUED, RUNNING)
BACKENDS = ("inprocess", "celery")


def _tool_version() -> str:
    try:
        return importlib.metadata.version("oitwatch")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _agency_record(a: Agency) -> AgencyRecord:
    return AgencyRecord(
        id=a.id,
        code=a.code,
        name=a.name,
        type=a.type,
        province=a.province,
        district=a.district,
        homepage=a.homepage,
        catalog=a.catalog,
    )


# -- lean records for history and diffs ------------------------------------------------------
# (here rather than in records.py: only the history/diff queries below return them)


@dataclass(frozen=True, slots=True)
class RunHeader:
    id: int
    catalog_id: str
    fiscal_year: int
    state: str
    started_at: datetime
    finished_at: datetime | None


@dataclass(frozen=True, slots=True)
class SiteSnapshot:
    """One site scan, without its pages and items."""

    site_scan_id: int
    run_id: int
    agency_id: int | None
    agency_code: str | None
    agency_name: str | None
    province: str | None
    seed_url: str
    final_url: str | None
    state: str  # queued | running | complete | failed
    status: str | None  # crawler SiteStatus (ok, unreachable, ...) once complete
    reason: str | None
    finished_at: datetime | None


@dataclass(frozen=True, slots=True)
class ItemSnapshot:
    """An item's verdict and its best evidence: for a pass the best evidence that meets the
    requirements, otherwise the first candidate. ``best_sha256`` is the rules engine's hash,
    else the crawler's hash of the same fetch ("" or None when unknown)."""

    code: str
    title_th: str
    title_en: str
    status: str
    best_url: str | None
    best_sha256: str | None


@dataclass(frozen=True, slots=True)
class RunSnapshot:
    run: RunHeader
    sites: list[SiteSnapshot]
    items: dict[int, dict[str, ItemSnapshot]]  # site_scan_id -> code -> item (complete scans)


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    run: RunHeader
    site: SiteSnapshot
    items: dict[str, ItemSnapshot]  # code -> item; empty unless the scan is complete


def _run_header(run: ScanRun) -> RunHeader:
    return RunHeader(
        id=run.id,
        catalog_id=run.catalog_id,
        fiscal_year=run.fiscal_year,
        state=run.state,
        started_at=run.started_at,
        finished_at=run.finished_at,
    )


_SITE_COLUMNS = (
    SiteScan.id,
    SiteScan.run_id,
    SiteScan.agency_id,
    Agency.code,
    Agency.name,
    Agency.province,
    SiteScan.seed_url,
    SiteScan.final_url,
    SiteScan.state,
    SiteScan.status,
    SiteScan.reason,
    SiteScan.finished_at,
)


class Transactions:
    """How every repository of ``storage`` opens its sessions."""

    def __init__(self, db: Database) -> None:
        self.db = db

    @contextmanager
    def _read(self) -> Iterator[Session]:
        with self.db.errors(), self.db.session() as session:
            yield session

    @contextmanager
    def _write(self) -> Iterator[Session]:
        """One transaction, committed on success, rolled back on any exception."""
        with self.db.errors(), self.db.session() as session, session.begin():
            # SQLite: take the write lock up front (BEGIN IMMEDIATE) so concurrent writers
            # wait on busy_timeout instead of failing when a read lock must be upgraded.
            session.connection(execution_options={"sqlite_immediate": True})
            yield session


class Repository(Transactions):
    """Runs, site scans, results, evidence, schedules, agencies: the only place with queries
    (alerts have their own, ``storage.alerts_repo``)."""

    @staticmethod
    def _beat(session: Session, run_id: int) -> None:
        session.execute(update(ScanRun).where(ScanRun.id == run_id).values(heartbeat_at=utcnow()))

    # -- runs and site scans ----------------------------------------------------------

    def start_run(
        self,
        catalog_id: str,
        fiscal_year: int,
        trigger: str,
        options: dict[str, Any] | None = None,
        *,
        tool_version: str | None = None,
    ) -> int:
        run = ScanRun(
            catalog_id=_convert.check_len("catalog id", catalog_id, 64),
            fiscal_year=fiscal_year,
            trigger=trigger,
            state=RunState.RUNNING.value,
            options=dict(options or {}),
            tool_version=tool_version or _tool_version(),
        )
        with self._write() as s:
            s.add(run)
            s.flush()
            return run.id

    def heartbeat(self, run_id: int) -> None:
        """Show that the run's process is alive (starting/finishing site scans does this too).
        Call it during very long crawls if stale-run detection uses a short cut-off."""
        with self._write() as s:
            self._beat(s, run_id)

    def start_site_scan(self, run_id: int, seed_url: str, agency_id: int | None = None) -> int:
        """Record that a site scan began; committed at once, so a crash leaves it ``running``."""
        with self._write() as s:
            run = s.get(ScanRun, run_id)
            if run is None:
                raise NotFoundError(f"no scan run with id {run_id}")
            if run.state != RunState.RUNNING.value:
                raise StorageError(f"scan run {run_id} is {run.state}; start a new run")
            scan = SiteScan(run_id=run_id, seed_url=seed_url, agency_id=agency_id, state=RUNNING)
            s.add(scan)
            run.heartbeat_at = utcnow()
            s.flush()
            return scan.id

    def finish_site_scan(
        self,
        site_scan_id: int,
        crawl: SiteCrawl,
        results: list[ItemResult],
        *,
        token: str | None = None,
    ) -> None:
        """Write pages, item results and evidence, and mark the scan complete, all in one
        transaction. On any failure nothing of it is kept: the scan is marked ``failed`` (in
        a second transaction) with the error as reason, and SiteScanWriteError is raised.
        With ``token`` (from claim_site_scan) the write only happens while that claim holds:
        a worker presumed dead whose site was taken over cannot write any more."""
        try:
            with self._write() as s:
                self._write_results(s, site_scan_id, crawl, results, token)
        except (NotFoundError, SiteScanWriteError):
            raise
        except Exception as exc:
            detail = f"could not save results: {type(exc).__name__}: {exc}"
            try:
                self.fail_site_scan(site_scan_id, detail, token=token)
            except StorageError:
                pass  # database gone: the scan stays "running" and is swept up as interrupted
            raise SiteScanWriteError(f"site scan {site_scan_id}: {detail}") from exc

    def _write_results(
        self,
        s: Session,
        site_scan_id: int,
        crawl: SiteCrawl,
        results: list[ItemResult],
        token: str | None = None,
    ) -> None:
        # FOR UPDATE (PostgreSQL): a concurrent fail/sweep waits for us, or we see its result.
        scan = s.get(SiteScan, site_scan_id, with_for_update=True)
        if scan is None:
            raise NotFoundError(f"no site scan with id {site_scan_id}")
        if scan.state != RUNNING:
            # Never overwrite a complete scan or revive a failed one (e.g. swept as stale).
            raise SiteScanWriteError(f"site scan {site_scan_id} is {scan.state}, not running")
        if token is not None and scan.claim_token != token:
            raise SiteScanWriteError(
                f"site scan {site_scan_id} was taken over by another attempt "
                f"({scan.claimed_by or 'unknown'}); this attempt's results are discarded"
            )
        catalog_id = s.scalar(select(ScanRun.catalog_id).where(ScanRun.id == scan.run_id))
        pages, by_url = _convert.page_rows(site_scan_id, crawl)
        items = _convert.item_rows(site_scan_id, catalog_id or "", results, by_url)
        s.add_all(pages)
        s.add_all(items)
        scan.final_url = crawl.final_url
        scan.status = _convert.site_status(crawl)
        scan.reason = crawl.reason
        # The crawl's own times replace the row's: they say when the site was looked at.
        scan.started_at = crawl.started_at
        scan.finished_at = crawl.finished_at
        scan.duration = (crawl.finished_at - crawl.started_at).total_seconds()
        scan.pages_fetched = crawl.pages_fetched
        scan.notes = list(crawl.notes)
        scan.state = COMPLETE
        scan.lease_until = None
        s.flush()  # surface constraint errors here, inside the try of finish_site_scan
        # Last, so concurrent writers of the same run hold the run row's lock only briefly.
        self._beat(s, scan.run_id)

    def fail_site_scan(self, site_scan_id: int, reason: str, *, token: str | None = None) -> bool:
        """Mark a running site scan failed. Returns False (and changes nothing) when it is no
        longer running, or (with ``token``) when another attempt has claimed it since: a
        complete scan is never downgraded, a live attempt never failed by a dead one."""
        with self._write() as s:
            scan = s.get(SiteScan, site_scan_id, with_for_update=True)
            if scan is None:
                raise NotFoundError(f"no site scan with id {site_scan_id}")
            if scan.state != RUNNING or (token is not None and scan.claim_token != token):
                return False
            scan.state = FAILED
            scan.reason = reason
            scan.finished_at = utcnow()
            scan.lease_until = None
            self._beat(s, scan.run_id)
            return True

    def finish_run(self, run_id: int, state: str = RunState.COMPLETE.value) -> None:
        """Close a running run (no-op if it is already closed). Site scans still running are
        marked failed: once the run is over, nobody will finish them."""
        if state not in (RunState.COMPLETE.value, RunState.INTERRUPTED.value):
            raise ValueError(f"a run finishes as complete or interrupted, not {state!r}")
        now = utcnow()
        with self._write() as s:
            run = s.get(ScanRun, run_id)
            if run is None:
                raise NotFoundError(f"no scan run with id {run_id}")
            if run.state != RunState.RUNNING.value:
                return
            run.state, run.finished_at, run.heartbeat_at = state, now, now
            self._fail_running_scans(s, [run_id], "run finished before this site scan did", now)

    def mark_stale_runs_interrupted(self, older_than: timedelta) -> list[int]:
        """Runs still ``running`` with no activity for ``older_than`` were left by a killed
        process: mark them interrupted and their running site scans failed. Returns run ids."""
        cutoff = utcnow() - older_than
        with self._write() as s:
            stale = list(
                s.scalars(
                    select(ScanRun).where(
                        ScanRun.state == RunState.RUNNING.value, ScanRun.heartbeat_at < cutoff
                    )
                )
            )
            for run in stale:
                run.state = RunState.INTERRUPTED.value
                run.finished_at = run.heartbeat_at  # last sign of life
            ids = [run.id for run in stale]
            if ids:
                self._fail_running_scans(
                    s, ids, "interrupted: the scanning process stopped before this site finished"
                )
            return ids

    @staticmethod
    def _fail_running_scans(
        s: Session, run_ids: list[int], reason: str, now: datetime | None = None
    ) -> None:
        s.execute(
            update(SiteScan)
            .where(SiteScan.run_id.in_(run_ids), SiteScan.state.in_(UNFINISHED))
            .values(state=FAILED, reason=reason, finished_at=now or utcnow())
        )

    # -- agencies -------------------------------------------------------------------------

    def upsert_agency(
        self,
        *,
        name: str,
        homepage: str | None = None,
        code: str | None = None,
        agency_type: str | None = None,
        province: str | None = None,
        district: str | None = None,
        catalog: str | None = None,
    ) -> int:
        """Insert or update an agency; returns its id. Matched by registry ``code``; without
        one (or when no row has it yet) by home page, ignoring scheme/"www."/trailing "/".
        Arguments left None do not overwrite stored values."""
        if not code and not homepage:
            raise ValueError("an agency needs a registry code or a homepage")
        if code:
            _convert.check_len("agency code", code, 32)
        if catalog:
            _convert.check_len("catalog id", catalog, 64)
        values = {
            "name": name,
            "homepage": homepage,
            "type": agency_type,
            "province": province,
            "district": district,
            "catalog": catalog,
        }
        key = _convert.homepage_key(homepage) if homepage else None
        for attempt in (1, 2):
            try:
                with self._write() as s:
                    agency = self._match_agency(s, code, key)
                    if agency is None:
                        agency = Agency(code=code or None)
                        s.add(agency)
                    elif code:
                        agency.code = code
                    for attr, value in values.items():
                        if value is not None:
                            setattr(agency, attr, value)
                    if homepage:
                        agency.homepage_key = key
                    s.flush()
                    return agency.id
            except StorageError as exc:
                # Two processes inserted the same new code at once: the loser retries and
                # now finds the winner's row.
                if attempt == 2 or not isinstance(exc.__cause__, IntegrityError):
                    raise
        raise AssertionError("unreachable")

    @staticmethod
    def _match_agency(s: Session, code: str | None, key: str | None) -> Agency | None:
        if code:
            found = s.scalar(select(Agency).where(Agency.code == code))
            if found is not None:
                return found
        if key is None:
            return None
        query = select(Agency).where(Agency.homepage_key == key).order_by(Agency.id).limit(1)
        if code:  # never merge into a row that belongs to a different registry code
            query = query.where(Agency.code.is_(None))
        return s.scalar(query)

    def find_agency_by_homepage(self, url: str) -> AgencyRecord | None:
        key = _convert.homepage_key(url)
        with self._read() as s:
            agency = s.scalar(
                select(Agency).where(Agency.homepage_key == key).order_by(Agency.id).limit(1)
            )
            return _agency_record(agency) if agency else None

    # -- reading results ----------------------------------------------------------------

    def list_runs(self, limit: int = 20) -> list[RunSummary]:
        """Newest first, with counts of site scans per state."""
        counts = (
            select(
                SiteScan.run_id,
                func.count().label("sites"),
                func.sum(case((SiteScan.state == COMPLETE, 1), else_=0)).label("complete"),
                func.sum(case((SiteScan.state == FAILED, 1), else_=0)).label("failed"),
                func.sum(case((SiteScan.state == RUNNING, 1), else_=0)).label("running"),
                func.sum(case((SiteScan.state == QUEUED, 1), else_=0)).label("queued"),
            )
            .group_by(SiteScan.run_id)
            .subquery()
        )
        query = (
            select(
                ScanRun,
                counts.c.sites,
                counts.c.complete,
                counts.c.failed,
                counts.c.running,
                counts.c.queued,
            )
            .outerjoin(counts, counts.c.run_id == ScanRun.id)
            .order_by(ScanRun.id.desc())
            .limit(limit)
        )
        with self._read() as s:
            return [
                RunSummary(
                    id=run.id,
                    catalog_id=run.catalog_id,
                    fiscal_year=run.fiscal_year,
                    trigger=run.trigger,
                    state=run.state,
                    started_at=run.started_at,
                    finished_at=run.finished_at,
                    tool_version=run.tool_version,
                    site_count=int(sites or 0),
                    sites_complete=int(complete or 0),
                    sites_failed=int(failed or 0),
                    sites_running=int(running or 0),
                    sites_queued=int(queued or 0),
                    schedule_id=run.schedule_id,
                )
                for run, sites, complete, failed, running, queued in s.execute(query)
            ]

    def load_run(self, run_id: int) -> StoredRunReport | None:
        """The run with every site scan in start order (None if there is no such run). Only
        complete scans carry items; the others come back with their state (StoredSiteReport)."""
        with self._read() as s:
            run = s.get(ScanRun, run_id)
            if run is None:
                return None
            scans = s.scalars(
                select(SiteScan)
                .where(SiteScan.run_id == run_id)
                .options(joinedload(SiteScan.agency))
                .order_by(SiteScan.id)
            ).all()
            items = self._items_of(s, SiteScan.run_id == run_id)
            return StoredRunReport(
                run_id=run.id,
                catalog_id=run.catalog_id,
                fiscal_year=run.fiscal_year,
                started_at=run.started_at,
                finished_at=run.finished_at,
                sites=[_convert.site_report(scan, items.get(scan.id, [])) for scan in scans],
                state=run.state,
                trigger=run.trigger,
                tool_version=run.tool_version,
                options=dict(run.options),
            )

    def latest_site_report(self, seed_url: str) -> StoredSiteReport | None:
        """The most recent complete scan of this seed URL, in any run."""
        with self._read() as s:
            scan = s.scalar(
                select(SiteScan)
                .where(SiteScan.seed_url == seed_url, SiteScan.state == COMPLETE)
                .options(joinedload(SiteScan.agency))
                .order_by(SiteScan.finished_at.desc(), SiteScan.id.desc())
                .limit(1)
            )
            if scan is None:
                return None
            items = self._items_of(s, SiteScan.id == scan.id)
            return _convert.site_report(scan, items.get(scan.id, []))

    @staticmethod
    def _items_of(s: Session, where: Any) -> dict[int, list[ItemResult]]:
        """Item results (with evidence) of the complete site scans matching ``where``."""
        rows = s.scalars(
            select(ItemResultRow)
            .join(SiteScan)
            .where(where, SiteScan.state == COMPLETE)
            .options(selectinload(ItemResultRow.evidence))
            .order_by(ItemResultRow.site_scan_id, ItemResultRow.id)
        )
        by_scan: dict[int, list[ItemResult]] = {}
        for row in rows:
            by_scan.setdefault(row.site_scan_id, []).append(_convert.item_from_row(row))
        return by_scan

    def evidence_for(self, run_id: int, code: str | None = None) -> list[EvidenceRecord]:
        """The auditor's listing: per complete site scan and item, each evidence URL with the
        hash and time of the fetch the verdict was based on. ``code`` is matched
        case-insensitively ("o18" finds "O18")."""
        query = (
            select(
                SiteScan.id,
                SiteScan.seed_url,
                SiteScan.final_url,
                Agency.code,
                Agency.name,
                ItemResultRow.code,
                ItemResultRow.title_th,
                ItemResultRow.status,
                EvidenceRow.rank,
                EvidenceRow.url,
                EvidenceRow.kind,
                EvidenceRow.matched,
                EvidenceRow.meets_requirements,
                EvidenceRow.click_path,
                EvidenceRow.sha256,
                PageRow.sha256,
                PageRow.fetched_at,
                PageRow.http_status,
            )
            .select_from(ItemResultRow)
            .join(SiteScan, ItemResultRow.site_scan_id == SiteScan.id)
            .outerjoin(Agency, SiteScan.agency_id == Agency.id)
            .outerjoin(EvidenceRow, EvidenceRow.item_result_id == ItemResultRow.id)
            .outerjoin(PageRow, EvidenceRow.page_id == PageRow.id)
            .where(SiteScan.run_id == run_id, SiteScan.state == COMPLETE)
            .order_by(SiteScan.id, ItemResultRow.id, EvidenceRow.rank)
        )
        if code is not None:
            query = query.where(func.upper(ItemResultRow.code) == code.strip().upper())
        with self._read() as s:
            if s.get(ScanRun, run_id) is None:
                raise NotFoundError(f"no scan run with id {run_id}")
            return [
                EvidenceRecord(
                    run_id=run_id,
                    site_scan_id=r[0],
                    seed_url=r[1],
                    final_url=r[2],
                    agency_code=r[3],
                    agency_name=r[4],
                    item_code=r[5],
                    item_title_th=r[6],
                    item_status=r[7],
                    rank=r[8],
                    url=r[9],
                    kind=r[10],
                    matched=r[11],
                    meets_requirements=r[12],
                    click_path=list(r[13] or []),
                    # The rules engine's hash, else the crawler's hash of the same fetch.
                    sha256=(r[14] or r[15]) if r[9] is not None else None,
                    fetched_at=r[16],
                    http_status=r[17],
                )
                for r in s.execute(query)
            ]

    # -- campaigns: planned site scans, claims, leases ---------------------------------------

    def start_campaign_run(
        self,
        catalog_id: str,
        fiscal_year: int,
        trigger: str,
        options: dict[str, Any] | None,
        targets: Sequence[tuple[str, int | None]],
        *,
        schedule_id: int | None = None,
        stale_after: timedelta | None = None,
        tool_version: str | None = None,
    ) -> int:
        """Start a run with one ``queued`` site scan per (seed URL, agency id), in one
        transaction. With ``schedule_id``, refuse (RunInProgressError) while another run of
        that schedule is running, in any process: the schedule row is locked (FOR UPDATE on
        PostgreSQL; SQLite serialises writers) while the check and the insert happen. A
        running run with no sign of life for ``stale_after`` is marked interrupted first."""
        now = utcnow()
        blocked = self._start_campaign_run(
            catalog_id, fiscal_year, trigger, options, targets, schedule_id, stale_after,
            tool_version, now,
        )
        if blocked < 0:
            raise RunInProgressError(
                f"schedule {schedule_id}: run {-blocked} is still running", -blocked
            )
        return blocked

    def _start_campaign_run(
        self,
        catalog_id: str,
        fiscal_year: int,
        trigger: str,
        options: dict[str, Any] | None,
        targets: Sequence[tuple[str, int | None]],
        schedule_id: int | None,
        stale_after: timedelta | None,
        tool_version: str | None,
        now: datetime,
    ) -> int:
        """The new run's id, or minus the id of the run that blocks the schedule (the skip
        is committed too, so `schedule list` shows it)."""
        with self._write() as s:
            if schedule_id is not None:
                schedule = s.get(Schedule, schedule_id, with_for_update=True)
                if schedule is None:
                    raise NotFoundError(f"no schedule with id {schedule_id}")
                active = s.scalars(
                    select(ScanRun).where(
                        ScanRun.schedule_id == schedule_id,
                        ScanRun.state == RunState.RUNNING.value,
                    )
                ).all()
                for run in active:
                    if stale_after is not None and run.heartbeat_at < now - stale_after:
                        run.state = RunState.INTERRUPTED.value
                        run.finished_at = run.heartbeat_at
                        self._fail_running_scans(
                            s, [run.id], "interrupted: no sign of life from its workers", now
                        )
                        continue
                    schedule.last_status = f"skipped: run {run.id} is still running"
                    schedule.last_fired_at = now
                    return -run.id
            run = ScanRun(
                catalog_id=_convert.check_len("catalog id", catalog_id, 64),
                fiscal_year=fiscal_year,
                trigger=trigger,
                state=RunState.RUNNING.value,
                options=dict(options or {}),
                tool_version=tool_version or _tool_version(),
                schedule_id=schedule_id,
                started_at=now,
                heartbeat_at=now,
            )
            s.add(run)
            s.flush()
            seen: set[str] = set()
            for seed_url, agency_id in targets:
                if seed_url in seen:
                    continue
                seen.add(seed_url)
                s.add(
                    SiteScan(
                        run_id=run.id,
                        seed_url=seed_url,
                        agency_id=agency_id,
                        state=QUEUED,
                        started_at=now,
                    )
                )
            if schedule_id is not None:
                schedule = s.get(Schedule, schedule_id)
                assert schedule is not None
                schedule.last_fired_at = now
                schedule.last_status = f"started run {run.id}"
            s.flush()
            return run.id

    def claim_site_scan(
        self,
        run_id: int,
        seed_url: str,
        agency_id: int | None = None,
        *,
        claim_key: str,
        claimed_by: str = "",
        lease: timedelta = timedelta(minutes=2),
    ) -> SiteClaim:
        """Take the scan of ``seed_url`` in run ``run_id`` for one attempt (one transaction).

        - no row yet (a plain scan) or ``queued``/``failed``: start it;
        - ``running`` with the same ``claim_key`` (the same task delivered again after its
          worker died, or retried) or with an expired lease (its worker is gone): start it
          again, with a new token, so the old attempt can no longer write;
        - ``running`` under a live lease of another claimant: SiteBusyError(retry_after);
        - ``complete``, or the run is no longer running: nothing to do (``skipped``).
        """
        for attempt in (1, 2):
            try:
                return self._claim(run_id, seed_url, agency_id, claim_key, claimed_by, lease)
            except StorageError as exc:
                # Two claimants inserted the same (run, URL) at once: the loser retries and
                # then sees the winner's row.
                if attempt == 2 or not isinstance(exc.__cause__, IntegrityError):
                    raise
        raise AssertionError("unreachable")

    def _claim(
        self,
        run_id: int,
        seed_url: str,
        agency_id: int | None,
        claim_key: str,
        claimed_by: str,
        lease: timedelta,
    ) -> SiteClaim:
        now = utcnow()
        with self._write() as s:
            run = s.get(ScanRun, run_id, with_for_update=True)
            if run is None:
                raise NotFoundError(f"no scan run with id {run_id}")
            scan = s.scalar(
                select(SiteScan)
                .where(SiteScan.run_id == run_id, SiteScan.seed_url == seed_url)
                .with_for_update()
            )
            if scan is not None and scan.state == COMPLETE:
                return SiteClaim(scan.id, None, scan.attempts, skipped="already complete")
            if run.state != RunState.RUNNING.value:
                return SiteClaim(
                    scan.id if scan else None, None, skipped=f"run {run_id} is {run.state}"
                )
            if scan is None:
                scan = SiteScan(run_id=run_id, seed_url=seed_url, agency_id=agency_id, attempts=0)
                s.add(scan)
            elif (
                scan.state == RUNNING
                and scan.claim_key != claim_key
                and scan.lease_until is not None
                and scan.lease_until > now
            ):
                raise SiteBusyError(
                    f"site scan {scan.id} ({seed_url}) is being scanned by "
                    f"{scan.claimed_by or 'another worker'}",
                    scan.id,
                    (scan.lease_until - now).total_seconds(),
                )
            token = uuid.uuid4().hex
            scan.state = RUNNING
            scan.claim_key = _convert.check_len("claim key", claim_key, 64)
            scan.claim_token = token
            scan.claimed_by = claimed_by or None
            scan.lease_until = now + lease
            scan.attempts = (scan.attempts or 0) + 1
            scan.started_at = now
            scan.finished_at = None
            scan.reason = None
            if agency_id is not None:
                scan.agency_id = agency_id
            run.heartbeat_at = now
            s.flush()
            return SiteClaim(scan.id, token, scan.attempts)

    def renew_lease(self, site_scan_id: int, token: str, lease: timedelta) -> bool:
        """Extend the claim while the crawl runs (and show the run is alive). False when the
        claim is gone: the scan was taken over, finished or failed."""
        now = utcnow()
        with self._write() as s:
            done = s.execute(
                update(SiteScan)
                .where(
                    SiteScan.id == site_scan_id,
                    SiteScan.claim_token == token,
                    SiteScan.state == RUNNING,
                )
                .values(lease_until=now + lease)
                .returning(SiteScan.run_id)
            ).first()
            if done is None:
                return False
            self._beat(s, done[0])
            return True

    def finish_run_if_done(self, run_id: int) -> bool:
        """Close a running run as complete once none of its site scans is queued or running
        (each worker calls this after its site; the last one closes the run). True if closed
        now."""
        now = utcnow()
        with self._write() as s:
            run = s.get(ScanRun, run_id, with_for_update=True)
            if run is None:
                raise NotFoundError(f"no scan run with id {run_id}")
            if run.state != RunState.RUNNING.value:
                return False
            left = s.scalar(
                select(func.count())
                .select_from(SiteScan)
                .where(SiteScan.run_id == run_id, SiteScan.state.in_(UNFINISHED))
            )
            if left:
                return False
            run.state, run.finished_at, run.heartbeat_at = RunState.COMPLETE.value, now, now
            return True

    def run_progress(self, run_id: int) -> RunProgress:
        with self._read() as s:
            run = s.get(ScanRun, run_id)
            if run is None:
                raise NotFoundError(f"no scan run with id {run_id}")
            counts: dict[str, int] = {
                state: int(n)
                for state, n in s.execute(
                    select(SiteScan.state, func.count())
                    .where(SiteScan.run_id == run_id)
                    .group_by(SiteScan.state)
                )
            }
            return RunProgress(
                run_id=run_id,
                state=run.state,
                total=sum(int(v) for v in counts.values()),
                queued=int(counts.get(QUEUED, 0)),
                running=int(counts.get(RUNNING, 0)),
                complete=int(counts.get(COMPLETE, 0)),
                failed=int(counts.get(FAILED, 0)),
            )

    def fail_abandoned_site_scans(self, older_than: timedelta) -> list[int]:
        """Site scans still ``running`` whose lease expired more than ``older_than`` ago: their
        worker died and no delivery of the task came back (e.g. the broker lost it). Mark them
        failed, close runs that are then done, and return the runs touched."""
        now = utcnow()
        with self._write() as s:
            rows = s.execute(
                select(SiteScan.id, SiteScan.run_id).where(
                    SiteScan.state == RUNNING,
                    SiteScan.lease_until.is_not(None),
                    SiteScan.lease_until < now - older_than,
                )
            ).all()
            if not rows:
                return []
            s.execute(
                update(SiteScan)
                .where(SiteScan.id.in_([r[0] for r in rows]), SiteScan.state == RUNNING)
                .values(
                    state=FAILED,
                    finished_at=now,
                    lease_until=None,
                    reason="its worker stopped (killed or lost) and the task did not come back",
                )
            )
        runs = sorted({r[1] for r in rows})
        for run_id in runs:
            self.finish_run_if_done(run_id)
        return runs

    # -- schedules --------------------------------------------------------------------------

    @staticmethod
    def _schedule_record(
        row: Schedule, last_run: tuple[int, str] | None = None
    ) -> ScheduleRecord:
        return ScheduleRecord(
            id=row.id,
            name=row.name,
            cron=row.cron,
            selection=dict(row.selection or {}),
            catalog=row.catalog,
            backend=row.backend,
            options=dict(row.options or {}),
            enabled=row.enabled,
            created_at=row.created_at,
            updated_at=row.updated_at,
            last_fired_at=row.last_fired_at,
            last_status=row.last_status,
            last_run_id=last_run[0] if last_run else None,
            last_run_state=last_run[1] if last_run else None,
        )

    def add_schedule(
        self,
        *,
        cron: str,
        selection: dict[str, Any],
        name: str | None = None,
        catalog: str | None = None,
        backend: str = "inprocess",
        options: dict[str, Any] | None = None,
        enabled: bool = True,
    ) -> int:
        if backend not in BACKENDS:
            raise ValueError(f"backend must be one of {BACKENDS}, not {backend!r}")
        if catalog:
            _convert.check_len("catalog id", catalog, 64)
        row = Schedule(
            name=name or None,
            cron=cron,
            selection=dict(selection),
            catalog=catalog or None,
            backend=backend,
            options=dict(options or {}),
            enabled=enabled,
        )
        with self._write() as s:
            if name and s.scalar(select(Schedule.id).where(Schedule.name == name)) is not None:
                raise StorageError(f"a schedule named {name!r} exists already")
            s.add(row)
            s.flush()
            return row.id

    def list_schedules(self, *, enabled_only: bool = False) -> list[ScheduleRecord]:
        last = (
            select(ScanRun.schedule_id, func.max(ScanRun.id).label("run_id"))
            .where(ScanRun.schedule_id.is_not(None))
            .group_by(ScanRun.schedule_id)
            .subquery()
        )
        query = (
            select(Schedule, ScanRun.id, ScanRun.state)
            .outerjoin(last, last.c.schedule_id == Schedule.id)
            .outerjoin(ScanRun, ScanRun.id == last.c.run_id)
            .order_by(Schedule.id)
        )
        if enabled_only:
            query = query.where(Schedule.enabled.is_(True))
        with self._read() as s:
            return [
                self._schedule_record(row, (run_id, state) if run_id else None)
                for row, run_id, state in s.execute(query)
            ]

    def get_schedule(self, schedule_id: int) -> ScheduleRecord | None:
        return next((r for r in self.list_schedules() if r.id == schedule_id), None)

    def remove_schedule(self, schedule_id: int) -> bool:
        """Delete a schedule; its past runs stay (their schedule_id becomes NULL)."""
        with self._write() as s:
            row = s.get(Schedule, schedule_id)
            if row is None:
                return False
            s.execute(
                update(ScanRun).where(ScanRun.schedule_id == schedule_id).values(schedule_id=None)
            )
            s.delete(row)
            return True

    def set_schedule_enabled(self, schedule_id: int, enabled: bool) -> bool:
        with self._write() as s:
            row = s.get(Schedule, schedule_id)
            if row is None:
                return False
            row.enabled = enabled
            row.updated_at = utcnow()
            return True

    def schedule_name_taken(self, name: str, *, other_than: int | None = None) -> bool:
        query = select(Schedule.id).where(Schedule.name == name)
        if other_than is not None:
            query = query.where(Schedule.id != other_than)
        with self._read() as s:
            return s.scalar(query.limit(1)) is not None

    def update_schedule(self, schedule_id: int, changes: dict[str, Any]) -> bool:
        """Set some of ``name`` (None or "" clears it), ``cron`` and ``enabled``; False when
        there is no such schedule. ``updated_at`` moves, so the scheduler service reloads
        it. A name another schedule has raises StorageError (names are unique)."""
        unknown = set(changes) - {"name", "cron", "enabled"}
        if unknown:
            raise ValueError(f"cannot change {sorted(unknown)} of a schedule")
        with self._write() as s:
            row = s.get(Schedule, schedule_id)
            if row is None:
                return False
            name = changes.get("name")
            if name and s.scalar(
                select(Schedule.id).where(Schedule.name == name, Schedule.id != schedule_id)
            ) is not None:
                raise StorageError(f"a schedule named {name!r} exists already")
            if "name" in changes:
                row.name = name or None
            if "cron" in changes:
                row.cron = changes["cron"]
            if "enabled" in changes:
                row.enabled = bool(changes["enabled"])
            row.updated_at = utcnow()
            return True

    def record_schedule_status(self, schedule_id: int, status: str) -> None:
        """Note the outcome of a firing that did not start a run (e.g. no agencies match)."""
        with self._write() as s:
            row = s.get(Schedule, schedule_id)
            if row is not None:
                row.last_status = status
                row.last_fired_at = utcnow()

    # -- the agency registry -----------------------------------------------------------------

    def import_agencies(self, rows: Sequence[AgencyInput]) -> AgencyImportStats:
        """Upsert registry rows by code, all in one transaction (all or nothing). A row whose
        code is new may adopt an agency without a code that has the same home page (e.g.
        one recorded by an earlier `oitwatch scan`). Empty (None) fields keep stored values."""
        inserted = updated = unchanged = 0
        with self._write() as s:
            codes = [r.code for r in rows]
            by_code: dict[str, Agency] = {}
            for chunk_start in range(0, len(codes), 500):
                chunk = codes[chunk_start : chunk_start + 500]
                for known in s.scalars(select(Agency).where(Agency.code.in_(chunk))):
                    by_code[known.code or ""] = known
            for row in rows:
                _convert.check_len("agency code", row.code, 32)
                if row.catalog:
                    _convert.check_len("catalog id", row.catalog, 64)
                key = _convert.homepage_key(row.homepage) if row.homepage else None
                agency: Agency | None = by_code.get(row.code)
                if agency is None and key is not None:
                    agency = s.scalar(
                        select(Agency)
                        .where(Agency.homepage_key == key, Agency.code.is_(None))
                        .order_by(Agency.id)
                        .limit(1)
                    )
                values = {
                    "code": row.code,
                    "name": row.name,
                    "type": row.type,
                    "province": row.province,
                    "district": row.district,
                    "homepage": row.homepage,
                    "homepage_key": key,
                    "catalog": row.catalog,
                }
                if agency is None:
                    agency = Agency(**{k: v for k, v in values.items() if v is not None})
                    s.add(agency)
                    inserted += 1
                else:
                    changed = False
                    for attr, value in values.items():
                        if value is not None and getattr(agency, attr) != value:
                            setattr(agency, attr, value)
                            changed = True
                    if changed:
                        agency.updated_at = utcnow()
                        updated += 1
                    else:
                        unchanged += 1
                by_code[row.code] = agency
                s.flush()
        return AgencyImportStats(inserted=inserted, updated=updated, unchanged=unchanged)

    def list_agencies(
        self,
        *,
        province: str | None = None,
        district: str | None = None,
        agency_type: str | None = None,
        catalog: str | None = None,
        search: str | None = None,
        codes: Sequence[str] | None = None,
    ) -> list[AgencyRecord]:
        """Registry rows matching every filter given, ordered by province, district, code.
        ``search`` matches a part of the name, code or home page."""
        query = select(Agency)
        if province is not None:
            query = query.where(Agency.province == province)
        if district is not None:
            query = query.where(Agency.district == district)
        if agency_type is not None:
            query = query.where(Agency.type == agency_type)
        if catalog is not None:
            query = query.where(Agency.catalog == catalog)
        if codes is not None:
            query = query.where(Agency.code.in_(list(codes)))
        if search:
            like = f"%{search.strip().lower()}%"
            query = query.where(
                func.lower(Agency.name).like(like)
                | func.lower(func.coalesce(Agency.code, "")).like(like)
                | func.lower(func.coalesce(Agency.homepage, "")).like(like)
            )
        query = query.order_by(
            func.coalesce(Agency.province, ""),
            func.coalesce(Agency.district, ""),
            func.coalesce(Agency.code, ""),
            Agency.id,
        )
        with self._read() as s:
            return [_agency_record(a) for a in s.scalars(query)]

    def get_agency(self, agency_id: int) -> AgencyRecord | None:
        with self._read() as s:
            agency = s.get(Agency, agency_id)
            return _agency_record(agency) if agency else None

    # -- history and diffs ------------------------------------------------------------------
    # Lean column queries (no ORM objects, no pages): a diff of two 8,000-agency runs reads
    # ~700,000 item rows, so only what a comparison needs is loaded.

    def run_header(self, run_id: int) -> RunHeader | None:
        with self._read() as s:
            run = s.get(ScanRun, run_id)
            return _run_header(run) if run else None

    @staticmethod
    def _site_filter(
        run_id: int | None,
        agency_codes: Sequence[str] | None,
        province: str | None,
        seed_urls: Sequence[str] | None,
    ) -> list[Any]:
        """WHERE terms on SiteScan. Codes and URLs select together (a site is kept when it
        matches either); the province applies on top."""
        where: list[Any] = []
        if run_id is not None:
            where.append(SiteScan.run_id == run_id)
        chosen: list[Any] = []
        if agency_codes:
            ids = select(Agency.id).where(Agency.code.in_(list(agency_codes)))
            chosen.append(SiteScan.agency_id.in_(ids))
        if seed_urls:
            chosen.append(SiteScan.seed_url.in_(list(seed_urls)))
        if chosen:
            where.append(or_(*chosen))
        elif agency_codes is not None or seed_urls is not None:
            where.append(SiteScan.id.is_(None))  # an explicit empty selection selects nothing
        if province is not None:
            where.append(SiteScan.agency_id.in_(select(Agency.id).where(Agency.province == province)))
        return where

    @staticmethod
    def _snapshot_sites(
        s: Session, where: Sequence[Any], *, newest_first: bool = False, limit: int | None = None
    ) -> list[SiteSnapshot]:
        query = (
            select(*_SITE_COLUMNS)
            .select_from(SiteScan)
            .outerjoin(Agency, SiteScan.agency_id == Agency.id)
            .where(*where)
        )
        if newest_first:  # (agency_id, run_id) index: read backwards, stop at the limit
            query = query.order_by(SiteScan.run_id.desc(), SiteScan.id.desc())
        else:
            query = query.order_by(SiteScan.id)
        if limit is not None:
            query = query.limit(limit)
        return [SiteSnapshot(*row) for row in s.connection().execute(query)]

    @staticmethod
    def _snapshot_items(
        s: Session, where: Sequence[Any], item_code: str | None = None
    ) -> dict[int, dict[str, ItemSnapshot]]:
        """Items of the complete site scans matching ``where``, each with its best evidence,
        chosen in SQL (one index lookup per item) so evidence rows never reach Python."""
        other = aliased(EvidenceRow)
        best_rank = (
            select(func.min(other.rank))
            .where(
                other.item_result_id == ItemResultRow.id,
                or_(ItemResultRow.status != "pass", other.meets_requirements.is_(True)),
            )
            .correlate(ItemResultRow)
            .scalar_subquery()
        )
        query = (
            select(
                ItemResultRow.site_scan_id,
                ItemResultRow.code,
                ItemResultRow.title_th,
                ItemResultRow.title_en,
                ItemResultRow.status,
                EvidenceRow.url,
                EvidenceRow.sha256,
                PageRow.sha256,
            )
            .select_from(ItemResultRow)
            .join(SiteScan, ItemResultRow.site_scan_id == SiteScan.id)
            .outerjoin(
                EvidenceRow,
                and_(EvidenceRow.item_result_id == ItemResultRow.id, EvidenceRow.rank == best_rank),
            )
            .outerjoin(PageRow, EvidenceRow.page_id == PageRow.id)
            .where(*where, SiteScan.state == COMPLETE)
        )
        if item_code is not None:
            query = query.where(func.upper(ItemResultRow.code) == item_code.strip().upper())
        by_scan: dict[int, dict[str, ItemSnapshot]] = {}
        # Every site repeats the same 43 titles: keep one copy of each (~100 MB at 8,000 sites).
        titles: dict[tuple[str, str, str], tuple[str, str, str]] = {}
        # Core on the session's connection: plain rows, without the ORM's result machinery
        # (a third of the time at 700,000 rows); fetched in batches, not one by one.
        result = s.connection().execute(query)
        for batch in result.partitions(20_000):
            for scan_id, code, th, en, status, url, ev_sha, page_sha in batch:
                key = (code, th, en)
                code, th, en = titles.setdefault(key, key)
                items = by_scan.get(scan_id)
                if items is None:
                    items = by_scan[scan_id] = {}
                items[code] = ItemSnapshot(
                    code, th, en, status, url, (ev_sha or page_sha) if url is not None else None
                )
        return by_scan

    def run_snapshot(
        self,
        run_id: int,
        *,
        agency_codes: Sequence[str] | None = None,
        province: str | None = None,
        seed_urls: Sequence[str] | None = None,
    ) -> RunSnapshot:
        """Every site scan of a run (or those of some agencies / a province / some seed URLs)
        with the items of the complete ones. NotFoundError when there is no such run."""
        where = self._site_filter(run_id, agency_codes, province, seed_urls)
        with self._read() as s:
            run = s.get(ScanRun, run_id)
            if run is None:
                raise NotFoundError(f"no scan run with id {run_id}")
            return RunSnapshot(
                run=_run_header(run),
                sites=self._snapshot_sites(s, where),
                items=self._snapshot_items(s, where),
            )

    def site_history(
        self,
        *,
        agency_id: int | None = None,
        seed_urls: Sequence[str] | None = None,
        item_code: str | None = None,
        limit: int | None = None,
    ) -> list[HistoryEntry]:
        """The scans of one agency (or, for a site outside the registry, of its seed URLs,
        e.g. the http/https/www variants of one home page) in run order, oldest first; with
        ``limit``, the newest ``limit`` of them. ``item_code`` keeps one item
        (case-insensitive)."""
        if (agency_id is None) == (not seed_urls):
            raise ValueError("give an agency id or seed URLs")
        where = [SiteScan.agency_id == agency_id] if agency_id is not None else [
            SiteScan.seed_url.in_(list(seed_urls or []))
        ]
        with self._read() as s:
            sites = self._snapshot_sites(s, where, newest_first=True, limit=limit)
            if not sites:
                return []
            ids = [site.site_scan_id for site in sites]
            runs = {
                run.id: _run_header(run)
                for run in s.scalars(select(ScanRun).where(ScanRun.id.in_({x.run_id for x in sites})))
            }
            items: dict[int, dict[str, ItemSnapshot]] = {}
            for start in range(0, len(ids), 500):
                chunk = [SiteScan.id.in_(ids[start : start + 500])]
                items.update(self._snapshot_items(s, chunk, item_code))
        entries = [HistoryEntry(runs[x.run_id], x, items.get(x.site_scan_id, {})) for x in sites]
        entries.sort(key=lambda e: (e.run.id, e.site.site_scan_id))
        return entries

    def load_site_reports(
        self,
        run_id: int,
        *,
        agency_codes: Sequence[str] | None = None,
        province: str | None = None,
        seed_urls: Sequence[str] | None = None,
    ) -> list[StoredSiteReport]:
        """Full reports (items and evidence) of some site scans of a run, in start order,
        without loading the rest of the run. NotFoundError when there is no such run."""
        where = self._site_filter(run_id, agency_codes, province, seed_urls)
        with self._read() as s:
            if s.get(ScanRun, run_id) is None:
                raise NotFoundError(f"no scan run with id {run_id}")
            scans = s.scalars(
                select(SiteScan)
                .where(*where)
                .options(joinedload(SiteScan.agency))
                .order_by(SiteScan.id)
            ).all()
            if not scans:
                return []
            items = self._items_of(s, and_(*where))
            return [_convert.site_report(scan, items.get(scan.id, [])) for scan in scans]

    def evidence_page_titles(self, site_scan_id: int) -> dict[str, str]:
        """URL -> title of the fetched pages that are evidence of this site scan (for an
        explanation that says what the page or document is)."""
        query = (
            select(EvidenceRow.url, PageRow.title)
            .join(ItemResultRow, EvidenceRow.item_result_id == ItemResultRow.id)
            .join(PageRow, EvidenceRow.page_id == PageRow.id)
            .where(ItemResultRow.site_scan_id == site_scan_id)
        )
        with self._read() as s:
            return {url: title for url, title in s.execute(query) if title}

    # -- web archives, evidence exports, retention (issue 9; archive/, oitwatch/_cli_evidence.py)

    def record_archive(
        self,
        site_scan_id: int,
        *,
        path: str,
        size: int,
        sha256: str,
        records: int,
        capped: bool = False,
        notes: Sequence[str] = (),
        pointers: dict[str, int] | None = None,
        token: str | None = None,
    ) -> int | None:
        """Store the WARC file of a site scan (replacing an earlier attempt's row) and point
        the scan's evidence rows at their response records: ``pointers`` maps an evidence
        URL to the offset of its record in that file. Returns the archive row's id, or None
        when ``token`` (from claim_site_scan) no longer holds the scan: another attempt
        took it over, and its archive is the one that counts."""
        from .models import ArchiveRow

        with self._write() as s:
            scan = s.get(SiteScan, site_scan_id, with_for_update=True)
            if scan is None:
                raise NotFoundError(f"no site scan with id {site_scan_id}")
            if token is not None and scan.claim_token != token:
                return None
            row = s.scalar(select(ArchiveRow).where(ArchiveRow.site_scan_id == site_scan_id))
            if row is None:
                row = ArchiveRow(site_scan_id=site_scan_id)
                s.add(row)
            row.path = path
            row.size = int(size)
            row.sha256 = _convert.check_len("sha256", sha256, 64)
            row.records = int(records)
            row.capped = bool(capped)
            row.notes = list(notes)
            row.created_at = utcnow()
            row.pruned_at = None
            evidence = s.scalars(
                select(EvidenceRow)
                .join(ItemResultRow, EvidenceRow.item_result_id == ItemResultRow.id)
                .where(ItemResultRow.site_scan_id == site_scan_id)
            )
            for ev in evidence:
                offset = (pointers or {}).get(ev.url)
                ev.warc_file, ev.warc_offset = (path, offset) if offset is not None else (None, None)
            s.flush()
            return row.id

    def archives_of_run(
        self, run_id: int, agency_codes: Sequence[str] | None = None
    ) -> list[ArchiveRecord]:
        """The archives of a run's site scans (optionally of some agencies), in scan order.
        NotFoundError when there is no such run."""
        from .models import ArchiveRow

        query = (
            select(ArchiveRow, SiteScan.seed_url, SiteScan.state, Agency.code, Agency.name)
            .join(SiteScan, ArchiveRow.site_scan_id == SiteScan.id)
            .outerjoin(Agency, SiteScan.agency_id == Agency.id)
            .where(SiteScan.run_id == run_id)
            .order_by(SiteScan.id)
        )
        if agency_codes:
            query = query.where(Agency.code.in_(list(agency_codes)))
        with self._read() as s:
            if s.get(ScanRun, run_id) is None:
                raise NotFoundError(f"no scan run with id {run_id}")
            return [
                ArchiveRecord(
                    site_scan_id=row.site_scan_id, seed_url=seed_url, scan_state=state,
                    agency_code=code, agency_name=name, path=row.path, size=row.size,
                    sha256=row.sha256, records=row.records, capped=row.capped,
                    notes=list(row.notes or []), created_at=row.created_at,
                    pruned_at=row.pruned_at,
                )
                for row, seed_url, state, code, name in s.execute(query)
            ]

    def evidence_records_of_scans(self, site_scan_ids: Sequence[int]) -> list[dict[str, Any]]:
        """Every evidence row of these site scans with its WARC pointer and screenshot, for
        an evidence package (plain dicts, ready for JSON)."""
        if not site_scan_ids:
            return []
        query = (
            select(
                ItemResultRow.site_scan_id, ItemResultRow.code, ItemResultRow.status,
                EvidenceRow.rank, EvidenceRow.url, EvidenceRow.kind, EvidenceRow.sha256,
                EvidenceRow.screenshot, EvidenceRow.warc_file, EvidenceRow.warc_offset,
                PageRow.fetched_at, PageRow.http_status,
            )
            .join(ItemResultRow, EvidenceRow.item_result_id == ItemResultRow.id)
            .outerjoin(PageRow, EvidenceRow.page_id == PageRow.id)
            .where(ItemResultRow.site_scan_id.in_(list(site_scan_ids)))
            .order_by(ItemResultRow.site_scan_id, ItemResultRow.id, EvidenceRow.rank)
        )
        keys = ("site_scan_id", "item", "status", "rank", "url", "kind", "sha256",
                "screenshot", "warc_file", "warc_offset", "fetched_at", "http_status")
        with self._read() as s:
            rows = [dict(zip(keys, r, strict=True)) for r in s.execute(query)]
        for row in rows:
            if row["fetched_at"] is not None:
                row["fetched_at"] = row["fetched_at"].isoformat()
        return rows

    def record_export(
        self, run_id: int, path: str, site_scan_ids: Sequence[int], *,
        manifest_sha256: str = "", files: int = 0,
    ) -> int:
        """Remember an evidence package: its site scans are kept by ``prune`` from now on."""
        from .models import EvidenceExport, EvidenceExportScan

        with self._write() as s:
            if s.get(ScanRun, run_id) is None:
                raise NotFoundError(f"no scan run with id {run_id}")
            export = EvidenceExport(
                run_id=run_id, path=path, files=files,
                manifest_sha256=_convert.check_len("sha256", manifest_sha256, 64),
            )
            s.add(export)
            s.flush()
            s.add_all(
                EvidenceExportScan(export_id=export.id, site_scan_id=scan_id)
                for scan_id in dict.fromkeys(site_scan_ids)
            )
            s.flush()
            return export.id

    def finish_export(self, export_id: int, *, manifest_sha256: str, files: int) -> None:
        """The manifest's hash, once the package is written (``verify`` compares it)."""
        from .models import EvidenceExport

        with self._write() as s:
            export = s.get(EvidenceExport, export_id)
            if export is None:
                raise NotFoundError(f"no evidence export with id {export_id}")
            export.manifest_sha256 = _convert.check_len("sha256", manifest_sha256, 64)
            export.files = files

    def forget_export(self, export_id: int) -> None:
        """Drop the record of an export that could not be written."""
        from sqlalchemy import delete

        from .models import EvidenceExport, EvidenceExportScan

        with self._write() as s:
            s.execute(delete(EvidenceExportScan).where(EvidenceExportScan.export_id == export_id))
            s.execute(delete(EvidenceExport).where(EvidenceExport.id == export_id))

    def get_export(self, export_id: int) -> dict[str, Any] | None:
        from .models import EvidenceExport, EvidenceExportScan

        with self._read() as s:
            export = s.get(EvidenceExport, export_id)
            if export is None:
                return None
            scans = s.scalars(
                select(EvidenceExportScan.site_scan_id)
                .where(EvidenceExportScan.export_id == export_id)
                .order_by(EvidenceExportScan.site_scan_id)
            ).all()
            return {
                "id": export.id, "run_id": export.run_id, "path": export.path,
                "manifest_sha256": export.manifest_sha256, "files": export.files,
                "created_at": export.created_at, "site_scan_ids": list(scans),
            }

    def prune(
        self,
        *,
        keep_runs: int | None = None,
        keep_archives_days: float | None = None,
        dry_run: bool = False,
        now: datetime | None = None,
    ) -> PruneResult:
        """Retention. ``keep_runs``: delete the runs older than the newest N (their site
        scans, pages, results and archive rows go with them); ``keep_archives_days``: delete
        WARC files older than D days (the row stays, with ``pruned_at``). Never touched:
        running runs; the last run of every agency (its newest run with a complete scan,
        and its newest run at all; a site without an agency counts by seed URL); and every
        site scan an evidence export holds, with its run and archive.

        The database is changed here; the files are not: the caller deletes
        ``PruneResult.files`` (archives of deleted runs and pruned archives) after this
        returned. ``dry_run``: the same answer, nothing changed."""
        from sqlalchemy import String, cast, delete

        from .models import ArchiveRow, EvidenceExport, EvidenceExportScan

        now = now or utcnow()
        result = PruneResult(dry_run=dry_run)
        with self._write() as s:
            all_runs = list(s.scalars(select(ScanRun.id).order_by(ScanRun.id.desc())))
            running = set(s.scalars(
                select(ScanRun.id).where(ScanRun.state == RunState.RUNNING.value)
            ))
            key = func.coalesce(cast(SiteScan.agency_id, String), SiteScan.seed_url)
            last = set(s.scalars(
                select(func.max(SiteScan.run_id)).where(SiteScan.state == COMPLETE).group_by(key)
            )) | set(s.scalars(select(func.max(SiteScan.run_id)).group_by(key)))
            exported_scans = set(s.scalars(select(EvidenceExportScan.site_scan_id)))
            exported = set(s.scalars(select(EvidenceExport.run_id))) | set(s.scalars(
                select(SiteScan.run_id).join(
                    EvidenceExportScan, EvidenceExportScan.site_scan_id == SiteScan.id
                )
            ))
            result.kept_last_of_agency = sorted(last)
            result.kept_exported = sorted(exported)
            doomed: list[int] = []
            if keep_runs is not None:
                for run_id in all_runs[max(0, keep_runs):]:
                    if run_id in running or run_id in last or run_id in exported:
                        continue
                    doomed.append(run_id)
            result.deleted_runs = sorted(doomed)
            if doomed:
                result.files += [
                    p for p in s.scalars(
                        select(ArchiveRow.path)
                        .join(SiteScan, ArchiveRow.site_scan_id == SiteScan.id)
                        .where(SiteScan.run_id.in_(doomed), ArchiveRow.pruned_at.is_(None))
                    )
                ]
            if keep_archives_days is not None:
                cutoff = now - timedelta(days=keep_archives_days)
                old = s.execute(
                    select(ArchiveRow.id, ArchiveRow.path, ArchiveRow.site_scan_id, SiteScan.run_id)
                    .join(SiteScan, ArchiveRow.site_scan_id == SiteScan.id)
                    .where(ArchiveRow.created_at < cutoff, ArchiveRow.pruned_at.is_(None))
                ).all()
                protected = last | exported | running
                for archive_id, path, scan_id, run_id in old:
                    if run_id in doomed or run_id in protected or scan_id in exported_scans:
                        continue
                    result.pruned_archives.append(archive_id)
                    result.files.append(path)
            if doomed:
                result.screenshots = self._orphaned_screenshots(s, doomed)
            if dry_run:
                return result  # only read so far: nothing to undo
            if result.pruned_archives:
                s.execute(
                    update(ArchiveRow)
                    .where(ArchiveRow.id.in_(result.pruned_archives))
                    .values(pruned_at=now)
                )
            if doomed:
                # ON DELETE CASCADE takes site scans, pages, results, evidence, archive rows
                s.execute(delete(ScanRun).where(ScanRun.id.in_(doomed)))
        return result

    @staticmethod
    def _orphaned_screenshots(s: Session, doomed: Sequence[int]) -> list[str]:
        """Screenshot names (PNG sha256) that only the doomed runs' evidence uses. The store
        is shared by hash, so a PNG seen again in a kept run stays."""
        def used(where: Any) -> set[str]:
            query = (
                select(EvidenceRow.screenshot, EvidenceRow.image_url)
                .join(ItemResultRow, EvidenceRow.item_result_id == ItemResultRow.id)
                .join(SiteScan, ItemResultRow.site_scan_id == SiteScan.id)
                .where(where, or_(EvidenceRow.screenshot != "",
                                  EvidenceRow.image_url.like("screenshot:%")))
            )
            names: set[str] = set()
            for shot, image in s.execute(query):
                if shot:
                    names.add(shot)
                if image and image.startswith("screenshot:"):
                    names.add(image.removeprefix("screenshot:"))
            return names

        return sorted(used(SiteScan.run_id.in_(doomed)) - used(SiteScan.run_id.not_in(doomed)))


@dataclass
class ArchiveRecord:
    """A site scan's web archive (Repository.archives_of_run)."""

    site_scan_id: int
    seed_url: str
    scan_state: str
    agency_code: str | None
    agency_name: str | None
    path: str
    size: int
    sha256: str
    records: int
    capped: bool
    notes: list[str]
    created_at: datetime
    pruned_at: datetime | None


@dataclass
class PruneResult:
    """What ``Repository.prune`` deleted (or, with ``dry_run``, would delete)."""

    dry_run: bool = False
    deleted_runs: list[int] = field(default_factory=list)
    pruned_archives: list[int] = field(default_factory=list)  # archive row ids
    files: list[str] = field(default_factory=list)  # WARC files for the caller to delete
    # screenshot PNGs (sha256 names in the store) no kept evidence uses: the caller deletes
    screenshots: list[str] = field(default_factory=list)
    kept_last_of_agency: list[int] = field(default_factory=list)  # run ids
    kept_exported: list[int] = field(default_factory=list)  # run ids
