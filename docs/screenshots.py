"""The README's dashboard screenshots: scan the bundled sample sites as `./dev demo` does
(or generate a campaign), serve the dashboard, and photograph two pages in Chromium.

    .venv/bin/python docs/screenshots.py                  # scan the samples (about a minute)
    .venv/bin/python docs/screenshots.py --seed 40        # 40 generated agencies instead

Writes docs/img/dashboard-overview.png and docs/img/dashboard-agency.png (1400 px wide,
device scale factor 1). Everything runs on 127.0.0.1 in a temporary directory; nothing
touches $OITWATCH_HOME's database.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from anywhere in the checkout

IMG = Path(__file__).resolve().parent / "img"
WIDTH = 1400


def scan_samples(repo: object, home: Path, max_pages: int) -> str:
    """The demo: every bundled sample site registered (codes ``demo-<site>``) and scanned
    once, with evidence screenshots. Returns the code of the agency to photograph."""
    from oitwatch.demo import write_demo_registry
    from oitwatch.registry import read_registry
    from oitwatch.sampleserver import SampleServer
    from oitwatch.scan import ScanOptions, SiteTarget, scan_sites
    from rules import load_catalog

    options = ScanOptions(max_pages=max_pages, min_delay=0.0, trigger="demo",
                          max_evidence_screenshots=3, archive=True,
                          archive_dir=str(home / "archives"),
                          screenshot_dir=str(home / "screenshots"))
    with SampleServer() as server:
        registry = write_demo_registry(server, home / "agencies-demo.csv")
        repo.import_agencies(read_registry(registry).rows)  # type: ignore[attr-defined]
        agencies = {a.homepage: a.id for a in repo.list_agencies()}  # type: ignore[attr-defined]
        targets = [SiteTarget(site.url, agencies.get(site.url)) for site in server.sites]
        print(f"scanning {len(targets)} sample sites ...", flush=True)
        with ThreadPoolExecutor(1) as pool:  # its own event loop, away from Playwright's
            pool.submit(scan_sites, targets, load_catalog("ita-2566"), repo, options).result()
    return "demo-traps"


def seed(repo: object, agencies: int) -> str:
    from benchmarks.campaign_data import seed_campaign

    campaign = seed_campaign(repo, agencies=agencies, runs=2, seed=7)  # type: ignore[arg-type]
    return campaign.agency_codes[1]


def photograph(base: str, repo: object, agency_code: str, out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    from render import LAUNCH_ARGS, find_browser

    location = find_browser()
    if location.path is None:
        raise SystemExit(f"no Chromium: {location.reason} (apt-get install -y chromium "
                         "fonts-thai-tlwg)")
    run = repo.list_runs(limit=1)[0]  # type: ignore[attr-defined]
    site = next(s for s in repo.run_snapshot(run.id).sites  # type: ignore[attr-defined]
                if s.agency_code == agency_code)
    out.mkdir(parents=True, exist_ok=True)
    shots = [(out / "dashboard-overview.png", f"/?run={run.id}", 1000),
             (out / "dashboard-agency.png", f"/scans/{site.site_scan_id}", 1200)]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=location.path,
                                             args=list(LAUNCH_ARGS), headless=True)
        for path, url, height in shots:
            context = browser.new_context(viewport={"width": WIDTH, "height": height},
                                          device_scale_factor=1, locale="th-TH")
            page = context.new_page()
            page.goto(base + url)
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(path), full_page=False)
            context.close()
            print(f"wrote {path}")
        browser.close()
    return [p for p, _, _ in shots]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, metavar="N",
                        help="N generated agencies (2 runs) instead of scanning the samples")
    parser.add_argument("--max-pages", type=int, default=300,
                        help="page budget per sample site (300, as `oitwatch demo`)")
    parser.add_argument("--out", type=Path, default=IMG)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="oitwatch-screenshots-") as tmp:
        home = Path(tmp)
        os.environ["OITWATCH_HOME"] = str(home)  # the demo registry, secrets: all in tmp
        os.environ.pop("OITWATCH_DATABASE_URL", None)
        from storage import Database, Repository
        from web import WebConfig, create_app

        db = Database(f"sqlite:///{home}/screenshots.sqlite3")
        db.upgrade()
        repo = Repository(db)
        code = seed(repo, args.seed) if args.seed else scan_samples(repo, home, args.max_pages)
        app = create_app(WebConfig(secret=b"screenshots", screenshot_dir=str(home / "screenshots")),
                         repo=repo)
        from web._background import BackgroundServer

        with BackgroundServer(app) as server:
            photograph(server.url, repo, code, args.out)
        db.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
