"""`oitwatch tokens …` and `oitwatch serve` as a monitor runs them."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
from typer.testing import CliRunner
from web_support import free_port

from benchmarks.campaign_data import seed_campaign
from oitwatch.cli import app
from storage import Database, Repository
from storage.tokens_repo import TokenRepository

runner = CliRunner()


def test_tokens_create_shows_the_token_once_and_stores_only_its_hash(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    created = runner.invoke(app, ["tokens", "create", "สนจ.ขอนแก่น", "--db", db])
    assert created.exit_code == 0, created.output
    token = created.stdout.strip()
    assert token.startswith("oitw_") and len(token) > 40
    tokens = TokenRepository(Database(db))
    assert tokens.verify(token) is not None
    listed = runner.invoke(app, ["tokens", "list", "--db", db])
    assert listed.exit_code == 0 and "สนจ.ขอนแก่น" in listed.stdout
    assert token not in listed.stdout and token[:9] in listed.stdout
    revoked = runner.invoke(app, ["tokens", "revoke", "1", "--db", db])
    assert revoked.exit_code == 0, revoked.output
    assert tokens.verify(token) is None
    missing = runner.invoke(app, ["tokens", "revoke", "99", "--db", db])
    assert missing.exit_code == 2 and "no token with id 99" in missing.output
    assert "Traceback" not in missing.output
    empty = runner.invoke(app, ["tokens", "create", "   ", "--db", db])
    assert empty.exit_code == 2 and "Traceback" not in empty.output


def test_serve_shows_the_stored_results(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'serve.sqlite3'}"
    db = Database(db_url)
    db.upgrade()
    seed_campaign(Repository(db), agencies=3, runs=1)
    db.close()
    port = free_port()
    env = {**os.environ, "OITWATCH_HOME": str(tmp_path / "home")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "oitwatch", "serve", "--port", str(port), "--db", db_url],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.communicate()[1]
                assert time.monotonic() < deadline, "oitwatch serve did not start"
                time.sleep(0.2)
        assert health.json() == {"status": "ok"}
        runs = httpx.get(f"http://127.0.0.1:{port}/api/v1/runs", timeout=10)
        assert runs.status_code == 200
        assert runs.json()["total"] == 1
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=20)
    assert f"http://127.0.0.1:{port}/" in err


def test_serve_refuses_an_unknown_backend(tmp_path: Path) -> None:
    result = runner.invoke(app, ["serve", "--backend", "threads", "--db", f"sqlite:///{tmp_path}/x.db"])
    assert result.exit_code == 2
    assert "unknown backend" in result.output and "Traceback" not in result.output
