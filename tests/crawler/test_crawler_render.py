"""JavaScript rendering in the crawl: a menu that exists only after scripts
run (render=auto / never / always), the wants_more hook, a run without a
browser, and the browser's address policy."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from crawler_media import EIT, require_browser
from server import Reply, TestServer, html

from crawler import CrawlConfig, Crawler, Page, SiteCrawl, SiteStatus

pytestmark = pytest.mark.anyio

Serve = Callable[..., TestServer]
Fast = Callable[..., CrawlConfig]

# The menu is built from data by a script into an empty <ul id="main-menu">
# (the hub sample site's style); only /news is a static link.
JS_MENU_HOME = """<html><head><title>หน้าแรก</title></head><body>
<nav><a href="/news">ข่าวประชาสัมพันธ์</a><ul id="main-menu"></ul></nav>
<p>ยินดีต้อนรับ</p>
<script>
var MENU = [{"title": "โครงสร้างส่วนราชการ", "url": "/structure"},
            {"title": "ITA 2566", "url": "/ita"}];
var html = "";
for (var i = 0; i < MENU.length; i++)
  html += '<li><a href="' + MENU[i].url + '">' + MENU[i].title + '</a></li>';
document.getElementById("main-menu").innerHTML = html;
</script>
<a href="{eit}">EIT</a></body></html>""".replace("{eit}", EIT)


def js_menu_site(serve: Serve) -> TestServer:
    return serve(
        {
            "/": html(JS_MENU_HOME),
            "/news": html("<p>ข่าว</p>"),
            "/structure": html("<h1>โครงสร้างส่วนราชการ</h1>"),
            "/ita": html("<h1>ITA 2566</h1><a href='/ita/o1'>O1</a>"),
            "/ita/o1": html("<p>O1</p>"),
        }
    )


async def crawl(seed: str, config: CrawlConfig, **kwargs: Any) -> SiteCrawl:
    async with Crawler(config) as crawler:
        return await crawler.crawl(seed, **kwargs)


def fetched(site: SiteCrawl, server: TestServer) -> set[str]:
    prefix = server.url("")
    return {p.url.removeprefix(prefix) or "/" for p in site.pages if p.status}


def page_at(site: SiteCrawl, server: TestServer, path: str) -> Page:
    return next(p for p in site.pages if p.url == server.url(path))


async def test_auto_renders_a_script_built_menu(serve: Serve, fast: Fast) -> None:
    require_browser()
    server = js_menu_site(serve)
    site = await crawl(server.url("/"), fast(render="auto"))
    assert site.status is SiteStatus.OK
    assert fetched(site, server) == {"/", "/news", "/structure", "/ita", "/ita/o1"}
    home = page_at(site, server, "/")
    rendered = {link.url: link for link in home.links if link.tag == "rendered"}
    assert set(rendered) == {server.url("/structure"), server.url("/ita")}
    assert rendered[server.url("/ita")].text == "ITA 2566"
    assert rendered[server.url("/ita")].source_url == server.url("/")
    assert [link.tag for link in home.links].count("a") == 2  # static links stay as they were
    # Click paths go through the rendered menu like any menu.
    o1 = page_at(site, server, "/ita/o1")
    assert [step.text for step in o1.click_path] == ["ITA 2566", "O1"]
    assert site.notes == []


async def test_never_does_not_render(serve: Serve, fast: Fast) -> None:
    server = js_menu_site(serve)
    site = await crawl(server.url("/"), fast(render="never"))
    assert fetched(site, server) == {"/", "/news"}
    assert all(link.tag != "rendered" for p in site.pages for link in p.links)
    assert site.notes == [
        (
            'the home page seems to need JavaScript (empty menu container <ul id="main-menu"> '
            "filled by scripts); not rendered (render=never)"
        )
    ]


async def test_without_a_browser_the_crawl_completes_and_says_so(serve: Serve, fast: Fast) -> None:
    server = js_menu_site(serve)
    config = fast(render="auto", browser_path="/nonexistent/chromium")
    site = await crawl(server.url("/"), config)
    assert site.status is SiteStatus.OK
    assert fetched(site, server) == {"/", "/news"}
    assert len(site.notes) == 1
    assert site.notes[0].startswith(
        "JavaScript rendering not available: the configured browser path "
        "/nonexistent/chromium is not an executable file"
    )


async def test_one_missing_browser_note_per_site_across_sites(serve: Serve, fast: Fast) -> None:
    first, second = js_menu_site(serve), js_menu_site(serve)
    config = fast(render="auto", browser_path="/nonexistent/chromium")
    async with Crawler(config) as crawler:
        sites = [await crawler.crawl(s.url("/")) for s in (first, second)]
    assert [len(s.notes) for s in sites] == [1, 1]
    assert crawler.renderers.unavailable.endswith("is not an executable file")


async def test_always_renders_every_page_within_the_budget(serve: Serve, fast: Fast) -> None:
    require_browser()
    server = serve(
        {
            "/": html(
                "".join(f"<a href='/p{i}'>p{i}</a>" for i in range(6)) + f"<a href='{EIT}'>x</a>"
            ),
            **{f"/p{i}": html(f"<p>page {i}</p>") for i in range(6)},
        }
    )
    site = await crawl(server.url("/"), fast(render="always", max_rendered_pages=3))
    # Every HTML page is fetched by the crawler, then 3 of them again by the browser.
    assert len(server.paths()) - len(site.pages) - 2 == 3  # minus robots.txt, sitemap.xml
    assert site.notes == [
        (
            "rendering budget (3 pages per site) used up: further pages that need JavaScript "
            "were read without it"
        )
    ]


LATE_LINK_HOME = """<html><body>
<a href="/a">a</a><a href="/b">b</a><a href="/c">c</a><a href="/d">d</a><a href="/e">e</a>
<a href="{eit}">EIT</a>
<script>document.body.insertAdjacentHTML("beforeend", '<a href="/late">แผนปฏิบัติการ</a>');</script>
</body></html>""".replace("{eit}", EIT)


@pytest.mark.parametrize("answer", [True, False])
async def test_wants_more_renders_home_and_crawls_on(
    serve: Serve, fast: Fast, answer: bool
) -> None:
    require_browser()
    server = serve(
        {
            "/": html(LATE_LINK_HOME),
            **{f"/{p}": html(f"<p>{p}</p>") for p in "abcde"},
            "/late": html("<p>แผนปฏิบัติการป้องกันการทุจริต</p>"),
        }
    )
    asked: list[SiteCrawl] = []

    def wants_more(site: SiteCrawl) -> bool:
        asked.append(site)
        return answer

    site = await crawl(server.url("/"), fast(render="auto"), wants_more=wants_more)
    assert len(asked) == 1 and len(asked[0].pages) == 6  # the static crawl, before rendering
    assert asked[0].status is SiteStatus.OK
    assert ("/late" in fetched(site, server)) is answer
    if answer:
        late = page_at(site, server, "/late")
        assert [step.text for step in late.click_path] == ["แผนปฏิบัติการ"]


async def test_wants_more_not_asked_with_render_never(serve: Serve, fast: Fast) -> None:
    server = serve({"/": html(LATE_LINK_HOME)})
    asked: list[SiteCrawl] = []
    await crawl(server.url("/"), fast(render="never"), wants_more=lambda s: asked.append(s) or True)
    assert asked == []


async def test_a_failing_wants_more_is_a_no(serve: Serve, fast: Fast) -> None:
    server = serve({"/": html(LATE_LINK_HOME)})

    def broken(site: SiteCrawl) -> bool:
        raise RuntimeError("bug in the rules")

    site = await crawl(server.url("/"), fast(render="auto"), wants_more=broken)
    assert site.status is SiteStatus.OK and "/late" not in fetched(site, server)


async def test_browser_address_policy_follows_the_seed(serve: Serve, fast: Fast) -> None:
    """A site whose seed is public gets a browser that refuses loopback and
    private addresses (the fetcher's rule); a loopback seed's browser may
    reach loopback."""
    require_browser()
    server = serve({"/": html("<p>ok</p>")})
    async with Crawler(fast(render="auto")) as crawler:
        strict = await crawler.renderers.get(allow_private=False)
        open_ = await crawler.renderers.get(allow_private=True)
        assert strict is not None and open_ is not None and strict is not open_
        refused = await strict.render(server.url("/"))
        allowed = await open_.render(server.url("/"))
    assert refused.error.startswith("blocked:")
    assert allowed.error == "" and "ok" in allowed.html
    assert server.count("/") == 1  # only the allowed browser reached the server


async def test_render_mode_is_checked() -> None:
    with pytest.raises(ValueError, match="render must be one of auto, never, always"):
        CrawlConfig(render="sometimes")


# ------------------------------------------------- the browser's requests obey the crawler

AGENCY = "www.example.go.th"  # pinned to 127.0.0.1: a public site (allow_private false)

# The oitwatch group allows all but /private/; the * group disallows everything:
# a browser judged by any other token than the static crawler's would render nothing.
ROBOTS = b"User-agent: oitwatch\nDisallow: /private/\n\nUser-agent: *\nDisallow: /\n"

SCRIPTED_HOME = """<html><head><title>หน้าแรก</title><script src="/js/app.js"></script></head>
<body><ul id="main-menu"></ul>
<iframe src="/private/frame.html"></iframe><iframe src="/embed.html"></iframe>
<script>
fetch("/private/data.json").catch(function () {});
fetch("/api/menu.json").then(function (r) { return r.json(); }).then(function (items) {
  document.getElementById("main-menu").innerHTML = items.map(function (i) {
    return '<li><a href="' + i.url + '">' + i.title + '</a></li>'; }).join("");
});
</script></body></html>"""


def pinned(fast: Fast, **changes: Any) -> CrawlConfig:
    # No QR screenshots: each would load the page again and count its refusals again.
    return fast(resolve={AGENCY: "127.0.0.1"}, max_screenshots=0, **changes)


def served(server: TestServer, path: str) -> int:
    return sum(1 for p in server.paths() if p.split("?", 1)[0] == path)


async def test_rendered_page_requests_obey_robots_txt(serve: Serve, fast: Fast) -> None:
    """A script's fetch and a frame on robots-disallowed paths get no request
    (counted by the server); allowed scripts, fetches and frames load, and the
    pinned host is reached by the browser at its pinned address."""
    require_browser()
    server = serve(
        {
            "/robots.txt": Reply(200, {"Content-Type": "text/plain"}, ROBOTS),
            "/": html(SCRIPTED_HOME),
            "/js/app.js": Reply(200, {"Content-Type": "application/javascript"}, b"var ok = 1;"),
            "/api/menu.json": Reply(
                200,
                {"Content-Type": "application/json"},
                '[{"url": "/ita", "title": "ITA 2566"}]'.encode(),
            ),
            "/embed.html": html("<p>แผนที่</p>"),
            "/ita": html("<h1>ITA 2566</h1>"),
            "/private/data.json": Reply(200, {"Content-Type": "application/json"}, b"{}"),
            "/private/frame.html": html("<p>private</p>"),
        }
    )
    site = await crawl(f"http://{AGENCY}:{server.port}/", pinned(fast, render="always"))
    assert site.status is SiteStatus.OK and site.allow_private is False
    assert served(server, "/private/data.json") == 0
    assert served(server, "/private/frame.html") == 0
    assert served(server, "/js/app.js") >= 1 and served(server, "/api/menu.json") >= 1
    assert served(server, "/embed.html") >= 1
    home = next(p for p in site.pages if p.url == f"http://{AGENCY}:{server.port}/")
    assert [link.url for link in home.links if link.tag == "rendered"] == [
        f"http://{AGENCY}:{server.port}/ita"
    ]
    browser = [r for r in server.requests if r.path == "/api/menu.json"]
    assert all(r.user_agent.startswith("oitwatch/") for r in browser)
    assert "rendering: 2 requests refused by robots.txt" in site.notes


async def test_rendered_page_redirecting_to_a_private_address_is_refused(
    serve: Serve, fast: Fast
) -> None:
    """A public site's page whose fetch is answered 302 to 127.0.0.1, and a
    page whose script sets ``location`` to 127.0.0.1: neither reaches it."""
    require_browser()
    server = serve()
    secret = f"http://127.0.0.1:{server.port}/secret"
    server.routes.update(
        {
            "/": html(
                "<a href='/moved'>moved</a>"
                "<script>fetch('/api/go').catch(function () {});</script><p>หน้าแรก</p>"
            ),
            "/api/go": Reply(302, {"Location": secret}),
            "/moved": html(f"<p>ย้าย</p><script>location = '{secret}';</script>"),
            "/secret": html("<p>internal</p>"),
        }
    )
    site = await crawl(f"http://{AGENCY}:{server.port}/", pinned(fast, render="always"))
    assert site.status is SiteStatus.OK
    assert served(server, "/secret") == 0
    assert served(server, "/api/go") >= 1 and served(server, "/moved") >= 1
    assert (
        "rendering: 2 requests refused by the address guard "
        "(loopback, private or unresolvable addresses)"
    ) in site.notes
    # The refused navigation left Chromium's error page: that render is a failure.
    failed = next(note for note in site.notes if note.startswith("rendering failed"))
    assert f"/moved: blocked: the page navigated to a refused URL: address: {secret}" in failed


async def test_evidence_screenshot_obeys_robots_txt(
    serve: Serve, fast: Fast, tmp_path: Path
) -> None:
    """The screenshot an auditor sees (Crawler.screenshot, after the crawl)
    loads no image robots.txt disallows, and reaches the pinned host."""
    require_browser()
    png = Reply(200, {"Content-Type": "image/png"}, b"\x89PNG\r\n\x1a\n")
    server = serve(
        {
            "/robots.txt": Reply(200, {"Content-Type": "text/plain"}, ROBOTS),
            "/": html('<img src="/private/qr.png"><img src="/logo.png"><p>ITA 2566</p>'),
            "/private/qr.png": png,
            "/logo.png": png,
        }
    )
    url = f"http://{AGENCY}:{server.port}/"
    async with Crawler(pinned(fast, screenshot_dir=str(tmp_path))) as crawler:
        site = await crawler.crawl(url)
        digest, why = await crawler.screenshot(url, allow_private=site.allow_private)
    assert why == "" and len(digest) == 64
    assert served(server, "/logo.png") == 1 and served(server, "/private/qr.png") == 0
