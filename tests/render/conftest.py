"""Fixtures for the render tests (helpers live in render_support.py)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from render_support import Loopback, Reply


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"  # Playwright's async API runs on asyncio only


@pytest.fixture
def serve() -> Iterator[Callable[..., Loopback]]:
    """``serve({"/": page("<p>hi")})`` starts a server stopped after the test."""
    servers: list[Loopback] = []

    def start(routes: dict[str, Reply] | None = None) -> Loopback:
        server = Loopback(routes).__enter__()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.__exit__(None, None, None)
