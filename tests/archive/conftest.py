"""Fixtures for the web archive tests: loopback servers (tests/crawler/server.py), a fast
crawl config, and a database on SQLite and on PostgreSQL (like tests/storage)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "crawler"))

from server import Route, TestServer

from crawler import CrawlConfig

FAST = CrawlConfig(
    render="never", check_images=False, min_delay=0.0, backoff=0.01, retries=0,
    connect_timeout=2, read_timeout=5, request_timeout=10, site_timeout=60,
)


@pytest.fixture(autouse=True)
def _isolated_env(isolated_env: None) -> None:
    """db_url, db and repo (SQLite and PostgreSQL) come from tests/conftest.py."""


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def fast() -> Callable[..., CrawlConfig]:
    def make(**changes: Any) -> CrawlConfig:
        changes.setdefault("resolve", {})
        return replace(FAST, **changes)

    return make


@pytest.fixture
def serve() -> Iterator[Callable[..., TestServer]]:
    servers: list[TestServer] = []

    def start(routes: dict[str, Route] | None = None, **kwargs: Any) -> TestServer:
        server = TestServer(routes, **kwargs).__enter__()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()

