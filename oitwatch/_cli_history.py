"""`oitwatch runs diff A B`, `oitwatch history AGENCY` and `oitwatch report itas RUN`: what
changed since the last run, one agency's items over the runs, and the ITAS answer sheet.

Thin shells: the work is in reports.diff / reports.itas and the queries in storage.repo.
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.text import Text

from ._cli_common import (
    DbOption,
    Format,
    FormatOption,
    Lang,
    LangOption,
    OutputOption,
    _open_repository,
    err,
    fail,
    out,
)

__all__ = ["history_command", "report_app", "runs_diff_command"]

report_app = typer.Typer(help="รายงาน / reports", no_args_is_help=True)

AgencyOption = Annotated[
    list[str] | None,
    typer.Option(
        "--agency",
        help="registered agency code, or a site's URL (repeat for several)",
        show_default=False,
    ),
]
ProvinceOption = Annotated[
    str | None, typer.Option("--province", help="จังหวัด / only the agencies of a province")
]


def _looks_like_url(value: str) -> bool:
    return "/" in value or "." in value


def _selection(repo: Any, values: list[str] | None) -> tuple[list[str] | None, list[str] | None]:
    """--agency values -> (registry codes, seed URLs). A URL of a registered agency selects
    the agency (its scans are matched by agency in every run); any other URL its seed URL."""
    if not values:
        return None, None
    from ._urls import SeedError, normalize_seed

    codes: list[str] = []
    urls: list[str] = []
    for value in values:
        value = value.strip()
        if not _looks_like_url(value):
            codes.append(value)
            continue
        agency = repo.find_agency_by_homepage(value)
        if agency is not None and agency.code:
            codes.append(agency.code)
            continue
        urls.append(value)
        try:
            urls.append(normalize_seed(value))
        except SeedError:
            pass
    return codes, urls


def _url_variants(url: str) -> list[str]:
    """The spellings of one home page a scan may have been given: http/https, with and
    without "www.", with and without the trailing "/" (exact seed URLs use their index)."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    host = (parts.netloc or "").lower().removeprefix("www.")
    path = parts.path.rstrip("/")
    tail = f"?{parts.query}" if parts.query else ""
    return [
        f"{scheme}://{www}{host}{path}{slash}{tail}"
        for scheme in ("https", "http")
        for www in ("", "www.")
        for slash in ("", "/")
    ]


def _write(text: str, output: Path | None, *, csv: bool) -> None:
    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    # Excel opens a UTF-8 CSV as Thai only when it starts with a BOM
    output.write_text(text, encoding="utf-8-sig" if csv else "utf-8")
    err.print(f"บันทึกรายงานที่ / report written to {output}")


def _table_to(output: Path | None, draw: Any) -> None:
    if output is None:
        draw(out)
        return
    with output.open("w", encoding="utf-8") as fh:
        draw(Console(file=fh, width=200, color_system=None))
    err.print(f"บันทึกรายงานที่ / report written to {output}")


# -- runs diff -----------------------------------------------------------------------------


def runs_diff_command(
    run_a: Annotated[int, typer.Argument(help="the earlier run (e.g. last night's)")],
    run_b: Annotated[int, typer.Argument(help="the later run")],
    agency: AgencyOption = None,
    province: ProvinceOption = None,
    fmt: FormatOption = Format.table,
    db: DbOption = None,
    lang: LangOption = Lang.th,
    output: OutputOption = None,
) -> None:
    """เทียบผลสองครั้ง / What changed between two runs, per agency.

    Items that went from pass to partial/fail (lost) or back (fixed), other status
    changes, best evidence moved or its content changed (same URL, new SHA-256), sites
    that went down or came back, agencies scanned in only one of the runs.
    """
    from reports.diff import diff_runs, print_diff, render_diff_csv, render_diff_json
    from storage import NotFoundError

    repo = _open_repository(db)
    codes, urls = _selection(repo, agency)
    try:
        diff = diff_runs(repo, run_a, run_b, agency_codes=codes, province=province, seed_urls=urls)
    except NotFoundError as exc:
        fail(f"ไม่พบการตรวจ: {exc}", str(exc), 2)
    if fmt is Format.table:
        _table_to(output, lambda console: print_diff(diff, console, lang.value))
    elif fmt is Format.json:
        _write(render_diff_json(diff, lang.value), output, csv=False)
    else:
        _write(render_diff_csv(diff, lang.value), output, csv=True)


# -- history -------------------------------------------------------------------------------


def history_command(
    agency: Annotated[str, typer.Argument(help="registered agency code, or the site's URL")],
    item: Annotated[str | None, typer.Option("--item", "-i", help="one item, e.g. O28")] = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000, help="the newest N runs")] = 10,
    fmt: FormatOption = Format.table,
    db: DbOption = None,
    lang: LangOption = Lang.th,
    output: OutputOption = None,
) -> None:
    """ผลการตรวจย้อนหลังของหน่วยงาน / Each item's status over the stored runs."""
    from reports.diff import print_history, render_history_csv, render_history_json

    repo = _open_repository(db)
    value = agency.strip()
    if _looks_like_url(value):
        record = repo.find_agency_by_homepage(value)
    else:
        record = next(iter(repo.list_agencies(codes=[value])), None)
    if record is not None:
        entries = repo.site_history(agency_id=record.id, item_code=item, limit=limit)
        who = " ".join(x for x in (record.code, record.name) if x)
    elif _looks_like_url(value):
        from ._urls import SeedError, normalize_seed

        try:
            seed = normalize_seed(value)
        except SeedError as exc:
            fail(exc.th, exc.en, 2)
        entries = repo.site_history(
            seed_urls=[value, *_url_variants(seed)], item_code=item, limit=limit
        )
        who = seed
    else:
        fail(
            f"ไม่พบหน่วยงานรหัส {value} ในทะเบียน (ดู `oitwatch agencies list`)",
            f"no registered agency with code {value} (see `oitwatch agencies list`)",
            2,
        )
    if not entries:
        fail(f"ยังไม่มีผลการตรวจของ {who}", f"no stored scan of {who}", 2)
    if item and not any(e.items for e in entries):
        fail(f"ไม่พบข้อ {item} ในผลการตรวจของ {who}", f"no item {item} in the scans of {who}", 2)
    if fmt is Format.table:
        _table_to(output, lambda console: print_history(entries, console, lang.value, who))
    elif fmt is Format.json:
        _write(render_history_json(entries, lang.value), output, csv=False)
    else:
        _write(render_history_csv(entries, lang.value), output, csv=True)


# -- report itas ---------------------------------------------------------------------------


class SheetFormat(str, Enum):
    xlsx = "xlsx"
    csv = "csv"


@report_app.command("itas")
def report_itas(
    run_id: Annotated[int, typer.Argument(help="run id from `oitwatch runs list`")],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="FILE.xlsx or FILE.csv", show_default=False)
    ],
    agency: AgencyOption = None,
    all_sites: Annotated[
        bool, typer.Option("--all", help="one sheet per agency of the run (with --province: of it)")
    ] = False,
    province: ProvinceOption = None,
    fmt: Annotated[
        SheetFormat | None, typer.Option("--format", "-f", help="xlsx | csv (default: by extension)")
    ] = None,
    db: DbOption = None,
    lang: LangOption = Lang.th,
) -> None:
    """แบบคำตอบ ITAS / The ITAS answer sheet: item, มี/ไม่มี, URLs and an explanation.

    A draft for the agency to review: pass = มี (only the evidence that meets the
    requirements), partial/fail = ไม่มี with what is missing.
    """
    from reports.itas import itas_sheet, render_itas_csv, write_itas_xlsx
    from rules import RuleError, load_catalog
    from storage import NotFoundError

    kind = fmt or (SheetFormat.csv if output.suffix.lower() == ".csv" else SheetFormat.xlsx)
    if kind is SheetFormat.xlsx and output.suffix.lower() not in (".xlsx", ""):
        fail(f"ไฟล์ Excel ต้องลงท้ายด้วย .xlsx: {output}", f"an Excel file ends in .xlsx: {output}", 2)
    if all_sites and agency:
        fail("ระบุ --agency หรือ --all อย่างใดอย่างหนึ่ง", "give --agency or --all, not both", 2)
    repo = _open_repository(db)
    run = repo.run_header(run_id)
    if run is None:
        fail(f"ไม่พบการตรวจหมายเลข {run_id}", f"no run with id {run_id}", 2)
    codes, urls = _selection(repo, agency)
    try:
        sites = repo.load_site_reports(
            run_id, agency_codes=codes, seed_urls=urls, province=province
        )
    except NotFoundError as exc:
        fail(str(exc), str(exc), 2)
    if not sites:
        fail("ไม่พบหน่วยงานที่เลือกในการตรวจนี้", f"run {run_id} has no scan of the selected agencies", 2)
    if len(sites) > 1 and not all_sites and not agency:
        fail(
            f"การตรวจ {run_id} มี {len(sites)} หน่วยงาน: ระบุ --agency รหัส หรือ --all",
            f"run {run_id} has {len(sites)} sites: give --agency CODE or --all",
            2,
        )
    try:
        catalog = load_catalog(run.catalog_id)
    except RuleError as exc:
        catalog = None
        err.print(Text(
            f"คำเตือน: โหลดชุดเกณฑ์ {run.catalog_id} ไม่ได้ แสดงเฉพาะข้อที่ตรวจแล้ว / warning: "
            f"catalog {run.catalog_id} not loaded ({exc}); only the judged items are listed",
            style="yellow"))
    sheets = [
        itas_sheet(
            site,
            catalog=catalog,
            catalog_id=run.catalog_id,
            run_id=run_id,
            titles=repo.evidence_page_titles(site.site_scan_id),
            lang=lang.value,
        )
        for site in sites
    ]
    if kind is SheetFormat.csv:
        output.write_text(render_itas_csv(sheets, lang.value), encoding="utf-8-sig")
    else:
        write_itas_xlsx(sheets, output, lang.value)
    err.print(
        f"บันทึกแบบคำตอบ ITAS {len(sheets)} หน่วยงานที่ {output} / "
        f"ITAS answer sheet for {len(sheets)} agencies written to {output}"
    )
