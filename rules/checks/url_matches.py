"""``url_matches``: the candidate's own URL matches one of the regexes.

- url_matches: ['webboard', 'forum']
"""

from __future__ import annotations

from typing import Any

from .._match import Patterns, url_for_matching
from .._result import Reason
from .._site import Candidate
from ._base import KINDS, Check, CheckContext, Outcome, register
from ._common import UrlParams, url_shorthand


@register
class UrlMatches(Check):
    name = "url_matches"
    Params = UrlParams
    judges = KINDS
    default_reason = Reason(th="ที่อยู่ (URL) ไม่ตรงตามที่กำหนด", en="the URL is not of the expected kind")

    def __init__(self, params: UrlParams, ctx: CheckContext) -> None:
        super().__init__(params, ctx)
        self.patterns = Patterns.of(params.urls)

    @classmethod
    def shorthand(cls, raw: Any) -> Any:
        return url_shorthand(raw)

    def run(self, cand: Candidate) -> Outcome:
        urls = {cand.url, cand.key}
        if cand.page is not None:
            urls.add(cand.page.final_url)
        for u in urls:
            p = self.patterns.first(url_for_matching(u))
            if p is not None:
                return Outcome(True, found=f"URL matches '{p.pattern}'")
        return Outcome(False)
