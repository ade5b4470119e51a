"""Campaign benchmark: N generated agency sites on loopback, scanned as one registry campaign
in process and on 1, 2, 4 Celery workers (each `oitwatch worker -c 1`).

Needs PostgreSQL and Redis (the benchmark uses its own schema and queue and removes them).
Reports sites per minute and CPU seconds per site of the scanning processes (this process
in process; the worker processes, pool included, with Celery). The sample server runs in
its own process and is reported apart; PostgreSQL's own CPU is not counted.

    ./dev bench-campaign        # or:
    .venv/bin/python -m benchmarks.campaign --sites 500 --max-pages 8 --workers 1 2 4
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from oitwatch import __version__
from oitwatch.campaign import (
    Selection,
    enqueue,
    plan_campaign,
    run_inprocess,
    start_campaign,
    wait_for_run,
)
from oitwatch.sampleserver import generate_sites
from oitwatch.scan import ScanOptions
from rules import load_catalog
from storage import AgencyInput, Database, Repository

ROOT = Path(__file__).resolve().parent.parent
TICK = os.sysconf("SC_CLK_TCK")


def _tree_cpu(pid: int) -> float:
    """CPU seconds of a process, its live descendants and the children it has reaped."""
    total = 0.0
    stack = [pid]
    while stack:
        current = stack.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        utime, stime, cutime, cstime = (int(x) for x in fields[11:15])
        total += (utime + stime + cutime + cstime) / TICK
        for task in Path(f"/proc/{current}/task").glob("*"):
            try:
                stack += [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                pass
    return total


def _self_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _serve(sites_dir: Path) -> tuple[subprocess.Popen[str], list[str]]:
    server = subprocess.Popen(
        [sys.executable, "-m", "oitwatch.sampleserver", "--sites", str(sites_dir)],
        stdout=subprocess.PIPE, text=True, cwd=ROOT,
    )
    urls = []
    assert server.stdout is not None
    for line in server.stdout:
        if line.startswith("Serving"):
            break
        urls.append(line.split()[1])
    return server, urls


def _worker(env: dict[str, str], name: str, log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as fh:
        process = subprocess.Popen(
            [sys.executable, "-m", "oitwatch", "worker", "-c", "1", "--hostname", f"{name}@%h",
             "--loglevel", "warning"],
            env=env, stdout=fh, stderr=subprocess.STDOUT, cwd=ROOT, start_new_session=True,
        )
    return process


def _wait_ready(env: dict[str, str], count: int, timeout: float = 120) -> None:
    """Wait until `count` workers answer a ping on the broker."""
    from oitwatch.tasks import _publisher

    app = _publisher(env["OITWATCH_REDIS_URL"])
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        replies = app.control.ping(timeout=1.0) or []
        if len(replies) >= count:
            return
    raise SystemExit(f"only some of {count} workers started")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.campaign", description=__doc__)
    parser.add_argument("--sites", type=int, default=500)
    parser.add_argument("--max-pages", type=int, default=8)
    parser.add_argument("--site-concurrency", type=int, default=16, help="in-process campaign")
    parser.add_argument("--workers", type=int, nargs="*", default=[1, 2, 4])
    parser.add_argument("--render", choices=("never", "auto"), default="never",
                        help="JavaScript rendering in headless Chromium (the crawler's default "
                        "is auto; the generated sites need none)")
    parser.add_argument("--no-inprocess", action="store_true")
    parser.add_argument("--db", default=os.environ.get("OITWATCH_TEST_POSTGRES_URL")
                        or "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--redis", default=os.environ.get("OITWATCH_TEST_REDIS_URL")
                        or "redis://127.0.0.1:6379/15")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/campaign.json")
    args = parser.parse_args(argv)

    admin = Database(args.db)
    schema = f"oitwatch_bench_{uuid.uuid4().hex[:8]}"
    with admin.engine.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    db_url = admin.url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
        hide_password=False)
    namespace = f"oitwatch-bench-{uuid.uuid4().hex[:8]}:"
    env = {**os.environ, "OITWATCH_DATABASE_URL": db_url, "OITWATCH_REDIS_URL": args.redis,
           "OITWATCH_REDIS_PREFIX": namespace, "OITWATCH_QUEUE": "bench"}
    os.environ.update({k: env[k] for k in ("OITWATCH_REDIS_URL", "OITWATCH_REDIS_PREFIX",
                                           "OITWATCH_QUEUE")})
    results: list[dict[str, Any]] = []
    started: list[subprocess.Popen[bytes]] = []  # every worker, stopped whatever happens
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    catalog = load_catalog("ita-2566")
    options = ScanOptions(max_pages=args.max_pages, min_delay=0.0,
                          site_concurrency=args.site_concurrency, trigger="benchmark",
                          crawl={"render": args.render})
    try:
        db = Database(db_url)
        db.upgrade()
        repo = Repository(db)
        with tempfile.TemporaryDirectory() as tmp:
            sites_dir = Path(tmp) / "sites"
            generate_sites(args.sites, sites_dir, seed=0)
            server, urls = _serve(sites_dir)
            try:
                repo.import_agencies([
                    AgencyInput(code=f"gen-{i:04d}", name=f"agency {i}", province="bench",
                                homepage=url) for i, url in enumerate(urls)])
                plan = plan_campaign(repo, Selection(province="bench"))
                modes: list[tuple[str, int]] = [] if args.no_inprocess else [("inprocess", 0)]
                modes += [("celery", n) for n in args.workers]
                for backend, count in modes:
                    workers: list[subprocess.Popen[bytes]] = []
                    if backend == "celery":
                        workers = [_worker(env, f"bench{i}", Path(tmp) / f"w{i}.log")
                                   for i in range(count)]
                        started.extend(workers)
                        _wait_ready(env, count)
                    server_cpu0 = _tree_cpu(server.pid)
                    cpu0 = (_self_cpu() if backend == "inprocess"
                            else sum(_tree_cpu(w.pid) for w in workers))
                    wall0 = time.perf_counter()
                    run_id = start_campaign(repo, plan, catalog, options, backend=backend)
                    if backend == "inprocess":
                        run_inprocess(repo, plan, catalog, run_id, options)
                    else:
                        enqueue(run_id, plan, options)
                        wait_for_run(repo, run_id, poll=0.5, timeout=1800)
                    wall = time.perf_counter() - wall0
                    cpu = ((_self_cpu() if backend == "inprocess"
                            else sum(_tree_cpu(w.pid) for w in workers)) - cpu0)
                    server_cpu = _tree_cpu(server.pid) - server_cpu0
                    progress = repo.run_progress(run_id)
                    for worker in workers:
                        os.killpg(worker.pid, signal.SIGTERM)
                    for worker in workers:
                        worker.wait(timeout=60)
                    pages = sum(s.pages_fetched for s in (repo.load_run(run_id) or plan).sites)  # type: ignore[union-attr]
                    row = {
                        "backend": backend if backend == "inprocess" else f"celery x{count}",
                        "sites": progress.total,
                        "sites_complete": progress.complete,
                        "pages": pages,
                        "wall_seconds": round(wall, 1),
                        "sites_per_minute": round(60 * progress.total / wall, 1),
                        "cpu_seconds": round(cpu, 1),
                        "cpu_ms_per_site": round(1000 * cpu / progress.total),
                        "sample_server_cpu_seconds": round(server_cpu, 1),
                    }
                    results.append(row)
                    print(json.dumps(row), flush=True)
            finally:
                server.terminate()
                server.wait(timeout=30)
        db.close()
    finally:
        for worker in started:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGKILL)
                worker.wait(timeout=30)
        with admin.engine.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        import redis

        client = redis.Redis.from_url(args.redis)
        for key in client.scan_iter(match=f"{namespace}*", count=500):
            client.delete(key)
    doc = {
        "oitwatch": __version__,
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.system()}",
        "max_pages": args.max_pages,
        "render": args.render,
        "site_concurrency_inprocess": args.site_concurrency,
        "results": results,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(doc, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
