"""Renderer.render on pages served on 127.0.0.1: script-built menus, the
address guard (loopback, redirects, sub-requests), blocked resource types,
time limits and the concurrency bound."""

from __future__ import annotations

import asyncio
import time

import pytest
from render_support import Reply, allow_servers, page, require_browser

from render import RenderConfig, Renderer, needs_rendering

pytestmark = pytest.mark.anyio

JS_MENU = """<!doctype html><html><head><meta charset="utf-8"><title>อบต.หนองบัว</title></head>
<body><ul id="menu"></ul><div id="content">ยินดีต้อนรับ</div>
<script>
  const items = [["/structure", "โครงสร้างส่วนราชการ"], ["/ita/2566", "ITA 2566"],
                 ["/fraudcomplaint", "แจ้งเรื่องร้องเรียนการทุจริต"]];
  document.getElementById("menu").innerHTML =
    items.map(([u, t]) => `<li><a href="${u}">${t}</a></li>`).join("");
</script></body></html>"""

ORDINARY = """<!doctype html><html><head><title>Ordinary</title></head><body>
<nav><a href="/a">หน้าแรก</a> <a href="/b">ข่าว</a> <a href="/c">ติดต่อเรา</a>
<a href="/d">ITA</a> <a href="/e">ผู้บริหาร</a> <a href="/f">โครงสร้าง</a></nav>
<script>console.log("analytics")</script></body></html>"""


async def test_menu_built_by_javascript_is_rendered(serve) -> None:
    require_browser()
    site = serve({"/": page(JS_MENU)})
    assert "<a" not in JS_MENU.split("<script>")[0]  # the static HTML has no links
    assert needs_rendering(JS_MENU, link_count=0)
    async with Renderer(allow_url=allow_servers(site)) as renderer:
        rendered = await renderer.render(site.url("/"))
    assert rendered.error == ""
    assert rendered.status == 200
    assert rendered.final_url == site.url("/")
    assert rendered.title == "อบต.หนองบัว"
    links = {link.url: link.text for link in rendered.links}
    assert links == {
        site.url("/structure"): "โครงสร้างส่วนราชการ",
        site.url("/ita/2566"): "ITA 2566",
        site.url("/fraudcomplaint"): "แจ้งเรื่องร้องเรียนการทุจริต",
    }
    assert 'href="/fraudcomplaint"' in rendered.html  # the DOM after scripts ran


async def test_ordinary_page_needs_no_rendering_and_renders_the_same(serve) -> None:
    require_browser()
    assert not needs_rendering(ORDINARY, link_count=6)
    site = serve({"/": page(ORDINARY)})
    async with Renderer(allow_url=allow_servers(site)) as renderer:
        rendered = await renderer.render(site.url("/"))
    assert len(rendered.links) == 6 and rendered.links[0].text == "หน้าแรก"


async def test_default_policy_refuses_loopback_without_a_request(serve) -> None:
    require_browser()
    site = serve({"/": page(ORDINARY)})
    async with Renderer() as renderer:  # the default policy: public addresses only
        for url in (site.url("/"), f"http://localhost:{site.port}/"):
            rendered = await renderer.render(url)
            assert rendered.error.startswith("blocked:"), rendered.error
    assert site.hits == []


async def test_redirect_into_a_refused_address_is_not_followed(serve) -> None:
    require_browser()
    secret = serve({"/secret": page("<p>internal</p>")})
    site = serve({"/go": Reply(status=302, headers={"Location": secret.url("/secret")})})
    async with Renderer(allow_url=allow_servers(site)) as renderer:
        rendered = await renderer.render(site.url("/go"))
        assert rendered.error.startswith("blocked:"), rendered.error
        assert secret.url("/secret") in renderer.blocked
    assert site.hits == ["/go"]
    assert secret.hits == []  # the hop was refused before any connection


async def test_script_requests_to_refused_addresses_are_blocked(serve) -> None:
    require_browser()
    secret = serve({"/secret": page("internal")})
    html = f"""<title>t</title><a href="/x">x</a>
      <script>fetch("{secret.url('/secret')}").catch(() => {{}});
      const i = new Image(); i.src = "{secret.url('/pixel.png')}";</script>"""
    site = serve({"/": page(html)})
    async with Renderer(allow_url=allow_servers(site)) as renderer:
        rendered = await renderer.render(site.url("/"))
    assert rendered.error == ""
    assert secret.hits == []


async def test_media_fonts_and_images_are_not_downloaded_when_rendering(serve) -> None:
    require_browser()
    html = """<style>@font-face { font-family: X; src: url(/font.woff2); } body { font-family: X; }</style>
      <p>ข้อความ</p><img src="/banner.png"><video src="/clip.mp4" autoplay></video>
      <script src="/menu.js"></script>"""
    site = serve({"/": page(html), "/menu.js": Reply(b"document.title='js ran'", "text/javascript")})
    async with Renderer(allow_url=allow_servers(site)) as renderer:
        rendered = await renderer.render(site.url("/"))
    assert rendered.title == "js ran"
    assert sorted(site.hits) == ["/", "/menu.js"]


async def test_navigation_timeout_gives_an_error_result(serve) -> None:
    require_browser()
    site = serve({"/slow": page("<p>late</p>", delay=10)})
    config = RenderConfig(navigation_timeout=1)
    async with Renderer(config, allow_url=allow_servers(site)) as renderer:
        started = time.monotonic()
        rendered = await renderer.render(site.url("/slow"))
    assert "timed out" in rendered.error
    assert time.monotonic() - started < 5


async def test_page_budget_is_a_hard_limit(serve) -> None:
    require_browser()
    # The budget (3 s) is far below the navigation timeout and the page's delay (30 s), and
    # long enough for the trivial page after it even on a loaded machine.
    site = serve({"/slow": page("<p>late</p>", delay=30)})
    config = RenderConfig(navigation_timeout=60, page_budget=3)
    async with Renderer(config, allow_url=allow_servers(site)) as renderer:
        started = time.monotonic()
        rendered = await renderer.render(site.url("/slow"))
        assert "page budget" in rendered.error
        assert time.monotonic() - started < 15
        site.routes["/fast"] = page("<title>fine</title>")
        assert (await renderer.render(site.url("/fast"))).title == "fine"  # and it goes on


async def test_concurrent_pages_are_bounded(serve) -> None:
    require_browser()
    site = serve({f"/p{i}": page(f"<title>{i}</title>", delay=0.3) for i in range(4)})
    config = RenderConfig(concurrency=2, settle_time=0)
    async with Renderer(config, allow_url=allow_servers(site)) as renderer:
        results = await asyncio.gather(*(renderer.render(site.url(f"/p{i}")) for i in range(4)))
    assert [r.title for r in results] == ["0", "1", "2", "3"]
    assert site.max_active <= 2


async def test_unreachable_and_download_urls_give_error_results(serve) -> None:
    require_browser()
    site = serve({"/report.pdf": Reply(b"%PDF-1.4\n", "application/pdf",
                                       headers={"Content-Disposition": "attachment"})})
    closed = serve()
    closed_url = closed.url("/")
    closed.__exit__(None, None, None)  # nothing listens there any more
    async with Renderer(allow_url=allow_servers(site, closed)) as renderer:
        download = await renderer.render(site.url("/report.pdf"))
        refused = await renderer.render(closed_url)
    assert download.error and not download.html
    assert refused.error.startswith("unreachable:"), refused.error
