"""`oitwatch agencies import|list`: the agency registry a monitor keeps."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ._cli_common import DbOption, OutputOption, _open_repository, err, fail, out

agencies_app = typer.Typer(help="ทะเบียนหน่วยงาน / agency registry", no_args_is_help=True)


class ListFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


def _problem(line: int, th: str, en: str, style: str) -> None:
    err.print(Text(f"บรรทัด {line}: {th}\nline {line}: {en}", style=style))


@agencies_app.command("import")
def agencies_import(
    file: Annotated[Path, typer.Argument(help="registry file: .csv or .xlsx", show_default=False)],
    sheet: Annotated[
        str | None, typer.Option(help="sheet name in an .xlsx file (default: the first)")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="check the file only, store nothing")
    ] = False,
    db: DbOption = None,
) -> None:
    """นำเข้าทะเบียนหน่วยงาน (CSV/XLSX) / Import or update agencies from a CSV or XLSX file.

    Columns (Thai or English headers): code/รหัส, name/ชื่อ, type/ประเภท, province/จังหวัด,
    district/อำเภอ, homepage/เว็บไซต์, catalog. Rows are matched by code: new codes are
    added, known ones updated; empty cells keep what is stored. Bad rows are listed with
    their line number and skipped; the good rows are stored in one transaction. Exit
    status 1 when any row was rejected.
    """
    from .registry import RegistryError, read_registry

    if not file.is_file():
        fail(f"ไม่พบไฟล์ {file}", f"no such file: {file}", 2)
    try:
        registry = read_registry(file, sheet=sheet)
    except RegistryError as exc:
        fail(exc.th, exc.en)
    for problem in registry.warnings:
        _problem(problem.line, problem.th, problem.en, "yellow")
    for problem in registry.errors:
        _problem(problem.line, problem.th, problem.en, "red")
    bad_lines = len({p.line for p in registry.errors})
    if dry_run:
        out.print(
            f"ตรวจแล้ว: ใช้ได้ {len(registry.rows)} แถว, ผิด {bad_lines} แถว (ไม่ได้บันทึก) / "
            f"checked: {len(registry.rows)} good rows, {bad_lines} bad rows (nothing stored)"
        )
    elif registry.rows:
        from storage import StorageError

        repo = _open_repository(db)
        try:
            stats = repo.import_agencies(registry.rows)
        except StorageError as exc:
            fail(f"บันทึกทะเบียนไม่ได้ (ไม่มีการเปลี่ยนแปลง): {exc}",
                 f"could not store the registry (nothing changed): {exc}")
        out.print(
            f"นำเข้า {len(registry.rows)} แถว: เพิ่ม {stats.inserted}, แก้ไข {stats.updated}, "
            f"เหมือนเดิม {stats.unchanged}; ข้ามแถวที่ผิด {bad_lines} แถว / "
            f"imported {len(registry.rows)} rows: {stats.inserted} new, {stats.updated} updated, "
            f"{stats.unchanged} unchanged; {bad_lines} bad rows skipped"
        )
    else:
        out.print(f"ไม่มีแถวที่ใช้ได้ / no good rows ({bad_lines} bad rows)")
    if registry.errors:
        raise typer.Exit(1)


@agencies_app.command("list")
def agencies_list(
    province: Annotated[str | None, typer.Option(help="จังหวัด / province")] = None,
    district: Annotated[str | None, typer.Option(help="อำเภอ / district")] = None,
    agency_type: Annotated[
        str | None, typer.Option("--type", help="ประเภท เช่น อบต. / type, e.g. อบต.")
    ] = None,
    catalog: Annotated[str | None, typer.Option(help="catalog id")] = None,
    search: Annotated[
        str | None, typer.Option(help="part of the name, code or homepage")
    ] = None,
    fmt: Annotated[ListFormat, typer.Option("--format", "-f", help="table | csv | json")] = (
        ListFormat.table
    ),
    output: OutputOption = None,
    db: DbOption = None,
) -> None:
    """แสดงทะเบียนหน่วยงาน / List registered agencies (CSV output re-imports as is)."""
    from .registry import (
        REGISTRY_COLUMNS,
        normalize_district,
        normalize_province,
        write_registry_csv,
    )

    repo = _open_repository(db)
    rows = repo.list_agencies(
        province=normalize_province(province) if province else None,
        district=normalize_district(district) if district else None,
        agency_type=agency_type,
        catalog=catalog,
        search=search,
    )
    if fmt is ListFormat.csv:
        if output is None:
            import csv

            writer = csv.writer(sys.stdout)
            writer.writerow(REGISTRY_COLUMNS)
            for a in rows:
                writer.writerow([getattr(a, c) or "" for c in REGISTRY_COLUMNS])
        else:
            write_registry_csv(output, rows)
            err.print(f"บันทึกที่ / written to {output}")
        return
    if fmt is ListFormat.json:
        text = json.dumps(
            [{c: getattr(a, c) for c in REGISTRY_COLUMNS} for a in rows],
            ensure_ascii=False, indent=2,
        )
        if output is None:
            sys.stdout.write(text + "\n")
        else:
            output.write_text(text + "\n", encoding="utf-8")
        return
    table = Table(
        "รหัส / code", "ชื่อ / name", "ประเภท / type", "จังหวัด / province",
        "อำเภอ / district", "เว็บไซต์ / homepage", "catalog",
        title=f"{len(rows)} หน่วยงาน / agencies",
    )
    for a in rows:
        table.add_row(*(Text(v or "-") for v in (
            a.code, a.name, a.type, a.province, a.district, a.homepage, a.catalog)))
    if output is None:
        out.print(table)
    else:
        with output.open("w", encoding="utf-8") as fh:
            Console(file=fh, width=200, color_system=None).print(table)
