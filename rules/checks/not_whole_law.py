"""``not_whole_law``: the target states the agency's duties instead of pasting a whole
law (seed 001: "ไม่ใช่การยกกฎหมายมาทั้งฉบับ"; seed 000 for อปท.: "เฉพาะส่วนที่ระบุอำนาจหน้าที่").

A duties page cites a few sections (มาตรา ๖๗, ๖๘ of the Tambon Act, มาตรา ๑๖ of the
Decentralisation Act) and lists the duties, often as numbered clauses (๑) … (๓๑): that
passes. A pasted statute is told by its shape (text normalised: Thai digits read as
digits, spaces removed):

- more than ``max_sections`` different sections (มาตรา ๗๐ and ๗๐/๑ are two);
- a run of ``max_run`` or more sections in order (มาตรา ๑, ๒, ๓ … — a law read from its
  start, as no summary quotes it);
- the parts only an Act has: "มาตรา ๑ พระราชบัญญัตินี้เรียกว่า", "ผู้รับสนองพระราชโองการ",
  "ให้ไว้ ณ วันที่", "บทเฉพาะกาล", "หมายเหตุ: เหตุผลในการประกาศใช้" (two of them, or one
  with more than 5 sections);
- ``min_chapters`` or more chapters (หมวด ๑, ๒, ๓) with more than 10 sections or
  clauses (ข้อ) — a regulation pasted the same way.

A document whose text could not be read is judged by its name: a file named after an
Act ("พระราชบัญญัติสภาตำบล...pdf", "พรบ.เทศบาล.pdf") and not after the duties is the
Act itself.

    - not_whole_law: true
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from .._match import url_for_matching
from .._normalize import normalize_th
from .._result import Reason
from .._site import Candidate
from .._thaidate import th_digits
from ._base import Check, CheckContext, Outcome, register
from ._images import file_name

# "มาตรา16", "มาตรา70/1", "มาตรา16ทวิ" (normalised: no spaces, Arabic digits)
_SECTION = re.compile(r"มาตรา(\d{1,3})((?:/\d{1,2})?)(?!\d)")
_CLAUSE = re.compile(r"(?<![\d(/.])ข้อ(\d{1,3})(?!\d)")
_CHAPTER = re.compile(r"หมวด(\d{1,2})(?!\d)")
_ACT_MARKERS = tuple(
    normalize_th(m)
    for m in (
        "ผู้รับสนองพระราชโองการ",
        "ให้ไว้ ณ วันที่",
        "เป็นปีที่",  # "... เป็นปีที่ ๔๙ ในรัชกาลปัจจุบัน"
        "บทเฉพาะกาล",
        "เหตุผลในการประกาศใช้",
        "พระราชบัญญัตินี้เรียกว่า",
        "พระราชบัญญัตินี้ให้ใช้บังคับ",
        "โดยคำแนะนำและยินยอมของ",
    )
)
# an Act's name in a file name or link label: "พระราชบัญญัติ...", "พ.ร.บ.", "พรบ"
_ACT_NAME = re.compile(r"พระราชบัญญัติ|พ\.?ร\.?บ\.?", re.IGNORECASE)
_DUTIES_NAME = re.compile(r"อำนาจ|หน้าที่|ภารกิจ|สรุป|duty|duties|authority", re.IGNORECASE)


def longest_run(numbers: set[int]) -> int:
    """Length of the longest run of consecutive numbers (1, 2, 3 … → 3)."""
    best = 0
    for n in numbers:
        if n - 1 in numbers:
            continue
        k = n
        while k + 1 in numbers:
            k += 1
        best = max(best, k - n + 1)
    return best


class WholeLawParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    max_sections: int = Field(default=30, ge=1)
    max_run: int = Field(default=10, ge=3)
    min_chapters: int = Field(default=3, ge=2)


@register
class NotWholeLaw(Check):
    name = "not_whole_law"
    Params = WholeLawParams
    judges = frozenset({"page", "document"})
    default_reason = Reason(
        th="เป็นการยกกฎหมายมาทั้งฉบับ ไม่ใช่การแสดงหน้าที่และอำนาจของหน่วยงาน",
        en="a whole law is pasted instead of stating the agency's duties and powers",
    )

    @classmethod
    def shorthand(cls, raw: Any) -> Any:
        if raw is True or raw is None:
            return {}
        if raw is False:
            raise ValueError("'not_whole_law: false' checks nothing: remove the entry")
        return raw

    def __init__(self, params: WholeLawParams, ctx: CheckContext) -> None:
        super().__init__(params, ctx)

    def run(self, cand: Candidate) -> Outcome:
        text = cand.content()
        if text is None:
            return self._by_name(cand)
        return self.judge(text)

    def judge(self, text: str) -> Outcome:
        """The decision on normalised ``text``."""
        found = {(int(m.group(1)), m.group(2)) for m in _SECTION.finditer(text)}
        numbers = {n for n, sub in found if not sub}
        n = len(found)
        p = self.params
        if n > p.max_sections:
            return self._whole(
                f"พบบทบัญญัติกฎหมาย {th_digits(n)} มาตรา", f"{n} sections of a law are reproduced"
            )
        run = longest_run(numbers)
        if run >= p.max_run:
            first = min(k for k in numbers if all(k + i in numbers for i in range(run)))
            return self._whole(
                f"พบบทบัญญัติเรียงตามลำดับตั้งแต่มาตรา {th_digits(first)} ถึง "
                f"{th_digits(first + run - 1)} ({th_digits(n)} มาตรา)",
                f"sections {first} to {first + run - 1} are reproduced in order ({n} sections)",
            )
        markers = [m for m in _ACT_MARKERS if m in text]
        if len(markers) >= 2 or (markers and n > 5):
            return self._whole("พบตัวบทพระราชบัญญัติทั้งฉบับ", "the full text of an Act is reproduced")
        chapters = {int(m.group(1)) for m in _CHAPTER.finditer(text)}
        clauses = {int(m.group(1)) for m in _CLAUSE.finditer(text)}
        if len(chapters) >= p.min_chapters and max(n, len(clauses)) > 10:
            parts = max(n, len(clauses))
            return self._whole(
                f"พบตัวบทกฎหมายแบ่งเป็น {th_digits(len(chapters))} หมวด {th_digits(parts)} มาตรา/ข้อ",
                f"a law in {len(chapters)} chapters and {parts} sections/clauses is reproduced",
            )
        return Outcome(True)

    @staticmethod
    def _whole(th: str, en: str) -> Outcome:
        return Outcome(False, Reason(th=th, en=en))

    def _by_name(self, cand: Candidate) -> Outcome:
        """An unread document: the Act itself when its file name or label is an Act's."""
        if cand.kind != "document":
            return Outcome(None)
        # the file's own name, or a link text that is an Act's title; the menu label
        # that led here ("อำนาจหน้าที่") says what the file was meant to be, not what it is
        name = file_name(cand.url)
        labels = [normalize_th(t) for t in cand.labels]
        if (_ACT_NAME.search(name) and not _DUTIES_NAME.search(name)) or any(
            _ACT_NAME.match(t) and not _DUTIES_NAME.search(t) for t in labels
        ):
            return Outcome(
                False,
                Reason(
                    th=f"ไฟล์ที่แสดงคือตัวพระราชบัญญัติ ({url_for_matching(cand.url).rsplit('/', 1)[-1]}) "
                    "ไม่ใช่สรุปหน้าที่และอำนาจของหน่วยงาน",
                    en="the file is the Act itself "
                    f"({url_for_matching(cand.url).rsplit('/', 1)[-1]}), not the agency's duties",
                ),
            )
        return Outcome(None)
