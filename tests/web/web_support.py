"""Helpers of the dashboard and API tests (imported by their conftest and tests)."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import uvicorn

from benchmarks.campaign_data import SeededCampaign
from storage import Repository
from web import WebConfig, create_app


@dataclass
class Seeded:
    url: str
    repo: Repository
    campaign: SeededCampaign
    token: str  # an active write token
    home: Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    """uvicorn serving an app on 127.0.0.1 in a thread; ``url`` is its base URL."""

    def __init__(self, app: object) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning",
                                lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)

    def client(self, **kwargs: object) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=30, **kwargs)  # type: ignore[arg-type]


def make_app(repo: Repository, **config: object):  # type: ignore[no-untyped-def]
    """The app over ``repo`` with a fixed secret (cookies stay valid across app objects)."""
    settings: dict[str, object] = {"secret": b"test-secret", **config}
    return create_app(WebConfig(**settings), repo=repo)  # type: ignore[arg-type]
