"""``online_form``: the candidate is an online form, not a file to download.

Met by: a form on the page with real fields (a search box or a login form does
not count); a link from the page to an online-form service (Google Forms,
Microsoft Forms ...); or, with ``follow_links``, a link to another fetched page of
the site that has such a form. A PDF/Word form is never an online form.

    - online_form: true
    - online_form: {textarea: true}        # e.g. a question box for Q&A
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from crawler._models import Form, Page

from .._match import Patterns, url_for_matching
from .._result import Reason
from .._schema import Keyword, Regex, compile_keywords
from .._site import Candidate, kind_from_url
from ._base import KINDS, Check, CheckContext, Outcome, register

FORM_SERVICES = [
    r"docs\.google\.com/forms",
    r"forms\.gle/",
    r"goo\.gl/forms",
    r"forms\.office\.com",
    r"forms\.microsoft\.com",
    r"jotform\.com",
]

_SEARCH_FIELDS = frozenset(
    [
        "q",
        "s",
        "search",
        "keyword",
        "keywords",
        "query",
        "searchword",
        "search_query",
        "txtsearch",
        "txt_search",
        "kw",
        "k",
        "term",
        "word",
        "ค้นหา",
    ]
)
_IGNORED_PREFIXES = ("captcha", "g-recaptcha", "csrf", "_token", "token", "submit")
_PASSWORD = re.compile(r"pass|pwd", re.IGNORECASE)


class OnlineFormParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    textarea: bool = False  # the form must have a free-text box
    min_fields: int = Field(
        default=2, ge=1
    )  # fields a form needs (a textarea or upload also counts)
    follow_links: bool = True  # also accept a form one click away (not via menu links)
    services: list[Regex] = Field(default_factory=lambda: list(FORM_SERVICES))
    # a link to a form service labelled like this is a survey, not a service
    survey_words: list[Keyword] = Field(
        default_factory=lambda: ["แบบสำรวจ", "ความพึงพอใจ", "แบบประเมิน", "แบบสอบถาม", "survey"],
        validate_default=True,
    )


@register
class OnlineForm(Check):
    name = "online_form"
    Params = OnlineFormParams
    judges = KINDS
    default_reason = Reason(
        th="ไม่พบแบบฟอร์มออนไลน์ที่กรอกและส่งผ่านเว็บไซต์ได้",
        en="no online form that can be filled in and sent through the website",
    )

    def __init__(self, params: OnlineFormParams, ctx: CheckContext) -> None:
        super().__init__(params, ctx)
        self.services = Patterns.of(params.services)
        self.survey_words = compile_keywords(params.survey_words)

    @classmethod
    def shorthand(cls, raw: Any) -> Any:
        if raw is True or raw is None:
            return {}
        if raw is False:
            raise ValueError("'online_form: false' checks nothing: remove the entry")
        return raw

    def qualifies(self, form: Form) -> bool:
        names = [n.lower() for n in form.field_names]
        if any(_PASSWORD.search(n) for n in names):
            return False  # a login form
        if self.params.textarea and not form.has_textarea:
            return False
        real = [n for n in names if n not in _SEARCH_FIELDS and not n.startswith(_IGNORED_PREFIXES)]
        return form.has_textarea or form.has_file_upload or len(real) >= self.params.min_fields

    def _page_form(self, page: Page) -> bool:
        return any(self.qualifies(f) for f in page.forms)

    def run(self, cand: Candidate) -> Outcome:
        if self.services.first(url_for_matching(cand.url)) is not None:
            return Outcome(True, found=f"online form service {cand.url}")
        if cand.kind == "external":
            return Outcome(None)  # an off-site system we did not open
        if cand.kind == "document":
            return Outcome(
                False,
                Reason(
                    th="เป็นไฟล์เอกสาร (PDF/Word) ให้ดาวน์โหลด ไม่ใช่แบบฟอร์มออนไลน์",
                    en="it is a document (PDF/Word) to download, not an online form",
                ),
            )
        if cand.kind == "image":
            return Outcome(
                False,
                Reason(th="เป็นรูปภาพ ไม่ใช่แบบฟอร์มออนไลน์", en="it is an image, not an online form"),
            )
        page = cand.page
        if page is None or not cand.fetched:
            return Outcome(None)
        if self._page_form(page):
            return Outcome(True, found="online form on the page")
        documents = 0
        site = cand.site
        for link in page.links:
            url = link.url
            if site.is_template_link(url):
                continue  # a menu/sidebar link found on every page
            kind = site.kind_of(url)
            if kind == "document" or kind_from_url(url) == "document":
                documents += 1
                continue
            if cand.is_excluded(url):
                continue  # a look-alike of the item (e.g. a queue booking page)
            if self.services.first(url_for_matching(url)) is not None:
                label = site.norm(f"{link.text} {link.title}")
                if self.survey_words.first(label) is None:
                    return Outcome(True, found=f"links to online form {url}")
                continue
            if not self.params.follow_links or kind != "page":
                continue
            target = site.page_for(url)
            if (
                target is not None
                and target is not page
                and site.fetched_ok(target)
                and self._page_form(target)
            ):
                return Outcome(True, found=f"online form at {target.final_url}")
        if documents:
            return Outcome(
                False,
                Reason(
                    th=f"หน้านี้มีเพียงไฟล์แบบฟอร์มให้ดาวน์โหลด ({documents} ไฟล์) ไม่มีแบบฟอร์มออนไลน์",
                    en=f"the page only offers files to download ({documents}), no online form",
                ),
            )
        return Outcome(False)
