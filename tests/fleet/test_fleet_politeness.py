"""Fleet-wide politeness (crawler._fleet_limit): per-host concurrency and spacing hold
across processes through Redis, leases of dead processes expire, a Redis outage falls back
to the local limits with a note. Real Redis (OITWATCH_TEST_REDIS_URL), real processes, a
real loopback server; every test uses its own key prefix."""

from __future__ import annotations

import itertools
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import anyio
import pytest
import redis

from crawler import CrawlConfig, Crawler
from crawler._fleet_limit import RedisLimiter
from crawler._politeness import Limiter
from oitwatch.campaign import Selection, enqueue, plan_campaign, start_campaign
from oitwatch.sampleserver import SampleServer
from oitwatch.scan import ScanOptions
from rules import load_catalog
from storage import AgencyInput, Repository
from storage.models import SiteScan

from .conftest import REPO_ROOT, wait_until
from .fleet_hammer import HOST


@pytest.fixture
def prefix(redis_namespace: str) -> str:
    """A key prefix of this test only (inside the session's, which is cleaned up)."""
    return f"{redis_namespace}{uuid.uuid4().hex[:8]}:"


def _hammer(redis_url: str, prefix: str, out: Path, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.fleet.fleet_hammer", redis_url, prefix, str(out), *args],
        cwd=REPO_ROOT, start_new_session=True,
    )


def _records(out: Path) -> list[dict[str, Any]]:
    if not out.exists():
        return []
    return [json.loads(line) for line in out.read_text().splitlines() if line.strip()]


def _max_overlap(intervals: list[tuple[float, float]]) -> int:
    # An end at the same instant as a start counts first: touching is not overlapping.
    events = sorted([(s, 1) for s, _ in intervals] + [(e, -1) for _, e in intervals])
    now = peak = 0
    for _, step in events:
        now += step
        peak = max(peak, now)
    return peak


def _wait_all(processes: list[subprocess.Popen[bytes]], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    for p in processes:
        try:
            p.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            for q in processes:
                q.kill()
            pytest.fail("a hammer process did not finish")
        assert p.returncode == 0


# -- unit level: separate processes against one Redis -----------------------------------------


def test_processes_together_never_exceed_per_host(
    redis_url: str, prefix: str, tmp_path: Path
) -> None:
    """4 processes, each ready to send 6 requests at once (its local limit lets 2 through,
    so 8 could be in flight): the fleet lets 2 through, all requests are served."""
    out = tmp_path / "slots.jsonl"
    start_at = time.time() + 2.0  # let every interpreter start first
    procs = [_hammer(redis_url, prefix, out, "--per-host", "2", "--requests", "6",
                     "--hold", "0.15", "--start-at", str(start_at)) for _ in range(4)]
    _wait_all(procs, 90)
    records = _records(out)
    assert len(records) == 24
    assert _max_overlap([(r["start"], r["end"]) for r in records]) == 2
    # and not because one process did all the work: every process got slots
    assert len({r["pid"] for r in records}) == 4


def test_delay_between_starts_holds_across_processes(
    redis_url: str, prefix: str, tmp_path: Path
) -> None:
    out = tmp_path / "starts.jsonl"
    start_at = time.time() + 2.0
    procs = [_hammer(redis_url, prefix, out, "--per-host", "4", "--delay", "0.2",
                     "--requests", "4", "--hold", "0.02", "--start-at", str(start_at))
             for _ in range(3)]
    _wait_all(procs, 90)
    records = sorted(_records(out), key=lambda r: r["start"])
    assert len(records) == 12
    gaps = [b["start"] - a["start"] for a, b in itertools.pairwise(records)]
    # Recorded just after the grant: a few ms of scheduling noise either way.
    assert min(gaps) >= 0.2 - 0.04, gaps
    # Fleet-wide, not per process: consecutive starts come from different processes.
    assert any(a["pid"] != b["pid"] for a, b in itertools.pairwise(records))


async def _try_acquire(fleet: RedisLimiter, within: float) -> float | None:
    """time.time() when a slot of HOST was granted within ``within`` s, else None."""
    with anyio.move_on_after(within):
        lease = await fleet.acquire(HOST, 0.0)
        assert lease is not None  # None would mean Redis is away
        granted = time.time()
        await fleet.release(lease)
        return granted
    return None


def test_lease_renewed_while_alive_freed_after_ttl_when_killed(
    redis_url: str, prefix: str, tmp_path: Path
) -> None:
    """A live holder keeps its slot past several TTLs (renewed); SIGKILLed, its slot is
    free again after the TTL, not before."""
    ttl = 1.5
    out = tmp_path / "held.jsonl"
    holder = _hammer(redis_url, prefix, out, "--per-host", "1", "--lease", str(ttl),
                     "--hold-forever")
    try:
        wait_until(lambda: _records(out), 30, "the holder to take its slot", poll=0.05)

        async def check() -> tuple[float | None, float, float | None]:
            fleet = RedisLimiter(redis_url, per_host=1, prefix=prefix, lease_ttl=ttl)
            try:
                await anyio.sleep(2.5 * ttl)  # several renewals later
                while_alive = await _try_acquire(fleet, 0.5)
                os.killpg(holder.pid, signal.SIGKILL)
                killed = time.time()
                just_after = await _try_acquire(fleet, 0.5)
                freed = await _try_acquire(fleet, ttl + 5)
                assert fleet.fallbacks == 0
                return while_alive, killed, (None if just_after else freed)
            finally:
                await fleet.aclose()

        while_alive, killed, freed = anyio.run(check)
    finally:
        if holder.poll() is None:
            os.killpg(holder.pid, signal.SIGKILL)
        holder.wait(10)
    assert while_alive is None, "the live holder's lease was not renewed"
    assert freed is not None, "the slot was taken again right after the kill, or never freed"
    # The last renewal was at most ttl/3 before the kill: freed within (2/3 ttl, ttl] of it.
    assert ttl / 3 <= freed - killed <= ttl + 1.0


def test_redis_unreachable_falls_back_to_local_limits() -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]

    fleet = RedisLimiter(f"redis://127.0.0.1:{port}/0", per_host=1, prefix="x:")

    async def run() -> tuple[int, float, float]:
        limiter = Limiter(per_host=1, global_limit=4, delay=0.0, fleet=fleet)
        try:
            t0 = time.monotonic()
            async with limiter.slot("a:80"):
                pass
            first = time.monotonic() - t0
            t0 = time.monotonic()
            async with limiter.slot("a:80"):  # while Redis is known away: not asked again
                pass
            return limiter.fleet_fallbacks, first, time.monotonic() - t0
        finally:
            await limiter.aclose()

    fallbacks, first, second = anyio.run(run)
    assert fallbacks == 2
    assert fleet.last_error  # what the note and the log say
    assert first < 3.5  # bounded by the call timeout, no hang
    assert second < 0.1


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """A Redis server of this test alone, to be stopped mid-scan."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url, socket_connect_timeout=1)
    wait_until(lambda: _pings(client), 20, "the private redis-server", poll=0.05)
    yield url, proc
    if proc.poll() is None:
        proc.kill()
    proc.wait(10)


def _pings(client: redis.Redis) -> bool:
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False


def test_redis_outage_mid_scan_finishes_with_a_note(
    private_redis: tuple[str, subprocess.Popen[bytes]]
) -> None:
    url, redis_proc = private_redis
    seen_keys: list[str] = []
    pages = 0

    with SampleServer(only={"compliant"}) as server:
        seed = server.sites[0].url

        def on_page(page: Any) -> None:
            nonlocal pages
            pages += 1
            if pages == 3:  # the fleet limiter was in use before the outage (its spacing key)
                seen_keys.extend(redis.Redis.from_url(url).keys("t:fleet:*"))
                redis_proc.kill()

        async def run() -> Any:
            config = CrawlConfig(max_pages=15, min_delay=0.05, render="never",
                                 check_images=False, limiter_url=url, limiter_prefix="t:")
            async with Crawler(config) as crawler:
                return await crawler.crawl(seed, on_page=on_page)

        t0 = time.monotonic()
        crawl = anyio.run(run)
        elapsed = time.monotonic() - t0
    assert seen_keys, "no fleet key in Redis before the outage"
    assert redis_proc.poll() is not None
    assert crawl.status.value == "ok", crawl.reason
    assert crawl.pages_fetched >= 10
    assert any("fleet-wide politeness unavailable" in n for n in crawl.notes), crawl.notes
    assert elapsed < 60


# -- integration: 4 real Celery workers, 8 sites on one host ---------------------------------


class OneHostFarm:
    """8 agency sites under /s0/ ... /s7/ of ONE loopback server, each request taking a
    while; counts requests in flight in the handler (the server's view). /s7/'s home page
    waits for ``gate`` (a worker holding a slot there is killed)."""

    PAGES = 5

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.in_flight = 0
        self.max_in_flight = 0
        self.requests = 0
        self.gate = threading.Event()
        self.gated_arrived = threading.Event()
        farm = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                with farm.lock:
                    farm.in_flight += 1
                    farm.requests += 1
                    farm.max_in_flight = max(farm.max_in_flight, farm.in_flight)
                try:
                    self._answer()
                finally:
                    with farm.lock:
                        farm.in_flight -= 1

            def _answer(self) -> None:
                parts = self.path.strip("/").split("/")
                if not parts[0].startswith("s") or not parts[0][1:].isdigit():
                    self._send(404, b"")
                    return
                site = parts[0]
                if site == "s7" and len(parts) == 1:
                    farm.gated_arrived.set()
                    farm.gate.wait(timeout=120)
                time.sleep(0.15)  # a small, slow agency server
                links = "".join(f'<li><a href="/{site}/p{i}.html">ข่าว {i}</a></li>'
                                for i in range(farm.PAGES))
                body = (f'<html lang="th"><head><meta charset="utf-8"><title>อบต.{site}</title>'
                        f"</head><body><h1>องค์การบริหารส่วนตำบล {site}</h1><ul>{links}</ul>"
                        "</body></html>").encode()
                self._send(200, body)

            def _send(self, status: int, body: bytes) -> None:
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "text/html; charset=utf-8")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass  # the worker that asked was killed

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever,
                                       kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.gate.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def one_host_farm() -> Iterator[OneHostFarm]:
    farm = OneHostFarm()
    yield farm
    farm.close()


def _claimants(repo: Repository, run_id: int) -> dict[str, str]:
    with repo.db.session() as s:
        rows = list(s.query(SiteScan).filter(SiteScan.run_id == run_id))
        return {row.seed_url: row.claimed_by or "" for row in rows}


def test_four_workers_eight_sites_one_host_never_over_two(
    pg_repo: Repository, pg_url: str, one_host_farm: OneHostFarm, start_worker: Any,
    celery_env: dict[str, str], redis_url: str, prefix: str, monkeypatch: pytest.MonkeyPatch,
) -> None:
    farm = one_host_farm
    ttl = 3.0
    monkeypatch.setenv("OITWATCH_REDIS_PREFIX", prefix)  # the publisher's, like the workers'
    workers = [start_worker(pg_url, f"w{i}", concurrency=1, OITWATCH_REDIS_PREFIX=prefix)
               for i in range(4)]
    pg_repo.import_agencies([AgencyInput(code=f"one-host-{i}", name=f"อบต.ที่ {i}",
                                         homepage=f"{farm.base}/s{i}/") for i in range(8)])
    plan = plan_campaign(pg_repo, Selection(agencies=tuple(f"one-host-{i}" for i in range(8))))
    options = ScanOptions(
        max_pages=8, min_delay=0.0, per_host_concurrency=2, render="never", screenshots=False,
        archive=False, lease_seconds=30.0, trigger="test",
        crawl={"check_images": False, "use_sitemaps": False, "limiter_lease": ttl},
    )
    run_id = start_campaign(pg_repo, plan, load_catalog(plan.catalog_id), options,
                            backend="celery")
    assert enqueue(run_id, plan, options) == 8

    # A worker holds a fleet slot on /s7/ (its home page hangs): SIGKILL its pool process.
    assert farm.gated_arrived.wait(120), "no worker asked for the gated site"
    gated = f"{farm.base}/s7/"
    claimant = wait_until(lambda: _claimants(pg_repo, run_id).get(gated), 30, "the claim")
    pid = int(claimant.rsplit(" ", 1)[1])  # "host pid 1234"
    leases_key = f"{prefix}limit:fleet:{{127.0.0.1:{farm.server.server_address[1]}}}:leases"
    client = redis.Redis.from_url(redis_url)
    held = [m.decode() for m in client.zrange(leases_key, 0, -1)]
    assert any(f":{pid}:" in m for m in held), (held, pid)  # the victim's lease is in Redis
    os.kill(pid, signal.SIGKILL)
    killed = time.monotonic()
    farm.gate.set()  # the hung handler answers a dead socket and ends

    # The dead lease expires after the TTL (its score passes Redis's clock).
    def victim_lease_gone() -> bool:
        now_s, now_us = client.time()
        now_ms = now_s * 1000 + now_us // 1000
        return all(score <= now_ms for member, score in client.zrange(
            leases_key, 0, -1, withscores=True) if f":{pid}:" in member.decode())

    wait_until(victim_lease_gone, ttl + 5, "the killed worker's lease to expire", poll=0.1)
    assert time.monotonic() - killed <= ttl + 5

    progress = wait_until(lambda: (p := pg_repo.run_progress(run_id)).state == "complete" and p,
                          240, "the run to complete")
    assert (progress.total, progress.complete) == (8, 8)
    with pg_repo.db.session() as s:
        rows = list(s.query(SiteScan).filter(SiteScan.run_id == run_id))
    assert all(r.status == "ok" for r in rows), [(r.seed_url, r.status) for r in rows]
    rescanned = next(r for r in rows if r.seed_url == gated)
    assert int((rescanned.claimed_by or "").rsplit(" ", 1)[1]) != pid  # another worker did it
    # The server's view: never more than 2 requests at once, and 2 was reached (4 workers
    # did contend); several workers scanned.
    assert farm.max_in_flight == 2, farm.max_in_flight
    assert farm.requests >= 8 * 3
    assert len({r.claimed_by for r in rows}) >= 2
    for w in workers:
        assert "fleet limiter: Redis unavailable" not in w.text()
