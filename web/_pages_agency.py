"""The agency page (one site scan: every item with its status, reasons, evidence, click
path, screenshot and archived copy; the estimate; the item history across runs), its
ITAS answer sheet, the archived copy of an evidence URL, and the screenshots."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path as FsPath
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response

from render.store import ScreenshotStore
from reports._thai import note_th
from reports.diff import history_codes
from reports.itas import itas_sheet, render_itas_csv, write_itas_xlsx
from storage.dashboard_repo import ScanDetail
from storage.repo import HistoryEntry

from ._archived import ArchiveReadError, TooLarge, read_archived
from ._deps import PageError, Reader, config_of, repo_of, require_page_read
from ._downloads import Format, Table, download, safe_filename
from ._i18n import format_date, item_status, text
from ._pages_common import MAX_ID, catalog_of, dashboard_of, page, row_score
from ._security import ARCHIVED_CSP

router = APIRouter(include_in_schema=False)

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
HISTORY_RUNS = 12


def _store(request: Request) -> ScreenshotStore:
    return ScreenshotStore(config_of(request).screenshot_root())


def _detail_or_404(request: Request, site_scan_id: int) -> ScanDetail:
    detail = dashboard_of(request).scan_detail(site_scan_id)
    if detail is None:
        raise PageError(404, "no_such_scan", f"#{site_scan_id}")
    return detail


def _items_table(detail: ScanDetail, lang: str) -> Table:
    head = [text(k, lang) for k in ("col_item", "col_title", "col_status", "col_reasons",
                                    "col_evidence", "col_click_path", "col_sha256")]
    name = detail.site.agency_code or f"scan{detail.site.site_scan_id}"
    table = Table(f"oitwatch-{name}-run{detail.run.id}", head)
    for item in detail.items:
        table.rows.append([
            item.code,
            item.title_th if lang == "th" else item.title_en,
            item_status(item.status, lang),
            " | ".join(str(r.get(lang) or r.get("th") or "") for r in item.reasons),
            "\n".join(ev.url for ev in item.evidence),
            "\n".join(" > ".join(ev.click_path) for ev in item.evidence),
            "\n".join(ev.sha256 for ev in item.evidence),
        ])
    return table


def _history(
    request: Request, detail: ScanDetail
) -> tuple[list[HistoryEntry], list[tuple[str, str, str]]]:
    """(entries oldest first, [(code, th, en)]) of the agency's last scans (of the site's
    seed URL when it is not in the registry)."""
    site = detail.site
    repo = repo_of(request)
    if site.agency_id is not None:
        entries = repo.site_history(agency_id=site.agency_id, limit=HISTORY_RUNS)
    else:
        entries = repo.site_history(seed_urls=[site.seed_url], limit=HISTORY_RUNS)
    return entries, history_codes(entries)


def _history_table(entries: list[HistoryEntry], codes: list[tuple[str, str, str]], detail: ScanDetail,
                   lang: str) -> Table:
    head = [text("col_item", lang), text("col_title", lang)] + [
        f"#{e.run.id} {format_date(e.run.started_at, lang)}" for e in entries
    ]
    name = detail.site.agency_code or f"scan{detail.site.site_scan_id}"
    table = Table(f"oitwatch-{name}-history", head)
    for code, th, en in codes:
        table.rows.append([code, th if lang == "th" else en] + [
            item_status(e.items[code].status, lang) if code in e.items else "" for e in entries
        ])
    return table


def _agency_page(request: Request, reader: Reader, detail: ScanDetail, fmt: Format | None,
                 table: str) -> Response:
    lang = reader.lang
    entries, codes = _history(request, detail)
    if fmt is not None:
        if table == "history":
            return download(_history_table(entries, codes, detail, lang), fmt)
        return download(_items_table(detail, lang), fmt)
    store = _store(request)
    shots = {ev.screenshot for item in detail.items for ev in item.evidence
             if ev.screenshot and ev.screenshot in store}
    score = row_score(detail.run, detail.site)
    notes = [note_th(n) if lang == "th" else n for n in detail.notes]
    reason = note_th(detail.reason) if lang == "th" and detail.reason else detail.reason
    return page(
        request, "agency_page.html", detail=detail, site=detail.site, run=detail.run,
        score=score, notes=notes, reason=reason, shots=shots, entries=entries, history_codes=codes,
        date=lambda v: format_date(v, lang),
    )


@router.get("/scans/{site_scan_id}")
def scan_page(
    request: Request,
    reader: Annotated[Reader, Depends(require_page_read)],
    site_scan_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    format: Format | None = None,  # noqa: A002
    table: Literal["items", "history"] = "items",
) -> Response:
    return _agency_page(request, reader, _detail_or_404(request, site_scan_id), format, table)


@router.get("/agencies/{agency_id}")
def agency_page(
    request: Request,
    reader: Annotated[Reader, Depends(require_page_read)],
    agency_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    format: Format | None = None,  # noqa: A002
    table: Literal["items", "history"] = "items",
) -> Response:
    scan_id = dashboard_of(request).newest_complete_scan(agency_id)
    if scan_id is None:
        raise PageError(404, "no_scan_of_agency", f"#{agency_id}")
    return _agency_page(request, reader, _detail_or_404(request, scan_id), format, table)


@router.get("/scans/{site_scan_id}/itas.xlsx")
def itas_download(
    request: Request,
    reader: Annotated[Reader, Depends(require_page_read)],
    site_scan_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    format: Annotated[Format, Query()] = "xlsx",  # noqa: A002
) -> Response:
    """The ITAS answer sheet of one site scan (reports.itas), XLSX (``?format=csv``: CSV)."""
    found = dashboard_of(request).site_report(site_scan_id)
    if found is None:
        raise PageError(404, "no_such_scan", f"#{site_scan_id}")
    site, run = found
    if not site.complete:
        raise PageError(404, "no_itas", f"#{site_scan_id}")
    titles = repo_of(request).evidence_page_titles(site_scan_id)
    sheet = itas_sheet(site, catalog=catalog_of(run), catalog_id=run.catalog_id, run_id=run.id,
                       titles=titles, lang=reader.lang)
    stem = f"itas-{site.agency_code or 'scan' + str(site_scan_id)}-run{run.id}"
    if format == "csv":
        body = ("\ufeff" + render_itas_csv([sheet], reader.lang)).encode("utf-8")
        media = "text/csv; charset=utf-8"
    else:
        with tempfile.TemporaryDirectory(prefix="oitwatch-itas-") as tmp:
            path = FsPath(tmp) / "itas.xlsx"
            write_itas_xlsx([sheet], path, reader.lang)
            body = path.read_bytes()
        media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    name = safe_filename(stem, format)
    return Response(body, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


# -- evidence: archived copies and screenshots -----------------------------------------------

_INERT = {"Content-Security-Policy": ARCHIVED_CSP, "X-Content-Type-Options": "nosniff"}


@router.get("/evidence/{evidence_id}/archived")
def archived_copy(
    request: Request,
    reader: Annotated[Reader, Depends(require_page_read)],
    evidence_id: Annotated[int, Path(ge=1, le=MAX_ID)],
) -> Response:
    source = dashboard_of(request).evidence_source(evidence_id)
    if source is None:
        raise PageError(404, "no_such_evidence", f"#{evidence_id}")
    problem = "no_archive"
    if source.warc_file and source.warc_offset is not None:
        try:
            body = read_archived(source.warc_file, source.warc_offset)
        except TooLarge:
            problem = "archive_too_large"
        except ArchiveReadError:
            problem = "archive_pruned" if source.archive_pruned else "archive_unreadable"
        else:
            disposition = "inline" if body.inline else "attachment"
            return Response(
                body.body, media_type=body.content_type(),
                headers={**_INERT,
                         "Content-Disposition": f'{disposition}; filename="{body.filename()}"'},
            )
    return page(request, "archived_missing.html", source=source, problem=problem,
                date=lambda v: format_date(v, reader.lang))


@router.get("/screenshots/{name}")
def screenshot(
    request: Request,
    reader: Annotated[Reader, Depends(require_page_read)],
    name: Annotated[str, Path(max_length=80)],
) -> Response:
    sha = name.removesuffix(".png")
    if not name.endswith(".png") or not _SHA256.match(sha):
        raise PageError(404, "not_found")
    png = _store(request).get(sha)
    if png is None:
        raise PageError(404, "not_found")
    return Response(png, media_type="image/png", headers={
        **_INERT, "Content-Disposition": f'inline; filename="{sha}.png"',
        "Cache-Control": "private, max-age=86400, immutable",
    })
