"""A real scan started from the dashboard, on SQLite and PostgreSQL: register a sample site
as an agency through the agency form, start a scan of it through the scan form, follow
the redirect to the run's page and watch it: while the run goes on the page reloads
itself (meta refresh) and shows the progress; once the site is scanned the run is
complete, the page stops reloading and the runs list shows the run."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from forms_support import html, sign_in
from web_support import LiveServer, Seeded, make_app

import web._jobs
from oitwatch.sampleserver import SampleServer
from web._security import CSRF_FIELD


@pytest.fixture(scope="module")
def sample_site() -> Iterator[str]:
    """Only the small, compliant sample site (its own port on 127.0.0.1)."""
    with SampleServer(only=["compliant"]) as server:
        (site,) = server.sites
        yield site.url


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Holds a dashboard scan until the test has seen it running, so "while running" is
    observed for certain rather than raced; the real scan runs once the gate opens."""
    opened = threading.Event()
    real = web._jobs.run_inprocess

    def held(*args: Any, **kwargs: Any) -> Any:
        opened.wait(timeout=120)
        return real(*args, **kwargs)

    monkeypatch.setattr(web._jobs, "run_inprocess", held)
    return opened


def test_a_scan_started_from_the_form_shows_its_progress_until_complete(
    fresh_seeded: Seeded, sample_site: str, gate: threading.Event
) -> None:
    repo = fresh_seeded.repo
    options = {"min_delay": 0.0, "screenshots": False, "render": "never", "archive": False}
    with LiveServer(make_app(repo, scan_options=options)) as live, live.client() as client:
        field = sign_in(client, fresh_seeded.token)
        r = client.post("/agencies", data={
            "code": "SAMPLE-1", "name": "อบต.ดอนมะเฟืองทอง", "type": "อบต.",
            "province": "ขอนแก่น", "homepage": sample_site, CSRF_FIELD: field,
        })
        assert r.status_code == 303
        runs_before = len(repo.list_runs(limit=100))

        r = client.post("/scans", data={"agencies": "SAMPLE-1", "max_pages": "40",
                                        CSRF_FIELD: field})
        assert r.status_code == 303, r.text[:500]
        location = r.headers["location"]
        run_id = int(location.rsplit("/", 1)[1])
        assert location == f"/runs/{run_id}"

        running = html(client.get(location))
        refresh = running.css_first('meta[http-equiv="refresh"]')
        assert refresh is not None and refresh.attributes["content"] == "3"
        assert running.css_first("#run-state").attributes["data-state"] == "running"
        bar = running.css_first("#progress progress")
        assert (bar.attributes["value"], bar.attributes["max"]) == ("0", "1")
        assert "0 / 1" in running.css_first("#progress").text()
        assert running.css_first("#reloading") is not None

        gate.set()
        deadline = time.monotonic() + 120
        while True:
            page = html(client.get(location))
            state = page.css_first("#run-state").attributes["data-state"]
            # the page reloads itself exactly while the run goes on
            assert (page.css_first('meta[http-equiv="refresh"]') is not None) == (
                state == "running")
            if state != "running" or time.monotonic() > deadline:
                break
            time.sleep(0.5)  # what the browser's refresh does, faster
        assert state == "complete"
        assert "1 / 1" in page.css_first("#progress").text()
        counts = {tr.attributes["data-state"]: tr.css_first("td.count").text(strip=True)
                  for tr in page.css("table#site-states tr.site-state")}
        assert counts["complete"] == "1" and counts["failed"] == "0"
        assert page.css_first("a#overview-link").attributes["href"] == f"/?run={run_id}"

        # the site was really scanned: its item results are stored under the run
        progress = repo.run_progress(run_id)
        assert (progress.state, progress.complete) == ("complete", 1)
        (site,) = repo.load_run(run_id).sites  # type: ignore[union-attr]
        assert site.status == "ok" and any(i.status.value == "pass" for i in site.items)
        assert site.seed_url.startswith(sample_site.rstrip("/"))

        listing = html(client.get("/runs"))
        rows = listing.css("table#runs tr.run")
        assert len(rows) == runs_before + 1
        first = rows[0]
        assert first.attributes["data-run-id"] == str(run_id)
        assert "หน้าเว็บ" in first.css_first("td.trigger").text()  # started from the dashboard
        assert "น." in first.css_first("td.finished").text()
