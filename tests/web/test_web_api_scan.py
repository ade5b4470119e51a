"""POST /api/v1/scans end to end, on SQLite and PostgreSQL: register a sample site through
the API, start its scan with a token, poll the progress URL until the run is finished, and
read the verdicts back through the API. The site is the bundled ``compliant`` sample, served
on 127.0.0.1 by oitwatch.sampleserver (no internet)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest
from web_support import LiveServer, Seeded, make_app

from oitwatch.sampleserver import CHECKED_ITEMS, SampleServer, SampleSite
from rules import load_catalog

API = "/api/v1"
TIMEOUT = 120.0


@pytest.fixture(scope="module")
def compliant() -> Iterator[SampleSite]:
    with SampleServer(only=["compliant"]) as server:
        (site,) = server.sites
        yield site


def poll_until_finished(client: httpx.Client, url: str) -> dict[str, object]:
    deadline = time.monotonic() + TIMEOUT
    while True:
        r = client.get(url)
        assert r.status_code == 200, r.text
        progress: dict[str, object] = r.json()
        if progress["finished"]:
            return progress
        assert time.monotonic() < deadline, f"run not finished after {TIMEOUT} s: {progress}"
        time.sleep(0.25)


def test_a_scan_started_through_the_api_runs_and_reports(
    fresh_seeded: Seeded, compliant: SampleSite
) -> None:
    home = fresh_seeded.home
    options = {"min_delay": 0.0, "max_pages": 300, "render": "never", "screenshots": False,
               "archive_dir": str(home / "archives"), "screenshot_dir": str(home / "shots")}
    auth = {"authorization": f"Bearer {fresh_seeded.token}"}
    with LiveServer(make_app(fresh_seeded.repo, scan_options=options)) as live, \
            live.client() as client:
        r = client.post(f"{API}/agencies", headers=auth, json={
            "code": "web-compliant", "name": compliant.config["name_th"], "type": "อบต.",
            "province": "ขอนแก่น", "homepage": compliant.url, "catalog": "ita-2566"})
        assert r.status_code == 201, r.text
        agency_id = r.json()["id"]

        r = client.post(f"{API}/scans", json={"selection": {"agencies": ["web-compliant"]}})
        assert r.status_code == 401  # no token, no scan
        runs_before = len(fresh_seeded.repo.list_runs(100))
        assert runs_before == len(fresh_seeded.campaign.run_ids)

        r = client.post(f"{API}/scans", headers=auth,
                        json={"selection": {"agencies": ["web-compliant"]}})
        assert r.status_code == 202, r.text
        started = r.json()
        run_id = started["run_id"]
        assert started == {"run_id": run_id, "sites": 1, "backend": "inprocess",
                           "progress": f"{API}/runs/{run_id}/progress"}
        assert len(fresh_seeded.repo.list_runs(100)) == runs_before + 1

        progress = poll_until_finished(client, started["progress"])
        assert progress["state"] == "complete"
        assert (progress["total"], progress["complete"], progress["failed"]) == (1, 1, 0)
        run = client.get(f"{API}/runs/{run_id}").json()
        assert run["trigger"] == "api" and run["state"] == "complete"

        (scan,) = client.get(f"{API}/site-scans", params={"run_id": run_id}).json()["items"]
        assert scan["agency_id"] == agency_id and scan["seed_url"] == compliant.url
        assert scan["state"] == "complete" and scan["status"] == "ok"
        detail = client.get(f"{API}/site-scans/{scan['id']}").json()
        assert detail["score"]["oit"] is not None and detail["score"]["estimate"] is True

        items = client.get(f"{API}/item-results",
                           params={"run_id": run_id, "limit": 500}).json()
        assert items["total"] == len(load_catalog("ita-2566").items)
        got = {i["code"]: i["status"] for i in items["items"]}
        # what the sample site is built to show, item by item
        want = {code: compliant.expected[code]["status"] for code in CHECKED_ITEMS}
        assert {code: got[code] for code in CHECKED_ITEMS} == want
        # and the same as the database holds
        (report,) = fresh_seeded.repo.load_site_reports(run_id)
        assert got == {i.code: i.status.value for i in report.items}
        evidence = client.get(f"{API}/evidence", params={"run_id": run_id, "code": "O1"}).json()
        assert evidence["total"] >= 1
        best = evidence["items"][0]
        assert best["url"].startswith(compliant.url) and best["http_status"] == 200
        # the archive is named as export packages name it, not by the server's own folders
        assert best["warc_file"].startswith(f"run-{run_id}/") and best["warc_file"].count("/") == 1
        assert str(home) not in best["warc_file"] and best["warc_offset"] >= 0
