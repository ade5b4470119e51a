"""A read-only index over one SiteCrawl, built once per ``evaluate`` call,
and the Candidate type that checks look at.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from urllib.parse import parse_qsl, urlsplit, urlunsplit

from crawler._models import ClickStep, Link, Page, PageKind, SiteCrawl, Skip
from extract.legacy import looks_undecodable

from ._agency import AgencyName
from ._match import url_for_matching
from ._normalize import normalize_th

__all__ = ["Candidate", "LinkSeen", "SiteIndex", "kind_from_url", "strip_fragment"]

DOCUMENT_EXTENSIONS = frozenset(
    [
        "pdf",
        "doc",
        "docx",
        "xls",
        "xlsx",
        "ppt",
        "pptx",
        "pps",
        "ppsx",
        "odt",
        "ods",
        "odp",
        "rtf",
        "zip",
        "rar",
        "7z",
        "csv",
    ]
)
IMAGE_EXTENSIONS = frozenset(["jpg", "jpeg", "png", "gif", "webp", "bmp", "svg", "tif", "tiff"])

# A collection (a listing and its ?page=N continuations, the documents it links to) is
# judged as a whole, within these bounds: a listing rarely runs past a dozen pages, and
# the first part of a document says what it is.
MAX_COLLECTION_PAGES = 12
MAX_COLLECTION_DOCUMENTS = 12
MAX_MEMBER_CHARS = 40_000
MAX_COLLECTION_CHARS = 200_000  # the members' text judged at most, all together
# query parameters that number the pages of one listing ("?page=2", "?start=20")
PAGE_PARAMS = frozenset(
    [
        "page", "p", "pg", "paged", "pageno", "page_no", "pagenum", "pagenumber",
        "currentpage", "cpage", "start", "offset", "limitstart", "pageindex", "page_num",
    ]
)
_PAGE_IN_PATH = re.compile(r"/(?:page|p)[/-]?(\d{1,4})/?$")

_TEMPLATE_MIN_PAGES = 4  # below this, nothing is treated as site template
_TEMPLATE_SHARE = 0.6  # a heading/link on >= 60% of pages is part of the template
# Runs of this many words of a page's text that recur on most pages (footers such as
# "สงวนลิขสิทธิ์ พ.ศ. ๒๕๖๖", headers, side boxes) are template text: three words are rare
# enough by chance and short enough to cover a one-line footer.
_TEMPLATE_RUN = 3


def strip_fragment(url: str) -> str:
    if "#" not in url:
        return url
    parts = urlsplit(url)
    return urlunsplit(parts._replace(fragment="")) if parts.fragment else url


def _host(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def _ext(url: str) -> str:
    path = urlsplit(url).path.lower()
    last = path.rsplit("/", 1)[-1]
    return last.rsplit(".", 1)[-1] if "." in last else ""


def loose_key(url: str) -> str:
    """A URL with the differences that never change the page left out: scheme,
    "www.", a trailing slash, the fragment (http://www.x.go.th/a/ = https://x.go.th/a)."""
    parts = urlsplit(strip_fragment(url))
    host = (parts.hostname or "").lower().removeprefix("www.")
    if parts.port:
        host += f":{parts.port}"
    path = parts.path.rstrip("/")
    return f"{host}{path}" + (f"?{parts.query}" if parts.query else "")


def listing_key(url: str) -> tuple[str, int | None]:
    """(the listing a URL shows, its page number or None): ``/news?cat=3&page=2`` is
    page 2 of listing ``/news?cat=3``; ``/news/page/2`` page 2 of ``/news``. Other
    query parameters (a fiscal-year tab ``?year=2566``) make another listing."""
    parts = urlsplit(strip_fragment(url))
    host = (parts.hostname or "").lower().removeprefix("www.")
    number: int | None = None
    rest: list[tuple[str, str]] = []
    for k, v in parse_qsl(parts.query, keep_blank_values=True):
        if k.lower() in PAGE_PARAMS and v.isdigit():
            number = int(v)
        else:
            rest.append((k, v))
    path = parts.path
    m = _PAGE_IN_PATH.search(path)
    if m and number is None:
        number = int(m.group(1))
        path = path[: m.start()]
    key = f"{host}{path.rstrip('/')}?" + "&".join(f"{k}={v}" for k, v in sorted(rest))
    return key, number


def kind_from_url(url: str) -> str:
    """page / document / image, from the URL's extension alone."""
    ext = _ext(url)
    if ext in DOCUMENT_EXTENSIONS:
        return "document"
    if ext in IMAGE_EXTENSIONS:
        return "image"
    return "page"


@dataclass(slots=True)
class LinkSeen:
    """One distinct link (url, text, title, context) and the shortest way to reach it."""

    link: Link
    path: list[ClickStep]  # click path to the page the link is on ([] = home page)
    n_text: str  # normalised text
    n_title: str
    n_context: str
    n_url: str  # URL with percent-escapes decoded, for URL regexes
    external: bool = False  # off-site
    generic: bool | None = None  # text and title say nothing (set by the engine per catalog)
    self_link: bool = False  # points to the page it is on


class SiteIndex:
    """Lookups over a SiteCrawl that every item needs."""

    def __init__(self, crawl: SiteCrawl) -> None:
        self.crawl = crawl
        self.home_url = crawl.final_url or crawl.seed_url
        self.hosts = {h for h in (_host(crawl.seed_url), _host(crawl.final_url)) if h}
        self._pages: dict[str, Page] = {}
        self._loose: dict[str, Page] = {}  # the same target under another spelling
        for p in crawl.pages:
            for u in (p.url, p.final_url):
                if u:
                    self._pages.setdefault(strip_fragment(u), p)
                    self._loose.setdefault(loose_key(u), p)
        self._skips: dict[str, Skip] = {}
        for skip in crawl.skipped:
            self._skips.setdefault(loose_key(skip.url), skip)
        self.external_urls = {strip_fragment(link.url) for link, _ in crawl.external_links}
        self.html_pages = [p for p in crawl.pages if p.kind == PageKind.PAGE and self.fetched_ok(p)]
        self._norm_cache: dict[str, str] = {}
        self.generic_texts: tuple[str, ...] = ()  # the catalog's generic link texts
        self._content_cache: dict[int, str] = {}
        self._main_cache: dict[int, str] = {}
        self._readable_cache: dict[int, bool] = {}
        self._pagination_cache: dict[int, list[Page]] = {}
        self._documents_cache: dict[tuple[int, ...], list[Page]] = {}
        self.agency_cache: dict[int, list[AgencyName]] = {}  # id(page) -> names in its text
        self.hub_pages: dict[str, str] = {}  # URL of an ITA hub page -> its title (set by the engine)
        self.hub_years: dict[str, set[int]] = {}  # URL of a hub page -> years in its title/headings

        n = len(self.html_pages)
        heading_counts: Counter[str] = Counter()
        link_counts: Counter[str] = Counter()
        for p in self.html_pages:
            heading_counts.update({self.norm(h) for h in p.headings})
            link_counts.update({strip_fragment(link.url) for link in p.links})
        if n >= _TEMPLATE_MIN_PAGES:
            cut = _TEMPLATE_SHARE * n
            self.template_headings = {h for h, c in heading_counts.items() if c >= cut}
            self.template_links = {u for u, c in link_counts.items() if c >= cut}
        else:
            self.template_headings = set()
            self.template_links = set()
        # the visible text of template links (menus, footers), longest first
        texts = {
            self.norm(link.text)
            for p in self.html_pages
            for link in p.links
            if strip_fragment(link.url) in self.template_links
        }
        self.template_texts = sorted((t for t in texts if len(t) >= 3), key=len, reverse=True)
        self._template_runs: set[str] | None = None  # computed on first use (main_text)

        self.links: list[LinkSeen] = []
        seen: dict[tuple[str, str, str, str, bool], LinkSeen] = {}
        for p in self.html_pages:
            for link in p.links:
                self._add_link(seen, link, list(p.click_path))
        for link, path in self.crawl.external_links:
            # the stored path ends with the link itself
            steps = list(path[:-1]) if path and path[-1].url == link.url else list(path)
            self._add_link(seen, link, steps)

    def _add_link(
        self,
        seen: dict[tuple[str, str, str, str, bool], LinkSeen],
        link: Link,
        path: list[ClickStep],
    ) -> None:
        url = strip_fragment(link.url)
        # a link to the page it is on ("#") is kept apart from the same link elsewhere
        self_link = url == strip_fragment(link.source_url)
        key = (url, link.text, link.title, link.context, self_link)
        old = seen.get(key)
        if old is not None:
            if len(path) < len(old.path):
                old.path = path
            return
        item = LinkSeen(
            link=link,
            path=path,
            n_text=self.norm(link.text),
            n_title=self.norm(link.title),
            n_context=self.norm(link.context),
            n_url=url_for_matching(link.url),
        )
        seen[key] = item
        item.external = self.is_external(link.url)
        item.self_link = self_link
        self.links.append(item)

    # --- lookups -------------------------------------------------------------------------

    def norm(self, s: str) -> str:
        out = self._norm_cache.get(s)
        if out is None:
            out = normalize_th(s)
            if len(s) < 2000:
                self._norm_cache[s] = out
        return out

    @staticmethod
    def fetched_ok(page: Page) -> bool:
        return 200 <= page.status < 400

    def page_for(self, url: str) -> Page | None:
        """The fetched page of ``url``, also when it was fetched under another
        spelling of the same URL (http/https, "www.", a trailing slash) or the crawler
        skipped ``url`` because it redirects to a page it had fetched already."""
        page = self._pages.get(strip_fragment(url))
        if page is not None:
            return page
        key = loose_key(url)
        page = self._loose.get(key)
        if page is not None:
            return page
        skip = self._skips.get(key)
        if skip is not None and skip.reason == "duplicate":
            m = _DUPLICATE_OF.search(skip.detail)
            if m:
                return self._pages.get(strip_fragment(m.group(1))) or self._loose.get(
                    loose_key(m.group(1))
                )
        return None

    def skip_for(self, url: str) -> Skip | None:
        """Why the crawler did not fetch ``url``, when it said."""
        return self._skips.get(loose_key(url))

    def readable(self, page: Page) -> bool:
        """Whether the text of a fetched page can be judged: an HTML page always; a
        document when text was read from it and it is not the symbols of an old
        non-Unicode Thai font; an image never (its content is not read as text)."""
        if page.kind == PageKind.PAGE:
            return True
        if page.kind != PageKind.DOCUMENT or not page.text.strip():
            return False
        key = id(page)
        out = self._readable_cache.get(key)
        if out is None:
            out = not looks_undecodable(page.text[:MAX_MEMBER_CHARS])
            self._readable_cache[key] = out
        return out

    def pagination(self, page: Page) -> list[Page]:
        """The other fetched pages of the listing ``page`` shows (``?page=2`` …),
        following the page-number links from page to page; [] when it has none."""
        cached = self._pagination_cache.get(id(page))
        if cached is None:
            cached = self._pagination_cache[id(page)] = self._pagination(page)
        return cached

    def _pagination(self, page: Page) -> list[Page]:
        key, _ = listing_key(page.final_url or page.url)
        seen = {id(page)}
        out: list[Page] = []
        queue = [page]
        while queue and len(out) < MAX_COLLECTION_PAGES - 1:
            current = queue.pop(0)
            for link in current.links:
                other_key, number = listing_key(link.url)
                if other_key != key or self.is_template_link(link.url):
                    continue
                target = self.page_for(link.url)
                if (
                    target is None
                    or id(target) in seen
                    or target.kind != PageKind.PAGE
                    or not self.fetched_ok(target)
                ):
                    continue
                if (
                    number is None
                    and listing_key(target.final_url or target.url)[1] is None
                    and listing_key(current.final_url or current.url)[1] is None
                ):
                    continue  # two spellings of page 1, not a continuation
                seen.add(id(target))
                out.append(target)
                queue.append(target)
                if len(out) >= MAX_COLLECTION_PAGES - 1:
                    break
        return out

    def linked_documents(self, pages: list[Page]) -> list[Page]:
        """Readable documents linked from the own content of ``pages`` (not from menus
        or footers), each once, in link order."""
        key = tuple(id(p) for p in pages)
        cached = self._documents_cache.get(key)
        if cached is None:
            cached = self._documents_cache[key] = self._linked_documents(pages)
        return cached

    def _linked_documents(self, pages: list[Page]) -> list[Page]:
        out: list[Page] = []
        seen: set[int] = set()
        for page in pages:
            for link in page.links:
                if self.is_template_link(link.url):
                    continue
                target = self.page_for(link.url)
                if (
                    target is None
                    or id(target) in seen
                    or target.kind != PageKind.DOCUMENT
                    or not self.fetched_ok(target)
                    or not self.readable(target)
                ):
                    continue
                seen.add(id(target))
                out.append(target)
                if len(out) >= MAX_COLLECTION_DOCUMENTS:
                    return out
        return out

    def is_template_link(self, url: str) -> bool:
        """A link found on most pages (menu, footer): the site template."""
        return strip_fragment(url) in self.template_links

    def is_external(self, url: str) -> bool:
        u = strip_fragment(url)
        if u in self.external_urls:
            return True
        if u in self._pages:
            return False
        host = _host(url)
        if not host or not self.hosts:
            return False
        return not any(host == h or host.endswith("." + h) for h in self.hosts)

    def kind_of(self, url: str) -> str:
        page = self.page_for(url)
        if page is not None:
            if page.kind == PageKind.DOCUMENT:
                return "document"
            if page.kind == PageKind.IMAGE:
                return "image"
            if page.kind == PageKind.EXTERNAL:
                return "external"
            return "page"
        if self.is_external(url):
            return "external"
        return kind_from_url(url)

    def content(self, page: Page) -> str:
        """Normalised title + headings + text of a page (cached)."""
        key = id(page)
        out = self._content_cache.get(key)
        if out is None:
            out = normalize_th(" ".join([page.title, *page.headings, page.text]))
            self._content_cache[key] = out
        return out

    def _template_word_runs(self) -> set[str]:
        """Runs of ``_TEMPLATE_RUN`` words found in the text of most HTML pages."""
        if self._template_runs is None:
            runs: set[str] = set()
            n = len(self.html_pages)
            if n >= _TEMPLATE_MIN_PAGES:
                counts: Counter[str] = Counter()
                for p in self.html_pages:
                    counts.update(set(_word_runs(p.text.split())))
                cut = _TEMPLATE_SHARE * n
                runs = {r for r, c in counts.items() if c >= cut}
            self._template_runs = runs
        return self._template_runs

    def _own_text(self, page: Page) -> str:
        """The page's text without the word runs that recur on most pages."""
        runs = self._template_word_runs()
        words = page.text.split()
        if not runs or len(words) < _TEMPLATE_RUN:
            return page.text
        keep = [True] * len(words)
        for i, run in enumerate(_word_runs(words)):
            if run in runs:
                for j in range(i, i + _TEMPLATE_RUN):
                    keep[j] = False
        return " ".join(w for w, k in zip(words, keep, strict=True) if k)

    def main_text(self, page: Page) -> str:
        """Like :meth:`content`, without the site template: the text of template links and
        headings (menus) and the runs of words that recur on most pages (footers):
        "ITA 2566" in a menu or "สงวนลิขสิทธิ์ พ.ศ. ๒๕๖๖" in a footer does not date every
        page of the site."""
        key = id(page)
        out = self._main_cache.get(key)
        if out is None:
            if page.kind == PageKind.PAGE:
                out = normalize_th(" ".join([page.title, *page.headings, self._own_text(page)]))
                for t in [*self.template_texts, *self.template_headings]:
                    if t and t in out:
                        out = out.replace(t, " ")
            else:
                out = self.content(page)
            self._main_cache[key] = out
        return out

    def own_headings(self, page: Page) -> list[tuple[str, str]]:
        """(raw, normalised) headings of a page that are not site template."""
        out = []
        for h in page.headings:
            n = self.norm(h)
            if n and n not in self.template_headings:
                out.append((h, n))
        return out


@dataclass(slots=True)
class Candidate:
    """Something that may be the evidence for an item: a page, document, image or
    off-site link, with everything the rule matched and how to reach it."""

    key: str  # target URL (final URL when fetched), no fragment
    url: str
    kind: str  # "page" | "document" | "image" | "external"
    site: SiteIndex
    page: Page | None = None  # the fetched target, if any
    link: Link | None = None  # the best link pointing at it, if any
    path: list[ClickStep] = field(default_factory=list)  # click path from home to the target
    matched: list[str] = field(default_factory=list)  # descriptions of what matched
    score: float = 0.0
    not_hits: list[int] = field(default_factory=list)  # indexes of matched `not` entries
    found: bool = False  # matched `find` (not only a `not` entry)
    vouched: bool = False  # an off-site link matching the rule's `external` URL patterns
    excluded: frozenset[str] = frozenset()  # targets this rule's `not` entries rule out
    labels: list[str] = field(default_factory=list)  # texts of the links that led to it
    hubs: list[str] = field(default_factory=list)  # ITA hub pages that list it (URLs)

    # A view of the candidate for judging (set by the engine on a copy, see ``view``):
    members: tuple[Page, ...] = ()  # pages and documents judged together with the target
    extra: tuple[str, ...] = ()  # texts judged with it: labels of the other entries of its listing
    blank: bool = False  # a probe: the unreadable target read as an empty text
    _texts: dict[str, str] = field(default_factory=dict, repr=False)

    def view(
        self, *, members: tuple[Page, ...] = (), extra: tuple[str, ...] = (), blank: bool = False
    ) -> Candidate:
        """A copy judged with ``members`` (and ``extra`` texts) merged into its text — a
        collection over ``?page=N`` pages, linked documents, the other entries of its
        listing — or as a ``blank`` probe: "would this check judge the target if its
        text could be read?"."""
        return replace(self, members=members, extra=extra, blank=blank, _texts={})

    # --- for checks ----------------------------------------------------------------------

    @property
    def fetched(self) -> bool:
        return self.page is not None and SiteIndex.fetched_ok(self.page)

    @property
    def readable(self) -> bool:
        """Whether the target's text can be judged (see :meth:`SiteIndex.readable`)."""
        return self.fetched and self.page is not None and self.site.readable(self.page)

    def _merged(self, what: str) -> str | None:
        if self.blank and not self.readable:
            return ""
        if not self.readable or self.page is None:
            return None
        if not self.members and not self.extra:
            return self._one(what, self.page)
        out = self._texts.get(what)
        if out is None:
            sep = " " if what == "raw" else ""
            parts = [self._one(what, self.page)]
            parts += [t if what == "raw" else self.site.norm(t) for t in self.extra]
            room = MAX_COLLECTION_CHARS
            for m in self.members:
                if room <= 0:
                    break
                part = self._one(what, m)[: min(MAX_MEMBER_CHARS, room)]
                room -= len(part)
                parts.append(part)
            out = self._texts[what] = sep.join(parts)
        return out

    def _one(self, what: str, page: Page) -> str:
        if what == "content":
            return self.site.content(page)
        if what == "main":
            return self.site.main_text(page)
        return " ".join([page.title, *page.headings, page.text])

    def content(self) -> str | None:
        """Normalised text of the target, or None when it cannot be read (not fetched,
        a document whose text is not extracted or not decodable, an image, an off-site
        link). A collection view includes its other pages and linked documents."""
        return self._merged("content")

    def main_text(self) -> str | None:
        """:meth:`content` without menus and footers (for dates and agency names)."""
        return self._merged("main")

    def raw_text(self) -> str | None:
        """The target's own text as fetched (spaces kept), or None when unreadable."""
        return self._merged("raw")

    def label_text(self) -> str:
        """Normalised texts of the links that led here (text, title, row)."""
        return self.site.norm(" ".join(self.labels))

    def hub_years(self) -> set[int]:
        """Years in the titles of the ITA hub pages that list this candidate."""
        out: set[int] = set()
        for url in self.hubs:
            out |= self.site.hub_years.get(url, set())
        return out

    def is_excluded(self, url: str) -> bool:
        """Whether ``url`` leads to a look-alike of this item (e.g. a queue booking page
        for E-Service): checks following links must not count it."""
        if not self.excluded:
            return False
        page = self.site.page_for(url)
        key = strip_fragment(page.final_url or page.url) if page else strip_fragment(url)
        return key in self.excluded or strip_fragment(url) in self.excluded

    def page_links(self) -> list[Link]:
        """Links on the target page and, in a collection view, on its other pages
        ([] when it was not fetched)."""
        if not self.fetched or self.page is None:
            return []
        out = list(self.page.links)
        for m in self.members:
            if m.kind == PageKind.PAGE:
                out.extend(m.links)
        return out


_DUPLICATE_OF = re.compile(r"redirects to (\S+?),? fetched already")
_GENERIC_CODE = re.compile(r"^[o0]?\d{1,3}$")
_URLISH = re.compile(r"^(?:https?:|www\.)")
_FILENAMEISH = re.compile(r"^[\w\-.()]*\.(?:pdf|docx?|xlsx?|pptx?|jpe?g|png|gif)$")
_LETTERS = re.compile(r"[^\W\d_]")


def _word_runs(words: list[str]) -> list[str]:
    return [" ".join(words[i : i + _TEMPLATE_RUN]) for i in range(len(words) - _TEMPLATE_RUN + 1)]


def is_generic_label(norm: str, generic: tuple[str, ...]) -> bool:
    """Whether a normalised link text says nothing about where it goes: "เปิด",
    "คลิก", "ดาวน์โหลด", an icon, a bare URL or file name, an item code (O5, ๐๕)."""
    if not norm:
        return True
    if _URLISH.match(norm) or (_FILENAMEISH.match(norm) and norm.isascii()):
        return True
    rest = norm
    for g in generic:  # longest first
        if g:
            rest = rest.replace(g, "")
    rest = re.sub(r"[\W_]", "", rest)
    if not rest or _GENERIC_CODE.match(rest):
        return True
    return _LETTERS.search(rest) is None
