"""The browser's address guard (an HTTP proxy), spoken to directly: plain
requests, CONNECT tunnels, names that resolve into refused addresses."""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

import pytest
from render_support import page

from render import public_only
from render.guard import GuardProxy

pytestmark = pytest.mark.anyio


async def _exchange(proxy: GuardProxy, request: bytes) -> bytes:
    port = int(proxy.server.rsplit(":", 1)[1])
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(request)
    await writer.drain()
    data = await asyncio.wait_for(reader.read(), 5)  # the proxy closes after one exchange
    writer.close()
    return data


async def test_plain_request_is_forwarded_and_hop_headers_dropped(serve) -> None:
    site = serve({"/x": page("<p>hello</p>")})
    async with GuardProxy(lambda url: True) as proxy:
        answer = await _exchange(proxy, (
            f"GET {site.url('/x')} HTTP/1.1\r\nHost: 127.0.0.1:{site.port}\r\n"
            "Proxy-Connection: keep-alive\r\n\r\n").encode())
    assert answer.startswith(b"HTTP/1.0 200") and answer.endswith(b"<p>hello</p>")
    assert site.hits == ["/x"]


async def test_refused_request_never_reaches_the_server(serve) -> None:
    site = serve()
    async with GuardProxy(public_only) as proxy:
        answer = await _exchange(proxy, f"GET {site.url('/')} HTTP/1.1\r\n\r\n".encode())
        assert answer.startswith(b"HTTP/1.1 403") and b"X-Oitwatch-Blocked" in answer
        assert proxy.blocked[-1] == site.url("/")
        tunnel = await _exchange(proxy, f"CONNECT 127.0.0.1:{site.port} HTTP/1.1\r\n\r\n".encode())
        assert tunnel.startswith(b"HTTP/1.1 403")
    assert site.hits == []


async def test_a_name_is_judged_by_the_address_it_resolves_to(serve) -> None:
    site = serve()

    def names_only(url: str) -> bool:  # lets any name through, refuses loopback addresses
        return urlsplit(url).hostname != "127.0.0.1"

    async with GuardProxy(names_only) as proxy:
        address, why = await proxy.check(f"http://localhost:{site.port}/")
        assert address is None and "resolves to" in why
        answer = await _exchange(proxy, f"CONNECT localhost:{site.port} HTTP/1.1\r\n\r\n".encode())
    assert answer.startswith(b"HTTP/1.1 403")
    assert site.hits == []


async def test_connect_tunnel_carries_bytes_both_ways(serve) -> None:
    site = serve()
    async with GuardProxy(lambda url: True) as proxy:
        port = int(proxy.server.rsplit(":", 1)[1])
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(f"CONNECT 127.0.0.1:{site.port} HTTP/1.1\r\n\r\n".encode())
        assert (await reader.readuntil(b"\r\n\r\n")).startswith(b"HTTP/1.1 200")
        writer.write(b"GET /tunnel HTTP/1.0\r\n\r\n")  # plain HTTP inside the tunnel
        answer = await asyncio.wait_for(reader.read(), 5)
        writer.close()
    assert answer.startswith(b"HTTP/1.0 404")
    assert site.hits == ["/tunnel"]


async def test_unreachable_upstream_is_reported(serve) -> None:
    closed = serve()
    url = closed.url("/")
    closed.__exit__(None, None, None)
    async with GuardProxy(lambda u: True) as proxy:
        answer = await _exchange(proxy, f"GET {url} HTTP/1.1\r\n\r\n".encode())
    assert answer.startswith(b"HTTP/1.1 502") and b"X-Oitwatch-Error" in answer


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://www.nacc.go.th/", True),
        ("http://8.8.8.8/", True),
        ("http://127.0.0.1:8080/", False),
        ("http://localhost/", False),
        ("http://app.localhost/", False),
        ("http://10.0.0.5/", False),
        ("http://192.168.1.1/", False),
        ("http://169.254.169.254/latest/meta-data/", False),
        ("http://[::1]/", False),
        ("http://[::ffff:127.0.0.1]/", False),
        ("file:///etc/passwd", False),
        ("ftp://example.com/", False),
    ],
)
def test_default_policy(url: str, allowed: bool) -> None:
    assert public_only(url) is allowed
