"""``url_matches``: the candidate's own URL matches one of the regexes.

- url_matches: ['webboard', 'forum']
"""

from __future__ import annotations

from .._match import url_for_matching
from .._result import Reason
from .._site import Candidate
from ._base import Outcome, register
from ._common import UrlCheck


@register
class UrlMatches(UrlCheck):
    name = "url_matches"
    default_reason = Reason(th="ที่อยู่ (URL) ไม่ตรงตามที่กำหนด", en="the URL is not of the expected kind")

    def run(self, cand: Candidate) -> Outcome:
        urls = {cand.url, cand.key}
        if cand.page is not None:
            urls.add(cand.page.final_url)
        for u in urls:
            p = self.patterns.first(url_for_matching(u))
            if p is not None:
                return Outcome(True, found=f"URL matches '{p.pattern}'")
        return Outcome(False)
