"""Fixtures for alert tests: the real Alembic schema on SQLite and PostgreSQL, a real SMTP
server (aiosmtpd) and a real HTTP server on 127.0.0.1. Helpers: alert_support.py."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller
from alert_support import HookServer, SmtpServer, _Sink, free_port

from storage import Database


@pytest.fixture(autouse=True)
def _isolated_env(isolated_env: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """No SMTP settings of the developer's; db_url, db and repo (SQLite and PostgreSQL)
    come from tests/conftest.py."""
    for name in list(os.environ):
        if name.startswith("OITWATCH_SMTP_"):
            monkeypatch.delenv(name)


@pytest.fixture
def sqlite_url(tmp_path: os.PathLike[str]) -> str:
    """A migrated SQLite file, for CLI tests (the CLI opens the database itself)."""
    url = f"sqlite:///{tmp_path}/cli.sqlite3"
    Database(url).upgrade()
    return url


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    sink = _Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield SmtpServer(controller.port, sink)
    finally:
        controller.stop()


@pytest.fixture
def hook() -> Iterator[HookServer]:
    server = HookServer()
    server.thread.start()
    try:
        yield server
    finally:
        server.server.shutdown()
        server.server.server_close()
