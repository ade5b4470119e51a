"""The crawler's public surface: what other packages code against."""

from __future__ import annotations

import inspect
from datetime import UTC, datetime

import crawler
from crawler import (
    CrawlConfig,
    Crawler,
    Link,
    Page,
    PageKind,
    SiteCrawl,
    SiteStatus,
    crawl_site,
)

MiB = 1024 * 1024


def test_exported_members() -> None:
    exported = {name for name in dir(crawler) if not name.startswith("_")}
    assert set(crawler.__all__) == exported - {"annotations"}
    for name in crawler.__all__:
        assert getattr(crawler, name).__module__.startswith("crawler")


def test_config_defaults() -> None:
    config = CrawlConfig()
    assert (config.max_pages, config.max_depth) == (300, 6)
    assert (config.per_host_concurrency, config.global_concurrency, config.min_delay) == (
        2,
        16,
        0.5,
    )
    assert (config.connect_timeout, config.read_timeout, config.request_timeout) == (10, 20, 60)
    assert config.site_timeout == 900
    assert (config.retries, config.backoff, config.max_retry_after) == (3, 1.0, 120)
    assert config.max_redirects == 10
    assert (config.max_page_bytes, config.max_document_bytes) == (5 * MiB, 25 * MiB)
    assert (
        config.user_agent.startswith("oitwatch/")
        and "ITA/OIT disclosure checker" in config.user_agent
    )
    assert config.obey_robots and config.fetch_documents
    assert config.allow_private is None and config.verify_tls is False
    # Documents, images (QR codes) and JavaScript rendering.
    assert config.extract_documents and config.check_images
    assert (config.max_document_pages, config.max_document_chars) == (50, 500_000)
    assert (config.max_ocr_pages_per_document, config.max_ocr_pages_per_site) == (5, 20)
    assert (config.max_images_per_site, config.max_image_bytes) == (60, 5 * MiB)
    assert config.max_image_pixels == 25_000_000
    assert (config.render, config.browser_path, config.max_rendered_pages) == ("auto", None, 10)
    assert (config.max_screenshots, config.screenshot_dir) == (2, None)


def test_new_fields_default_so_old_constructors_keep_working() -> None:
    link = Link(url="https://a.go.th/", text="", title="", context="", tag="a", source_url="")
    assert link.image_url == ""
    page = Page(
        url="u",
        final_url="u",
        kind=PageKind.DOCUMENT,
        status=200,
        content_type="",
        size=0,
        sha256="",
        fetched_at=None,
        depth=0,
    )
    assert (page.text_source, page.doc_pages, page.note) == ("", [], "")
    site = SiteCrawl(
        seed_url="u",
        final_url="u",
        status=SiteStatus.OK,
        reason="",
        started_at=datetime.now(UTC),
        finished_at=datetime.now(UTC),
    )
    assert site.notes == []


def test_signatures() -> None:
    assert list(inspect.signature(Crawler).parameters) == ["config", "transport", "resolver"]
    assert list(inspect.signature(Crawler.crawl).parameters) == [
        "self",
        "seed_url",
        "scorer",
        "on_page",
        "wants_more",
        "recorder",  # keyword-only: every HTTP exchange, for the web archive (issue 9)
    ]
    assert list(inspect.signature(crawl_site).parameters) == ["seed_url", "config", "scorer"]
