"""The ITAS answer sheet: what an agency types into itas.nacc.go.th for each OIT item.

For every item of the run's catalog: the code, the title, มี/ไม่มี, the evidence URLs (one
per line, best first) and a short explanation as agencies write it — where the information
is (the click path from the home page, "หน้าแรก > ข้อมูลพื้นฐาน > โครงสร้าง") and what it is
(a page, a PDF and its pages, an external system). The answer follows the verdict:

- pass -> มี, with only the evidence that meets the item's requirements;
- partial, fail -> ไม่มี, with what is missing (from the reasons) and what the item needs,
  so the agency knows what to publish before it answers;
- error (the site or item could not be checked) -> ตรวจไม่ได้, and an item the catalog has
  but oitwatch does not judge -> ไม่ได้ตรวจ: oitwatch never answers for the agency there.

It is a draft to review, and the sheet says so. Text that came from crawled sites (titles,
link texts, URLs) is written as text, never as a formula (xlsx: a text cell with Excel's
quote prefix; CSV: a leading apostrophe), and characters XML cannot hold are dropped.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from rules._result import Evidence, ItemResult

from ._csv import FORMULA_START, csv_cell
from ._model import SiteReport
from ._thai import SITE_STATUS_LABEL, format_datetime, label

if TYPE_CHECKING:
    from rules import Catalog

__all__ = [
    "ItasRow",
    "xlsx_text",
    "ItasSheet",
    "itas_sheet",
    "render_itas_csv",
    "sheet_names",
    "write_itas_xlsx",
]

MAX_URLS = 5  # ITAS (and the agencies' CMSs) take up to five URLs per item
MAX_MISSING = 5
EXCEL_CELL_LIMIT = 32_767

ANSWER = {
    "has": {"th": "มี", "en": "yes"},
    "has_not": {"th": "ไม่มี", "en": "no"},
    "error": {"th": "ตรวจไม่ได้", "en": "could not check"},
    "not_judged": {"th": "ไม่ได้ตรวจ", "en": "not checked"},
}

HEAD = {
    "th": ["ข้อ", "รายการ", "มี/ไม่มี", "URL", "คำอธิบายเพิ่มเติม", "สิ่งที่ยังขาด"],
    "en": ["Item", "Title", "Answer", "URL", "Explanation", "Missing"],
}
CSV_LEAD = {"th": ["รหัสหน่วยงาน", "หน่วยงาน"], "en": ["agency_code", "agency"]}


@dataclass(frozen=True, slots=True)
class ItasRow:
    code: str
    title: str
    answer: str  # has | has_not | error | not_judged (ANSWER keys)
    urls: tuple[str, ...]
    explanation: str
    missing: str  # one line per missing element ("" for มี)

    def answer_label(self, lang: str = "th") -> str:
        return ANSWER[self.answer][lang]


@dataclass(slots=True)
class ItasSheet:
    agency_code: str | None
    agency_name: str | None
    url: str
    site_status: str
    scanned_at: datetime | None
    run_id: int | None
    catalog_id: str
    rows: list[ItasRow] = field(default_factory=list)

    @property
    def display_name(self) -> str:
        return self.agency_name or self.url


# -- the content -------------------------------------------------------------------------


def _is_thai(ch: str) -> bool:
    return "\u0e00" <= ch <= "\u0e7f"


def _th(*parts: str) -> str:
    """Join the parts of a Thai sentence: no space between Thai words (Thai writes none),
    a space where Thai meets Latin text ("เผยแพร่ Q&A บนเว็บไซต์")."""
    out = ""
    for part in parts:
        if out and part and not (_is_thai(out[-1]) and _is_thai(part[0])) and out[-1] != " ":
            out += " "
        out += part
    return out


# "ติดต่อเรา | องค์การบริหารส่วนตำบล…", "ข่าว - อบต.…", "หน้าแรก :: …", "เมนู » …"
_TITLE_SEP = re.compile(r"\s+(?:\||-|–|—|::|»)\s+")
_TITLE_SEP_KEEP = re.compile(r"(\s+(?:\||-|–|—|::|»)\s+)")


def _site_name_parts(titles: dict[str, str], agency_name: str | None) -> set[str]:
    """Title segments that name the site rather than the page: the agency's name, and any
    segment most of the site's evidence titles end or start with (the CMS appends it)."""
    counts: dict[str, int] = {}
    for title in set(titles.values()):
        for part in {p.strip() for p in _TITLE_SEP.split(title)}:
            counts[part] = counts.get(part, 0) + 1
    distinct = len(set(titles.values()))
    common = {p for p, n in counts.items() if distinct >= 3 and n > distinct / 2}
    return common | ({agency_name.strip()} if agency_name else set())


def _clean_title(title: str, site_parts: set[str]) -> str:
    """The page's own title: site-name segments are cut from either end only, so a dash
    inside the title ("แผนพัฒนา (พ.ศ. ๒๕๖๖ – ๒๕๗๐)") stays as written."""

    def is_site(part: str) -> bool:
        part = part.strip()
        return any(part == x or (len(x) >= 6 and x in part) for x in site_parts)

    pieces = _TITLE_SEP_KEEP.split(title.strip())  # text, separator, text, ...
    while len(pieces) >= 3 and is_site(pieces[-1]):
        pieces = pieces[:-2]
    while len(pieces) >= 3 and is_site(pieces[0]):
        pieces = pieces[2:]
    return "".join(pieces).strip()


def _doc_label(ev: Evidence, title: str, lang: str) -> str:
    path = unquote(urlsplit(ev.url).path)
    name = path.rsplit("/", 1)[-1]
    ext = name.rsplit(".", 1)[-1].upper() if "." in name else ""
    shown = title or name
    th = lang == "th"
    text = ("เอกสาร" if th else "a document") + (f" {ext}" if ext and len(ext) <= 5 else "")
    if shown:
        text += f" “{shown}”"
    if ev.document_pages:
        pages = ", ".join(str(n) for n in ev.document_pages[:6])
        text += f" หน้า {pages}" if th else f", page {pages}"
    return text


def _what(ev: Evidence, title: str, lang: str) -> str:
    """What the evidence is, in a few words."""
    th = lang == "th"
    if ev.image_url:
        return "QR code บนเว็บไซต์" if th else "a QR code on the website"
    if ev.kind == "document":
        return _doc_label(ev, title, lang)
    if ev.kind == "external":
        host = (urlsplit(ev.url).hostname or ev.url).removeprefix("www.")
        return f"ลิงก์ไปยัง {host}" if th else f"a link to {host}"
    if ev.kind == "image":
        return "รูปภาพ" if th else "an image"
    if title:
        return f"หน้าเว็บ “{title}”" if th else f"the page “{title}”"
    return "หน้าเว็บของหน่วยงาน" if th else "a page of the website"


def _path(ev: Evidence, lang: str) -> str:
    steps = [s.strip() for s in ev.click_path if s and s.strip()]
    if len(steps) <= 1:
        return "หน้าแรกของเว็บไซต์" if lang == "th" else "the home page"
    if lang != "th" and steps[0] == "หน้าแรก":
        steps[0] = "Home"
    return " > ".join(steps)


def _urls(evidence: Sequence[Evidence]) -> tuple[str, ...]:
    seen: list[str] = []
    for ev in evidence:
        if ev.url and ev.url not in seen:
            seen.append(ev.url)
    return tuple(seen[:MAX_URLS])


def _missing(item: ItemResult, lang: str) -> str:
    """The reasons that say what is missing: the verdict's lead sentence ("found X but it
    does not meet every requirement", "no X found ...") is left out when others follow."""
    texts = [r.th if lang == "th" else r.en for r in item.reasons]
    lead = item.status.value == "partial" or re.match(r"(ไม่พบ|no )", texts[0] if texts else "")
    if len(texts) > 1 and lead:
        texts = texts[1:]
    lines = [f"• {t}" for t in texts[:MAX_MISSING]]
    if len(texts) > MAX_MISSING:
        more = len(texts) - MAX_MISSING
        lines.append(f"(และอีก {more} ข้อ)" if lang == "th" else f"(and {more} more)")
    return "\n".join(lines)


def _requirement(catalog: Catalog | None, code: str, lang: str) -> str:
    if catalog is None:
        return ""
    try:
        rule = catalog.item(code)
    except KeyError:
        return ""
    return rule.requirement_th if lang == "th" else rule.requirement_en


def _row(
    item: ItemResult,
    catalog: Catalog | None,
    titles: dict[str, str],
    site_parts: set[str],
    lang: str,
) -> ItasRow:
    th = lang == "th"
    title = item.title_th if th else item.title_en
    status = item.status.value
    need = _requirement(catalog, item.code, lang)
    need_line = (f"ต้องมี: {need}" if th else f"Required: {need}") if need else ""
    if status == "pass":
        meeting = [ev for ev in item.evidence if ev.meets_requirements]
        if not meeting:  # a pass always has meeting evidence; be safe anyway
            meeting = list(item.evidence)
        best = meeting[0] if meeting else None
        if best is None:
            explanation = _th("เผยแพร่", title, "บนเว็บไซต์หลักของหน่วยงาน") if th else f"{title} is published"
        else:
            what = _what(best, _clean_title(titles.get(best.url, ""), site_parts), lang)
            explanation = (
                _th("เผยแพร่", title, "บนเว็บไซต์หลักของหน่วยงาน เป็น", what)
                + f"\nเข้าถึงได้ที่ {_path(best, lang)}"
                if th
                else f"{title} is published on the agency's main website as {what}\n"
                f"Reached from {_path(best, lang)}"
            )
        return ItasRow(item.code, title, "has", _urls(meeting), explanation, "")
    if status == "error":
        why = "; ".join(r.th if th else r.en for r in item.reasons[:2])
        explanation = (
            f"ตรวจข้อนี้ไม่ได้{': ' + why if why else ''} — ให้หน่วยงานตรวจสอบเองก่อนตอบ"
            if th
            else f"this item could not be checked{': ' + why if why else ''} — check it by hand"
        )
        return ItasRow(item.code, title, "error", (), explanation, "")
    best = item.evidence[0] if item.evidence else None
    if status == "partial" and best is not None:
        lead = (
            _th("พบ", title, "ที่ ") + f"{_path(best, lang)} แต่ยังไม่ครบตามเกณฑ์"
            if th
            else f"{title} found at {_path(best, lang)}, but it does not meet every requirement"
        )
    else:
        lead = (
            _th("ไม่พบ", title, "ที่ใช้ได้บนเว็บไซต์หลักของหน่วยงาน")
            if th
            else f"no acceptable {title} found on the agency's main website"
        )
    explanation = lead + (f"\n{need_line}" if need_line else "")
    return ItasRow(
        item.code, title, "has_not", _urls(item.evidence), explanation, _missing(item, lang)
    )


def _not_judged(code: str, title: str, need: str, lang: str) -> ItasRow:
    th = lang == "th"
    explanation = (
        "oitwatch ไม่ได้ตรวจข้อนี้ (ยังไม่มีเกณฑ์ตรวจอัตโนมัติ) ให้หน่วยงานตรวจสอบเองก่อนตอบ"
        if th
        else "oitwatch does not check this item (no automatic rule yet): check it by hand"
    )
    if need:
        explanation += f"\nต้องมี: {need}" if th else f"\nRequired: {need}"
    return ItasRow(code, title, "not_judged", (), explanation, "")


def itas_sheet(
    site: SiteReport,
    *,
    catalog: Catalog | None,
    catalog_id: str,
    run_id: int | None,
    titles: dict[str, str] | None = None,
    lang: str = "th",
) -> ItasSheet:
    """The answer sheet of one site scan: one row per catalog item, in catalog order (items
    the results have but the catalog does not come after them). ``titles`` maps evidence
    URLs to their page titles, to say what a page or document is."""
    titles = titles or {}
    sheet = ItasSheet(
        agency_code=site.agency_code,
        agency_name=site.agency_name,
        url=site.final_url or site.seed_url,
        site_status=site.status,
        scanned_at=site.finished_at,
        run_id=run_id,
        catalog_id=catalog_id,
    )
    by_code = {item.code: item for item in site.items}
    site_parts = _site_name_parts(titles, site.agency_name)
    th = lang == "th"
    site_down = site.status != "ok" or not site.items
    down_reason = (
        f"ตรวจไม่ได้ทั้งเว็บไซต์ ({label(SITE_STATUS_LABEL, site.status, lang)}: {site.reason})"
        if th
        else f"the website could not be checked ({site.status}: {site.reason})"
    )
    codes: list[tuple[str, str]] = []
    if catalog is not None:
        codes = [(r.code, r.title_th if th else r.title_en) for r in catalog.items]
    known = {c for c, _ in codes}
    codes += [(i.code, i.title_th if th else i.title_en) for i in site.items if i.code not in known]
    for code, title in codes:
        item = by_code.get(code)
        need = _requirement(catalog, code, lang)
        if site_down and (item is None or item.status.value == "error"):
            text = down_reason + (" — ให้ตรวจสอบอีกครั้งเมื่อเว็บไซต์ใช้งานได้" if th else " — scan again")
            sheet.rows.append(ItasRow(code, title, "error", (), text, ""))
        elif item is None:
            sheet.rows.append(_not_judged(code, title, need, lang))
        else:
            sheet.rows.append(_row(item, catalog, titles, site_parts, lang))
    return sheet


# -- writing -----------------------------------------------------------------------------

# Characters an XML 1.0 document cannot hold (openpyxl refuses them): C0 controls except
# tab, newline and carriage return.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def sheet_names(sheets: Sequence[ItasSheet]) -> list[str]:
    """Excel sheet names: at most 31 characters, none of []:*?/\\, unique (case-blind),
    not starting or ending with an apostrophe, not "History" (reserved by Excel)."""
    names: list[str] = []
    taken: set[str] = set()
    for sheet in sheets:
        base = " ".join(x for x in (sheet.agency_code, sheet.agency_name) if x) or sheet.url
        base = _SHEET_FORBIDDEN.sub("_", _ILLEGAL_XML.sub("", base)).strip().strip("'") or "sheet"
        if base.lower() == "history":
            base = "history_"
        name = base[:31].rstrip()
        n = 1
        while name.lower() in taken:
            n += 1
            suffix = f" ({n})"
            name = base[: 31 - len(suffix)].rstrip() + suffix
        taken.add(name.lower())
        names.append(name)
    return names


def xlsx_text(value: str) -> str:
    value = _ILLEGAL_XML.sub("", value)
    if len(value) > EXCEL_CELL_LIMIT:
        value = value[: EXCEL_CELL_LIMIT - 1] + "…"
    return value


def _put(ws: Any, row: int, col: int, value: str, **style: Any) -> Any:
    """Write a text cell. A value that Excel would read as a formula (=, +, -, @, tab, CR
    first) is stored as a string with the quote prefix — what typing ' before it does — so
    it is shown as written and stays text when the cell is edited."""
    cell = ws.cell(row=row, column=col)
    text = xlsx_text(value)
    cell.value = text
    if text.startswith(FORMULA_START):
        cell.data_type = "s"
        cell.quotePrefix = True
    for key, val in style.items():
        setattr(cell, key, val)
    return cell


HEADER_ROW = 5  # rows 1-3: agency, site and run, the "draft" note; row 4 empty


def _meta_lines(sheet: ItasSheet, lang: str) -> tuple[str, str, str]:
    th = lang == "th"
    when = format_datetime(sheet.scanned_at, lang)
    if th:
        return (
            f"แบบตรวจการเปิดเผยข้อมูลสาธารณะ (OIT) — {sheet.display_name}",
            (
                f"เว็บไซต์ {sheet.url} · ตรวจเมื่อ {when} · การตรวจหมายเลข {sheet.run_id} "
                f"· ชุดเกณฑ์ {sheet.catalog_id}"
            ),
            "ร่างคำตอบจากการตรวจอัตโนมัติของ oitwatch: ตรวจทานทุกข้อก่อนกรอกในระบบ ITAS",
        )
    return (
        f"Open data integrity and transparency (OIT) — {sheet.display_name}",
        f"site {sheet.url} · scanned {when} · run {sheet.run_id} · catalog {sheet.catalog_id}",
        "Draft answers from oitwatch's automatic check: review every item before entering them",
    )


def _fill_sheet(ws: Any, sheet: ItasSheet, lang: str) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    wrap = Alignment(wrap_text=True, vertical="top")
    title, meta, note = _meta_lines(sheet, lang)
    _put(ws, 1, 1, title, font=Font(bold=True, size=14))
    _put(ws, 2, 1, meta)
    _put(ws, 3, 1, note, font=Font(italic=True, color="996600"))
    for col, head in enumerate(HEAD[lang], start=1):
        _put(ws, HEADER_ROW, col, head, font=Font(bold=True), alignment=wrap,
             fill=PatternFill("solid", fgColor="DDDDDD"))
    fills = {
        "has": PatternFill("solid", fgColor="C6EFCE"),
        "has_not": PatternFill("solid", fgColor="FFC7CE"),
        "error": PatternFill("solid", fgColor="E4DFEC"),
        "not_judged": PatternFill("solid", fgColor="EEEEEE"),
    }
    for r, row in enumerate(sheet.rows, start=HEADER_ROW + 1):
        values = (row.code, row.title, row.answer_label(lang), "\n".join(row.urls),
                  row.explanation, row.missing)
        for col, value in enumerate(values, start=1):
            cell = _put(ws, r, col, value, alignment=wrap)
            if col == 3:
                cell.fill = fills[row.answer]
    for col, width in zip("ABCDEF", (7, 34, 11, 60, 60, 60), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1)


def write_itas_xlsx(sheets: Sequence[ItasSheet], path: Path, lang: str = "th") -> list[str]:
    """One worksheet per agency; returns the sheet names."""
    from openpyxl import Workbook

    if not sheets:
        raise ValueError("no answer sheet to write")
    wb = Workbook()
    names = sheet_names(sheets)
    first = True
    for sheet, name in zip(sheets, names, strict=True):
        ws = wb.active if first else wb.create_sheet()
        first = False
        ws.title = name
        _fill_sheet(ws, sheet, lang)
    wb.save(path)
    return names


def render_itas_csv(sheets: Sequence[ItasSheet], lang: str = "th") -> str:
    """One header, then one row per agency and item; URLs one per line within their cell."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180; a CR in a value is quoted
    writer.writerow(CSV_LEAD[lang] + HEAD[lang])
    for sheet in sheets:
        for row in sheet.rows:
            writer.writerow(
                csv_cell(v)
                for v in (
                    sheet.agency_code or "",
                    sheet.display_name,
                    row.code,
                    row.title,
                    row.answer_label(lang),
                    "\n".join(row.urls),
                    row.explanation,
                    row.missing,
                )
            )
    return out.getvalue()
