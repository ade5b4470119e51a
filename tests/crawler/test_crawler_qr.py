"""QR codes in the crawl: in a plain <img>, in the corner of a CSS background
banner, behind srcset and image links, only on screen (a screenshot), a
satisfaction survey; and the bounds (image budget, huge images, other sites)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from crawler_media import (
    EIT,
    EIT_BANNER,
    EIT_SCREEN,
    IIT,
    SURVEY,
    banner_with_qr,
    bomb_png,
    plain_png,
    qr_matrix,
    qr_png,
    require_browser,
)
from server import Reply, TestServer, html

from crawler import CrawlConfig, Crawler, Link, Page, SiteCrawl, SiteStatus
from extract import QrKind, classify_url
from render import ScreenshotStore

pytestmark = pytest.mark.anyio

Serve = Callable[..., TestServer]
Fast = Callable[..., CrawlConfig]
PNG = {"Content-Type": "image/png"}


async def crawl(seed: str, config: CrawlConfig, **kwargs: Any) -> SiteCrawl:
    async with Crawler(config) as crawler:
        return await crawler.crawl(seed, **kwargs)


def page_at(site: SiteCrawl, server: TestServer, path: str) -> Page:
    return next(p for p in site.pages if p.url == server.url(path))


def qr_links(page: Page) -> dict[str, Link]:
    return {link.url: link for link in page.links if link.tag.startswith("qr")}


def image_requests(server: TestServer) -> list[str]:
    return [p for p in server.paths() if p.endswith((".png", ".jpg"))]


async def test_qr_codes_in_images(serve: Serve, fast: Fast) -> None:
    home = (
        "<h1>เทศบาลตำบลทดสอบ</h1><a href='/ita'>ITA 2566</a><a href='/news'>ข่าว</a>"
        "<div class='card'><img src='/img/eit-qr.png' alt=''>"
        "<p>สแกน QR Code เพื่อร่วมตอบแบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายนอก (EIT)</p></div>"
        "<p>แบบสำรวจความพึงพอใจ <img src='/img/survey.png' alt='แบบสำรวจความพึงพอใจ'></p>"
        "<img src='/img/photo.png' srcset='/img/photo.png 300w, /img/iit-large.png 900w'>"
        "<a href='/img/scan-me.png'>QR ดาวน์โหลด</a>"
    )
    hub = (
        "<html><head><title>ITA 2566</title></head><body>"
        "<div class='banner' style=\"background-image: url('/img/banner.jpg')\">"
        "ร่วมประเมิน ITA 2566</div><a href='/'>หน้าแรก</a></body></html>"
    )
    server = serve(
        {
            "/": html(home),
            "/ita": html(hub),
            "/news": html("<p>news</p><img src='/img/news.png'>"),
            "/img/eit-qr.png": Reply(200, PNG, qr_png(EIT)),
            "/img/survey.png": Reply(200, PNG, qr_png(SURVEY)),
            "/img/photo.png": Reply(200, PNG, plain_png()),
            "/img/iit-large.png": Reply(200, PNG, qr_png(IIT)),
            "/img/scan-me.png": Reply(200, PNG, qr_png("https://example.org/not-a-survey")),
            "/img/banner.jpg": Reply(
                200, {"Content-Type": "image/jpeg"}, banner_with_qr(EIT_BANNER)
            ),
            "/img/news.png": Reply(200, PNG, qr_png("https://itas.nacc.go.th/go/eit/zzzzzz")),
        }
    )
    site = await crawl(server.url("/"), fast(check_images=True))
    assert site.status is SiteStatus.OK

    home_qr = qr_links(page_at(site, server, "/"))
    eit = home_qr[EIT]
    assert (eit.tag, eit.text, eit.image_url) == ("qr", "QR code", server.url("/img/eit-qr.png"))
    assert eit.source_url == server.url("/") and "EIT" in eit.context
    assert classify_url(eit.url) is QrKind.EIT
    survey = home_qr[SURVEY]
    assert classify_url(survey.url) is QrKind.SURVEY and survey.title == "แบบสำรวจความพึงพอใจ"
    assert home_qr[IIT].image_url == server.url("/img/iit-large.png")  # srcset's largest
    assert home_qr["https://example.org/not-a-survey"].title.startswith("QR ดาวน์โหลด")
    assert "/img/photo.png" not in server.paths()  # the srcset candidate replaced src

    banner = qr_links(page_at(site, server, "/ita"))[EIT_BANNER]
    assert banner.image_url == server.url("/img/banner.jpg") and banner.tag == "qr"
    assert banner.context == "ร่วมประเมิน ITA 2566"

    # /news matters to nobody (no scorer, not a hub): its images are not fetched.
    assert "/img/news.png" not in server.paths()
    # Decoded off-site links are off-site links like any other, with their click path.
    external = {link.url: path for link, path in site.external_links}
    assert [step.text for step in external[EIT]] == ["QR code"]
    assert [step.text for step in external[EIT_BANNER]] == ["ITA 2566", "QR code"]
    assert site.notes == []


async def test_images_on_scored_pages_and_once_per_site(serve: Serve, fast: Fast) -> None:
    sidebar = "<img src='/img/eit.png' alt='EIT'>"
    server = serve(
        {
            "/": html(f"<a href='/a'>ร้องเรียนทุจริต</a><a href='/b'>ข่าว</a>{sidebar}"),
            "/a": html(f"<p>form</p>{sidebar}<img src='/img/a.png'>"),
            "/b": html(f"<p>news</p>{sidebar}<img src='/img/b.png'>"),
            "/img/eit.png": Reply(200, PNG, qr_png(EIT)),
            "/img/a.png": Reply(200, PNG, plain_png()),
            "/img/b.png": Reply(200, PNG, plain_png()),
        }
    )

    def scorer(link: Link) -> float:
        return 1.0 if "ทุจริต" in link.text else 0.0

    site = await crawl(server.url("/"), fast(check_images=True), scorer=scorer)
    assert server.count("/img/eit.png") == 1  # one fetch for the banner on every page
    assert "/img/a.png" in server.paths() and "/img/b.png" not in server.paths()
    assert EIT in qr_links(page_at(site, server, "/a"))  # the cached decode, on each page
    assert EIT not in qr_links(page_at(site, server, "/b"))


async def test_image_budget_and_refused_images(serve: Serve, fast: Fast) -> None:
    other = serve({"/cdn/qr.png": Reply(200, PNG, qr_png(EIT))})
    huge = b"\x89PNG\r\n\x1a\n" + b"\0" * (2 * 1024 * 1024)
    server = serve(
        {
            "/": html(
                "<a href='/ita'>ITA</a>"
                "<img src='/huge.png'><img src='/bomb.png'><img src='/page.png'>"
                "<img src='/icon.png' width='16' height='16'>"
                f"<img src='{other.url('/cdn/qr.png')}'>"
            ),
            "/ita": html(
                "<title>ITA 2566</title>" + "".join(f"<img src='/img/{i}.png'>" for i in range(6))
            ),
            "/huge.png": Reply(200, PNG, huge),
            "/bomb.png": Reply(200, PNG, bomb_png()),
            "/page.png": html("<p>not an image</p>"),
            "/icon.png": Reply(200, PNG, qr_png(EIT)),
            **{f"/img/{i}.png": Reply(200, PNG, plain_png()) for i in range(6)},
        }
    )
    config = fast(check_images=True, max_images_per_site=5, max_image_bytes=1024 * 1024)
    site = await crawl(server.url("/"), config)
    assert site.status is SiteStatus.OK
    fetched = image_requests(server)
    assert len(fetched) == 5 and "/icon.png" not in fetched  # icons are never fetched
    assert other.paths() == []  # images on other sites are not fetched
    skipped = {s.url.removeprefix(server.url("")): s for s in site.skipped}
    assert skipped["/huge.png"].reason == "size"
    assert "bytes > 1048576" in skipped["/huge.png"].detail  # refused by Content-Length
    assert skipped["/bomb.png"].reason == "size" and "pixels" in skipped["/bomb.png"].detail
    assert "/page.png" not in skipped  # not an image: nothing to report
    assert (
        "image budget (5 per site, 20 unlabelled per page) reached: "
        "4 image(s) not checked for QR codes"
    ) in site.notes
    assert "1 image(s) on other sites not checked for QR codes (e.g. 127.0.0.1)" in site.notes


async def test_qr_code_only_in_a_screenshot(serve: Serve, fast: Fast, tmp_path: Path) -> None:
    require_browser()
    # The EIT code drawn by a script as a CSS grid (no image, no link in the
    # HTML), on the ITA hub page; the home page has no EIT link at all.
    matrix = qr_matrix(EIT_SCREEN)
    hub = f"""<!doctype html><html><head><meta charset="utf-8"><title>ITA 2566</title><style>
      #qr {{ display: grid; background: #fff; padding: 8px; width: max-content;
             grid-template-columns: repeat({len(matrix)}, 3px); }}
      #qr div {{ width: 3px; height: 3px; }} #qr .d {{ background: #000; }}
    </style></head><body><h1>การเปิดเผยข้อมูลสาธารณะ (OIT)</h1><div id="qr"></div>
    <a href="/">หน้าแรก</a><a href="/o1">O1</a><a href="/o2">O2</a><a href="/o3">O3</a>
    <a href="/o4">O4</a><a href="/o5">O5</a>
    <script>
      const m = {json.dumps(matrix)};
      const box = document.getElementById("qr");
      for (const row of m) for (const cell of row) {{
        const d = document.createElement("div"); if (cell) d.className = "d"; box.appendChild(d);
      }}
    </script></body></html>"""
    server = serve(
        {
            "/": html(
                "<h1>หน้าแรก</h1><a href='/ita'>ITA</a><a href='/news'>ข่าว</a>"
                "<a href='/contact'>ติดต่อ</a><a href='/about'>เกี่ยวกับ</a>"
                "<a href='/map'>แผนที่</a>"
            ),
            "/ita": html(hub),
        }
    )
    config = fast(render="auto", check_images=True, screenshot_dir=str(tmp_path))
    site = await crawl(server.url("/"), config)
    assert site.status is SiteStatus.OK
    link = qr_links(page_at(site, server, "/ita"))[EIT_SCREEN]
    assert link.tag == "qr-screenshot" and link.text == "QR code"
    assert link.source_url == server.url("/ita")
    kind, digest = link.image_url.split(":")
    assert kind == "screenshot" and digest in ScreenshotStore(tmp_path)
    assert qr_links(page_at(site, server, "/")) == {}  # the home page was screenshot too: no code
    assert EIT_SCREEN in {lk.url for lk, _ in site.external_links}


async def test_no_screenshot_when_an_eit_link_exists(serve: Serve, fast: Fast) -> None:
    require_browser()
    server = serve(
        {
            "/": html(
                f"<a href='{EIT}'>EIT</a>" + "".join(f"<a href='/p{i}'>p{i}</a>" for i in range(6))
            )
        }
    )
    site = await crawl(server.url("/"), fast(render="auto"))
    assert site.notes == []
    assert server.count("/") == 1  # no browser visit
