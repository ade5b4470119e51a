"""The schema of rule files and catalog.yaml (pydantic, ``extra="forbid"``),
and the translation of pydantic's errors into :class:`RuleError`.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from ._errors import RuleError
from ._match import Keyword as Keyword_
from ._match import KeywordSet
from ._yaml import YamlDoc

__all__ = [
    "AlsoSpec",
    "CatalogFile",
    "ElementSpec",
    "FindSpec",
    "HubSpec",
    "KeywordSpec",
    "NotSpec",
    "RequireMeta",
    "RuleFile",
    "TextTH",
    "compile_keywords",
    "errors_from_validation",
    "format_loc",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _check_regex(v: str) -> str:
    try:
        re.compile(v, re.IGNORECASE)
    except re.error as e:
        raise ValueError(f"not a valid regular expression: {e}") from None
    return v


def _to_str(v: Any) -> Any:
    # YAML reads 1567 or 2566 as numbers; keywords are text
    if isinstance(v, int | float) and not isinstance(v, bool):
        return str(v)
    return v


Regex = Annotated[str, BeforeValidator(_to_str), Field(min_length=1), AfterValidator(_check_regex)]


class TextTH(_Strict):
    """A text shown to users, in Thai and English."""

    th: str = Field(min_length=1)
    en: str = Field(min_length=1)


class KeywordSpec(_Strict):
    """A keyword: ``word`` (substring after normalisation) or ``regex``."""

    word: str | None = None
    regex: str | None = None
    not_inside: list[Annotated[str, BeforeValidator(_to_str)]] = Field(default_factory=list)

    @model_validator(mode="after")
    def _one_kind(self) -> KeywordSpec:
        if (self.word is None) == (self.regex is None):
            raise ValueError("give exactly one of 'word' or 'regex'")
        if self.word is not None and not self.word.strip():
            raise ValueError("empty keyword")
        if self.regex is not None:
            _check_regex(self.regex)
            if self.not_inside:
                raise ValueError("'not_inside' only works with 'word'")
        return self


def _keyword(v: Any) -> Any:
    v = _to_str(v)
    return {"word": v} if isinstance(v, str) else v


Keyword = Annotated[KeywordSpec, BeforeValidator(_keyword)]
_RegexList = list[Regex]


class FindSpec(_Strict):
    """What makes a candidate for an item."""

    keywords: list[Keyword] = Field(default_factory=list)
    url: _RegexList = Field(default_factory=list)
    external: _RegexList = Field(default_factory=list)

    @model_validator(mode="after")
    def _something(self) -> FindSpec:
        if not (self.keywords or self.url or self.external):
            raise ValueError("give at least one of 'keywords', 'url' or 'external'")
        return self


class NotSpec(_Strict):
    """Look-alikes: a candidate matching one does not count; ``reason`` says why."""

    keywords: list[Keyword] = Field(default_factory=list)
    url: _RegexList = Field(default_factory=list)
    reason: TextTH
    # false: the words only disqualify a candidate `find` matched ("รายงานผล" in a plan's
    # label); alone they make no look-alike worth reporting
    look_alike: bool = True

    @model_validator(mode="after")
    def _something(self) -> NotSpec:
        if not (self.keywords or self.url):
            raise ValueError("give 'keywords' or 'url'")
        return self


class RequireMeta(_Strict):
    """The fields of a ``require`` entry besides its one check."""

    reason: TextTH | None = None
    if_missing: Literal["partial", "fail"] = "partial"


class ElementSpec(_Strict):
    """One required element of the content ("ปัญหา/อุปสรรค"): found when one of its words
    or patterns occurs. ``th``/``en`` name it in reasons ("missing: problems/obstacles")."""

    th: str = Field(min_length=1)
    en: str = Field(min_length=1)
    words: list[Keyword] = Field(default_factory=list)
    patterns: list[Regex] = Field(default_factory=list)

    @model_validator(mode="after")
    def _something(self) -> ElementSpec:
        if not self.words and not self.patterns:
            raise ValueError("give 'words' or 'patterns'")
        return self


class AlsoSpec(_Strict):
    """A second thing the item needs somewhere on the site (O43: the measures' progress
    report *and* the EIT survey QR code): found and checked like the item itself."""

    name: TextTH
    find: FindSpec
    not_: list[NotSpec] = Field(default_factory=list, alias="not")
    require: list[dict[str, Any]] = Field(default_factory=list)


class RuleFile(_Strict):
    """One item's rule file, e.g. ``o18.yaml``."""

    code: str = Field(pattern=r"^[A-Za-z]+\d+$")
    title: TextTH
    source: str = Field(min_length=1)
    requirement: TextTH
    find: FindSpec
    not_: list[NotSpec] = Field(default_factory=list, alias="not")
    require: list[dict[str, Any]] = Field(default_factory=list)
    also: list[AlsoSpec] = Field(default_factory=list)
    # flag evidence that names another agency (อบต./เทศบาล ... with a different name)
    agency_check: bool = True

    @field_validator("code", mode="before")
    @classmethod
    def _code_str(cls, v: Any) -> Any:
        return v.upper() if isinstance(v, str) else v


class CatalogItem(_Strict):
    code: str = Field(pattern=r"^[A-Za-z]+\d+$")
    th: str = Field(min_length=1)
    en: str = Field(min_length=1)
    # judge this item with the rule file of another item of the parent catalog
    # (the same requirement under another number): ``same_as: O11``
    same_as: str | None = Field(default=None, pattern=r"^[A-Za-z]+\d+$")
    unknown: bool = False  # what the item requires is not known: listed, never judged
    note: str | None = None

    @model_validator(mode="after")
    def _not_both(self) -> CatalogItem:
        if self.unknown and self.same_as:
            raise ValueError("an unknown item has no rule: remove 'same_as' or 'unknown'")
        return self


class SubIndicatorSpec(_Strict):
    code: Annotated[str, BeforeValidator(_to_str)]
    title: TextTH
    items: list[CatalogItem] = Field(min_length=1)


class IndicatorSpec(_Strict):
    code: Annotated[str, BeforeValidator(_to_str)]
    title: TextTH
    sub_indicators: list[SubIndicatorSpec] = Field(min_length=1)


class HubSpec(_Strict):
    """Labels of pages that list many items (ITA/OIT hub pages): crawled early."""

    keywords: list[Keyword] = Field(default_factory=list)
    url: _RegexList = Field(default_factory=list)


class GradeSpec(_Strict):
    """A grade band: a score of ``min`` or more (and below the next band) gets it."""

    min: float = Field(ge=0, le=100)
    th: str = Field(min_length=1)
    en: str = Field(min_length=1)


VocabEntry = list[Keyword] | ElementSpec


class CatalogFile(_Strict):
    """``catalog.yaml``."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$")
    fiscal_year: int = Field(ge=2500, le=2700)
    title: TextTH
    source: str | None = None
    # another catalog this one builds on: its items, structure, rule files and vocabulary
    extends: str | None = Field(default=None, pattern=r"^[a-z0-9][a-z0-9._-]*$")
    # complete: every item is known; provisional: read off agency sites, items may be unknown
    status: Literal["complete", "provisional"] = "complete"
    note: str | None = None
    hubs: HubSpec | None = None
    generic_link_texts: list[Annotated[str, BeforeValidator(_to_str)]] | None = None
    # named keyword lists / elements that rule files use as "$name"
    vocabulary: dict[str, VocabEntry] | None = None
    grades: list[GradeSpec] | None = None
    grades_note: str | None = None
    indicators: list[IndicatorSpec] | None = Field(default=None, min_length=1)

    @field_validator("vocabulary")
    @classmethod
    def _names(cls, v: dict[str, Any] | None) -> dict[str, Any] | None:
        for name in v or {}:
            if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
                raise ValueError(f"vocabulary name {name!r}: use lower-case letters, digits and _")
        return v

    @model_validator(mode="after")
    def _structure(self) -> CatalogFile:
        if self.indicators is None and self.extends is None:
            raise ValueError("give 'indicators' (or 'extends' to take them from another catalog)")
        if self.grades:
            mins = [g.min for g in self.grades]
            if mins != sorted(mins, reverse=True):
                raise ValueError("grades: list the bands from the highest 'min' down")
        return self


# --- pydantic errors -> RuleError ---------------------------------------------------------


def format_loc(loc: Sequence[str | int]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _unwrap(tp: Any) -> Any:
    """The model class inside list[...] / Annotated[...] / X | None, else None."""
    while True:
        origin = typing.get_origin(tp)
        if origin is Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (list, tuple, set, dict):
            args = typing.get_args(tp)
            tp = args[-1] if args else Any
        elif origin in (typing.Union, types.UnionType):
            members = [a for a in typing.get_args(tp) if a is not type(None)]
            tp = members[0] if len(members) == 1 else Any
        else:
            return tp if isinstance(tp, type) and issubclass(tp, BaseModel) else None


def _fields_at(model: type[BaseModel], loc: Sequence[str | int]) -> list[str]:
    """Allowed field names of the model found by following ``loc`` from ``model``."""
    current: type[BaseModel] | None = model
    for part in loc:
        if current is None:
            return []
        if isinstance(part, int):
            continue
        fld = next((f for n, f in current.model_fields.items() if (f.alias or n) == part), None)
        if fld is None:
            return []
        current = _unwrap(fld.annotation)
    if current is None:
        return []
    return [f.alias or n for n, f in current.model_fields.items()]


_MESSAGES = {
    "missing": "required field is missing",
    "string_type": "should be text",
    "list_type": "should be a list",
    "dict_type": "should be a mapping (field: value)",
    "model_type": "should be a mapping (field: value)",
    "model_attributes_type": "should be a mapping (field: value)",
    "bool_type": "should be true or false",
    "bool_parsing": "should be true or false",
    "int_type": "should be a whole number",
    "int_parsing": "should be a whole number",
}


_NOT_A_FIELD = re.compile(
    r"^(?:function-|literal\[|union\[|tagged-union|json-|(?:int|str|float|bool)$)"
)


def errors_from_validation(
    exc: ValidationError,
    doc: YamlDoc,
    model: type[BaseModel],
    prefix: Sequence[str | int] = (),
) -> list[RuleError]:
    """One RuleError per pydantic error, with field path, line and a plain message."""
    out: list[RuleError] = []
    for err in exc.errors(include_url=False):
        # validators and union members add their own names to loc; keep only real fields
        loc = [p for p in err["loc"] if isinstance(p, int) or not _NOT_A_FIELD.match(str(p))]
        full = [*prefix, *loc]
        kind = err["type"]
        if kind == "extra_forbidden":
            allowed = _fields_at(model, loc[:-1])
            name = str(loc[-1]) if loc else "?"
            close = difflib.get_close_matches(name, allowed, n=1)
            msg = "unknown field"
            if close:
                msg += f" (did you mean '{close[0]}'?)"
            elif allowed:
                msg += f" (allowed: {', '.join(allowed)})"
        elif kind in _MESSAGES:
            msg = _MESSAGES[kind]
        elif kind == "value_error":
            msg = str(err.get("ctx", {}).get("error", err["msg"]))
        else:
            msg = err["msg"]
            msg = re.sub(r"^Input should be", "should be", msg)
            msg = re.sub(r"^String should", "should", msg)
            msg = re.sub(r"^Value error, ", "", msg)
        if (
            kind not in ("missing", "extra_forbidden")
            and "input" in err
            and not isinstance(err["input"], dict | list)
        ):
            msg += f" (got {err['input']!r})"
        out.append(RuleError(doc.path, msg, field=format_loc(full) or None, line=doc.line_of(full)))
    return out


def validate_model(
    model: type[BaseModel], data: Any, doc: YamlDoc, path: Path | None = None
) -> tuple[Any, list[RuleError]]:
    """Validate ``data``; return (instance or None, errors)."""
    try:
        return model.model_validate(data), []
    except ValidationError as e:
        return None, errors_from_validation(e, doc, model)


def compile_keywords(specs: Sequence[KeywordSpec]) -> KeywordSet:
    """Validated keyword specs → a KeywordSet (keywords normalised here)."""
    out: list[Keyword_] = []
    for s in specs:
        if s.regex is not None:
            out.append(Keyword_.pattern(s.regex))
        elif s.word is not None:
            out.append(Keyword_.word(s.word, tuple(s.not_inside)))
    return KeywordSet.of(out)
