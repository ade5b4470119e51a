"""What the static HTML does not show, added to a site's crawl.

Per page (:func:`enrich_page`, right after the page is recorded): the links
of the DOM after JavaScript ran (tag ``"rendered"``) and the QR codes in the
page's images (tag ``"qr"``).

After the static crawl (:func:`after_static_crawl`): when the caller's
``wants_more`` says items are still missing, the home page and the likeliest
ITA hub pages are rendered and the crawl goes on from what they link; when no
EIT survey link or QR code was found anywhere, the same pages are
screenshot and searched for QR codes (tag ``"qr-screenshot"``).

New links join the page's ``links``, the link graph (click paths) and the
frontier or the off-site list, like links of the static HTML.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import TYPE_CHECKING

from extract import QrKind, classify_url

from ._frontier import Candidate
from ._hub import hub_score
from ._models import Link, Page, PageImage, PageKind
from ._parse import ImageRef, ParsedPage
from ._url import dedup_key

if TYPE_CHECKING:
    from ._site import SiteRun

__all__ = ["after_static_crawl", "enrich_page", "merge_rendered"]

logger = logging.getLogger("crawler")

FOCUS_HUBS = 2  # hub-like pages rendered (wants_more) besides the home page
_TEXT_GAIN = 1.5  # the rendered text replaces the static one when this much longer ...
_TEXT_SLACK = 200  # ... plus this many characters (a page whose content scripts load)


async def enrich_page(
    run: SiteRun,
    page: Page,
    candidate: Candidate,
    images: list[ImageRef],
    *,
    render: str,
    home: bool,
) -> None:
    """Render the page when there is a reason to (``render``), then read QR
    codes in its images if the page matters (home, scored, hub-like)."""
    if render:
        rendered = await run.rendering.render(page, render)
        if rendered is not None:
            merge_rendered(run, page, candidate, rendered)
            seen = {ref.url for ref in images}
            images = [*images, *(r for r in rendered.images if r.url not in seen)]
    if run.images.wanted(page, candidate.score, hub_score(page), home):
        run.add_links(page, candidate, await run.images.links_for(page, images))


def merge_rendered(run: SiteRun, page: Page, candidate: Candidate, rendered: ParsedPage) -> None:
    """The rendered DOM's links join the page's (tag "rendered", each URL
    once); its text replaces a static text that was mostly missing."""
    room = run.crawler.config.max_links_per_page - len(page.links)
    known = {dedup_key(link.url) for link in page.links}
    new: list[Link] = []
    for link in rendered.links:
        key = dedup_key(link.url)
        if key in known or len(new) >= room:
            continue
        known.add(key)
        new.append(replace(link, tag="rendered", source_url=page.final_url))
    run.rendering.record(page, sum(1 for link in new if not run.known(dedup_key(link.url))))
    run.add_links(page, candidate, new)
    if len(rendered.text) > _TEXT_GAIN * len(page.text) + _TEXT_SLACK:
        page.text = rendered.text
        page.headings = rendered.headings or page.headings
    page.title = page.title or rendered.title
    page.forms = page.forms or rendered.forms
    shown = {image.url for image in page.images}
    page.images.extend(
        PageImage(url=r.url, alt=r.title, context=r.context, tiny=r.tiny)
        for r in rendered.images
        if r.url not in shown
    )


async def after_static_crawl(run: SiteRun) -> None:
    """See the module doc. Only with ``render`` other than "never"."""
    if run.home_page is None:
        return
    if run.wants_more is not None and _ask_wants_more(run):
        for page in focus_pages(run, 1 + FOCUS_HUBS):
            rendered = await run.rendering.render(page, "items still missing (wants_more)")
            if rendered is not None:
                merge_rendered(run, page, _candidate_of(page), rendered)
        await run.crawl_frontier()
    if not has_eit_link(run):
        for page in focus_pages(run, run.crawler.config.max_screenshots):
            # A code already read from one of the page's images is not added twice.
            seen = {link.url for link in page.links if link.tag == "qr"}
            links = [lk for lk in await run.rendering.screenshot_links(page) if lk.url not in seen]
            run.add_links(page, _candidate_of(page), links)
        await run.crawl_frontier()  # a QR code may lead to an on-site page


def _ask_wants_more(run: SiteRun) -> bool:
    assert run.wants_more is not None
    snapshot = run.snapshot()
    try:
        # On the event loop, like the scorer: the rules need not be thread-safe.
        return bool(run.wants_more(snapshot))
    except Exception:  # the caller's hook is not ours to trust: a failure means "no"
        logger.exception("crawler: wants_more callback failed")
        return False


def focus_pages(run: SiteRun, limit: int) -> list[Page]:
    """The home page, then the likeliest ITA hub pages (best first)."""
    if run.home_page is None or limit <= 0:
        return []
    scored = [
        (score, page.depth, i, page)
        for i, page in enumerate(run.pages)
        if page is not run.home_page
        and page.kind is PageKind.PAGE
        and page.status
        and not page.error
        and (score := hub_score(page)) > 0
    ]
    scored.sort(key=lambda item: (-item[0], item[1], item[2]))
    return [run.home_page, *(item[3] for item in scored)][:limit]


def has_eit_link(run: SiteRun) -> bool:
    """An EIT survey link or QR code anywhere (also an on-site link that
    redirects to one: only its off-site key is recorded)."""
    urls = [link.url for page in run.pages for link in page.links]
    urls += ["https://" + key for key in run.external]
    return any("itas.nacc.go.th" in url and classify_url(url) is QrKind.EIT for url in urls)


def _candidate_of(page: Page) -> Candidate:
    # The key (dedup_key(page.url)) is the page's node in the link graph.
    return Candidate(url=page.url, depth=page.depth)
