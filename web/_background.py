"""The dashboard served by uvicorn in a thread of this process: for tests, benchmarks and
the README's screenshots (people run `oitwatch serve`)."""

from __future__ import annotations

import socket
import threading
import time
from typing import Any

import uvicorn

__all__ = ["BackgroundServer", "free_port"]


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


class BackgroundServer:
    """``with BackgroundServer(app) as server:`` serves ``app`` on 127.0.0.1 until the block
    ends; ``server.url`` is its base URL."""

    def __init__(self, app: Any, *, host: str = "127.0.0.1", start_timeout: float = 30.0) -> None:
        self.port = free_port(host)
        self.url = f"http://{host}:{self.port}"
        self._timeout = start_timeout
        self.server = uvicorn.Server(
            uvicorn.Config(app, host=host, port=self.port, log_level="warning", lifespan="on")
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True, name="oitwatch-web")

    def __enter__(self) -> BackgroundServer:
        self.thread.start()
        deadline = time.monotonic() + self._timeout
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the dashboard server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
