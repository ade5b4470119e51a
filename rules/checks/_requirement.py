"""A ``require`` entry of a rule file: one check, its reason, and what a miss means."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .._errors import RuleError
from .._result import Reason
from .._schema import RequireMeta, errors_from_validation, format_loc
from .._yaml import YamlDoc
from ._base import REGISTRY, Check, CheckContext

__all__ = ["META_FIELDS", "Requirement", "build_requirement"]

META_FIELDS = ("reason", "if_missing")


@dataclass(frozen=True, slots=True)
class Requirement:
    check: Check
    reason: Reason  # shown when the check is not met
    if_missing: str  # "partial": the candidate still counts; "fail": it does not

    @property
    def name(self) -> str:
        return self.check.name


def build_requirement(
    raw: Any, ctx: CheckContext, doc: YamlDoc, loc: Sequence[str | int]
) -> tuple[Requirement | None, list[RuleError]]:
    """Validate one ``require`` entry (a mapping with exactly one check name)."""
    loc = list(loc)
    where = format_loc(loc)
    checks = ", ".join(sorted(REGISTRY))
    if not isinstance(raw, dict):
        return None, [
            RuleError(
                doc.path,
                f"should be a mapping with one check, e.g. 'online_form: true' (checks: {checks})",
                field=where,
                line=doc.line_of(loc),
            )
        ]
    errors: list[RuleError] = []
    names = [k for k in raw if k in REGISTRY]
    for key in raw:
        if key in REGISTRY or key in META_FIELDS:
            continue
        allowed = [*REGISTRY, *META_FIELDS]
        close = difflib.get_close_matches(str(key), allowed, n=1)
        hint = (
            f"did you mean '{close[0]}'?"
            if close
            else f"checks: {checks}; fields: reason, if_missing"
        )
        errors.append(
            RuleError(
                doc.path,
                f"unknown check or field ({hint})",
                field=format_loc([*loc, str(key)]),
                line=doc.line_of([*loc, str(key)]),
            )
        )
    if len(names) > 1:
        errors.append(
            RuleError(
                doc.path,
                f"one check per entry, found {', '.join(names)}: write them as separate entries",
                field=where,
                line=doc.line_of(loc),
            )
        )
    elif not names and not errors:
        errors.append(
            RuleError(
                doc.path,
                f"no check in this entry (checks: {checks})",
                field=where,
                line=doc.line_of(loc),
            )
        )
    meta_raw = {k: v for k, v in raw.items() if k in META_FIELDS}
    meta: RequireMeta | None = None
    try:
        meta = RequireMeta.model_validate(meta_raw)
    except Exception as e:  # pydantic.ValidationError
        from pydantic import ValidationError

        if not isinstance(e, ValidationError):
            raise
        errors.extend(errors_from_validation(e, doc, RequireMeta, prefix=loc))
    if errors or len(names) != 1 or meta is None:
        return None, errors
    name = names[0]
    cls = REGISTRY[name]
    check, errs = cls.build(raw[name], ctx, doc, [*loc, name])
    if check is None:
        return None, errs
    reason = Reason(th=meta.reason.th, en=meta.reason.en) if meta.reason else check.default_reason
    return Requirement(check=check, reason=reason, if_missing=meta.if_missing), []
