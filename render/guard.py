"""An address guard for the browser: a small HTTP proxy on 127.0.0.1.

Chromium must not be steered into our own network (SSRF). Blocking in
Playwright's request routing is not enough: routing never sees redirect
hops, so ``http://agency/x`` answering ``302 Location: http://127.0.0.1:6379/``
would be followed unchecked. Every connection the browser opens goes through
this proxy instead (Playwright sends loopback through it too), redirects and
WebSockets included, and the proxy:

1. asks ``allow_url(url)`` about the URL as requested (for HTTPS the proxy
   only sees ``CONNECT host:port``, so the URL is ``https://host:port/``);
2. resolves the host itself, asks ``allow_url`` again about the URL with the
   host replaced by each address (a name pointing into our network is
   refused like the address itself), and connects to the address it checked,
   so DNS rebinding cannot swap it afterwards.

``allow_url`` may be sync or async. The crawler passes its SSRF policy;
:func:`public_only` is the default.

``pins`` are the crawler's ``--resolve`` pins (host → address): a pinned host
is connected to at its pinned address and, like in the fetcher's guard, that
address is trusted (operator configuration, not something a page can change).

``hop_check(url)`` is the site's own decision (robots.txt) for each plain HTTP
request, asked after the address checks: the browser's request routing never
sees redirect hops, the proxy does. (HTTPS shows only ``CONNECT host:port``
here, so its paths are judged by the routing alone.) ``on_refused(url, kind,
why)`` hears of every refusal: kind "address" or the kind ``hop_check`` gave.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import ipaddress
import socket
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from typing import Self
from urllib.parse import urlsplit, urlunsplit

__all__ = ["AllowUrl", "GuardProxy", "HopCheck", "OnRefused", "public_only"]

AllowUrl = Callable[[str], "bool | Awaitable[bool]"]
HopCheck = Callable[[str], Awaitable["tuple[str, str] | None"]]
"""url → None (go on) or (kind, why) to refuse, e.g. ("robots", "robots.txt disallows /x")."""
OnRefused = Callable[[str, str, str], None]

_HEAD_LIMIT = 64 * 1024
_HOP_HEADERS = {"proxy-connection", "proxy-authorization", "connection", "keep-alive"}


def public_only(url: str) -> bool:
    """The default policy: http(s) to names or public addresses only. Names
    are judged again by the addresses they resolve to (see the module doc)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        return False
    if parts.scheme not in ("http", "https", "ws", "wss") or not host:
        return False
    if host == "localhost" or host.endswith(".localhost"):
        return False
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return True  # a name: its addresses are checked after resolution
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


async def _ask(allow: AllowUrl, url: str) -> bool:
    try:
        answer = allow(url)
        if inspect.isawaitable(answer):
            answer = await answer
        return bool(answer)
    except Exception:  # noqa: BLE001 - a failing policy refuses
        return False


def _with_host(url: str, address: str) -> str:
    parts = urlsplit(url)
    host = f"[{address}]" if ":" in address else address
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit(parts._replace(netloc=netloc))


class GuardProxy:
    """``async with GuardProxy(allow_url) as proxy:`` then point the browser
    at ``proxy.server`` (``http://127.0.0.1:PORT``)."""

    def __init__(self, allow_url: AllowUrl, *, connect_timeout: float = 10.0,
                 idle_timeout: float = 60.0, pins: Mapping[str, str] | None = None,
                 hop_check: HopCheck | None = None, on_refused: OnRefused | None = None,
                 blocked: deque[str] | None = None) -> None:
        self._allow = allow_url
        self._pins = {k.lower().rstrip("."): v for k, v in (pins or {}).items()}
        self._hop_check = hop_check
        self._on_refused = on_refused
        self._connect_timeout = connect_timeout
        self._idle_timeout = idle_timeout
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        # refused URLs, newest last (shareable: per-page proxies report to the renderer's)
        self.blocked: deque[str] = deque(maxlen=1000) if blocked is None else blocked

    @property
    def server(self) -> str:
        assert self._server is not None, "proxy not started"
        port = self._server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    async def __aenter__(self) -> Self:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0, limit=_HEAD_LIMIT)
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.close()
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._server is not None:
            with contextlib.suppress(Exception):
                await self._server.wait_closed()

    async def check(self, url: str) -> tuple[str | None, str]:
        """(address to connect to, "") or (None, why refused)."""
        if not await _ask(self._allow, url):
            return None, "refused by the address policy"
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port or (443 if parts.scheme in ("https", "wss") else 80)
        pinned = self._pins.get(host.rstrip("."))
        if pinned is not None:
            return pinned, ""  # trusted, as in crawler._net.GuardedBackend
        try:
            ipaddress.ip_address(host)
            return host, ""
        except ValueError:
            pass
        try:
            infos = await asyncio.wait_for(
                asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM),
                self._connect_timeout,
            )
        except (TimeoutError, OSError, UnicodeError) as exc:
            return None, f"DNS lookup failed: {exc}"
        addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
        for address in addresses:
            if not await _ask(self._allow, _with_host(url, address)):
                return None, f"{host} resolves to {address}, refused by the address policy"
        return (addresses[0], "") if addresses else (None, "no address")

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            await self._handle(reader, writer)
        except (TimeoutError, OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError, UnicodeError):
            pass
        except asyncio.CancelledError:
            # Only our __aexit__ cancels a connection (a page's proxy closes with
            # its page): end quietly, or asyncio logs every open connection as an error.
            pass
        finally:
            self._tasks.discard(task)
            writer.close()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), self._idle_timeout)
        request_line, *header_lines = head.decode("latin-1").split("\r\n")
        method, target, version = request_line.split(" ", 2)
        if method.upper() == "CONNECT":
            host, _, port_text = target.rpartition(":")
            host = host.strip("[]")
            port = int(port_text)
            shown = f"[{host}]" if ":" in host else host
            url = f"https://{shown}/" if port == 443 else f"https://{shown}:{port}/"
        else:
            url = target
            parts = urlsplit(url)
            if parts.scheme != "http" or not parts.hostname:
                raise ValueError("not a proxy request")
            host, port = parts.hostname, parts.port or 80
        address, why = await self.check(url)
        kind = "address"
        if address is not None and self._hop_check is not None and method.upper() != "CONNECT":
            try:
                refusal = await self._hop_check(url)
            except Exception as exc:  # noqa: BLE001 - a failing site policy refuses
                refusal = ("error", f"request check failed: {type(exc).__name__}")
            if refusal is not None:
                address = None
                kind, why = refusal
        if address is None:
            self.blocked.append(url)
            if self._on_refused is not None:
                self._on_refused(url, kind, why)
            await self._answer(writer, 403, "Forbidden", "X-Oitwatch-Blocked", why)
            return
        try:
            upstream_reader, upstream_writer = await asyncio.wait_for(
                asyncio.open_connection(address, port, limit=_HEAD_LIMIT), self._connect_timeout
            )
        except (TimeoutError, OSError) as exc:
            why = "connection timed out" if isinstance(exc, asyncio.TimeoutError) else (
                exc.strerror or str(exc))
            await self._answer(writer, 502, "Bad Gateway", "X-Oitwatch-Error", why)
            return
        try:
            if method.upper() == "CONNECT":
                writer.write(b"HTTP/1.1 200 Connection Established\r\n\r\n")
            else:
                upstream_writer.write(self._forward_head(method, url, version, header_lines))
            await writer.drain()
            await upstream_writer.drain()
            await self._pipe_both(reader, writer, upstream_reader, upstream_writer)
        finally:
            upstream_writer.close()

    @staticmethod
    def _forward_head(method: str, url: str, version: str, header_lines: list[str]) -> bytes:
        parts = urlsplit(url)
        path = urlunsplit(("", "", parts.path or "/", parts.query, ""))
        headers = [line for line in header_lines
                   if line and line.split(":", 1)[0].strip().lower() not in _HOP_HEADERS]
        # One request per connection: the upstream closes after its answer,
        # which ends both pipes cleanly without parsing HTTP bodies.
        lines = [f"{method} {path} {version}", *headers, "Connection: close", "", ""]
        return "\r\n".join(lines).encode("latin-1")

    @staticmethod
    async def _answer(writer: asyncio.StreamWriter, status: int, phrase: str, header: str,
                      why: str) -> None:
        """Our own answer, marked with ``header: why`` so the renderer can tell
        it from the site's (Chromium turns it into a tunnel error for HTTPS)."""
        why = why.replace("\r", " ").replace("\n", " ")
        body = f"oitwatch: {why}".encode()
        head = (f"HTTP/1.1 {status} {phrase}\r\nContent-Type: text/plain; charset=utf-8\r\n"
                f"{header}: {why.encode('ascii', 'replace').decode()}\r\nConnection: close\r\n"
                f"Content-Length: {len(body)}\r\n\r\n")
        writer.write(head.encode("latin-1") + body)
        await writer.drain()

    async def _pipe_both(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter,
                         upstream_reader: asyncio.StreamReader,
                         upstream_writer: asyncio.StreamWriter) -> None:
        # The browser side has no idle timeout (the renderer's page budget
        # closes the page, which closes the connection); the upstream side has.
        up = asyncio.ensure_future(self._pipe(client_reader, upstream_writer, None))
        down = asyncio.ensure_future(self._pipe(upstream_reader, client_writer, self._idle_timeout))
        try:
            # Either side closing ends the exchange: one request per connection.
            await asyncio.wait({up, down}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (up, down):
                task.cancel()
            await asyncio.gather(up, down, return_exceptions=True)

    @staticmethod
    async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                    timeout: float | None) -> None:
        while True:
            data = await asyncio.wait_for(reader.read(64 * 1024), timeout)
            if not data:
                return
            writer.write(data)
            await writer.drain()
