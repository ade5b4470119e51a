"""Per-person checks for the executives page (O2): seed 000 asks for "ชื่อ-นามสกุล ตำแหน่ง
รูปถ่าย และช่องทางการติดต่อของผู้บริหารแต่ละคน" — a photo and a contact **for each**
executive, not one photo on the page or the agency's switchboard in the footer.

    - people_photos: true      # each person named with a position has a photo
    - people_contacts: true    # each has a phone / e-mail / LINE in their own entry

The persons are read from the text: a name title and a name + surname ("นายสมชาย ใจดี",
"ว่าที่ ร.ต. ...", "ดร. ..."), with a position word just after or before it (so a
webmaster's name in the footer is not an executive). A person's entry is the text from
their name to the next person's name (at most ``entry_chars``): cards, table rows and
figure captions all read that way. A photo is a picture of the page content (not an
icon, logo or template image, see ``_images``) whose alt text or block names the person;
pictures that name nobody (a grid of photos, names in another column) count for the
persons left without one, one each.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

from .._match import KeywordSet
from .._normalize import normalize_th
from .._result import Reason
from .._schema import Keyword, Regex, compile_keywords
from .._site import Candidate, SiteIndex
from .._thaidate import th_digits
from ._base import Check, CheckContext, Outcome, register
from ._images import Shown, shown_images

__all__ = ["Person", "find_people", "name_pattern"]

_T = "\u0e01-\u0e4e"  # Thai letters, vowels and tone marks (no digits)
# Name titles; longer first ("นางสาว" before "นาง"). Police/military ranks as written
# in Thai ("พ.ต.อ.", "ร.ต.ท.", "จ.ส.อ.", "ว่าที่ ร.ต.").
_TITLES = (
    r"ว่าที่\s?(?:ร\.\s?[ตทอ]\.|ร้อย(?:ตรี|โท|เอก))(?:\s?หญิง)?|"
    r"(?:พล\.?\s?)?[พรสจด]\.\s?[ตสจ]\.\s?[ตทอ]\.(?:\s?หญิง)?|[พร]\.\s?[ตทอ]\.(?:\s?หญิง)?|"
    r"ด\.\s?ต\.|นายแพทย์|แพทย์หญิง|ทันตแพทย์(?:หญิง)?|ผศ\.|รศ\.|ศ\.|ดร\.|"
    r"นางสาว|น\.ส\.|นาง|นาย"
)
_NAME = re.compile(
    rf"(?<![{_T}])({_TITLES})\s?(?:ดร\.\s?)?([{_T}]{{2,20}})\s([{_T}]{{2,30}})(?![{_T}])"
)
# "นาย"/"นาง" also begin words that are not names: นายกองค์การ..., นายกเทศมนตรี, นายช่าง,
# นายอำเภอ, นายทะเบียน, นางพยาบาล ...
_NOT_FIRST_NAMES = tuple(
    normalize_th(w)
    for w in (
        "กองค์การ",
        "กเทศมนตรี",
        "กอบต",
        "กอบจ",
        "กรัฐมนตรี",
        "กสภา",
        "กสมาคม",
        "กเมือง",
        "กฯ",
        "ช่าง",
        "อำเภอ",
        "ทะเบียน",
        "ตรวจ",
        "สิบ",
        "ทหาร",
        "หน้า",
        "จ้าง",
        "ประกัน",
        "ด่าน",
        "งาน",
        "พยาบาล",
        "ท้าย",
    )
)
_PHONE = re.compile(r"(?<!\d)0(?:[-\s.]?\d){8,9}(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_LINE = re.compile(r"(?:line\s?id|ไลน์|ไอดีไลน์)\s?[:：]?\s?@?[\w.\-]{3,}", re.IGNORECASE)
_BEFORE = 60  # characters before a name where its position may be written
_WORDISH = re.compile(r"[^\W\d_]")  # a word, not a bullet, colon or number


def name_pattern() -> re.Pattern[str]:
    """Title + name + surname, on text normalised with ``keep_spaces=True``."""
    return _NAME


@dataclass(slots=True)
class Person:
    shown: str  # "นายสมชาย ใจดี" as written (spaces kept)
    key: str  # normalised without spaces, to look it up in alt texts and blocks
    entry: str  # their entry: from the name to the next person's name (spaces kept)


def _names(text: str) -> list[tuple[int, int, str]]:
    out = []
    pos = 0
    while (m := _NAME.search(text, pos)) is not None:
        title, first = m.group(1), m.group(2)
        if title in ("นาย", "นาง") and first.startswith(_NOT_FIRST_NAMES):
            pos = m.end(2)  # "นายกเทศมนตรี นางสมศรี ...": the next name starts in the match
            continue
        out.append((m.start(), m.end(), m.group(0)))
        pos = m.end()
    return out


def find_people(raw: str, positions: KeywordSet, entry_chars: int) -> list[Person]:
    """Distinct persons named with a position in ``raw`` (a page's or document's text)."""
    text = normalize_th(raw, keep_spaces=True)
    names = _names(text)
    people: dict[str, Person] = {}
    for i, (start, end, shown) in enumerate(names):
        stop = names[i + 1][0] if i + 1 < len(names) else len(text)
        stop = min(stop, end + entry_chars)
        entry = text[start:stop]
        prev_end = names[i - 1][1] if i > 0 else 0
        before = text[max(prev_end, start - _BEFORE) : start]
        # a position written before the name ("นายกเทศมนตรี นายสมชาย ...") is the word just
        # before it: further back it is the previous person's ("ปลัด ... ผู้ดูแลเว็บ นายสมหมาย")
        words = [w for w in before.split() if _WORDISH.search(w)]
        label = normalize_th(words[-1]) if words else ""
        after = normalize_th(text[end:stop])
        if positions.first(after) is None and positions.first(label) is None:
            continue  # a name without a position: not an executive's entry
        key = normalize_th(shown)
        old = people.get(key)
        if old is None:
            people[key] = Person(shown, key, entry)
        elif not has_contact(old.entry) and has_contact(entry):
            old.entry = entry  # named twice (a chart, then the card): keep the fuller entry
    return list(people.values())


def has_contact(text: str, agency_numbers: frozenset[str] = frozenset()) -> bool:
    """A phone number, e-mail address or LINE id in ``text`` (spaces kept). A number or
    address in ``agency_numbers`` (the switchboard, saraban@...) is the agency's: a number
    counts only with an extension ("ต่อ ๑๒"), an address not at all; so does one written
    just after the agency's address."""
    if _LINE.search(text):
        return True
    for m in _EMAIL.finditer(text):
        if m.group(0).lower() not in agency_numbers and not _near_address(text, m.start(), m.end()):
            return True
    for m in _PHONE.finditer(text):
        own = _digits(m.group(0)) not in agency_numbers or _EXTENSION.match(text, m.end())
        if own and not _near_address(text, m.start(), m.end()):
            return True
    return False


_MOBILE = re.compile(r"0[689]\d{8}$")
_EXTENSION = re.compile(r"\s?(?:ต่อ|ext\.?|#)\s?\d{1,4}", re.IGNORECASE)
# the agency's address and fax next to a number: the switchboard in the footer
_ADDRESS = re.compile(r"อำเภอ|จังหวัด|หมู่ที่|(?<!\d)\d{5}(?!\d)|โทรสาร|แฟกซ์|fax", re.IGNORECASE)


def _digits(s: str) -> str:
    return re.sub(r"\D", "", s)


def _near_address(text: str, start: int, end: int) -> bool:
    return (
        _ADDRESS.search(text[max(0, start - 60) : start] + " " + text[end : end + 20]) is not None
    )


_site_numbers: weakref.WeakKeyDictionary[SiteIndex, frozenset[str]] = weakref.WeakKeyDictionary()


def _contacts(text: str) -> set[str]:
    """The phone numbers (digits) and e-mail addresses (lower case) in ``text``."""
    return {_digits(m.group(0)) for m in _PHONE.finditer(text)} | {
        m.group(0).lower() for m in _EMAIL.finditer(text)
    }


def agency_numbers(cand: Candidate, people: list[Person]) -> frozenset[str]:
    """Phone numbers and e-mail addresses that are not one person's: repeated over the
    site's pages (the footer, the contact page), or in the entries of two or more persons."""
    site = cand.site
    got = _site_numbers.get(site)
    if got is None:
        counts: dict[str, int] = {}
        for page in site.html_pages:
            text = normalize_th(page.text, keep_spaces=True)
            for d in _contacts(text):
                counts[d] = counts.get(d, 0) + 1
        # a landline on two pages is the agency's; a mobile or an e-mail address only when
        # on most pages (a footer): the mayor's own mobile may well be on the home page too
        n = len(site.html_pages)
        got = frozenset(
            d
            for d, c in counts.items()
            if (c >= 2 and d.isdigit() and not _MOBILE.match(d)) or (c >= 3 and c >= 0.5 * n)
        )
        _site_numbers[site] = got
    shared: dict[str, int] = {}
    for p in people:
        for d in _contacts(p.entry):
            shared[d] = shared.get(d, 0) + 1
    return got | {d for d, c in shared.items() if c >= 2}


def _list(names: list[str], limit: int = 3) -> str:
    more = len(names) - limit
    return ", ".join(names[:limit]) + (f" …(+{more})" if more > 0 else "")


class PeopleParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # words that make a named person an executive's entry (นายก, ปลัด, ผู้อำนวยการ ...)
    positions: list[Keyword] = Field(min_length=1)
    entry_chars: int = Field(default=160, ge=40)  # an entry ends here at the latest
    # a line giving one contact for all the executives ("ติดต่อผู้บริหาร โทร ...")
    shared_contact: list[Regex] = Field(default_factory=list)


class _PeopleCheck(Check):
    Params = PeopleParams

    def __init__(self, params: PeopleParams, ctx: CheckContext) -> None:
        super().__init__(params, ctx)
        self.positions = compile_keywords(params.positions)
        self.shared = [re.compile(p, re.IGNORECASE) for p in params.shared_contact]

    def people(self, cand: Candidate) -> list[Person] | None:
        raw = cand.raw_text()
        if raw is None:
            return None
        return find_people(raw, self.positions, self.params.entry_chars)


def _names_in(img: Shown, people: list[Person]) -> list[Person]:
    return [p for p in people if p.key in img.alt or p.key in img.context]


@register
class PeoplePhotos(_PeopleCheck):
    name = "people_photos"
    judges = frozenset({"page"})  # the pictures of a PDF are not seen
    default_reason = Reason(th="ไม่พบรูปถ่ายของผู้บริหารแต่ละคน", en="no photo of each executive")

    def run(self, cand: Candidate) -> Outcome:
        people = self.people(cand)
        if people is None:
            return Outcome(None)
        if not people:
            return Outcome(None)  # nobody named: the name check reports it
        with_photo: set[str] = set()
        loose = 0  # pictures that name nobody, or name many (one block holding all cards)
        for img in shown_images(cand):
            named = _names_in(img, people)
            if 1 <= len(named) <= 2:
                with_photo.update(p.key for p in named)
            elif not named or len(named) > 2:
                loose += 1
        without = [p for p in people if p.key not in with_photo]
        covered = len(people) - len(without) + min(loose, len(without))
        n = len(people)
        if covered >= n:
            return Outcome(True, found=f"photos for {n} of {n} executives")
        if covered == 0:
            return Outcome(
                False,
                Reason(
                    th=f"ไม่มีรูปถ่ายของผู้บริหาร (ระบุชื่อไว้ {th_digits(n)} คน แต่ไม่มีรูปของผู้ใด)",
                    en=f"no photo of the executives ({n} named, none shown with a photo)",
                ),
            )
        missing = [p.shown for p in without][loose:] if loose else [p.shown for p in without]
        return Outcome(
            False,
            Reason(
                th=f"มีรูปถ่ายของผู้บริหารเพียง {th_digits(covered)} จาก {th_digits(n)} คน "
                f"(ไม่มีรูป: {_list(missing)})",
                en=f"photos for {covered} of {n} executives (no photo: {_list(missing)})",
            ),
        )


@register
class PeopleContacts(_PeopleCheck):
    name = "people_contacts"
    judges = frozenset({"page", "document"})  # documents once their text is extracted
    default_reason = Reason(
        th="ไม่พบช่องทางการติดต่อของผู้บริหารแต่ละคน", en="no contact for each executive"
    )

    def run(self, cand: Candidate) -> Outcome:
        people = self.people(cand)
        if people is None or not people:
            return Outcome(None)
        raw = normalize_th(cand.raw_text() or "", keep_spaces=True)
        for p in self.shared:
            m = p.search(raw)
            if m and has_contact(raw[m.start() : m.end() + 80]):
                return Outcome(True, found="one contact line for the executives")
        # a picture's block (a card) that names one person and gives a number counts too
        cards = [img.context for img in shown_images(cand) if len(_names_in(img, people)) == 1]
        agency = agency_numbers(cand, people)
        without = []
        for person in people:
            if has_contact(person.entry, agency):
                continue
            if any(person.key in c and has_contact_norm(c, agency) for c in cards):
                continue
            without.append(person)
        n = len(people)
        if not without:
            return Outcome(True, found=f"contacts for {n} of {n} executives")
        got = n - len(without)
        if got == 0:
            return Outcome(
                False,
                Reason(
                    th=f"ไม่มีช่องทางการติดต่อของผู้บริหารแต่ละคน (ระบุชื่อไว้ {th_digits(n)} คน "
                    "ไม่มีหมายเลขโทรศัพท์หรืออีเมลของผู้ใด)",
                    en=f"no contact for each executive ({n} named, none with a phone "
                    "number or e-mail of their own)",
                ),
            )
        names = _list([p.shown for p in without])
        return Outcome(
            False,
            Reason(
                th=f"มีช่องทางการติดต่อเพียง {th_digits(got)} จาก {th_digits(n)} คน (ไม่มี: {names})",
                en=f"contact details for {got} of {n} executives (none for: {names})",
            ),
        )


# normalised block texts have no spaces: phone numbers are runs of digits there
_PHONE_NORM = re.compile(r"(?<!\d)0[-.]?(?:\d[-.]?){7,8}\d(?!\d)")


def has_contact_norm(text: str, agency: frozenset[str] = frozenset()) -> bool:
    """:func:`has_contact` on text normalised without spaces (a picture's block)."""
    if _LINE.search(text):
        return True
    for m in _EMAIL.finditer(text):
        if m.group(0).lower() not in agency and not _near_address(text, m.start(), m.end()):
            return True
    return any(
        _digits(m.group(0)) not in agency and not _near_address(text, m.start(), m.end())
        for m in _PHONE_NORM.finditer(text)
    )
