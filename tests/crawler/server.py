"""A small routed HTTP server on 127.0.0.1 for crawler tests.

Real sockets, so the crawler's production code path (transport, SSRF guard,
timeouts, streaming) runs. Routes map a path (with query, if any) to a
:class:`Reply` or to a function of the :class:`Seen` request. Every request is
recorded with its time and User-Agent, and the server tracks the largest
number of requests it handled at once.

    with TestServer({"/": html("<a href='/a'>A</a>")}) as server:
        server.url("/")
"""

from __future__ import annotations

import ssl
import sys
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self

__all__ = ["Reply", "Seen", "TestServer", "html", "redirect"]


@dataclass
class Reply:
    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    delay: float = 0.0  # seconds to wait before answering
    chunked: bool = False  # send without Content-Length (close the connection at the end)


@dataclass
class Seen:
    path: str  # path with query
    headers: dict[str, str]
    started: float  # time.monotonic()
    finished: float = 0.0

    @property
    def user_agent(self) -> str:
        return self.headers.get("user-agent", "")


Route = Reply | Callable[[Seen], Reply]


def html(
    body: str,
    *,
    status: int = 200,
    charset: str | None = "utf-8",
    encoding: str = "utf-8",
    headers: Mapping[str, str] | None = None,
    delay: float = 0.0,
) -> Reply:
    """An HTML reply; ``charset=None`` sends ``Content-Type: text/html`` without a charset."""
    content_type = "text/html" if charset is None else f"text/html; charset={charset}"
    return Reply(
        status, {"Content-Type": content_type, **(headers or {})}, body.encode(encoding), delay
    )


def redirect(location: str, status: int = 302) -> Reply:
    return Reply(status, {"Location": location})


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        # The crawler closing a kept-alive connection, or stopping to read at a
        # size cap, is expected; anything else is printed as usual.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


class TestServer:
    """Serves ``routes`` on 127.0.0.1 (a free port) in a background thread."""

    __test__ = False  # not a pytest test class

    def __init__(
        self,
        routes: Mapping[str, Route] | None = None,
        default: Route | None = None,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        self.routes: dict[str, Route] = dict(routes or {})
        self.default = default or Reply(404, {"Content-Type": "text/html"}, b"<h1>404</h1>")
        self.requests: list[Seen] = []
        self.max_in_flight = 0
        self._in_flight = 0
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # else 40 ms per response (delayed ACK)

            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                server._handle(self)

        self._httpd = _QuietServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self.scheme = "http"
        if tls is not None:
            self._httpd.socket = tls.wrap_socket(self._httpd.socket, server_side=True)
            self.scheme = "https"
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def url(self, path: str = "/", host: str = "127.0.0.1") -> str:
        return f"{self.scheme}://{host}:{self.port}{path}"

    def paths(self) -> list[str]:
        """Paths requested, in order (robots.txt and sitemaps included)."""
        with self._lock:
            return [r.path for r in self.requests]

    def count(self, path: str) -> int:
        return self.paths().count(path)

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        seen = Seen(
            handler.path, {k.lower(): v for k, v in handler.headers.items()}, time.monotonic()
        )
        with self._lock:
            self.requests.append(seen)
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)
        try:
            reply = self._reply(seen, handler.path)
            if reply.delay:
                time.sleep(reply.delay)
        finally:
            # The request counts as finished before the answer is written: the
            # client cannot send its next request before it has the answer, so
            # recording later would make correct clients look concurrent.
            with self._lock:
                self._in_flight -= 1
                seen.finished = time.monotonic()
        handler.send_response(reply.status)
        for name, value in reply.headers.items():
            handler.send_header(name, value)
        if reply.chunked:
            handler.send_header("Connection", "close")
            handler.close_connection = True
        else:
            handler.send_header("Content-Length", str(len(reply.body)))
        handler.end_headers()
        try:
            step = 65536
            for i in range(0, len(reply.body), step):
                handler.wfile.write(reply.body[i : i + step])
        except (BrokenPipeError, ConnectionResetError):
            handler.close_connection = True  # the client stopped reading: expected for caps

    def _reply(self, seen: Seen, path: str) -> Reply:
        route = self.routes.get(path)
        if route is None:
            route = self.routes.get(path.split("?", 1)[0])
        if route is None:
            # robots.txt and sitemap.xml are "not found" unless a test routes them
            plain = path in ("/robots.txt", "/sitemap.xml")
            route = Reply(404, {}, b"not found") if plain else self.default
        try:
            return route(seen) if callable(route) else route
        except Exception as exc:  # noqa: BLE001 - a test route bug: answer 500
            return Reply(500, {"Content-Type": "text/plain"}, repr(exc).encode())
