"""Cron expressions, always in Asia/Bangkok."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger

__all__ = ["BANGKOK", "CronError", "cron_trigger", "last_missed_fire", "next_fire_times"]

BANGKOK = ZoneInfo("Asia/Bangkok")


class CronError(ValueError):
    def __init__(self, expr: str, detail: str) -> None:
        super().__init__(f"bad cron expression {expr!r}: {detail}")
        self.th = (
            f"รูปแบบ cron '{expr}' ไม่ถูกต้อง: {detail} "
            "(5 ช่อง: นาที ชั่วโมง วัน เดือน วันในสัปดาห์ เช่น \"0 1 * * *\" = ตีหนึ่งทุกวัน)"
        )
        self.en = (
            f"bad cron expression '{expr}': {detail} "
            '(5 fields: minute hour day month weekday, e.g. "0 1 * * *" = 01:00 every day)'
        )


def cron_trigger(expr: str) -> CronTrigger:
    """A 5-field crontab expression as an APScheduler 3 trigger in Asia/Bangkok."""
    text = " ".join(expr.split())
    if len(text.split(" ")) != 5:
        raise CronError(expr, f"expected 5 fields, got {len(text.split())}")
    try:
        return CronTrigger.from_crontab(text, timezone=BANGKOK)
    except ValueError as exc:
        raise CronError(expr, str(exc)) from None


def next_fire_times(expr: str, count: int = 3, now: datetime | None = None) -> list[datetime]:
    trigger = cron_trigger(expr)
    now = now or datetime.now(BANGKOK)
    times: list[datetime] = []
    previous = None
    current = now
    for _ in range(count):
        nxt = trigger.get_next_fire_time(previous, current)
        if nxt is None:
            break
        times.append(nxt)
        previous, current = nxt, nxt + timedelta(seconds=1)
    return times


def last_missed_fire(
    trigger: BaseTrigger, since: datetime, now: datetime, grace: timedelta
) -> datetime | None:
    """The latest fire time in (since, now], if it is within ``grace`` of now: the one
    (coalesced) run owed after the scheduler was down across a fire time."""
    start = max(since, now - grace)
    missed = None
    previous = None
    current = start + timedelta(microseconds=1)
    for _ in range(100_000):
        nxt = trigger.get_next_fire_time(previous, current)
        if nxt is None or nxt > now:
            break
        missed = nxt
        previous, current = nxt, nxt + timedelta(seconds=1)
    return missed
