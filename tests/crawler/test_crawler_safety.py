"""Failure modes and guards: unreachable sites, redirect loops, the SSRF
guard, size caps and decompression bombs, timeouts. Whatever happens,
``crawl()`` returns a SiteCrawl with a status and a reason."""

from __future__ import annotations

import gzip
import shutil
import socket
import ssl
import subprocess
import time
from collections.abc import Callable
from typing import Any

import pytest
from server import Reply, Seen, TestServer, html

from crawler import CrawlConfig, Crawler, PageKind, SiteStatus
from crawler._net import DNSLookupError

pytestmark = pytest.mark.anyio

Serve = Callable[..., TestServer]
Fast = Callable[..., CrawlConfig]

AGENCY = "agency.example.go.th"  # pinned to 127.0.0.1: a "public" seed for SSRF tests


async def fake_dns(host: str) -> list[str]:
    """DNS for the SSRF tests: names inside the agency's domain that point inward."""
    table = {
        f"intranet.{AGENCY}": ["10.0.0.7"],
        f"meta.{AGENCY}": ["169.254.169.254"],
        f"mapped.{AGENCY}": ["::ffff:127.0.0.1"],
        f"mixed.{AGENCY}": ["203.0.113.9", "192.168.0.10"],
    }
    if host in table:
        return table[host]
    raise DNSLookupError(host, "Name or service not known")


async def crawl(seed: str, config: CrawlConfig, **kwargs: Any) -> Any:
    async with Crawler(config, resolver=fake_dns) as crawler:
        return await crawler.crawl(seed, **kwargs)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# ------------------------------------------------------------ unreachable


async def test_closed_port_is_unreachable(fast: Fast) -> None:
    port = closed_port()
    site = await crawl(f"http://127.0.0.1:{port}/", fast(retries=1))
    assert site.status is SiteStatus.UNREACHABLE
    assert site.reason == f"connection refused: 127.0.0.1:{port}"


async def test_dns_failure_is_unreachable(fast: Fast) -> None:
    site = await crawl("http://nowhere.example.go.th/", fast())
    assert site.status is SiteStatus.UNREACHABLE
    assert site.reason == "DNS lookup failed: nowhere.example.go.th (Name or service not known)"


async def test_seed_without_scheme(serve: Serve, fast: Fast) -> None:
    server = serve({"/": html("home")})
    site = await crawl(f"127.0.0.1:{server.port}", fast())
    assert site.status is SiteStatus.OK and site.final_url == server.url("/")


@pytest.mark.parametrize("seed", ["", "not a url", "ftp://files.example.go.th/", "http://:80/"])
async def test_bad_seed(fast: Fast, seed: str) -> None:
    site = await crawl(seed, fast())
    assert site.status is SiteStatus.ERROR and site.reason.startswith("bad seed URL")


# -------------------------------------------------------------- redirects


async def test_redirect_loop_on_a_page_is_skipped(serve: Serve, fast: Fast) -> None:
    server = serve(
        {
            "/": html("<a href='/loop1'>loop</a><a href='/ok'>ok</a>"),
            "/loop1": Reply(302, {"Location": "/loop2"}),
            "/loop2": Reply(301, {"Location": "/loop1"}),
            "/ok": html("ok"),
        }
    )
    site = await crawl(server.url("/"), fast())
    assert site.status is SiteStatus.OK
    (skip,) = site.skipped
    assert skip.reason == "redirect" and skip.detail.startswith("redirect loop")
    assert server.count("/loop1") <= 2


async def test_redirect_loop_at_home_is_an_error(serve: Serve, fast: Fast) -> None:
    server = serve({"/": Reply(302, {"Location": "/"})})
    site = await crawl(server.url("/"), fast())
    assert site.status is SiteStatus.ERROR and "redirect loop" in site.reason
    assert server.count("/") == 2


async def test_cookie_wall_self_redirect_is_not_a_loop(serve: Serve, fast: Fast) -> None:
    def home(seen: Seen) -> Reply:
        if "visited=1" in seen.headers.get("cookie", ""):
            return html("<a href='/a'>a</a>")
        return Reply(302, {"Location": "/", "Set-Cookie": "visited=1; Path=/"})

    server = serve({"/": home, "/a": html("a")})
    site = await crawl(server.url("/"), fast())
    assert site.status is SiteStatus.OK and len(site.pages) == 2


async def test_too_many_redirects(serve: Serve, fast: Fast) -> None:
    routes: dict[str, Any] = {"/": html("<a href='/r0'>r</a>")}
    for i in range(20):
        routes[f"/r{i}"] = Reply(302, {"Location": f"/r{i + 1}"})
    server = serve(routes)
    site = await crawl(server.url("/"), fast(max_redirects=3))
    (skip,) = site.skipped
    assert skip.reason == "redirect" and "more than 3 redirects" in skip.detail
    assert server.count("/r4") == 0


async def test_redirected_home_page(serve: Serve, fast: Fast) -> None:
    server = serve(
        {
            "/": Reply(301, {"Location": "/th/index.php"}),
            "/th/index.php": html("<a href='/th/a'>a</a><a href='/'>home</a>"),
            "/th/a": html("a"),
        }
    )
    site = await crawl(server.url("/"), fast())
    assert site.final_url == server.url("/th/index.php")
    assert [p.url for p in site.pages] == [server.url("/"), server.url("/th/a")]
    assert server.count("/th/index.php") == 1  # the link back home is the home page


# -------------------------------------------------------------------- SSRF


async def test_ssrf_links_into_the_network_are_refused(serve: Serve, fast: Fast) -> None:
    server = serve()
    port = server.port
    server.routes.update(
        {
            "/": html(
                f"<a href='http://intranet.{AGENCY}:{port}/secret'>intranet</a>"
                f"<a href='http://meta.{AGENCY}:{port}/latest/meta-data/'>meta</a>"
                f"<a href='http://mapped.{AGENCY}:{port}/secret'>mapped</a>"
                f"<a href='http://mixed.{AGENCY}:{port}/secret'>mixed</a>"
                "<a href='http://169.254.169.254/latest/meta-data/'>cloud</a>"
                "<a href='/go'>go</a>"
            ),
            "/go": Reply(302, {"Location": f"http://127.0.0.1:{port}/secret"}),
            "/secret": html("secret"),
        }
    )
    config = fast(resolve={AGENCY: "127.0.0.1"})
    site = await crawl(f"http://{AGENCY}:{port}/", config)
    assert site.status is SiteStatus.OK
    assert "/secret" not in server.paths() and "/latest/meta-data/" not in server.paths()
    reasons = {s.url: (s.reason, s.detail) for s in site.skipped}
    assert reasons[f"http://intranet.{AGENCY}:{port}/secret"] == (
        "ssrf",
        f"SSRF guard: intranet.{AGENCY} resolves to 10.0.0.7, a private address",
    )
    assert reasons[f"http://meta.{AGENCY}:{port}/latest/meta-data/"][0] == "ssrf"
    assert "link-local" in reasons[f"http://meta.{AGENCY}:{port}/latest/meta-data/"][1]
    assert reasons[f"http://mapped.{AGENCY}:{port}/secret"][0] == "ssrf"
    assert reasons[f"http://mixed.{AGENCY}:{port}/secret"][0] == "ssrf"
    assert reasons[f"http://{AGENCY}:{port}/go"] == (
        "ssrf",
        "SSRF guard: 127.0.0.1, a loopback address",
    )
    # an off-site address is only recorded
    assert "http://169.254.169.254/latest/meta-data/" in [
        link.url for link, _ in site.external_links
    ]


@pytest.mark.parametrize(
    ("target", "why"),
    [
        ("http://127.0.0.1:{port}/", "loopback"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://10.0.0.1/", "private"),
        ("http://[::ffff:7f00:1]:{port}/", "loopback"),
        ("http://localhost:{port}/", "loopback name"),
    ],
)
async def test_ssrf_seed_redirecting_inward_is_an_error(
    serve: Serve, fast: Fast, target: str, why: str
) -> None:
    server = serve()
    server.routes["/"] = Reply(302, {"Location": target.format(port=server.port)})
    site = await crawl(f"http://{AGENCY}:{server.port}/", fast(resolve={AGENCY: "127.0.0.1"}))
    assert site.status is SiteStatus.ERROR
    assert site.reason.startswith("home page: SSRF guard:") and why in site.reason
    assert server.paths() == ["/robots.txt", "/"]


async def test_private_seed_refused_when_not_allowed(serve: Serve, fast: Fast) -> None:
    server = serve({"/": html("home")})
    site = await crawl(server.url("/"), fast(allow_private=False))
    assert site.status is SiteStatus.ERROR and "SSRF guard" in site.reason
    assert server.paths() == []


async def test_private_seed_allowed_by_default(serve: Serve, fast: Fast) -> None:
    server = serve({"/": html("home")})
    site = await crawl(server.url("/"), fast())
    assert site.status is SiteStatus.OK


# ------------------------------------------------------------------ sizes


async def test_gzip_bomb_is_bounded(serve: Serve, fast: Fast) -> None:
    bomb = gzip.compress(b"<html><body>" + b" " * 50_000_000)
    server = serve(
        {
            "/": html("<a href='/bomb'>bomb</a><a href='/big'>big</a>"),
            "/bomb": Reply(200, {"Content-Type": "text/html", "Content-Encoding": "gzip"}, bomb),
            "/big": Reply(
                200, {"Content-Type": "text/html"}, b"<p>" + b"x" * 3_000_000, chunked=True
            ),
        }
    )
    started = time.monotonic()
    site = await crawl(server.url("/"), fast(max_page_bytes=1_000_000))
    assert time.monotonic() - started < 20  # loose: it stops reading, it does not inflate 50 MB
    assert {s.url.removeprefix(server.url("")): s.reason for s in site.skipped} == {
        "/bomb": "size",
        "/big": "size",
    }


async def test_oversized_home_page_is_parsed_truncated(serve: Serve, fast: Fast) -> None:
    server = serve({"/": html("<a href='/a'>a</a>" + "<p>filler</p>" * 1000), "/a": html("a")})
    site = await crawl(server.url("/"), fast(max_page_bytes=2000))
    home = site.pages[0]
    assert site.status is SiteStatus.OK and home.size == 2000
    assert home.error == "truncated at 2000 bytes" and len(site.pages) == 2


async def test_home_page_that_is_not_html(serve: Serve, fast: Fast) -> None:
    server = serve({"/": Reply(200, {"Content-Type": "application/json"}, b"{}")})
    site = await crawl(server.url("/"), fast())
    assert site.status is SiteStatus.ERROR and site.reason.startswith("home page is not HTML")
    pdf = serve({"/": Reply(200, {"Content-Type": "application/pdf"}, b"%PDF-1.4")})
    site = await crawl(pdf.url("/"), fast())
    assert site.status is SiteStatus.ERROR and "document" in site.reason
    assert site.pages[0].kind is PageKind.DOCUMENT


async def test_missing_content_type_is_sniffed(serve: Serve, fast: Fast) -> None:
    server = serve(
        {
            "/": Reply(200, {}, b"<!DOCTYPE html><title>t</title><a href='/x'>x</a>"),
            "/x": Reply(200, {}, b"binary\x00stuff"),
        }
    )
    site = await crawl(server.url("/"), fast())
    assert site.status is SiteStatus.OK and site.pages[0].title == "t"
    assert [s.reason for s in site.skipped] == ["type"]


# --------------------------------------------------------------- timeouts


async def test_request_timeout(serve: Serve, fast: Fast) -> None:
    server = serve({"/": html("<a href='/slow'>slow</a>"), "/slow": html("late", delay=2.0)})
    site = await crawl(server.url("/"), fast(request_timeout=0.5, retries=0))
    slow = site.pages[-1]
    assert slow.status == 0 and "0.5 s" in slow.error
    assert site.status is SiteStatus.OK


async def test_site_timeout_keeps_what_was_fetched(serve: Serve, fast: Fast) -> None:
    routes: dict[str, Any] = {"/": html("".join(f"<a href='/p{i}'>{i}</a>" for i in range(30)))}
    routes.update({f"/p{i}": html("p", delay=0.2) for i in range(30)})
    server = serve(routes)
    started = time.monotonic()
    site = await crawl(server.url("/"), fast(site_timeout=1.0))
    assert time.monotonic() - started < 10
    assert site.status is SiteStatus.OK and "site timeout" in site.reason
    assert 1 < len(site.pages) < 31
    assert any(s.reason == "budget" and s.detail == "site timeout" for s in site.skipped)


async def test_site_timeout_before_the_home_page(serve: Serve, fast: Fast) -> None:
    server = serve({"/": html("late", delay=2.0)})
    site = await crawl(server.url("/"), fast(site_timeout=0.5))
    assert site.status is SiteStatus.UNREACHABLE and "site timeout" in site.reason


# --------------------------------------------------------------------- TLS


@pytest.fixture(scope="module")
def self_signed(tmp_path_factory: pytest.TempPathFactory) -> ssl.SSLContext:
    """A server TLS context with a self-signed certificate, as many agency sites have."""
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=agency.example.go.th", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context


async def test_self_signed_certificate_is_accepted_by_default(
    serve: Serve, fast: Fast, self_signed: ssl.SSLContext
) -> None:
    server = serve({"/": html("<a href='/a'>a</a>"), "/a": html("a")}, tls=self_signed)
    site = await crawl(server.url("/"), fast())
    assert site.status is SiteStatus.OK and len(site.pages) == 2


async def test_certificate_verification_when_asked(
    serve: Serve, fast: Fast, self_signed: ssl.SSLContext
) -> None:
    server = serve({"/": html("home")}, tls=self_signed)
    site = await crawl(server.url("/"), fast(verify_tls=True))
    assert site.status is SiteStatus.ERROR
    assert (
        site.reason.startswith("TLS handshake failed")
        and "CERTIFICATE_VERIFY_FAILED" in site.reason
    )


async def test_tls_to_a_plain_http_server_is_an_error(serve: Serve, fast: Fast) -> None:
    server = serve({"/": html("home")})
    site = await crawl(server.url("/").replace("http://", "https://"), fast())
    assert site.status is SiteStatus.ERROR and site.reason.startswith("TLS handshake failed")
