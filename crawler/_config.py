"""CrawlConfig: every knob of the crawler, with defaults meant for nightly
crawls of thousands of small, fragile agency servers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from oitwatch import __version__

if TYPE_CHECKING:
    from ._fetch import Recorder

__all__ = ["DEFAULT_USER_AGENT", "RENDER_MODES", "CrawlConfig"]

DEFAULT_USER_AGENT = (
    f"oitwatch/{__version__} (+https://github.com/oitwatch/oitwatch; ITA/OIT disclosure checker)"
)

MiB = 1024 * 1024
RENDER_MODES = ("auto", "never", "always")


@dataclass
class CrawlConfig:
    """Settings of a :class:`~crawler.Crawler`. Times are in seconds."""

    # Budget and shape of one site's crawl.
    max_pages: int = 300  # HTML pages + documents fetched per site
    max_depth: int = 6  # clicks from the home page; documents, ?page=N, year tabs cost none
    max_links_per_page: int = 2000

    # Evidence candidates: links the scorer rates at least candidate_score. The
    # rules' scorer (rules/_labels.py make_link_scorer) gives 1.0 to a link whose
    # text names an item, 0.8 to an ITA hub, 0.67 to a row naming an item, 0.33
    # to a URL matching an item and 0.2 to a look-alike: 0.3 means "matches an
    # item somehow". Documents, pagination and year tabs of a candidate's page
    # inherit its score. With a scorer, the last candidate_reserve of max_pages
    # is kept for candidates (other links stop there), and candidates may go
    # candidate_extra_depth clicks beyond max_depth.
    candidate_score: float = 0.3
    candidate_reserve: float = 0.2  # fraction of max_pages
    candidate_extra_depth: int = 3

    # Politeness.
    per_host_concurrency: int = 2
    global_concurrency: int = 16
    min_delay: float = 0.5  # between the starts of two requests to one host:port
    max_crawl_delay: float = 30.0  # robots.txt Crawl-delay is honoured up to this
    obey_robots: bool = True
    # Fleet-wide politeness: with a Redis URL, per_host_concurrency and min_delay (and
    # robots.txt Crawl-delay, Retry-After pauses) hold across every process using that
    # Redis and prefix, not just this one (see crawler._fleet_limit). Workers set it;
    # None: this process's limits only. If Redis is away the crawl goes on with the
    # local limits and says so in its notes.
    limiter_url: str | None = field(default=None, repr=False)  # may hold a password
    limiter_prefix: str = "oitwatch:limit:"
    limiter_lease: float | None = None
    """Seconds a request's fleet slot stays taken if its worker dies without freeing it
    (renewed every third of it while the request runs). None: request_timeout + 10."""
    user_agent: str = DEFAULT_USER_AGENT

    # Time limits.
    connect_timeout: float = 10.0
    read_timeout: float = 20.0  # between two reads
    request_timeout: float = 60.0  # one request, headers and body
    site_timeout: float = 900.0  # the whole site; what was fetched by then is kept

    # Retries on connection errors, timeouts, 429 and 5xx.
    retries: int = 3
    backoff: float = 1.0  # base of the exponential backoff, with jitter
    max_retry_after: float = 120.0  # longest Retry-After we wait for
    max_redirects: int = 10

    # Sizes (decompressed bytes; raw bytes are bounded too).
    max_page_bytes: int = 5 * MiB
    max_document_bytes: int = 25 * MiB
    fetch_documents: bool = True

    # Sitemaps as extra seeds.
    use_sitemaps: bool = True
    max_sitemap_urls: int = 2000
    max_sitemap_files: int = 10
    max_sitemap_bytes: int = 10 * MiB

    # Crawl traps (see crawler._frontier.TrapLimits).
    trap_max_query_variants: int = 30
    trap_max_path_variants: int = 60
    trap_max_calendar: int = 5
    trap_max_pagination: int = 10  # per listing
    trap_max_year_tabs: int = 10  # ?year=2566 variants of one URL

    # Network safety.
    allow_private: bool | None = None
    """Fetch loopback/private/link-local addresses? None = only when the seed
    itself is on such an address (an intranet scan, a local test server)."""
    verify_tls: bool = False
    """Agency sites often have expired or self-signed certificates, or only old
    TLS versions; verifying would report them as down. We only read public
    pages and never send secrets (no cookies of ours, no credentials), so the
    cost of not verifying is small: see crawler._net.make_ssl_context."""
    resolve: dict[str, str] = field(default_factory=dict)
    """Host → IP pins, like curl --resolve. Pinned hosts are trusted by the SSRF
    guard (they are operator configuration) and do not make the seed count as
    private for ``allow_private=None``. (The browser resolves names itself: it
    does not see these pins.)"""

    # Document text (PDF, DOCX, XLSX, PPTX; see extract.extract_text).
    extract_documents: bool = True  # False: documents are fetched and hashed only
    max_document_pages: int = 50  # PDF pages / sheets / slides read per document
    max_document_chars: int = 500_000  # text kept per document (a 50-page report: ~150k)
    document_time_budget: float = 20.0  # per document, OCR included (checked between pages)
    max_ocr_pages_per_document: int = 5
    max_ocr_pages_per_site: int = 20  # Tesseract takes seconds per page: bound one site of scans
    extract_concurrency: int = 2  # documents read at once per Crawler (all sites together)

    # Images, for QR codes (the EIT survey, item O43). Only on the home page, pages
    # reached through a link the scorer rated > 0, and pages that look like ITA hubs.
    check_images: bool = True
    max_images_per_site: int = 60  # image fetches per site
    max_image_bytes: int = 5 * MiB
    max_image_pixels: int = 25_000_000  # decoded size; larger images are refused unread

    # JavaScript rendering (headless Chromium through Playwright).
    render: str = "auto"
    """"auto": render pages whose static HTML shows a script-built menu (the home
    page first), and the home and hub pages when ``crawl(wants_more=...)`` says
    items are still missing; "always": render every HTML page (up to the budget);
    "never": no browser at all (and no screenshots)."""
    browser_path: str | None = None  # else $OITWATCH_CHROMIUM, Playwright's own, Debian's
    max_rendered_pages: int = 10  # per site
    max_screenshots: int = 2  # per site: QR fallback (home page and the best hub page)
    screenshot_dir: str | None = None  # where screenshots are stored by hash; None: not stored

    # Every HTTP exchange and rendered page of every crawl goes to this callback (see
    # crawler._fetch.HttpExchange, BrowserCapture); ``Crawler.crawl(recorder=...)`` sets
    # one per site instead. The crawler knows nothing of what it does (``archive`` writes
    # WARC files with it). Not part of the config's identity (repr, ==).
    recorder: Recorder | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not 0.0 <= self.candidate_reserve < 1.0:
            raise ValueError(f"candidate_reserve must be in [0, 1), not {self.candidate_reserve!r}")
        if self.render not in RENDER_MODES:
            raise ValueError(
                f"render must be one of {', '.join(RENDER_MODES)}, not {self.render!r}"
            )
