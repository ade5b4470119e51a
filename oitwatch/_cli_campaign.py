"""`oitwatch scan --province X | --agency CODE | --all` and `oitwatch runs summary`:
campaigns over the registry, in this process or on Celery workers."""

from __future__ import annotations

import csv
import io
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from reports import RunReport

from .campaign import CampaignPlan, Selection, summarize
from ._cli_common import Format, Lang, _emit, _load_catalog, _open_repository, err, fail, out

__all__ = ["print_summary", "print_totals", "run_campaign_command"]

_STATUS_TH = {"ok": "ตรวจได้", "unreachable": "เข้าไม่ได้", "blocked": "ถูกปิดกั้น", "error": "ผิดพลาด"}


def _plan_note(plan: CampaignPlan, backend: str) -> None:
    err.print(
        f"แผนการตรวจ: {len(plan.agencies)} หน่วยงาน, {len(plan.targets)} เว็บไซต์, "
        f"ชุดกฎ {plan.catalog_id}, ตรวจแบบ {backend} / "
        f"plan: {len(plan.agencies)} agencies, {len(plan.targets)} sites, "
        f"catalog {plan.catalog_id}, backend {backend}"
    )
    if plan.without_homepage:
        codes = ", ".join(a.code or str(a.id) for a in plan.without_homepage[:10])
        more = "…" if len(plan.without_homepage) > 10 else ""
        err.print(Text(
            f"ไม่มีเว็บไซต์ในทะเบียน จึงไม่ได้ตรวจ {len(plan.without_homepage)} หน่วยงาน: "
            f"{codes}{more} / {len(plan.without_homepage)} agencies have no homepage and are "
            "not scanned", style="yellow"))
    if plan.shared_homepage:
        err.print(Text(
            f"{len(plan.shared_homepage)} หน่วยงานใช้เว็บไซต์ร่วมกับหน่วยงานอื่น ตรวจครั้งเดียว / "
            f"{len(plan.shared_homepage)} agencies share a homepage with another and are "
            "scanned once", style="yellow"))


def print_totals(run: RunReport, console: Console) -> None:
    s = summarize(run)
    status = ", ".join(f"{k} {v}" for k, v in sorted(s.site_status.items()))
    items = ", ".join(
        f"{k} {s.items.get(k, 0)}" for k in ("pass", "partial", "fail", "error") if k in s.items
    )
    console.print(
        f"สรุป: {s.sites} เว็บไซต์ ({status}); ข้อ: {items or '-'}"
        + (f"; ตรวจไม่เสร็จ {s.not_finished}" if s.not_finished else "")
        + f"\nsummary: {s.sites} sites ({status}); items: {items or '-'}"
        + (f"; {s.not_finished} not finished" if s.not_finished else "")
    )


def _rows(run: RunReport) -> list[list[str]]:
    rows = []
    for site in run.sites:
        counts = {"pass": 0, "partial": 0, "fail": 0, "error": 0}
        for item in site.items:
            counts[item.status.value] = counts.get(item.status.value, 0) + 1
        rows.append([
            site.agency_code or "",
            site.agency_name or "",
            site.seed_url,
            site.status,
            str(counts["pass"]),
            str(counts["partial"]),
            str(counts["fail"]),
            str(site.pages_fetched),
            site.reason if site.status != "ok" else "",
        ])
    return rows


_HEAD = ["code", "agency", "url", "status", "pass", "partial", "fail", "pages", "reason"]
_HEAD_TH = ["รหัส", "หน่วยงาน", "เว็บไซต์", "สถานะ", "ผ่าน", "ไม่ครบ", "ไม่พบ", "หน้า", "เหตุผล"]


def print_summary(run: RunReport, console: Console, lang: str) -> None:
    """One line per agency, then the totals."""
    title = (
        f"การตรวจหมายเลข {run.run_id} ({run.catalog_id})" if lang == "th"
        else f"run {run.run_id} ({run.catalog_id})"
    )
    table = Table(*(_HEAD_TH if lang == "th" else _HEAD), title=title)
    for row in _rows(run):
        if lang == "th":
            row[3] = _STATUS_TH.get(row[3], row[3])
        table.add_row(*(Text(v) for v in row))
    console.print(table)
    print_totals(run, console)


def summary_csv(run: RunReport, lang: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(_HEAD_TH if lang == "th" else _HEAD)
    writer.writerows(_rows(run))
    return buffer.getvalue()


def emit_campaign(run: RunReport, fmt: Format, lang: Lang, output: Path | None) -> None:
    """Table: the per-agency summary (every item: `oitwatch runs show N`); JSON/CSV: all."""
    if fmt is Format.table:
        if output is None:
            print_summary(run, out, lang.value)
        else:
            with output.open("w", encoding="utf-8") as fh:
                print_summary(run, Console(file=fh, width=200, color_system=None), lang.value)
    else:
        _emit(run, fmt, lang, output)
    if fmt is not Format.table or output is not None:
        print_totals(run, err)


class _WaitBar:
    def __init__(self, total: int, lang: str) -> None:
        self.lang = lang
        self.progress = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
            TimeElapsedColumn(), console=err,
        )
        self.task = self.progress.add_task(self._label(0, 0), total=total)

    def _label(self, running: int, queued: int) -> str:
        if self.lang == "th":
            return f"เว็บไซต์ที่ตรวจแล้ว (กำลังตรวจ {running}, รอ {queued})"
        return f"sites scanned ({running} running, {queued} queued)"

    def update(self, p: Any) -> None:
        self.progress.update(
            self.task, completed=p.done, total=p.total,
            description=self._label(p.running, p.queued),
        )


def run_campaign_command(
    *,
    selection: Selection,
    catalog_id: str | None,
    options: Any,
    backend: str,
    broker: str | None,
    wait: bool,
    db_url: str | None,
    fmt: Format,
    lang: Lang,
    output: Path | None,
) -> None:
    from storage import StorageError

    from ._progress import RichScanProgress
    from .campaign import (
        CampaignError,
        enqueue,
        plan_campaign,
        run_inprocess,
        start_campaign,
        wait_for_run,
    )

    repo = _open_repository(db_url)
    try:
        plan = plan_campaign(repo, selection, catalog_id)
    except CampaignError as exc:
        fail(exc.th, exc.en, 2)
    catalog = _load_catalog(plan.catalog_id)
    if backend == "celery" and repo.db.is_sqlite:
        err.print(Text(
            "คำเตือน: ฐานข้อมูล SQLite ใช้ได้เฉพาะ worker ในเครื่องนี้ / warning: a SQLite file "
            "is only reachable by workers on this machine; use PostgreSQL for several machines",
            style="yellow"))
    _plan_note(plan, backend)
    if backend == "celery":
        from .tasks import ping_broker

        try:
            ping_broker(broker)
        except Exception as exc:
            fail(f"ติดต่อ Redis ไม่ได้: {exc}", f"cannot reach the Celery broker (Redis): {exc}")
    try:
        run_id = start_campaign(repo, plan, catalog, options, backend=backend)
    except StorageError as exc:
        fail(f"เริ่มการตรวจไม่ได้: {exc}", f"cannot start the campaign: {exc}")
    err.print(f"การตรวจหมายเลข {run_id} / run {run_id}")
    if backend == "inprocess":
        with RichScanProgress(err, len(plan.targets), options.max_pages, lang.value) as progress:
            try:
                run_inprocess(repo, plan, catalog, run_id, options, progress)
            except KeyboardInterrupt:
                fail(
                    "ยกเลิกการตรวจ ผลที่ยังไม่เสร็จจะไม่ถูกนับเป็นผลที่สมบูรณ์",
                    "scan interrupted; unfinished sites are not recorded as complete",
                    130,
                )
    else:
        try:
            sent = enqueue(run_id, plan, options, broker=broker)
        except Exception as exc:
            repo.finish_run(run_id, state="interrupted")
            fail(f"ส่งงานให้ worker ไม่ได้: {exc}", f"could not queue the sites: {exc}")
        err.print(f"ส่ง {sent} เว็บไซต์ให้ worker แล้ว / queued {sent} sites for the workers")
        if not wait:
            out.print(
                f"ติดตามผลด้วย `oitwatch runs list` และ `oitwatch runs summary {run_id}` / "
                f"follow with `oitwatch runs list`, then `oitwatch runs summary {run_id}`"
            )
            return
        bar = _WaitBar(len(plan.targets), lang.value)
        try:
            with bar.progress:
                wait_for_run(repo, run_id, on_progress=bar.update,
                             abandon_after=timedelta(hours=2))
        except KeyboardInterrupt:
            fail(
                f"หยุดรอแล้ว แต่ worker ยังตรวจต่อ ดูผลด้วย `oitwatch runs summary {run_id}`",
                f"stopped waiting; the workers go on: `oitwatch runs summary {run_id}`",
                130,
            )
    run = repo.load_run(run_id)
    assert run is not None
    emit_campaign(run, fmt, lang, output)


def runs_summary(run_id: int, fmt: Format, db: str | None, lang: Lang, output: Path | None) -> None:
    repo = _open_repository(db)
    run = repo.load_run(run_id)
    if run is None:
        fail(f"ไม่พบการตรวจหมายเลข {run_id}", f"no run with id {run_id}", 2)
    if fmt is Format.csv:
        text = summary_csv(run, lang.value)
        if output is None:
            sys.stdout.write(text)
        else:
            output.write_text(text, encoding="utf-8-sig")
        return
    if fmt is Format.json:
        import json

        s = summarize(run)
        doc = {
            "run_id": run.run_id, "catalog": run.catalog_id,
            "state": getattr(run, "state", None), "sites": s.sites,
            "site_status": s.site_status, "not_finished": s.not_finished, "items": s.items,
            "agencies": [dict(zip(_HEAD, row, strict=True)) for row in _rows(run)],
        }
        text = json.dumps(doc, ensure_ascii=False, indent=2)
        if output is None:
            sys.stdout.write(text + "\n")
        else:
            output.write_text(text + "\n", encoding="utf-8")
        return
    emit_campaign(run, Format.table, lang, output)
