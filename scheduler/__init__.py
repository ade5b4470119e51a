"""Decides *when* scans run (APScheduler 3.x, Asia/Bangkok); never *how*.

Schedules live in the database (``oitwatch schedule add``); ``SchedulerService`` copies them
into APScheduler and, when one fires, calls ``oitwatch.campaign.fire_schedule`` — the same
campaign path as ``oitwatch scan --province``.
"""

from ._service import SchedulerService
from ._triggers import BANGKOK, CronError, cron_trigger, last_missed_fire, next_fire_times

__all__ = [
    "BANGKOK",
    "CronError",
    "SchedulerService",
    "cron_trigger",
    "last_missed_fire",
    "next_fire_times",
]
