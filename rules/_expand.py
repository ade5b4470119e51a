"""What a rule file may write besides plain values: years relative to the catalog's
fiscal year (``{Y}``, ``{Y-1_th}``) and names from the catalog's vocabulary (``$problems``).

Both are expanded on the parsed YAML data before the schema validates it, so every
check sees plain values, and a catalog that extends another one (``ita-2567`` from
``ita-2566``) reuses the same rule files with every year shifted.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from ._errors import RuleError
from ._schema import format_loc
from ._thaidate import th_digits
from ._yaml import YamlDoc

__all__ = ["PLACEHOLDER", "expand_vocabulary", "fill_years", "fill_years_text"]

#: {Y} {Y-1} {Y+1} {YY} {YY-1} and the same with _th (Thai digits): 2566, 2565, 66, ๒๕๖๖ ...
PLACEHOLDER = re.compile(r"\{(YY|Y)([+-]\d{1,2})?(_th)?\}")
_VOCAB_REF = re.compile(r"^\$([a-z][a-z0-9_]*)$")


def fill_years_text(text: str, fiscal_year: int) -> str:
    """Replace the year placeholders of one string."""
    if "{" not in text:
        return text

    def sub(m: re.Match[str]) -> str:
        year = fiscal_year + int(m.group(2) or 0)
        out = str(year) if m.group(1) == "Y" else f"{year % 100:02d}"
        return th_digits(out) if m.group(3) else out

    return PLACEHOLDER.sub(sub, text)


def fill_years(data: Any, fiscal_year: int) -> Any:
    """Replace year placeholders in every string of parsed YAML data."""
    if isinstance(data, str):
        return fill_years_text(data, fiscal_year)
    if isinstance(data, list):
        return [fill_years(v, fiscal_year) for v in data]
    if isinstance(data, dict):
        return {k: fill_years(v, fiscal_year) for k, v in data.items()}
    return data


def _words_of(entry: Any) -> list[Any]:
    """A vocabulary entry as keywords: a word list as it is, an element's words + patterns."""
    if isinstance(entry, list):
        return list(entry)
    if isinstance(entry, dict):
        words = list(entry.get("words") or [])
        words += [{"regex": p} for p in entry.get("patterns") or []]
        return words
    return [entry]


def expand_vocabulary(
    data: Any, vocabulary: dict[str, Any], doc: YamlDoc, loc: Sequence[str | int] = ()
) -> tuple[Any, list[RuleError]]:
    """Replace ``$name`` list entries with the vocabulary's entry ``name``.

    In an ``elements`` list a named element stays one element; anywhere else its words
    are spliced into the list ("$anti_corruption" in a keyword list adds its words)."""
    errors: list[RuleError] = []

    def walk(node: Any, where: list[str | int]) -> Any:
        if isinstance(node, dict):
            return {k: walk(v, [*where, k]) for k, v in node.items()}
        if not isinstance(node, list):
            if isinstance(node, str) and _VOCAB_REF.match(node):
                # "$name" where a list is expected: the whole list
                return walk([node], where)
            return node
        in_elements = bool(where) and where[-1] == "elements"
        out: list[Any] = []
        for i, v in enumerate(node):
            m = _VOCAB_REF.match(v) if isinstance(v, str) else None
            if m is None:
                out.append(walk(v, [*where, i]))
                continue
            name = m.group(1)
            if name not in vocabulary:
                known = ", ".join(sorted(vocabulary)) or "none"
                errors.append(
                    RuleError(
                        doc.path,
                        f"'${name}' is not in the catalog's vocabulary (known: {known})",
                        field=format_loc([*where, i]),
                        line=doc.line_of([*where, i]),
                    )
                )
                continue
            entry = vocabulary[name]
            if in_elements:
                if not isinstance(entry, dict):
                    errors.append(
                        RuleError(
                            doc.path,
                            f"'${name}' is a word list; an element needs th, en and words "
                            "(define it in the vocabulary as {th: ..., en: ..., words: [...]})",
                            field=format_loc([*where, i]),
                            line=doc.line_of([*where, i]),
                        )
                    )
                    continue
                out.append(entry)
            else:
                out.extend(_words_of(entry))
        return out

    return walk(data, list(loc)), errors
