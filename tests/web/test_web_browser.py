"""The dashboard in a real browser: uvicorn over a real database filled by a real scan of
sample sites (two bundled ones and a hostile one), driven by Playwright in Chromium.

What a monitor does is what is tested: open the overview, click an agency, an item, an
evidence and its archived copy, switch language, download the table, sign in with a token
to start a scan and watch it finish. Every page that shows the hostile site's titles, link
texts or agency name must show them as text: no dialog, no injected element, the literal
markup in the DOM's text, and no Content-Security-Policy violation on the dashboard.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from browser_support import (
    HOSTILE_AGENCY_NAME,
    HOSTILE_STRINGS,
    PageGuard,
    ScannedSites,
    chromium_path,
    injected_elements,
    launch_args,
    register_sites,
    scan_sample_sites,
    served_sites,
    squash,
    wait_until,
    write_hostile_site,
)
from playwright.sync_api import Browser, Page, expect, sync_playwright
from sqlalchemy import select
from web_support import LiveServer, make_app

from oitwatch.sampleserver import SampleServer
from reports._thai import ITEM_STATUS_LABEL
from storage import Database, Repository
from storage.models import EvidenceRow, ItemResultRow
from storage.tokens_repo import TokenRepository

SAMPLES = ("compliant", "traps")
BANGKOK = timezone(timedelta(hours=7))
STATUS_CLASS = re.compile(r"\bs-(pass|partial|fail|error|none)\b")


# -- fixtures --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def chromium() -> str:
    return chromium_path()


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[SampleServer]]:
    """`compliant`, `traps` and the hostile site, served on 127.0.0.1 for the whole module
    (scans started from the dashboard reach them too)."""
    extra = tmp_path_factory.mktemp("hostile_sites")
    write_hostile_site(extra)
    with served_sites(SAMPLES, extra) as running:
        yield running


@pytest.fixture(scope="module")
def sites(servers: list[SampleServer], tmp_path_factory: pytest.TempPathFactory,
          chromium: str) -> Iterator[ScannedSites]:
    """One real scan of the served sites, with archives and two evidence screenshots per
    site (rendering on: the screenshots are taken by the crawler's Chromium)."""
    home = tmp_path_factory.mktemp("web_browser_home")
    scanned = scan_sample_sites(home, servers, render="auto", screenshots=True,
                                max_evidence_screenshots=2, browser_path=chromium)
    yield scanned
    scanned.repo.db.close()


@pytest.fixture(scope="module")
def server(sites: ScannedSites) -> Iterator[LiveServer]:
    app = make_app(sites.repo, screenshot_dir=str(sites.screenshot_dir),
                   scan_options=sites.scan_options())
    with LiveServer(app) as live:
        yield live


@pytest.fixture(scope="module")
def browser(chromium: str) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=launch_args(),
                                              headless=True)
        yield launched
        launched.close()


@dataclass
class Tab:
    page: Page
    guard: PageGuard
    base: str

    def goto(self, path: str) -> Any:
        return self.page.goto(self.base + path)

    def text(self) -> str:
        return squash(self.page.locator("body").inner_text())


@pytest.fixture
def tab(browser: Browser, server: LiveServer) -> Iterator[Tab]:
    context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    guard = PageGuard().attach(page)
    yield Tab(page, guard, server.url)
    context.close()


# -- what the database says ------------------------------------------------------------------


def db_statuses(sites: ScannedSites, run_id: int | None = None) -> dict[str, dict[str, str]]:
    """agency code -> item code -> status, of the run's complete site scans."""
    snapshot = sites.repo.run_snapshot(run_id or sites.run_id)
    return {
        site.agency_code: {code: item.status for code, item in snapshot.items.get(
            site.site_scan_id, {}).items()}
        for site in snapshot.sites if site.agency_code
    }


def evidence_rows(sites: ScannedSites, site: str, code: str) -> list[Any]:
    """(id, url, warc_file) of one item's evidence in the module's run, best first."""
    query = (
        select(EvidenceRow.id, EvidenceRow.url, EvidenceRow.warc_file)
        .join(ItemResultRow, EvidenceRow.item_result_id == ItemResultRow.id)
        .where(ItemResultRow.site_scan_id == sites.scan_ids[site], ItemResultRow.code == code)
        .order_by(EvidenceRow.rank)
    )
    with sites.repo.db.engine.connect() as conn:
        return list(conn.execute(query))


def heatmap(page: Page) -> dict[str, dict[str, str]]:
    """agency code -> item code -> status class, read from table#heatmap."""
    rows = page.locator("table#heatmap tr.agency").evaluate_all(
        """rows => rows.map(r => [r.dataset.agencyCode,
              Array.from(r.querySelectorAll('td')).filter(td => /\\bs-/.test(td.className))
                   .map(td => [td.className, td.getAttribute('title') || ''])])"""
    )
    table: dict[str, dict[str, str]] = {}
    for code, cells in rows:
        statuses = {}
        for cls, title in cells:
            status = STATUS_CLASS.search(cls)
            item = re.match(r"\s*(O\d+)\b", title)
            assert status and item, f"heatmap cell without s-… class or 'O1 …' title: {cls!r}"
            statuses[item.group(1)] = status.group(1)
        table[code] = statuses
    return table


def assert_shows_as_text(tab: Tab, *literals: str) -> None:
    """The page holds ``literals`` as text, fired no dialog and has no injected element."""
    text = tab.text()
    for literal in literals:
        assert squash(literal) in text, f"{tab.page.url} does not show {literal!r} as text"
    assert injected_elements(tab.page) == [], tab.page.url
    assert tab.guard.dialogs == []


# -- flows ----------------------------------------------------------------------------------


def test_overview_to_agency_to_item_to_archived_evidence(tab: Tab, sites: ScannedSites) -> None:
    page = tab.page
    tab.goto("/")
    expected = db_statuses(sites)
    shown = heatmap(page)
    assert set(shown) == set(sites.codes.values())
    for code, items in expected.items():
        assert {k: v for k, v in shown[code].items() if v != "none"} == items, code

    # the overview → the compliant agency's page
    code = sites.codes["compliant"]
    page.locator(f"table#heatmap tr.agency[data-agency-code='{code}'] a.agency-link").click()
    scan_id, agency_id = sites.scan_ids["compliant"], sites.agency_ids["compliant"]
    expect(page).to_have_url(re.compile(rf"/(scans/{scan_id}|agencies/{agency_id})(\?|#|$)"))
    agency_url = page.url
    agency = sites.repo.get_agency(agency_id)
    assert agency is not None and agency.name in tab.text()
    expect(page.locator("#score")).to_be_visible()
    for item, status in expected[code].items():
        expect(page.locator(f"table#items tr#item-{item} .status")).to_have_class(
            re.compile(rf"\bs-{status}\b"))

    # the agency page → the item page of O1 (all agencies' O1 in this run)
    history = page.locator("table#history tr[data-item='O1'] td")
    expect(history).to_have_count(1)  # one run of this agency so far
    expect(history).to_have_class(re.compile(rf"\bs-{expected[code]['O1']}\b"))
    page.locator(f"table#items tr#item-O1 a[href*='/runs/{sites.run_id}/items/O1']").click()
    expect(page).to_have_url(re.compile(rf"/runs/{sites.run_id}/items/O1(\?|#|$)"))
    rows = page.locator("table#item-agencies tr.agency")
    expect(rows).to_have_count(len(expected))
    text = tab.text()
    for name in sites.codes:
        record = sites.repo.get_agency(sites.agency_ids[name])
        assert record is not None and squash(record.name) in text
    for code_, items in expected.items():
        cell = page.locator(f"table#item-agencies tr.agency[data-agency-code='{code_}'] td.status")
        expect(cell).to_have_class(re.compile(rf"\bs-{items['O1']}\b"))
    expect(page.locator("svg#pass-rate")).to_be_attached()

    # back to the agency page → an evidence and its archived copy
    page.go_back()
    expect(page).to_have_url(agency_url)
    best = evidence_rows(sites, "compliant", "O1")
    assert best, "the compliant site's O1 has evidence in the database"
    link = page.locator("table#items tr#item-O1 a.evidence").first
    assert link.get_attribute("href") == best[0].url
    assert best[0].url.startswith("http://127.0.0.1:")
    assert (link.get_attribute("rel") or "").split() == ["noopener", "noreferrer", "nofollow"]
    archived = page.locator("table#items tr#item-O1 a.archived").first
    href = (archived.get_attribute("href") or "").split("?")[0]
    assert href == f"/evidence/{best[0].id}/archived"
    with page.expect_response(re.compile(r"/evidence/\d+/archived$")) as answer:
        archived.click()
    response = answer.value
    assert response.status == 200
    assert "sandbox" in response.headers.get("content-security-policy", "")
    assert best[0].warc_file, "the scan archived its pages (WARC)"
    assert "โครงสร้างส่วนราชการ" in tab.text()  # the crawled structure page itself
    assert tab.guard.dialogs == []


def test_english_switch_and_back(tab: Tab, sites: ScannedSites) -> None:
    page = tab.page
    run = sites.repo.run_header(sites.run_id)
    assert run is not None
    ce = run.started_at.astimezone(BANGKOK).year
    code = sites.codes["compliant"]
    status = db_statuses(sites)[code]["O1"]
    cell = page.locator(f"table#heatmap tr.agency[data-agency-code='{code}'] td[title^='O1 ']")
    tab.goto(f"/?run={sites.run_id}")
    expect(page.locator("html")).to_have_attribute("lang", "th")
    assert str(ce + 543) in tab.text()
    expect(cell).to_have_attribute("title", f"O1 {ITEM_STATUS_LABEL[status]['th']}")

    page.locator("#lang-switch").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(rf"/\?run={sites.run_id}$"))  # the same page
    text = tab.text()
    assert "Overview" in text
    assert str(ce) in text and str(ce + 543) not in text, "English dates are CE"
    expect(cell).to_have_attribute("title", f"O1 {ITEM_STATUS_LABEL[status]['en']}")
    # the language sticks on the next page
    tab.goto(f"/scans/{sites.scan_ids['traps']}")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.locator("#lang-switch").click()
    expect(page.locator("html")).to_have_attribute("lang", "th")
    text = tab.text()
    assert str(ce + 543) in text, "Thai dates are Buddhist era"
    assert re.search(r"25\d\d", text)
    assert "ภาพรวม" in text
    expect(page.locator("#items tr#item-O1 .status")).to_have_text(
        ITEM_STATUS_LABEL[db_statuses(sites)[sites.codes["traps"]]["O1"]]["th"])


def test_csv_download_of_the_overview_matches_the_table(tab: Tab, sites: ScannedSites) -> None:
    page = tab.page
    tab.goto(f"/?run={sites.run_id}")
    shown = heatmap(page)
    with page.expect_download() as info:
        page.locator("a.download-csv").first.click()
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    raw = Path(download.path()).read_bytes()
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == len(shown)
    code_column = next(k for k in rows[0] if any(v == sites.codes["compliant"] for v in
                                                 (r[k] for r in rows)))
    for row in rows:
        agency = row[code_column]
        assert agency in shown
        for item, status in shown[agency].items():
            assert item in row, f"CSV has no column {item}: {list(row)}"
            # the reader's language (Thai); an item without a result is an empty cell
            want = ITEM_STATUS_LABEL[status]["th"] if status != "none" else ""
            assert row[item] == want, (agency, item, row[item], status)
    # crawled and registry text is data in a CSV: the hostile name comes back as written
    hostile = next(r for r in rows if r[code_column] == sites.codes["hostile"])
    assert HOSTILE_AGENCY_NAME in hostile.values()


def test_starting_a_scan_is_refused_without_a_token_and_runs_with_one(
    browser: Browser, servers: list[SampleServer], sites: ScannedSites, tmp_path: Path,
) -> None:
    # A database of its own (the module's run stays the newest there): the served sites
    # registered as agencies, nothing scanned yet.
    db = Database(f"sqlite:///{tmp_path}/writes.sqlite3")
    db.upgrade()
    repo = Repository(db)
    codes = register_sites(repo, servers)
    _, token = TokenRepository(db).create("browser test")
    app = make_app(repo, scan_options=sites.scan_options(archive_dir=str(tmp_path / "archives")))
    with LiveServer(app) as live:
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15_000)
        guard = PageGuard().attach(page)

        # not signed in: the form is not shown, the sign-in prompt is
        answer = page.goto(live.url + "/scans/new")
        assert answer is not None and answer.status in (200, 401)
        expect(page.locator("form#scan-form")).to_have_count(0)
        expect(page.locator("#sign-in-prompt a[href^='/login']")).to_be_visible()
        assert repo.list_runs() == []

        # signed in, then signed out in another tab: the form left open is refused
        page.goto(live.url + "/login?next=/scans/new")
        page.fill("#token", token)
        page.click("#sign-in")
        expect(page).to_have_url(live.url + "/scans/new")
        form = page.locator("form#scan-form")
        expect(form).to_be_visible()
        other = context.new_page()
        other.goto(live.url + "/")
        other.locator("form[action='/logout'] button").click()
        expect(other.locator("a[href^='/login']").first).to_be_visible()
        other.close()
        form.locator("[name=agencies]").fill(codes["compliant"])
        with page.expect_response(lambda r: r.url.endswith("/scans")
                                  and r.request.method == "POST") as posted:
            form.locator("[type=submit]").click()
        assert posted.value.status == 401
        assert repo.list_runs() == []

        # signed in again: the scan starts, its page shows progress and ends complete
        page.goto(live.url + "/login?next=/scans/new")
        page.fill("#token", token)
        page.click("#sign-in")
        form = page.locator("form#scan-form")
        form.locator("[name=agencies]").fill(codes["compliant"])
        form.locator("[type=submit]").click()
        expect(page).to_have_url(re.compile(r"/runs/\d+$"))
        run_id = int(page.url.rsplit("/", 1)[1])
        runs = repo.list_runs()
        assert [r.id for r in runs] == [run_id] and runs[0].trigger == "dashboard"
        expect(page.locator("#progress")).to_be_visible()
        expect(page.locator("#progress progress")).to_have_attribute("max", "1")
        wait_until(lambda: repo.run_progress(run_id).state == "complete", 120,
                   f"run {run_id} to complete")
        page.reload()
        expect(page.locator("#progress")).to_contain_text("1 / 1")
        expect(page.locator("#progress progress")).to_have_attribute("value", "1")
        expect(page.locator("meta[http-equiv='refresh']")).to_have_count(0)
        assert repo.run_progress(run_id).complete == 1
        assert guard.dialogs == [] and guard.page_errors == []
        context.close()
    db.close()


def test_hostile_titles_and_names_show_as_text(tab: Tab, sites: ScannedSites) -> None:
    page = tab.page
    code = sites.codes["hostile"]
    # the overview: the agency's name
    tab.goto(f"/?run={sites.run_id}")
    assert_shows_as_text(tab, HOSTILE_AGENCY_NAME)
    expect(page.locator(f"tr.agency[data-agency-code='{code}']")).to_have_count(1)

    # the agency page: its name, and its link texts in the click paths
    page.locator(f"tr.agency[data-agency-code='{code}'] a.agency-link").click()
    click_paths = [e.click_path for e in sites.repo.evidence_for(sites.run_id)
                   if e.agency_code == code and e.click_path]
    assert click_paths, "the hostile site's evidence has click paths"
    link_texts = {step for path in click_paths for step in path
                  if any(h in step for h in HOSTILE_STRINGS)}
    assert len(link_texts) == 3  # one per hostile string, from the real crawl
    assert_shows_as_text(tab, HOSTILE_AGENCY_NAME, *link_texts)
    agency_url = page.url

    # the item page of O1: every agency's name, the hostile one as text
    tab.goto(f"/runs/{sites.run_id}/items/O1")
    assert_shows_as_text(tab, HOSTILE_AGENCY_NAME)

    # the archived copy of the hostile page: shown sandboxed, its script never runs
    tab.goto(agency_url.removeprefix(tab.base))
    best = evidence_rows(sites, "hostile", "O1")
    assert best
    archived = page.locator("table#items tr#item-O1 a.archived").first
    with page.expect_response(re.compile(r"/evidence/\d+/archived$")) as answer:
        archived.click()
    response = answer.value
    assert "sandbox" in response.headers.get("content-security-policy", "")
    page.wait_for_load_state("load")
    assert "โครงสร้างส่วนราชการ" in tab.text()
    # The crawled page does hold <img onerror> and <script>: they are its own, inert.
    assert page.locator("img[onerror]").count() == 1
    assert tab.guard.blocked_scripts(page.url) >= 1, "Chromium blocked the page's script"
    assert tab.guard.dialogs == []
    assert tab.guard.page_errors == []


def test_evidence_screenshot_thumbnail_loads(tab: Tab, sites: ScannedSites) -> None:
    page = tab.page
    tab.goto(f"/scans/{sites.scan_ids['compliant']}")
    thumb = page.locator("table#items img.thumb").first
    expect(thumb).to_be_visible()
    src = thumb.get_attribute("src") or ""
    assert re.fullmatch(r"/screenshots/[0-9a-f]{64}\.png", src), src
    assert (sites.screenshot_dir).is_dir()
    wait_until(lambda: thumb.evaluate("img => img.complete && img.naturalWidth > 0"), 10,
               "the thumbnail to load")
    answer = page.request.get(tab.base + src)
    assert answer.status == 200
    assert answer.headers["content-type"] == "image/png"
    assert "sandbox" in answer.headers.get("content-security-policy", "")


def test_no_csp_violation_or_script_error_on_dashboard_pages(
    tab: Tab, sites: ScannedSites,
) -> None:
    paths = [
        "/", f"/?run={sites.run_id}&sort=name", "/?lang=en", "/runs", f"/runs/{sites.run_id}",
        f"/scans/{sites.scan_ids['hostile']}", f"/scans/{sites.scan_ids['compliant']}",
        f"/agencies/{sites.agency_ids['traps']}", f"/runs/{sites.run_id}/items/O1",
        f"/runs/{sites.run_id}/items/O28?lang=en", f"/runs/{sites.run_id}/diff", "/agencies",
        "/schedules", "/login",
        "/scans/new",
    ]
    for path in paths:
        response = tab.goto(path)
        assert response is not None and response.status in (200, 401), (path, response.status)
        tab.page.wait_for_load_state("load")
        assert injected_elements(tab.page) == [], path
    assert tab.guard.csp_violations(tab.base) == []
    assert tab.guard.broken_resources(tab.base, expected=("/scans/new",)) == []
    assert tab.guard.page_errors == []
    assert tab.guard.dialogs == []
