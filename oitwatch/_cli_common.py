"""What every `oitwatch` sub-command shares: the consoles, the option types, one-message
failures, and opening the database and the rules.

It imports no command module, so each command module (``cli``, ``_cli_agencies``,
``_cli_schedule``, ``_cli_campaign``, ``_cli_rules``) imports it on its own, in any order.
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, NoReturn, Optional

import typer
from rich.console import Console
from rich.text import Text

from . import __version__

__all__ = [
    "DbOption",
    "Format",
    "FormatOption",
    "Lang",
    "LangOption",
    "OutputOption",
    "Render",
    "err",
    "fail",
    "out",
]

out = Console(soft_wrap=False)
err = Console(stderr=True)


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


class Render(str, Enum):
    auto = "auto"
    never = "never"
    always = "always"


class Lang(str, Enum):
    th = "th"
    en = "en"


DbOption = Annotated[
    Optional[str],
    typer.Option(
        "--db",
        help="SQLAlchemy URL, e.g. postgresql://user@host/db "
        "(default: $OITWATCH_DATABASE_URL, else a SQLite file; see `oitwatch db path`)",
    ),
]
LangOption = Annotated[Lang, typer.Option("--lang", help="ภาษาของรายงาน / report language")]
FormatOption = Annotated[Format, typer.Option("--format", "-f", help="table | json | csv")]
OutputOption = Annotated[
    Optional[Path], typer.Option("--output", "-o", help="write the report to this file")
]


def fail(th: str, en: str, code: int = 1) -> NoReturn:
    err.print(Text(f"ผิดพลาด: {th}\nerror: {en}", style="red"))
    raise typer.Exit(code)


def _open_repository(db_url: str | None, *, auto_upgrade: bool = True):  # type: ignore[no-untyped-def]
    from storage import Database, Repository, StorageError

    try:
        db = Database(db_url)
        if not db.check_current():
            if auto_upgrade and db.is_sqlite:
                db.upgrade()
            else:
                fail(
                    f"ฐานข้อมูล {db.display_url} ยังไม่ได้ปรับโครงสร้าง ให้สั่ง `oitwatch db upgrade` ก่อน",
                    f"the database {db.display_url} is not at the current schema; "
                    "run `oitwatch db upgrade` first",
                )
        return Repository(db)
    except StorageError as exc:
        fail(f"เปิดฐานข้อมูลไม่ได้: {exc}", f"cannot open the database: {exc}")


def _load_catalog(catalog_id: str):  # type: ignore[no-untyped-def]
    from rules import RuleError, load_catalog

    try:
        return load_catalog(catalog_id)
    except RuleError as exc:
        fail(f"โหลดกฎการตรวจไม่ได้: {exc}", f"cannot load the rules: {exc}")


def _emit(run, fmt: Format, lang: Lang, output: Path | None) -> None:  # type: ignore[no-untyped-def]
    from reports import print_table, render_csv, render_json

    if fmt is Format.table:
        if output is None:
            print_table(run, out, lang.value)
        else:
            with output.open("w", encoding="utf-8") as fh:
                print_table(run, Console(file=fh, width=160, color_system=None), lang.value)
        return
    text = render_json(run, __version__, lang.value) if fmt is Format.json else render_csv(
        run, lang.value
    )
    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    else:
        # Excel opens a UTF-8 CSV as Thai only when it starts with a BOM
        encoding = "utf-8-sig" if fmt is Format.csv else "utf-8"
        output.write_text(text, encoding=encoding)
        err.print(f"บันทึกรายงานที่ / report written to {output}")
