"""Scans started from the dashboard or the API.

The run and its queued site scans are created at once (one transaction), so the caller can
show the run's progress page immediately; the sites are then scanned by a thread of this
server ("inprocess", one campaign at a time, the others wait their turn) or by Celery
workers ("celery"). Progress is read from the database either way (Repository.run_progress)."""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from oitwatch.campaign import (
    CampaignError,
    Selection,
    enqueue,
    plan_campaign,
    run_inprocess,
    start_campaign,
)
from oitwatch.scan import ScanOptions
from rules import RuleError, load_catalog
from storage import Repository

__all__ = ["ScanJobs", "StartedScan", "ScanStartError"]

log = logging.getLogger(__name__)


class ScanStartError(Exception):
    """A scan that cannot start (nothing selected, unknown agency, broker down), in Thai and
    English, for a 400/409/503 answer."""

    def __init__(self, th: str, en: str, status: int = 400) -> None:
        super().__init__(en)
        self.th = th
        self.en = en
        self.status = status


@dataclass(frozen=True, slots=True)
class StartedScan:
    run_id: int
    sites: int
    backend: str


class ScanJobs:
    def __init__(
        self,
        repo: Repository,
        *,
        backend: str = "inprocess",
        broker: str | None = None,
        options: dict[str, Any] | None = None,
    ) -> None:
        if backend not in ("inprocess", "celery"):
            raise ValueError(f"unknown backend {backend!r}")
        self.repo = repo
        self.backend = backend
        self.broker = broker
        self.options = dict(options or {})
        self._pool: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()
        self.futures: dict[int, Future[Any]] = {}

    def start(
        self,
        selection: Selection,
        *,
        catalog_id: str | None = None,
        max_pages: int | None = None,
        trigger: str = "dashboard",
    ) -> StartedScan:
        try:
            plan = plan_campaign(self.repo, selection, catalog_id)
            catalog = load_catalog(plan.catalog_id)
        except CampaignError as exc:
            raise ScanStartError(exc.th, exc.en) from exc
        except RuleError as exc:
            raise ScanStartError(f"โหลดชุดกฎไม่ได้: {exc}", f"cannot load the catalog: {exc}") from exc
        settings = {**self.options, "trigger": trigger}
        if max_pages is not None:
            settings["max_pages"] = max_pages
        options = ScanOptions.from_dict(settings)
        run_id = start_campaign(self.repo, plan, catalog, options, backend=self.backend)
        if self.backend == "celery":
            try:
                enqueue(run_id, plan, options, broker=self.broker)
            except Exception as exc:  # kombu OperationalError and friends: broker away
                self.repo.finish_run(run_id, "interrupted")
                raise ScanStartError(
                    f"ส่งงานให้ Celery ไม่ได้: {exc}", f"cannot reach the Celery broker: {exc}", 503
                ) from exc
        else:
            with self._lock:
                if self._pool is None:
                    self._pool = ThreadPoolExecutor(1, thread_name_prefix="oitwatch-scan")
                self.futures[run_id] = self._pool.submit(
                    self._scan, plan, catalog, run_id, options
                )
        return StartedScan(run_id, len(plan.targets), self.backend)

    def _scan(self, plan: Any, catalog: Any, run_id: int, options: ScanOptions) -> None:
        try:
            run_inprocess(self.repo, plan, catalog, run_id, options)
        except Exception:
            log.exception("dashboard scan: run %s failed", run_id)
            try:
                self.repo.finish_run(run_id, "interrupted")
            except Exception:
                log.exception("run %s could not be closed", run_id)

    def shutdown(self, wait: bool = False) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=wait, cancel_futures=True)
