"""``elements``: the target's text shows every required element of the item — the
"อย่างน้อยประกอบด้วย" lists of seed 000. Each element is found by any one of its words
or patterns; a miss names the missing elements in Thai and English.

    - elements:
        - $problems                      # from the catalog's vocabulary
        - {th: ข้อเสนอแนะ, en: suggestions, words: [ข้อเสนอแนะ]}
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from .._match import KeywordSet, Patterns
from .._result import Reason
from .._schema import ElementSpec, compile_keywords
from .._site import Candidate
from ._base import Check, CheckContext, Outcome, register


class ElementsParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    elements: list[ElementSpec] = Field(min_length=1)


class _Element:
    def __init__(self, spec: ElementSpec) -> None:
        self.th = spec.th
        self.en = spec.en
        self.keywords: KeywordSet = compile_keywords(spec.words)
        self.patterns = Patterns.of(spec.patterns)

    def found(self, text: str) -> bool:
        return self.keywords.first(text) is not None or self.patterns.first(text) is not None


@register
class Elements(Check):
    name = "elements"
    Params = ElementsParams
    judges = frozenset({"page", "document"})  # documents once their text is extracted
    default_reason = Reason(
        th="เนื้อหายังไม่ครบองค์ประกอบที่กำหนด", en="the content lacks required elements"
    )

    def __init__(self, params: ElementsParams, ctx: CheckContext) -> None:
        super().__init__(params, ctx)
        self.elements = [_Element(e) for e in params.elements]

    reads_words = True

    def matches_text(self, text: str) -> bool:
        return any(e.found(text) for e in self.elements)

    @classmethod
    def shorthand(cls, raw: Any) -> Any:
        return {"elements": raw} if isinstance(raw, list) else raw

    def run(self, cand: Candidate) -> Outcome:
        text = cand.content()
        if text is None:
            return Outcome(None)
        missing = [e for e in self.elements if not e.found(text)]
        if not missing:
            return Outcome(True, found="elements: " + ", ".join(e.en for e in self.elements))
        return Outcome(
            False,
            Reason(
                th="ไม่พบ: " + ", ".join(e.th for e in missing),
                en="missing: " + ", ".join(e.en for e in missing),
            ),
        )
