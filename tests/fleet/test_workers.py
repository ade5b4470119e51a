"""Celery workers as real processes: Redis on 127.0.0.1, results in the PostgreSQL test
schema, sample sites served by this test process. A worker killed mid-scan: the site is
scanned again and recorded once."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from typer.testing import CliRunner

from oitwatch.campaign import Selection, enqueue, plan_campaign, start_campaign
from oitwatch.cli import app
from oitwatch.sampleserver import SampleServer
from oitwatch.scan import ScanOptions
from rules import load_catalog
from storage import AgencyInput, Repository
from storage.models import ItemResultRow, SiteScan

from .conftest import GatedSite, register, wait_until

runner = CliRunner()
OPTIONS = ScanOptions(max_pages=20, min_delay=0.0, lease_seconds=30.0, trigger="test",
                      screenshots=False)


def _start_slow_campaign(repo: Repository, site: GatedSite) -> tuple[int, str]:
    repo.import_agencies([AgencyInput(code="slow", name="อบต.ช้า", homepage=site.url)])
    plan = plan_campaign(repo, Selection(agencies=("slow",)))
    run_id = start_campaign(repo, plan, load_catalog(plan.catalog_id), OPTIONS, backend="celery")
    assert enqueue(run_id, plan, OPTIONS) == 1
    return run_id, plan.targets[0].seed_url


def _rows(repo: Repository, run_id: int) -> list[Any]:
    with repo.db.session() as s:
        return list(s.scalars(select(SiteScan).where(SiteScan.run_id == run_id)))


def _claimant_pid(repo: Repository, run_id: int) -> int:
    [row] = _rows(repo, run_id)
    assert row.state == "running" and row.claimed_by
    return int(row.claimed_by.rsplit(" ", 1)[1])  # "host pid 1234"


def _assert_recorded_once(repo: Repository, run_id: int, killed_pid: int) -> None:
    progress = wait_until(
        lambda: (p := repo.run_progress(run_id)).state == "complete" and p,
        90, "the run to complete after the rescan")
    assert (progress.total, progress.complete) == (1, 1)
    [row] = _rows(repo, run_id)
    assert row.state == "complete" and row.status == "ok" and row.attempts == 2
    assert int((row.claimed_by or "").rsplit(" ", 1)[1]) != killed_pid
    with repo.db.session() as s:
        items = s.scalar(select(func.count()).select_from(ItemResultRow)
                         .where(ItemResultRow.site_scan_id == row.id))
    assert items == len(load_catalog("ita-2566").items)  # one set of results, not two


def test_campaign_on_a_celery_worker(
    pg_repo: Repository, pg_url: str, samples: SampleServer, start_worker: Any
) -> None:
    register(pg_repo, samples, province="ขอนแก่น")
    worker = start_worker(pg_url, "w", concurrency=2)
    result = runner.invoke(app, [
        "scan", "--province", "ขอนแก่น", "--backend", "celery", "--db", pg_url,
        "--delay", "0", "--no-screenshots", "--max-pages", "30", "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    status = {s["agency"]["code"]: s["status"] for s in doc["sites"]}
    assert status == {"demo-compliant": "ok", "demo-hub": "ok",
                      "demo-unreachable": "unreachable", "demo-waf_blocked": "blocked"}
    compliant = next(s for s in doc["sites"] if s["agency"]["code"] == "demo-compliant")
    assert sum(i["status"] == "pass" for i in compliant["items"]) >= 9
    [run] = pg_repo.list_runs()
    assert run.state == "complete" and run.sites_complete == 4
    assert f"run {run.id} " in worker.text()  # the worker did the scanning


def test_no_wait_returns_at_once_and_workers_finish(
    pg_repo: Repository, pg_url: str, samples: SampleServer, start_worker: Any
) -> None:
    register(pg_repo, samples)
    start_worker(pg_url, "w", concurrency=2)
    result = runner.invoke(app, ["scan", "--agency", "demo-compliant", "--agency", "demo-hub",
                                 "--backend", "celery", "--no-wait", "--db", pg_url,
                                 "--delay", "0", "--no-screenshots"])
    assert result.exit_code == 0, result.output
    [run] = pg_repo.list_runs()
    wait_until(lambda: pg_repo.run_progress(run.id).state == "complete", 90, "the workers")
    assert pg_repo.run_progress(run.id).complete == 2


def test_pool_process_killed_mid_scan_site_rescanned_recorded_once(
    pg_repo: Repository, pg_url: str, gated_site: GatedSite, start_worker: Any
) -> None:
    """SIGKILL of the process scanning (e.g. the OOM killer): with acks_late and
    reject_on_worker_lost the task goes back to the queue at once and is scanned again."""
    start_worker(pg_url, "a", concurrency=1)
    run_id, _ = _start_slow_campaign(pg_repo, gated_site)
    assert gated_site.arrived.wait(60), "the worker never asked for the home page"
    pid = wait_until(lambda: _claimant_pid(pg_repo, run_id), 30, "the claim")
    os.kill(pid, signal.SIGKILL)
    gated_site.release()
    _assert_recorded_once(pg_repo, run_id, pid)
    assert gated_site.home_hits >= 2  # asked again by the second attempt


def test_worker_machine_dies_site_rescanned_by_another_worker(
    pg_repo: Repository, pg_url: str, gated_site: GatedSite, start_worker: Any, tmp_path: Path
) -> None:
    """The whole worker (its main process and pool) is SIGKILLed, so nobody gives the task
    back: Redis hands it to the other worker after the visibility timeout (5 s here)."""
    short = {"OITWATCH_VISIBILITY_TIMEOUT": "5"}
    doomed = start_worker(pg_url, "doomed", concurrency=1, **short)
    run_id, url = _start_slow_campaign(pg_repo, gated_site)
    assert gated_site.arrived.wait(60), "the worker never asked for the home page"
    pid = wait_until(lambda: _claimant_pid(pg_repo, run_id), 30, "the claim")
    survivor = start_worker(pg_url, "survivor", concurrency=1, **short)
    doomed.kill()
    gated_site.release()
    _assert_recorded_once(pg_repo, run_id, pid)
    assert f"run {run_id} {url}: complete ok" in survivor.text()
