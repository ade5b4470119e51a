"""The scheduler service: the schedule table, copied into APScheduler 3, kept in sync.

- Every schedule becomes one APScheduler job (CronTrigger in Asia/Bangkok) with
  ``coalesce=True`` (runs missed while the service was busy or down become one run),
  ``max_instances=1`` and a misfire grace time.
- The table is the source of truth: the service re-reads it every ``poll_interval``
  seconds and adds, reschedules or removes jobs whose row changed.
- A fire time missed while the service was stopped (e.g. restarted at 01:30 for a 01:00
  schedule) is run once at start, if within the grace time.
- "Never two runs of one schedule at once" holds across processes too: the run is started
  by ``Repository.start_campaign_run`` under a lock on the schedule row, which refuses
  while the previous run is alive (max_instances only covers this process).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.interval import IntervalTrigger

from storage import Repository, ScheduleRecord, StorageError

from ._triggers import BANGKOK, CronError, cron_trigger, last_missed_fire

__all__ = ["SchedulerService"]

log = logging.getLogger("oitwatch.scheduler")

TriggerFactory = Callable[[ScheduleRecord], BaseTrigger]
FireFunction = Callable[[Repository, int], Any]


def _default_trigger(schedule: ScheduleRecord) -> BaseTrigger:
    return cron_trigger(schedule.cron)


class SchedulerService:
    """Runs the stored schedules. ``start()`` runs in background threads (tests, embedding);
    ``run_forever()`` blocks (``oitwatch scheduler``)."""

    def __init__(
        self,
        repo: Repository,
        *,
        broker: str | None = None,
        queue: str | None = None,
        poll_interval: float = 60.0,
        stale_after: timedelta = timedelta(hours=2),
        misfire_grace: timedelta = timedelta(hours=6),
        abandon_after: timedelta | None = timedelta(hours=2),
        max_parallel: int = 4,
        trigger_factory: TriggerFactory | None = None,
        fire: FireFunction | None = None,
        health_file: Path | None = None,
        blocking: bool = False,
    ) -> None:
        self.repo = repo
        self.broker = broker
        self.queue = queue
        self.poll_interval = poll_interval
        self.stale_after = stale_after
        self.misfire_grace = misfire_grace
        self.abandon_after = abandon_after
        self.trigger_factory = trigger_factory or _default_trigger
        self._fire_function = fire
        self.health_file = health_file
        self.fired: list[Any] = []  # results of firings, newest last (for tests and logs)
        self._known: dict[int, tuple[Any, ...]] = {}
        self._lock = threading.Lock()
        kind = BlockingScheduler if blocking else BackgroundScheduler
        self.scheduler: BaseScheduler = kind(
            timezone=BANGKOK,
            executors={"default": ThreadPoolExecutor(max_parallel)},
            job_defaults={
                "coalesce": True,
                "max_instances": 1,
                "misfire_grace_time": int(misfire_grace.total_seconds()),
            },
        )

    # -- the jobs ---------------------------------------------------------------------------

    def _fire(self, schedule_id: int) -> None:
        from oitwatch.campaign import fire_schedule

        try:
            if self._fire_function is not None:
                result = self._fire_function(self.repo, schedule_id)
            else:
                result = fire_schedule(
                    self.repo, schedule_id, broker=self.broker, queue=self.queue,
                    stale_after=self.stale_after,
                )
        except Exception:  # a firing must never kill the service
            log.exception("schedule %s: firing failed", schedule_id)
            return
        log.info("schedule %s: %s", schedule_id, result)
        self.fired.append(result)

    def sync(self, *, at_start: bool = False) -> None:
        """Make APScheduler's jobs match the schedule table."""
        with self._lock:
            try:
                schedules = self.repo.list_schedules()
                closed = (
                    self.repo.fail_abandoned_site_scans(self.abandon_after)
                    if self.abandon_after is not None
                    else []
                )
            except StorageError as exc:
                log.warning("cannot read the schedules (will retry): %s", exc)
                return
            wanted = {s.id: s for s in schedules if s.enabled}
            for schedule_id in list(self._known):
                if schedule_id not in wanted:
                    self._remove(schedule_id)
            for schedule in wanted.values():
                signature = (schedule.cron, schedule.updated_at, schedule.enabled)
                if self._known.get(schedule.id) == signature:
                    continue
                self._add(schedule, catch_up=at_start)
                self._known[schedule.id] = signature
            if self.health_file is not None:
                self.health_file.touch()
        if closed:  # runs of vanished workers the sweep just closed: their alerts
            from oitwatch.campaign import send_alerts

            for run_id in closed:
                send_alerts(self.repo, run_id)

    def _remove(self, schedule_id: int) -> None:
        job = self.scheduler.get_job(f"schedule-{schedule_id}")
        if job is not None:
            job.remove()
        self._known.pop(schedule_id, None)
        log.info("schedule %s removed or disabled", schedule_id)

    def _add(self, schedule: ScheduleRecord, *, catch_up: bool) -> None:
        try:
            trigger = self.trigger_factory(schedule)
        except CronError as exc:
            log.error("schedule %s not scheduled: %s", schedule.id, exc)
            return
        kwargs: dict[str, Any] = {}
        now = datetime.now(BANGKOK)
        if catch_up and not isinstance(trigger, IntervalTrigger):
            since = schedule.last_fired_at or schedule.created_at
            missed = last_missed_fire(trigger, since, now, self.misfire_grace)
            if missed is not None:
                log.info("schedule %s missed %s while stopped: running it now", schedule.id,
                         missed.isoformat())
                kwargs["next_run_time"] = missed
        self.scheduler.add_job(
            self._fire,
            trigger,
            args=(schedule.id,),
            id=f"schedule-{schedule.id}",
            name=schedule.name or f"schedule {schedule.id}",
            replace_existing=True,
            **kwargs,
        )
        job = self.scheduler.get_job(f"schedule-{schedule.id}")
        log.info("schedule %s (%s): next run %s", schedule.id, schedule.cron,
                 getattr(job, "next_run_time", None) or "when the service starts")

    # -- life cycle ---------------------------------------------------------------------------

    def _prepare(self) -> None:
        self.scheduler.add_job(
            self.sync,
            IntervalTrigger(seconds=self.poll_interval, timezone=BANGKOK),
            id="sync-schedules",
            name="re-read the schedule table",
            replace_existing=True,
        )

    def start(self) -> SchedulerService:
        self._prepare()
        self.scheduler.start()  # BackgroundScheduler: returns at once
        self.sync(at_start=True)
        return self

    def run_forever(self) -> None:
        self._prepare()
        # a BlockingScheduler does not return from start(): the first sync is a job that
        # runs at once
        self.scheduler.add_job(self.sync, kwargs={"at_start": True}, id="first-sync")
        self.scheduler.start()

    def shutdown(self, wait: bool = True) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=wait)

    def jobs(self) -> list[tuple[str, datetime | None]]:
        return [(job.id, getattr(job, "next_run_time", None)) for job in self.scheduler.get_jobs()]
