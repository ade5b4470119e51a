"""What a page shows as pictures, seen as a consultant sees it: the images of the page
itself, without the site template (the logo, the King's portrait, social icons, banners
that appear on every page) and without icons. Shared by ``chart`` (O1) and the per-person
checks of ``people`` (O2).

An image of the page is a :class:`crawler.PageImage` (``<img>``, CSS background) or a
link to an image file (the crawler records those as images too; the example-site parser
only records ``<img>``, so both are read here).
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from .._normalize import normalize_th
from .._site import Candidate, SiteIndex, kind_from_url, strip_fragment

__all__ = ["Shown", "file_name", "is_decoration", "is_template_image", "shown_images"]

# An image on this share of the site's pages (and on at least _TEMPLATE_MIN of them) is
# part of the template, like the menu links (rules/_site.py uses the same 60 %).
_TEMPLATE_SHARE = 0.6
_TEMPLATE_MIN = 3

# Names and alt texts of template pictures: logos, seals, icons, banners, the portraits
# of the King and Queen shown on every Thai government site, QR codes, social buttons.
# ASCII words are matched on word edges so "line" does not hit "online" or "guideline".
_DECORATION_ASCII = re.compile(
    r"(?<![a-z])(?:logo|banner|icon|ico|favicon|bullet|arrow|btn|button|bg|background|"
    r"header|footer|spacer|blank|pixel|loading|line|facebook|fb|youtube|twitter|tiktok|"
    r"instagram|qr|qrcode|king|queen|flag|seal|emblem|sprite)(?![a-z])"
)
# only in file names: "pdf.png", "download.gif" are buttons, while an alt text saying
# "ดาวน์โหลดแผนผัง (PDF)" labels the picture itself; and words no chart's file name holds,
# found inside longer names too ("sitelogo.png", "fbicon2.gif")
_DECORATION_FILE_ONLY = re.compile(
    r"(?<![a-z])(?:pdf|download|doc|xls|word|excel)(?![a-z])|"
    r"logo|banner|icon|bullet|button|sprite|spacer|qrcode"
)
_DECORATION_TH = tuple(
    normalize_th(w)
    for w in (
        "ตราสัญลักษณ์",
        "โลโก้",
        "ตราประจำ",
        "พระบรมฉายาลักษณ์",
        "พระบรมสาทิสลักษณ์",
        "ทรงพระเจริญ",
        "ทีฆายุโก",
        "ธงชาติ",
        "แบนเนอร์",
        "คิวอาร์",
        "ไอคอน",
    )
)


@dataclass(frozen=True, slots=True)
class Shown:
    """One picture the page shows: its URL, its own label (alt/title/link text) and the
    text of the block around it, both normalised."""

    url: str
    alt: str  # normalised alt / title / link text
    context: str  # normalised text of the enclosing row, item or block
    name: str  # normalised, decoded file name ("structure-2566.png")
    label: str = ""  # the alt text normalised with its spaces kept (to read names in it)


def file_name(url: str) -> str:
    """The decoded, normalised last path segment of a URL (Thai file names readable)."""
    path = unquote(urlsplit(url).path)
    return normalize_th(path.rsplit("/", 1)[-1])


def is_decoration(img: Shown) -> bool:
    """A logo, icon, banner, portrait or button, by its file name or label."""
    if _DECORATION_FILE_ONLY.search(img.name):
        return True
    # the alt text with its spaces, so that "LINE Official" is told from "online"
    label = img.label or img.alt
    if _DECORATION_ASCII.search(img.name) or _DECORATION_ASCII.search(label):
        return True
    return any(w in text for text in (img.name, img.alt) for w in _DECORATION_TH)


_counts: weakref.WeakKeyDictionary[SiteIndex, tuple[int, dict[str, int]]] = (
    weakref.WeakKeyDictionary()
)


def _image_counts(site: SiteIndex) -> tuple[int, dict[str, int]]:
    """(number of HTML pages, pages each image URL is shown on), once per site."""
    got = _counts.get(site)
    if got is None:
        counts: dict[str, int] = {}
        for p in site.html_pages:
            for u in {strip_fragment(i.url) for i in p.images}:
                counts[u] = counts.get(u, 0) + 1
        got = (len(site.html_pages), counts)
        _counts[site] = got
    return got


def is_template_image(site: SiteIndex, url: str) -> bool:
    """Shown on most pages of the site (the logo, the header banner)."""
    n, counts = _image_counts(site)
    seen = counts.get(strip_fragment(url), 0)
    return n >= _TEMPLATE_MIN and seen >= _TEMPLATE_MIN and seen >= _TEMPLATE_SHARE * n


def shown_images(cand: Candidate) -> list[Shown]:
    """The pictures of the candidate page that belong to its content: not icons (declared
    under 32 px), not the site template, not logos/banners/buttons by name."""
    page = cand.page
    if page is None or not cand.fetched:
        return []
    site = cand.site
    out: dict[str, Shown] = {}
    for img in page.images:
        if img.tiny or is_template_image(site, img.url):
            continue
        key = strip_fragment(img.url)
        shown = Shown(
            key,
            normalize_th(img.alt),
            normalize_th(img.context),
            file_name(img.url),
            normalize_th(img.alt, keep_spaces=True),
        )
        if not is_decoration(shown):
            out.setdefault(key, shown)
    # a link to an image file ("ดูแผนผัง" -> chart.jpg) shows it one click away
    for link in page.links:
        key = strip_fragment(link.url)
        if key in out or site.is_template_link(link.url):
            continue
        if site.kind_of(link.url) != "image" and kind_from_url(link.url) != "image":
            continue
        if is_template_image(site, link.url):
            continue
        label = " ".join(filter(None, (link.text, link.title)))
        shown = Shown(
            key,
            normalize_th(label),
            normalize_th(link.context),
            file_name(link.url),
            normalize_th(label, keep_spaces=True),
        )
        if not is_decoration(shown):
            out[key] = shown
    return list(out.values())
