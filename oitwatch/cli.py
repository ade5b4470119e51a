"""The `oitwatch` command: a thin typer shell over importable functions.

Each command parses its options, calls the function that does the work and
turns expected failures (bad URL, broken rule file, unreachable database)
into one bilingual message and exit code 1 or 2 — never a traceback.
"""

from __future__ import annotations

import logging
from typing import Annotated, Optional

import typer
from rich.table import Table

from . import __version__
from ._cli_agencies import agencies_app
from ._cli_common import (
    DbOption,
    Format,
    FormatOption,
    Lang,
    LangOption,
    OutputOption,
    Render,
    _emit,
    _load_catalog,
    _open_repository,
    err,
    fail,
    out,
)
from ._cli_history import history_command, report_app, runs_diff_command
from ._cli_rules import rules_app
from ._cli_schedule import schedule_app, scheduler_command, worker_command
from ._urls import SeedError, normalize_seed
from rules import default_catalog

app = typer.Typer(
    name="oitwatch",
    help="ตรวจการเปิดเผยข้อมูลสาธารณะ (OIT) บนเว็บไซต์หน่วยงานภาครัฐ / "
    "Checks Thai agency websites for the ITA/OIT disclosures.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="ฐานข้อมูล / database", no_args_is_help=True)
runs_app = typer.Typer(help="ผลการตรวจที่บันทึกไว้ / stored scan runs", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(runs_app, name="runs")
app.add_typer(rules_app, name="rules")
app.add_typer(agencies_app, name="agencies")
app.add_typer(schedule_app, name="schedule")


def _run_scan(  # type: ignore[no-untyped-def]
    seeds: list[str],
    catalog_id: str,
    db_url: str | None,
    options,
    lang: Lang,
    store: bool = True,
):
    from ._progress import RichScanProgress
    from .scan import scan_sites

    catalog = _load_catalog(catalog_id)
    repo = _open_repository(db_url) if store else None
    with RichScanProgress(err, len(seeds), options.max_pages, lang.value) as progress:
        try:
            return scan_sites(seeds, catalog, repo, options, progress)
        except KeyboardInterrupt:
            fail(
                "ยกเลิกการตรวจ ผลที่ยังไม่เสร็จจะไม่ถูกนับเป็นผลที่สมบูรณ์",
                "scan interrupted; unfinished sites are not recorded as complete",
                130,
            )


@app.command()
def scan(
    urls: Annotated[
        Optional[list[str]],
        typer.Argument(help="agency home page URL(s); or use --province/--agency/--all",
                       show_default=False),
    ] = None,
    province: Annotated[
        Optional[str],
        typer.Option(help="ตรวจทุกหน่วยงานของจังหวัด / every registered agency of a province"),
    ] = None,
    district: Annotated[Optional[str], typer.Option(help="อำเภอ (with --province)")] = None,
    agency: Annotated[
        Optional[list[str]], typer.Option(help="registered agency code (repeat for several)")
    ] = None,
    all_agencies: Annotated[
        bool, typer.Option("--all", help="every registered agency")
    ] = False,
    backend: Annotated[
        str, typer.Option(help="inprocess | celery (queue one task per site for `oitwatch worker`)")
    ] = "inprocess",
    broker: Annotated[
        Optional[str], typer.Option(help="Redis URL for --backend celery "
                                    "(default: $OITWATCH_REDIS_URL, else redis://127.0.0.1:6379/0)")
    ] = None,
    wait: Annotated[
        bool, typer.Option("--wait/--no-wait", help="with celery: wait for the workers")
    ] = True,
    concurrency: Annotated[
        Optional[int],
        typer.Option(min=1, max=256, help="sites scanned at once (default 4; 8 for campaigns)"),
    ] = None,
    catalog: Annotated[
        Optional[str],
        typer.Option(help="catalog id, see `oitwatch rules list` "
                     "(default: the agencies' registry catalog, else the newest complete one)"),
    ] = None,
    fmt: FormatOption = Format.table,
    max_pages: Annotated[int, typer.Option(min=1, max=10000, help="page budget per site")] = 300,
    max_depth: Annotated[int, typer.Option(min=0, max=50, help="clicks from the home page")] = 6,
    delay: Annotated[
        float, typer.Option(min=0.0, help="seconds between requests to one host (politeness)")
    ] = 0.5,
    db: DbOption = None,
    no_store: Annotated[bool, typer.Option("--no-store", help="do not write to the database")] = False,
    lang: LangOption = Lang.th,
    output: OutputOption = None,
    render: Annotated[
        Render, typer.Option(help="JavaScript rendering with Chromium: auto | never | always")
    ] = Render.auto,
    browser: Annotated[
        Optional[str], typer.Option(help="Chromium executable (default: found automatically)")
    ] = None,
    screenshots: Annotated[
        bool,
        typer.Option("--screenshots/--no-screenshots",
                     help="store a PNG of each pass/partial item's evidence page"),
    ] = True,
    archive: Annotated[
        bool,
        typer.Option("--archive/--no-archive",
                     help="keep a WARC web archive of each stored site scan "
                     "(`oitwatch evidence export`)"),
    ] = True,
) -> None:
    """ตรวจเว็บไซต์หน่วยงาน / Scan agency websites and report each OIT item.

    Either URLs, or a campaign over the agency registry (`oitwatch agencies import`):
    --province X [--district Y], --agency CODE …, or --all. A campaign is one run; with
    --format table it prints one line per agency (every item: `oitwatch runs show N`).
    """
    from .scan import ScanOptions

    campaign = province is not None or bool(agency) or all_agencies or district is not None
    if backend not in ("inprocess", "celery"):
        fail(f"ไม่รู้จัก backend '{backend}'", f"unknown backend {backend!r}: inprocess or celery", 2)
    if campaign and urls:
        fail("ระบุ URL หรือ --province/--agency/--all อย่างใดอย่างหนึ่ง",
             "give URLs or --province/--agency/--all, not both", 2)
    if not campaign and not urls:
        fail("ไม่ได้ระบุเว็บไซต์: ใส่ URL หรือ --province/--agency/--all",
             "nothing to scan: give URLs or --province/--agency/--all", 2)
    if campaign:
        from ._cli_campaign import run_campaign_command
        from ._cli_schedule import _selection

        if no_store:
            fail("การตรวจตามทะเบียนต้องบันทึกผล", "a campaign is always stored; drop --no-store", 2)
        options = ScanOptions(
            max_pages=max_pages, max_depth=max_depth, min_delay=delay,
            site_concurrency=concurrency or 8, trigger="cli", render=render.value,
            browser_path=browser, screenshots=screenshots, archive=archive,
        )
        run_campaign_command(
            selection=_selection(province, district, agency, all_agencies),
            catalog_id=catalog, options=options, backend=backend, broker=broker, wait=wait,
            db_url=db, fmt=fmt, lang=lang, output=output,
        )
        return
    if backend != "inprocess":
        fail("--backend celery ใช้กับ --province/--agency/--all",
             "--backend celery needs --province/--agency/--all (registered agencies)", 2)
    try:
        seeds = [normalize_seed(u) for u in urls or []]
    except SeedError as exc:
        fail(exc.th, exc.en, 2)
    options = ScanOptions(
        max_pages=max_pages, max_depth=max_depth, min_delay=delay,
        site_concurrency=concurrency or 4, trigger="cli", render=render.value,
        browser_path=browser, screenshots=screenshots, archive=archive,
    )
    run = _run_scan(seeds, catalog or default_catalog(), db, options, lang, store=not no_store)
    _emit(run, fmt, lang, output)


@app.command()
def demo(
    fmt: FormatOption = Format.table,
    db: DbOption = None,
    lang: LangOption = Lang.th,
    max_pages: Annotated[int, typer.Option(min=1, help="page budget per site")] = 300,
) -> None:
    """สาธิต: ตรวจเว็บไซต์ตัวอย่างในเครื่อง / Offline demo: serve the bundled sample sites and scan them."""
    from .demo import run_demo

    code = run_demo(
        out=out, err=err, fmt=fmt.value, lang=lang.value, max_pages=max_pages,
        open_repository=lambda: _open_repository(db), emit=lambda run: _emit(run, fmt, lang, None),
    )
    raise typer.Exit(code)


@db_app.command("upgrade")
def db_upgrade(db: DbOption = None) -> None:
    """สร้าง/ปรับโครงสร้างฐานข้อมูล / Create or migrate the database to the current schema."""
    from storage import Database, StorageError

    try:
        database = Database(db)
        database.upgrade()
    except StorageError as exc:
        fail(f"ปรับฐานข้อมูลไม่ได้: {exc}", f"database upgrade failed: {exc}")
    out.print(f"ฐานข้อมูลพร้อมใช้ / database is up to date: {database.display_url}")


@db_app.command("path")
def db_path(db: DbOption = None) -> None:
    """แสดงที่อยู่ฐานข้อมูลที่ใช้ / Show which database is used."""
    from storage import Database, StorageError

    try:
        out.print(Database(db).display_url)
    except StorageError as exc:
        fail(str(exc), str(exc))


@runs_app.command("list")
def runs_list(
    db: DbOption = None,
    limit: Annotated[int, typer.Option(min=1)] = 20,
    lang: LangOption = Lang.th,
) -> None:
    """รายการการตรวจล่าสุด / List recent scan runs."""
    from reports import format_datetime

    repo = _open_repository(db)
    table = Table("run", "catalog", "เริ่ม / started", "สถานะ / state", "เว็บไซต์ / sites", "trigger")
    for run in repo.list_runs(limit=limit):
        table.add_row(
            str(run.id), run.catalog_id, format_datetime(run.started_at, lang.value),
            run.state, str(run.site_count), run.trigger,
        )
    out.print(table)


@runs_app.command("show")
def runs_show(
    run_id: Annotated[int, typer.Argument(help="run id from `oitwatch runs list`")],
    fmt: FormatOption = Format.table,
    db: DbOption = None,
    lang: LangOption = Lang.th,
    output: OutputOption = None,
) -> None:
    """แสดงผลการตรวจที่บันทึกไว้ / Show a stored run as table, JSON or CSV."""
    repo = _open_repository(db)
    run = repo.load_run(run_id)
    if run is None:
        fail(f"ไม่พบการตรวจหมายเลข {run_id}", f"no run with id {run_id}", 2)
    _emit(run, fmt, lang, output)


@runs_app.command("summary")
def runs_summary(
    run_id: Annotated[int, typer.Argument(help="run id from `oitwatch runs list`")],
    fmt: FormatOption = Format.table,
    db: DbOption = None,
    lang: LangOption = Lang.th,
    output: OutputOption = None,
) -> None:
    """สรุปผลรายหน่วยงาน / One line per agency of a run, and the totals."""
    from ._cli_campaign import runs_summary as summary

    summary(run_id, fmt, db, lang, output)


# history, diffs and the ITAS answer sheet (oitwatch/_cli_history.py)
runs_app.command("diff")(runs_diff_command)
app.command("history")(history_command)
app.add_typer(report_app, name="report")

# alerts after a run (oitwatch/_cli_alerts.py)
from ._cli_alerts import alerts_app  # noqa: E402

app.add_typer(alerts_app, name="alerts")


# evidence packages and retention (oitwatch/_cli_evidence.py)
from ._cli_evidence import db_prune_command, evidence_app  # noqa: E402

app.add_typer(evidence_app, name="evidence")
db_app.command("prune")(db_prune_command)


# the dashboard, the JSON API and their tokens (oitwatch/_cli_web.py)
from ._cli_web import serve_command, tokens_app  # noqa: E402

app.add_typer(tokens_app, name="tokens")


@app.command()
def version() -> None:
    """แสดงรุ่นโปรแกรม / Show the version."""
    out.print(f"oitwatch {__version__}")


# the services come last in `oitwatch --help`
app.command("scheduler")(scheduler_command)
app.command("worker")(worker_command)
app.command("serve")(serve_command)


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    app()


if __name__ == "__main__":
    main()
