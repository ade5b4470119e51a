"""What a crawl produces. These types are the contract between the crawler,
the rules engine, storage and the reports; the crawler's internals may change
behind them.

Everything here is plain data (dataclasses), so it can be pickled to a Celery
worker, serialised to JSON and stored without the crawler being imported.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime

__all__ = [
    "ClickStep",
    "Form",
    "Link",
    "Page",
    "PageImage",
    "PageKind",
    "SiteCrawl",
    "SiteStatus",
    "Skip",
]


class SiteStatus(str, enum.Enum):
    """How the crawl of one site went, independent of what the rules found."""

    OK = "ok"
    UNREACHABLE = "unreachable"  # DNS failure, connection refused, timeout
    BLOCKED = "blocked"  # 403 at the home page, robots.txt disallows everything
    ERROR = "error"  # anything else (bad seed URL, 5xx home page, ...)


class PageKind(str, enum.Enum):
    PAGE = "page"  # an HTML page we parsed
    DOCUMENT = "document"  # PDF / office document: fetched, hashed, its text read
    IMAGE = "image"
    EXTERNAL = "external"  # an off-site link: recorded, never fetched


@dataclass(frozen=True, slots=True)
class ClickStep:
    """One click on the way from the home page: the link followed and its label."""

    url: str
    text: str


@dataclass(frozen=True, slots=True)
class Link:
    """A link found on a page, with every piece of text a human would use to
    understand where it goes. ITA hub pages often label links only "เปิด"
    or with a PDF icon; the item's name then sits in ``context``."""

    url: str  # absolute and normalised
    text: str  # the anchor's own visible text
    title: str  # title / alt / aria-label of the link and of images inside it
    context: str  # text of the enclosing table row, list item or parent block
    tag: str  # "a", "area", "iframe", "frame", "meta-refresh", "sitemap",
    #           "rendered" (only in the DOM after JavaScript ran), "qr" (decoded from an
    #           image on the page), "qr-screenshot" (decoded from a screenshot of the page)
    source_url: str  # the page the link was found on
    image_url: str = ""
    # ^ for tag "qr": the image the code was read from; for "qr-screenshot":
    #   "screenshot:<sha256 of the PNG>" (see CrawlConfig.screenshot_dir); else ""


@dataclass(frozen=True, slots=True)
class Form:
    """An HTML form on a page: lets a rule tell an online form (E-Service,
    complaint form) from a page that only offers files to download."""

    action: str  # absolute URL the form posts to ("" when it posts to itself)
    method: str  # "get" / "post"
    field_names: tuple[str, ...]  # names of input/select/textarea fields (not hidden, not buttons)
    has_textarea: bool
    has_file_upload: bool


@dataclass(frozen=True, slots=True)
class PageImage:
    """An image shown on an HTML page (``<img>``, a link to an image file, a CSS
    background), as a consultant sees it: O1 needs a chart image, O2 a photo per
    executive. ``context`` is the text of the enclosing row, item or block, so a
    rule can tell which person a photo belongs to."""

    url: str  # absolute and normalised
    alt: str  # alt / title of the image, or the text of the link to it
    context: str  # text of the enclosing row, list item or block
    tiny: bool = False  # declared width and height both under 32 px: an icon


@dataclass(slots=True)
class Page:
    """A URL the crawler fetched (or, for ``kind=EXTERNAL``, only saw)."""

    url: str  # the normalised URL that was requested
    final_url: str  # after redirects
    kind: PageKind
    status: int  # HTTP status of the final response (0 when never fetched)
    content_type: str  # media type without parameters, e.g. "text/html"
    size: int  # bytes of body received (decompressed)
    sha256: str  # of the body ("" when not fetched)
    fetched_at: datetime | None  # timezone-aware UTC
    depth: int  # clicks from the home page along click_path
    click_path: list[ClickStep] = field(default_factory=list)  # shortest path from home; [] for home
    title: str = ""
    charset: str | None = None  # the codec the body was decoded with
    text: str = ""  # visible text of an HTML page (scripts and styles removed)
    headings: list[str] = field(default_factory=list)  # h1-h6 texts
    links: list[Link] = field(default_factory=list)  # every link on the page (on-site and off-site)
    forms: list[Form] = field(default_factory=list)
    images: list[PageImage] = field(default_factory=list)  # images shown on an HTML page
    error: str = ""  # why a fetch failed, when it did
    # Documents (kind DOCUMENT) only; ``text`` above is then the whole document's text.
    text_source: str = ""  # "text" (text layer), "ocr", "mixed" (some pages each), "" (none)
    doc_pages: list[str] = field(default_factory=list)
    # ^ text per document page (PDF page, sheet, slide; a DOCX is one page): doc_pages[0]
    #   is page 1. Pages not read (limits) are missing at the end or "" (unread scans).
    note: str = ""
    # ^ what could not be read and why, e.g. "scanned document, text not read: Tesseract
    #   is not installed", "format not read: doc (legacy or unsupported format)",
    #   "PDF is password-protected", "read 50 of 120 pages: page limit of 50 reached"


@dataclass(frozen=True, slots=True)
class Skip:
    """A URL the crawler decided not to fetch, and why (shown in reports)."""

    url: str
    reason: str  # short machine code: "robots", "ssrf", "trap", "budget", "depth", "type", "size", ...
    detail: str = ""


@dataclass(slots=True)
class SiteCrawl:
    """Everything one crawl of one site produced."""

    seed_url: str
    final_url: str  # the home page after redirects
    status: SiteStatus
    reason: str  # human-readable, always set (also for OK: e.g. "300 pages fetched")
    started_at: datetime
    finished_at: datetime
    pages: list[Page] = field(default_factory=list)  # kinds PAGE and DOCUMENT, in fetch order
    external_links: list[tuple[Link, list[ClickStep]]] = field(default_factory=list)
    # ^ off-site links (Facebook, e-GP, itas.nacc.go.th, Google Forms ...) with the click path
    #   to the page they were found on, ending with the link itself
    skipped: list[Skip] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # The seed was on a loopback/private address, so this crawl could reach such addresses
    # (an intranet scan, a local test); later visits of its pages (screenshots) keep the rule.
    allow_private: bool = False
    # ^ what the crawl could not do on this site, in English, each said once: "JavaScript
    #   rendering not available: ...", "scanned documents not read: Tesseract is not
    #   installed", "image budget (60 per site) reached: ...", ...

    @property
    def pages_fetched(self) -> int:
        return sum(1 for p in self.pages if p.status)
