"""Deep sites: depth counted by navigation, the budget reserve for evidence
candidates, candidates' files and next pages first, and the trap caps that
still hold (issue 8, point 1).

The sites are served over loopback HTTP like the other crawler tests. The
scorer mimics the rules' levels (rules/_labels.py make_link_scorer): 1.0 for a
link whose text names an item, 0.35 for a URL that matches one, 0 otherwise.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest
from server import Reply, Seen, TestServer, html

from crawler import CrawlConfig, Crawler, Link, Page, PageKind, SiteCrawl, SiteStatus
from crawler._frontier import Candidate, Frontier, TrapLimits, _buckets, navigation_hop

pytestmark = pytest.mark.anyio

Serve = Callable[..., TestServer]
Fast = Callable[..., CrawlConfig]
PDF = {"Content-Type": "application/pdf"}


def text_pdf(*lines: str) -> bytes:
    """A one-page PDF with a text layer (ASCII, Helvetica): no browser needed."""
    ops = ["BT", "/F1 14 Tf", "72 760 Td", "18 TL"]
    for line in lines:
        safe = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        ops.append(f"({safe}) Tj T*")
    ops.append("ET")
    stream = "\n".join(ops).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
            b" /Resources << /Font << /F1 5 0 R >> >> >>"
        ),
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def scorer(link: Link) -> float:
    if "จัดซื้อจัดจ้าง" in link.text:
        return 1.0
    if "/procure" in link.url:
        return 0.35
    return 0.0


async def crawl(seed: str, config: CrawlConfig, **kwargs: Any) -> SiteCrawl:
    async with Crawler(config) as crawler:
        return await crawler.crawl(seed, **kwargs)


def by_path(site: SiteCrawl, server: TestServer) -> dict[str, Page]:
    prefix = server.url("")
    return {p.url.removeprefix(prefix) or "/": p for p in site.pages}


def skips(site: SiteCrawl, server: TestServer) -> dict[str, tuple[str, str]]:
    prefix = server.url("")
    return {s.url.removeprefix(prefix): (s.reason, s.detail) for s in site.skipped}


def page_requests(server: TestServer) -> list[str]:
    return [p for p in server.paths() if p not in ("/robots.txt", "/sitemap.xml")]


def serve_site(serve: Serve, routes: dict[str, Any]) -> TestServer:
    """Routes ending in "/" serve every path under them."""
    prefixes = {k: v for k, v in routes.items() if k.endswith("/") and k != "/"}

    def default(seen: Seen) -> Reply:
        for prefix, route in prefixes.items():
            if seen.path.startswith(prefix):
                return route(seen) if callable(route) else route
        return Reply(404, {"Content-Type": "text/html"}, b"<h1>404</h1>")

    return serve(routes, default=default)


def a(href: str, text: str) -> str:
    return f"<a href='{href}'>{text}</a>"


MENU = a("/", "หน้าแรก") + a("/news", "ข่าวประชาสัมพันธ์") + a("/contact", "ติดต่อเรา")


def calendar(seen: Seen) -> Reply:
    """Every month links to the next and previous months (and years) and to each day."""
    query = dict(p.split("=") for p in seen.path.split("?", 1)[1].split("&"))
    y, m = int(query["year"]), int(query["month"])
    links = [
        f"/calendar.php?month={m % 12 + 1}&year={y + (m == 12)}",
        f"/calendar.php?month={(m - 2) % 12 + 1}&year={y - (m == 1)}",
        f"/calendar.php?month={m}&year={y + 1}",
        f"/calendar.php?month={m}&year={y - 1}",
    ]
    links += [f"/calendar.php?day={d}&month={m}&year={y}" for d in range(1, 29)]
    return html(MENU + "".join(a(u, u) for u in links))


def deep_portal() -> dict[str, Any]:
    """A municipal portal: category › sub-category › listing › fiscal-year tab ›
    ?page=2 › ?page=3 › document page › PDF, eight clicks from the home page."""
    listing = "/list.php?cat=12"
    tabs = "".join(a(f"{listing}&year={y}", f"ปีงบประมาณ {y}") for y in (2566, 2565, 2564))
    cal = a("/calendar.php?month=1&year=2566", "ปฏิทินกิจกรรม")

    def tab(seen: Seen) -> Reply:
        query = dict(p.split("=") for p in seen.path.split("?", 1)[1].split("&"))
        if "year" not in query:
            return html(MENU + "<p>เลือกปีงบประมาณ</p>" + tabs)
        year, page = query["year"], int(query.get("page", "1"))
        entries = "".join(
            f"<li>{a(f'/view.php?id={year}{page}{i}', f'จ้างเหมาบริการ รายการที่ {page}{i}')}</li>"
            for i in range(3)
        )
        if (year, page) == ("2566", 3):
            entries += f"<li>{a('/view.php?id=501', 'สรุปผลการจัดซื้อจัดจ้าง ตุลาคม 2565')}</li>"
        more = a(f"{listing}&page={page + 1}&year={year}", "ถัดไป »") if page < 3 else ""
        return html(MENU + cal + tabs + f"<ul>{entries}</ul>" + more)

    def view(seen: Seen) -> Reply:
        doc = seen.path.split("=", 1)[1]
        return html(MENU + f"<h1>เอกสาร {doc}</h1>" + a(f"/files/{doc}.pdf", "ดาวน์โหลดเอกสาร"))

    def file(seen: Seen) -> Reply:
        doc = seen.path.rsplit("/", 1)[1].removesuffix(".pdf")
        return Reply(200, PDF, text_pdf(f"Procurement summary {doc}", "October 2565: 12 contracts"))

    return {
        "/": html(MENU + a("/cat/public", "ข้อมูลสาธารณะ") + a("/cat/gallery", "ภาพกิจกรรม")),
        "/news": html(MENU + "".join(a(f"/news/{i}", f"ข่าว {i}") for i in range(5))),
        "/contact": html(MENU + "<p>โทร 0 2000 0000</p>"),
        "/cat/gallery": html(MENU + "<p>ภาพ</p>"),
        "/cat/public": html(MENU + a("/cat/public/finance", "การเงินการคลัง")),
        "/cat/public/finance": html(
            MENU + a("/cat/public/finance/procurement", "งานพัสดุและการจัดซื้อจัดจ้าง")
        ),
        "/cat/public/finance/procurement": html(
            MENU + a(listing, "รายงานผลการจัดซื้อจัดจ้าง") + cal
        ),
        "/list.php": tab,
        "/view.php": view,
        "/files/": file,
        "/calendar.php": calendar,
        **{f"/news/{i}": html(MENU + f"<p>ข่าว {i}</p>") for i in range(5)},
    }


async def test_deep_document_is_fetched_and_read(serve: Serve, fast: Fast) -> None:
    server = serve_site(serve, deep_portal())
    config = fast(max_pages=300)
    assert config.max_depth == 6  # the default
    site = await crawl(server.url("/"), config, scorer=scorer)
    assert site.status is SiteStatus.OK
    pages = by_path(site, server)
    pdf = pages.get("/files/501.pdf")
    assert pdf is not None, skips(site, server).get("/view.php?id=501")
    assert pdf.kind is PageKind.DOCUMENT and "Procurement summary 501" in pdf.text
    # The auditor still sees every click: 8 of them, deeper than max_depth.
    assert [s.text for s in pdf.click_path] == [
        "ข้อมูลสาธารณะ",
        "การเงินการคลัง",
        "งานพัสดุและการจัดซื้อจัดจ้าง",
        "รายงานผลการจัดซื้อจัดจ้าง",
        "ปีงบประมาณ 2566",
        "ถัดไป »",
        "ถัดไป »",
        "สรุปผลการจัดซื้อจัดจ้าง ตุลาคม 2565",
        "ดาวน์โหลดเอกสาร",
    ][: len(pdf.click_path)]
    assert pdf.depth == len(pdf.click_path) >= 8
    # Every tab and page of the listing, and the file behind every entry.
    for year in (2566, 2565, 2564):
        for page in (2, 3):
            assert f"/list.php?cat=12&page={page}&year={year}" in pages
        assert f"/files/{year}32.pdf" in pages
    # The calendar is still a trap, also when linked from evidence pages.
    assert sum("calendar.php" in p for p in page_requests(server)) <= 5
    assert any(r == "trap" for r, _ in skips(site, server).values())
    assert len(site.pages) < 100  # the budget was not what ended the crawl
    assert "budget" not in {r for r, _ in skips(site, server).values()}


async def test_depth_still_bounds_plain_links(serve: Serve, fast: Fast) -> None:
    """A chain of plain links is still cut at max_depth (+ the candidates' extra
    clicks for candidates), and the skip says "depth"."""
    routes = {"/": html(a("/c/1", "หมวด 1") + a("/procure/1", "พัสดุ 1"))}
    for i in range(1, 15):
        routes[f"/c/{i}"] = html(a(f"/c/{i + 1}", f"หมวด {i + 1}"))
        routes[f"/procure/{i}"] = html(a(f"/procure/{i + 1}", f"พัสดุ {i + 1}"))
    server = serve(routes)
    site = await crawl(server.url("/"), fast(max_depth=3, candidate_extra_depth=2), scorer=scorer)
    pages = by_path(site, server)
    assert {f"/c/{i}" for i in (1, 2, 3)} <= set(pages) and "/c/4" not in pages
    assert skips(site, server)["/c/4"] == ("depth", "depth 4 > max_depth 3")
    # /procure/N are candidates by their URL (0.35): two clicks more.
    assert "/procure/5" in pages and "/procure/6" not in pages
    assert skips(site, server)["/procure/6"] == (
        "depth",
        "depth 6 > max_depth 3 + 2 for evidence candidates",
    )


# Six clicks down behind links that only their URLs make candidates (0.35): from
# the fifth on, each is less urgent than the news linked from the home page.
NOISY_CHAIN = [
    "/procure",
    *(f"/procure/{'/'.join('abcd'[:i])}" for i in range(1, 5)),
    "/procure/a/b/c/d/list",
]


def slug(i: int) -> str:
    """A news slug without digits (one URL shape each, like Thai slugs)."""
    letters = ""
    while True:
        i, r = divmod(i, 26)
        letters += "abcdefghijklmnopqrstuvwxyz"[r]
        if not i:
            return "post-" + letters


def noisy_portal(news: int) -> dict[str, Any]:
    """``news`` unscored news pages linked from the home page, and the evidence
    deep down (NOISY_CHAIN) with six PDFs."""
    chain = NOISY_CHAIN
    routes: dict[str, Any] = {
        "/": html(
            a(chain[0], "งานพัสดุ")
            + "".join(a(f"/news/{slug(i)}", f"ภาพกิจกรรม {i}") for i in range(news))
        ),
    }
    for here, there in itertools.pairwise(chain):
        routes[here] = html(a(there, "รายละเอียด"))
    routes[chain[-1]] = html(
        "".join(a(f"/procure/files/m{m}.pdf", f"ดาวน์โหลด {m}") for m in range(1, 7))
    )
    for i in range(news):
        routes[f"/news/{slug(i)}"] = html(f"<p>ข่าว {i}</p>" + a(f"/news/{slug(i)}/photos", "ภาพ"))
        routes[f"/news/{slug(i)}/photos"] = html("<p>ภาพ</p>")
    for m in range(1, 7):
        routes[f"/procure/files/m{m}.pdf"] = Reply(200, PDF, text_pdf(f"Procurement month {m}"))
    return routes


async def test_reserve_keeps_budget_for_deep_candidates(serve: Serve, fast: Fast) -> None:
    server = serve(noisy_portal(300))
    site = await crawl(server.url("/"), fast(max_pages=60), scorer=scorer)
    pages = by_path(site, server)
    docs = [p for p in site.pages if p.kind is PageKind.DOCUMENT]
    assert len(docs) == 6 and all("Procurement month" in d.text for d in docs)
    assert set(NOISY_CHAIN) <= set(pages)
    assert len(site.pages) <= 60
    news = [p for p in pages if p.startswith("/news/")]
    assert len(news) <= 60 - 12  # the last 20% were kept for candidates
    reason, detail = skips(site, server)[f"/news/{slug(299)}"]
    assert reason == "budget" and "kept for evidence candidates" in detail

    # Without the reserve the news archive takes the whole budget.
    plain = serve(noisy_portal(300))
    site = await crawl(plain.url("/"), fast(max_pages=60, candidate_reserve=0.0), scorer=scorer)
    assert not [p for p in site.pages if p.kind is PageKind.DOCUMENT]
    assert skips(site, plain)[NOISY_CHAIN[4]][0] == "budget"


async def test_no_scorer_no_reserve(serve: Serve, fast: Fast) -> None:
    server = serve(noisy_portal(50))
    site = await crawl(server.url("/"), fast(max_pages=30))
    assert len(site.pages) == 30  # no link is a candidate: nothing to keep pages for
    assert "page budget (30) reached" in site.reason


def paginated_listing(pages: int) -> dict[str, Any]:
    def listing(seen: Seen) -> Reply:
        n = int(seen.path.split("page=")[1]) if "page=" in seen.path else 1
        docs = "".join(a(f"/files/p{n}-{k}.pdf", "ดาวน์โหลด") for k in range(2))
        more = a(f"/procurement.php?page={n + 1}", "ถัดไป") if n < pages else ""
        return html(f"<h1>หน้า {n}</h1>" + docs + more)

    def file(seen: Seen) -> Reply:
        return Reply(200, PDF, text_pdf(f"file {seen.path}"))

    return {
        "/": html(
            a("/procurement.php", "ประกาศจัดซื้อจัดจ้าง")
            + "".join(a(f"/gallery/{i}", f"อัลบั้ม {i}") for i in range(150))
        ),
        "/procurement.php": listing,
        "/files/": file,
        **{f"/gallery/{i}": html("<p>ภาพ</p>") for i in range(150)},
    }


async def test_candidate_listing_is_paged_in_full_before_the_noise(
    serve: Serve, fast: Fast
) -> None:
    server = serve_site(serve, paginated_listing(15))
    site = await crawl(server.url("/"), fast(max_pages=120, per_host_concurrency=1), scorer=scorer)
    pages = by_path(site, server)
    listed = [p for p in pages if p.startswith("/procurement.php")]
    assert len(listed) == 11  # page 1 and the pagination cap (10) of ?page=N
    assert sum(p.startswith("/files/") for p in pages) == 22  # two files per page
    assert skips(site, server)["/procurement.php?page=12"][0] == "trap"
    # Next pages and files of the evidence listing come before unrelated albums
    # (every click and every look-alike URL still lowers the priority a little:
    # the last pages and their files meet the albums, and come from the reserve).
    order = page_requests(server)
    first_album = next(i for i, p in enumerate(order) if p.startswith("/gallery/"))
    early = [f"/procurement.php?page={n}" for n in range(2, 9)]
    early += [f"/files/p{n}-{k}.pdf" for n in range(1, 9) for k in range(2)]
    assert max(order.index(p) for p in early) < first_album
    assert len([p for p in pages if p.startswith("/gallery/")]) <= 120 - 24
    assert pages["/procurement.php?page=11"].depth == 11  # the clicks are all reported


# ---------------------------------------------------------------- units


@pytest.mark.parametrize(
    ("page", "link", "text", "hop"),
    [
        ("http://a/news.php", "http://a/news.php?page=2", "2", "pagination"),
        ("http://a/news.php?page=2", "http://a/news.php?page=3", "", "pagination"),
        ("http://a/news.php?cat=3&page=2", "http://a/news.php?cat=3", "1", "pagination"),
        ("http://a/blog/", "http://a/blog/page/2/", "", "pagination"),
        ("http://a/ita.php", "http://a/ita.php?year=2566", "", "year"),
        ("http://a/ita.php?fy=2566", "http://a/ita.php?fy=2565", "", "year"),
        ("http://a/l.php?page=2&year=2566", "http://a/l.php?page=2&year=2565", "", "year"),
        ("http://a/l.php?year=2566", "http://a/l.php?page=2&year=2566", "", "pagination"),
        ("http://a/ita/2565", "http://a/ita/2566", "ปีงบประมาณ 2566", "year"),
        ("http://a/ita", "http://a/ita/2566", "2566", "year"),
        ("http://a/x", "http://a/files/report.PDF", "", "document"),
        # clicks: another listing, an id that looks like a year, a relative-link loop
        ("http://a/news.php?cat=3", "http://a/news.php?cat=4&page=2", "", None),
        ("http://a/news.php", "http://a/about.php?page=2", "", None),
        ("http://a/news/2534", "http://a/news/2535", "ข่าวถัดไป", None),
        ("http://a/ita/2566", "http://a/ita/2566/2565", "2565", None),
        ("http://a/ita", "http://a/ita/o1", "O1", None),
        ("http://a/news.php?page=2", "http://a/news.php?page=2", "", None),
        ("http://a/cal.php?year=2566&month=1", "http://a/cal.php?year=2566&month=2", "", None),
    ],
)
def test_navigation_hops(page: str, link: str, text: str, hop: str | None) -> None:
    kind = "document" if link.lower().endswith(".pdf") else None
    assert navigation_hop(page, link, kind, text) == hop


def test_year_tabs_and_calendars_are_capped_apart() -> None:
    def kinds(url: str) -> set[str]:
        return {bucket.split(":", 1)[0] for bucket, _ in _buckets(url, TrapLimits())}

    assert kinds("http://a/l.php?page=2&year=2566") == {"q", "p", "y", "n"}
    assert kinds("http://a/c.php?month=5&year=2566") == {"q", "p", "c"}  # a calendar
    f = Frontier(max_depth=99, limits=TrapLimits(max_year_tabs=3, max_pagination=4))
    for year in range(2560, 2568):
        f.push(cand(f"http://a/l.php?year={year}"))
        for page in range(2, 9):
            f.push(cand(f"http://a/l.php?page={page}&year={year}"))
    fetched = []
    while (item := f.pop()[0]) is not None:
        fetched.append(item.url)
    assert sum("page" not in u for u in fetched) == 3  # year tabs: capped
    per_year = {
        y: sum(f"year={y}" in u and "page" in u for u in fetched) for y in range(2560, 2568)
    }
    # each year's listing keeps its own pagination cap; a page number's years are capped too
    assert max(per_year.values()) <= 4 and sum(per_year.values()) <= 3 * 7


def cand(url: str, score: float = 0.0, depth: int = 1) -> Candidate:
    return Candidate(url=url, depth=depth, score=score)


def test_candidates_pop_alone_and_keep_their_best_score() -> None:
    f = Frontier(max_depth=6, candidate_score=0.3)
    f.push(cand("http://a/news", 0.0, 1))
    f.push(cand("http://a/procure", 0.4, 6))
    f.push(cand("http://a/procure", 0.0, 2))  # found again through a plain link
    item, _ = f.pop(candidates_only=True)
    assert item is not None and item.url == "http://a/procure" and item.score == 0.4
    assert item.depth == 2
    assert f.pop(candidates_only=True) == (None, [])
    assert len(f) == 1  # the plain link waits (the budget decides)


def test_many_look_alike_urls_yield_to_other_candidates() -> None:
    """The 30th album of a gallery the scorer likes waits behind the first
    document of another item; nothing is refused for it."""
    f = Frontier(max_depth=6)
    for n in range(30):
        assert f.push(cand(f"http://a/gallery/album/{n}/", 1.0, 2)) is None
    f.push(cand("http://a/ita/o21.pdf", 0.855, 2))
    order = []
    while (item := f.pop()[0]) is not None:
        order.append(item.url)
    assert len(order) == 31
    assert order.index("http://a/ita/o21.pdf") == 15  # albums 0-14: 1.0 - 0.01 n > 0.855
