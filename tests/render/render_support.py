"""Support for the render tests: a tiny routed HTTP server on 127.0.0.1, an
address policy that lets the browser reach it, and a hard check that
Chromium is installed.

Routes map a path to a :class:`Reply`; every request path is recorded, and
the server tracks how many requests it handled at once. (Not in conftest.py:
test modules import these names, and every test folder has a conftest.)
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Self
from urllib.parse import urlsplit

import pytest

from render import browser_available


@dataclass
class Reply:
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


def page(html: str, **kwargs: object) -> Reply:
    return Reply(html.encode("utf-8"), **kwargs)  # type: ignore[arg-type]


class Loopback:
    def __init__(self, routes: dict[str, Reply] | None = None) -> None:
        self.routes: dict[str, Reply] = dict(routes or {})
        self.hits: list[str] = []
        self.active = 0
        self.max_active = 0
        self._lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                with outer._lock:
                    outer.hits.append(self.path)
                    outer.active += 1
                    outer.max_active = max(outer.max_active, outer.active)
                try:
                    reply = outer.routes.get(self.path.split("?", 1)[0]) or Reply(b"not found", status=404)
                    if reply.delay:
                        time.sleep(reply.delay)
                    self.send_response(reply.status)
                    self.send_header("Content-Type", reply.content_type)
                    self.send_header("Content-Length", str(len(reply.body)))
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass
                finally:
                    with outer._lock:
                        outer.active -= 1

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_port
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._server.shutdown()
        self._server.server_close()


def allow_servers(*servers: Loopback) -> Callable[[str], bool]:
    """An address policy letting the browser reach exactly these test servers
    (the real default refuses loopback, which the tests also check)."""
    ports = {server.port for server in servers}

    def allow(url: str) -> bool:
        parts = urlsplit(url)
        return parts.hostname == "127.0.0.1" and parts.port in ports

    return allow


def require_browser() -> None:
    ok, why = browser_available()
    if not ok:
        pytest.fail(f"Chromium is missing ({why}): install the Debian package 'chromium' "
                    "(listed in apt-packages.txt; ./dev test installs it)")
