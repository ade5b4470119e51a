"""The frontier: which URL to fetch next, and which never to fetch.

Best-first: a heap keyed by (-priority, depth, seq) where priority is the
scorer's relevance of the link minus a small penalty per click of depth
(every click, so the sixth page of a listing waits behind the first) and a
smaller one per earlier URL of the same shape (the members of one collection).
Without a scorer every score is 0 and the order is breadth-first.

Crawl traps (calendars with endless "next month" links, endless ``?page=N``,
random query strings, ``/a/b/a/b/a/b`` paths) must not eat the page budget.
URL shapes that are traps by themselves are refused when pushed; URLs that
are only traps in numbers are capped per "bucket" (same host and path, same
query keys, ...) when popped, so the most relevant members of a bucket get its
slots. Buckets also cap how many URLs may wait, to bound memory.

The depth limit counts navigation, not hops (:func:`navigation_hop`): a
document link, a pagination link and a fiscal-year tab of the page being read
cost no level (``Candidate.nav_depth``), since a person reaches them from that
page without going deeper into the site. Their chains stay bounded: documents
have no links, and pagination and year tabs are capped per bucket.

Evidence candidates (a score of at least ``candidate_score``) wait in a second
heap too, so the crawl can serve only them once the rest of the page budget
is spent (the reserve, see ``SiteRun``); they may also go a few clicks beyond
``max_depth`` (``candidate_depth``).
"""

from __future__ import annotations

import heapq
import itertools
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from urllib.parse import unquote, urlsplit

from ._models import Link
from ._url import dedup_key

__all__ = ["Candidate", "Frontier", "TrapLimits", "navigation_hop", "trap_shape"]

DEPTH_PENALTY = 0.1  # a link scored 1.0 beats an unscored one up to ten clicks shallower
SITEMAP_PENALTY = 0.1  # sitemap URLs wait behind links at the same depth
# Each URL of one shape (/gallery/album/#/, /news/view.php?id=#) met before this
# one lowers its priority a little: the 40th album of a gallery the scorer likes
# must not outrank the first document of another item. Ordering only: nothing
# is refused for it.
SIBLING_PENALTY = 0.01


@dataclass
class TrapLimits:
    max_url_length: int = 1000
    max_path_segments: int = 12
    max_segment_repeats: int = 2  # /a/b/a/b/a/b has "a" three times
    max_query_variants: int = 30  # URLs per host + path + set of query keys
    max_path_variants: int = 60  # URLs per host + path, any query
    max_calendar: int = 5  # calendar-like URLs per host + path shape
    max_pagination: int = 10  # ?page=N / /page/N URLs per listing (path shape + other query)
    max_year_tabs: int = 10  # fiscal-year variants (?year=2566, ?fy=2566) of one URL
    waiting_factor: int = 10  # a bucket may hold this many times its cap in the queue
    max_queued: int = 50_000


@dataclass
class Candidate:
    url: str
    depth: int  # clicks from the home page along the discovery path (for the priority)
    score: float = 0.0
    link: Link | None = None  # the link it was found through (None: the seed)
    parent: str | None = None  # dedup key of the page it was found on
    from_sitemap: bool = False
    buckets: tuple[tuple[str, int], ...] = field(default=(), repr=False)
    # Levels of navigation along that path, for max_depth: clicks minus the
    # document, pagination and year-tab hops (navigation_hop). None: = depth.
    nav_depth: int | None = None
    siblings: int = 0  # URLs of the same shape queued before it (SIBLING_PENALTY)

    @property
    def levels(self) -> int:
        return self.depth if self.nav_depth is None else self.nav_depth

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
# Fiscal-year tabs: a key naming a year with a bare year value (BE 2500-2599 or
# CE 1990-2049), or a path segment that is such a year. Alone (no month, no
# day) a year is a tab of a listing, not a calendar: years are few.
_YEAR_KEYS = frozenset(
    "year yr y fy fiscal_year fiscalyear budget_year budgetyear byear yearbudget"  # noqa: SIM905
    " ปี ปีงบ ปีงบประมาณ".split()
)
_YEAR_VALUE = re.compile(r"^(?:199\d|20[0-4]\d|25\d\d)$")


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


def _is_year_pair(key: str, value: str) -> bool:
    return key in _YEAR_KEYS and _YEAR_VALUE.match(value) is not None


def _is_page_pair(key: str, value: str) -> bool:
    return key in _PAGINATION_KEYS and value.isdigit()


def _year_segments(path: str) -> list[int]:
    return [i for i, s in enumerate(path.split("/")) if _YEAR_VALUE.match(s)]


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
    years = [(k, v) for k, v in pairs if _is_year_pair(k, v)]
    calendar_path = (
        _CALENDAR_PATH.search(unquote(parts.path)) is not None
        or _DATE_PATH.search(parts.path) is not None
    )
    # A bare fiscal year is a tab (capped per URL in the "y" bucket), not a calendar.
    calendar = calendar_path or any(
        _is_calendar_pair(k, v) for k, v in pairs if (k, v) not in years
    )
    if calendar:
        buckets.append((f"c:{shape}", limits.max_calendar))  # any query keys
    elif years:
        rest = "&".join(f"{k}={v}" for k, v in pairs if (k, v) not in years)
        buckets.append((f"y:{base}?{rest}", limits.max_year_tabs))
    if _PAGE_PATH.search(parts.path) or any(_is_page_pair(k, v) for k, v in pairs):
        # One cap per listing: other query values (?cat=3, ?year=2566) name the
        # listing; the q- and p-buckets still bound how many listings one path has.
        listing = "&".join(f"{k}={v}" for k, v in pairs if k not in _PAGINATION_KEYS)
        buckets.append((f"n:{shape}?{keys}&{listing}", limits.max_pagination))
    return tuple(buckets)


def _listing_of(url: str) -> tuple[str, str, frozenset[tuple[str, str]], frozenset[str], bool]:
    """A URL as (host, path without /page/N, query without page numbers,
    sort orders and fiscal years, its fiscal years, has a page number)."""
    parts = urlsplit(url)
    path = _PAGE_PATH.sub("", parts.path).rstrip("/")
    paged = path != parts.path.rstrip("/")
    kept: set[tuple[str, str]] = set()
    years: set[str] = set()
    for key, value in _query_pairs(parts.query):
        if _is_year_pair(key, value):
            years.add(value)
        elif _is_page_pair(key, value):
            paged = True
        elif key not in _PAGINATION_KEYS:  # sort orders do not change the listing
            kept.add((key, value))
    return parts.netloc.lower(), path, frozenset(kept), frozenset(years), paged


def _path_year_tab(path: str, p_path: str, text: str) -> bool:
    """``/ita/2565`` → ``/ita/2566`` or ``/ita`` → ``/ita/2566``, and the link's
    text shows that year: a path segment alone may be an id (/news/2534)."""
    segments, p_segments = path.split("/"), p_path.split("/")
    if len(segments) == len(p_segments) + 1 and segments[:-1] == p_segments:
        if _year_segments(p_path):
            return False  # /ita/2566/2565 is a relative-link loop, not a tab
        year = segments[-1]
    elif len(segments) == len(p_segments):
        diff = [i for i, (a, b) in enumerate(zip(segments, p_segments, strict=True)) if a != b]
        if len(diff) != 1 or not _YEAR_VALUE.match(p_segments[diff[0]]):
            return False
        year = segments[diff[0]]
    else:
        return False
    return _YEAR_VALUE.match(year) is not None and year in _DIGITS.findall(text)


def navigation_hop(page_url: str, link_url: str, kind: str | None, text: str = "") -> str | None:
    """Why following ``link_url`` from ``page_url`` costs no click of depth, or None.

    "document": a file linked from the page (``kind`` is ``kind_of_url``'s);
    "pagination": another page of the same listing (``?page=3``, ``/page/3``,
    also within one fiscal-year tab); "year": another fiscal-year tab of the
    same page (``?year=2566``, ``?fy=2566``; ``/ita/2566`` only when the link
    text ``text`` shows the year).
    """
    if kind == "document":
        return "document"
    if dedup_key(page_url) == dedup_key(link_url):
        return None
    host, path, query, years, paged = _listing_of(link_url)
    p_host, p_path, p_query, p_years, p_paged = _listing_of(page_url)
    if host != p_host or query != p_query:
        return None
    if path != p_path:
        if years == p_years and not paged and _path_year_tab(path, p_path, text):
            return "year"
        return None
    if years != p_years:
        return "year"
    if paged or p_paged:
        return "pagination"
    return None


class Frontier:
    """Best-first queue of candidates for one site.

    ``candidate_score``: the score from which a link is an evidence candidate
    (None: no link is); candidates may go ``candidate_depth`` clicks beyond
    ``max_depth`` and can be popped alone (``pop(candidates_only=True)``).
    """

    def __init__(
        self,
        *,
        max_depth: int,
        limits: TrapLimits | None = None,
        candidate_score: float | None = None,
        candidate_depth: int = 0,
    ) -> None:
        self.max_depth = max_depth
        self.limits = limits or TrapLimits()
        self.candidate_score = candidate_score
        self.candidate_depth = candidate_depth
        self._heap: list[tuple[float, int, int, str]] = []
        self._candidates: list[tuple[float, int, int, str]] = []  # the candidates only
        self._queued: dict[str, tuple[float, Candidate]] = {}  # key → (priority, best candidate)
        self._done: set[str] = set()
        self._seq = itertools.count()
        self._taken: Counter[str] = Counter()  # bucket → URLs dispatched
        self._waiting: Counter[str] = Counter()  # bucket → URLs pushed
        self._shapes: Counter[str] = Counter()  # URL shape → URLs queued

    def __len__(self) -> int:
        return len(self._queued)

    def is_known(self, key: str) -> bool:
        return key in self._done or key in self._queued

    def is_candidate(self, candidate: Candidate) -> bool:
        """Does the link's score make it an evidence candidate?"""
        return self.candidate_score is not None and candidate.score >= self.candidate_score

    def mark_done(self, key: str) -> None:
        """Record a URL as handled (e.g. the home page's redirect target)."""
        self._done.add(key)
        self._queued.pop(key, None)

    @staticmethod
    def priority(candidate: Candidate) -> float:
        penalty = DEPTH_PENALTY * candidate.depth + SIBLING_PENALTY * candidate.siblings
        if candidate.from_sitemap:
            penalty += SITEMAP_PENALTY
        return candidate.score - penalty

    def _enqueue(self, prio: float, candidate: Candidate) -> None:
        entry = (-prio, candidate.depth, next(self._seq), candidate.key)
        heapq.heappush(self._heap, entry)
        if self.is_candidate(candidate):
            heapq.heappush(self._candidates, entry)

    def push(self, candidate: Candidate) -> tuple[str, str] | None:
        """Queue a candidate. Returns (skip reason, detail) when refused."""
        key = candidate.key
        if key in self._done:
            return None
        prio = self.priority(candidate)
        queued = self._queued.get(key)
        if queued is not None:
            old = queued[1]
            if prio <= queued[0]:
                candidate, old = old, candidate
            # Found again: keep the better link, and the best score and the
            # shallowest depths of both (a candidate stays one when found again
            # through a plain, shallower link).
            best = replace(
                candidate,
                score=max(candidate.score, old.score),
                depth=min(candidate.depth, old.depth),
                nav_depth=min(candidate.levels, old.levels),
                buckets=queued[1].buckets,
                siblings=queued[1].siblings,
            )
            prio = self.priority(best)
            if prio > queued[0]:
                # Re-queue; the stale heap entry is ignored when popped.
                self._queued[key] = (prio, best)
                self._enqueue(prio, best)
            return None
        limit = self.max_depth
        if self.is_candidate(candidate):
            limit += self.candidate_depth
        if candidate.levels > limit:
            if limit > self.max_depth:
                return "depth", (
                    f"depth {candidate.levels} > max_depth {self.max_depth}"
                    f" + {self.candidate_depth} for evidence candidates"
                )
            return "depth", f"depth {candidate.levels} > max_depth {self.max_depth}"
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
        shape = _shape(candidate.url)
        candidate.siblings = self._shapes[shape]
        self._shapes[shape] += 1
        prio = self.priority(candidate)
        self._queued[key] = (prio, candidate)
        self._enqueue(prio, candidate)
        return None

    def pop(
        self, *, candidates_only: bool = False
    ) -> tuple[Candidate | None, list[tuple[Candidate, str]]]:
        """The best candidate (only an evidence candidate with
        ``candidates_only``), and the candidates dropped on the way because
        their bucket was full (each with the reason detail)."""
        heap = self._candidates if candidates_only else self._heap
        dropped: list[tuple[Candidate, str]] = []
        while heap:
            neg_prio, _, _, key = heapq.heappop(heap)
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
        self._candidates.clear()
        return rest


def _shape(url: str) -> str:
    """A URL with its numbers blanked: the members of one collection share it."""
    parts = urlsplit(url)
    return _DIGITS.sub("#", f"{parts.netloc}{parts.path}?{parts.query}")


def _describe(bucket: str) -> str:
    kind, _, what = bucket.partition(":")
    names = {
        "q": "query variants of one path",
        "p": "query variants of one path",
        "c": "calendar-like URLs",
        "n": "pagination URLs",
        "y": "fiscal-year variants of one URL",
    }
    return f"too many {names.get(kind, 'similar URLs')}: {what}"
