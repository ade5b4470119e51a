"""Crawling whole (small) sites on loopback servers: what gets fetched, in
which order, and what the SiteCrawl says."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

import pytest
from server import Reply, Seen, TestServer, html

from crawler import CrawlConfig, Crawler, Link, Page, PageKind, SiteStatus

pytestmark = pytest.mark.anyio

Serve = Callable[..., TestServer]
Fast = Callable[..., CrawlConfig]


async def crawl(seed: str, config: CrawlConfig, **kwargs: Any) -> Any:
    async with Crawler(config) as crawler:
        return await crawler.crawl(seed, **kwargs)


def page_requests(server: TestServer) -> list[str]:
    return [p for p in server.paths() if p not in ("/robots.txt", "/sitemap.xml")]


def by_path(site: Any, server: TestServer) -> dict[str, Page]:
    prefix = server.url("")
    return {p.url.removeprefix(prefix) or "/": p for p in site.pages}


async def test_tis620_page_with_charset_only_in_meta(serve: Serve, fast: Fast) -> None:
    home = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=tis-620">'
        "<title>องค์การบริหารส่วนตำบลทดสอบ</title></head><body>"
        "<h1>หน้าแรก</h1><a href='/ita'>การเปิดเผยข้อมูลสาธารณะ (OIT)</a></body></html>"
    )
    ita = "<html><body><p>ข้อมูลพื้นฐาน</p><a href='/o1'>โครงสร้าง</a></body></html>"
    server = serve(
        {
            "/": Reply(200, {"Content-Type": "text/html"}, home.encode("cp874")),
            "/ita": Reply(
                200, {"Content-Type": "text/html; charset=windows-874"}, ita.encode("cp874")
            ),
            "/o1": html("<p>ok</p>"),
        }
    )
    site = await crawl(server.url("/"), fast())
    assert site.status is SiteStatus.OK
    pages = by_path(site, server)
    assert pages["/"].charset == "cp874"
    assert pages["/"].title == "องค์การบริหารส่วนตำบลทดสอบ"
    assert "หน้าแรก" in pages["/"].text
    assert pages["/"].links[0].text == "การเปิดเผยข้อมูลสาธารณะ (OIT)"
    assert pages["/ita"].charset == "cp874"
    assert "ข้อมูลพื้นฐาน" in pages["/ita"].text and pages["/ita"].links[0].text == "โครงสร้าง"
    assert [s.text for s in pages["/o1"].click_path] == ["การเปิดเผยข้อมูลสาธารณะ (OIT)", "โครงสร้าง"]


async def test_hub_page_labels_come_from_the_row(serve: Serve, fast: Fast) -> None:
    hub = (
        "<table><tr><th>ข้อ</th><th>รายการ</th><th></th></tr>"
        "<tr><td>O1</td><td>โครงสร้างหน่วยงาน</td><td><a href='/f/o1.pdf'>เปิด</a></td></tr>"
        "<tr><td>O2</td><td>ข้อมูลผู้บริหาร</td>"
        "<td><a href='/f/o2.pdf'><img src='/i/pdf.png'></a></td></tr></table>"
    )
    server = serve(
        {
            "/": html("<a href='/ita'>ITA 2566</a>"),
            "/ita": html(hub),
            "/f/o1.pdf": Reply(200, {"Content-Type": "application/pdf"}, b"%PDF-1.4 o1"),
            "/f/o2.pdf": Reply(200, {"Content-Type": "application/pdf"}, b"%PDF-1.4 o2"),
        }
    )
    site = await crawl(server.url("/"), fast())
    pages = by_path(site, server)
    o1_link, o2_link = pages["/ita"].links
    assert o1_link.text == "เปิด" and "O1 โครงสร้างหน่วยงาน" in o1_link.context
    assert o2_link.text == "" and "ข้อมูลผู้บริหาร" in o2_link.context
    assert [s.text for s in pages["/f/o1.pdf"].click_path] == ["ITA 2566", "เปิด"]
    # no text and no alt: the row labels the step
    assert "ข้อมูลผู้บริหาร" in pages["/f/o2.pdf"].click_path[-1].text
    assert "/i/pdf.png" not in server.paths()  # no image fetches (check_images=False)


async def test_best_first_fetches_a_relevant_link_found_late(serve: Serve, fast: Fast) -> None:
    routes = {"/": html("".join(f"<a href='/p{i}'>ข่าว {i}</a>" for i in range(10)))}
    for i in range(10):
        routes[f"/p{i}"] = html("<a href='/ita'>ITA 2566</a>" if i == 0 else "<p>news</p>")
    routes["/ita"] = html("<p>OIT</p>")
    server = serve(routes)

    def scorer(link: Link) -> float:
        return 1.0 if "ITA" in link.text else 0.0

    site = await crawl(server.url("/"), fast(per_host_concurrency=1), scorer=scorer)
    assert site.status is SiteStatus.OK
    order = page_requests(server)
    assert order[:3] == ["/", "/p0", "/ita"]

    # without a scorer the order is breadth-first: /ita comes after every /pN
    plain = serve(routes)
    await crawl(plain.url("/"), fast(per_host_concurrency=1))
    assert page_requests(plain)[-1] == "/ita"


async def test_page_budget(serve: Serve, fast: Fast) -> None:
    def page(seen: Seen) -> Reply:
        n = int(seen.path.strip("/") or 0)
        return html("".join(f"<a href='/{(n * 10 + k) % 1000}'>p</a>" for k in range(1, 11)))

    server = serve(default=page)
    site = await crawl(server.url("/"), fast(max_pages=20))
    assert site.status is SiteStatus.OK
    assert len(site.pages) == 20
    assert len(page_requests(server)) == 20
    assert "page budget (20) reached" in site.reason
    assert any(s.reason == "budget" for s in site.skipped)


async def test_crawl_traps_do_not_eat_the_budget(serve: Serve, fast: Fast) -> None:
    def calendar(seen: Seen) -> Reply:
        # every month links to the next and previous months and to each day
        query = dict(p.split("=") for p in seen.path.split("?", 1)[1].split("&"))
        y, m = int(query["year"]), int(query["month"])
        links = [
            f"/calendar.php?year={y + (m == 12)}&month={m % 12 + 1}",
            f"/calendar.php?year={y - (m == 1)}&month={(m - 2) % 12 + 1}",
        ]
        links += [f"/calendar.php?year={y}&month={m}&day={d}" for d in range(1, 29)]
        return html("".join(f"<a href='{u}'>{u}</a>" for u in links))

    def listing(seen: Seen) -> Reply:
        n = int(seen.path.split("=")[-1])
        return html(
            f"<a href='/news.php?page={n + 1}'>next</a><a href='/news.php?page={n + 2}'>+2</a>"
        )

    def random_links(seen: Seen) -> Reply:
        token = hashlib.sha1(seen.path.encode()).hexdigest()
        return html(
            "".join(f"<a href='/list.php?r={token[i : i + 8]}{i}'>x</a>" for i in range(12))
        )

    server = serve(
        {
            "/": html(
                "<a href='/calendar.php?year=2024&month=1'>ปฏิทิน</a>"
                "<a href='/news.php?page=1'>ข่าว</a><a href='/list.php?r=start'>รายการ</a>"
                "<a href='/about'>เกี่ยวกับเรา</a>"
            ),
            "/calendar.php": calendar,
            "/news.php": listing,
            "/list.php": random_links,
            "/about": html("<a href='/about/x/y/x/y/x/y'>loop</a><a href='/about/ita'>ITA</a>"),
            "/about/ita": html("<a href='/about/ita/2566'>2566</a>"),
            "/about/ita/2566": html("<a href='/about/ita/2566/o1'>O1</a>"),
            "/about/ita/2566/o1": html("<h1>O1 โครงสร้าง</h1>"),
        }
    )
    site = await crawl(server.url("/"), fast(max_pages=80, max_depth=8))
    pages = by_path(site, server)
    assert "/about/ita/2566/o1" in pages
    assert len(site.pages) < 80  # the traps were cut off, not the budget
    assert sum("calendar.php" in p for p in page_requests(server)) <= 5
    assert sum("news.php" in p for p in page_requests(server)) <= 10
    assert sum("list.php" in p for p in page_requests(server)) <= 30
    assert "/about/x/y/x/y/x/y" not in server.paths()
    assert {s.reason for s in site.skipped} >= {"trap"}


async def test_click_path_is_the_shortest(serve: Serve, fast: Fast) -> None:
    server = serve(
        {
            "/": html("<a href='/long1'>ยาว</a><a href='/short'>สั้น</a>"),
            "/long1": html("<a href='/long2'>ยาว 2</a>"),
            "/long2": html("<a href='/target'>เป้าหมาย (ยาว)</a>"),
            "/short": html("<a href='/target'>เป้าหมาย</a>"),
            "/target": html("<p>target</p>"),
        }
    )

    def scorer(link: Link) -> float:  # makes the long way be discovered first
        return 1.0 if "ยาว" in link.text else 0.0

    site = await crawl(server.url("/"), fast(per_host_concurrency=1), scorer=scorer)
    order = page_requests(server)
    assert order.index("/target") < order.index("/short")  # found through the long way...
    target = by_path(site, server)["/target"]
    assert [s.text for s in target.click_path] == ["สั้น", "เป้าหมาย"]  # ...but reported short
    assert target.click_path[-1].url == server.url("/target")
    assert target.depth == 2
    assert by_path(site, server)["/"].click_path == []


async def test_offsite_links_are_recorded_not_fetched(serve: Serve, fast: Fast) -> None:
    other = serve({"/": html("<p>another agency</p>")})
    server = serve(
        {
            "/": html(f"<a href='/contact'>ติดต่อ</a><a href='{other.url('/')}'>หน่วยงานอื่น</a>"),
            "/contact": html(
                "<a href='https://www.facebook.com/agency'>Facebook</a>"
                "<a href='https://itas.nacc.go.th/go/eit/abc123'><img alt='EIT'></a>"
                f"<a href='{other.url('/')}'>again</a>"
            ),
        }
    )
    site = await crawl(server.url("/"), fast())
    assert other.paths() == []
    external = {link.url: (link, path) for link, path in site.external_links}
    assert set(external) == {
        other.url("/"),
        "https://www.facebook.com/agency",
        "https://itas.nacc.go.th/go/eit/abc123",
    }
    _, path = external[other.url("/")]
    assert [s.text for s in path] == ["หน่วยงานอื่น"]  # the shortest of the two
    link, path = external["https://itas.nacc.go.th/go/eit/abc123"]
    assert link.title == "EIT" and link.source_url == server.url("/contact")
    assert [s.text for s in path] == ["ติดต่อ", "EIT"]
    assert path[-1].url == "https://itas.nacc.go.th/go/eit/abc123"


async def test_onsite_link_redirecting_offsite_is_recorded(serve: Serve, fast: Fast) -> None:
    server = serve(
        {
            "/": html("<a href='/eservice'>E-Service</a>"),
            "/eservice": Reply(302, {"Location": "https://docs.google.com/forms/d/e/x/viewform"}),
        }
    )
    site = await crawl(server.url("/"), fast())
    assert [(link.url, link.text) for link, _ in site.external_links] == [
        ("https://docs.google.com/forms/d/e/x/viewform", "E-Service")
    ]
    assert [s.reason for s in site.skipped] == ["scope"]


async def test_sitemaps_add_seeds(serve: Serve, fast: Fast) -> None:
    port_url = "http://127.0.0.1:{port}"
    server = serve()
    base = server.url("")
    server.routes.update(
        {
            "/robots.txt": Reply(
                200, {}, f"User-agent: *\nSitemap: {base}/sm-index.xml\n".encode()
            ),
            "/sm-index.xml": Reply(
                200,
                {"Content-Type": "application/xml"},
                f"<sitemapindex><sitemap><loc>{base}/sm1.xml</loc></sitemap>"
                "</sitemapindex>".encode(),
            ),
            "/sm1.xml": Reply(
                200,
                {},
                f"<urlset><url><loc>{base}/orphan</loc></url>"
                f"<url><loc>{base}/linked</loc></url>"
                "<url><loc>https://elsewhere.go.th/x</loc></url></urlset>".encode(),
            ),
            "/sitemap.xml": Reply(
                200, {}, f"<urlset><url><loc>{base}/orphan2</loc></url></urlset>".encode()
            ),
            "/": html("<a href='/linked'>ลิงก์</a>"),
            "/linked": html("<p>linked</p>"),
            "/orphan": html("<a href='/orphan/child'>ลูก</a>"),
            "/orphan/child": html("<p>child</p>"),
            "/orphan2": html("<p>o2</p>"),
        }
    )
    assert port_url  # (documentation of the URL shape above)
    site = await crawl(server.url("/"), fast())
    pages = by_path(site, server)
    assert pages["/orphan"].click_path[0].text == "(sitemap)" and pages["/orphan"].depth == 1
    assert pages["/orphan2"].depth == 1
    assert [s.text for s in pages["/orphan/child"].click_path] == ["(sitemap)", "ลูก"]
    assert [s.text for s in pages["/linked"].click_path] == ["ลิงก์"]  # the link graph wins


async def test_documents(serve: Serve, fast: Fast) -> None:
    pdf = b"%PDF-1.4 " + b"x" * 1000
    server = serve(
        {
            "/": html(
                "<a href='/a.pdf'>แผน</a><a href='/download.php?id=1'>ดาวน์โหลด</a>"
                "<a href='/b.docx'>คู่มือ</a><a href='/big.pdf'>ใหญ่</a>"
                "<a href='/stream.pdf'>สตรีม</a><a href='/photo.jpg'>รูป</a>"
                "<a href='/data.json'>json</a>"
            ),
            "/a.pdf": Reply(200, {"Content-Type": "application/pdf"}, pdf),
            "/download.php": Reply(200, {"Content-Type": "application/octet-stream"}, pdf),
            "/b.docx": Reply(
                200, {"Content-Type": "application/force-download"}, b"PK\x03\x04docx"
            ),
            "/big.pdf": Reply(200, {"Content-Type": "application/pdf"}, b"%PDF" + b"0" * 5000),
            "/stream.pdf": Reply(
                200, {"Content-Type": "application/pdf"}, b"%PDF" + b"0" * 5000, chunked=True
            ),
        }
    )
    site = await crawl(server.url("/"), fast(max_document_bytes=2000))
    pages = by_path(site, server)
    doc = pages["/a.pdf"]
    assert doc.kind is PageKind.DOCUMENT and doc.content_type == "application/pdf"
    assert doc.size == len(pdf) and doc.sha256 == hashlib.sha256(pdf).hexdigest()
    assert doc.text == "" and doc.links == []
    assert pages["/download.php?id=1"].kind is PageKind.DOCUMENT  # sniffed "%PDF"
    assert pages["/b.docx"].kind is PageKind.DOCUMENT
    skipped = {s.url.removeprefix(server.url("")): s.reason for s in site.skipped}
    assert skipped == {
        "/big.pdf": "size",
        "/stream.pdf": "size",
        "/photo.jpg": "type",
        "/data.json": "type",
    }
    assert "/photo.jpg" not in server.paths() and "/data.json" not in server.paths()

    no_docs = serve(dict(server.routes))
    site = await crawl(no_docs.url("/"), fast(fetch_documents=False))
    assert all(p.kind is PageKind.PAGE for p in site.pages)
    assert "/a.pdf" not in no_docs.paths()


async def test_meta_refresh_splash_and_frames(serve: Serve, fast: Fast) -> None:
    server = serve(
        {
            "/": html("<meta http-equiv='refresh' content='0;url=/main.php'>"),
            "/main.php": html(
                "<frameset><frame src='/menu.php'><frame src='/body.php'></frameset>"
            ),
            "/menu.php": html("<a href='/ita.php'>ITA</a>"),
            "/body.php": html("<p>welcome</p>"),
            "/ita.php": html("<p>OIT</p>"),
        }
    )
    site = await crawl(server.url("/"), fast(max_depth=1))
    # The browser follows the refresh and shows the frames: only "ITA" is a click, and the
    # page is within max_depth=1.
    pages = by_path(site, server)
    assert [s.text for s in pages["/ita.php"].click_path] == ["ITA"]
    assert pages["/ita.php"].depth == 1
    assert pages["/menu.php"].click_path == [] and pages["/menu.php"].depth == 0


async def test_on_page_callback_and_faulty_hooks(serve: Serve, fast: Fast) -> None:
    server = serve({"/": html("<a href='/a'>a</a>"), "/a": html("<p>a</p>")})
    seen: list[str] = []

    def on_page(page: Page) -> None:
        seen.append(page.url)
        raise RuntimeError("callback bug")

    def scorer(link: Link) -> float:
        raise ValueError("scorer bug")

    site = await crawl(server.url("/"), fast(), scorer=scorer, on_page=on_page)
    assert site.status is SiteStatus.OK and len(site.pages) == 2
    assert seen == [server.url("/"), server.url("/a")]


async def test_one_crawler_many_sites(serve: Serve, fast: Fast) -> None:
    import anyio

    servers = [serve({"/": html(f"<a href='/x'>{i}</a>"), "/x": html("x")}) for i in range(4)]
    results: dict[int, Any] = {}
    async with Crawler(fast()) as crawler:

        async def one(i: int) -> None:
            results[i] = await crawler.crawl(servers[i].url("/"))

        async with anyio.create_task_group() as group:
            for i in range(4):
                group.start_soon(one, i)
    assert all(r.status is SiteStatus.OK and len(r.pages) == 2 for r in results.values())


def test_crawl_site_sync_wrapper(serve: Serve, fast: Fast) -> None:
    from crawler import crawl_site

    server = serve({"/": html("<title>t</title>")})
    site = crawl_site(server.url("/"), fast())
    assert site.status is SiteStatus.OK and site.pages[0].title == "t"
    assert site.reason == "1 pages and 0 documents fetched"
    assert site.started_at <= site.finished_at and site.pages[0].fetched_at is not None


async def test_custom_transport(fast: Fast) -> None:
    """Other packages' tests can crawl fake sites with httpx.MockTransport."""
    import httpx

    pages = {
        "/": "<a href='/ita'>ITA</a><a href='http://10.0.0.1/x'>intranet</a>"
        "<a href='http://eservice.abc.go.th/form'>E-Service</a>",
        "/ita": "<p>OIT</p>",
        "/form": "<form><textarea name='t'></textarea></form>",
    }

    def handler(request: httpx.Request) -> httpx.Response:
        body = pages.get(request.url.path)
        if body is None:
            return httpx.Response(404)
        return httpx.Response(200, headers={"Content-Type": "text/html"}, text=body)

    async with Crawler(fast(), transport=httpx.MockTransport(handler)) as crawler:
        site = await crawler.crawl("https://www.abc.go.th/")
    assert site.status is SiteStatus.OK
    assert [p.url for p in site.pages] == [
        "https://www.abc.go.th/",
        "https://www.abc.go.th/ita",
        "http://eservice.abc.go.th/form",  # a subdomain is the same site
    ]
    assert site.pages[2].forms[0].has_textarea
    assert [link.url for link, _ in site.external_links] == ["http://10.0.0.1/x"]


async def test_redirect_to_a_fetched_page_is_not_fetched_again(serve: Serve, fast: Fast) -> None:
    server = serve(
        {
            "/": html("<a href='/news'>ข่าว</a><a href='/old-news'>ข่าวเก่า</a><a href='/x'>x</a>"),
            "/news": html("<p>news</p>"),
            "/old-news": Reply(301, {"Location": "/news"}),
            "/x": html("<a href='/old-news'>again</a>"),
        }
    )
    site = await crawl(server.url("/"), fast(per_host_concurrency=1))
    assert server.count("/news") == 1
    assert [(s.url.removeprefix(server.url("")), s.reason) for s in site.skipped] == [
        ("/old-news", "duplicate")
    ]
    assert [p.url.removeprefix(server.url("")) for p in site.pages] == ["/", "/news", "/x"]
