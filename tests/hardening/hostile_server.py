"""A loopback server for the responses tests/crawler/server.py cannot send: a body
that never ends, or one that drips a byte a second. (TestServer writes a finished
``bytes`` body; these need a writer that keeps going.) Each route is a function
that gets the socket after the request was read and writes what it likes."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Mapping
from typing import Self

__all__ = ["HostileServer", "drip", "endless_chunked", "page"]

Writer = Callable[[socket.socket, threading.Event], None]


def page(body: bytes, content_type: str = "text/html; charset=utf-8") -> Writer:
    def write(conn: socket.socket, _stop: threading.Event) -> None:
        conn.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: " + content_type.encode()
            + b"\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % len(body) + body
        )  # fmt: skip

    return write


def endless_chunked(chunk: bytes = b"<p>" + b"x" * 16_381 + b"</p>") -> Writer:
    """``Transfer-Encoding: chunked`` that never sends the last chunk."""

    def write(conn: socket.socket, stop: threading.Event) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
                     b"Transfer-Encoding: chunked\r\n\r\nc\r\n<html><body>\r\n")  # fmt: skip
        framed = b"%x\r\n%s\r\n" % (len(chunk), chunk)
        while not stop.is_set():
            conn.sendall(framed)

    return write


def drip(every: float = 1.0) -> Writer:
    """A valid HTML response whose body comes one byte per ``every`` seconds: each read
    gets data before the read timeout, so only a whole-request limit ends it."""

    def write(conn: socket.socket, stop: threading.Event) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
                     b"Content-Length: 1000000\r\n\r\n")  # fmt: skip
        while not stop.wait(every):
            conn.sendall(b"x")

    return write


class HostileServer:
    __test__ = False

    def __init__(self, routes: Mapping[str, Writer]) -> None:
        self.routes = dict(routes)
        self.paths: list[str] = []
        self._stop = threading.Event()
        self._sock = socket.create_server(("127.0.0.1", 0))
        self._sock.settimeout(0.1)
        self.port = self._sock.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(5)
        self._sock.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        with conn:
            request = b""
            while b"\r\n\r\n" not in request and len(request) < 65536:
                data = conn.recv(4096)
                if not data:
                    return
                request += data
            path = request.split(b" ", 2)[1].decode("latin-1")
            self.paths.append(path)
            writer = self.routes.get(path)
            try:
                if writer is None:
                    conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n"
                                 b"Connection: close\r\n\r\n")  # fmt: skip
                else:
                    writer(conn, self._stop)
            except OSError:
                pass  # the crawler hung up: that is what these tests want
