"""Every table of the dashboard as a download: CSV (UTF-8 with a BOM, so Excel reads Thai)
or XLSX (openpyxl).

Cells hold text from crawled sites (titles, link texts, URLs), so a cell Excel would read
as a formula (= + - @, tab, CR first) is neutralised: CSV gets a leading apostrophe
(reports._csv), XLSX a text cell with the quote prefix (reports.itas). Numbers stay
numbers. File names are ASCII (a Thai agency name in Content-Disposition would need
RFC 5987 and some clients still mangle it)."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from typing import Literal

from fastapi.responses import Response

from reports._csv import FORMULA_START, csv_cell
from reports.itas import xlsx_text

__all__ = ["Format", "Table", "download", "safe_filename"]

Format = Literal["csv", "xlsx"]
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Cell = str | int | float | None


@dataclass(slots=True)
class Table:
    """A table as the page shows it: a header and rows of plain values."""

    name: str  # the sheet name and the file name's stem (ASCII)
    header: list[str]
    rows: list[list[Cell]] = field(default_factory=list)


def safe_filename(stem: str, ext: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", stem).strip("._") or "table"
    return f"{stem[:80]}.{ext}"


def _csv_bytes(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180; a CR in a value is quoted
    writer.writerow([csv_cell(h) for h in table.header])
    for row in table.rows:
        writer.writerow("" if v is None else v if isinstance(v, int | float) else csv_cell(str(v))
                        for v in row)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _xlsx_bytes(table: Table) -> bytes:
    """Write-only mode (rows streamed, no cell objects kept): a 1,000-agency table in well
    under a second."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(re.sub(r"[\[\]:*?/\\']", "_", table.name)[:31] or "table")
    ws.freeze_panes = "A2"
    bold = Font(bold=True)

    def cell(value: Cell, header: bool = False) -> object:
        if isinstance(value, bool) or value is None:
            value = "" if value is None else str(value)
        if isinstance(value, int | float) and not header:
            return value
        text = xlsx_text(str(value))
        if not header and not text.startswith(FORMULA_START):
            return text
        out = WriteOnlyCell(ws, value=text)
        if text.startswith(FORMULA_START):
            out.data_type = "s"  # shown as written, never evaluated
            out.quotePrefix = True
        if header:
            out.font = bold
        return out

    ws.append([cell(h, header=True) for h in table.header])
    for row in table.rows:
        ws.append([cell(v) for v in row])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def download(table: Table, fmt: Format) -> Response:
    name = safe_filename(table.name, fmt)
    if fmt == "csv":
        body, media = _csv_bytes(table), "text/csv; charset=utf-8"
    else:
        body, media = _xlsx_bytes(table), XLSX_TYPE
    return Response(
        body, media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
