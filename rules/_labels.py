"""Matching an item's ``find`` and ``not`` against link labels and page labels.

Where a link's label is read from:
- its own text and title (title/alt/aria-label) — the usual case;
- its ``context`` (the table row or list item around it) only when its own text
  says nothing ("เปิด", "คลิก", "ดาวน์โหลด", an icon, a URL, an item code such as
  "O5"), as on ITA hub pages. Item codes are never used to identify an item.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field

from crawler._models import Link, Page

from ._catalog import Catalog, Find, ItemRule
from ._match import url_for_matching
from ._normalize import normalize_th
from ._site import SiteIndex, is_generic_label

__all__ = ["LabelMatch", "make_link_scorer", "match_link", "match_page"]

CONTEXT_MAX = 300  # a longer context is a whole block, not the row of one link

W_TEXT = 3.0
W_EXTERNAL = 3.0
W_TITLE = 2.5
W_CONTEXT = 2.0
W_HEADING = 2.0
W_URL = 1.0
W_MAX = 3.0


def _short(s: str, n: int = 80) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


@dataclass(slots=True)
class LabelMatch:
    weights: list[float] = field(default_factory=list)
    matched: list[str] = field(default_factory=list)  # human descriptions
    not_hits: list[int] = field(default_factory=list)  # indexes into rule.exclusions
    alike: list[str] = field(default_factory=list)  # what matched a `not` entry
    alike_weight: float = 0.0
    used_context: bool = False
    external_hit: bool = False  # matched a find.external URL pattern

    @property
    def score(self) -> float:
        """The best match, plus a little for every further field that matched."""
        if not self.weights:
            return 0.0
        return max(self.weights) + 0.25 * (len(self.weights) - 1)

    @property
    def found(self) -> bool:
        return bool(self.weights)

    def add(self, weight: float, what: str) -> None:
        self.weights.append(weight)
        self.matched.append(what)

    def add_alike(self, hits: list[int], weight: float, what: str) -> None:
        for i in hits:
            if i not in self.not_hits:
                self.not_hits.append(i)
        if hits:
            self.alike.append(what)
            self.alike_weight = max(self.alike_weight, weight)


def _drop_quiet_hits(rule: ItemRule, m: LabelMatch) -> LabelMatch:
    """``look_alike: false`` entries only disqualify what ``find`` matched: alone, a
    common word ("รายงานผล") is not worth reporting as a look-alike."""
    if m.found or not m.not_hits:
        return m
    loud = [i for i in m.not_hits if rule.exclusions[i].look_alike]
    if len(loud) != len(m.not_hits):
        m.not_hits = loud
        if not loud:
            m.alike = []
            m.alike_weight = 0.0
    return m


def _not_hits(rule: ItemRule, texts: list[str], url: str) -> list[int]:
    if not rule.exclusions:
        return []
    hits = []
    for i, ex in enumerate(rule.exclusions):
        if any(ex.keywords.first(t) for t in texts if t) or (url and ex.url.first(url)):
            hits.append(i)
    return hits


def match_link(
    rule: ItemRule,
    *,
    text: str,
    title: str,
    context: str,
    n_text: str,
    n_title: str,
    n_context: str,
    n_url: str,
    external: bool | None,
    generic: tuple[str, ...],
    tag: str = "a",
    generic_label: bool | None = None,
) -> LabelMatch:
    """Match one link. ``external`` None = unknown (the link scorer has no site)."""
    m = LabelMatch()
    find = rule.find
    if find.keywords.first(n_text):
        m.add(W_TEXT, f'link text "{_short(text)}"')
    if find.keywords.first(n_title):
        m.add(W_TEXT, f'link title "{_short(title)}"')
    hits = _not_hits(rule, [n_text, n_title], "")
    if hits:
        m.add_alike(hits, W_TEXT, f'link text "{_short(text or title)}"')
    if (
        not m.found
        and not m.not_hits
        and tag in ("a", "area")  # an iframe's surroundings say nothing about it
        and n_context
        and len(n_context) <= CONTEXT_MAX
        and (
            generic_label
            if generic_label is not None
            else is_generic_label(n_text, generic) and is_generic_label(n_title, generic)
        )
    ):
        m.used_context = True
        found_row = find.keywords.first(n_context) is not None
        hits = _not_hits(rule, [n_context], "")
        if found_row or hits:
            label = f' (link "{_short(text, 20)}")' if text.strip() else ""
            row = f'row text "{_short(context)}"{label}'
            if found_row:
                m.add(W_CONTEXT, row)
            m.add_alike(hits, W_CONTEXT, row)
    p = find.url.first(n_url)
    if p is not None:
        m.add(W_URL, f"URL matches '{p.pattern}'")
    if external is not False:
        p = find.external.first(n_url)
        if p is not None:
            m.add(W_EXTERNAL, f"off-site link matches '{p.pattern}'")
            m.external_hit = True
    hits = _not_hits(rule, [], n_url)
    if hits:
        m.add_alike(hits, W_URL, f"URL {_short(n_url, 100)}")
    return _drop_quiet_hits(rule, m)


def match_page(rule: ItemRule, page: Page, site: SiteIndex) -> LabelMatch:
    """Match a fetched page by its title, own (non-template) headings and URL."""
    m = LabelMatch()
    n_title = site.norm(page.title)
    if rule.find.keywords.first(n_title):
        m.add(W_TITLE, f'page title "{_short(page.title)}"')
    headings = site.own_headings(page)
    for raw, n in headings:
        if rule.find.keywords.first(n):
            if _not_hits(rule, [n], ""):
                # a section headed by a look-alike ("แบบประเมินความพึงพอใจ" above a survey QR
                # code on the home page) does not make the page the item; a look-alike
                # section of a page found otherwise does not rule the page out either
                continue
            m.add(W_HEADING, f'heading "{_short(raw)}"')
            break
    n_url = url_for_matching(page.final_url or page.url)
    p = rule.find.url.first(n_url)
    if p is not None:
        m.add(W_URL, f"URL matches '{p.pattern}'")
    # a look-alike is judged on the page's title and main heading, not every heading
    main = headings[0][0] if headings else ""
    m.add_alike(
        _not_hits(rule, [n_title, headings[0][1] if headings else ""], n_url),
        W_TITLE,
        f'page "{_short(page.title or main or page.final_url)}"',
    )
    return _drop_quiet_hits(rule, m)


def _hub_score(hubs: Find, n_text: str, n_url: str) -> bool:
    return bool(hubs.keywords.first(n_text) or hubs.url.first(n_url))


def make_link_scorer(catalog: Catalog) -> Callable[[Link], float]:
    rules = [part for r in catalog.items if r.implemented for part in (r, *r.also)]
    generic = catalog.generic_link_texts

    @functools.lru_cache(maxsize=50_000)
    def score(url: str, text: str, title: str, context: str, tag: str) -> float:
        n_text, n_title, n_context = normalize_th(text), normalize_th(title), normalize_th(context)
        n_url = url_for_matching(url)
        best = 0.0
        for rule in rules:
            m = match_link(
                rule,
                text=text,
                title=title,
                context=context,
                n_text=n_text,
                n_title=n_title,
                n_context=n_context,
                n_url=n_url,
                external=None,
                generic=generic,
                tag=tag,
            )
            if m.found:
                best = max(best, min(1.0, m.score / W_MAX))
            elif m.not_hits:
                best = max(best, 0.2)  # a look-alike: worth seeing, after the real thing
        label = n_text + n_title
        if is_generic_label(n_text, generic) and len(n_context) <= CONTEXT_MAX:
            label += n_context
        if _hub_score(catalog.hubs, label, n_url):
            best = max(best, 0.8)
        return round(best, 3)

    def scorer(link: Link) -> float:
        return score(link.url, link.text, link.title, link.context, link.tag)

    return scorer
