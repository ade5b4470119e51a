"""Fixtures for the crawler tests: a loopback server factory and a fast config."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from server import Route, TestServer

from crawler import CrawlConfig

# No politeness delays and tiny backoffs: the suite must stay fast. Tests about
# delays set their own values. No browser and no image fetches: these tests
# count requests; the tests of rendering and QR codes (test_crawler_media.py)
# switch them on.
FAST = CrawlConfig(
    render="never",
    check_images=False,
    min_delay=0.0,
    backoff=0.01,
    connect_timeout=2,
    read_timeout=5,
    request_timeout=10,
    site_timeout=60,
)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def fast() -> Callable[..., CrawlConfig]:
    """``fast(max_pages=20)``: the fast config with some fields changed."""

    def make(**changes: Any) -> CrawlConfig:
        changes.setdefault("resolve", dict(FAST.resolve))  # never share the dict
        return replace(FAST, **changes)

    return make


@pytest.fixture
def serve() -> Iterator[Callable[..., TestServer]]:
    """``serve(routes)`` starts a TestServer that is stopped after the test."""
    servers: list[TestServer] = []

    def start(routes: dict[str, Route] | None = None, **kwargs: Any) -> TestServer:
        server = TestServer(routes, **kwargs).__enter__()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()
