"""What evidence screenshots cost: the same generated sites scanned in process with and
without them; CPU of this process (the scanner) and of its reaped children (Playwright's
driver and Chromium, counted once the scan has closed the browser), and the number of
screenshots taken.

    .venv/bin/python -m benchmarks.screenshot_cost --sites 10 --max-pages 60
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from pathlib import Path

from benchmarks.__main__ import _served
from oitwatch.sampleserver import generate_sites
from oitwatch.scan import ScanOptions, scan_sites
from rules import load_catalog


def _cpu(who: int = resource.RUSAGE_SELF) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.screenshot_cost",
                                     description=__doc__)
    parser.add_argument("--sites", type=int, default=10)
    parser.add_argument("--max-pages", type=int, default=60)
    parser.add_argument("--site-concurrency", type=int, default=4)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/screenshot-cost.json"))
    args = parser.parse_args(argv)
    catalog = load_catalog("ita-2566")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        generate_sites(args.sites, Path(tmp) / "sites", seed=0)
        with _served(Path(tmp) / "sites") as seeds:
            for shots in (False, True):
                options = ScanOptions(max_pages=args.max_pages, min_delay=0.0,
                                      site_concurrency=args.site_concurrency, render="never",
                                      screenshots=shots, screenshot_dir=f"{tmp}/shots-{shots}",
                                      archive=False, trigger="benchmark")
                own0, kids0, wall0 = _cpu(), _cpu(resource.RUSAGE_CHILDREN), time.perf_counter()
                run = scan_sites(list(seeds), catalog, None, options)  # closes the browser
                own, kids = _cpu() - own0, _cpu(resource.RUSAGE_CHILDREN) - kids0
                cpu, wall = own + kids, time.perf_counter() - wall0
                taken = len(list(Path(f"{tmp}/shots-{shots}").rglob("*.png"))) if shots else 0
                rows.append({"screenshots": shots, "cpu_seconds": round(cpu, 1),
                             "scanner_cpu_seconds": round(own, 1),
                             "browser_cpu_seconds": round(kids, 1),
                             "wall_seconds": round(wall, 1), "screenshots_taken": taken,
                             "pages": sum(s.pages_fetched for s in run.sites)})
    off, on = rows
    extra = on["cpu_seconds"] - off["cpu_seconds"]
    doc = {"sites": args.sites, "max_pages": args.max_pages, "runs": rows,
           "cpu_seconds_per_screenshot": round(extra / on["screenshots_taken"], 2)
           if on["screenshots_taken"] else None,
           "cpu_seconds_per_site_for_screenshots": round(extra / args.sites, 2)}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(doc, indent=2))
    print(json.dumps(doc, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
