"""Fixtures for alert tests: the real Alembic schema on SQLite and PostgreSQL, a real SMTP
server (aiosmtpd) and a real HTTP server on 127.0.0.1. Helpers: alert_support.py."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller
from alert_support import HookServer, SmtpServer, _Sink, free_port

from storage import Database, Repository


@pytest.fixture(autouse=True)
def _isolated_env(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    monkeypatch.delenv("OITWATCH_DATABASE_URL", raising=False)
    for name in list(os.environ):
        if name.startswith("OITWATCH_SMTP_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("OITWATCH_HOME", str(tmp_path_factory.mktemp("oitwatch_home")))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: os.PathLike[str]) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/test.sqlite3"
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = Database(db_url)
    database.upgrade()
    yield database
    database.close()


@pytest.fixture
def repo(db: Database) -> Repository:
    return Repository(db)


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
