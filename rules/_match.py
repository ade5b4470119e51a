"""Compiled matchers: keywords on normalised text, regexes on URLs and text.

Everything here works on text already passed through :func:`normalize_th`
(keywords are normalised when they are compiled).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import unquote

from ._normalize import normalize_th

__all__ = ["Keyword", "KeywordSet", "Patterns", "readable_pattern", "url_for_matching"]


@dataclass(frozen=True, slots=True)
class Keyword:
    """One keyword: a normalised substring with optional guards, or a regex.

    ``not_inside`` guards a short word against longer words that contain it:
    ``ไลน์`` (LINE) with ``not_inside: [ออนไลน์]`` does not match "บริการออนไลน์".
    """

    raw: str  # as written in the rule file, for messages
    norm: str = ""  # normalised substring ("" for a regex keyword)
    guards: tuple[tuple[str, tuple[int, ...]], ...] = ()  # (guard, offsets of norm in guard)
    regex: re.Pattern[str] | None = None

    @classmethod
    def word(cls, raw: str, not_inside: tuple[str, ...] | list[str] = ()) -> Keyword:
        norm = normalize_th(raw)
        guards = []
        for g in not_inside:
            gn = normalize_th(g)
            offsets = tuple(i for i in range(len(gn) - len(norm) + 1) if gn.startswith(norm, i))
            if offsets:
                guards.append((gn, offsets))
        return cls(raw=raw, norm=norm, guards=tuple(guards))

    @classmethod
    def pattern(cls, raw: str) -> Keyword:
        return cls(raw=raw, regex=re.compile(raw, re.IGNORECASE))

    def search(self, text: str) -> bool:
        """Whether the keyword occurs in normalised ``text`` outside its guards."""
        if self.regex is not None:
            return self.regex.search(text) is not None
        if not self.norm:
            return False
        start = text.find(self.norm)
        while start != -1:
            if not self._guarded(text, start):
                return True
            start = text.find(self.norm, start + 1)
        return False

    def _guarded(self, text: str, start: int) -> bool:
        for guard, offsets in self.guards:
            for off in offsets:
                s = start - off
                if s >= 0 and text.startswith(guard, s):
                    return True
        return False


@dataclass(frozen=True, slots=True)
class KeywordSet:
    """Keywords tried in order; a quick combined pre-check rejects most texts."""

    keywords: tuple[Keyword, ...] = ()
    _quick: re.Pattern[str] | None = field(default=None, compare=False)

    @classmethod
    def of(cls, keywords: list[Keyword] | tuple[Keyword, ...]) -> KeywordSet:
        kws = tuple(keywords)
        parts = [re.escape(k.norm) if k.regex is None else f"(?:{k.regex.pattern})" for k in kws]
        quick = re.compile("|".join(parts), re.IGNORECASE) if parts else None
        return cls(kws, quick)

    def __bool__(self) -> bool:
        return bool(self.keywords)

    def first(self, text: str) -> Keyword | None:
        """The first keyword found in normalised ``text``, or None."""
        if not text or self._quick is None or self._quick.search(text) is None:
            return None
        for k in self.keywords:
            if k.search(text):
                return k
        return None

    def all_found(self, text: str) -> list[Keyword]:
        if not text or self._quick is None or self._quick.search(text) is None:
            return []
        return [k for k in self.keywords if k.search(text)]

    def missing(self, text: str) -> list[Keyword]:
        return [k for k in self.keywords if not k.search(text)]


@dataclass(frozen=True, slots=True)
class Patterns:
    """Regexes (case-insensitive), e.g. on URLs."""

    patterns: tuple[re.Pattern[str], ...] = ()

    @classmethod
    def of(cls, sources: list[str] | tuple[str, ...]) -> Patterns:
        return cls(tuple(re.compile(s, re.IGNORECASE) for s in sources))

    def __bool__(self) -> bool:
        return bool(self.patterns)

    def first(self, text: str) -> re.Pattern[str] | None:
        if not text:
            return None
        for p in self.patterns:
            if p.search(text):
                return p
        return None


def url_for_matching(url: str) -> str:
    """A URL as URL regexes see it: percent-escapes decoded (Thai slugs readable)."""
    return unquote(url)  # never raises: invalid escapes are left as they are


_LOOKAROUND = re.compile(r"\(\?<?[=!][^()]*\)")
_OPTIONAL_GROUP = re.compile(r"\((?:\?:)?[^()]*\)\?")
_ALTERNATION = re.compile(r"\((?:\?:)?([^()|]*)\|[^()]*\)")
_CLASS = re.compile(r"\[[^\]]*\](?:\{\d+(?:,\d*)?\}|[+*?])?")


def readable_pattern(pattern: str) -> str:
    r"""A URL regex as a person would write it, for messages:
    ``//(www\.)?fb\.(com|me)/`` → ``fb.com``; ``itas\.nacc\.go\.th/go/eit/[a-z0-9]{6}``
    → ``itas.nacc.go.th/go/eit/…``."""
    s = _LOOKAROUND.sub("", pattern)
    s = _OPTIONAL_GROUP.sub("", s)
    while _ALTERNATION.search(s):
        s = _ALTERNATION.sub(lambda m: m.group(1), s)
    s = _CLASS.sub("…", s)
    s = s.replace("\\.", ".").replace("\\", "").replace("^", "").replace("$", "")
    s = s.replace("?", "").strip("/").lstrip("…").strip("/.")
    return s or pattern
