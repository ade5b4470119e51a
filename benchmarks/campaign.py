"""Campaign benchmark: N generated agency sites on loopback, scanned as one registry campaign
in process and on 1, 2, 4 Celery workers (each `oitwatch worker -c 1`).

Needs PostgreSQL and Redis (the benchmark uses its own schema and queue and removes them).
Reports sites per minute and CPU seconds per site of the scanning processes (this process
in process; the worker processes, pool included, with Celery). The sample server runs in
its own process and is reported apart; PostgreSQL's own CPU is not counted.

    ./dev bench-campaign        # or:
    .venv/bin/python -m benchmarks.campaign --sites 500 --max-pages 8 --workers 1 2 4
    # memory over a long campaign (docs/national-scale.md):
    .venv/bin/python -m benchmarks.campaign --sites 2000 --max-pages 60 --workers 2 \
        --no-inprocess --server farm --rss-interval 2 --timeout 7200 \
        --out benchmarks/results/campaign-rss-2000.json
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import resource
import signal
import subprocess
import sys
import tempfile
import threading
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


def _tree_pids(pid: int) -> list[int]:
    """A process and its live descendants (a Celery worker and its pool processes)."""
    pids, stack = [], [pid]
    while stack:
        current = stack.pop()
        pids.append(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            try:
                stack += [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                pass
    return pids


def _memory_kib(pid: int) -> tuple[int, int]:
    """(VmRSS, VmHWM) of one process in KiB; (0, 0) when it is gone."""
    rss = hwm = 0
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1])
            elif line.startswith("VmHWM:"):
                hwm = int(line.split()[1])
    except OSError:
        pass
    return rss, hwm


def _is_worker_process(pid: int) -> bool:
    try:
        args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return b"oitwatch" in args and b"worker" in args


class RssSampler:
    """Samples the resident memory of each worker's process tree every ``interval`` s, so
    a campaign shows whether memory stays bounded as sites go by: per worker the peak
    (VmHWM, the kernel's high-water mark, of its largest Python process: the Celery main
    process or its pool process; and the largest sum of VmRSS over the whole tree, a
    browser included) and a timeline of the tree's RSS."""

    def __init__(self, workers: list[subprocess.Popen[bytes]], interval: float) -> None:
        self.workers, self.interval = workers, interval
        self.hwm_kib = [0] * len(workers)  # largest VmHWM of the worker's Python processes
        self.tree_kib = [0] * len(workers)  # largest sum of VmRSS over its tree (browsers too)
        self.timeline: list[tuple[float, list[int]]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._t0 = time.perf_counter()

    def sample(self) -> None:
        now = []
        for index, worker in enumerate(self.workers):
            total = 0
            for pid in _tree_pids(worker.pid):
                rss, hwm = _memory_kib(pid)
                total += rss
                if _is_worker_process(pid):  # the worker and its pool, not a browser it runs
                    self.hwm_kib[index] = max(self.hwm_kib[index], hwm)
            self.tree_kib[index] = max(self.tree_kib[index], total)
            now.append(total)
        self.timeline.append((time.perf_counter() - self._t0, now))

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()

    def __enter__(self) -> RssSampler:
        self.sample()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.sample()

    def summary(self) -> dict[str, Any]:
        """Peaks per worker, and the tree RSS at 10 %, 25 %, 50 %, 75 % and 100 % of the run."""
        mib = lambda kib: round(kib / 1024, 1)  # noqa: E731
        points = {}
        if self.timeline:
            end = self.timeline[-1][0] or 1.0
            for share in (0.1, 0.25, 0.5, 0.75, 1.0):
                t, values = min(self.timeline, key=lambda p: abs(p[0] - share * end))
                points[f"{int(share * 100)}%"] = [mib(v) for v in values]
        return {
            "peak_rss_mib_per_worker": [mib(v) for v in self.hwm_kib],
            "peak_tree_rss_mib_per_worker": [mib(v) for v in self.tree_kib],
            "tree_rss_mib_during_run": points,
        }


def _self_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _serve(sites_dir: Path, module: str = "oitwatch.sampleserver"
           ) -> tuple[subprocess.Popen[str], list[str]]:
    server = subprocess.Popen(
        [sys.executable, "-m", module, "--sites", str(sites_dir)],
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
    parser.add_argument("--screenshots", action="store_true",
                        help="evidence screenshots in headless Chromium (~1 s of browser time "
                        "each, up to 20 a site); off by default, as before they existed")
    parser.add_argument("--archive", action="store_true",
                        help="write a WARC archive per site (into the benchmark's temporary "
                        "folder); off by default")
    parser.add_argument("--server", choices=("sampleserver", "farm"), default="sampleserver",
                        help="farm: serve the sites from one epoll loop (benchmarks/farm.py) "
                        "instead of a polling thread per site; use it for thousands of sites")
    parser.add_argument("--no-inprocess", action="store_true")
    parser.add_argument("--timeout", type=float, default=1800,
                        help="seconds a Celery campaign may take")
    parser.add_argument("--rss-interval", type=float, default=0.0,
                        help="sample each Celery worker's resident memory (its process tree, "
                        "from /proc) every this many seconds and report the peak per worker "
                        "and RSS during the run (0: off)")
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
    try:
        db = Database(db_url)
        db.upgrade()
        repo = Repository(db)
        with tempfile.TemporaryDirectory() as tmp:
            options = ScanOptions(max_pages=args.max_pages, min_delay=0.0,
                                  site_concurrency=args.site_concurrency, trigger="benchmark",
                                  crawl={"render": args.render}, screenshots=args.screenshots,
                                  screenshot_dir=f"{tmp}/screenshots", archive=args.archive,
                                  archive_dir=f"{tmp}/archives")
            sites_dir = Path(tmp) / "sites"
            generate_sites(args.sites, sites_dir, seed=0)
            server, urls = _serve(sites_dir, "benchmarks.farm" if args.server == "farm"
                                  else "oitwatch.sampleserver")
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
                    sampler = (RssSampler(workers, args.rss_interval)
                               if workers and args.rss_interval > 0 else contextlib.nullcontext())
                    with sampler:
                        run_id = start_campaign(repo, plan, catalog, options, backend=backend)
                        if backend == "inprocess":
                            run_inprocess(repo, plan, catalog, run_id, options)
                        else:
                            enqueue(run_id, plan, options)
                            wait_for_run(repo, run_id, poll=0.5, timeout=args.timeout)
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
                    if isinstance(sampler, RssSampler):
                        row.update(sampler.summary())
                    elif backend == "inprocess":
                        row["peak_rss_mib"] = round(
                            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
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
        "screenshots": args.screenshots,
        "archive": args.archive,
        "site_concurrency_inprocess": args.site_concurrency,
        "results": results,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(doc, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
