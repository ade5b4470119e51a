"""End to end: a site of generated hostile pages and documents is crawled over a
real loopback server and judged by the rules engine (what ``oitwatch scan`` does
with each site). Property: the crawl ends with a status and a reason, and the
rules give a result for every item: no exception gets out of the scan."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from fuzzing import bounded, fuzz, html_docs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from seeds import SEEDS, mutated
from server import Reply, TestServer

from crawler import CrawlConfig, Crawler, SiteStatus
from rules import evaluate, load_catalog

CATALOG = load_catalog("ita-2566")
CHARSETS = [None, "utf-8", "tis-620", "windows-874", "iso-8859-1", "base64", "\x7f", "utf-16"]

_bodies = st.one_of(
    html_docs.map(lambda s: s.encode("utf-8", "surrogatepass")),
    html_docs.map(lambda s: s.encode("cp874", "replace")),
    st.binary(max_size=1500),
)
_documents = st.sampled_from(["pdf", "docx", "xlsx", "pptx"]).flatmap(lambda k: mutated(SEEDS[k]))
_images = st.sampled_from(["png", "jpeg", "gif"]).flatmap(lambda k: mutated(SEEDS[k]))


@settings(fuzz(20), suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    home=_bodies,
    inner=_bodies,
    charset=st.sampled_from(CHARSETS),
    document=_documents,
    image=_images,
)
def test_hostile_site_is_scanned_to_a_result(
    fast: Callable[..., CrawlConfig],
    home: bytes,
    inner: bytes,
    charset: str | None,
    document: bytes,
    image: bytes,
) -> None:
    def content_type(base: str) -> dict[str, str]:
        return {"Content-Type": base + (f"; charset={charset}" if charset else "")}

    links = (
        b"<a href='/ita/inner.php'>ITA</a><a href='/d/report.pdf'>report</a>"
        b"<img src='/qr.png' alt='QR EIT'>"
    )
    routes = {
        "/": Reply(200, content_type("text/html"), home + links),
        "/ita/inner.php": Reply(200, content_type("text/html"), inner),
        "/d/report.pdf": Reply(200, {"Content-Type": "application/pdf"}, document),
        "/qr.png": Reply(200, {"Content-Type": "image/png"}, image),
    }
    config = fast(
        check_images=True,
        max_pages=10,
        site_timeout=20,
        document_time_budget=5,
        max_ocr_pages_per_document=0,
    )

    async def scan(url: str):  # type: ignore[no-untyped-def]
        async with Crawler(config) as crawler:
            return await crawler.crawl(url)

    with TestServer(routes) as server:
        site = bounded(lambda: asyncio.run(scan(server.url("/"))), 60)
        requested = server.paths()
    assert "/" in requested
    assert isinstance(site.status, SiteStatus) and site.reason
    items = bounded(lambda: evaluate(CATALOG, site), 60)
    assert len(items) == len([r for r in CATALOG.items if r.implemented])
