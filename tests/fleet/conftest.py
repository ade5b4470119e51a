"""Fixtures for campaigns, registry, scheduler and Celery workers: real PostgreSQL, real
Redis, real worker processes, sample sites on 127.0.0.1."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from oitwatch.sampleserver import SampleServer
from storage import AgencyInput, Database, Repository

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _isolated_env(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Never touch the developer's real database, data directory or Redis queue."""
    monkeypatch.delenv("OITWATCH_DATABASE_URL", raising=False)
    monkeypatch.setenv("OITWATCH_HOME", str(tmp_path_factory.mktemp("oitwatch_home")))
    for name in ("OITWATCH_REDIS_URL", "OITWATCH_QUEUE", "OITWATCH_REDIS_PREFIX",
                 "OITWATCH_VISIBILITY_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def _close_worker_crawler() -> Iterator[None]:
    """scan_one_site keeps a loop and crawler per process (as in a worker): close them."""
    yield
    from oitwatch.scan import _reset_worker_loop

    _reset_worker_loop()


@pytest.fixture(scope="module")
def samples() -> Iterator[SampleServer]:
    with SampleServer(only={"compliant", "hub", "unreachable", "waf_blocked"}) as server:
        yield server


def register(repo: Repository, server: SampleServer, province: str = "ทดสอบ") -> dict[str, str]:
    """Register the served sample sites as agencies "demo-<name>"; returns name -> URL."""
    repo.import_agencies([
        AgencyInput(code=f"demo-{s.name}", name=str(s.config.get("name_th") or s.name),
                    type=s.config.get("agency_type"), province=province, homepage=s.url)
        for s in server.sites
    ])
    return {s.name: s.url for s in server.sites}


@pytest.fixture
def pg_repo(pg_url: str) -> Iterator[Repository]:
    db = Database(pg_url)
    db.upgrade()
    yield Repository(db)
    db.close()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def any_repo(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Repository]:
    url = (f"sqlite:///{tmp_path}/fleet.sqlite3" if request.param == "sqlite"
           else str(request.getfixturevalue("pg_url")))
    db = Database(url)
    db.upgrade()
    yield Repository(db)
    db.close()


# -- a site that answers its home page only when the test says so -----------------------------


@dataclass
class GatedSite:
    """Loopback site whose home page blocks until ``release()``; ``arrived`` is set when a
    crawler asks for it. Four small pages behind it."""

    url: str = ""
    arrived: threading.Event = field(default_factory=threading.Event)
    gate: threading.Event = field(default_factory=threading.Event)
    home_hits: int = 0

    def release(self) -> None:
        self.gate.set()


@pytest.fixture
def gated_site() -> Iterator[GatedSite]:
    site = GatedSite()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            if self.path == "/":
                site.home_hits += 1
                site.arrived.set()
                site.gate.wait(timeout=120)
                links = "".join(f'<li><a href="/p{i}.html">หน้า {i}</a></li>' for i in range(4))
                body = (f'<html lang="th"><head><meta charset="utf-8"><title>อบต.ช้า</title>'
                        f"</head><body><h1>องค์การบริหารส่วนตำบลช้า</h1><ul>{links}</ul>"
                        "</body></html>")
            elif self.path.startswith("/p"):
                body = ('<html><head><meta charset="utf-8"><title>หน้า</title></head>'
                        "<body>ข่าว</body></html>")
            else:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            data = body.encode("utf-8")
            try:
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except OSError:
                pass  # the crawler that asked was killed

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    site.url = f"http://127.0.0.1:{server.server_address[1]}/"
    yield site
    site.release()
    server.shutdown()
    server.server_close()


# -- real Celery workers -----------------------------------------------------------------------


@dataclass
class Worker:
    name: str
    process: subprocess.Popen[bytes]
    log: Path

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def kill(self) -> None:
        """SIGKILL the worker and its pool processes (a machine that dies)."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


@pytest.fixture
def celery_env(
    redis_url: str, redis_namespace: str, monkeypatch: pytest.MonkeyPatch
) -> dict[str, str]:
    """Broker settings of this test, for the test process (publisher) and its workers."""
    env = {
        "OITWATCH_REDIS_URL": redis_url,
        "OITWATCH_REDIS_PREFIX": redis_namespace,
        "OITWATCH_QUEUE": f"q-{uuid.uuid4().hex[:8]}",
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return env


@pytest.fixture
def start_worker(
    celery_env: dict[str, str], tmp_path: Path
) -> Iterator[Callable[..., Worker]]:
    workers: list[Worker] = []

    def start(db_url: str, name: str, concurrency: int = 1, **extra_env: str) -> Worker:
        log = tmp_path / f"worker-{name}.log"
        env = {**os.environ, **celery_env, **extra_env, "OITWATCH_DATABASE_URL": db_url,
               "PYTHONUNBUFFERED": "1"}
        with log.open("wb") as fh:
            process = subprocess.Popen(
                [sys.executable, "-m", "oitwatch", "worker", "--concurrency", str(concurrency),
                 "--hostname", f"{name}-{uuid.uuid4().hex[:6]}@%h", "--loglevel", "info"],
                cwd=REPO_ROOT, env=env, stdout=fh, stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: kill() takes the pool too
            )
        worker = Worker(name, process, log)
        workers.append(worker)
        deadline = time.monotonic() + 90
        while " ready." not in worker.text():
            if process.poll() is not None or time.monotonic() > deadline:
                worker.kill()
                pytest.fail(f"worker {name} did not start:\n{worker.text()[-3000:]}")
            time.sleep(0.2)
        return worker

    yield start
    for worker in workers:
        if worker.process.poll() is None:
            worker.process.send_signal(signal.SIGTERM)  # warm shutdown
    for worker in workers:
        try:
            worker.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()


def wait_until(predicate: Callable[[], Any], timeout: float, what: str, poll: float = 0.2) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(poll)
