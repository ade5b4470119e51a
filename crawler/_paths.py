"""Click paths: the shortest way from the home page to each page, as a person
would click it. This is what an agency writes in its OIT answer
("หน้าแรก > ข้อมูลพื้นฐาน > โครงสร้าง") and what a report shows.

The crawl order is best-first, not breadth-first, so the path a page was
discovered through is not always the shortest; after the crawl a BFS over the
link graph finds the shortest one.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable

from ._models import ClickStep, Link
from ._url import dedup_key

__all__ = ["FREE_TAGS", "SITEMAP_LABEL", "LinkGraph", "label"]

SITEMAP_LABEL = "(sitemap)"
FREE_TAGS = frozenset({"meta-refresh", "frame", "iframe"})  # followed by the browser, not clicked
_TAG_LABELS = {"meta-refresh": "(meta refresh)", "frame": "(frame)", "iframe": "(iframe)"}
_SNIPPET = 80


def label(link: Link) -> str:
    """The words a person would click: the link text, else its title/alt, else
    the row it sits in, else what kind of link it is, else the URL."""
    if link.text:
        return link.text
    if link.title:
        return link.title
    if link.context:
        context = link.context
        return context if len(context) <= _SNIPPET else context[: _SNIPPET - 1].rstrip() + "…"
    if link.tag == "sitemap":
        return SITEMAP_LABEL
    return _TAG_LABELS.get(link.tag, link.url)


class LinkGraph:
    """Pages and the links on them, keyed by de-duplication key."""

    def __init__(self) -> None:
        self._edges: dict[str, list[Link]] = {}
        self._alias: dict[str, str] = {}  # redirect source/target key → page key

    def add_page(self, key: str, links: Iterable[Link], also: Iterable[str] = ()) -> None:
        """A fetched page and its links. ``also``: other URLs that reach the
        same page (its redirect hops and final URL)."""
        self._edges.setdefault(key, []).extend(links)
        for url in also:
            other = dedup_key(url)
            if other != key and other not in self._edges:
                self._alias.setdefault(other, key)

    def add_alias(self, key: str, url: str) -> None:
        """``key`` (a URL that redirected) reaches the page fetched as ``url``."""
        target = self.node(url)
        if key != target and key not in self._edges:
            self._alias.setdefault(key, target)

    def add_edge(self, key: str, link: Link) -> None:
        self._edges.setdefault(key, []).append(link)

    def node(self, url: str) -> str:
        key = dedup_key(url)
        return self._alias.get(key, key)

    def shortest_paths(
        self, home: str, sitemap_roots: Iterable[str] = ()
    ) -> tuple[dict[str, list[ClickStep]], dict[str, Link]]:
        """Shortest click paths from the home page, then from sitemap-only pages.

        Returns (path per node, the link each node was reached through). A node
        reached only from the sitemap gets ``[ClickStep(url, "(sitemap)")]``.
        Frames, iframes and meta refreshes cost no click: the browser follows
        them, so they add no step (a 0-1 BFS).
        """
        home = self.node(home)
        paths: dict[str, list[ClickStep]] = {home: []}
        via: dict[str, Link] = {}
        self._bfs(deque([home]), paths, via, frozen=set())
        reached_from_home = set(paths)
        extra: deque[str] = deque()
        for url in sitemap_roots:
            key = self.node(url)
            if key not in paths:
                paths[key] = [ClickStep(url, SITEMAP_LABEL)]
                extra.append(key)
        self._bfs(extra, paths, via, frozen=reached_from_home)
        return paths, via

    def _bfs(
        self,
        queue: deque[str],
        paths: dict[str, list[ClickStep]],
        via: dict[str, Link],
        frozen: set[str],
    ) -> None:
        while queue:
            node = queue.popleft()
            base = paths[node]
            for link in self._edges.get(node, ()):
                target = self.node(link.url)
                free = link.tag in FREE_TAGS
                length = len(base) + (0 if free else 1)
                if target in frozen or (target in paths and len(paths[target]) <= length):
                    continue
                paths[target] = base if free else [*base, ClickStep(link.url, label(link))]
                via[target] = link
                if free:
                    queue.appendleft(target)
                else:
                    queue.append(target)
