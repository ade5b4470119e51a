"""The base class of a ``require`` check and the registry of check types.

A check type is one small class in its own module, registered by name::

    @register
    class OnlineForm(Check):
        name = "online_form"
        Params = OnlineFormParams          # pydantic model, extra="forbid"
        judges = frozenset({"page", "document", "image", "external"})
        default_reason = Reason(th="...", en="...")

        def run(self, cand: Candidate) -> Outcome: ...

The name is the key a rule file writes (``- online_form: true``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from pydantic import BaseModel, ValidationError

from .._errors import RuleError
from .._result import Reason
from .._schema import errors_from_validation
from .._site import Candidate
from .._yaml import YamlDoc

__all__ = ["REGISTRY", "Check", "CheckContext", "Outcome", "register"]

KINDS = frozenset({"page", "document", "image", "external"})


@dataclass(frozen=True, slots=True)
class CheckContext:
    """What a check may know about the catalog it belongs to."""

    catalog_id: str
    fiscal_year: int  # Buddhist Era, e.g. 2566


@dataclass(frozen=True, slots=True)
class Outcome:
    """The result of one check on one candidate.

    ``met`` is None when the check cannot judge this candidate (e.g. the text of a
    document that is not extracted yet). ``detail`` adds a sentence to the rule's
    reason (e.g. "the page only offers 3 files to download"); ``found`` says what
    satisfied the check, for the evidence.
    """

    met: bool | None
    detail: Reason | None = None
    found: str = ""


class Check:
    """One requirement type. Subclasses set the class attributes and ``run``."""

    name: ClassVar[str]
    Params: ClassVar[type[BaseModel]]
    judges: ClassVar[frozenset[str]] = frozenset({"page"})  # candidate kinds it can judge
    default_reason: ClassVar[Reason]

    def __init__(self, params: Any, ctx: CheckContext) -> None:
        self.params = params
        self.ctx = ctx

    @classmethod
    def shorthand(cls, raw: Any) -> Any:
        """Turn a short form (``online_form: true``, ``text_any: [a, b]``) into Params data."""
        return raw

    @classmethod
    def build(
        cls, raw: Any, ctx: CheckContext, doc: YamlDoc, loc: Sequence[str | int]
    ) -> tuple[Check | None, list[RuleError]]:
        try:
            params = cls.Params.model_validate(cls.shorthand(raw))
        except ValidationError as e:
            return None, errors_from_validation(e, doc, cls.Params, prefix=loc)
        except ValueError as e:  # raised by shorthand()
            from .._schema import format_loc

            return None, [RuleError(doc.path, str(e), field=format_loc(loc), line=doc.line_of(loc))]
        return cls(params, ctx), []

    def judges_kind(self, kind: str) -> bool:
        return kind in self.judges

    reads_words: ClassVar[bool] = False  # True when matches_text means something

    def matches_text(self, text: str) -> bool:
        """Whether normalised ``text`` shows something this check looks for; used to point
        at the pages of a document that matched. Checks that read words override it."""
        return False

    def run(self, cand: Candidate) -> Outcome:  # pragma: no cover - abstract
        raise NotImplementedError


REGISTRY: dict[str, type[Check]] = {}


def register(cls: type[Check]) -> type[Check]:
    if cls.name in REGISTRY:
        raise ValueError(f"check type {cls.name!r} registered twice")
    REGISTRY[cls.name] = cls
    return cls
