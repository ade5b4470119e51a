"""Schedules: stored in the database, fired by APScheduler 3 in Asia/Bangkok, never two runs
of one schedule at once (also across scheduler processes)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from apscheduler.triggers.interval import IntervalTrigger
from typer.testing import CliRunner

from oitwatch.cli import app
from scheduler import BANGKOK, SchedulerService, cron_trigger, last_missed_fire, next_fire_times
from storage import AgencyInput, Repository

from .conftest import GatedSite, wait_until

runner = CliRunner()
FAST = {"max_pages": 10, "min_delay": 0.0, "site_concurrency": 2, "screenshots": False}


def _flat(text: str) -> str:
    return " ".join(text.split())


def every_second(schedule: Any) -> IntervalTrigger:
    """The test hook: the stored cron is replaced by a 1-second interval."""
    return IntervalTrigger(seconds=1, timezone=BANGKOK)


def _runs(repo: Repository, schedule_id: int) -> list[Any]:
    return sorted((r for r in repo.list_runs(limit=100) if r.schedule_id == schedule_id),
                  key=lambda r: r.id)


def test_schedule_fires_and_never_runs_twice_at_once(
    pg_repo: Repository, gated_site: GatedSite
) -> None:
    pg_repo.import_agencies([AgencyInput(code="slow", name="อบต.ช้า", province="ช้า",
                                         homepage=gated_site.url)])
    schedule_id = pg_repo.add_schedule(cron="0 1 * * *", selection={"province": "ช้า"},
                                       options=FAST)
    # two services on one database: as two scheduler processes would be
    first = SchedulerService(pg_repo, trigger_factory=every_second, poll_interval=3600)
    second = SchedulerService(pg_repo, trigger_factory=every_second, poll_interval=3600)
    try:
        first.start()
        assert gated_site.arrived.wait(30), "the schedule never fired"
        second.start()
        skipped = wait_until(
            lambda: [f for f in first.fired + second.fired if f.status == "skipped"],
            30, "a firing skipped while the run goes on")
        [run] = _runs(pg_repo, schedule_id)
        assert run.state == "running" and f"run {run.id} is still running" in skipped[0].message
        status = pg_repo.get_schedule(schedule_id)
        assert status is not None
        assert status.last_status == f"skipped: run {run.id} is still running"

        gated_site.release()
        wait_until(lambda: len([r for r in _runs(pg_repo, schedule_id)
                                if r.state == "complete"]) >= 2, 60, "a second, later run")
    finally:
        first.shutdown()
        second.shutdown()
    runs = _runs(pg_repo, schedule_id)
    assert all(r.state == "complete" for r in runs)
    for earlier, later in zip(runs, runs[1:], strict=False):
        assert earlier.finished_at is not None and later.started_at >= earlier.finished_at
    assert all(r.trigger == "schedule" for r in runs)


def test_service_follows_the_table(pg_repo: Repository) -> None:
    service = SchedulerService(pg_repo, poll_interval=3600)
    try:
        service.start()
        assert [job for job, _ in service.jobs()] == ["sync-schedules"]
        schedule_id = pg_repo.add_schedule(cron="0 1 * * *", selection={"all": True})
        service.sync()
        jobs = dict(service.jobs())
        next_run = jobs[f"schedule-{schedule_id}"]
        assert next_run is not None and next_run.tzinfo is not None
        local = next_run.astimezone(BANGKOK)
        assert (local.hour, local.minute) == (1, 0)  # 01:00 in Bangkok = 18:00 UTC
        pg_repo.set_schedule_enabled(schedule_id, False)
        service.sync()
        assert f"schedule-{schedule_id}" not in dict(service.jobs())
    finally:
        service.shutdown()


def test_missed_fire_time_is_run_once_at_start() -> None:
    trigger = cron_trigger("0 1 * * *")
    last = datetime(2026, 11, 20, 1, 0, 4, tzinfo=BANGKOK)
    now = datetime(2026, 11, 22, 1, 30, tzinfo=BANGKOK)  # down across two fire times
    assert last_missed_fire(trigger, last, now, timedelta(hours=6)) == datetime(
        2026, 11, 22, 1, 0, tzinfo=BANGKOK)  # only the latest: coalesced
    assert last_missed_fire(trigger, last, now + timedelta(hours=7), timedelta(hours=6)) is None
    assert next_fire_times("0 1 * * *", 2, now) == [
        datetime(2026, 11, 23, 1, 0, tzinfo=BANGKOK), datetime(2026, 11, 24, 1, 0, tzinfo=BANGKOK)]


def test_schedule_cli(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 's.sqlite3'}"
    bad = runner.invoke(app, ["schedule", "add", "--cron", "0 25 * * *", "--all", "--db", db])
    assert bad.exit_code == 2 and "cron" in bad.output and "Traceback" not in bad.output
    two = runner.invoke(app, ["schedule", "add", "--cron", "0 1 * * *", "--all",
                              "--province", "เลย", "--db", db])
    assert two.exit_code == 2
    added = runner.invoke(app, ["schedule", "add", "--cron", "0 1 * * *", "--province", "ขอนแก่น",
                                "--name", "ขอนแก่น nightly", "--backend", "celery", "--db", db])
    assert added.exit_code == 0, added.output
    assert "01:00" in added.output and "added schedule 1" in _flat(added.output)
    assert "warning" in added.output  # nothing registered in ขอนแก่น yet
    listing = runner.invoke(app, ["schedule", "list", "--db", db], env={"COLUMNS": "250"})
    assert listing.exit_code == 0 and "0 1 * * *" in listing.stdout and "celery" in listing.stdout
    assert runner.invoke(app, ["schedule", "disable", "1", "--db", db]).exit_code == 0
    assert "disabled" in runner.invoke(app, ["schedule", "list", "--db", db],
                                       env={"COLUMNS": "250"}).stdout
    fired = runner.invoke(app, ["schedule", "run", "1", "--db", db])
    assert fired.exit_code == 1 and "no registered agency" in _flat(fired.output)
    assert runner.invoke(app, ["schedule", "remove", "1", "--db", db]).exit_code == 0
    missing = runner.invoke(app, ["schedule", "remove", "1", "--db", db])
    assert missing.exit_code == 2


def test_scheduler_service_command_runs_and_stops_on_sigterm(tmp_path: Path) -> None:
    """`oitwatch scheduler` as docker compose runs it: health file touched, SIGTERM stops it."""
    import os
    import signal
    import subprocess
    import sys
    import time

    db = f"sqlite:///{tmp_path / 'svc.sqlite3'}"
    added = runner.invoke(app, ["schedule", "add", "--cron", "0 1 * * *", "--all", "--db", db])
    assert added.exit_code == 0, added.output
    health = tmp_path / "alive"
    log = tmp_path / "scheduler.log"
    with log.open("wb") as fh:
        process = subprocess.Popen(
            [sys.executable, "-m", "oitwatch", "scheduler", "--db", db, "--health-file",
             str(health)], stdout=fh, stderr=subprocess.STDOUT, env={**os.environ},
        )
    try:
        wait_until(health.exists, 60, "the health file")
        time.sleep(0.5)
        assert process.poll() is None, log.read_text()
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0, log.read_text()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
    text = log.read_text()
    assert "Traceback" not in text
    assert "schedule 1 (0 1 * * *): next run" in text
