"""Diff benchmark: two generated runs of N agencies × 43 items in SQLite, then `diff_runs`.

The data is bulk-inserted (no crawling): run A has a realistic mix of verdicts (pass 60 %,
partial 15 %, fail 25 %; a pass has two evidence rows, others one or none); run B changes a
few percent of it — statuses, evidence URLs, evidence content, sites down, agencies added
and removed — so the diff has work to report. Timings vary with the machine and its load:
they are printed and written to benchmarks/results/, never asserted by tests.

    .venv/bin/python -m benchmarks.history_bench --agencies 8000
    .venv/bin/python -m benchmarks.history_bench --agencies 1000 --keep /tmp/h.sqlite3
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import resource
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, text

from oitwatch import __version__
from reports.diff import diff_runs
from storage import Database, Repository
from storage.models import Agency, EvidenceRow, ItemResultRow, ScanRun, SiteScan

ITEMS = [f"O{n}" for n in range(1, 44)]
CHUNK = 250  # agencies per insert batch


def _status(rng: random.Random) -> str:
    r = rng.random()
    return "pass" if r < 0.60 else "partial" if r < 0.75 else "fail"


def _evidence(item_id: int, status: str, url: str, sha: str) -> list[dict[str, Any]]:
    base = {"kind": "page", "click_path": ["หน้าแรก", "ข้อมูลพื้นฐาน"], "click_path_urls": [],
            "matched": "link text", "score": 1.0, "document_pages": [], "image_url": "",
            "screenshot": "", "page_id": None}
    if status == "pass":
        return [
            {**base, "item_result_id": item_id, "rank": 0, "url": url, "sha256": sha,
             "meets_requirements": True},
            {**base, "item_result_id": item_id, "rank": 1, "url": url + "?alt", "sha256": "",
             "meets_requirements": False},
        ]
    if status == "partial":
        return [{**base, "item_result_id": item_id, "rank": 0, "url": url, "sha256": sha,
                 "meets_requirements": False}]
    return []


class _Ids:
    def __init__(self) -> None:
        self.scan = 0
        self.item = 0


def generate(db: Database, agencies: int, seed: int = 2566) -> tuple[int, int, float]:
    """Two complete runs; returns (run A, run B, seconds spent generating)."""
    rng = random.Random(seed)
    t0 = time.perf_counter()
    now = datetime(2026, 12, 2, 18, 0, tzinfo=UTC)
    ids = _Ids()
    with db.engine.begin() as conn:
        conn.execute(insert(Agency.__table__), [
            {"id": i, "code": f"{640000 + i:07d}", "name": f"อบต.ทดสอบ {i}",
             "province": f"จังหวัด {i % 77}", "homepage": f"https://www.t{i}.go.th/",
             "homepage_key": f"t{i}.go.th", "catalog": "ita-2566", "created_at": now,
             "updated_at": now}
            for i in range(1, agencies + 1)
        ])
        runs = []
        for day in (0, 1):
            started = now + timedelta(days=day)
            run_id = conn.execute(insert(ScanRun.__table__).values(
                catalog_id="ita-2566", fiscal_year=2566, trigger="bench", state="complete",
                started_at=started, finished_at=started + timedelta(hours=5),
                heartbeat_at=started, options={}, tool_version=__version__,
            )).inserted_primary_key[0]
            runs.append((run_id, started))
    # Run A's verdicts, which run B changes a little
    verdict: dict[tuple[int, str], str] = {}
    for a in range(1, agencies + 1):
        for code in ITEMS:
            verdict[(a, code)] = _status(rng)
    for index, (run_id, started) in enumerate(runs):
        second = index == 1
        for start in range(1, agencies + 1, CHUNK):
            scans: list[dict[str, Any]] = []
            items: list[dict[str, Any]] = []
            evidence: list[dict[str, Any]] = []
            for a in range(start, min(start + CHUNK, agencies + 1)):
                if second and a % 200 == 0:
                    continue  # dropped from run B
                if not second and a % 250 == 0:
                    continue  # new in run B
                down = second and a % 100 == 7
                ids.scan += 1
                scans.append({
                    "id": ids.scan, "run_id": run_id, "agency_id": a,
                    "seed_url": f"https://www.t{a}.go.th/", "final_url": f"https://www.t{a}.go.th/",
                    "state": "complete", "status": "unreachable" if down else "ok",
                    "reason": "x", "started_at": started, "finished_at": started,
                    "pages_fetched": 0 if down else 120, "duration": 60.0, "notes": [],
                    "attempts": 1,
                })
                for code in ITEMS:
                    status = "error" if down else verdict[(a, code)]
                    url = f"https://www.t{a}.go.th/{code.lower()}"
                    sha = f"{a:032x}{ITEMS.index(code):032x}"
                    if second and not down:
                        r = rng.random()
                        if r < 0.03:
                            status = {"pass": "fail", "partial": "pass", "fail": "pass"}[status]
                        elif r < 0.05:
                            url += "-moved"
                        elif r < 0.07:
                            sha = sha[::-1]
                    ids.item += 1
                    items.append({
                        "id": ids.item, "site_scan_id": ids.scan, "catalog_id": "ita-2566",
                        "code": code, "title_th": f"รายการ {code}", "title_en": f"item {code}",
                        "status": status, "reasons": [{"th": "เหตุผล", "en": "reason"}],
                    })
                    if not down:
                        evidence.extend(_evidence(ids.item, status, url, sha))
            with db.engine.begin() as conn:
                conn.execute(insert(SiteScan.__table__), scans)
                conn.execute(insert(ItemResultRow.__table__), items)
                if evidence:
                    conn.execute(insert(EvidenceRow.__table__), evidence)
    return runs[0][0], runs[1][0], time.perf_counter() - t0


def _plans(db: Database, run_id: int) -> dict[str, list[str]]:
    """SQLite's plan for the two heavy reads, to show which indexes they use."""
    queries = {
        "sites_of_run": "SELECT id FROM site_scan WHERE run_id = :r AND agency_id IN (1, 2)",
        "history_of_agency": "SELECT id FROM site_scan WHERE agency_id = 1 ORDER BY run_id DESC",
        "best_evidence": (
            "SELECT ir.code, ev.url FROM item_result ir JOIN site_scan s ON ir.site_scan_id = s.id "
            "LEFT JOIN evidence ev ON ev.item_result_id = ir.id AND ev.rank = (SELECT min(e2.rank) "
            "FROM evidence e2 WHERE e2.item_result_id = ir.id) WHERE s.run_id = :r"
        ),
    }
    with db.engine.connect() as conn:
        return {
            name: [row[-1] for row in conn.execute(text("EXPLAIN QUERY PLAN " + q), {"r": run_id})]
            for name, q in queries.items()
        }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agencies", type=int, default=8000)
    parser.add_argument("--keep", type=Path, help="write the SQLite file here and keep it")
    parser.add_argument("--db", help="an EMPTY database to use instead of SQLite, e.g. a "
                        "PostgreSQL schema: postgresql+psycopg://u@h/db?options=-csearch_path%%3Dbench")
    parser.add_argument("--repeat", type=int, default=3, help="diffs timed (best is reported)")
    parser.add_argument("--results", type=Path, help="JSON results file "
                        "(default benchmarks/results/history-<agencies>.json)")
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="oitwatch-history-bench-"))
    path = args.keep or workdir / "bench.sqlite3"
    if args.db is None:
        path.unlink(missing_ok=True)
    db = Database(args.db or f"sqlite:///{path}")
    db.upgrade()
    run_a, run_b, gen_seconds = generate(db, args.agencies)
    with db.engine.begin() as conn:
        conn.execute(text("ANALYZE"))
        counts = {
            t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
            for t in ("site_scan", "item_result", "evidence")
        }
    print(f"generated {counts} in {gen_seconds:.1f} s")

    repo = Repository(db)
    times = []
    diff = None
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        diff = diff_runs(repo, run_a, run_b)
        times.append(time.perf_counter() - t0)
    assert diff is not None
    t0 = time.perf_counter()
    snapshot = repo.run_snapshot(run_a)
    snapshot_seconds = time.perf_counter() - t0
    t0 = time.perf_counter()
    one = diff_runs(repo, run_a, run_b, agency_codes=["0640001"])
    one_seconds = time.perf_counter() - t0
    t0 = time.perf_counter()
    province = diff_runs(repo, run_a, run_b, province="จังหวัด 5")
    province_seconds = time.perf_counter() - t0
    t0 = time.perf_counter()
    history = repo.site_history(agency_id=1)
    history_seconds = time.perf_counter() - t0

    result = {
        "benchmark": "history_bench",
        "version": __version__,
        "python": sys.version.split()[0],
        "machine": platform.machine(),
        "platform": platform.platform(),
        "agencies": args.agencies,
        "rows": counts,
        "database": db.engine.dialect.name,
        "sqlite_mb": round(path.stat().st_size / 1e6, 1) if args.db is None else None,
        "generate_seconds": round(gen_seconds, 1),
        "diff_seconds_best": round(min(times), 2),
        "diff_seconds_all": [round(t, 2) for t in times],
        "snapshot_one_run_seconds": round(snapshot_seconds, 2),
        "diff_one_agency_seconds": round(one_seconds, 4),
        "diff_one_province_seconds": round(province_seconds, 3),
        "history_one_agency_seconds": round(history_seconds, 4),
        "compared": diff.compared,
        "agencies_changed": len(diff.agencies),
        "changes": diff.counts(),
        "snapshot_sites": len(snapshot.sites),
        "one_agency_changes": sum(len(a.changes) for a in one.agencies),
        "province_agencies_changed": len(province.agencies),
        "history_runs": len(history),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 0),
        "query_plans": _plans(db, run_a) if db.engine.dialect.name == "sqlite" else None,
    }
    db.close()
    print(json.dumps(result, ensure_ascii=False, indent=2))
    target = args.results or Path(__file__).parent / "results" / f"history-{args.agencies}.json"
    target.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"results written to {target}")
    if args.keep is None and args.db is None:
        path.unlink(missing_ok=True)
    shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
