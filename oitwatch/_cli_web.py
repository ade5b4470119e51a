"""`oitwatch serve` (the dashboard and JSON API) and `oitwatch tokens` (who may change data
through them)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer
from rich.table import Table
from rich.text import Text

from ._cli_common import DbOption, _open_repository, err, fail, out

__all__ = ["serve_command", "tokens_app"]

tokens_app = typer.Typer(
    help="โทเค็นสำหรับแก้ไขข้อมูลผ่านแดชบอร์ดและ API / API tokens", no_args_is_help=True
)


def serve_command(
    host: Annotated[str, typer.Option(help="address to listen on (127.0.0.1: this machine only)")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="port")] = 8080,
    db: DbOption = None,
    private: Annotated[
        bool,
        typer.Option(
            "--private/--public-read",
            help="reading also needs a token (default: reading is open, writing needs a token)",
        ),
    ] = False,
    backend: Annotated[
        str, typer.Option(help="how scans started from the dashboard run: inprocess | celery")
    ] = "inprocess",
    broker: Annotated[Optional[str], typer.Option(help="Celery broker URL (default $OITWATCH_REDIS_URL)")] = None,
    max_pages: Annotated[int, typer.Option(min=1, max=100_000, help="page budget of dashboard scans")] = 300,
) -> None:
    """เปิดแดชบอร์ดและ JSON API / Serve the dashboard and the JSON API."""
    import uvicorn

    from web import WebConfig, create_app

    if backend not in ("inprocess", "celery"):
        fail(f"ไม่รู้จักวิธีตรวจ {backend!r} (inprocess หรือ celery)",
             f"unknown backend {backend!r} (inprocess or celery)", 2)
    repo = _open_repository(db)  # migrates a SQLite file; refuses an old PostgreSQL schema
    config = WebConfig(
        database_url=db, public_read=not private, backend=backend, broker=broker,
        scan_options={"max_pages": max_pages},
    )
    app = create_app(config, repo=repo)
    shown = f"[{host}]" if ":" in host else host
    err.print(
        f"แดชบอร์ด / dashboard: http://{shown}:{port}/   API: http://{shown}:{port}/api/v1/openapi.json"
        f"\nฐานข้อมูล / database: {repo.db.display_url}"
        f"   การอ่าน / reading: {'ต้องใช้โทเค็น / token needed' if private else 'เปิด / open'}"
    )
    if host not in ("127.0.0.1", "localhost", "::1") and not private:
        err.print(Text(
            "คำเตือน: เปิดให้เครื่องอื่นอ่านผลได้โดยไม่ต้องใช้โทเค็น (ใช้ --private เพื่อปิด) / "
            "warning: other machines can read results without a token (--private to close)",
            style="yellow",
        ))
    # One process: in-process scans run in its thread pool; behind a proxy, start more
    # servers (with --backend celery) rather than uvicorn workers.
    uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=False,
                server_header=False)


def _tokens(db: str | None):  # type: ignore[no-untyped-def]
    from storage.tokens_repo import TokenRepository

    return TokenRepository(_open_repository(db).db)


@tokens_app.command("create")
def tokens_create(
    name: Annotated[str, typer.Argument(help="who holds it, e.g. 'สนจ.ขอนแก่น' or 'ci-bot'")],
    db: DbOption = None,
) -> None:
    """สร้างโทเค็น (แสดงครั้งเดียว) / Create a token (shown once, stored hashed)."""
    from storage import StorageError

    try:
        record, token = _tokens(db).create(name)
    except StorageError as exc:
        fail(f"สร้างโทเค็นไม่ได้: {exc}", f"cannot create the token: {exc}", 2)
    err.print(
        f"โทเค็นหมายเลข {record.id} ({record.name}) เก็บไว้ให้ดี จะแสดงครั้งนี้ครั้งเดียว "
        f"(ฐานข้อมูลเก็บเพียงค่าแฮช) / token {record.id} ({record.name}): shown once, only its "
        "hash is stored"
    )
    out.print(token, markup=False, highlight=False)


@tokens_app.command("list")
def tokens_list(db: DbOption = None) -> None:
    """รายการโทเค็น / List tokens (never their values)."""
    from web._i18n import format_date

    table = Table("id", "ชื่อ / name", "ขึ้นต้นด้วย / prefix", "สร้าง / created",
                  "ใช้ล่าสุด / last used", "สถานะ / state")
    for t in _tokens(db).list():
        table.add_row(
            str(t.id), Text(t.name), t.prefix + "…", format_date(t.created_at, "th"),
            format_date(t.last_used_at, "th"),
            "ใช้ได้ / active" if t.active else f"ยกเลิก / revoked {format_date(t.revoked_at, 'th')}",
        )
    out.print(table)


@tokens_app.command("revoke")
def tokens_revoke(token_id: Annotated[int, typer.Argument(help="id from `oitwatch tokens list`")],
                  db: DbOption = None) -> None:
    """ยกเลิกโทเค็น / Revoke a token (its dashboard sessions end too)."""
    from storage import NotFoundError

    try:
        record = _tokens(db).revoke(token_id)
    except NotFoundError:
        fail(f"ไม่มีโทเค็นหมายเลข {token_id}", f"no token with id {token_id}", 2)
    out.print(f"ยกเลิกโทเค็น {record.id} ({record.name}) แล้ว / token {record.id} revoked",
              markup=False)
