"""``chart``: the organisation structure is shown as a chart (O1, seed 000: "แสดงแผนผัง
แสดงโครงสร้างการแบ่งส่วนราชการ"), not only as a list of the divisions' names.

A chart is, in order of what is checked:

1. the candidate itself is an image or a document (a PDF) found under the item's labels
   ("โครงสร้างส่วนราชการ" -> structure.pdf): we cannot see the diagram, the label says
   what it is;
2. on a page, a picture of the content (not an icon, logo or template image, see
   ``_images``) labelled as a chart by its alt text, caption or file name
   ("แผนผังโครงสร้าง", structure-2566.png), or with no label at all (CMS uploads are
   rarely labelled, or labelled with the agency's name; the page is the structure page)
   — a picture labelled as something else ("ภาพกิจกรรม") is not a chart;
3. photos of at least ``min_photos`` position holders (the อปท. chart of photo cards);
4. a link on the page to a document (or a file on Google Drive) labelled as the chart,
   a document under a generic label ("ดาวน์โหลด", "คลิก"), or a PDF / Google Drive file
   embedded in an iframe;
5. a table of positions drawn in HTML: at least ``min_heads`` different heads of units
   ("ผู้อำนวยการกองคลัง", "หัวหน้าฝ่ายการเงิน", "หัวหน้าสำนักปลัด").

A page with none of these and only the names of the divisions is "a list of divisions,
not a chart".

    - chart:
        hints: [แผนผัง, แผนภูมิ, chart]
        units: [สำนักปลัด, กองคลัง]
        heads: ['(?:ผู้อำนวยการ|หัวหน้า)(?:กอง|ฝ่าย)']
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from .._match import KeywordSet, url_for_matching
from .._normalize import normalize_th
from .._result import Reason
from .._schema import Keyword, Regex, compile_keywords
from .._site import Candidate, is_generic_label
from ._base import Check, CheckContext, Outcome, register
from ._images import Shown, file_name, shown_images
from .people import name_pattern

__all__ = ["Chart"]

# an alt text that says nothing: empty, a file name, a number, "image", "รูปภาพ"
_UNLABELLED = re.compile(
    r"^(?:image|img|picture|photo|pic|รูป|รูปภาพ|ภาพ|ภาพที่|ไฟล์)?[\d_\-.()]*"
    r"(?:\.(?:jpe?g|png|gif|webp|bmp))?$"
)
_FILE_LIKE = re.compile(r"^[\w\-.()]+\.(?:jpe?g|png|gif|webp|bmp)$")
_CAPTION_MAX = 120  # a block this short is a caption or a row, not the whole page
_EMBED = re.compile(r"\.pdf(?:$|[?#])|drive\.google\.com/|docs\.google\.com/", re.IGNORECASE)
_HEAD_KEY_CHARS = 8  # a head position is told apart by its unit's first characters


# CMSs often set every upload's alt text to the agency's name: that says nothing either
_AGENCY_ALT = re.compile(
    "^(?:"
    + "|".join(
        normalize_th(w).replace(".", r"\.")
        for w in ("องค์การบริหารส่วน", "อบต.", "อบจ.", "เทศบาล", "ทต.", "ทม.", "ทน.", "สำนักงาน", "กรม")
    )
    + ")"
)


def _unlabelled(alt: str, title: str) -> bool:
    """An alt text that says nothing about the picture: empty, a file name or number, the
    agency's name, or the page's own title."""
    return bool(
        _UNLABELLED.match(alt)
        or _FILE_LIKE.match(alt)
        or _AGENCY_ALT.match(alt)
        or (len(alt) >= 4 and alt in title)
    )


class ChartParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    hints: list[Keyword] = Field(min_length=1)  # words labelling a chart picture or file
    units: list[Keyword] = Field(default_factory=list)  # division names, for the reason
    heads: list[Regex] = Field(default_factory=list)  # a unit head's position title
    min_heads: int = Field(default=3, ge=1)
    min_photos: int = Field(default=3, ge=1)


@register
class Chart(Check):
    name = "chart"
    Params = ChartParams
    judges = frozenset({"page", "document", "image"})
    default_reason = Reason(
        th="ไม่พบแผนผังโครงสร้าง (รูปภาพ ไฟล์แผนผัง หรือตารางตำแหน่ง)",
        en="no organisation chart (an image, a chart file or a table of positions)",
    )

    def __init__(self, params: ChartParams, ctx: CheckContext) -> None:
        super().__init__(params, ctx)
        self.hints: KeywordSet = compile_keywords(params.hints)
        self.units: KeywordSet = compile_keywords(params.units)
        self.heads = [re.compile(p, re.IGNORECASE) for p in params.heads]

    @classmethod
    def shorthand(cls, raw: Any) -> Any:
        if raw is True:
            raise ValueError("give at least 'hints' (the words that label a chart)")
        return raw

    # -- the forms of a chart --

    def _hinted(self, *texts: str) -> bool:
        return any(t and self.hints.first(t) is not None for t in texts)

    def _picture(self, images: list[Shown], title: str) -> Outcome | None:
        unlabelled: Shown | None = None
        for img in images:
            caption = img.context if len(img.context) <= _CAPTION_MAX else ""
            if self._hinted(img.alt, img.name, caption):
                return Outcome(True, found=f"chart image {img.url}")
            if unlabelled is None and _unlabelled(img.alt, title):
                unlabelled = img
        if unlabelled is not None:
            return Outcome(True, found=f"image on the structure page {unlabelled.url}")
        names = name_pattern()
        photos = [i for i in images if names.search(i.label)]
        if len(photos) >= self.params.min_photos:
            return Outcome(True, found=f"chart of {len(photos)} position holders' photos")
        return None

    def _document(self, cand: Candidate) -> Outcome | None:
        site = cand.site
        for link in cand.page_links():
            url = link.url
            if site.is_template_link(url) or cand.is_excluded(url):
                continue
            kind = site.kind_of(url)
            hosted = _EMBED.search(url) is not None  # a PDF, a file on Google Drive
            embedded = link.tag in ("iframe", "frame") and hosted
            if kind != "document" and not hosted:
                continue
            label = normalize_th(f"{link.text} {link.title}")
            caption = normalize_th(link.context)
            caption = caption if len(caption) <= _CAPTION_MAX else ""
            named = self._hinted(
                label, caption, file_name(url), normalize_th(url_for_matching(url))
            )
            generic = kind == "document" and is_generic_label(label, site.generic_texts)
            if named or embedded or generic:
                return Outcome(True, found=f"chart file {url}")
        return None

    def _heads(self, text: str) -> list[str]:
        seen: dict[str, None] = {}
        for p in self.heads:
            for m in p.finditer(text):
                seen.setdefault(text[m.start() : m.end() + _HEAD_KEY_CHARS], None)
        return list(seen)

    def run(self, cand: Candidate) -> Outcome:
        if cand.kind == "image":
            return Outcome(True, found=f"chart image {cand.url}")
        if cand.kind == "document":
            # a PDF labelled as the structure: the diagram cannot be seen in its text
            return Outcome(True, found=f"chart file {cand.url}")
        text = cand.main_text()
        if text is None:
            return Outcome(None)
        title = normalize_th(cand.page.title) if cand.page is not None else ""
        for got in (self._picture(shown_images(cand), title), self._document(cand)):
            if got is not None:
                return got
        heads = self._heads(text)
        if len(heads) >= self.params.min_heads:
            return Outcome(True, found=f"table of positions ({len(heads)} unit heads)")
        units = [k.raw for k in self.units.all_found(text)]
        if len(units) >= 2:
            shown = ", ".join(units[:4]) + (" …" if len(units) > 4 else "")
            return Outcome(
                False,
                Reason(
                    th=f"พบเพียงรายชื่อส่วนงาน ({shown}) ซึ่งไม่ใช่แผนผัง: ไม่มีรูปแผนผัง "
                    "ไฟล์แผนผัง หรือตารางตำแหน่งของหัวหน้าส่วนงาน",
                    en=f"a list of divisions ({shown}), not a chart: no chart image, "
                    "chart file or table of the units' head positions",
                ),
            )
        return Outcome(False)
