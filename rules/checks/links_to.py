"""``links_to``: the candidate is, or its page links to, a URL matching a regex
(``a``, ``area`` and ``iframe`` links all count: an embedded Facebook page is a link).

    - links_to: ['itas\\.nacc\\.go\\.th/go/eit/[a-z0-9]{6}']
"""

from __future__ import annotations

from .._match import url_for_matching
from .._result import Reason
from .._site import Candidate
from ._base import Outcome, register
from ._common import UrlCheck

IMAGE_NOT_READ = Reason(
    th="หลักฐานเป็นรูปภาพ (เช่น QR code) แต่ไม่ได้ถอดรหัสลิงก์จากรูปนี้ "
    "(รูปอ่านไม่ได้ หรือไม่ได้อยู่ในหน้าที่ตรวจรูปภาพ)",
    en="the evidence is an image (e.g. a QR code) whose link was not decoded "
    "(unreadable, or not on a page whose images were checked)",
)


@register
class LinksTo(UrlCheck):
    name = "links_to"
    default_reason = Reason(th="ไม่พบลิงก์ไปยังปลายทางที่กำหนด", en="no link to the expected destination")

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
