"""The crawler: fetches one agency website politely and returns a SiteCrawl.

    from crawler import Crawler, CrawlConfig

    async with Crawler(CrawlConfig(max_pages=300)) as crawler:   # share it across sites
        site = await crawler.crawl(seed_url, scorer=None, on_page=None)

    site = crawl_site(seed_url)                                  # the same, synchronously

``crawl()`` never raises for anything a site does: the outcome is
``site.status`` (OK / UNREACHABLE / BLOCKED / ERROR) with a short English
``site.reason``, pages that failed carry ``Page.error``, URLs not fetched
are in ``site.skipped`` with a reason code, and what could not be done (no
browser, no Tesseract, a budget used up) is in ``site.notes``.

Documents get their text (``Page.text``, per page in ``Page.doc_pages``,
``Page.text_source``, ``Page.note``); QR codes in images become links with
tag "qr" (``Link.image_url`` names the image); pages whose menu is built by
JavaScript are rendered in headless Chromium (``CrawlConfig.render``).

How the parts fit (one module per job):

- ``_crawler``: Crawler (shared client, limits, robots cache) and crawl_site
- ``_site``: one site's crawl: home page, sitemaps, best-first loop, status
- ``_fetch``: one GET with retries, manual redirects and size caps
- ``_net``: the SSRF-guarded transport (checks addresses after DNS, per hop)
- ``_politeness``: per-host and global concurrency, per-host delays
- ``_robots``, ``_sitemap``: robots.txt (RFC 9309) and sitemaps
- ``_frontier``: best-first queue, depth limit, crawl-trap caps
- ``_url``: URL normalisation, de-duplication, same-site scope
- ``_content``, ``_charset``, ``_parse``: what a response is, how to decode
  it, and what an HTML page says, links to and shows as images
- ``_documents``: document text (``extract``) in worker threads, OCR budget
- ``_images``: QR codes in the images of pages that matter, image budget
- ``_rendering``: the browsers (``render``), render and screenshot budgets
- ``_enrich``: rendered links and QR codes added to pages; after the static
  crawl, ``wants_more`` and the screenshot fallback
- ``_hub``: does a page look like an ITA hub page
- ``_paths``: shortest click paths from the home page
- ``_models``: the data contract (SiteCrawl, Page, Link, ...)
"""

from ._config import CrawlConfig
from ._crawler import Crawler, crawl_site
from ._models import (
    ClickStep,
    Form,
    Link,
    Page,
    PageImage,
    PageKind,
    SiteCrawl,
    SiteStatus,
    Skip,
)

__all__ = [
    "ClickStep",
    "CrawlConfig",
    "Crawler",
    "Form",
    "Link",
    "Page",
    "PageImage",
    "PageKind",
    "SiteCrawl",
    "SiteStatus",
    "Skip",
    "crawl_site",
]
