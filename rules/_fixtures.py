"""Example sites for rule files, and running them (``oitwatch rules test``, pytest).

Each rule file has tiny example sites beside its catalog::

    rules/catalogs/ita-2566/fixtures/o18/pass_online_form.html
    rules/catalogs/ita-2566/fixtures/o18/fail_download_forms.html

One file is one site::

    <!-- expect: partial; reason: โทรสาร; reason: no fax number -->
    <!-- page: / -->
    <html>... the home page ...</html>
    <!-- page: /contact -->
    <html>... another page ...</html>
    <!-- page: /files/report.pdf -->
    text of the PDF, as if extracted (leave it empty: the text could not be read)
    <!-- page: /broken status=404 -->
    <!-- page: /files/scan.pdf note="scanned document, text not read: Tesseract is not installed" -->

``<img>`` elements are recorded as the page's images (src, alt, the enclosing row's text);
``note="..."`` on a document says what the crawler could not read in it (as
``Page.note``).

``expect`` gives the item status (it must match the file-name prefix); every ``reason``
must occur in one of the result's reasons (Thai or English); ``evidence`` (optional)
must occur in the best evidence URL; ``agency`` (optional) is the agency name passed to
``evaluate``. Years are written relative to the catalog's fiscal year with the rule
files' placeholders (``{Y}``, ``{Y-1}``, ``{YY}``, ``{Y_th}`` …), so the same example
sites test a catalog that extends this one with another year. Links to pages that
are not in the file count as "not fetched".

The HTML reader here is NOT the crawler's parser (that lives in crawler/): it is a
deliberately small stand-in, good enough for hand-written example sites.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from crawler._models import (
    ClickStep,
    Form,
    Link,
    Page,
    PageImage,
    PageKind,
    SiteCrawl,
    SiteStatus,
)

from ._catalog import Catalog, ItemRule
from ._expand import fill_years_text
from ._result import ItemResult, ItemStatus

__all__ = [
    "BASE",
    "Expect",
    "FixtureRun",
    "fixture_files",
    "parse_fixture",
    "parse_site",
    "run_fixture",
    "run_fixtures",
]

BASE = "https://www.example.go.th"
_PAGE_MARK = re.compile(r"<!--\s*page:\s*(\S+)([^>]*?)-->")
_EXPECT = re.compile(r"<!--\s*expect:(.*?)-->", re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_DOC_EXT = {"pdf", "doc", "docx", "xls", "xlsx"}
_IMG_EXT = {"png", "jpg", "jpeg", "gif", "webp"}
_CONTEXT_TAGS = {"tr", "li", "dd", "dt", "p"}
_SKIP_INPUT_TYPES = {"hidden", "submit", "button", "image", "reset"}
STATUSES = ("pass", "partial", "fail")


@dataclass
class Expect:
    status: str
    reasons: list[str] = field(default_factory=list)
    evidence: str | None = None
    agency: str | None = None


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
    images: list[PageImage] = []
    for img in tree.css("img[src]"):
        alt = " ".join(
            filter(None, (img.attributes.get("alt") or "", img.attributes.get("title") or ""))
        )
        w, h = img.attributes.get("width") or "", img.attributes.get("height") or ""
        tiny = w.isdigit() and h.isdigit() and max(int(w), int(h)) < 32
        images.append(
            PageImage(
                url=urljoin(url, img.attributes.get("src") or ""),
                alt=alt.strip(),
                context=_context(img),
                tiny=tiny,
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
        images=images,
    )


def parse_fixture(path: Path, fiscal_year: int | None = None) -> tuple[SiteCrawl, Expect | None]:
    """Read an example-site file; ``fiscal_year`` fills the year placeholders."""
    return parse_site(path.read_text(encoding="utf-8"), fiscal_year)


def parse_site(src: str, fiscal_year: int | None = None) -> tuple[SiteCrawl, Expect | None]:
    if fiscal_year is not None:
        src = fill_years_text(src, fiscal_year)
    expect = None
    m = _EXPECT.search(src)
    if m:
        parts = [p.strip() for p in m.group(1).split(";") if p.strip()]
        expect = Expect(status=parts[0].strip())
        for p in parts[1:]:
            key, _, value = p.partition(":")
            key = key.strip()
            if key == "reason":
                expect.reasons.append(value.strip())
            elif key == "evidence":
                expect.evidence = value.strip()
            elif key == "agency":
                expect.agency = value.strip()
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
        nm = re.search(r'note="([^"]*)"', opts)
        note = nm.group(1) if nm else ""
        path = urlsplit(url).path
        ext = path.rsplit(".", 1)[-1].lower() if "." in path.rsplit("/", 1)[-1] else ""
        if ext in _DOC_EXT or ext in _IMG_EXT:
            text = " ".join(_COMMENT.sub(" ", body).split()) if ext in _DOC_EXT else ""
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
                text=text,
                note=note,
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


# --- running them -----------------------------------------------------------------------------


def fixture_files(rule: ItemRule) -> list[Path]:
    """The example sites of one item's rule file."""
    folder = rule.fixtures_dir
    if folder is None or not folder.is_dir():
        return []
    return sorted(folder.glob("*.html"))


@dataclass
class FixtureRun:
    """One example site run against one item of a catalog."""

    catalog_id: str
    code: str
    path: Path
    expect: Expect | None
    result: ItemResult | None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def name(self) -> str:
        return f"{self.catalog_id}/{self.code}/{self.path.name}"

    def explain(self) -> str:
        r = self.result
        if r is None:
            return ""
        lines = [f"got {r.status.value}:"]
        lines += [f"  {x.th} | {x.en}" for x in r.reasons]
        lines += [
            f"  evidence: {e.kind} {e.url} {e.click_path} meets={e.meets_requirements} {e.matched}"
            for e in r.evidence
        ]
        return "\n".join(lines)


def run_fixture(catalog: Catalog, rule: ItemRule, path: Path) -> FixtureRun:
    """Run one example site; ``problems`` lists every expectation that is not met."""
    from ._engine import evaluate

    crawl, expect = parse_fixture(path, catalog.fiscal_year)
    run = FixtureRun(catalog.id, rule.code, path, expect, None)
    if expect is None:
        run.problems.append("no <!-- expect: ... --> comment")
        return run
    prefix = path.name.split("_", 1)[0]
    if prefix not in STATUSES:
        run.problems.append(f"file name should start with pass_, partial_ or fail_ (got {prefix}_)")
    elif prefix != expect.status:
        run.problems.append(f"file name says {prefix}, expect says {expect.status}")
    results = evaluate(catalog, crawl, expect.agency, only=[rule.code])
    if not results:
        run.problems.append(f"{rule.code} was not judged")
        return run
    r = results[0]
    run.result = r
    try:
        want = ItemStatus(expect.status)
    except ValueError:
        run.problems.append(f"unknown status {expect.status!r}")
        return run
    if r.status != want:
        run.problems.append(f"expected {want.value}, got {r.status.value}")
    reasons = [f"{x.th} | {x.en}" for x in r.reasons]
    for text in expect.reasons:
        if not any(text in x for x in reasons):
            run.problems.append(f"no reason contains {text!r}")
    if expect.evidence and not (r.evidence and expect.evidence in r.evidence[0].url):
        run.problems.append(f"best evidence URL does not contain {expect.evidence!r}")
    # invariants of every result
    if len(r.evidence) > 5:
        run.problems.append("more than 5 pieces of evidence")
    good = [e.meets_requirements for e in r.evidence]
    if good != sorted(good, reverse=True):
        run.problems.append("passing evidence must come first")
    for e in r.evidence:
        if not e.click_path or e.click_path[0] != "หน้าแรก":
            run.problems.append("a click path must start at หน้าแรก")
        if len(e.click_path) != len(e.click_path_urls):
            run.problems.append("click path labels and URLs differ in length")
    if r.status == ItemStatus.PASS and not (r.evidence and r.evidence[0].meets_requirements):
        run.problems.append("a pass needs passing evidence first")
    if r.status != ItemStatus.PASS and any(good):
        run.problems.append("only a pass may have evidence that meets the requirements")
    return run


def run_fixtures(catalog: Catalog, codes: list[str] | None = None) -> list[FixtureRun]:
    """Run the example sites of every judged item of ``catalog`` (or of ``codes``)."""
    wanted = {c.upper() for c in codes} if codes else None
    runs: list[FixtureRun] = []
    for rule in catalog.items:
        if not rule.implemented or (wanted is not None and rule.code not in wanted):
            continue
        for path in fixture_files(rule):
            runs.append(run_fixture(catalog, rule, path))
    return runs
