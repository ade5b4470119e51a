"""The WARC file of a crawl: what the server sent comes back byte for byte, every hop is
recorded, the digests are SHA-256 and correct, the size cap stops archiving and says so."""

from __future__ import annotations

import base64
import gzip
import hashlib
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
from server import Reply, TestServer, html, redirect
from warcio.archiveiterator import ArchiveIterator

from archive import SiteArchive
from crawler import CrawlConfig, Crawler
from crawler._fetch import BrowserCapture
from oitwatch import __version__

pytestmark = pytest.mark.anyio

PAGE = (
    "<html><head><title>หน้าแรก อบต.ตัวอย่าง</title></head><body>"
    "<a href='/r1'>ข่าว</a> <a href='/docs/plan.pdf'>แผนดำเนินงานประจำปี</a>"
    "</body></html>"
).encode()
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"
ROBOTS = b"User-agent: *\nDisallow: /private/\n"


def _routes() -> dict[str, Any]:
    return {
        "/": Reply(200, {"Content-Type": "text/html; charset=utf-8", "Content-Encoding": "gzip"},
                   gzip.compress(PAGE)),
        "/robots.txt": Reply(200, {"Content-Type": "text/plain"}, ROBOTS),
        "/r1": redirect("/r2"),
        "/r2": redirect("/final", 301),
        "/final": html("<p>ประกาศ</p>"),
        "/docs/plan.pdf": Reply(200, {"Content-Type": "application/pdf"}, PDF),
    }


def _records(path: Path) -> list[dict[str, Any]]:
    """Every record with its headers and its payload exactly as stored."""
    out = []
    with path.open("rb") as fh:
        for record in ArchiveIterator(fh):
            out.append({
                "type": record.rec_type,
                "uri": record.rec_headers.get_header("WARC-Target-URI"),
                "rec": record.rec_headers,
                "http": record.http_headers,
                "raw": record.raw_stream.read(),  # payload without decoding
            })
    return out


async def _crawl(server: TestServer, archive: SiteArchive, config: CrawlConfig) -> Any:
    async with Crawler(config) as crawler:
        return await crawler.crawl(server.url("/"), recorder=archive.record)


@pytest.fixture
def crawled(serve: Callable[..., TestServer], fast: Callable[..., CrawlConfig],
            tmp_path: Path) -> tuple[TestServer, Any, list[dict[str, Any]]]:
    server = serve(_routes())
    archive = SiteArchive(tmp_path / "site.warc.gz", {
        "oitwatch-run": 7, "oitwatch-catalog": "ita-2566", "oitwatch-seed-url": server.url("/"),
    })
    anyio.run(_crawl, server, archive, fast(extract_documents=False))
    info = archive.close()
    return server, info, _records(info.path)


def _responses(records: list[dict[str, Any]], uri: str) -> list[dict[str, Any]]:
    return [r for r in records if r["type"] == "response" and r["uri"] == uri]


def test_gzip_page_replayed_byte_identical(crawled: Any) -> None:
    server, _, records = crawled
    (home,) = _responses(records, server.url("/"))
    assert home["raw"] == gzip.compress(PAGE) == server.routes["/"].body  # as on the wire
    assert home["http"].get_header("Content-Encoding") == "gzip"
    assert gzip.decompress(home["raw"]) == PAGE
    assert home["rec"].get_header("WARC-Truncated") is None


def test_document_and_robots_recorded(crawled: Any) -> None:
    server, _, records = crawled
    (pdf,) = _responses(records, server.url("/docs/plan.pdf"))
    assert pdf["raw"] == PDF and pdf["http"].get_statuscode() == "200"
    (robots,) = _responses(records, server.url("/robots.txt"))
    assert robots["raw"] == ROBOTS


def test_redirect_chain_recorded_hop_by_hop(crawled: Any) -> None:
    server, info, records = crawled
    hops = [r for r in records if r["type"] == "response"
            and r["uri"] in (server.url("/r1"), server.url("/r2"), server.url("/final"))]
    assert [(r["uri"], r["http"].get_statuscode()) for r in hops] == [
        (server.url("/r1"), "302"), (server.url("/r2"), "301"), (server.url("/final"), "200"),
    ]
    assert hops[0]["http"].get_header("Location") == "/r2"
    assert hops[0]["rec"].get_header("WARC-Truncated") == "unspecified"  # body not read
    assert hops[2]["raw"] == "<p>ประกาศ</p>".encode()
    # the evidence pointer of the first URL is the final response
    pointer = info.pointer(server.url("/r1"))
    assert pointer is not None and pointer.uri == server.url("/final") and pointer.status == 200


def test_every_request_recorded_with_its_response(crawled: Any) -> None:
    server, _, records = crawled
    responses = {r["rec"].get_header("WARC-Record-ID"): r for r in records if r["type"] == "response"}
    requests = [r for r in records if r["type"] == "request"]
    assert len(requests) == len(responses) == len(server.requests)
    for request in requests:
        response = responses[request["rec"].get_header("WARC-Concurrent-To")]
        assert request["uri"] == response["uri"]
        assert request["http"].protocol == "GET"
        assert request["http"].get_header("User-Agent").startswith("oitwatch/")
    first = next(r for r in requests if r["uri"] == server.url("/r2"))
    assert first["http"].statusline == "/r2 HTTP/1.1"


def test_warcinfo_names_oitwatch_run_and_catalog(crawled: Any) -> None:
    _, _, records = crawled
    info = records[0]
    assert info["type"] == "warcinfo" and info["rec"].protocol == "WARC/1.1"
    fields = dict(
        line.split(": ", 1) for line in info["raw"].decode().splitlines() if ": " in line
    )
    assert fields["software"].startswith(f"oitwatch/{__version__} (warcio/")
    assert fields["oitwatch-version"] == __version__
    assert fields["oitwatch-run"] == "7" and fields["oitwatch-catalog"] == "ita-2566"
    assert fields["format"] == "WARC File Format 1.1"
    assert all(r["rec"].protocol == "WARC/1.1" for r in records)


def _b32(data: bytes) -> str:
    return "sha256:" + base64.b32encode(hashlib.sha256(data).digest()).decode()


def test_payload_and_block_digests_are_sha256_and_correct(crawled: Any) -> None:
    _, info, records = crawled
    checked = 0
    for r in records:
        if r["type"] not in ("response", "request"):
            continue
        assert r["rec"].get_header("WARC-Payload-Digest") == _b32(r["raw"])
        block = r["http"].to_ascii_bytes() + r["raw"]
        assert r["rec"].get_header("WARC-Block-Digest") == _b32(block)
        checked += 1
    assert checked >= 12
    # and the file's own hash is the one ArchiveInfo reports (stored in the database)
    assert hashlib.sha256(info.path.read_bytes()).hexdigest() == info.sha256
    assert info.size == info.path.stat().st_size and info.records == len(records)


def test_size_cap_stops_archiving_and_says_so(
    serve: Callable[..., TestServer], fast: Callable[..., CrawlConfig], tmp_path: Path
) -> None:
    server = serve(_routes())
    archive = SiteArchive(tmp_path / "capped.warc.gz", {}, max_bytes=9000)
    anyio.run(_crawl, server, archive, fast(extract_documents=False))
    info = archive.close()
    records = _records(info.path)
    assert info.capped and info.not_archived >= 1
    assert any("size cap" in note for note in info.notes)
    assert info.size < 9000 + 2000  # the cap, plus the final note
    uris = {r["uri"] for r in records if r["type"] == "response"}
    assert server.url("/docs/plan.pdf") not in uris  # 10 KB: over the cap
    assert records[-1]["type"] == "metadata"
    assert b"oitwatch-archive-capped" in records[-1]["raw"]


def test_decoded_body_is_marked(tmp_path: Path) -> None:
    """An in-memory transport gives only the decoded body: stored so, and said so."""

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"Content-Type": "text/html",
                                            "Content-Encoding": "gzip"},
                              content=gzip.compress(b"<p>hi</p>"))

    archive = SiteArchive(tmp_path / "mock.warc.gz", {})

    async def main() -> None:
        config = CrawlConfig(render="never", check_images=False, use_sitemaps=False,
                             obey_robots=False, min_delay=0, recorder=archive.record)
        async with Crawler(config, transport=httpx.MockTransport(handler)) as crawler:
            await crawler.crawl("https://www.example.go.th/")

    anyio.run(main)
    info = archive.close()
    (home,) = [r for r in _records(info.path) if r["type"] == "response"]
    assert home["raw"] == b"<p>hi</p>"
    assert home["rec"].get_header("WARC-Oitwatch-Body") == "decoded"
    assert home["http"].get_header("Content-Encoding") is None
    assert home["http"].get_header("X-Oitwatch-Orig-Content-Encoding") == "gzip"


def test_rendered_dom_and_screenshot_records(tmp_path: Path) -> None:
    """A rendered DOM is a conversion of the page's response; a screenshot a resource,
    stored once per PNG."""
    from crawler._fetch import HttpExchange

    now = datetime.now(UTC)
    archive = SiteArchive(tmp_path / "render.warc.gz", {})
    url = "https://www.example.go.th/"
    archive.record(HttpExchange("GET", url, [("Host", "www.example.go.th")], "HTTP/1.1", 200,
                                "OK", [("Content-Type", "text/html")], b"<div id=menu></div>",
                                True, True, now))
    dom = "<html><body><ul id=menu><li>ข่าว</li></ul></body></html>".encode()
    archive.record(BrowserCapture("dom", url, url, dom, "text/html; charset=utf-8", now))
    png = b"\x89PNG\r\n\x1a\n" + b"x" * 100
    archive.record(BrowserCapture("screenshot", url, url, png, "image/png", now))
    archive.add_screenshot(url, png)  # the same PNG again: not stored twice
    info = archive.close()
    records = _records(info.path)
    response = next(r for r in records if r["type"] == "response")
    (conversion,) = [r for r in records if r["type"] == "conversion"]
    assert conversion["raw"] == dom and conversion["uri"] == url
    assert conversion["rec"].get_header("WARC-Refers-To") == response["rec"].get_header(
        "WARC-Record-ID")
    assert conversion["rec"].get_header("Content-Type") == "text/html; charset=utf-8"
    (shot,) = [r for r in records if r["type"] == "resource"]
    assert shot["raw"] == png and shot["rec"].get_header("Content-Type") == "image/png"
    assert shot["uri"] == "urn:oitwatch:screenshot:" + url
    assert info.screenshots[hashlib.sha256(png).hexdigest()].record_type == "resource"


def test_rendered_page_from_a_real_browser(
    serve: Callable[..., TestServer], fast: Callable[..., CrawlConfig], tmp_path: Path
) -> None:
    """With Chromium: a page whose menu a script builds is archived twice, as served
    (response) and as rendered (conversion, with the script's links in it)."""
    from crawler_media import require_browser

    require_browser()
    script = "document.getElementById('menu').innerHTML = '<a ' + 'href=\"/news\">ข่าว</a>';"
    server = serve({
        "/": html(f"<ul id='menu'></ul><script>{script}</script>"),
        "/news": html("<p>ข่าวประชาสัมพันธ์</p>"),
    })
    archive = SiteArchive(tmp_path / "rendered.warc.gz", {})
    anyio.run(_crawl, server, archive, fast(render="always", max_rendered_pages=1))
    records = _records(archive.close().path)
    (home,) = _responses(records, server.url("/"))
    assert b"<a href" not in home["raw"]
    conversions = [r for r in records if r["type"] == "conversion"]
    assert conversions and conversions[0]["uri"] == server.url("/")
    assert '<a href="/news">ข่าว</a>' in conversions[0]["raw"].decode()
    assert conversions[0]["rec"].get_header("WARC-Refers-To") == home["rec"].get_header(
        "WARC-Record-ID")
    assert _responses(records, server.url("/news"))  # the link the script made was crawled
