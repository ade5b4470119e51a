"""Scan benchmark: N generated agency sites served on loopback, scanned in-process.

Reports pages per second, CPU seconds per page and peak RSS. Timed numbers
vary with the machine and its load, so they are written to a results file and
the docs, never asserted by tests.

    ./dev bench --sites 200 --max-pages 60
"""

from __future__ import annotations

import argparse
import contextlib
import subprocess
from collections.abc import Iterator
import json
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

from oitwatch import __version__
from oitwatch.demo import compare_with_expected
from oitwatch.sampleserver import generate_sites, load_site_config
from oitwatch.scan import ScanOptions, scan_sites
from rules import load_catalog
from storage import Database, Repository


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


@contextlib.contextmanager
def _served(sites_dir: Path) -> Iterator[dict[str, str]]:
    """Serve the sites from another process, so its CPU is not counted as the scanner's."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "oitwatch.sampleserver", "--sites", str(sites_dir)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        seeds: dict[str, str] = {}
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith("Serving"):
                break
            name, url = line.split()[:2]
            seeds[url] = name
        yield seeds
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--sites", type=int, default=200)
    parser.add_argument("--max-pages", type=int, default=300)
    parser.add_argument("--site-concurrency", type=int, default=16)
    parser.add_argument("--store", action="store_true", help="also write results to SQLite")
    parser.add_argument("--render", default="never", choices=("auto", "never", "always"),
                        help="JavaScript rendering (auto adds Chromium's cost; default never)")
    parser.add_argument("--screenshots", action="store_true",
                        help="store evidence screenshots (about 1 s of browser time each)")
    parser.add_argument("--catalog", default="ita-2566")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/scan.json"))
    args = parser.parse_args(argv)

    catalog = load_catalog(args.catalog)
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
            trigger="benchmark", render=args.render, screenshots=args.screenshots,
            screenshot_dir=f"{tmp}/shots",
        )
        with _served(sites_dir) as seeds:
            cpu0, wall0 = _cpu_seconds(), time.perf_counter()
            run = scan_sites(list(seeds), catalog, repo, options)
            wall, cpu = time.perf_counter() - wall0, _cpu_seconds() - cpu0
        expected = {url: load_site_config(sites_dir / name)["expected"]
                    for url, name in seeds.items()}
    pages = sum(site.pages_fetched for site in run.sites)
    judged = sum(len(v) for v in expected.values())
    mismatches = compare_with_expected(run, expected)
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
        "render": args.render,
        "screenshots": args.screenshots,
        "catalog": args.catalog,
        "items_judged": judged,
        "items_as_expected": judged - len(mismatches),
        "mismatches": [list(m) for m in mismatches[:50]],
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2))
    for key, value in result.items():
        if key != "mismatches":
            print(f"{key:>20}: {value}")
    print(f"(full result with the mismatching items: {args.out})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
