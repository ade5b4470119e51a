"""Dashboard benchmark: page render times of a generated campaign (default 1,000 agencies ×
43 items, 2 runs) served by the real server (uvicorn on 127.0.0.1, in a thread).

Each page is requested ``--requests`` times after ``--warmup`` untimed requests, one at a
time over one keep-alive connection; the median and 95th percentile of the wall time
(request sent → body read) are reported with the body size and, for tables, the time per
agency row. The data is written through the real Repository (benchmarks.campaign_data),
so the rows are the ones a scan writes. Timings vary with the machine and its load: they
are printed and written to benchmarks/results/dashboard.json, never asserted by tests.

    .venv/bin/python -m benchmarks.dashboard_bench                     # SQLite, 1,000 agencies
    .venv/bin/python -m benchmarks.dashboard_bench \
        --db postgresql+psycopg://postgres@127.0.0.1:5432/test
"""

from __future__ import annotations

import argparse
import io
import json
import math
import platform
import re
import resource
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from benchmarks.campaign_data import SeededCampaign, seed_campaign
from oitwatch import __version__
from storage import Database, Repository
from web._background import BackgroundServer

RESULTS = Path(__file__).parent / "results" / "dashboard.json"

_AGENCY_ROW = re.compile(r'<tr\b[^>]*\bclass="[^"]*\bagency\b')
_DATA_ROW = re.compile(r"<tr\b[^>]*\bdata-agency-code=")


# -- what is measured ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Target:
    name: str
    path: str
    rows: Callable[[httpx.Response], int] | None = None  # agency rows in the answer
    # Agencies the page has to look at (the whole selection, whatever page of it is shown)
    scope: int | None = None


def _html_rows(response: httpx.Response) -> int:
    return len(_AGENCY_ROW.findall(response.text)) or len(_DATA_ROW.findall(response.text))


def _csv_rows(response: httpx.Response) -> int:
    import csv

    return max(0, sum(1 for _ in csv.reader(io.StringIO(response.text.lstrip("\ufeff")))) - 1)


def _xlsx_rows(response: httpx.Response) -> int:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(response.content), read_only=True)
    # counted, not read from the sheet's <dimension> (a streamed workbook may not write one)
    rows = max(0, sum(1 for _ in book.worksheets[0].iter_rows(values_only=True)) - 1)
    book.close()
    return rows


def _api_rows(response: httpx.Response) -> int:
    return len(response.json().get("items", []))


def targets(campaign: SeededCampaign, repo: Repository) -> list[Target]:
    """The pages a monitor opens, over the newest run (its previous run for the diff)."""
    run = campaign.run_ids[-1]
    middle = len(campaign.agency_ids) // 2
    scan = campaign.site_scan_ids[-1][middle]
    agency = repo.get_agency(campaign.agency_ids[middle])
    province = agency.province if agency and agency.province else "ขอนแก่น"
    every = len(campaign.agency_ids)
    in_province = len(repo.list_agencies(province=province))
    return [
        Target("overview (page 1, 100 agencies)", f"/?run={run}", _html_rows, every),
        Target("overview (per_page=500)", f"/?run={run}&per_page=500", _html_rows, every),
        Target("overview sorted by score, ascending", f"/?run={run}&sort=-score", _html_rows,
               every),
        Target("overview sorted by name", f"/?run={run}&sort=name", _html_rows, every),
        Target("overview of one province", f"/?run={run}&province={province}", _html_rows,
               in_province),
        Target("agency page", f"/scans/{scan}", None, 1),
        Target("item page (O28, every agency)", f"/runs/{run}/items/O28", _html_rows, every),
        Target("diff with the previous run", f"/runs/{run}/diff", None, every),
        Target("overview CSV (every agency)", f"/?run={run}&format=csv", _csv_rows, every),
        Target("overview XLSX (every agency)", f"/?run={run}&format=xlsx", _xlsx_rows, every),
        Target("API item-results?limit=500", f"/api/v1/item-results?run_id={run}&limit=500",
               _api_rows),
        Target("API site-scans?limit=500", f"/api/v1/site-scans?run_id={run}&limit=500",
               _api_rows),
        Target("API site-scans (default page)", "/api/v1/site-scans", _api_rows),
    ]


def _p95(values: list[float]) -> float:
    """Nearest-rank 95th percentile: an observed time, not an interpolation."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def measure(client: httpx.Client, target: Target, requests: int, warmup: int) -> dict[str, Any]:
    """Time one page. A page that fails (an error status, or the server dropping the
    connection after an exception) is reported with its status, not timed as a success."""
    times: list[float] = []
    response: httpx.Response | None = None
    try:
        for _ in range(warmup):
            client.get(target.path)
        for _ in range(requests):
            t0 = time.perf_counter()
            response = client.get(target.path)
            response.read()
            times.append(time.perf_counter() - t0)
    except httpx.TransportError as exc:
        return {"page": target.name, "path": target.path, "status": f"error: {exc}",
                "requests": 0, "median_ms": None, "p95_ms": None, "bytes": None, "rows": None,
                "ms_per_row": None, "agencies_considered": target.scope, "ms_per_agency": None}
    assert response is not None
    ok = response.status_code == 200
    rows = target.rows(response) if ok and target.rows else None
    median = statistics.median(times) * 1000
    return {
        "page": target.name,
        "path": target.path,
        "status": response.status_code,
        "requests": requests,
        "median_ms": round(median, 1),
        "p95_ms": round(_p95(times) * 1000, 1),
        "bytes": len(response.content),
        "rows": rows,
        "ms_per_row": round(median / rows, 3) if rows else None,
        "agencies_considered": target.scope,
        "ms_per_agency": round(median / target.scope, 3) if ok and target.scope else None,
    }


# -- the database ----------------------------------------------------------------------------


@contextmanager
def database(url: str | None, workdir: Path) -> Iterator[Database]:
    """SQLite in ``workdir``, or a schema of its own in the PostgreSQL database ``url``
    (created here, dropped afterwards), as tests/conftest.py's pg_url does."""
    if url is None or url.startswith("sqlite"):
        db = Database(url or f"sqlite:///{workdir}/dashboard-bench.sqlite3")
        try:
            yield db
        finally:
            db.close()
        return
    admin = Database(url)
    schema = f"oitwatch_bench_{uuid.uuid4().hex[:10]}"
    with admin.engine.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    scoped = admin.url.update_query_dict({"options": f"-csearch_path={schema}"})
    db = Database(scoped.render_as_string(hide_password=False))
    try:
        yield db
    finally:
        db.close()
        with admin.engine.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.close()


def run_benchmark(
    *,
    agencies: int = 1000,
    runs: int = 2,
    requests: int = 20,
    warmup: int = 2,
    db_url: str | None = None,
    seed: int = 0,
    log: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Generate the campaign, serve it, time every page; returns the result record."""
    from web import WebConfig, create_app

    workdir = Path(tempfile.mkdtemp(prefix="oitwatch-dashboard-bench-"))
    try:
        with database(db_url, workdir) as db:
            db.upgrade()
            repo = Repository(db)
            t0 = time.perf_counter()
            campaign = seed_campaign(repo, agencies=agencies, runs=runs, seed=seed)
            seed_seconds = time.perf_counter() - t0
            log(f"generated {agencies} agencies x {runs} runs in {seed_seconds:.1f} s "
                f"({db.engine.dialect.name})")
            app = create_app(WebConfig(secret=b"dashboard-bench",
                                       screenshot_dir=str(workdir / "shots")), repo=repo)
            pages = []
            with BackgroundServer(app) as server, \
                    httpx.Client(base_url=server.url, timeout=300) as client:
                for target in targets(campaign, repo):
                    result = measure(client, target, requests, warmup)
                    pages.append(result)
                    log(_row(result))
            dialect = db.engine.dialect.name
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return {
        "benchmark": "dashboard_bench",
        "version": __version__,
        "python": sys.version.split()[0],
        "machine": platform.machine(),
        "platform": platform.platform(),
        "database": dialect,
        "agencies": agencies,
        "runs": runs,
        "items_per_site": 43,
        "requests_per_page": requests,
        "warmup_requests": warmup,
        "generate_seconds": round(seed_seconds, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "pages": pages,
    }


# -- output ----------------------------------------------------------------------------------

_HEADER = (f"{'page':<40} {'status':>6} {'median ms':>10} {'p95 ms':>9} {'KiB':>8} {'rows':>6} "
           f"{'ms/row':>7} {'ms/agency':>9}")


def _row(r: dict[str, Any]) -> str:
    if r["median_ms"] is None:
        return f"{r['page']:<40} {str(r['status'])[:60]}"
    per_row = f"{r['ms_per_row']:.2f}" if r["ms_per_row"] is not None else "-"
    per_agency = f"{r['ms_per_agency']:.2f}" if r.get("ms_per_agency") is not None else "-"
    rows = str(r["rows"]) if r["rows"] is not None else "-"
    return (f"{r['page']:<40} {r['status']:>6} {r['median_ms']:>10.1f} {r['p95_ms']:>9.1f} "
            f"{r['bytes'] / 1024:>8.1f} {rows:>6} {per_row:>7} {per_agency:>9}")


def table(result: dict[str, Any]) -> str:
    lines = [f"{result['agencies']} agencies x {result['runs']} runs on {result['database']}, "
             f"{result['requests_per_page']} requests per page after {result['warmup_requests']} "
             "warm-up", _HEADER, "-" * len(_HEADER)]
    lines += [_row(r) for r in result["pages"]]
    return "\n".join(lines)


def write_results(result: dict[str, Any], path: Path = RESULTS) -> None:
    """One entry per database in the results file (a SQLite run keeps the PostgreSQL one)."""
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        stored = {}
    if not isinstance(stored, dict) or "results" not in stored:
        stored = {"benchmark": "dashboard_bench", "results": {}}
    stored["results"][result["database"]] = result
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(stored, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.dashboard_bench",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--agencies", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--requests", type=int, default=20, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=2, help="untimed requests per page first")
    parser.add_argument("--db", help="PostgreSQL database URL (a schema of its own is created "
                        "and dropped), e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test; "
                        "default: a temporary SQLite file")
    parser.add_argument("--results", type=Path, default=RESULTS,
                        help="JSON results file (default benchmarks/results/dashboard.json)")
    parser.add_argument("--no-results", action="store_true", help="print only")
    args = parser.parse_args(argv)
    result = run_benchmark(agencies=args.agencies, runs=args.runs, requests=args.requests,
                           warmup=args.warmup, db_url=args.db, log=lambda s: print(s, flush=True))
    print()
    print(table(result))
    if not args.no_results:
        write_results(result, args.results)
        print(f"results written to {args.results}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
