"""`oitwatch evidence export|verify` and `oitwatch db prune`: evidence packages for auditors
(archive._export, archive._verify) and retention (Repository.prune)."""

from __future__ import annotations

import contextlib
import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.text import Text

from ._cli_common import DbOption, _open_repository, err, fail, out

__all__ = ["db_prune_command", "evidence_app"]

evidence_app = typer.Typer(
    help="หลักฐานสำหรับผู้ตรวจ: สำเนาเว็บ (WARC) ภาพหน้าจอ และผลการตรวจ / "
    "evidence packages for auditors",
    no_args_is_help=True,
)


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return str(n)


@evidence_app.command("export")
def evidence_export(
    run_id: Annotated[int, typer.Argument(help="run id (`oitwatch runs list`)")],
    output: Annotated[Path, typer.Option("--output", "-o", help="a new (or empty) folder")],
    agency: Annotated[
        Optional[list[str]],
        typer.Option("--agency", help="registry agency code (repeat for several; default: all)"),
    ] = None,
    wacz: Annotated[
        bool, typer.Option("--wacz", help="write one WACZ zip (OUTPUT.wacz) instead of a folder")
    ] = False,
    db: DbOption = None,
) -> None:
    """ส่งออกหลักฐานของการตรวจ / Export a run's evidence: WARCs, screenshots, report, manifest."""
    from archive import ExportError, export_evidence

    repo = _open_repository(db)
    try:
        result = export_evidence(repo, run_id, agency, output, wacz=wacz)
    except ExportError as exc:
        fail(exc.th, exc.en)
    except OSError as exc:
        fail(f"เขียนไฟล์ไม่ได้: {exc}", f"cannot write the package: {exc}")
    for note in result.notes:
        err.print(Text(f"หมายเหตุ / note: {note}", style="yellow"))
    out.print(
        f"ส่งออกหลักฐานแล้ว: {result.path} — เว็บไซต์ {result.sites} แห่ง, "
        f"สำเนาเว็บ {result.warc_files} ไฟล์, ภาพหน้าจอ {result.screenshots} ภาพ, "
        f"ทั้งหมด {result.files} ไฟล์ ({_size(result.bytes)})\n"
        f"exported {result.sites} site(s) to {result.path}: {result.warc_files} WARC file(s), "
        f"{result.screenshots} screenshot(s), {result.files} files; "
        f"manifest sha256 {result.manifest_sha256} (export {result.export_id})\n"
        f"ตรวจสอบ / check: oitwatch evidence verify {result.path}"
    )


@evidence_app.command("verify")
def evidence_verify(
    path: Annotated[Path, typer.Argument(help="an exported folder or .wacz file")],
    db: DbOption = None,
    check_db: Annotated[
        bool,
        typer.Option("--check-db/--no-check-db",
                     help="also compare the manifest with the hash the database recorded"),
    ] = True,
    as_json: Annotated[bool, typer.Option("--json", help="the result as JSON")] = False,
) -> None:
    """ตรวจว่าหลักฐานไม่ถูกแก้ไข / Re-check every digest of an evidence package."""
    from archive import verify_package
    from archive._verify import MANIFEST

    expected = None
    db_note = ""
    if check_db:
        expected, db_note = _recorded_manifest_sha(path, db)
    report = verify_package(path, expected_manifest_sha256=expected)
    if as_json:
        sys.stdout.write(json.dumps({
            "path": str(path), "ok": report.ok, "files_checked": report.files_checked,
            "records_checked": report.records_checked, "database": db_note or "checked",
            "problems": [{"path": p.path, "detail": p.detail, "record": p.record}
                         for p in report.problems],
        }, ensure_ascii=False, indent=2) + "\n")
        raise typer.Exit(0 if report.ok else 1)
    if db_note:
        err.print(Text(f"หมายเหตุ / note: {db_note}", style="yellow"))
    if report.ok:
        out.print(Text(
            f"หลักฐานครบถ้วน ไม่มีไฟล์ถูกแก้ไข: ตรวจ {report.files_checked} ไฟล์, "
            f"ระเบียน WARC {report.records_checked} รายการ\n"
            f"OK: {report.files_checked} files and {report.records_checked} WARC records "
            f"match {MANIFEST}", style="green",
        ))
        return
    # One line per problem, never wrapped, so a file's name can be copied whole.
    out.print("พบไฟล์ที่ถูกแก้ไขหรือเสียหาย / altered or damaged files:")
    for problem in report.problems:
        out.print(Text(f"  ✗ {problem.path}: {problem.detail}", style="red"), soft_wrap=True)
    out.print(Text(
        f"หลักฐานไม่ผ่านการตรวจ: พบปัญหา {len(report.problems)} รายการ\n"
        f"FAILED: {len(report.problems)} problem(s)", style="red",
    ))
    raise typer.Exit(1)


def _recorded_manifest_sha(path: Path, db_url: str | None) -> tuple[str | None, str]:
    """The manifest hash stored at export time, or (None, why it was not checked)."""
    from archive._verify import MANIFEST

    try:
        if path.is_dir():
            manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
        else:
            import zipfile

            with zipfile.ZipFile(path) as zf:
                manifest = json.loads(zf.read(MANIFEST).decode("utf-8"))
        export_id = int(manifest["export_id"])
    except Exception:  # noqa: BLE001 - verify_package reports a bad manifest itself
        return None, ""
    import os

    from storage import ENV_DATABASE_URL, Database, Repository, StorageError, default_database_path

    if db_url is None and not os.environ.get(ENV_DATABASE_URL) and not (
        default_database_path().exists()
    ):
        # an auditor's machine: no oitwatch database, and none is created by verifying
        return None, ("ไม่มีฐานข้อมูลในเครื่องนี้: ตรวจเฉพาะไฟล์ / "
                      "no oitwatch database here: checked the files only")
    try:
        database = Database(db_url)
        if not database.check_current().is_current:
            return None, ("ฐานข้อมูลยังไม่ได้ปรับโครงสร้าง: ไม่ได้เทียบกับฐานข้อมูล / "
                          "database not at the current schema: not compared with it")
        record = Repository(database).get_export(export_id)
    except (StorageError, OSError) as exc:
        return None, f"ไม่ได้เทียบกับฐานข้อมูล / not compared with the database: {exc}"
    if record is None:
        return None, (f"ฐานข้อมูลนี้ไม่มีประวัติการส่งออกหมายเลข {export_id} / "
                      f"this database has no export {export_id}: checked the files only")
    return record["manifest_sha256"] or None, ""


def db_prune_command(
    keep_runs: Annotated[
        Optional[int], typer.Option("--keep-runs", min=1, help="keep the newest N runs")
    ] = None,
    keep_archives_days: Annotated[
        Optional[float],
        typer.Option("--keep-archives-days", min=0, help="delete WARC files older than D days"),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="only say what would be deleted")
    ] = False,
    db: DbOption = None,
) -> None:
    """ลบผลการตรวจเก่า / Delete old runs and archives (never an agency's last run, never
    anything an exported evidence package holds)."""
    if keep_runs is None and keep_archives_days is None:
        fail("ระบุ --keep-runs และ/หรือ --keep-archives-days",
             "give --keep-runs and/or --keep-archives-days", 2)
    repo = _open_repository(db)
    from storage import StorageError

    try:
        result = repo.prune(
            keep_runs=keep_runs, keep_archives_days=keep_archives_days, dry_run=dry_run
        )
    except StorageError as exc:
        fail(f"ลบไม่สำเร็จ: {exc}", f"prune failed: {exc}")
    removed = 0
    freed = 0
    failed: list[str] = []
    for name in result.files:
        file = Path(name)
        if not file.exists():
            continue
        size = file.stat().st_size
        if dry_run:
            freed += size
            continue
        try:
            file.unlink()
            removed += 1
            freed += size
            with contextlib.suppress(OSError):  # the run's folder, once it is empty
                file.parent.rmdir()
        except OSError as exc:
            failed.append(f"{name}: {exc}")
    shots = 0
    if result.screenshots:
        from render.store import ScreenshotStore
        from storage import oitwatch_home

        store = ScreenshotStore(oitwatch_home() / "screenshots")
        for sha in result.screenshots:
            try:
                png = store.path_for(sha)
            except ValueError:  # not a sha256 name: nothing of ours to delete
                continue
            if not png.exists():
                continue
            if dry_run:
                shots += 1
                freed += png.stat().st_size
                continue
            try:
                size = png.stat().st_size
                png.unlink()
                shots += 1
                freed += size
            except OSError as exc:
                failed.append(f"{png}: {exc}")
    verb_th, verb_en = ("จะลบ", "would delete") if dry_run else ("ลบ", "deleted")
    runs = ", ".join(map(str, result.deleted_runs)) or "-"
    out.print(
        f"{verb_th}การตรวจ {len(result.deleted_runs)} ครั้ง ({runs}) และไฟล์สำเนาเว็บ "
        f"{len(result.files)} ไฟล์ ภาพหน้าจอ {shots} ภาพ ({_size(freed)})\n"
        f"{verb_en} {len(result.deleted_runs)} run(s) ({runs}), "
        f"{len(result.files)} web archive file(s) and {shots} screenshot(s) ({_size(freed)})\n"
        f"เก็บไว้ / kept: the last run of each agency ({len(result.kept_last_of_agency)} runs), "
        f"runs in exported evidence ({len(result.kept_exported)})"
    )
    for line in failed:
        err.print(Text(f"ลบไม่ได้ / could not delete {line}", style="yellow"))
