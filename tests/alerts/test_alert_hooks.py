"""The hooks that send alerts when a run finishes (campaign, CLI wait, Celery worker, the
scheduler's sweep), and that an alert problem never fails the scan."""

from __future__ import annotations

from datetime import timedelta

import pytest
from alert_support import (
    PROVINCE,
    T0,
    Site,
    SmtpServer,
    _crawl,
    down,
    ev,
    item,
    registry,
    site_url,
    store_campaign,
)

from oitwatch import campaign
from storage import Repository
from storage.alerts_repo import AlertsRepository

A, B = "6400101", "6400102"


@pytest.fixture
def smtp_env(smtp: SmtpServer, monkeypatch: pytest.MonkeyPatch) -> SmtpServer:
    monkeypatch.setenv("OITWATCH_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("OITWATCH_SMTP_PORT", str(smtp.port))
    return smtp


def _setup(repo: Repository) -> tuple[dict[str, int], list[Site]]:
    ids = registry(repo)
    AlertsRepository(repo.db).add_destination("email", "saraban@monitor.go.th", province=PROVINCE)
    up = [Site(site_url(A), ids[A], [item("O1", "pass", ev(site_url(A) + "o1", "1" * 64))]),
          Site(site_url(B), ids[B], [item("O1", "pass", ev(site_url(B) + "o1", "2" * 64))])]
    store_campaign(repo, up)
    return ids, up


def _open_run(repo: Repository, sites: list[Site], *, finish_last: bool = True) -> int:
    """A campaign whose sites are stored but whose run is left open (as workers leave it)."""
    run = repo.start_campaign_run("ita-2566", 2566, "cli",
                                  {"extra": {"selection": {"province": PROVINCE}}},
                                  [(s.url, s.agency_id) for s in sites])
    for i, site in enumerate(sites):
        last = i == len(sites) - 1
        lease = timedelta(seconds=-60) if last and not finish_last else timedelta(minutes=2)
        claim = repo.claim_site_scan(run, site.url, site.agency_id, claim_key="t", lease=lease)
        assert claim.token is not None
        if finish_last or not last:
            repo.finish_site_scan(claim.site_scan_id, _crawl(site, T0), site.items,
                                  token=claim.token)
    return run


def test_campaign_hook_sends_and_never_raises(
    repo: Repository, smtp_env: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids, up = _setup(repo)
    run = store_campaign(repo, [up[0], down(site_url(B), ids[B], ("O1",))], day=1)
    monkeypatch.setenv("OITWATCH_SMTP_SECURITY", "nonsense")  # broken settings
    campaign.send_alerts(repo, run)  # logs, does not raise
    assert smtp_env.messages == []
    [record] = AlertsRepository(repo.db).deliveries(run)
    assert record.status == "failed" and "OITWATCH_SMTP_SECURITY" in (record.detail or "")
    monkeypatch.delenv("OITWATCH_SMTP_SECURITY")
    campaign.send_alerts(repo, run)
    assert len(smtp_env.messages) == 1
    campaign.send_alerts(repo, run)  # the hook may be called by several finishers
    assert len(smtp_env.messages) == 1


def test_wait_for_run_closes_and_sends(repo: Repository, smtp_env: SmtpServer) -> None:
    ids, up = _setup(repo)
    run = _open_run(repo, [up[0], down(site_url(B), ids[B], ("O1",))])
    progress = campaign.wait_for_run(repo, run, poll=0.01, timeout=10)
    assert progress.state == "complete"
    [msg] = smtp_env.messages
    assert "6400102" in msg.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]


def test_worker_that_closes_the_run_sends(
    db_url: str, repo: Repository, smtp_env: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from oitwatch import scan, tasks

    ids, up = _setup(repo)
    run = _open_run(repo, [up[0], down(site_url(B), ids[B], ("O1",))])
    monkeypatch.setenv("OITWATCH_DATABASE_URL", db_url)
    scan._repository.cache_clear()
    try:
        tasks._alerts_if_run_done(run)  # run still open: nothing
        assert smtp_env.messages == []
        assert repo.finish_run_if_done(run)
        tasks._alerts_if_run_done(run)
        tasks._alerts_if_run_done(run)  # a task delivered again
    finally:
        scan._repository.cache_clear()
    assert len(smtp_env.messages) == 1


def test_scheduler_sweep_sends_for_runs_it_closes(
    repo: Repository, smtp_env: SmtpServer
) -> None:
    from scheduler import SchedulerService

    _, up = _setup(repo)
    # the worker of B vanished: its lease expired, nobody will finish the run
    run = _open_run(repo, up, finish_last=False)
    service = SchedulerService(repo, abandon_after=timedelta(seconds=0))
    service.sync()
    assert repo.run_header(run).state == "complete"
    [msg] = smtp_env.messages
    text = msg.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert "6400102" in text and "ปกติ → ตรวจไม่สำเร็จ" in text
