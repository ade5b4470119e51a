"""Test-only: turn a fixture file into a SiteCrawl without the network.

NOT the crawler's parser (that lives in crawler/ and is tested there). This is a
deliberately small stand-in, good enough for the hand-written fixtures in
tests/rules/<catalog>/<item>/.

Fixture format — one file is one tiny site::

    <!-- expect: partial; reason: โทรสาร; reason: fax -->
    <!-- page: / -->
    <html>... the home page ...</html>
    <!-- page: /contact -->
    <html>... another page ...</html>
    <!-- page: /forms/a.pdf -->            (a document: fetched, not parsed)
    <!-- page: /broken status=404 -->

``expect`` gives the item status; every ``reason`` must be a substring of one of
the result's reasons (Thai or English); ``evidence`` (optional) must be a
substring of the best evidence URL. A file without ``page:`` markers is the home
page alone. Links to URLs that are not in the file are "not fetched".
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from selectolax.lexbor import LexborHTMLParser, LexborNode

from crawler._models import ClickStep, Form, Link, Page, PageKind, SiteCrawl, SiteStatus

BASE = "https://www.example.go.th"
_PAGE_MARK = re.compile(r"<!--\s*page:\s*(\S+)([^>]*?)-->")
_EXPECT = re.compile(r"<!--\s*expect:(.*?)-->", re.DOTALL)
_DOC_EXT = {"pdf", "doc", "docx", "xls", "xlsx"}
_IMG_EXT = {"png", "jpg", "jpeg", "gif", "webp"}
_CONTEXT_TAGS = {"tr", "li", "dd", "dt", "p"}
_SKIP_INPUT_TYPES = {"hidden", "submit", "button", "image", "reset"}


@dataclass
class Expect:
    status: str
    reasons: list[str] = field(default_factory=list)
    evidence: str | None = None


def _text(node: LexborNode | None) -> str:
    if node is None:
        return ""
    return " ".join(node.text(deep=True, separator=" ").split())


def _context(node: LexborNode) -> str:
    p = node.parent
    while p is not None and p.tag not in ("body", "html"):
        if p.tag in _CONTEXT_TAGS:
            return _text(p)
        p = p.parent
    return _text(node.parent)


def _link_title(node: LexborNode) -> str:
    parts = [node.attributes.get("title") or "", node.attributes.get("aria-label") or ""]
    for img in node.css("img"):
        parts += [img.attributes.get("alt") or "", img.attributes.get("title") or ""]
    return " ".join(p for p in parts if p).strip()


def _is_site(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    return host == "www.example.go.th" or host.endswith(".example.go.th")


def parse_html(url: str, html: str) -> Page:
    tree = LexborHTMLParser(html)
    title = _text(tree.css_first("title"))
    links: list[Link] = []
    for node in tree.css("a[href], area[href], iframe[src], frame[src]"):
        raw = node.attributes.get("href") or node.attributes.get("src") or ""
        if raw.startswith(("javascript:", "mailto:", "tel:")) or not raw:
            continue
        links.append(
            Link(
                url=urljoin(url, raw).split("#", 1)[0],  # like the crawler: no fragments
                text=_text(node),
                title=_link_title(node),
                context=_context(node),
                tag=node.tag or "a",
                source_url=url,
            )
        )
    forms: list[Form] = []
    for f in tree.css("form"):
        names: list[str] = []
        has_file = False
        for inp in f.css("input, select, textarea"):
            typ = (inp.attributes.get("type") or "text").lower()
            if inp.tag == "input" and typ in _SKIP_INPUT_TYPES:
                continue
            if typ == "file":
                has_file = True
            names.append(inp.attributes.get("name") or inp.attributes.get("id") or typ)
        action = f.attributes.get("action") or ""
        forms.append(
            Form(
                action=urljoin(url, action) if action else "",
                method=(f.attributes.get("method") or "get").lower(),
                field_names=tuple(names),
                has_textarea=f.css_first("textarea") is not None,
                has_file_upload=has_file,
            )
        )
    headings = [_text(h) for h in tree.css("h1, h2, h3, h4, h5, h6")]
    for junk in tree.css("script, style"):
        junk.decompose()
    text = _text(tree.body)
    return Page(
        url=url,
        final_url=url,
        kind=PageKind.PAGE,
        status=200,
        content_type="text/html",
        size=len(html.encode()),
        sha256=f"sha-{abs(hash(url)):x}",
        fetched_at=datetime.now(UTC),
        depth=0,
        title=title,
        text=text,
        headings=headings,
        links=links,
        forms=forms,
    )


def parse_fixture(path: Path) -> tuple[SiteCrawl, Expect | None]:
    return parse_site(path.read_text(encoding="utf-8"))


def parse_site(src: str) -> tuple[SiteCrawl, Expect | None]:
    expect = None
    m = _EXPECT.search(src)
    if m:
        parts = [p.strip() for p in m.group(1).split(";") if p.strip()]
        expect = Expect(status=parts[0].strip())
        for p in parts[1:]:
            key, _, value = p.partition(":")
            if key.strip() == "reason":
                expect.reasons.append(value.strip())
            elif key.strip() == "evidence":
                expect.evidence = value.strip()
    marks = list(_PAGE_MARK.finditer(src))
    chunks: list[tuple[str, str, str]] = []
    if not marks:
        chunks.append(("/", "", src))
    for i, mk in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(src)
        chunks.append((mk.group(1), mk.group(2), src[mk.end() : end]))

    pages: dict[str, Page] = {}
    for rel, opts, body in chunks:
        url = urljoin(BASE + "/", rel)
        status = 200
        sm = re.search(r"status=(\d+)", opts)
        if sm:
            status = int(sm.group(1))
        ext = urlsplit(url).path.rsplit(".", 1)[-1].lower() if "." in urlsplit(url).path else ""
        if ext in _DOC_EXT or ext in _IMG_EXT:
            page = Page(
                url=url,
                final_url=url,
                kind=PageKind.DOCUMENT if ext in _DOC_EXT else PageKind.IMAGE,
                status=status,
                content_type="application/pdf" if ext == "pdf" else "application/octet-stream",
                size=len(body),
                sha256=f"sha-{abs(hash(url)):x}",
                fetched_at=datetime.now(UTC),
                depth=0,
            )
        else:
            page = parse_html(url, body)
            page.status = status
        pages[url] = page

    # click paths: breadth-first from the home page over the fixture's own pages
    home = urljoin(BASE + "/", "/")
    paths: dict[str, list[ClickStep]] = {home: []}
    queue = deque([home])
    while queue:
        u = queue.popleft()
        page = pages.get(u)
        if page is None or page.kind != PageKind.PAGE:
            continue
        for link in page.links:
            target = link.url.split("#", 1)[0]
            if target in pages and target not in paths:
                paths[target] = [*paths[u], ClickStep(target, link.text or link.title)]
                queue.append(target)
    for u, page in pages.items():
        page.click_path = paths.get(u, [])
        page.depth = len(page.click_path)

    external: list[tuple[Link, list[ClickStep]]] = []
    for u, page in pages.items():
        for link in page.links:
            if not _is_site(link.url):
                external.append(
                    (link, [*page.click_path, ClickStep(link.url, link.text or link.title)])
                )

    now = datetime.now(UTC)
    crawl = SiteCrawl(
        seed_url=home,
        final_url=home,
        status=SiteStatus.OK,
        reason=f"{len(pages)} pages (fixture)",
        started_at=now,
        finished_at=now,
        pages=list(pages.values()),
        external_links=external,
    )
    return crawl, expect


@pytest.fixture
def site_from_html():
    """``site_from_html({"/": "<html>…", "/contact": "…"})`` → SiteCrawl (test-only builder)."""

    def build(pages: dict[str, str] | str) -> SiteCrawl:
        if isinstance(pages, str):
            pages = {"/": pages}
        src = "".join(f"<!-- page: {u} -->\n{html}\n" for u, html in pages.items())
        return parse_site(src)[0]

    return build


@pytest.fixture
def load_fixture():
    """``load_fixture(path)`` → (SiteCrawl, Expect) for a fixture file."""
    return parse_fixture
