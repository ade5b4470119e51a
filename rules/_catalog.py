"""A loaded catalog: its items (compiled rules), structure, and link scorer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from crawler._models import Link

from ._match import KeywordSet, Patterns
from ._result import Reason
from .checks import Requirement

__all__ = ["Catalog", "Exclusion", "Find", "Grade", "Indicator", "ItemRule", "SubIndicator"]


@dataclass(frozen=True, slots=True)
class Find:
    """Compiled ``find``: what makes a candidate."""

    keywords: KeywordSet = field(default_factory=KeywordSet)
    url: Patterns = field(default_factory=Patterns)
    external: Patterns = field(default_factory=Patterns)


@dataclass(frozen=True, slots=True)
class Exclusion:
    """Compiled ``not`` entry: look-alikes that do not count, and why."""

    keywords: KeywordSet
    url: Patterns
    reason: Reason
    look_alike: bool = True  # False: only disqualifies what `find` matched, never a candidate



@dataclass(frozen=True, slots=True)
class ItemRule:
    """One item of a catalog and how it is checked.

    An item listed in catalog.yaml without a rule file (or marked ``unknown``) has
    ``implemented=False``: ``evaluate`` does not judge it and the score estimate lists it
    as not judged.
    """

    code: str
    title_th: str
    title_en: str
    requirement_th: str = ""
    requirement_en: str = ""
    source: str = ""
    find: Find = field(default_factory=Find)
    exclusions: tuple[Exclusion, ...] = ()
    requirements: tuple[Requirement, ...] = ()
    file: Path | None = None  # the rule file (possibly of a parent catalog)
    implemented: bool = True
    also: tuple[ItemRule, ...] = ()  # further parts the item needs (O43: the EIT QR code)
    agency_check: bool = True  # flag evidence that names another agency
    unknown: bool = False  # catalog.yaml: what the item requires is not known
    same_as: str | None = None  # judged with this item's rule of the parent catalog
    note: str = ""

    @property
    def fixtures_dir(self) -> Path | None:
        """``<catalog of the rule file>/fixtures/<code of the rule file>/``."""
        if self.file is None:
            return None
        return self.file.parent / "fixtures" / self.file.stem


@dataclass(frozen=True, slots=True)
class SubIndicator:
    code: str
    title_th: str
    title_en: str
    items: tuple[str, ...]  # item codes, catalog order


@dataclass(frozen=True, slots=True)
class Indicator:
    code: str
    title_th: str
    title_en: str
    sub_indicators: tuple[SubIndicator, ...]


@dataclass(frozen=True, slots=True)
class Grade:
    """A grade band: ``min`` or more (below the band above)."""

    min: float
    th: str
    en: str


@dataclass(frozen=True, slots=True)
class Catalog:
    """A list of items for one assessment year (e.g. ``ita-2566``)."""

    id: str
    fiscal_year: int  # Buddhist Era
    title_th: str
    title_en: str
    items: list[ItemRule]  # every item of catalog.yaml, catalog order
    structure: list[Indicator]  # indicators -> sub-indicators -> item codes
    path: Path
    hubs: Find = field(default_factory=Find)
    generic_link_texts: tuple[str, ...] = ()  # normalised, longest first
    extends: str | None = None  # id of the catalog this one builds on
    status: str = "complete"  # complete | provisional
    note: str = ""
    grades: tuple[Grade, ...] = ()  # highest band first
    grades_note: str = ""
    source: str = ""

    @property
    def provisional(self) -> bool:
        return self.status == "provisional"

    def grade(self, score: float) -> Grade | None:
        """The grade band of a score (None when the catalog has no bands)."""
        for g in self.grades:
            if score >= g.min:
                return g
        return self.grades[-1] if self.grades else None

    def item(self, code: str) -> ItemRule:
        code = code.upper()
        for it in self.items:
            if it.code == code:
                return it
        raise KeyError(code)

    def link_scorer(self) -> Callable[[Link], float]:
        """A function giving a link's relevance (0..1) to any item of the catalog;
        0 = irrelevant. Links to ITA/OIT hub pages score high too."""
        from ._labels import make_link_scorer

        return make_link_scorer(self)
