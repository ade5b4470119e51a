"""Every query oitwatch runs. Callers get plain dataclasses back, never ORM objects.

A scan's life in the database::

    run = repo.start_run("ita-2566", 2566, "cli", {"max_pages": 300})
    scan = repo.start_site_scan(run, "https://example.go.th/")   # committed: state running
    repo.finish_site_scan(scan, crawl, results)                  # one transaction: complete
    repo.finish_run(run)

A process killed mid-run leaves ``running`` rows; ``mark_stale_runs_interrupted`` later turns
them into ``interrupted`` runs with ``failed`` site scans. Item results exist only for
``complete`` site scans, so no report can show half-written results as finished.
"""

from __future__ import annotations

import importlib.metadata
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload, selectinload

from crawler._models import SiteCrawl
from rules._result import ItemResult

from . import _convert
from .errors import NotFoundError, SiteScanWriteError, StorageError
from .models import (
    Agency,
    EvidenceRow,
    ItemResultRow,
    PageRow,
    RunState,
    ScanRun,
    SiteScan,
    SiteScanState,
    utcnow,
)
from .records import AgencyRecord, EvidenceRecord, RunSummary, StoredRunReport, StoredSiteReport
from .session import Database

__all__ = ["Repository"]

RUNNING, COMPLETE, FAILED = (s.value for s in SiteScanState)


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


class Repository:
    def __init__(self, db: Database) -> None:
        self.db = db

    # -- transactions -------------------------------------------------------------------

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
        self, site_scan_id: int, crawl: SiteCrawl, results: list[ItemResult]
    ) -> None:
        """Write pages, item results and evidence, and mark the scan complete, all in one
        transaction. On any failure nothing of it is kept: the scan is marked ``failed`` (in
        a second transaction) with the error as reason, and SiteScanWriteError is raised."""
        try:
            with self._write() as s:
                self._write_results(s, site_scan_id, crawl, results)
        except (NotFoundError, SiteScanWriteError):
            raise
        except Exception as exc:
            detail = f"could not save results: {type(exc).__name__}: {exc}"
            try:
                self.fail_site_scan(site_scan_id, detail)
            except StorageError:
                pass  # database gone: the scan stays "running" and is swept up as interrupted
            raise SiteScanWriteError(f"site scan {site_scan_id}: {detail}") from exc

    def _write_results(
        self, s: Session, site_scan_id: int, crawl: SiteCrawl, results: list[ItemResult]
    ) -> None:
        # FOR UPDATE (PostgreSQL): a concurrent fail/sweep waits for us, or we see its result.
        scan = s.get(SiteScan, site_scan_id, with_for_update=True)
        if scan is None:
            raise NotFoundError(f"no site scan with id {site_scan_id}")
        if scan.state != RUNNING:
            # Never overwrite a complete scan or revive a failed one (e.g. swept as stale).
            raise SiteScanWriteError(f"site scan {site_scan_id} is {scan.state}, not running")
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
        scan.state = COMPLETE
        s.flush()  # surface constraint errors here, inside the try of finish_site_scan
        # Last, so concurrent writers of the same run hold the run row's lock only briefly.
        self._beat(s, scan.run_id)

    def fail_site_scan(self, site_scan_id: int, reason: str) -> bool:
        """Mark a running site scan failed. Returns False (and changes nothing) when it is no
        longer running: a complete scan is never downgraded."""
        with self._write() as s:
            scan = s.get(SiteScan, site_scan_id, with_for_update=True)
            if scan is None:
                raise NotFoundError(f"no site scan with id {site_scan_id}")
            if scan.state != RUNNING:
                return False
            scan.state = FAILED
            scan.reason = reason
            scan.finished_at = utcnow()
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
            .where(SiteScan.run_id.in_(run_ids), SiteScan.state == RUNNING)
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
            )
            .group_by(SiteScan.run_id)
            .subquery()
        )
        query = (
            select(ScanRun, counts.c.sites, counts.c.complete, counts.c.failed, counts.c.running)
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
                )
                for run, sites, complete, failed, running in s.execute(query)
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
