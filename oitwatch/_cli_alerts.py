"""`oitwatch alerts …`: who is told what changed after a run (e-mail or webhook), per
schedule or per province; test a destination; send a finished run's alerts by hand."""

from __future__ import annotations

import csv
import json
import sys
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from ._cli_common import DbOption, Format, FormatOption, Lang, _open_repository, err, fail, out

alerts_app = typer.Typer(
    help="แจ้งเตือนการเปลี่ยนแปลงหลังการตรวจ (อีเมล / webhook) / "
    "alerts: what changed after each run, by e-mail or webhook",
    no_args_is_help=True,
)


def _alerts_repo(db: str | None):  # type: ignore[no-untyped-def]
    from storage.alerts_repo import AlertsRepository

    repo = _open_repository(db)
    return repo, AlertsRepository(repo.db)


def _mask(secret: str | None) -> str:
    return f"{secret[:4]}…" if secret else "-"


def _config():  # type: ignore[no-untyped-def]
    """The SMTP settings of the environment, checked before anything is sent."""
    from alerts import AlertConfig, AlertConfigError

    try:
        return AlertConfig.from_env()
    except AlertConfigError as exc:
        fail(exc.th, exc.en, 2)


@alerts_app.command("add")
def alerts_add(
    email: Annotated[str | None, typer.Option("--email", help="อีเมลผู้รับ / recipient address")] = None,
    webhook: Annotated[
        str | None, typer.Option("--webhook", help="URL ที่รับ JSON (POST) / URL to POST JSON to")
    ] = None,
    secret: Annotated[
        str | None,
        typer.Option("--secret", help="กุญแจลงลายมือชื่อ HMAC ของ webhook (ไม่ระบุ: สุ่มให้) / "
                     "HMAC key of the webhook (default: a random one, shown once)"),
    ] = None,
    schedule: Annotated[
        int | None, typer.Option("--schedule", help="หมายเลขตารางการตรวจ / schedule id")
    ] = None,
    province: Annotated[str | None, typer.Option("--province", help="จังหวัด / province")] = None,
    lang: Annotated[Lang, typer.Option("--lang", help="ภาษาของข้อความ / message language")] = Lang.th,
    db: DbOption = None,
) -> None:
    """เพิ่มปลายทางการแจ้งเตือน / Add an alert destination for a schedule or a province."""
    from alerts import new_secret, valid_email, valid_webhook_url

    from .registry import normalize_province

    if (email is None) == (webhook is None):
        fail("ระบุ --email หรือ --webhook อย่างใดอย่างหนึ่ง",
             "give exactly one of --email or --webhook", 2)
    if (schedule is None) == (province is None):
        fail("ระบุ --schedule หรือ --province อย่างใดอย่างหนึ่ง",
             "give exactly one of --schedule or --province", 2)
    if secret is not None and webhook is None:
        fail("--secret ใช้กับ --webhook เท่านั้น", "--secret goes with --webhook only", 2)
    if email is not None:
        email = email.strip()
        if not valid_email(email):
            fail(f"อีเมล {email!r} ไม่ถูกต้อง (เช่น saraban@example.go.th)",
                 f"{email!r} is not a valid e-mail address (e.g. saraban@example.go.th)", 2)
    if webhook is not None:
        webhook = webhook.strip()
        if not valid_webhook_url(webhook):
            fail(f"URL ของ webhook {webhook!r} ไม่ถูกต้อง (ต้องขึ้นต้นด้วย https:// หรือ http://)",
                 f"{webhook!r} is not a valid webhook URL (it must start with https:// or http://)",
                 2)
        if secret is not None and len(secret) < 16:
            fail("กุญแจ --secret ต้องยาวอย่างน้อย 16 ตัวอักษร",
                 "--secret must be at least 16 characters long", 2)
    _, arepo = _alerts_repo(db)
    if schedule is not None and not arepo.schedule_exists(schedule):
        fail(f"ไม่พบตารางการตรวจหมายเลข {schedule} (ดู `oitwatch schedule list`)",
             f"no schedule with id {schedule} (see `oitwatch schedule list`)", 2)
    if province is not None:
        province = normalize_province(province)
        if not province or not arepo.province_has_agencies(province):
            fail(f"ไม่มีหน่วยงานของจังหวัด {province!r} ในทะเบียน (ดู `oitwatch agencies list`)",
                 f"no registered agency in province {province!r} (see `oitwatch agencies list`)",
                 2)
    generated = webhook is not None and secret is None
    if generated:
        secret = new_secret()
    from storage import StorageError

    try:
        dest_id = arepo.add_destination(
            "email" if email is not None else "webhook",
            email or webhook or "",
            schedule_id=schedule,
            province=province,
            secret=secret,
            language=lang.value,
        )
    except StorageError as exc:
        fail(f"เพิ่มปลายทางไม่ได้: {exc}", f"cannot add the destination: {exc}")
    where = f"ตาราง {schedule}" if schedule is not None else f"จังหวัด{province}"
    where_en = f"schedule {schedule}" if schedule is not None else f"province {province}"
    out.print(Text(
        f"เพิ่มปลายทางหมายเลข {dest_id}: {email or webhook} สำหรับ{where} / "
        f"added destination {dest_id}: {email or webhook} for {where_en}"
    ))
    if generated:
        out.print(Text("กุญแจ HMAC (แสดงครั้งเดียว) / HMAC secret (shown once):", style="bold"))
        typer.echo(secret)  # on a line of its own, never wrapped: to copy into the receiver
    out.print(f"ทดลองส่งด้วย / try it: oitwatch alerts test {dest_id}")


@alerts_app.command("list")
def alerts_list(fmt: FormatOption = Format.table, db: DbOption = None) -> None:
    """แสดงปลายทางการแจ้งเตือน / List alert destinations and their last delivery."""
    from reports import format_datetime

    _, arepo = _alerts_repo(db)
    if fmt is not Format.table:
        rows = [
            {
                "id": d.id, "kind": d.kind, "target": d.target, "schedule_id": d.schedule_id,
                "schedule_name": d.schedule_name, "province": d.province,
                "language": d.language, "enabled": d.enabled, "last_run_id": d.last_run_id,
                "last_status": d.last_status,
                "last_at": d.last_at.isoformat() if d.last_at else None,
            }
            for d in arepo.list_destinations()
        ]  # the secret is never listed
        if fmt is Format.json:
            sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        else:
            writer = csv.writer(sys.stdout, lineterminator="\r\n")
            writer.writerow(list(rows[0]) if rows else ["id"])
            for row in rows:
                writer.writerow(["" if v is None else v for v in row.values()])
        return
    table = Table("id", "ชนิด / kind", "ปลายทาง / target", "ขอบเขต / scope", "ภาษา / lang",
                  "secret", "ล่าสุด / last")
    for d in arepo.list_destinations():
        scope = (f"schedule {d.schedule_id}" + (f" ({d.schedule_name})" if d.schedule_name else "")
                 if d.schedule_id is not None else f"จังหวัด / province {d.province}")
        last = (f"run {d.last_run_id}: {d.last_status} {format_datetime(d.last_at, 'th')}"
                if d.last_run_id is not None else "-")
        if not d.enabled:
            last = "ปิด / disabled; " + last
        table.add_row(str(d.id), d.kind, Text(d.target), Text(scope), d.language,
                      _mask(d.secret), last)
    out.print(table)


@alerts_app.command("remove")
def alerts_remove(
    destination_id: Annotated[int, typer.Argument(help="หมายเลขปลายทาง / destination id")],
    db: DbOption = None,
) -> None:
    """ลบปลายทางการแจ้งเตือน / Remove an alert destination."""
    _, arepo = _alerts_repo(db)
    if not arepo.remove_destination(destination_id):
        fail(f"ไม่พบปลายทางหมายเลข {destination_id}", f"no alert destination {destination_id}", 2)
    out.print(f"ลบปลายทาง {destination_id} แล้ว / removed destination {destination_id}")


def _set_enabled(destination_id: int, enabled: bool, db: str | None) -> None:
    _, arepo = _alerts_repo(db)
    if not arepo.set_destination_enabled(destination_id, enabled):
        fail(f"ไม่พบปลายทางหมายเลข {destination_id}", f"no alert destination {destination_id}", 2)
    if enabled:
        out.print(f"เปิดปลายทาง {destination_id} แล้ว / destination {destination_id} enabled")
    else:
        out.print(f"ปิดปลายทาง {destination_id} ชั่วคราว (ประวัติการส่งยังอยู่) / "
                  f"destination {destination_id} disabled (its history stays)")


@alerts_app.command("disable")
def alerts_disable(
    destination_id: Annotated[int, typer.Argument(help="หมายเลขปลายทาง / destination id")],
    db: DbOption = None,
) -> None:
    """หยุดส่งไปยังปลายทางชั่วคราว / Stop sending to a destination for now."""
    _set_enabled(destination_id, False, db)


@alerts_app.command("enable")
def alerts_enable(
    destination_id: Annotated[int, typer.Argument(help="หมายเลขปลายทาง / destination id")],
    db: DbOption = None,
) -> None:
    """ส่งไปยังปลายทางอีกครั้ง / Send to a disabled destination again."""
    _set_enabled(destination_id, True, db)


@alerts_app.command("test")
def alerts_test(
    destination_id: Annotated[int, typer.Argument(help="หมายเลขปลายทาง / destination id")],
    db: DbOption = None,
) -> None:
    """ส่งข้อความทดสอบ / Send a test message to one destination now."""
    from alerts import AlertConfigError, send_test
    from storage import NotFoundError

    repo, _ = _alerts_repo(db)
    try:
        send_test(repo, destination_id)  # SMTP settings from the environment, as the hooks
    except NotFoundError:
        fail(f"ไม่พบปลายทางหมายเลข {destination_id}", f"no alert destination {destination_id}", 2)
    except AlertConfigError as exc:
        fail(exc.th, exc.en, 2)
    except Exception as exc:  # noqa: BLE001 - SMTP, TLS, network, HTTP: one message
        fail(f"ส่งข้อความทดสอบไม่สำเร็จ: {type(exc).__name__}: {exc}",
             f"the test message was not delivered: {type(exc).__name__}: {exc}")
    out.print(f"ส่งข้อความทดสอบแล้ว / test message sent to destination {destination_id}")


_STATUS_TH = {"sent": "ส่งแล้ว", "failed": "ส่งไม่สำเร็จ", "skipped": "ไม่มีอะไรต้องแจ้ง",
              "already": "เคยส่ง/ดำเนินการแล้ว"}


@alerts_app.command("send")
def alerts_send(
    run_id: Annotated[int, typer.Argument(help="หมายเลขการตรวจ / run id")],
    db: DbOption = None,
) -> None:
    """ส่งการแจ้งเตือนของการตรวจที่เสร็จแล้ว (ไม่ส่งซ้ำ) / Send a finished run's alerts now
    (never twice; failed ones are retried)."""
    from alerts import send_for_run

    repo, arepo = _alerts_repo(db)
    config = _config()
    ctx = arepo.run_context(run_id)
    if ctx is None:
        fail(f"ไม่พบการตรวจหมายเลข {run_id}", f"no run with id {run_id}", 2)
    if ctx.state != "complete":
        fail(f"การตรวจ {run_id} ยังไม่เสร็จ ({ctx.state}) จึงยังไม่แจ้งเตือน",
             f"run {run_id} is {ctx.state}, not complete: nothing to send", 2)
    outcomes = send_for_run(repo, run_id, config=config, retry_failed=False)
    if not outcomes:
        out.print(f"ไม่มีปลายทางสำหรับการตรวจ {run_id} / no destination covers run {run_id}")
        return
    for o in outcomes:
        detail = f" — {o.detail}" if o.detail else ""
        out.print(Text(
            f"ปลายทาง / destination {o.destination_id}: {_STATUS_TH.get(o.status, o.status)} / "
            f"{o.status}{detail}",
            style="red" if o.status == "failed" else "",
        ))
    if any(o.status == "failed" for o in outcomes):
        err.print("บางปลายทางส่งไม่สำเร็จ จะลองใหม่หลังการตรวจครั้งถัดไป / some deliveries failed; "
                  "they are retried after the next run or with `oitwatch alerts send`")
        raise typer.Exit(1)
