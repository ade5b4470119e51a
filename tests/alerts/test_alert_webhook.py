"""Webhook alerts to a real HTTP server on 127.0.0.1, on SQLite and PostgreSQL: signed,
retried on 503, delivered once, failures recorded without raising."""

from __future__ import annotations

import time

import httpx
import pytest
from alert_support import (
    PROVINCE,
    HookServer,
    Site,
    alert_config,
    down,
    ev,
    free_port,
    item,
    registry,
    site_url,
    store_campaign,
)

from alerts import WebhookConfig, WebhookError, after_run, send_for_run, sign, verify_signature
from alerts._webhook import post_webhook
from storage import Database, Repository
from storage.alerts_repo import AlertsRepository

A, B = "6400101", "6400102"
SECRET = "s3cret-key-for-tests-0123456789"


def _nights(repo: Repository) -> tuple[int, int, int]:
    """Schedule 1 nightly: B goes down on the second night. Returns (schedule, r1, r2)."""
    ids = registry(repo)
    schedule = repo.add_schedule(cron="0 1 * * *", selection={"province": PROVINCE})
    up = [Site(site_url(A), ids[A], [item("O1", "pass", ev(site_url(A) + "o1", "1" * 64))]),
          Site(site_url(B), ids[B], [item("O1", "pass", ev(site_url(B) + "o1", "2" * 64))])]
    r1 = store_campaign(repo, up, schedule_id=schedule)
    r2 = store_campaign(repo, [up[0], down(site_url(B), ids[B], ("O1",))], day=1,
                        schedule_id=schedule)
    return schedule, r1, r2


def test_signed_json_delivered(repo: Repository, hook: HookServer) -> None:
    schedule, r1, r2 = _nights(repo)
    dest = AlertsRepository(repo.db).add_destination(
        "webhook", hook.url(), schedule_id=schedule, secret=SECRET
    )
    [outcome] = send_for_run(repo, r2, config=alert_config())
    assert outcome.status == "sent"
    [got] = hook.received
    headers = got.headers
    assert headers["content-type"] == "application/json; charset=utf-8"
    assert headers["x-oitwatch-event"] == "run.changes"
    assert headers["x-oitwatch-delivery"] == f"{r2}-{dest}"
    ts = headers["x-oitwatch-timestamp"]
    assert abs(int(ts) - time.time()) < 60
    # the receiver's check: HMAC-SHA256 over "<timestamp>.<raw body>" with the shared secret
    assert headers["x-oitwatch-signature"] == sign(SECRET, ts, got.body)
    assert verify_signature(SECRET, got.body, ts, headers["x-oitwatch-signature"])
    assert not verify_signature("another-secret-xxxxxxxx", got.body, ts,
                                headers["x-oitwatch-signature"])
    assert not verify_signature(SECRET, got.body.replace(b"6400102", b"6400103"), ts,
                                headers["x-oitwatch-signature"])
    # a replay later, or with a new timestamp, fails
    assert not verify_signature(SECRET, got.body, ts, headers["x-oitwatch-signature"],
                                now=int(ts) + 3600)
    assert not verify_signature(SECRET, got.body, str(int(ts) + 5),
                                headers["x-oitwatch-signature"])
    doc = got.json()
    assert (doc["event"], doc["run_id"], doc["baseline_run_id"]) == ("run.changes", r2, r1)
    assert doc["scope"]["schedule_id"] == schedule and doc["language"] == "th"
    assert doc["counts"]["went_down"] == 1
    [alert] = doc["alerts"]
    assert alert["agency"]["code"] == B
    assert alert["changes"] == [{
        "kind": "site_status", "label": "สถานะเว็บไซต์เปลี่ยน", "item": None,
        "before": "ok", "after": "unreachable", "url_before": None, "url_after": None,
    }]
    assert doc["diff"]["run_b"]["id"] == r2 and "เทียบการตรวจ" in doc["summary"]
    assert "เว็บไซต์เข้าไม่ได้" in doc["subject"]
    # the body is UTF-8 JSON, Thai unescaped
    assert "สถานะเว็บไซต์เปลี่ยน".encode() in got.body


def test_503_then_200_is_retried_and_delivered_once(repo: Repository, hook: HookServer) -> None:
    schedule, _, r2 = _nights(repo)
    arepo = AlertsRepository(repo.db)
    arepo.add_destination("webhook", hook.url(), schedule_id=schedule, secret=SECRET)
    hook.script = [503]
    [outcome] = send_for_run(repo, r2, config=alert_config())
    assert outcome.status == "sent"
    assert len(hook.received) == 2
    first, second = hook.received
    assert first.body == second.body  # the same alert, re-signed
    assert first.headers["x-oitwatch-delivery"] == second.headers["x-oitwatch-delivery"]
    assert verify_signature(SECRET, second.body, second.headers["x-oitwatch-timestamp"],
                            second.headers["x-oitwatch-signature"])
    [record] = arepo.deliveries(r2)
    assert (record.status, record.attempts) == ("sent", 1)
    # sent is final: a restart does not send it again
    [again] = send_for_run(Repository(Database(repo.db.url.render_as_string(False))), r2,
                           config=alert_config())
    assert again.status == "already" and len(hook.received) == 2


def test_failing_endpoint_recorded_without_raising(repo: Repository, hook: HookServer) -> None:
    schedule, _, r2 = _nights(repo)
    arepo = AlertsRepository(repo.db)
    broken = arepo.add_destination("webhook", hook.url(), schedule_id=schedule, secret=SECRET)
    refused = arepo.add_destination("webhook", f"http://127.0.0.1:{free_port()}/hook",
                                    schedule_id=schedule, secret=SECRET)
    hook.always = 503
    outcomes = {o.destination_id: o for o in after_run(repo, r2, config=alert_config())}
    assert outcomes[broken].status == "failed" and "HTTP 503 after 3 attempts" in outcomes[broken].detail
    assert outcomes[refused].status == "failed" and "ConnectError" in outcomes[refused].detail
    assert len(hook.received) == 3  # config: 3 attempts
    records = {d.destination_id: d for d in arepo.deliveries(r2)}
    assert records[broken].status == records[refused].status == "failed"
    assert "503" in (records[broken].detail or "")
    # the endpoint is fixed: `alerts send` (or the next run) delivers it, once
    hook.always = None
    again = {o.destination_id: o.status for o in send_for_run(repo, r2, config=alert_config())}
    assert again == {broken: "sent", refused: "failed"}
    assert len(hook.received) == 4
    assert {d.destination_id: d.attempts for d in arepo.deliveries(r2)} == {broken: 2, refused: 2}


def test_client_errors_are_not_retried(hook: HookServer) -> None:
    hook.always = 401
    config = WebhookConfig(timeout=3, attempts=4, backoff=0.01)
    with pytest.raises(WebhookError, match="401"):
        post_webhook(config, hook.url(), SECRET, {"x": 1}, event="test", delivery="t")
    assert len(hook.received) == 1


def test_429_waits_retry_after_capped(hook: HookServer) -> None:
    hook.script = [429, 429]
    hook.retry_after = "120"  # two minutes: longer than we wait
    config = WebhookConfig(timeout=3, attempts=4, backoff=0.01, max_backoff=0.5)
    waits: list[float] = []
    with httpx.Client() as client:
        tries = post_webhook(config, hook.url(), SECRET, {"x": 1}, event="test", delivery="t",
                             client=client, sleep=waits.append)
    assert tries == 3 and len(hook.received) == 3
    assert waits == [0.5, 0.5]  # Retry-After, capped at max_backoff
    hook.received.clear()
    hook.script, hook.retry_after = [429, 503], None
    waits.clear()
    post_webhook(config, hook.url(), SECRET, {"x": 1}, event="test", delivery="t",
                 sleep=waits.append)
    assert waits == [0.01, 0.02]  # no Retry-After: our own backoff, doubled
