"""``links_to``: the candidate is, or its page links to, a URL matching a regex
(``a``, ``area`` and ``iframe`` links all count: an embedded Facebook page is a link).

    - links_to: ['itas\\.nacc\\.go\\.th/go/eit/[a-z0-9]{6}']
"""

from __future__ import annotations

from typing import Any

from .._match import Patterns, url_for_matching
from .._result import Reason
from .._site import Candidate
from ._base import KINDS, Check, CheckContext, Outcome, register
from ._common import UrlParams, url_shorthand

IMAGE_NOT_READ = Reason(
    th="หลักฐานเป็นรูปภาพ (เช่น QR code) ซึ่งยังอ่านไม่ได้: ยังไม่รองรับการถอดรหัส QR code จากรูปภาพ",
    en="the evidence is an image (e.g. a QR code), which cannot be read yet: "
    "QR images are not decoded yet",
)


@register
class LinksTo(Check):
    name = "links_to"
    Params = UrlParams
    judges = KINDS
    default_reason = Reason(th="ไม่พบลิงก์ไปยังปลายทางที่กำหนด", en="no link to the expected destination")

    def __init__(self, params: UrlParams, ctx: CheckContext) -> None:
        super().__init__(params, ctx)
        self.patterns = Patterns.of(params.urls)

    @classmethod
    def shorthand(cls, raw: Any) -> Any:
        return url_shorthand(raw)

    def run(self, cand: Candidate) -> Outcome:
        for u in (cand.url, cand.key):
            if self.patterns.first(url_for_matching(u)) is not None:
                return Outcome(True, found=f"link to {u}")
        if cand.kind == "image":
            return Outcome(False, IMAGE_NOT_READ)
        if cand.kind == "document":
            return Outcome(None)  # links inside documents are not read yet
        if cand.kind == "external":
            return Outcome(False)
        if not cand.fetched:
            return Outcome(None)
        for link in cand.page_links():
            if self.patterns.first(url_for_matching(link.url)) is not None:
                return Outcome(True, found=f"links to {link.url}")
        return Outcome(False)
