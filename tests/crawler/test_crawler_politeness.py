"""Politeness: User-Agent, robots.txt, retries with Retry-After, concurrency
and delays. Timing is asserted only as loose lower bounds (load can only make
gaps longer) or as orderings and counts."""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from typing import Any

import anyio
import pytest
from server import Reply, Seen, TestServer, html

from crawler import CrawlConfig, Crawler, SiteStatus
from crawler._config import DEFAULT_USER_AGENT

pytestmark = pytest.mark.anyio

Serve = Callable[..., TestServer]
Fast = Callable[..., CrawlConfig]


async def crawl(seed: str, config: CrawlConfig, **kwargs: Any) -> Any:
    async with Crawler(config) as crawler:
        return await crawler.crawl(seed, **kwargs)


def robots(text: str) -> Reply:
    return Reply(200, {"Content-Type": "text/plain"}, text.encode())


def star_site(n: int, delay: float = 0.0) -> dict[str, Any]:
    routes: dict[str, Any] = {"/": html("".join(f"<a href='/p{i}'>{i}</a>" for i in range(n)))}
    for i in range(n):
        routes[f"/p{i}"] = html(f"<p>{i}</p>", delay=delay)
    return routes


async def test_user_agent_on_every_request(serve: Serve, fast: Fast) -> None:
    server = serve({"/": html("<a href='/a'>a</a>"), "/a": html("a")})
    await crawl(server.url("/"), fast())
    assert server.paths() == ["/robots.txt", "/", "/sitemap.xml", "/a"]
    assert {r.user_agent for r in server.requests} == {DEFAULT_USER_AGENT}
    assert DEFAULT_USER_AGENT.startswith("oitwatch/")


async def test_robots_disallow_is_obeyed(serve: Serve, fast: Fast) -> None:
    server = serve(
        {
            "/robots.txt": robots(
                "User-agent: *\nDisallow: /\n\nUser-agent: oitwatch\nDisallow: /private\n"
            ),
            "/": html("<a href='/private/x'>x</a><a href='/public'>p</a><a href='/go'>go</a>"),
            "/public": html("p"),
            "/go": Reply(302, {"Location": "/private/y"}),  # a redirect into the disallowed part
        }
    )
    site = await crawl(server.url("/"), fast())
    assert site.status is SiteStatus.OK
    assert not any(p.startswith("/private") for p in server.paths())
    skipped = {s.url.removeprefix(server.url("")): (s.reason, s.detail) for s in site.skipped}
    assert skipped["/private/x"] == ("robots", "robots.txt disallows /private/x")
    assert skipped["/go"][0] == "robots"
    assert server.count("/robots.txt") == 1  # fetched once, cached


async def test_robots_disallow_all_blocks_the_site(serve: Serve, fast: Fast) -> None:
    server = serve({"/robots.txt": robots("User-agent: *\nDisallow: /\n"), "/": html("home")})
    site = await crawl(server.url("/"), fast())
    assert site.status is SiteStatus.BLOCKED and site.reason == "robots.txt disallows /"
    assert server.paths() == ["/robots.txt"]


async def test_robots_server_error_means_disallow_all(serve: Serve, fast: Fast) -> None:
    server = serve({"/robots.txt": Reply(500), "/": html("home")})
    site = await crawl(server.url("/"), fast(retries=1))
    assert site.status is SiteStatus.BLOCKED and "HTTP 500" in site.reason
    assert "/" not in server.paths()


@pytest.mark.parametrize("status", [401, 403, 404, 410])
async def test_robots_client_error_means_allow_all(serve: Serve, fast: Fast, status: int) -> None:
    server = serve({"/robots.txt": Reply(status), "/": html("home")})
    site = await crawl(server.url("/"), fast())
    assert site.status is SiteStatus.OK


async def test_robots_can_be_ignored(serve: Serve, fast: Fast) -> None:
    server = serve({"/robots.txt": robots("User-agent: *\nDisallow: /\n"), "/": html("home")})
    site = await crawl(server.url("/"), fast(obey_robots=False))
    assert site.status is SiteStatus.OK and "/robots.txt" not in server.paths()


async def test_crawl_delay_is_honoured(serve: Serve, fast: Fast) -> None:
    routes = star_site(3)
    routes["/robots.txt"] = robots("User-agent: *\nCrawl-delay: 0.3\n")
    server = serve(routes)
    await crawl(server.url("/"), fast(use_sitemaps=False))
    assert_spaced([r.started for r in server.requests], 5, 0.3)


async def test_min_delay_between_requests_to_a_host(serve: Serve, fast: Fast) -> None:
    server = serve(star_site(4))
    await crawl(server.url("/"), fast(min_delay=0.2, per_host_concurrency=2, use_sitemaps=False))
    assert_spaced([r.started for r in server.requests], 6, 0.2)


def assert_spaced(starts: list[float], count: int, delay: float) -> None:
    """Request starts as the server saw them are spaced by about ``delay``. The
    server sees a request a little after the crawler sent it (more so on a new
    connection, on a busy machine), so single gaps are checked loosely and the
    whole span tightly."""
    starts = sorted(starts)
    assert len(starts) == count
    assert all(b - a >= delay / 2 for a, b in pairwise(starts))
    assert starts[-1] - starts[0] >= (count - 1) * delay * 0.9


@pytest.mark.parametrize("status", [503, 429])
async def test_retry_after(serve: Serve, fast: Fast, status: int) -> None:
    answers = iter([Reply(status, {"Retry-After": "1"}, b"busy")])

    def flaky(seen: Seen) -> Reply:
        return next(answers, html("<p>ok</p>"))

    server = serve({"/": html("<a href='/busy'>b</a>"), "/busy": flaky})
    site = await crawl(server.url("/"), fast())
    busy = [r for r in server.requests if r.path == "/busy"]
    assert len(busy) == 2
    assert busy[1].started - busy[0].started >= 0.75  # Retry-After: 1 (loose: see assert_spaced)
    assert [p.status for p in site.pages] == [200, 200]


async def test_retries_with_backoff_then_give_up(serve: Serve, fast: Fast) -> None:
    server = serve({"/": html("<a href='/broken'>b</a>"), "/broken": Reply(502)})
    site = await crawl(server.url("/"), fast(retries=2))
    assert server.count("/broken") == 3
    broken = site.pages[-1]
    assert broken.status == 502 and broken.error == "HTTP 502"
    assert site.status is SiteStatus.OK


async def test_per_host_concurrency_limit(serve: Serve, fast: Fast) -> None:
    server = serve(star_site(12, delay=0.05))
    await crawl(server.url("/"), fast(per_host_concurrency=2))
    assert 1 <= server.max_in_flight <= 2
    one = serve(star_site(6, delay=0.05))
    await crawl(one.url("/"), fast(per_host_concurrency=1))
    assert one.max_in_flight == 1


async def test_global_concurrency_limit_across_sites(serve: Serve, fast: Fast) -> None:
    servers = [serve(star_site(4, delay=0.03)) for _ in range(3)]
    config = fast(global_concurrency=1, per_host_concurrency=2)
    async with Crawler(config) as crawler, anyio.create_task_group() as group:
        for server in servers:
            group.start_soon(crawler.crawl, server.url("/"))
    spans = sorted((r.started, r.finished) for s in servers for r in s.requests)
    assert len(spans) == 3 * 7  # robots, home, sitemap, 4 pages
    assert all(end <= next_start for (_, end), (next_start, _) in pairwise(spans))


@pytest.mark.parametrize(
    ("status", "expected", "reason"),
    [
        (403, SiteStatus.BLOCKED, "HTTP 403 at home page"),
        (401, SiteStatus.BLOCKED, "HTTP 401 at home page"),
        (429, SiteStatus.BLOCKED, "HTTP 429 at home page (rate limited)"),
        (500, SiteStatus.ERROR, "HTTP 500 at home page"),
        (404, SiteStatus.ERROR, "HTTP 404 at home page"),
    ],
)
async def test_home_page_status(
    serve: Serve, fast: Fast, status: int, expected: SiteStatus, reason: str
) -> None:
    server = serve({"/": Reply(status, {"Content-Type": "text/html"}, b"<h1>no</h1>")})
    site = await crawl(server.url("/"), fast(retries=1))
    assert site.status is expected and site.reason == reason
    assert site.pages[0].status == status
