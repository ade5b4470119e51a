"""The crawler's public surface: what other packages code against."""

from __future__ import annotations

import inspect

import crawler
from crawler import CrawlConfig, Crawler, crawl_site

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


def test_signatures() -> None:
    assert list(inspect.signature(Crawler).parameters) == ["config", "transport", "resolver"]
    assert list(inspect.signature(Crawler.crawl).parameters) == [
        "self",
        "seed_url",
        "scorer",
        "on_page",
    ]
    assert list(inspect.signature(crawl_site).parameters) == ["seed_url", "config", "scorer"]
