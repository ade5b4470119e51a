"""``any_of``: at least one of several checks is met.

- any_of:
    - online_form: {textarea: true}
    - url_matches: [webboard, forum]
    - links_to: ['m\\.me/']
  reason: {th: ..., en: ...}
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel

from .._errors import RuleError
from .._result import Reason
from .._schema import format_loc
from .._site import Candidate
from .._yaml import YamlDoc
from ._base import Check, CheckContext, Outcome, register


class _NoParams(BaseModel):
    pass


@register
class AnyOf(Check):
    name = "any_of"
    Params = _NoParams
    judges = frozenset({"page", "document", "image", "external"})
    default_reason = Reason(th="ไม่เป็นไปตามเงื่อนไขข้อใดเลย", en="none of the accepted forms was found")

    def __init__(self, subs: list[Check], ctx: CheckContext) -> None:
        super().__init__(None, ctx)
        self.subs = subs

    @classmethod
    def build(
        cls, raw: Any, ctx: CheckContext, doc: YamlDoc, loc: Sequence[str | int]
    ) -> tuple[Check | None, list[RuleError]]:
        from ._base import REGISTRY

        loc = list(loc)
        if not isinstance(raw, list) or len(raw) < 2:
            return None, [
                RuleError(
                    doc.path,
                    "should be a list of at least two checks",
                    field=format_loc(loc),
                    line=doc.line_of(loc),
                )
            ]
        subs: list[Check] = []
        errors: list[RuleError] = []
        for i, entry in enumerate(raw):
            here = [*loc, i]
            if not isinstance(entry, dict) or len(entry) != 1:
                errors.append(
                    RuleError(
                        doc.path,
                        "each alternative is one check, e.g. '- online_form: true'",
                        field=format_loc(here),
                        line=doc.line_of(here),
                    )
                )
                continue
            ((name, value),) = entry.items()
            sub_cls = REGISTRY.get(str(name))
            if sub_cls is None:
                import difflib

                close = difflib.get_close_matches(str(name), list(REGISTRY), n=1)
                hint = f"did you mean '{close[0]}'?" if close else "checks: " + ", ".join(REGISTRY)
                errors.append(
                    RuleError(
                        doc.path,
                        f"unknown check ({hint})",
                        field=format_loc([*here, str(name)]),
                        line=doc.line_of([*here, str(name)]),
                    )
                )
                continue
            sub, errs = sub_cls.build(value, ctx, doc, [*here, str(name)])
            errors.extend(errs)
            if sub is not None:
                subs.append(sub)
        if errors:
            return None, errors
        return cls(subs, ctx), []

    def judges_kind(self, kind: str) -> bool:
        return any(s.judges_kind(kind) for s in self.subs)

    def run(self, cand: Candidate) -> Outcome:
        results = [s.run(cand) for s in self.subs if s.judges_kind(cand.kind)]
        for r in results:
            if r.met:
                return r
        if all(r.met is None for r in results):
            return Outcome(None)
        detail = next((r.detail for r in results if r.met is False and r.detail), None)
        return Outcome(False, detail)
