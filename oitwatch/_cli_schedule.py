"""`oitwatch schedule …`, `oitwatch scheduler` and `oitwatch worker`: when and where
campaigns run."""

from __future__ import annotations

import logging
import os
import signal
from datetime import timedelta
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from ._cli_common import DbOption, _open_repository, err, fail, out

schedule_app = typer.Typer(
    help="ตารางการตรวจอัตโนมัติ (เวลาไทย) / scan schedules (Asia/Bangkok)", no_args_is_help=True
)


class Backend(str, Enum):
    inprocess = "inprocess"
    celery = "celery"


BrokerOption = Annotated[
    str | None,
    typer.Option(
        "--broker",
        help="Redis URL for Celery (default: $OITWATCH_REDIS_URL, else redis://127.0.0.1:6379/0)",
    ),
]
QueueOption = Annotated[
    str | None, typer.Option("--queue", help="Celery queue (default: $OITWATCH_QUEUE or oitwatch)")
]


def _selection(province: str | None, district: str | None, agency: list[str] | None,
               all_agencies: bool):  # type: ignore[no-untyped-def]
    from .campaign import CampaignError, Selection

    try:
        return Selection(
            province=province, district=district, agencies=tuple(agency or ()), all=all_agencies
        )
    except CampaignError as exc:
        fail(exc.th, exc.en, 2)


def _bkk(dt: Any) -> str:
    if dt is None:
        return "-"
    from scheduler import BANGKOK

    return dt.astimezone(BANGKOK).strftime("%Y-%m-%d %H:%M")


@schedule_app.command("add")
def schedule_add(
    cron: Annotated[str, typer.Option(
        "--cron", help='5 fields in Asia/Bangkok time, e.g. "0 1 * * *" = 01:00 every night')],
    province: Annotated[str | None, typer.Option(help="จังหวัด / province")] = None,
    district: Annotated[str | None, typer.Option(help="อำเภอ (with --province)")] = None,
    agency: Annotated[
        list[str] | None, typer.Option(help="agency code (repeat for several)")
    ] = None,
    all_agencies: Annotated[bool, typer.Option("--all", help="every registered agency")] = False,
    name: Annotated[str | None, typer.Option(help="a name to recognise it by")] = None,
    catalog: Annotated[
        str | None, typer.Option(help="catalog (default: the agencies' own catalog)")
    ] = None,
    backend: Annotated[Backend, typer.Option(help="inprocess (the scheduler scans) | celery "
                                             "(workers scan)")] = Backend.inprocess,
    max_pages: Annotated[int, typer.Option(min=1, max=10000, help="page budget per site")] = 300,
    max_depth: Annotated[int, typer.Option(min=0, max=50)] = 6,
    delay: Annotated[
        float, typer.Option(min=0.0, help="seconds between requests to one host")
    ] = 0.5,
    concurrency: Annotated[int, typer.Option(min=1, max=256, help="sites at once (inprocess)")] = 8,
    db: DbOption = None,
) -> None:
    """เพิ่มตารางการตรวจ / Add a schedule, e.g. every night at 01:00 for one province."""
    from rules import list_catalogs
    from scheduler import CronError, cron_trigger, next_fire_times
    from storage import StorageError

    from .campaign import CampaignError, plan_campaign

    try:
        cron_trigger(cron)
    except CronError as exc:
        fail(exc.th, exc.en, 2)
    selection = _selection(province, district, agency, all_agencies)
    if catalog is not None and catalog not in list_catalogs():
        fail(f"ไม่มีชุดกฎ {catalog}", f"no catalog {catalog!r} (see `oitwatch rules list`)", 2)
    repo = _open_repository(db)
    try:
        plan = plan_campaign(repo, selection, catalog)
        err.print(f"ตอนนี้ตรงกับ {len(plan.targets)} เว็บไซต์ / matches {len(plan.targets)} sites now")
    except CampaignError as exc:
        err.print(Text(f"คำเตือน: {exc.th}\nwarning: {exc.en}", style="yellow"))
    options = {"max_pages": max_pages, "max_depth": max_depth, "min_delay": delay,
               "site_concurrency": concurrency}
    try:
        schedule_id = repo.add_schedule(
            cron=" ".join(cron.split()), selection=selection.to_dict(), name=name,
            catalog=catalog, backend=backend.value, options=options,
        )
    except StorageError as exc:
        fail(f"เพิ่มตารางไม่ได้: {exc}", f"cannot add the schedule: {exc}")
    times = ", ".join(_bkk(t) for t in next_fire_times(cron))
    out.print(
        f"เพิ่มตารางหมายเลข {schedule_id}: {selection.describe()} เวลา '{cron}' (เวลาไทย) "
        f"ครั้งต่อไป {times} / added schedule {schedule_id}; next runs (Asia/Bangkok): {times}"
    )
    out.print("ต้องมี `oitwatch scheduler` ทำงานอยู่ / needs a running `oitwatch scheduler`")


@schedule_app.command("list")
def schedule_list(db: DbOption = None) -> None:
    """แสดงตารางการตรวจ / List schedules, their next run and their last outcome."""
    from scheduler import CronError, next_fire_times

    repo = _open_repository(db)
    table = Table("id", "ชื่อ / name", "cron (Asia/Bangkok)", "หน่วยงาน / agencies", "backend",
                  "ครั้งต่อไป / next", "ครั้งล่าสุด / last", "run", "ผล / outcome")
    from .campaign import Selection

    for s in repo.list_schedules():
        try:
            nxt = _bkk(next_fire_times(s.cron, 1)[0]) if s.enabled else "ปิด / disabled"
        except (CronError, IndexError):
            nxt = "?"
        try:
            what = Selection.from_dict(s.selection).describe()
        except Exception:  # noqa: BLE001 - show the raw value rather than fail the listing
            what = str(s.selection)
        run = f"{s.last_run_id} ({s.last_run_state})" if s.last_run_id else "-"
        table.add_row(*(Text(v) for v in (
            str(s.id), s.name or "-", s.cron, what, s.backend, nxt, _bkk(s.last_fired_at),
            run, s.last_status or "-")))
    out.print(table)


def _toggle(schedule_id: int, db: str | None, enabled: bool | None) -> None:
    repo = _open_repository(db)
    done = (repo.remove_schedule(schedule_id) if enabled is None
            else repo.set_schedule_enabled(schedule_id, enabled))
    if not done:
        fail(f"ไม่พบตารางหมายเลข {schedule_id}", f"no schedule with id {schedule_id}", 2)
    what = {None: ("ลบ", "removed"), True: ("เปิด", "enabled"), False: ("ปิด", "disabled")}[enabled]
    out.print(f"{what[0]}ตารางหมายเลข {schedule_id} แล้ว / schedule {schedule_id} {what[1]}")


@schedule_app.command("remove")
def schedule_remove(schedule_id: int, db: DbOption = None) -> None:
    """ลบตาราง (ผลการตรวจเดิมยังอยู่) / Remove a schedule; its past runs stay."""
    _toggle(schedule_id, db, None)


@schedule_app.command("enable")
def schedule_enable(schedule_id: int, db: DbOption = None) -> None:
    """เปิดใช้ตาราง / Enable a schedule."""
    _toggle(schedule_id, db, True)


@schedule_app.command("disable")
def schedule_disable(schedule_id: int, db: DbOption = None) -> None:
    """ปิดตารางชั่วคราว / Disable a schedule."""
    _toggle(schedule_id, db, False)


@schedule_app.command("run")
def schedule_run(
    schedule_id: int, db: DbOption = None, broker: BrokerOption = None, queue: QueueOption = None
) -> None:
    """สั่งตรวจตามตารางทันที / Fire a schedule now (same guard: not while its run goes on)."""
    from .campaign import fire_schedule

    repo = _open_repository(db)
    if repo.get_schedule(schedule_id) is None:
        fail(f"ไม่พบตารางหมายเลข {schedule_id}", f"no schedule with id {schedule_id}", 2)
    result = fire_schedule(repo, schedule_id, broker=broker, queue=queue)
    out.print(f"{result.status}: {result.message}"
              + (f" (run {result.run_id})" if result.run_id else ""))
    if result.status == "error":
        raise typer.Exit(1)


def scheduler_command(
    db: DbOption = None,
    broker: BrokerOption = None,
    queue: QueueOption = None,
    poll: Annotated[
        float, typer.Option(min=1.0, help="seconds between re-reads of the schedule table")
    ] = 60.0,
    stale_after: Annotated[float, typer.Option(
        min=0.1, help="hours without a sign of life after which a schedule's run is dead",
    )] = 2.0,
    health_file: Annotated[Path | None, typer.Option(
        help="touched at every re-read (for container health checks)")] = None,
) -> None:
    """บริการตั้งเวลา: ตรวจตามตารางทุกรายการ / Run the scheduler service (until stopped)."""
    from scheduler import SchedulerService

    logging.getLogger("oitwatch").setLevel(logging.INFO)
    logging.getLogger("apscheduler").setLevel(logging.INFO)
    repo = _open_repository(db, auto_upgrade=True)
    service = SchedulerService(
        repo, broker=broker, queue=queue, poll_interval=poll,
        stale_after=timedelta(hours=stale_after), health_file=health_file, blocking=True,
    )

    def stop(signum: int, frame: object) -> None:
        err.print("หยุดบริการตั้งเวลา / scheduler stopping")
        service.shutdown(wait=False)

    signal.signal(signal.SIGTERM, stop)
    err.print(
        f"บริการตั้งเวลาเริ่มแล้ว ({len(repo.list_schedules(enabled_only=True))} ตาราง, เวลาไทย) / "
        f"scheduler started on {repo.db.display_url}; Ctrl-C to stop"
    )
    try:
        service.run_forever()
    except (KeyboardInterrupt, SystemExit):
        service.shutdown(wait=False)


class Pool(str, Enum):
    prefork = "prefork"
    solo = "solo"
    threads = "threads"


def worker_command(
    db: DbOption = None,
    broker: BrokerOption = None,
    queue: QueueOption = None,
    concurrency: Annotated[int, typer.Option(
        "--concurrency", "-c", min=1, max=256, help="sites scanned at once by this worker")] = 2,
    pool: Annotated[Pool, typer.Option(help="prefork (processes) | solo | threads")] = Pool.prefork,
    hostname: Annotated[str | None, typer.Option(help="worker name, e.g. w1@%h")] = None,
    loglevel: Annotated[str, typer.Option(help="debug | info | warning")] = "info",
) -> None:
    """Celery worker: รับงานตรวจทีละเว็บไซต์ / Run a Celery worker scanning queued sites."""
    from storage import ENV_DATABASE_URL

    from .tasks import broker_url, configure, ping_broker, queue_name

    repo = _open_repository(db)
    url = repo.db.url.render_as_string(hide_password=False)
    os.environ[ENV_DATABASE_URL] = url  # the pool's processes inherit it
    try:
        ping_broker(broker)
    except Exception as exc:
        fail(f"ติดต่อ Redis ไม่ได้ ({broker_url(broker)}): {exc}",
             f"cannot reach the broker {broker_url(broker)}: {exc}")
    celery_app = configure(broker, queue)
    err.print(
        f"worker: คิว {queue_name(queue)}, ฐานข้อมูล {repo.db.display_url} / "
        f"worker on queue {queue_name(queue)}, database {repo.db.display_url}"
    )
    repo.db.close()  # the pool's processes open their own connections
    argv = [
        "worker", f"--concurrency={concurrency}", f"--pool={pool.value}",
        f"--queues={queue_name(queue)}", f"--loglevel={loglevel}",
        "--without-gossip", "--without-mingle",
    ]
    if hostname:
        argv.append(f"--hostname={hostname}")
    celery_app.worker_main(argv)
