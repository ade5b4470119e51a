"""Parameter models shared by several check types."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .._match import KeywordSet, Patterns
from .._schema import Keyword, Regex, compile_keywords
from ._base import KINDS, Check, CheckContext

__all__ = [
    "TextCheck",
    "UrlCheck",
    "TextMatcher",
    "TextParams",
    "UrlParams",
    "text_shorthand",
    "url_shorthand",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TextParams(_Strict):
    """Words and/or regexes searched in the normalised text of the target."""

    words: list[Keyword] = Field(default_factory=list)
    patterns: list[Regex] = Field(default_factory=list)
    at_least: int = Field(default=1, ge=1)

    @model_validator(mode="after")
    def _something(self) -> TextParams:
        if not self.words and not self.patterns:
            raise ValueError("give 'words' or 'patterns'")
        return self


class TextMatcher:
    """Compiled TextParams."""

    def __init__(self, params: TextParams) -> None:
        self.keywords: KeywordSet = compile_keywords(params.words)
        self.patterns: Patterns = Patterns.of(params.patterns)

    def any_in(self, text: str) -> bool:
        return self.keywords.first(text) is not None or any(
            p.search(text) for p in self.patterns.patterns
        )

    def found(self, text: str) -> tuple[list[str], list[str]]:
        """(what was found, what is missing), as written in the rule file."""
        found: list[str] = []
        missing: list[str] = []
        for k in self.keywords.keywords:
            (found if k.search(text) else missing).append(k.raw)
        for p in self.patterns.patterns:
            (found if p.search(text) else missing).append(p.pattern)
        return found, missing


def text_shorthand(raw: Any) -> Any:
    """``text_any: [a, b]`` means ``text_any: {words: [a, b]}``."""
    return {"words": raw} if isinstance(raw, list) else raw


class UrlParams(_Strict):
    urls: list[Regex] = Field(min_length=1)


def url_shorthand(raw: Any) -> Any:
    """``links_to: [re1, re2]`` (or one string) means ``links_to: {urls: [...]}``."""
    if isinstance(raw, str):
        return {"urls": [raw]}
    return {"urls": raw} if isinstance(raw, list) else raw


class TextCheck(Check):
    """Base of the checks that look for words in the target's text (text_any, text_all)."""

    Params = TextParams
    judges = frozenset({"page", "document"})  # documents only once their text is extracted
    reads_words = True

    def __init__(self, params: TextParams, ctx: CheckContext) -> None:
        super().__init__(params, ctx)
        self.matcher = TextMatcher(params)

    def matches_text(self, text: str) -> bool:
        return self.matcher.any_in(text)

    @classmethod
    def shorthand(cls, raw: Any) -> Any:
        return text_shorthand(raw)


class UrlCheck(Check):
    """Base of the checks that match URLs against the rule's regexes (links_to, url_matches)."""

    Params = UrlParams
    judges = KINDS

    def __init__(self, params: UrlParams, ctx: CheckContext) -> None:
        super().__init__(params, ctx)
        self.patterns = Patterns.of(params.urls)

    @classmethod
    def shorthand(cls, raw: Any) -> Any:
        return url_shorthand(raw)
