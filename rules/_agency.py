"""Names of local administrations (อบต. / เทศบาล / อบจ.) in text, and the site's own.

Copied documents are common: an evidence document that names another agency
("เทศบาลตำบลศาลาลาย" in a document of อบต.บึงกระจับ, seed 001) is a finding. Names are
compared without their type (an อบต. upgraded to a เทศบาลตำบล keeps its name), and
two names are the same when one starts with the other ("บึงกระจับ" and "บึงกระจับอำเภอ…"
— Thai has no spaces, so a name read from text may run on into the next word).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ._normalize import normalize_th

__all__ = ["AgencyName", "agency_names", "other_agencies", "others_among", "own_agency"]

# full forms first (the longest alternative must win)
_TYPES = [
    ("องค์การบริหารส่วนตำบล", "อบต."),
    ("องค์การบริหารส่วนจังหวัด", "อบจ."),
    ("เทศบาลตำบล", "ทต."),
    ("เทศบาลเมือง", "ทม."),
    ("เทศบาลนคร", "ทน."),
]
_ABBR = {"อบต": "อบต.", "อบจ": "อบจ.", "ทต": "ทต.", "ทม": "ทม.", "ทน": "ทน."}
_PREFIX = re.compile(
    r"(?P<full>องค์การบริหารส่วนตำบล|องค์การบริหารส่วนจังหวัด|เทศบาลตำบล|เทศบาลเมือง|เทศบาลนคร)"
    r"|(?<![ก-๙])(?P<abbr>อบต|อบจ|ทต|ทม|ทน)\."
    r"|(?<![ก-๙])(?P<abbr2>อบต|อบจ)(?=\s?[ก-ฮ])"
)
_NAME = re.compile(r"\s?([ก-ฮะ-ฺเ-ํ]{2,40})")
# words that start ordinary text, not a name: "เทศบาลตำบลมีหน้าที่", "อบต. ทุกแห่ง"
_STOP_START = (
    "มี", "ได้", "ให้", "ที่", "และ", "ซึ่ง", "จะ", "ต้อง", "เป็น", "ใน", "ของ", "โดย", "ตาม", "แห่ง",
    "นั้น", "นี้", "ทุก", "ต่าง", "หรือ", "อาจ", "จัด", "ดำเนิน", "ประจำ", "อำเภอ", "จังหวัด", "ตำบล",
    "กับ", "แต่", "เพื่อ", "ไม่", "ยัง", "จึง", "อื่น", "หนึ่ง", "ใด", "เอง", "ดังกล่าว", "ทั่ว", "ส่วน",
    "ขนาด", "หลาย", "สามารถ", "มิ", "ก็", "ไป", "มา", "เข้า", "ออก", "แล้ว", "ทั้ง",
    "รอง", "นายก", "ปลัด", "สมาชิก", "สภา", "โทร", "เจ้าหน้าที่", "ข่าว", "ประธาน", "หน้า", "พนักงาน",
    "ผู้", "การ", "ความ", "งาน", "กอง", "สำนัก", "ฝ่าย",
    # the verbs of a statute: "นายกองค์การบริหารส่วนตำบลพ้นจากตำแหน่ง", "เทศบาลตำบลกำหนด..."
    "พ้น", "กำหนด", "แต่งตั้ง", "เลือกตั้ง", "ข้อบัญญัติ", "เทศบัญญัติ", "อนุมัติ", "พิจารณา", "ยุบ",
    "เรียก",
)
# words a name may run on into: cut there ("บึงกระจับประจำปี" -> "บึงกระจับ")
_STOP_INSIDE = (
    "ประจำปี", "อำเภอ", "จังหวัด", "ได้ดำเนิน", "ได้จัด", "ได้รับ", "ร่วมกับ", "มีผล", "มีการ",
    "มีหน้าที่", "ประกาศ", "เรื่อง", "ขอ", "ครั้งที่", "สมัย", "ดังนี้", "และ", "ซึ่ง", "โดย",
    "เพื่อ", "ในการ", "ในปี", "ปีงบ", "พ.ศ", "ณ", "ที่ตั้ง", "ตั้งอยู่",
)


@dataclass(frozen=True, slots=True)
class AgencyName:
    kind: str  # "อบต." / "ทต." / ...
    name: str  # the name without its type, e.g. "บึงกระจับ"
    shown: str  # as written, e.g. "องค์การบริหารส่วนตำบลบึงกระจับ"
    spaced: bool = False  # a space between type and name ("อบต. บึงกระจับ"): less certain

    def same_as(self, other: AgencyName) -> bool:
        a, b = self.name, other.name
        return a.startswith(b) or b.startswith(a)


def _cut(name: str) -> str:
    best = len(name)
    for w in _STOP_INSIDE:
        i = name.find(w, 2)
        if 2 <= i < best:
            best = i
    return name[:best]


def agency_names(text: str) -> list[AgencyName]:
    """Every local-administration name in ``text`` (raw text; spaces end a name)."""
    if not text:
        return []
    s = normalize_th(text, keep_spaces=True)
    out: list[AgencyName] = []
    for m in _PREFIX.finditer(s):
        if m.group("full"):
            full = m.group("full")
            kind = next(ab for f, ab in _TYPES if f == full)
        else:
            abbr = m.group("abbr") or m.group("abbr2")
            kind = _ABBR[abbr]
        nm = _NAME.match(s, m.end())
        if nm is None:
            continue
        name = nm.group(1)
        if name.startswith(_STOP_START):
            continue
        name = _cut(name)
        if len(name) < 3:
            continue
        shown = s[m.start() : nm.start(1)] + name
        spaced = nm.group(0).startswith(" ")
        out.append(AgencyName(kind, name, shown.replace("  ", " "), spaced))
    return out


def own_agency(registry_name: str | None, home_title: str, texts: list[str]) -> AgencyName | None:
    """The site's own agency: the registry's name when known, else the name in the
    home page title, else the name found on most pages."""
    if registry_name:
        found = agency_names(registry_name)
        if found:
            return found[0]
        plain = normalize_th(registry_name, keep_spaces=True).strip()
        return AgencyName("", plain, registry_name) if plain else None
    found = agency_names(home_title)
    if found:
        return found[0]
    counts: Counter[str] = Counter()
    first: dict[str, AgencyName] = {}
    for t in texts:
        for a in {a.name: a for a in agency_names(t)}.values():
            counts[a.name] += 1
            first.setdefault(a.name, a)
    if not counts:
        return None
    name, _ = counts.most_common(1)[0]
    return first[name]


def other_agencies(text: str, own: AgencyName) -> list[AgencyName]:
    """Agencies named in ``text`` that are not ``own`` (each name once). Only names
    written right after their type count ("เทศบาลตำบลศาลาลาย"): after a space the next
    word is as often a menu entry run together with a "สมาชิกสภา อบต." link."""
    return others_among(agency_names(text), own)


def others_among(names: list[AgencyName], own: AgencyName) -> list[AgencyName]:
    """:func:`other_agencies` over names already read (e.g. from several pages)."""
    seen: dict[str, AgencyName] = {}
    for a in names:
        if a.spaced:
            continue
        if not a.same_as(own) and not any(a.same_as(b) for b in seen.values()):
            seen[a.name] = a
    return list(seen.values())
