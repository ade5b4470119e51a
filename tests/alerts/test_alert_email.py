"""E-mail alerts through a real SMTP server (aiosmtpd on 127.0.0.1), on SQLite and PostgreSQL:
Thai content, escaping, one alert for a site down two nights, never twice for one run."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from alert_support import (
    PROVINCE,
    Site,
    SmtpServer,
    alert_config,
    down,
    ev,
    item,
    parts,
    registry,
    site_url,
    store_campaign,
)

from alerts import after_run, send_for_run
from reports import format_datetime
from storage import Database, Repository
from storage.alerts_repo import AlertsRepository

A, B, U = "6400101", "6400102", "4100101"
EVIL_URL = 'https://www.t6400101.go.th/o1?q=<script>alert("x")</script>'
EVIL_TITLE = "<img src=x onerror=alert(1)>การเปิดเผยข้อมูล"


def _night(ids: dict[str, int], *, a_o1: str = "pass", b_down: bool = False,
           a_url: str = "https://www.t6400101.go.th/o1") -> list[Site]:
    sites = [
        Site(site_url(A), ids[A], [
            item("O1", a_o1, *([ev(a_url, "1" * 64)] if a_o1 == "pass" else []),
                 title_th=EVIL_TITLE),
            item("O2", "pass", ev("https://www.t6400101.go.th/o2", "2" * 64)),
        ]),
        down(site_url(B), ids[B]) if b_down else Site(site_url(B), ids[B], [
            item("O1", "pass", ev("https://www.t6400102.go.th/o1", "3" * 64)),
            item("O2", "fail"),
        ]),
        Site(site_url(U), ids[U], [item("O1", "fail")]),
    ]
    return sites


def test_thai_email_with_escaped_html(repo: Repository, smtp: SmtpServer) -> None:
    ids = registry(repo, {A: "อบต.<b>บ้านเอ</b> & ลูก"})
    arepo = AlertsRepository(repo.db)
    dest = arepo.add_destination("email", "saraban@monitor.go.th", province=PROVINCE)
    config = alert_config(smtp.port)
    selection = {"all": True}  # a campaign over several provinces: the alert keeps ขอนแก่น
    first = store_campaign(repo, _night(ids, a_url=EVIL_URL), selection=selection)
    [outcome] = send_for_run(repo, first, config=config)
    assert outcome.status == "skipped" and "no earlier" in outcome.detail
    assert smtp.messages == []  # nothing to compare the first night with

    second = store_campaign(repo, _night(ids, a_o1="fail"), day=1, selection=selection)
    [outcome] = send_for_run(repo, second, config=config)
    assert (outcome.status, outcome.baseline_run_id, outcome.changes) == ("sent", first, 1)
    [msg] = smtp.messages
    assert msg["To"] == "saraban@monitor.go.th"
    assert msg["Message-ID"] == f"<oitwatch.run{second}.dest{dest}@monitor.go.th>"
    subject = str(msg["Subject"])
    year_be = datetime.now(UTC).year + 543  # the run started now; Buddhist era
    assert subject.startswith(f"[oitwatch] {PROVINCE}: ไม่ผ่านแล้ว 1 ข้อ")
    assert str(year_be) in subject
    text, html = parts(msg)
    assert "การเปลี่ยนแปลงผลการตรวจ OIT" in text
    assert f"ขอบเขต: จังหวัด{PROVINCE}" in text
    assert f"การตรวจครั้งที่ {second}" in text and f"เทียบกับครั้งที่ {first}" in text
    assert format_datetime(repo.run_header(second).started_at, "th") in text  # พ.ศ. date
    assert "6400101 อบต.<b>บ้านเอ</b> & ลูก" in text  # plain text is plain
    assert "ไม่ผ่านแล้ว (เคยผ่าน): ผ่าน → ไม่พบ" in text
    assert EVIL_URL in text  # where the evidence was
    assert "4100101" not in text  # another province
    assert f"oitwatch runs diff {first} {second} --province {PROVINCE}" in text
    # the HTML part escapes everything that came from the registry or a crawled site
    assert "<script>" not in html and "<img" not in html and "<b>บ้านเอ" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "อบต.&lt;b&gt;บ้านเอ&lt;/b&gt; &amp; ลูก" in html
    # the delivery is on record
    [d2] = [d for d in arepo.deliveries() if d.run_id == second]
    assert (d2.status, d2.attempts, d2.baseline_run_id) == ("sent", 1, first)
    assert d2.sent_at is not None


def test_english_destination(repo: Repository, smtp: SmtpServer) -> None:
    ids = registry(repo)
    schedule = repo.add_schedule(cron="0 1 * * *", selection={"province": PROVINCE}, name="nightly")
    AlertsRepository(repo.db).add_destination(
        "email", "monitor@example.org", schedule_id=schedule, language="en"
    )
    config = alert_config(smtp.port)
    store_campaign(repo, _night(ids), schedule_id=schedule)
    # a manual campaign of the same province in between is not this schedule's baseline
    store_campaign(repo, _night(ids, b_down=True), day=1)
    run = store_campaign(repo, _night(ids, b_down=True), day=2, schedule_id=schedule)
    [outcome] = send_for_run(repo, run, config=config)
    assert outcome.status == "sent" and outcome.baseline_run_id == run - 2
    [msg] = smtp.messages
    assert str(msg["Subject"]).startswith("[oitwatch] nightly: 1 sites newly down")
    text, _ = parts(msg)
    assert "Changes in the OIT scan results" in text
    assert "Scope: schedule" in text and "nightly" in text
    assert "website: site status changed: ok → unreachable" in text
    assert "ไม่ผ่าน" not in text


def test_site_down_two_nights_is_one_alert(repo: Repository, smtp: SmtpServer) -> None:
    ids = registry(repo)
    AlertsRepository(repo.db).add_destination("email", "saraban@monitor.go.th", province=PROVINCE)
    config = alert_config(smtp.port)
    night1 = store_campaign(repo, _night(ids))
    night2 = store_campaign(repo, _night(ids, b_down=True), day=1)
    night3 = store_campaign(repo, _night(ids, b_down=True), day=2)
    for run in (night1, night2, night3):
        send_for_run(repo, run, config=config)
    [msg] = smtp.messages  # night 2 only: night 3 has nothing new
    text, _ = parts(msg)
    assert f"การตรวจครั้งที่ {night2}" in text
    assert "6400102" in text and "ปกติ → เข้าเว็บไซต์ไม่ได้" in text
    assert "ตรวจไม่ได้" not in text  # the down site's items are not listed one by one
    statuses = {d.run_id: d.status for d in AlertsRepository(repo.db).deliveries()}
    assert statuses == {night1: "skipped", night2: "sent", night3: "skipped"}

    # night 4: B still down, but A lost an item: the alert names A, not B again
    night4 = store_campaign(repo, _night(ids, a_o1="fail", b_down=True), day=3)
    send_for_run(repo, night4, config=config)
    assert len(smtp.messages) == 2
    text, _ = parts(smtp.messages[1])
    assert "6400101" in text and "ไม่ผ่านแล้ว" in text
    assert "6400102" not in text and "เข้าเว็บไซต์ไม่ได้" not in text

    # night 5: B is back: that is news again
    night5 = store_campaign(repo, _night(ids, a_o1="fail"), day=4)
    send_for_run(repo, night5, config=config)
    assert len(smtp.messages) == 3
    assert "เว็บไซต์กลับมาปกติ 1 แห่ง" in str(smtp.messages[2]["Subject"])
    assert "เข้าเว็บไซต์ไม่ได้ → ปกติ" in parts(smtp.messages[2])[0]


def test_never_twice_after_restart_or_in_parallel(
    db_url: str, repo: Repository, smtp: SmtpServer
) -> None:
    ids = registry(repo)
    AlertsRepository(repo.db).add_destination("email", "saraban@monitor.go.th", province=PROVINCE)
    config = alert_config(smtp.port)
    store_campaign(repo, _night(ids))
    run = store_campaign(repo, _night(ids, b_down=True), day=1)
    # two senders at once (e.g. the last worker and the scheduler's sweep)
    results: list[list] = []
    threads = [
        threading.Thread(target=lambda: results.append(send_for_run(
            Repository(Database(db_url)), run, config=config)))
        for _ in range(2)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(o.status for r in results for o in r) == ["already", "sent"]
    assert len(smtp.messages) == 1
    # a restart: a new process with its own engine sends again -> nothing goes out
    fresh = Database(db_url)
    try:
        [again] = send_for_run(Repository(fresh), run, config=config)
    finally:
        fresh.close()
    assert again.status == "already"
    assert len(smtp.messages) == 1


def test_smtp_down_is_recorded_and_retried_after_the_next_run(
    repo: Repository, smtp: SmtpServer
) -> None:
    ids = registry(repo)
    arepo = AlertsRepository(repo.db)
    arepo.add_destination("email", "saraban@monitor.go.th", province=PROVINCE)
    store_campaign(repo, _night(ids))
    run = store_campaign(repo, _night(ids, b_down=True), day=1)
    # nothing listens on this port: the hook logs, records, and does not raise
    [outcome] = after_run(repo, run, config=alert_config())
    assert outcome.status == "failed" and "Connection" in outcome.detail
    [record] = [d for d in arepo.deliveries() if d.run_id == run]
    assert (record.status, record.attempts) == ("failed", 1)
    # the next night's send (server back) retries the failed one too
    nxt = store_campaign(repo, _night(ids, b_down=True), day=2)
    outcomes = after_run(repo, nxt, config=alert_config(smtp.port))
    assert {(o.run_id, o.status) for o in outcomes} == {(nxt, "skipped"), (run, "sent")}
    [msg] = smtp.messages
    assert f"การตรวจครั้งที่ {run}" in parts(msg)[0]
    [record] = [d for d in arepo.deliveries() if d.run_id == run]
    assert (record.status, record.attempts) == ("sent", 2)
