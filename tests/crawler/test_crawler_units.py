"""Unit tests of the small crawler modules: robots, frontier, SSRF address
policy, Retry-After, bounded decoding, sitemaps, click paths."""

from __future__ import annotations

import gzip
import zlib
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from crawler import ClickStep, Link, Page, PageKind
from crawler._fetch import _Decoder, parse_retry_after
from crawler._frontier import Candidate, Frontier, TrapLimits, _buckets, trap_shape
from crawler._net import HostResolver, forbidden_reason
from crawler._paths import LinkGraph, label
from crawler._robots import RobotsRules
from crawler._sitemap import parse_sitemap

# ------------------------------------------------------------------ robots


def test_robots_group_for_our_token() -> None:
    rules = RobotsRules.parse(
        b"User-agent: *\nDisallow: /\n\nUser-agent: oitwatch\nDisallow: /private\nCrawl-delay: 3\n"
        b"Sitemap: http://a.go.th/sm.xml\n"
    )
    assert rules.allows("http://a.go.th/public")
    assert not rules.allows("http://a.go.th/private/x")
    assert rules.crawl_delay == 3.0
    assert rules.sitemaps == ["http://a.go.th/sm.xml"]


def test_robots_star_group_applies_otherwise() -> None:
    rules = RobotsRules.parse(b"User-agent: *\nDisallow: /admin\n")
    assert not rules.allows("http://a.go.th/admin/")
    assert rules.allows("http://a.go.th/")


def test_robots_unavailable_and_unreachable() -> None:
    assert RobotsRules.unavailable().allows("http://a.go.th/x")
    assert not RobotsRules.unreachable("HTTP 503").allows("http://a.go.th/")


def test_robots_garbage_allows() -> None:
    assert RobotsRules.parse(b"\x00\xff<html>not robots</html>").allows("http://a.go.th/")


# ---------------------------------------------------------------- frontier


def cand(url: str, depth: int = 1, score: float = 0.0) -> Candidate:
    return Candidate(url=url, depth=depth, score=score)


def drain(frontier: Frontier) -> list[str]:
    out: list[str] = []
    while True:
        item, _ = frontier.pop()
        if item is None:
            return out
        out.append(item.url)


def test_frontier_best_first_then_shallow_then_fifo() -> None:
    f = Frontier(max_depth=6)
    f.push(cand("http://a/1", 1))
    f.push(cand("http://a/2", 2))
    f.push(cand("http://a/3", 1))
    f.push(cand("http://a/ita", 3, score=1.0))
    assert drain(f) == ["http://a/ita", "http://a/1", "http://a/3", "http://a/2"]


def test_frontier_requeues_a_better_link_and_dedups() -> None:
    f = Frontier(max_depth=6)
    f.push(cand("http://a/x", 1))
    f.push(cand("http://a/y", 1))
    f.push(cand("https://a/y", 1, score=0.5))  # same page (scheme ignored), better label
    assert drain(f) == ["https://a/y", "http://a/x"]
    assert f.push(cand("http://a/x")) is None and drain(f) == []  # done stays done


def test_frontier_depth_limit() -> None:
    f = Frontier(max_depth=2)
    assert f.push(cand("http://a/deep", 3)) == ("depth", "depth 3 > max_depth 2")


@pytest.mark.parametrize(
    "url",
    [
        "http://a/x/y/x/y/x/y/x",
        "http://a/" + "/".join(f"s{i}" for i in range(20)),
        "http://a/" + "x" * 1200,
    ],
)
def test_trap_shapes(url: str) -> None:
    assert trap_shape(url, TrapLimits()) is not None


def test_normal_shapes_are_not_traps() -> None:
    limits = TrapLimits()
    for url in [
        "http://a/public/list/data/index/menu/1234",
        "http://a/2023/05/news-title/",
        "http://a/index.php?page_id=12",
        "http://a/a/b/a",
    ]:
        assert trap_shape(url, limits) is None


def test_calendar_and_pagination_are_capped() -> None:
    limits = TrapLimits(max_calendar=3, max_pagination=4)
    f = Frontier(max_depth=99, limits=limits)
    for month in range(1, 13):
        f.push(cand(f"http://a/calendar.php?month={month}&year=2566"))
    for day in range(1, 20):
        f.push(cand(f"http://a/events/calendar/2566/{day}"))
    for page in range(1, 30):
        f.push(cand(f"http://a/news.php?page={page}"))
    for page_id in range(1, 26):
        f.push(cand(f"http://a/index.php?page_id={page_id}"))
    fetched = drain(f)
    assert sum("calendar.php" in u for u in fetched) == 3
    assert sum("/events/calendar/" in u for u in fetched) == 3
    assert sum("news.php" in u for u in fetched) == 4
    assert sum("page_id" in u for u in fetched) == 25  # WordPress pages are not a trap


@pytest.mark.parametrize(
    ("url", "kinds"),
    [
        ("http://a/index.php?id=123456", {"q", "p"}),  # an id, not a date
        ("http://a/public/list/data/index/menu/1234", set()),
        ("http://a/x?from=2024-05-01", {"q", "p", "c"}),
        ("http://a/calendar/2567/5/", {"c"}),
        ("http://a/ita.php?year=2566", {"q", "p", "y"}),  # a fiscal-year tab, not a calendar
        ("http://a/x?m=202305", {"q", "p", "c"}),
        ("http://a/blog/page/3/", {"n"}),
        ("http://a/news.php?page=2", {"q", "p", "n"}),
    ],
)
def test_bucket_kinds(url: str, kinds: set[str]) -> None:
    assert {bucket.split(":", 1)[0] for bucket, _ in _buckets(url, TrapLimits())} == kinds


def test_random_query_strings_are_capped() -> None:
    f = Frontier(max_depth=99, limits=TrapLimits(max_query_variants=5, max_path_variants=8))
    for i in range(50):
        f.push(cand(f"http://a/list.php?r={i * 7919 % 1000:x}z"))
        f.push(cand(f"http://a/list.php?k{i}=1"))
    assert len(drain(f)) == 8


def test_capped_bucket_keeps_the_best() -> None:
    f = Frontier(max_depth=99, limits=TrapLimits(max_calendar=2))
    for month in range(1, 10):
        f.push(cand(f"http://a/cal.php?month={month}", score=1.0 if month == 9 else 0.0))
    assert drain(f)[0] == "http://a/cal.php?month=9"


def test_full_bucket_refuses_pushes() -> None:
    f = Frontier(max_depth=99, limits=TrapLimits(max_calendar=1, waiting_factor=2))
    results = [f.push(cand(f"http://a/c?date=2024-01-{d:02}")) for d in range(1, 6)]
    assert results[:2] == [None, None]
    assert all(r is not None and r[0] == "trap" for r in results[2:])


# ------------------------------------------------------------------- SSRF


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("169.254.169.254", "link-local"),
        ("0.0.0.0", "unspecified"),
        ("224.0.0.1", "multicast"),
        ("100.64.0.1", "non-global"),  # carrier-grade NAT
        ("240.0.0.1", "*"),  # reserved; Python versions differ on the name
        ("::1", "loopback"),
        ("fe80::1", "link-local"),
        ("fc00::1", "private"),
        ("::ffff:127.0.0.1", "loopback"),  # IPv4-mapped
        ("::ffff:169.254.169.254", "link-local"),
        ("64:ff9b::a00:1", "private"),  # NAT64 of 10.0.0.1
        ("2002:7f00:1::", "loopback"),  # 6to4 of 127.0.0.1
        ("not an ip", "invalid"),
    ],
)
def test_forbidden_addresses(address: str, reason: str) -> None:
    found = forbidden_reason(address)
    assert found is not None and (reason == "*" or found == reason)


@pytest.mark.parametrize("address", ["203.150.1.1", "8.8.8.8", "2001:4860:4860::8888"])
def test_public_addresses(address: str) -> None:
    assert forbidden_reason(address) is None


@pytest.mark.anyio
async def test_resolver_pins_literals_and_ipv4_first() -> None:
    async def fake(host: str) -> list[str]:
        return ["2001:db8::1", "203.0.113.5", "203.0.113.5"]

    resolver = HostResolver(fake, {"Agency.Example.go.th": "127.0.0.1"})
    assert await resolver.resolve("agency.example.go.th") == ["127.0.0.1"]
    assert resolver.pinned("agency.example.go.th.")
    assert await resolver.resolve("10.0.0.1") == ["10.0.0.1"]
    assert await resolver.resolve("other.go.th") == ["203.0.113.5", "2001:db8::1"]


# ------------------------------------------------------------ Retry-After


def test_retry_after() -> None:
    now = datetime(2024, 1, 1, tzinfo=UTC)
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after(format_datetime(now + timedelta(seconds=30), usegmt=True), now) == 30.0
    assert parse_retry_after(format_datetime(now - timedelta(seconds=30), usegmt=True), now) == 0.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


# -------------------------------------------------------- bounded decoding


def test_decoder_bounds_a_gzip_bomb() -> None:
    bomb = gzip.compress(b"\0" * 20_000_000)
    decoder = _Decoder("gzip")
    out = decoder.feed(bomb, 1000)
    assert len(out) == 1000


def test_decoder_formats() -> None:
    data = b"<p>hello</p>" * 100
    assert _Decoder("gzip").feed(gzip.compress(data), 10**6) == data
    assert _Decoder("deflate").feed(zlib.compress(data), 10**6) == data
    raw = zlib.compressobj(wbits=-15)
    assert _Decoder("deflate").feed(raw.compress(data) + raw.flush(), 10**6) == data
    assert _Decoder("gzip").feed(data, 10**6) == data  # mislabelled, not compressed
    assert _Decoder("").feed(data, 5) == data[:5]
    two_members = gzip.compress(b"a" * 10) + gzip.compress(b"b" * 10)
    assert _Decoder("gzip").feed(two_members, 100) == b"a" * 10 + b"b" * 10


# ---------------------------------------------------------------- sitemaps


def test_sitemap_urlset_and_index() -> None:
    body = (
        b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<url><loc> http://a.go.th/x?a=1&amp;b=2 </loc></url>"
        b"<url><loc><![CDATA[http://a.go.th/y]]></loc></url></urlset>"
    )
    assert parse_sitemap(body, 10**6, 100) == (
        False,
        ["http://a.go.th/x?a=1&b=2", "http://a.go.th/y"],
    )
    index = b"<sitemapindex><sitemap><loc>http://a.go.th/s1.xml</loc></sitemap></sitemapindex>"
    assert parse_sitemap(gzip.compress(index), 10**6, 100) == (True, ["http://a.go.th/s1.xml"])


def test_sitemap_limits_and_text_format() -> None:
    body = (
        b"<urlset>"
        + b"".join(b"<url><loc>http://a/%d</loc></url>" % i for i in range(50))
        + b"</urlset>"
    )
    assert len(parse_sitemap(body, 10**6, 7)[1]) == 7
    assert parse_sitemap(b"http://a/1\nhttp://a/2\nnot a url\n", 10**6, 10)[1] == [
        "http://a/1",
        "http://a/2",
    ]


# ------------------------------------------------------------- click paths


def link(
    src: str, dst: str, text: str = "", title: str = "", context: str = "", tag: str = "a"
) -> Link:
    return Link(url=dst, text=text, title=title, context=context, tag=tag, source_url=src)


def test_label_fallbacks() -> None:
    assert label(link("s", "u", text="t", title="x")) == "t"
    assert label(link("s", "u", title="PDF")) == "PDF"
    assert label(link("s", "u", context="O1 โครงสร้าง")) == "O1 โครงสร้าง"
    assert label(link("s", "u", tag="meta-refresh")) == "(meta refresh)"
    assert label(link("s", "http://a/u")) == "http://a/u"


def test_shortest_paths_redirect_alias_and_sitemap() -> None:
    g = LinkGraph()
    g.add_page(
        "a/", [link("http://a/", "http://a/long1", "L1"), link("http://a/", "http://a/menu", "เมนู")]
    )
    g.add_page("a/long1", [link("http://a/long1", "http://a/target", "far")])
    # /menu redirected to /menu/; links to either reach the same page
    g.add_page(
        "a/menu",
        [
            link("http://a/menu/", "http://a/target", "ITA"),
            link("http://a/menu/", "https://fb.com/x", "Facebook"),
        ],
        also=["http://a/menu/"],
    )
    g.add_page("a/orphan", [link("http://a/orphan", "http://a/child", "child")])
    paths, via = g.shortest_paths("a/", ["http://a/orphan", "http://a/target"])
    assert paths["a/"] == []
    assert [s.text for s in paths["a/target"]] == ["L1", "far"]  # first found among equals
    assert paths["a/orphan"] == [ClickStep("http://a/orphan", "(sitemap)")]
    assert [s.text for s in paths["a/child"]] == ["(sitemap)", "child"]
    assert [s.text for s in paths["fb.com/x"]] == ["เมนู", "Facebook"]
    assert via["fb.com/x"].text == "Facebook"
    assert g.node("http://a/menu/") == "a/menu"


def test_frames_and_refreshes_cost_no_click() -> None:
    g = LinkGraph()
    g.add_page(
        "a/",
        [
            link("http://a/", "http://a/far", "far"),
            link("http://a/", "http://a/main", tag="meta-refresh"),
        ],
    )
    g.add_page("a/far", [link("http://a/far", "http://a/x", "x (far)")])
    g.add_page("a/main", [link("http://a/main", "http://a/menu", tag="frame")])
    g.add_page("a/menu", [link("http://a/menu", "http://a/x", "x")])
    paths, _ = g.shortest_paths("a/")
    assert paths["a/menu"] == []
    assert [s.text for s in paths["a/x"]] == ["x"]  # 1 click, not 2 through "far"


def test_hub_score() -> None:
    from crawler._hub import hub_score

    def page(url: str, title: str = "", text: str = "") -> Page:
        return Page(
            url=url,
            final_url=url,
            kind=PageKind.PAGE,
            status=200,
            content_type="text/html",
            size=0,
            sha256="",
            fetched_at=None,
            depth=0,
            title=title,
            text=text,
        )

    assert hub_score(page("http://a.go.th/news/1", "ข่าว")) == 0
    assert hub_score(page("http://a.go.th/news/1", "ITA 2566")) == 2
    assert hub_score(page("http://a.go.th/Pages/ita_year_detail/2566")) == 1
    assert (
        hub_score(
            page(
                "http://a.go.th/?page_id=12",
                "การเปิดเผยข้อมูลสาธารณะ",
                "O1 โครงสร้าง O๒ ผู้บริหาร ๐๓ อำนาจ o4 แผน 0๕ ติดต่อ",
            )
        )
        == 3
    )
    assert hub_score(page("http://a.go.th/italy", "Citadel")) == 0
    phones = "โทร ๐๘๑-๒๓๔-๕๖๗๘ ๐๘๔-๑๑๑-๒๒๒๒ ๐๘๗-๐๐๐-๐๐๐๐ ๐๘๙ ๐๓-๒๒๒ 02-123-4567 พ.ศ. ๒๕๐๐"
    assert hub_score(page("http://a.go.th/executive.html", "คณะผู้บริหาร", phones)) == 0
