"""The dashboard's writes over the real server, on SQLite and PostgreSQL: adding and
updating agencies, adding and editing schedules, starting a scan. Each needs a signed-in
session (401 page else) and the form's CSRF field (403 else), and a refused or bad post
writes nothing; bad input is answered on the form, in the reader's language, naming the
field and keeping what was typed."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import httpx
import pytest
from forms_support import csrf_of, html, problems, sign_in, snapshot
from web_support import LiveServer, Seeded, make_app

from web._security import CSRF_FIELD


# A scan these tests start must never leave 127.0.0.1, nor take long.
QUICK_SCANS = {"min_delay": 0.0, "screenshots": False, "render": "never", "archive": False,
               "max_depth": 1}


@pytest.fixture
def server(fresh_seeded: Seeded) -> Iterator[LiveServer]:
    with LiveServer(make_app(fresh_seeded.repo, scan_options=QUICK_SCANS)) as live:
        yield live


def _closed_port() -> int:
    """A local port nothing listens on (connections are refused at once)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def browser(server: LiveServer) -> Iterator[httpx.Client]:
    with server.client() as client:
        yield client


@pytest.fixture
def signed_in(browser: httpx.Client, fresh_seeded: Seeded) -> tuple[httpx.Client, str]:
    return browser, sign_in(browser, fresh_seeded.token)


def _schedule(seeded: Seeded) -> int:
    return seeded.repo.add_schedule(cron="0 1 * * *", selection={"province": "ขอนแก่น"},
                                    name="nightly")


GOOD_AGENCY = {"code": "6400199", "name": "อบต.ทดสอบ", "type": "อบต.", "province": "ขอนแก่น",
               "district": "อำเภอบ้านไผ่", "homepage": "www.test-agency.go.th",
               "catalog": "ita-2566"}


def _writes(seeded: Seeded, schedule_id: int) -> list[tuple[str, dict[str, str]]]:
    return [
        ("/agencies", dict(GOOD_AGENCY)),
        ("/schedules", {"cron": "0 2 * * *", "province": "ขอนแก่น", "enabled": "on"}),
        (f"/schedules/{schedule_id}", {"cron": "0 3 * * *", "name": "changed"}),
        ("/scans", {"agencies": "LOCAL-1", "max_pages": "5"}),
    ]


def test_a_write_without_a_session_is_refused_and_changes_nothing(
    browser: httpx.Client, fresh_seeded: Seeded
) -> None:
    schedule_id = _schedule(fresh_seeded)
    before = snapshot(fresh_seeded.repo)
    field = csrf_of(browser)  # a valid CSRF field: only the session is missing
    for path, data in _writes(fresh_seeded, schedule_id):
        r = browser.post(path, data={**data, CSRF_FIELD: field})
        assert r.status_code == 401, (path, r.status_code)
        assert "text/html" in r.headers["content-type"]
        assert "ต้องเข้าสู่ระบบ" in r.text
        assert html(r).css_first('a[href^="/login"]') is not None
    assert snapshot(fresh_seeded.repo) == before


def test_a_write_without_the_csrf_field_or_with_a_wrong_one_is_refused(
    server: LiveServer, signed_in: tuple[httpx.Client, str], fresh_seeded: Seeded
) -> None:
    client, field = signed_in
    schedule_id = _schedule(fresh_seeded)
    before = snapshot(fresh_seeded.repo)
    with server.client() as other:
        foreign = csrf_of(other)  # valid for another browser's CSRF cookie only
    for path, data in _writes(fresh_seeded, schedule_id):
        for extra, headers in (
            ({}, {}),
            ({CSRF_FIELD: ""}, {}),
            ({CSRF_FIELD: field + "x"}, {}),
            ({CSRF_FIELD: foreign}, {}),
            ({CSRF_FIELD: field}, {"origin": "https://evil.example"}),
        ):
            r = client.post(path, data={**data, **extra}, headers=headers)
            assert r.status_code == 403, (path, extra, headers, r.status_code)
            assert "แบบฟอร์มหมดอายุ" in r.text
    assert snapshot(fresh_seeded.repo) == before


def test_with_a_session_and_the_csrf_field_each_write_is_done(
    signed_in: tuple[httpx.Client, str], fresh_seeded: Seeded
) -> None:
    client, field = signed_in
    repo = fresh_seeded.repo
    schedule_id = _schedule(fresh_seeded)
    repo.upsert_agency(code="LOCAL-1", name="ปิดอยู่",
                       homepage=f"http://127.0.0.1:{_closed_port()}/")
    runs_before = {r.id for r in repo.list_runs(limit=100)}
    writes = dict(_writes(fresh_seeded, schedule_id))

    r = client.post("/agencies", data={**writes["/agencies"], CSRF_FIELD: field})
    assert r.status_code == 303 and r.headers["location"] == "/agencies?q=6400199&saved=1"
    (agency,) = repo.list_agencies(codes=["6400199"])
    assert (agency.name, agency.type, agency.province, agency.district, agency.homepage,
            agency.catalog) == ("อบต.ทดสอบ", "อบต.", "ขอนแก่น", "บ้านไผ่",
                                "http://www.test-agency.go.th", "ita-2566")
    listed = html(client.get(r.headers["location"]))
    assert listed.css_first("#saved") is not None
    assert [tr.attributes["data-agency-code"]
            for tr in listed.css("table#agencies tr.agency")] == ["6400199"]

    r = client.post("/schedules", data={**writes["/schedules"], CSRF_FIELD: field})
    assert r.status_code == 303
    added = max(repo.list_schedules(), key=lambda s: s.id)
    assert r.headers["location"] == f"/schedules?saved={added.id}"
    assert (added.cron, added.selection, added.enabled, added.backend) == (
        "0 2 * * *", {"province": "ขอนแก่น"}, True, "inprocess")

    r = client.post(f"/schedules/{schedule_id}",
                    data={**writes[f"/schedules/{schedule_id}"], CSRF_FIELD: field})
    assert r.status_code == 303
    edited = repo.get_schedule(schedule_id)
    assert edited is not None
    assert (edited.cron, edited.name, edited.enabled) == ("0 3 * * *", "changed", False)

    r = client.post("/scans", data={**writes["/scans"], CSRF_FIELD: field})
    assert r.status_code == 303
    new_runs = {x.id for x in repo.list_runs(limit=100)} - runs_before
    assert len(new_runs) == 1
    (run_id,) = new_runs
    assert r.headers["location"] == f"/runs/{run_id}"
    assert repo.run_progress(run_id).total == 1
    # The site refuses connections: the run closes soon (and before the database goes).
    deadline = time.monotonic() + 60
    while repo.run_progress(run_id).state == "running" and time.monotonic() < deadline:
        time.sleep(0.2)
    progress = repo.run_progress(run_id)
    assert (progress.state, progress.done) == ("complete", 1)


def test_an_agency_is_updated_by_its_code_and_its_name_shown_as_text(
    signed_in: tuple[httpx.Client, str], fresh_seeded: Seeded
) -> None:
    client, field = signed_in
    repo = fresh_seeded.repo
    code = fresh_seeded.campaign.agency_codes[2]
    (before,) = repo.list_agencies(codes=[code])
    form = html(client.get("/agencies/new", params={"code": code}))
    assert form.css_first("#code").attributes["value"] == code
    assert form.css_first("#name").attributes["value"] == before.name
    hostile = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
    r = client.post("/agencies?lang=en", data={"code": code, "name": hostile,
                                               CSRF_FIELD: field})
    assert r.status_code == 303  # and the answer stays in the reader's language:
    assert r.headers["location"] == f"/agencies?q={code}&saved=1&lang=en"
    assert "The agency was saved" in client.get(r.headers["location"]).text
    (after,) = repo.list_agencies(codes=[code])
    assert after.id == before.id and after.name == hostile
    assert (after.homepage, after.province) == (before.homepage, before.province)  # kept
    assert len(repo.list_agencies()) == 8
    page = client.get("/agencies", params={"q": code})
    assert hostile not in page.text
    link = html(page).css_first("table#agencies a.agency-link")
    assert link.text() == hostile and link.css("script, img") == []


BAD_AGENCIES = [
    ({"code": "X" * 33}, "code", "ยาวเกิน 32", "longer than 32"),
    ({"code": ""}, "code", "ต้องกรอก", "is required"),
    ({"code": "64 001"}, "code", "ช่องว่าง", "spaces"),
    ({"name": "อบต.\x00นาดี"}, "name", "NUL", "NUL"),
    ({"name": "   "}, "name", "ต้องกรอก", "is required"),
    ({"province": "นาร์เนีย"}, "province", "ไม่รู้จักจังหวัด", "unknown province"),
    ({"homepage": "javascript:alert(1)"}, "homepage", "ไม่ใช่ที่อยู่เว็บ", "not a valid web"),
    ({"homepage": "http://exa mple.go.th/"}, "homepage", "ไม่ใช่ที่อยู่เว็บ", "not a valid web"),
    ({"homepage": "ftp://files.go.th/"}, "homepage", "ไม่ใช่ที่อยู่เว็บ", "not a valid web"),
    ({"type": "ดาวอังคาร"}, "type", "ไม่รู้จักประเภท", "unknown agency type"),
    ({"catalog": "ita-1999"}, "catalog", "ไม่มีชุดกฎ", "no catalog"),
    ({"district": "x" * 101}, "district", "ยาวเกิน 100", "longer than 100"),
]


def test_bad_agency_input_is_answered_on_the_form(
    signed_in: tuple[httpx.Client, str], fresh_seeded: Seeded
) -> None:
    client, field = signed_in
    before = snapshot(fresh_seeded.repo)
    label = {"th": {"code": "รหัสหน่วยงาน", "name": "ชื่อหน่วยงาน", "province": "จังหวัด",
                    "homepage": "เว็บไซต์", "type": "ประเภทหน่วยงาน", "catalog": "ชุดกฎ",
                    "district": "อำเภอ"},
             "en": {"code": "Agency code", "name": "Agency name", "province": "Province",
                    "homepage": "Homepage", "type": "Agency type", "catalog": "Catalog",
                    "district": "District"}}
    for change, name, thai, english in BAD_AGENCIES:
        data = {**GOOD_AGENCY, **change}
        for lang, words in (("th", thai), ("en", english)):
            _one_bad_agency(client, field, data, name, lang, words, label[lang][name])
    assert snapshot(fresh_seeded.repo) == before


def _one_bad_agency(client: httpx.Client, field: str, data: dict[str, str], name: str,
                    lang: str, words: str, label: str) -> None:
    r = client.post(f"/agencies?lang={lang}", data={**data, CSRF_FIELD: field})
    assert r.status_code == 400, r.text[:300]
    page = html(r)
    found = problems(page)
    assert list(found) == [name], found
    assert found[name].startswith(label + ":"), found
    assert words in found[name], found
    assert page.css_first(f"#error-{name}") is not None
    form = page.css_first("form#agency-form")
    assert form is not None and form.attributes["action"] == f"/agencies?lang={lang}"
    # what was typed is still there (a select keeps its typed value as an option)
    for key, value in data.items():
        widget = form.css_first(f"#{key}")
        shown = (widget.attributes.get("value") if widget.tag == "input"
                 else (widget.css_first("option[selected]").attributes["value"]))
        assert shown == value.replace("\x00", "\ufffd"), (key, shown)


def test_schedules_are_added_and_edited_with_their_cron_checked(
    signed_in: tuple[httpx.Client, str], fresh_seeded: Seeded
) -> None:
    client, field = signed_in
    repo = fresh_seeded.repo
    schedule_id = _schedule(fresh_seeded)
    before = snapshot(repo)

    bad = [
        ({"cron": "61 * * * *"}, "cron", "ไม่ถูกต้อง", "bad cron"),
        ({"cron": "0 1 * *"}, "cron", "5 ช่อง", "expected 5 fields"),
        ({"cron": ""}, "cron", "ต้องกรอก", "is required"),
        ({"cron": "0 1 * * *\x00"}, "cron", "NUL", "NUL"),
        ({"name": "nightly"}, "name", "มีตารางชื่อ", "exists already"),
        ({"province": "นาร์เนีย"}, "province", "ไม่รู้จักจังหวัด", "unknown province"),
        ({"province": ""}, "selection", "เลือกอย่างใดอย่างหนึ่ง", "choose exactly one"),
        ({"all": "on"}, "selection", "เลือกอย่างใดอย่างหนึ่ง", "choose exactly one"),
        ({"max_pages": "0"}, "max_pages", "ระหว่าง 1", "between 1"),
        ({"max_pages": "1000000000"}, "max_pages", "ระหว่าง 1", "between 1"),
        ({"backend": "cron-job"}, "backend", "ไม่รู้จัก", "unknown"),
    ]
    good = {"cron": "30 4 * * 1", "province": "ขอนแก่น", "name": "weekly", "enabled": "on"}
    for change, name, thai, english in bad:
        for lang, words in (("th", thai), ("en", english)):
            r = client.post(f"/schedules?lang={lang}", data={**good, **change, CSRF_FIELD: field})
            assert r.status_code == 400, (change, r.status_code)
            found = problems(html(r))
            assert name in found and words in found[name], (change, found)
            typed = html(r).css_first("form#schedule-new-form #cron").attributes["value"]
            assert typed == {**good, **change}["cron"].replace("\x00", "\ufffd")
    assert snapshot(repo) == before

    r = client.post("/schedules", data={**good, "max_pages": "๕๐", CSRF_FIELD: field})
    assert r.status_code == 303
    added = next(s for s in repo.list_schedules() if s.name == "weekly")
    assert (added.cron, added.options["max_pages"], added.enabled) == ("30 4 * * 1", 50, True)
    listing = html(client.get("/schedules"))
    row = listing.css_first(f'table#schedules tr[data-schedule-id="{added.id}"]')
    assert "จังหวัดขอนแก่น" in row.text() and row.css_first("td.next").text(strip=True) != "-"
    assert "2" in row.css_first("td.next").text() and "น." in row.css_first("td.next").text()

    edit = html(client.get(f"/schedules/{schedule_id}/edit"))
    form = edit.css_first("form#schedule-form")
    assert form.css_first("#cron").attributes["value"] == "0 1 * * *"
    assert "checked" in form.css_first("#enabled").attributes
    before = snapshot(repo)
    for data, name in (({"cron": "every night"}, "cron"), ({"name": "weekly"}, "name"),
                       ({"name": "n" * 201}, "name")):
        r = client.post(f"/schedules/{schedule_id}",
                        data={"cron": "0 1 * * *", **data, CSRF_FIELD: field})
        assert r.status_code == 400 and name in problems(html(r)), data
    assert snapshot(repo) == before
    r = client.post(f"/schedules/{schedule_id}",
                    data={"cron": " 15  2 * * * ", "name": "", "enabled": "on",
                          CSRF_FIELD: field})
    assert r.status_code == 303
    edited = repo.get_schedule(schedule_id)
    assert edited is not None and (edited.cron, edited.name, edited.enabled) == (
        "15 2 * * *", None, True)
    assert client.post("/schedules/999999", data={"cron": "0 1 * * *", CSRF_FIELD: field}
                       ).status_code == 404


def test_bad_scan_requests_are_answered_on_the_form_and_start_nothing(
    signed_in: tuple[httpx.Client, str], fresh_seeded: Seeded
) -> None:
    client, field = signed_in
    # registered, but without a homepage: the scan itself refuses (ScanStartError)
    fresh_seeded.repo.upsert_agency(code="NO-HOME", name="ไม่มีเว็บไซต์")
    before = snapshot(fresh_seeded.repo)
    code = fresh_seeded.campaign.agency_codes[0]
    cases = [
        ({"agencies": "NO-HOME"}, "selection", "ไม่มีเว็บไซต์ในทะเบียน", "has a homepage"),
        ({"province": "ขอนแก่น", "max_pages": "0"}, "max_pages", "ระหว่าง 1", "between 1"),
        ({"province": "ขอนแก่น", "max_pages": "1000000000"}, "max_pages", "ระหว่าง 1",
         "between 1"),
        ({"province": "ขอนแก่น", "max_pages": "9" * 5000}, "max_pages", "ระหว่าง 1", "between 1"),
        ({"province": "ขอนแก่น", "max_pages": "ten"}, "max_pages", "จำนวนเต็ม", "whole number"),
        ({"province": "เชียงใหม่"}, "province", "ไม่รู้จักจังหวัด", "unknown province"),
        ({"province": "ขอนแก่น", "district": "ไม่มีอำเภอนี้"}, "district", "ไม่มีอำเภอ",
         "no district"),
        ({}, "selection", "เลือกอย่างใดอย่างหนึ่ง", "choose exactly one"),
        ({"province": "ขอนแก่น", "all": "on"}, "selection", "เลือกอย่างใดอย่างหนึ่ง",
         "choose exactly one"),
        ({"agencies": f"{code}, NOPE-1"}, "agencies", "NOPE-1", "NOPE-1"),
        ({"agencies": "Y" * 33}, "agencies", "ยาวเกิน 32", "longer than 32"),
        ({"agencies": f"{code}\x00"}, "agencies", "NUL", "NUL"),
        ({"all": "on", "catalog": "ita-1999"}, "catalog", "ไม่มีชุดกฎ", "no catalog"),
    ]
    for data, name, thai, english in cases:
        for lang, words in (("th", thai), ("en", english)):
            r = client.post(f"/scans?lang={lang}", data={**data, CSRF_FIELD: field})
            assert r.status_code == 400, (data, r.status_code)
            page = html(r)
            found = problems(page)
            assert name in found and words in found[name], (data, found)
            form = page.css_first("form#scan-form")
            assert form.attributes["action"] == f"/scans?lang={lang}"
            if "agencies" in data:
                assert form.css_first("#agencies").text() == data["agencies"].replace(
                    "\x00", "\ufffd")
            if "max_pages" in data and len(data["max_pages"]) < 100:
                assert form.css_first("#max_pages").attributes["value"] == data["max_pages"]
            if "province" in data:
                chosen = form.css_first("#province option[selected]")
                assert chosen.attributes["value"] == data["province"]
    assert snapshot(fresh_seeded.repo) == before


def test_the_scan_form_offers_the_registry_provinces(
    signed_in: tuple[httpx.Client, str], fresh_seeded: Seeded
) -> None:
    client, _ = signed_in
    page = html(client.get("/scans/new"))
    form = page.css_first("form#scan-form")
    assert form is not None and form.css_first(f'input[name="{CSRF_FIELD}"]') is not None
    provinces = {o.attributes["value"] for o in form.css("#province option")} - {""}
    assert provinces == {a.province for a in fresh_seeded.repo.list_agencies()}
    assert form.css_first('input[type="checkbox"][name="all"]') is not None
    assert form.css_first("#max_pages") is not None
    english = html(client.get("/scans/new", params={"lang": "en"}))
    assert english.css_first("#province option[value='ขอนแก่น']").text() == "Khon Kaen"
    assert english.css_first("form#scan-form").attributes["action"] == "/scans?lang=en"
