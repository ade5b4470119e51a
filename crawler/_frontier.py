"""The frontier: which URL to fetch next, and which never to fetch.

Best-first: a heap keyed by (-priority, depth, seq) where priority is the
scorer's relevance of the link minus a small penalty per click of depth.
Without a scorer every score is 0 and the order is breadth-first.

Crawl traps (calendars with endless "next month" links, endless ``?page=N``,
random query strings, ``/a/b/a/b/a/b`` paths) must not eat the page budget.
URL shapes that are traps by themselves are refused when pushed; URLs that
are only traps in numbers are capped per "bucket" (same host and path, same
query keys, ...) when popped, so the most relevant members of a bucket get its
slots. Buckets also cap how many URLs may wait, to bound memory.
"""

from __future__ import annotations

import heapq
import itertools
import re
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from ._models import Link
from ._url import dedup_key

__all__ = ["Candidate", "Frontier", "TrapLimits", "trap_shape"]

DEPTH_PENALTY = 0.1  # a link scored 1.0 beats an unscored one up to ten clicks shallower
SITEMAP_PENALTY = 0.1  # sitemap URLs wait behind links at the same depth


@dataclass
class TrapLimits:
    max_url_length: int = 1000
    max_path_segments: int = 12
    max_segment_repeats: int = 2  # /a/b/a/b/a/b has "a" three times
    max_query_variants: int = 30  # URLs per host + path + set of query keys
    max_path_variants: int = 60  # URLs per host + path, any query
    max_calendar: int = 5  # calendar-like URLs per host + path shape
    max_pagination: int = 10  # ?page=N / /page/N URLs per host + path shape
    waiting_factor: int = 10  # a bucket may hold this many times its cap in the queue
    max_queued: int = 50_000


@dataclass
class Candidate:
    url: str
    depth: int  # clicks from the home page along the discovery path
    score: float = 0.0
    link: Link | None = None  # the link it was found through (None: the seed)
    parent: str | None = None  # dedup key of the page it was found on
    from_sitemap: bool = False
    buckets: tuple[tuple[str, int], ...] = field(default=(), repr=False)

    @property
    def key(self) -> str:
        return dedup_key(self.url)


# Query keys of calendars and date archives ("d", "m", "y" only with a numeric value).
_CALENDAR_KEYS = frozenset(
    "date day month year week mon yr cal calendar monthnum ym yearmonth caldate start_date"  # noqa: SIM905
    " end_date startdate enddate tribe-bar-date eventdate event_date".split()
)
_SHORT_CALENDAR_KEYS = frozenset({"d", "m", "y"})
# Query keys of listings: page numbers, offsets and sort orders ("p" is a WordPress post id).
_PAGINATION_KEYS = frozenset(
    "page paged pg pageno page_no pagenum pagenumber pageindex start offset limit per_page"  # noqa: SIM905
    " perpage sort order orderby dir p_page cpage".split()
)
_CALENDAR_PATH = re.compile(
    r"(?:^|/)(?:calendar|calendars|events?-calendar|ical|cal|ปฏิทิน)(?:/|$|\.)", re.IGNORECASE
)
# Years CE 1990-2039 or BE 2530-2589, then a month (and a day): "2024-05-17", "/2567/05/".
_YEAR_MONTH = r"(?:199\d|20[0-3]\d|25[3-8]\d)[-/.](?:0?[1-9]|1[0-2])(?:[-/.]\d{1,2})?"
_DATE_VALUE = re.compile(rf"^{_YEAR_MONTH}$")
_DATE_PATH = re.compile(rf"/{_YEAR_MONTH}(?:/|$)")
_PAGE_PATH = re.compile(r"/page/\d+/?$", re.IGNORECASE)
_DIGITS = re.compile(r"\d+")


def trap_shape(url: str, limits: TrapLimits) -> str | None:
    """Why a URL's shape alone marks a trap, or None."""
    if len(url) > limits.max_url_length:
        return f"URL longer than {limits.max_url_length} characters"
    path = urlsplit(url).path
    segments = [s for s in path.split("/") if s]
    if len(segments) > limits.max_path_segments:
        return f"more than {limits.max_path_segments} path segments"
    counts = Counter(segments)
    if counts:
        segment, repeats = counts.most_common(1)[0]
        if repeats > limits.max_segment_repeats:
            return f"path segment {unquote(segment)!r} repeated {repeats} times"
    return None


def _query_pairs(query: str) -> list[tuple[str, str]]:
    pairs = []
    for part in query.split("&"):
        if part:
            key, _, value = part.partition("=")
            pairs.append((key.lower(), value))
    return pairs


def _is_calendar_pair(key: str, value: str) -> bool:
    if key in _CALENDAR_KEYS:
        return True
    # any other key with a date value: ?from=2024-05-01
    return (key in _SHORT_CALENDAR_KEYS and value.isdigit()) or _DATE_VALUE.match(value) is not None


def _buckets(url: str, limits: TrapLimits) -> tuple[tuple[str, int], ...]:
    """The capped groups a URL belongs to, with each group's cap."""
    parts = urlsplit(url)
    base = f"{parts.netloc}{parts.path}"
    shape = f"{parts.netloc}{_DIGITS.sub('#', parts.path)}"
    pairs = _query_pairs(parts.query)
    keys = ",".join(sorted({k for k, _ in pairs}))
    buckets: list[tuple[str, int]] = []
    if pairs:
        buckets.append((f"q:{base}?{keys}", limits.max_query_variants))
        buckets.append((f"p:{base}", limits.max_path_variants))
    calendar = (
        _CALENDAR_PATH.search(unquote(parts.path)) is not None
        or _DATE_PATH.search(parts.path) is not None
        or any(_is_calendar_pair(k, v) for k, v in pairs)
    )
    if calendar:
        buckets.append((f"c:{shape}", limits.max_calendar))  # any query keys
    if _PAGE_PATH.search(parts.path) or any(
        k in _PAGINATION_KEYS and v.isdigit() for k, v in pairs
    ):
        buckets.append((f"n:{shape}?{keys}", limits.max_pagination))
    return tuple(buckets)


class Frontier:
    """Best-first queue of candidates for one site."""

    def __init__(self, *, max_depth: int, limits: TrapLimits | None = None) -> None:
        self.max_depth = max_depth
        self.limits = limits or TrapLimits()
        self._heap: list[tuple[float, int, int, str]] = []
        self._queued: dict[str, tuple[float, Candidate]] = {}  # key → (priority, best candidate)
        self._done: set[str] = set()
        self._seq = itertools.count()
        self._taken: Counter[str] = Counter()  # bucket → URLs dispatched
        self._waiting: Counter[str] = Counter()  # bucket → URLs pushed

    def __len__(self) -> int:
        return len(self._queued)

    def is_known(self, key: str) -> bool:
        return key in self._done or key in self._queued

    def mark_done(self, key: str) -> None:
        """Record a URL as handled (e.g. the home page's redirect target)."""
        self._done.add(key)
        self._queued.pop(key, None)

    @staticmethod
    def priority(candidate: Candidate) -> float:
        penalty = DEPTH_PENALTY * candidate.depth
        if candidate.from_sitemap:
            penalty += SITEMAP_PENALTY
        return candidate.score - penalty

    def push(self, candidate: Candidate) -> tuple[str, str] | None:
        """Queue a candidate. Returns (skip reason, detail) when refused."""
        key = candidate.key
        if key in self._done:
            return None
        if candidate.depth > self.max_depth:
            return "depth", f"depth {candidate.depth} > max_depth {self.max_depth}"
        prio = self.priority(candidate)
        queued = self._queued.get(key)
        if queued is not None:
            if prio > queued[0]:
                # Found again through a more relevant link: re-queue; the stale
                # heap entry is ignored when popped.
                candidate.buckets = queued[1].buckets
                self._queued[key] = (prio, candidate)
                heapq.heappush(self._heap, (-prio, candidate.depth, next(self._seq), key))
            return None
        why = trap_shape(candidate.url, self.limits)
        if why:
            return "trap", why
        candidate.buckets = _buckets(candidate.url, self.limits)
        for bucket, cap in candidate.buckets:
            if self._waiting[bucket] >= cap * self.limits.waiting_factor:
                return "trap", f"too many similar URLs ({bucket.split(':', 1)[0]}-bucket full)"
        if len(self._queued) >= self.limits.max_queued:
            return "budget", "frontier full"
        for bucket, _ in candidate.buckets:
            self._waiting[bucket] += 1
        self._queued[key] = (prio, candidate)
        heapq.heappush(self._heap, (-prio, candidate.depth, next(self._seq), key))
        return None

    def pop(self) -> tuple[Candidate | None, list[tuple[Candidate, str]]]:
        """The best candidate, and the candidates dropped on the way because
        their bucket was full (each with the reason detail)."""
        dropped: list[tuple[Candidate, str]] = []
        while self._heap:
            neg_prio, _, _, key = heapq.heappop(self._heap)
            queued = self._queued.get(key)
            if queued is None or queued[0] != -neg_prio:
                continue  # stale entry
            candidate = queued[1]
            del self._queued[key]
            self._done.add(key)
            full = [b for b, cap in candidate.buckets if self._taken[b] >= cap]
            if full:
                dropped.append((candidate, _describe(full[0])))
                continue
            for bucket, _ in candidate.buckets:
                self._taken[bucket] += 1
            return candidate, dropped
        return None, dropped

    def drain(self) -> list[Candidate]:
        """Everything still queued (what the budget or the clock cut off)."""
        rest = [c for _, c in self._queued.values()]
        self._queued.clear()
        self._heap.clear()
        return rest


def _describe(bucket: str) -> str:
    kind, _, what = bucket.partition(":")
    names = {
        "q": "query variants of one path",
        "p": "query variants of one path",
        "c": "calendar-like URLs",
        "n": "pagination URLs",
    }
    return f"too many {names.get(kind, 'similar URLs')}: {what}"
