"""Archive benchmark: what the web archive costs per page (time and bytes).

N generated agency sites (``oitwatch.sampleserver.generate_sites``) are served from
another process and scanned twice into SQLite, with and without ``--archive``; then every
exchange of the archived scan is written again into a fresh WARC file, alone, to time the
writer itself (gzip level 9 and SHA-256 in warcio, in the archive's own thread: in a scan
this runs beside the crawl rather than in front of it). Timings vary with the machine
and its load: they are printed and written to benchmarks/results/, never asserted.

    .venv/bin/python -m benchmarks.archive_bench --sites 10 --max-pages 60
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator

from archive import SiteArchive
from benchmarks.__main__ import _served
from crawler._fetch import HttpExchange
from oitwatch import __version__
from oitwatch.sampleserver import generate_sites
from oitwatch.scan import ScanOptions, scan_sites
from rules import load_catalog
from storage import Database, Repository


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _scan(seeds: list[str], tmp: Path, name: str, archive: bool, max_pages: int) -> dict[str, Any]:
    db = Database(f"sqlite:///{tmp}/{name}.sqlite3")
    db.upgrade()
    repo = Repository(db)
    options = ScanOptions(
        max_pages=max_pages, min_delay=0.0, render="never", screenshots=False,
        site_concurrency=4, archive=archive, archive_dir=str(tmp / f"archives-{name}"),
    )
    wall, cpu = time.perf_counter(), _cpu()
    run = scan_sites(seeds, load_catalog("ita-2566"), repo, options)
    wall, cpu = time.perf_counter() - wall, _cpu() - cpu
    pages = sum(site.pages_fetched for site in run.sites)
    archives = repo.archives_of_run(run.run_id) if archive else []
    db.close()
    return {
        "wall_s": round(wall, 3), "cpu_s": round(cpu, 3), "pages": pages,
        "warc_files": len(archives), "warc_bytes": sum(a.size for a in archives),
        "warc_records": sum(a.records for a in archives),
        "paths": [a.path for a in archives],
    }


def _exchanges(path: Path) -> list[HttpExchange]:
    """The HTTP exchanges stored in a WARC file, as the crawler handed them over."""
    out: list[HttpExchange] = []
    now = datetime.now(UTC)
    with path.open("rb") as fh:
        for record in ArchiveIterator(fh):
            if record.rec_type != "response":
                continue
            http = record.http_headers
            out.append(HttpExchange(
                "GET", record.rec_headers.get_header("WARC-Target-URI"), [("Host", "x")],
                http.protocol, int(http.get_statuscode()), "OK", list(http.headers),
                record.raw_stream.read(), True, True, now,
            ))
    return out


def _writer_only(paths: list[str], tmp: Path) -> dict[str, Any]:
    exchanges = [ex for p in paths for ex in _exchanges(Path(p))]
    body_bytes = sum(len(ex.body) for ex in exchanges)
    wall, cpu = time.perf_counter(), _cpu()
    archive = SiteArchive(tmp / "rewrite.warc.gz", {"oitwatch-run": 0})
    for ex in exchanges:
        archive.record(ex)
    info = archive.close()
    wall, cpu = time.perf_counter() - wall, _cpu() - cpu
    return {"exchanges": len(exchanges), "body_bytes": body_bytes, "warc_bytes": info.size,
            "wall_s": round(wall, 3), "cpu_s": round(cpu, 3)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.archive_bench",
                                     description=__doc__)
    parser.add_argument("--sites", type=int, default=10)
    parser.add_argument("--max-pages", type=int, default=60)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    out = args.out or Path(f"benchmarks/results/archive-{args.sites}.json")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        sites_dir = tmp / "sites"
        generate_sites(args.sites, sites_dir, seed=0)
        with _served(sites_dir) as seeds:
            urls = list(seeds)
            _scan(urls, tmp, "warmup", False, 5)  # imports, catalog, first connections
            without = _scan(urls, tmp, "without", False, args.max_pages)
            with_archive = _scan(urls, tmp, "with", True, args.max_pages)
        writer = _writer_only(with_archive["paths"], tmp)
    pages = max(1, with_archive["pages"])
    result = {
        "benchmark": "archive", "tool_version": __version__, "python": sys.version.split()[0],
        "machine": platform.machine(), "when": datetime.now(UTC).isoformat(),
        "sites": args.sites, "max_pages": args.max_pages,
        "without_archive": {k: v for k, v in without.items() if k != "paths"},
        "with_archive": {k: v for k, v in with_archive.items() if k != "paths"},
        "writer_only": writer,
        "per_page": {
            "warc_bytes": round(with_archive["warc_bytes"] / pages),
            "scan_wall_ms_added": round(
                1000 * (with_archive["wall_s"] / pages
                        - without["wall_s"] / max(1, without["pages"])), 2),
            "scan_cpu_ms_added": round(
                1000 * (with_archive["cpu_s"] / pages
                        - without["cpu_s"] / max(1, without["pages"])), 2),
            "writer_cpu_ms": round(1000 * writer["cpu_s"] / max(1, writer["exchanges"]), 3),
            "writer_wall_ms": round(1000 * writer["wall_s"] / max(1, writer["exchanges"]), 3),
        },
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
