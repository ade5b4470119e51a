"""Every request the browser makes for a page meets the caller's decision
(``check``: robots.txt, scope) and the address guard with the ``--resolve``
pins: page, frames, fetch/XHR, scripts, images and redirect hops. Counted on
the server side: a refused request never reaches it.

The test server is on 127.0.0.1, so a "public site" is simulated as the
crawler's SSRF tests do: a name pinned to 127.0.0.1 with the public-only
policy, under which 127.0.0.1 itself is a refused address."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from render_support import Loopback, Reply, page, require_browser

from render import RenderConfig, Renderer, public_only

pytestmark = pytest.mark.anyio

AGENCY = "www.example.go.th"  # pinned to 127.0.0.1: a public site as far as the guard knows
PINS = {AGENCY: "127.0.0.1"}
CONFIG = RenderConfig(settle_time=0.5)


def agency(site: Loopback, path: str = "/") -> str:
    return f"http://{AGENCY}:{site.port}{path}"


class Disallow:
    """A stand-in for the crawler's robots.txt: refuses paths under /private/
    and records what it was asked."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, bool]] = []

    async def __call__(self, url: str, navigation: bool) -> tuple[str, str] | None:
        self.asked.append((url, navigation))
        path = urlsplit(url).path
        if path.startswith("/private/"):
            return "robots", f"robots.txt disallows {path}"
        return None


SCRIPTED = """<!doctype html><html><head><title>ok</title>
<script src="/ok.js"></script></head><body><ul id="menu"></ul>
<iframe src="/private/frame.html"></iframe>
<script>
  fetch("/private/data.json").catch(() => {});
  fetch("/api/menu.json").then((r) => r.json()).then((items) => {
    document.getElementById("menu").innerHTML =
      items.map((i) => `<li><a href="${i.url}">${i.title}</a></li>`).join("");
  });
</script></body></html>"""


def scripted_site(serve) -> Loopback:
    return serve({
        "/": page(SCRIPTED),
        "/ok.js": Reply(b"window.okLoaded = true;", "application/javascript"),
        "/api/menu.json": Reply('[{"url": "/ita", "title": "ITA"}]'.encode(), "application/json"),
        "/private/data.json": Reply(b"{}", "application/json"),
        "/private/frame.html": page("<p>frame</p>"),
    })


async def test_disallowed_fetch_and_frame_never_reach_the_server(serve) -> None:
    require_browser()
    site = scripted_site(serve)
    check = Disallow()
    async with Renderer(CONFIG, allow_url=public_only, pins=PINS) as renderer:
        rendered = await renderer.render(agency(site), check=check)
    assert rendered.error == "", rendered.error
    # The pinned name was reached at its pinned address, scripts and fetches ran.
    assert [link.url for link in rendered.links] == [agency(site, "/ita")]
    assert sorted(site.hits) == ["/", "/api/menu.json", "/ok.js"]
    assert rendered.refused == {"robots": 2}
    assert any("/private/data.json" in line for line in rendered.refused_urls)
    # Only the page itself is a main-frame navigation; the frame is not.
    assert (agency(site), True) in check.asked
    assert (agency(site, "/private/frame.html"), False) in check.asked


async def test_disallowed_image_is_not_loaded_for_a_screenshot(serve) -> None:
    require_browser()
    png = Reply(b"\x89PNG\r\n\x1a\n", "image/png")
    site = serve({
        "/": page('<img src="/private/qr.png"><img src="/logo.png"><p>hi</p>'),
        "/private/qr.png": png,
        "/logo.png": png,
    })
    async with Renderer(CONFIG, allow_url=public_only, pins=PINS) as renderer:
        shot = await renderer.screenshot(agency(site), full_page=False, check=Disallow())
    assert shot.error == "" and shot.png
    assert sorted(site.hits) == ["/", "/logo.png"]
    assert shot.refused == {"robots": 1}


async def test_redirect_hop_to_a_disallowed_path_is_refused_by_the_proxy(serve) -> None:
    """Request routing never sees redirect hops: the page's proxy asks the check."""
    require_browser()
    site = serve({
        "/": page('<script>fetch("/go").catch(() => {})</script><p>hi</p>'),
        "/go": Reply(status=302, headers={"Location": "/private/x"}),
        "/private/x": page("secret"),
    })
    async with Renderer(CONFIG, allow_url=public_only, pins=PINS) as renderer:
        rendered = await renderer.render(agency(site), check=Disallow())
    assert rendered.error == ""
    assert sorted(site.hits) == ["/", "/go"]
    assert rendered.refused == {"robots": 1}


async def test_public_page_redirecting_to_a_private_address_is_refused(serve) -> None:
    require_browser()
    site = serve({
        "/go": Reply(status=302, headers={"Location": "http://127.0.0.1:{port}/secret"}),
        "/secret": page("<p>internal</p>"),
    })
    site.routes["/go"].headers["Location"] = f"http://127.0.0.1:{site.port}/secret"
    async with Renderer(CONFIG, allow_url=public_only, pins=PINS) as renderer:
        rendered = await renderer.render(agency(site, "/go"), check=Disallow())
    assert rendered.error.startswith("blocked:"), rendered.error
    assert site.hits == ["/go"]  # the pinned host was reached; the hop was not
    assert rendered.refused == {"address": 1}


@pytest.mark.parametrize("target", ["http://127.0.0.1:{port}/secret", "http://10.0.0.7/secret",
                                    "http://169.254.169.254/latest/meta-data/"])
async def test_script_navigation_to_a_private_address_is_refused(serve, target: str) -> None:
    require_browser()
    site = serve({"/secret": page("<p>internal</p>")})
    url = target.format(port=site.port)
    site.routes["/"] = page(f'<p>hi</p><script>location = "{url}";</script>')
    async with Renderer(CONFIG, allow_url=public_only, pins=PINS) as renderer:
        rendered = await renderer.render(agency(site), check=Disallow())
    assert site.hits == ["/"]
    assert rendered.error.startswith("blocked: the page navigated to a refused URL: address:")
    assert rendered.refused.get("address", 0) >= 1, rendered
    assert any(url in line for line in rendered.refused_urls)


async def test_without_the_pin_the_name_is_not_reached(serve) -> None:
    """The pin is what takes the browser there: an unpinned .example name
    does not resolve, and nothing reaches the server."""
    require_browser()
    site = serve({"/": page("<p>hi</p>")})
    async with Renderer(CONFIG, allow_url=public_only) as renderer:
        rendered = await renderer.render(agency(site))
    assert rendered.error.startswith("blocked:") and "DNS" in rendered.error
    assert site.hits == []
