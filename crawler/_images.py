"""QR codes in images: the EIT survey QR code (item O43) is often only an image.

Only images on pages that matter are fetched: the home page, pages reached
through a link the scorer rated above 0, and pages that look like ITA hubs.
On such a page the images whose alt text, surrounding text or URL mention a
QR code, the EIT or ITA come first; icons (declared under 32 px) are never
fetched. Each site has a budget of image fetches; an image shown on many
pages (a sidebar banner) is fetched once.

Images go through the same fetcher as pages (SSRF guard, robots.txt,
politeness), capped in bytes, and are decoded in a worker thread with a
pixel limit checked before decoding. Images on other sites (a CDN) are not
fetched: the crawl stays on the agency's site; the site's notes count them.

Each decoded code that holds a link becomes a :class:`~crawler.Link` with tag
``"qr"`` on the page where the image appeared, ``image_url`` naming the image.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import anyio
import anyio.to_thread

from extract import Limits, QrCode, QrResult, read_qr

from ._models import Link, Page
from ._parse import ImageRef
from ._url import dedup_key, normalize_url

if TYPE_CHECKING:
    from ._site import SiteRun

__all__ = ["SiteImages", "qr_links"]

logger = logging.getLogger("crawler")

QR_TEXT = "QR code"  # Link.text of a decoded QR code
_HINT = re.compile(
    r"qr|คิวอาร์|\beit\b|\bita\b|itas|สแกน|แบบวัด|แบบสำรวจ|แบบประเมิน|ประเมิน|banner|แบนเนอร์",
    re.IGNORECASE,
)
_URL_IN_TEXT = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)


# Images per page fetched in document order once the labelled ones are done: a
# home page with 80 news thumbnails must not spend the whole site's budget (the
# screenshot fallback still looks at the whole home page).
UNLABELLED_PER_PAGE = 20


def _hinted(ref: ImageRef) -> bool:
    """Does anything about the image say QR code, EIT or ITA?"""
    where = f"{ref.title} {ref.context} {urlsplit(ref.url).path} {ref.link_url}"
    return bool(_HINT.search(where))


def _code_url(code: QrCode) -> str | None:
    """The link a QR code holds: its whole text, else the first URL in it
    (``"EIT 2566: https://itas.nacc.go.th/go/eit/u4gpi2"``)."""
    text = code.text.strip()
    url = normalize_url(text) if "://" in text[:10] else None
    if url is None:
        found = _URL_IN_TEXT.search(text)
        url = normalize_url(found.group(0)) if found else None
    return url


def qr_links(
    codes: list[QrCode], *, page_url: str, image_url: str, title: str, context: str, tag: str
) -> list[Link]:
    """One Link per code that holds a URL (a QR code with plain text is no link)."""
    links: dict[str, Link] = {}
    for code in codes:
        url = _code_url(code)
        if url is not None and url not in links:
            links[url] = Link(
                url=url,
                text=QR_TEXT,
                title=title,
                context=context,
                tag=tag,
                source_url=page_url,
                image_url=image_url,
            )
    return list(links.values())


class SiteImages:
    """One site's QR search in images: budget, cache and what was left out."""

    def __init__(self, run: SiteRun) -> None:
        self.run = run
        config = run.crawler.config
        self.limits = Limits(
            max_bytes=max(config.max_image_bytes, 1), max_image_pixels=config.max_image_pixels
        )
        self.fetched = 0
        self.decoded: dict[str, list[QrCode]] = {}  # image URL → codes ([] also when unreadable)
        self._pending: dict[str, anyio.Event] = {}  # fetches in flight (two pages, one banner)
        self.over_budget: set[str] = set()  # image URLs not fetched: budget
        self.off_site: set[str] = set()  # image URLs not fetched: another site
        self.off_site_hosts: dict[str, None] = {}

    def wanted(self, page: Page, score: float, hub: int, is_home: bool) -> bool:
        """Are this page's images worth fetching?"""
        return self.run.crawler.config.check_images and (is_home or score > 0 or hub > 0)

    async def links_for(self, page: Page, refs: list[ImageRef]) -> list[Link]:
        """QR links from the page's images, most promising images first."""
        hinted = [r for r in refs if not r.tiny and _hinted(r)]
        others = [r for r in refs if not r.tiny and not _hinted(r)]
        for ref in others[UNLABELLED_PER_PAGE:]:
            if ref.url not in self.decoded:
                self.over_budget.add(ref.url)
        links: list[Link] = []
        for ref in [*hinted, *others[:UNLABELLED_PER_PAGE]]:
            codes = await self._codes(ref.url)
            if codes:
                links += qr_links(
                    codes,
                    page_url=page.final_url,
                    image_url=ref.url,
                    title=ref.title,
                    context=ref.context,
                    tag="qr",
                )
        return links

    async def _codes(self, url: str) -> list[QrCode]:
        if url in self.decoded:
            return self.decoded[url]
        pending = self._pending.get(url)
        if pending is not None:
            await pending.wait()
            return self.decoded.get(url, [])
        if url not in self.run.scope:
            self.off_site.add(url)
            if len(self.off_site_hosts) < 3:
                self.off_site_hosts.setdefault(urlsplit(url).hostname or "", None)
            return []
        if self.fetched >= self.run.crawler.config.max_images_per_site:
            self.over_budget.add(url)
            return []
        self.fetched += 1
        self._pending[url] = event = anyio.Event()
        try:
            self.decoded[url] = await self._fetch_and_decode(url)
        finally:
            del self._pending[url]
            event.set()
        return self.decoded[url]

    async def _fetch_and_decode(self, url: str) -> list[QrCode]:
        run = self.run
        config = run.crawler.config
        result = await run.crawler.fetcher.fetch(
            url,
            allow_private=run.allow_private,
            jar=run.jar,
            check_hop=self._hop,
            image_cap=config.max_image_bytes,
            max_redirects=5,
        )
        if result.skip is not None:
            reason, detail = result.skip
            if reason in ("size", "ssrf", "robots"):
                run.record_skip(url, reason, detail)
            return []
        if not result.ok or not result.body:
            return []
        body, result.body = result.body, b""
        try:
            decoded: QrResult = await anyio.to_thread.run_sync(
                read_qr, body, self.limits, limiter=run.crawler.image_limiter
            )
        except Exception:  # read_qr never raises by contract; a bug must not stop the site
            logger.exception("crawler: QR decoding failed for %s", url)
            return []
        if decoded.error.startswith("image too large") or "bomb" in decoded.error:
            run.record_skip(url, "size", decoded.error)
        return decoded.codes

    async def _hop(self, url: str) -> tuple[str, str] | None:
        if url not in self.run.scope:
            return "scope", f"image redirects off-site to {url}"
        return await self.run.robots_hop(url)

    def notes(self) -> list[str]:
        config = self.run.crawler.config
        notes: list[str] = []
        fetched = {dedup_key(u) for u in self.decoded}
        unchecked = {dedup_key(u) for u in self.over_budget} - fetched
        if unchecked:
            notes.append(
                f"image budget ({config.max_images_per_site} per site, "
                f"{UNLABELLED_PER_PAGE} unlabelled per page) reached: "
                f"{len(unchecked)} image(s) not checked for QR codes"
            )
        if self.off_site:
            hosts = ", ".join(h for h in self.off_site_hosts if h)
            notes.append(
                f"{len(self.off_site)} image(s) on other sites not checked for QR codes"
                + (f" (e.g. {hosts})" if hosts else "")
            )
        return notes
