"""The terminal report: one table per site, Thai first.

Every string that came from a crawled site goes into a rich ``Text`` object,
never into markup, so a page title like "[bold]" or "[link=...]" is shown
as typed and cannot restyle or re-link the report.
"""

from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from rules._result import ItemResult

from ._model import RunReport, SiteReport
from ._score import score_line, site_score
from ._thai import ITEM_STATUS_LABEL, SITE_STATUS_LABEL, format_datetime, label, note_th

__all__ = ["print_table", "site_table"]

_STATUS_STYLE = {"pass": "green", "partial": "yellow", "fail": "red", "error": "magenta"}

_HEAD = {
    "th": ("ข้อ", "รายการ", "ผล", "หลักฐาน / เส้นทางคลิก", "เหตุผล"),
    "en": ("Item", "Title", "Status", "Evidence / click path", "Reasons"),
}


def _evidence_cell(item: ItemResult, lang: str) -> Text:
    """The best evidence; for a pass only evidence that meets the requirements, so a
    rejected look-alike (the general complaint form under O28) never seems to be proof."""
    shown = [ev for ev in item.evidence if ev.meets_requirements] if item.status.value == "pass" else []
    text = Text()
    for ev in (shown or item.evidence)[:2]:
        if text:
            text.append("\n")
        if not ev.meets_requirements:
            text.append("✗ ", style="red")
        text.append(ev.url, style="cyan")
        if ev.document_pages:
            pages = ", ".join(str(n) for n in ev.document_pages)
            text.append(("  (หน้า " if lang == "th" else "  (page ") + pages + ")", style="cyan")
        if ev.image_url:
            source = "ภาพหน้าจอ" if ev.image_url.startswith("screenshot:") else ev.image_url
            text.append(("\nQR code ใน " if lang == "th" else "\nQR code in ") + source, style="dim")
        if ev.click_path:
            text.append("\n" + " > ".join(ev.click_path), style="dim")
    return text


def site_table(site: SiteReport, lang: str = "th", run: RunReport | None = None) -> Panel:
    title = Text(site.agency_name + " — " if site.agency_name else "")
    title.append(site.final_url or site.seed_url)
    if site.status != "ok":
        # Nothing could be judged: one line says why instead of a row of errors per item.
        line = Text(
            ("สถานะเว็บไซต์: " if lang == "th" else "Site status: ")
            + label(SITE_STATUS_LABEL, site.status, lang)
            + f" — {site.reason}\n"
            + (
                f"ตรวจไม่ได้ทั้ง {len(site.items)} ข้อ"
                if lang == "th"
                else f"none of the {len(site.items)} items could be judged"
            ),
            style="magenta",
        )
        return Panel(line, title=title, title_align="left")
    head = _HEAD[lang]
    table = Table(*head, show_lines=True, expand=True)
    for item in site.items:
        status = item.status.value
        table.add_row(
            Text(item.code),
            Text(item.title_th if lang == "th" else item.title_en),
            Text(label(ITEM_STATUS_LABEL, status, lang), style=_STATUS_STYLE.get(status, "")),
            _evidence_cell(item, lang),
            Text("\n".join(r.th if lang == "th" else r.en for r in item.reasons)),
        )
    counts = {s: sum(1 for i in site.items if i.status.value == s) for s in _STATUS_STYLE}
    summary = Text(
        "  ".join(f"{label(ITEM_STATUS_LABEL, s, lang)} {n}" for s, n in counts.items() if n)
    )
    site_state = Text(
        ("สถานะเว็บไซต์: " if lang == "th" else "Site status: ")
        + label(SITE_STATUS_LABEL, site.status, lang)
        + f" ({site.reason})  "
        + ("หน้าที่อ่าน: " if lang == "th" else "pages fetched: ")
        + str(site.pages_fetched)
        + ("  ตรวจเมื่อ: " if lang == "th" else "  scanned: ")
        + format_datetime(site.finished_at, lang)
    )
    parts = [site_state, table, summary]
    if site.notes:
        head = "ข้อจำกัดของการตรวจครั้งนี้:" if lang == "th" else "What this scan could not do:"
        lines = [note_th(n) if lang == "th" else n for n in site.notes]
        parts.append(Text(head + "".join(f"\n • {line}" for line in lines), style="yellow"))
    if run is not None:
        parts.append(Text(score_line(site_score(run, site), lang), style="bold"))
    return Panel(Group(*parts), title=title, title_align="left")


def print_table(run: RunReport, console: Console, lang: str = "th") -> None:
    for site in run.sites:
        console.print(site_table(site, lang, run))
