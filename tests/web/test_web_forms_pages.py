"""The form pages as a reader sees them (no writes): the runs list and a run's page, the
agency registry with its filters and pages, and the forms shown to someone not signed in.
Over the real server on SQLite and PostgreSQL (the module's ``seeded`` campaign)."""

from __future__ import annotations

import re

import httpx
import pytest
from forms_support import html
from web_support import Seeded

from benchmarks.campaign_data import HOSTILE


def test_runs_list_shows_every_run_with_buddhist_era_dates(api: httpx.Client,
                                                           seeded: Seeded) -> None:
    page = html(api.get("/runs"))
    rows = page.css("table#runs tr.run")
    assert [int(r.attributes["data-run-id"] or 0) for r in rows] == sorted(
        seeded.campaign.run_ids, reverse=True)
    for row, run in zip(rows, seeded.repo.list_runs(limit=100), strict=True):
        started = row.css_first("td.started").text(strip=True)
        assert str(run.started_at.year + 543) in started and "น." in started, started
        assert row.css_first("a.run-link").attributes["href"] == f"/runs/{run.id}"
        assert row.css_first("td.sites").text(strip=True) == "30 / 30"
        assert "เสร็จแล้ว" in row.text()
    english = html(api.get("/runs", params={"lang": "en"}))
    started = english.css_first("table#runs td.started").text(strip=True)
    assert re.search(r"20\d\d-\d\d-\d\d \d\d:\d\d", started), started
    assert "complete" in english.css_first("table#runs").text()


def test_a_complete_run_shows_its_progress_and_does_not_reload(api: httpx.Client,
                                                               seeded: Seeded) -> None:
    run_id = seeded.campaign.run_ids[-1]
    r = api.get(f"/runs/{run_id}")
    assert r.status_code == 200
    page = html(r)
    assert page.css('meta[http-equiv="refresh"]') == []
    bar = page.css_first("#progress progress")
    assert bar.attributes["value"] == "30" and bar.attributes["max"] == "30"
    assert "30 / 30" in page.css_first("#progress").text()
    assert page.css_first("#run-state").attributes["data-state"] == "complete"
    counts = {tr.attributes["data-state"]: tr.css_first("td.count").text(strip=True)
              for tr in page.css("table#site-states tr.site-state")}
    assert counts == {"queued": "0", "running": "0", "complete": "30", "failed": "0",
                      "total": "30"}
    assert page.css_first("a#overview-link").attributes["href"] == f"/?run={run_id}"
    assert page.css_first("a#diff-link").attributes["href"] == f"/runs/{run_id}/diff"


@pytest.mark.parametrize("path,status", [
    ("/runs/999999", 404),
    ("/runs/0", 400),
    ("/runs/2147483648", 400),
    ("/runs/abc", 400),
    ("/runs?page=0", 400),
    ("/runs?page=x", 400),
    ("/schedules/999999/edit", 404),
    ("/schedules/-1/edit", 400),
    ("/agencies?per_page=501", 400),
    ("/agencies?page=0", 400),
    ("/agencies?province=%00", 400),
    ("/agencies?q=a%00b", 400),
    ("/agencies?q=" + "x" * 300, 400),
])
def test_bad_addresses_get_a_clear_page_never_a_500(api: httpx.Client, path: str,
                                                     status: int) -> None:
    r = api.get(path)
    assert r.status_code == status, r.text[:300]
    assert "text/html" in r.headers["content-type"]


def test_the_registry_list_filters_and_pages(api: httpx.Client, seeded: Seeded) -> None:
    everything = html(api.get("/agencies"))
    assert len(everything.css("table#agencies tr.agency")) == 30
    province_options = [o.attributes["value"] for o in everything.css("select#province option")]
    assert set(province_options) == {"", "ขอนแก่น", "พิษณุโลก", "ลำปาง", "สงขลา"}

    khon_kaen = html(api.get("/agencies", params={"province": "ขอนแก่น"}))
    rows = khon_kaen.css("table#agencies tr.agency")
    assert rows and len(rows) < 30
    assert all("ขอนแก่น" in r.text() for r in rows)
    expected = {a.code for a in seeded.repo.list_agencies(province="ขอนแก่น")}
    assert {r.attributes["data-agency-code"] for r in rows} == expected

    typed = html(api.get("/agencies", params={"type": "อบต.", "province": "ลำปาง"}))
    expected = {a.code for a in seeded.repo.list_agencies(province="ลำปาง", agency_type="อบต.")}
    assert {r.attributes["data-agency-code"]
            for r in typed.css("table#agencies tr.agency")} == expected

    found = html(api.get("/agencies", params={"q": "G00007"}))
    assert [r.attributes["data-agency-code"]
            for r in found.css("table#agencies tr.agency")] == ["G00007"]
    # A "%" typed into the search box is a percent sign, not "anything".
    assert html(api.get("/agencies", params={"q": "%"})).css("table#agencies tr.agency") == []

    first = html(api.get("/agencies", params={"per_page": 7}))
    assert len(first.css("table#agencies tr.agency")) == 7
    assert "1–7" in first.css_first(".pager-count").text() and "30" in first.css_first(
        ".pager-count").text()
    last_link = first.css_first("a.pager-next").attributes["href"] or ""
    assert "page=2" in last_link and "per_page=7" in last_link
    last = html(api.get("/agencies", params={"per_page": 7, "page": 5}))
    assert len(last.css("table#agencies tr.agency")) == 2
    assert last.css("a.pager-next") == []
    codes = set()
    for number in range(1, 6):
        page = html(api.get("/agencies", params={"per_page": 7, "page": number}))
        codes |= {r.attributes["data-agency-code"] for r in page.css("tr.agency")}
    assert codes == set(seeded.campaign.agency_codes)


def test_hostile_agency_names_are_text(api: httpx.Client) -> None:
    r = api.get("/agencies")
    page = html(r)
    names = [a.text() for a in page.css("table#agencies a.agency-link")]
    for hostile in HOSTILE:
        assert any(hostile in name for name in names), hostile
    assert page.css("table#agencies script") == []
    assert page.css("table#agencies img") == []
    assert "<script>alert('title')</script>" not in r.text  # escaped in the source


@pytest.mark.parametrize("path,form", [
    ("/scans/new", "form#scan-form"),
    ("/agencies/new", "form#agency-form"),
    ("/schedules", "form#schedule-new-form"),
])
def test_form_pages_ask_a_reader_who_is_not_signed_in_to_sign_in(
    api: httpx.Client, path: str, form: str
) -> None:
    r = api.get(path)
    assert r.status_code == 200
    page = html(r)
    assert page.css(form) == []
    prompt = page.css_first("#sign-in-prompt")
    assert prompt is not None and "เข้าสู่ระบบ" in prompt.text()
    assert prompt.css_first("a").attributes["href"].startswith("/login?next=")
    english = html(api.get(path, params={"lang": "en"}))
    assert "Sign in" in english.css_first("#sign-in-prompt").text()


def test_every_form_word_exists_in_both_languages() -> None:
    from web._words_forms import WORDS

    for key, words in WORDS.items():
        assert set(words) == {"th", "en"} and all(words.values()), key
        assert words["th"] != words["en"] or words["en"] in ("API",), key
