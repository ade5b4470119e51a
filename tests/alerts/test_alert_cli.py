"""`oitwatch alerts add|list|remove|test|send`: bad input gives one bilingual message and
exit code 2, never a traceback."""

from __future__ import annotations

import json

import pytest
from alert_support import (
    PROVINCE,
    HookServer,
    Site,
    SmtpServer,
    down,
    ev,
    item,
    parts,
    registry,
    site_url,
    store_campaign,
)
from typer.testing import CliRunner

from alerts import verify_signature
from oitwatch.cli import app
from storage import Database, Repository
from storage.alerts_repo import AlertsRepository


@pytest.fixture
def cli_repo(sqlite_url: str) -> Repository:
    repo = Repository(Database(sqlite_url))
    registry(repo)
    repo.add_schedule(cron="0 1 * * *", selection={"province": PROVINCE}, name="nightly")
    return repo


def _run(url: str, *args: str):  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(app, ["alerts", *args, "--db", url])
    # a failure must be a clean exit, never an exception escaping the command
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


@pytest.mark.parametrize(
    ("args", "th", "en"),
    [
        (["--email", "not-an-address", "--province", PROVINCE],
         "อีเมล 'not-an-address' ไม่ถูกต้อง", "is not a valid e-mail address"),
        (["--email", "a@b", "--province", PROVINCE], "ไม่ถูกต้อง", "not a valid e-mail"),
        (["--email", "a b@c.go.th", "--province", PROVINCE], "ไม่ถูกต้อง", "not a valid e-mail"),
        (["--webhook", "ftp://hooks.example.org/x", "--schedule", "1"],
         "URL ของ webhook", "is not a valid webhook URL"),
        (["--webhook", "not a url", "--schedule", "1"], "URL ของ webhook", "not a valid webhook"),
        (["--email", "a@b.go.th", "--schedule", "99"],
         "ไม่พบตารางการตรวจหมายเลข 99", "no schedule with id 99"),
        (["--email", "a@b.go.th", "--province", "ขอนแกน"],  # a typo: no such province
         "ไม่มีหน่วยงานของจังหวัด", "no registered agency in province"),
        (["--email", "a@b.go.th", "--webhook", "https://x.org/h", "--schedule", "1"],
         "อย่างใดอย่างหนึ่ง", "exactly one of --email or --webhook"),
        (["--email", "a@b.go.th"], "อย่างใดอย่างหนึ่ง", "exactly one of --schedule or --province"),
        (["--email", "a@b.go.th", "--schedule", "1", "--secret", "0123456789abcdef"],
         "--secret ใช้กับ --webhook", "--secret goes with --webhook only"),
        (["--webhook", "https://x.org/h", "--schedule", "1", "--secret", "short"],
         "อย่างน้อย 16", "at least 16 characters"),
    ],
)
def test_add_refuses_bad_input(
    sqlite_url: str, cli_repo: Repository, args: list[str], th: str, en: str
) -> None:
    result = _run(sqlite_url, "add", *args)
    assert result.exit_code == 2, result.output
    assert th in result.output and en in result.output
    assert "Traceback" not in result.output
    assert AlertsRepository(cli_repo.db).list_destinations() == []


def test_add_list_remove(sqlite_url: str, cli_repo: Repository) -> None:
    added = _run(sqlite_url, "add", "--email", "saraban@khonkaen.go.th",
                 "--province", "จังหวัดขอนแก่น")  # the registry's spelling is kept
    assert added.exit_code == 0, added.output
    assert "เพิ่มปลายทางหมายเลข 1" in added.output
    hook = _run(sqlite_url, "add", "--webhook", "https://hooks.example.org/oit",
                "--schedule", "1", "--lang", "en")
    assert hook.exit_code == 0, hook.output
    lines = hook.output.splitlines()
    [at] = [i for i, line in enumerate(lines) if "HMAC secret (shown once)" in line]
    secret = lines[at + 1]
    assert len(secret) >= 32
    dests = AlertsRepository(cli_repo.db).list_destinations()
    assert [(d.kind, d.target, d.province, d.schedule_id, d.language) for d in dests] == [
        ("email", "saraban@khonkaen.go.th", PROVINCE, None, "th"),
        ("webhook", "https://hooks.example.org/oit", None, 1, "en"),
    ]
    assert dests[1].secret == secret
    table = _run(sqlite_url, "list")
    assert table.exit_code == 0, table.output
    assert secret not in table.output  # shown once, at add time
    listing = _run(sqlite_url, "list", "--format", "json")
    assert listing.exit_code == 0
    rows = json.loads(listing.output)
    assert [(r["id"], r["target"], r["province"], r["schedule_name"]) for r in rows] == [
        (1, "saraban@khonkaen.go.th", PROVINCE, None),
        (2, "https://hooks.example.org/oit", None, "nightly"),
    ]
    assert secret not in listing.output and "secret" not in rows[1]
    assert _run(sqlite_url, "remove", "1").exit_code == 0
    missing = _run(sqlite_url, "remove", "1")
    assert missing.exit_code == 2
    assert "ไม่พบปลายทางหมายเลข 1" in missing.output and "no alert destination 1" in missing.output
    assert [d.id for d in AlertsRepository(cli_repo.db).list_destinations()] == [2]
    # removing the schedule removes its destinations
    assert cli_repo.remove_schedule(1)
    assert AlertsRepository(cli_repo.db).list_destinations() == []


def test_disable_and_enable_a_destination(sqlite_url: str, cli_repo: Repository) -> None:
    arepo = AlertsRepository(cli_repo.db)
    assert _run(sqlite_url, "add", "--email", "saraban@khonkaen.go.th", "--schedule", "1").exit_code == 0
    [dest] = arepo.destinations_for(1, [])
    off = _run(sqlite_url, "disable", str(dest.id))
    assert off.exit_code == 0, off.output
    assert "destination 1 disabled" in off.output
    assert arepo.destinations_for(1, []) == []  # no message goes there any more
    assert "disabled" in _run(sqlite_url, "list").output
    on = _run(sqlite_url, "enable", str(dest.id))
    assert on.exit_code == 0 and [d.id for d in arepo.destinations_for(1, [])] == [dest.id]
    missing = _run(sqlite_url, "disable", "99")
    assert missing.exit_code == 2 and "no alert destination 99" in missing.output
    assert "Traceback" not in missing.output


def test_test_message_by_email_and_webhook(
    sqlite_url: str, cli_repo: Repository, smtp: SmtpServer, hook: HookServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OITWATCH_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("OITWATCH_SMTP_PORT", str(smtp.port))
    monkeypatch.setenv("OITWATCH_SMTP_FROM", "oitwatch@monitor.go.th")
    assert _run(sqlite_url, "add", "--email", "saraban@khonkaen.go.th",
                "--province", PROVINCE).exit_code == 0
    assert _run(sqlite_url, "add", "--webhook", hook.url(), "--schedule", "1",
                "--secret", "0123456789abcdef-secret").exit_code == 0
    sent = _run(sqlite_url, "test", "1")
    assert sent.exit_code == 0, sent.output
    [msg] = smtp.messages
    assert str(msg["Subject"]) == f"[oitwatch] ทดสอบการแจ้งเตือน: {PROVINCE}"
    assert "ข้อความทดสอบ" in parts(msg)[0]
    assert _run(sqlite_url, "test", "2").exit_code == 0
    [got] = hook.received
    assert got.json()["event"] == "test"
    assert verify_signature("0123456789abcdef-secret", got.body,
                            got.headers["x-oitwatch-timestamp"],
                            got.headers["x-oitwatch-signature"])
    assert _run(sqlite_url, "test", "9").exit_code == 2
    hook.always = 500
    broken = _run(sqlite_url, "test", "2")
    assert broken.exit_code == 1
    assert "ส่งข้อความทดสอบไม่สำเร็จ" in broken.output and "HTTP 500" in broken.output


def test_send_run_is_idempotent(
    sqlite_url: str, cli_repo: Repository, smtp: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OITWATCH_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("OITWATCH_SMTP_PORT", str(smtp.port))
    ids = {a.code: a.id for a in cli_repo.list_agencies()}
    a, b = "6400101", "6400102"
    up = [Site(site_url(a), ids[a], [item("O1", "pass", ev(site_url(a) + "o1", "1" * 64))]),
          Site(site_url(b), ids[b], [item("O1", "fail")])]
    r1 = store_campaign(cli_repo, up, schedule_id=1)
    r2 = store_campaign(cli_repo, [up[0], down(site_url(b), ids[b], ("O1",))], day=1,
                        schedule_id=1)
    assert _run(sqlite_url, "add", "--email", "saraban@khonkaen.go.th",
                "--schedule", "1").exit_code == 0
    first = _run(sqlite_url, "send", str(r2))
    assert first.exit_code == 0, first.output
    assert "ส่งแล้ว / sent" in first.output
    assert len(smtp.messages) == 1
    again = _run(sqlite_url, "send", str(r2))
    assert again.exit_code == 0 and "already" in again.output
    assert len(smtp.messages) == 1
    assert "skipped" in _run(sqlite_url, "send", str(r1)).output  # nothing before run 1
    unknown = _run(sqlite_url, "send", "99")
    assert unknown.exit_code == 2 and "ไม่พบการตรวจหมายเลข 99" in unknown.output
    running = cli_repo.start_run("ita-2566", 2566, "cli")
    busy = _run(sqlite_url, "send", str(running))
    assert busy.exit_code == 2 and "not complete" in busy.output


def test_bad_smtp_setting_is_a_clear_error(
    sqlite_url: str, cli_repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OITWATCH_SMTP_SECURITY", "tls-please")
    assert _run(sqlite_url, "add", "--email", "a@b.go.th", "--schedule", "1").exit_code == 0
    result = _run(sqlite_url, "test", "1")
    assert result.exit_code == 2
    assert "OITWATCH_SMTP_SECURITY" in result.output and "must be one of" in result.output
