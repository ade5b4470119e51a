"""The scan pipeline stores a PNG of each pass/partial item's evidence page, and a scan
without a browser still runs and says what it could not do."""

from __future__ import annotations

from pathlib import Path

from oitwatch.sampleserver import SampleServer
from oitwatch.scan import ScanOptions, scan_sites
from render import ScreenshotStore
from rules import ItemStatus, load_catalog


def _site(server: SampleServer, name: str) -> str:
    return next(s.url for s in server.sites if s.name == name)


def test_pass_and_partial_evidence_pages_have_stored_screenshots(
    sample_server: SampleServer, tmp_path: Path
) -> None:
    options = ScanOptions(min_delay=0.0, screenshot_dir=str(tmp_path / "shots"),
                          max_evidence_screenshots=5)
    run = scan_sites([_site(sample_server, "compliant")], load_catalog("ita-2566"), None, options)
    (site,) = run.sites
    store = ScreenshotStore(tmp_path / "shots")
    shot = [
        ev
        for item in site.items
        if item.status in (ItemStatus.PASS, ItemStatus.PARTIAL)
        for ev in item.evidence[:1]
        if ev.kind == "page" and ev.screenshot
    ]
    assert len({ev.url for ev in shot}) == 5  # the per-site bound
    for ev in shot:
        png = store.get(ev.screenshot)
        assert png is not None and png.startswith(b"\x89PNG")
    # failing items and evidence that is not a page get no screenshot
    for item in site.items:
        for ev in item.evidence:
            if item.status is ItemStatus.FAIL or ev.kind != "page":
                assert ev.screenshot == ""


def test_scan_without_a_browser_runs_and_says_so(
    sample_server: SampleServer, tmp_path: Path
) -> None:
    options = ScanOptions(min_delay=0.0, browser_path=str(tmp_path / "no-such-chromium"),
                          screenshot_dir=str(tmp_path / "shots"))
    run = scan_sites([_site(sample_server, "hub")], load_catalog("ita-2566"), None, options)
    (site,) = run.sites
    assert site.status == "ok"
    assert any("rendering not available" in n for n in site.notes), site.notes
    assert any(i.status is ItemStatus.PASS for i in site.items)
    assert all(ev.screenshot == "" for i in site.items for ev in i.evidence)
