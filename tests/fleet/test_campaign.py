"""Campaigns in process: planned from the registry, one run, one dead site never stops it;
claims make a site delivered twice be recorded once."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update
from typer.testing import CliRunner

from oitwatch.campaign import CampaignError, Selection, plan_campaign
from oitwatch.cli import app
from oitwatch.sampleserver import SampleServer
from rules import default_catalog
from oitwatch.scan import ScanOptions, scan_one_site
from storage import AgencyInput, Database, Repository, SiteBusyError
from storage.models import ItemResultRow, PageRow, SiteScan

from .conftest import register

runner = CliRunner()
FAST = {"max_pages": 30, "min_delay": 0.0, "screenshots": False}


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_province_campaign_in_process_one_run_dead_site_included(
    samples: SampleServer, tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'c.sqlite3'}"
    database = Database(db)
    database.upgrade()
    urls = register(Repository(database), samples, province="ขอนแก่น")
    result = runner.invoke(app, ["scan", "--province", "จังหวัดขอนแก่น", "--db", db, "--delay", "0", "--no-screenshots",
                                 "--max-pages", "40", "--lang", "en"])
    assert result.exit_code == 0, result.output
    text = _flat(result.output)
    assert f"plan: 4 agencies, 4 sites, catalog {default_catalog()}, backend inprocess" in text
    assert "summary: 4 sites (blocked 1, ok 2, unreachable 1)" in text
    assert f"run 1 ({default_catalog()})" in result.stdout and len(urls) == 4
    runs = Repository(database).list_runs()
    assert len(runs) == 1 and runs[0].state == "complete" and runs[0].sites_complete == 4

    summary = runner.invoke(app, ["runs", "summary", str(runs[0].id), "--db", db,
                                  "--format", "json"])
    doc = json.loads(summary.stdout)
    assert doc["site_status"] == {"ok": 2, "blocked": 1, "unreachable": 1}
    assert {a["code"]: a["status"] for a in doc["agencies"]}["demo-unreachable"] == "unreachable"
    compliant = next(a for a in doc["agencies"] if a["code"] == "demo-compliant")
    assert int(compliant["pass"]) >= 9


def test_selection_errors_are_clear(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'e.sqlite3'}"
    none = runner.invoke(app, ["scan", "--province", "ไม่มี", "--db", db])
    assert none.exit_code == 2 and "ไม่มี" in none.output and "Traceback" not in none.output
    both = runner.invoke(app, ["scan", "http://a.go.th", "--all", "--db", db])
    assert both.exit_code == 2
    nothing = runner.invoke(app, ["scan", "--db", db])
    assert nothing.exit_code == 2
    unknown = runner.invoke(app, ["scan", "--agency", "X1", "--agency", "X2", "--db", db])
    assert unknown.exit_code == 2 and "X1, X2" in unknown.output
    celery_urls = runner.invoke(app, ["scan", "http://a.go.th", "--backend", "celery", "--db", db])
    assert celery_urls.exit_code == 2


def test_mixed_catalogs_need_an_explicit_one(any_repo: Repository) -> None:
    any_repo.import_agencies([
        AgencyInput(code="A", name="A", province="P", homepage="http://a.go.th",
                    catalog="ita-2566"),
        AgencyInput(code="B", name="B", province="P", homepage="http://b.go.th",
                    catalog="ita-2567"),
        AgencyInput(code="C", name="C", province="P"),  # no homepage: listed, not scanned
        AgencyInput(code="D", name="D", province="P", homepage="https://www.a.go.th/"),
    ])  # D names no catalog: it gets the default, the newest complete one (ita-2567)
    with pytest.raises(CampaignError, match="ita-2567: 2, ita-2566: 1"):
        plan_campaign(any_repo, Selection(province="P"))
    plan = plan_campaign(any_repo, Selection(province="P"), "ita-2566")
    assert [t.seed_url for t in plan.targets] == ["http://a.go.th", "http://b.go.th",
                                                  "https://www.a.go.th/"]
    assert [a.code for a in plan.without_homepage] == ["C"]


def _count(db: Database, model: type) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def test_a_site_delivered_again_is_recorded_once(
    any_repo: Repository, samples: SampleServer
) -> None:
    """The Celery task's function, called as a redelivered task would call it."""
    url = samples.site("compliant").url
    run_id = any_repo.start_campaign_run("ita-2566", 2566, "test", {}, [(url, None)])
    first = scan_one_site(url, "ita-2566", run_id, None, FAST, claim_key="task-1", repo=any_repo)
    assert first.state == "complete" and first.attempt == 1
    pages, items = _count(any_repo.db, PageRow), _count(any_repo.db, ItemResultRow)
    again = scan_one_site(url, "ita-2566", run_id, None, FAST, claim_key="task-1", repo=any_repo)
    assert again.state == "skipped" and "complete" in again.reason
    assert (_count(any_repo.db, PageRow), _count(any_repo.db, ItemResultRow)) == (pages, items)
    assert any_repo.run_progress(run_id).state == "complete"  # the last site closed the run


def test_a_dead_attempt_is_taken_over_and_cannot_write_afterwards(
    any_repo: Repository, samples: SampleServer
) -> None:
    url = samples.site("hub").url
    run_id = any_repo.start_campaign_run("ita-2566", 2566, "test", {}, [(url, None)])
    dead = any_repo.claim_site_scan(run_id, url, claim_key="task-9", claimed_by="dead worker",
                                    lease=timedelta(minutes=5))
    # another task while the lease is alive: busy, come back later
    with pytest.raises(SiteBusyError) as busy:
        any_repo.claim_site_scan(run_id, url, claim_key="other", lease=timedelta(minutes=5))
    assert 0 < busy.value.retry_after <= 300
    # the same task delivered again (its worker was killed): scans at once
    outcome = scan_one_site(url, "ita-2566", run_id, None, FAST, claim_key="task-9", repo=any_repo)
    assert outcome.state == "complete" and outcome.attempt == 2
    # the dead attempt comes back to life: it can neither fail nor renew the scan
    assert dead.token is not None and dead.site_scan_id is not None
    assert not any_repo.fail_site_scan(dead.site_scan_id, "late", token=dead.token)
    assert not any_repo.renew_lease(dead.site_scan_id, dead.token, timedelta(minutes=1))
    with any_repo.db.session() as s:
        rows = s.scalars(select(SiteScan).where(SiteScan.run_id == run_id)).all()
        assert [(r.state, r.attempts) for r in rows] == [("complete", 2)]


def test_expired_lease_lets_another_worker_take_over(any_repo: Repository) -> None:
    url = "http://127.0.0.1:9/"
    run_id = any_repo.start_campaign_run("ita-2566", 2566, "test", {}, [(url, None)])
    claim = any_repo.claim_site_scan(run_id, url, claim_key="a", lease=timedelta(minutes=5))
    past = datetime.now(UTC) - timedelta(seconds=1)
    with any_repo.db.session() as s, s.begin():
        s.execute(update(SiteScan).values(lease_until=past))  # expired
    taken = any_repo.claim_site_scan(run_id, url, claim_key="b", lease=timedelta(minutes=5))
    assert taken.claimed and taken.site_scan_id == claim.site_scan_id and taken.attempt == 2
    # and a scan abandoned for good is failed so the run can finish
    with any_repo.db.session() as s, s.begin():
        s.execute(update(SiteScan).values(lease_until=past - timedelta(hours=3)))
    assert any_repo.fail_abandoned_site_scans(timedelta(hours=2)) == [run_id]
    progress = any_repo.run_progress(run_id)
    assert (progress.state, progress.failed) == ("complete", 1)
    # a task of a closed run does nothing
    late = any_repo.claim_site_scan(run_id, url, claim_key="c")
    assert not late.claimed and late.skipped and "complete" in late.skipped


def test_queued_sites_of_an_interrupted_run_are_failed_not_left_queued(
    any_repo: Repository,
) -> None:
    run_id = any_repo.start_campaign_run(
        "ita-2566", 2566, "test", {}, [("http://a.go.th", None), ("http://b.go.th", None)])
    assert any_repo.run_progress(run_id).queued == 2
    [summary] = any_repo.list_runs()
    assert summary.sites_queued == 2
    any_repo.finish_run(run_id, state="interrupted")
    report = any_repo.load_run(run_id)
    assert report is not None and {s.state for s in report.sites} == {"failed"}


def test_options_round_trip() -> None:
    options = ScanOptions(max_pages=7, site_concurrency=3, extra={"x": 1})
    assert ScanOptions.from_dict({**options.to_dict(), "from_the_future": 1}) == options
