"""Scan benchmark: N generated agency sites served on loopback, scanned in-process.

Reports pages per second, CPU seconds per page and peak RSS. Timed numbers
vary with the machine and its load, so they are written to a results file and
the docs, never asserted by tests.

    ./dev bench --sites 200 --max-pages 60
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

from oitwatch import __version__
from oitwatch.sampleserver import SampleServer, generate_sites
from oitwatch.scan import ScanOptions, scan_sites
from rules import load_catalog
from storage import Database, Repository


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--sites", type=int, default=200)
    parser.add_argument("--max-pages", type=int, default=300)
    parser.add_argument("--site-concurrency", type=int, default=16)
    parser.add_argument("--store", action="store_true", help="also write results to SQLite")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/scan.json"))
    args = parser.parse_args(argv)

    catalog = load_catalog("ita-2566")
    with tempfile.TemporaryDirectory() as tmp:
        sites_dir = Path(tmp) / "sites"
        generate_sites(args.sites, sites_dir, seed=0)
        repo = None
        if args.store:
            db = Database(f"sqlite:///{tmp}/bench.sqlite3")
            db.upgrade()
            repo = Repository(db)
        options = ScanOptions(
            max_pages=args.max_pages, min_delay=0.0, site_concurrency=args.site_concurrency,
            trigger="benchmark",
        )
        with SampleServer(sites_dir) as server:
            seeds = [site.url for site in server.sites]
            cpu0, wall0 = _cpu_seconds(), time.perf_counter()
            run = scan_sites(seeds, catalog, repo, options)
            wall, cpu = time.perf_counter() - wall0, _cpu_seconds() - cpu0
    pages = sum(site.pages_fetched for site in run.sites)
    ok = sum(1 for site in run.sites if site.status == "ok")
    peak_rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = {
        "oitwatch": __version__,
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {platform.system()}",
        "sites": len(run.sites),
        "sites_ok": ok,
        "pages": pages,
        "stored": bool(args.store),
        "wall_seconds": round(wall, 2),
        "pages_per_second": round(pages / wall, 1) if wall else None,
        "cpu_ms_per_page": round(1000 * cpu / pages, 2) if pages else None,
        "cpu_seconds": round(cpu, 2),
        "peak_rss_mib": round(peak_rss_mib, 1),
        "site_concurrency": args.site_concurrency,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2))
    json.dump(result, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
