"""Does a page look like an agency's ITA hub page (the page listing O1…O43)?

The crawler does not know the catalog's items (the rules do), but it must
choose where to spend its few image fetches, renders and screenshots: the
home page and the ITA hub pages are where the EIT QR code and the item links
usually are (ITA-OIT.md §1, §5).
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from ._models import Page

__all__ = ["hub_score"]

_WORDS = re.compile(
    r"\b(?:ITA|OIT|EIT)\b|การเปิดเผยข้อมูลสาธารณะ|คุณธรรมและความโปร่งใส|การประเมินคุณธรรม",
    re.IGNORECASE,
)
_URL = re.compile(r"(?:^|[/_\-.?=&])(?:ita|oit)(?:[/_\-.?=&]|\d|$)", re.IGNORECASE)
# Item codes as hub pages write them: O1, O๒, ๐๓, o4, 0๕ (ITA-OIT.md §5); not
# phone numbers (๐๘๑-...) or years: a code stands alone and is O1..O43.
_CODES = re.compile(r"(?<![A-Za-z0-9๐-๙])(?:[Oo]([0-9๐-๙]{1,2})|[0๐]([0-9๐-๙]))(?![0-9๐-๙\-])")
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def hub_score(page: Page) -> int:
    """0 for an ordinary page; higher for a likelier hub (title or headings
    naming ITA/OIT: 2, such a URL: 1, many item codes in the text: 1)."""
    score = 0
    if _WORDS.search(" ".join([page.title, *page.headings[:20]])):
        score += 2
    parts = urlsplit(page.final_url or page.url)
    if _URL.search(unquote(parts.path + "?" + parts.query)):
        score += 1
    if len(_item_codes(page.text[:50_000])) >= 5:
        score += 1
    return score


def _item_codes(text: str) -> set[int]:
    numbers = {int((a or b).translate(_THAI_DIGITS)) for a, b in _CODES.findall(text)}
    return {n for n in numbers if 1 <= n <= 43}
