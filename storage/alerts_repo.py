"""The queries of alerts: destinations, and the delivery rows that make a run's message go
out once.

Sending one run's message to one destination::

    claim = alerts.claim_delivery(run_id, destination_id)   # None: sent, skipped or taken
    ...send...
    alerts.finish_delivery(claim, "sent")                    # or "failed" (retried later)

``claim_delivery`` inserts the (run, destination) row, or takes over a failed one, in one
transaction; the unique (run_id, destination_id) constraint lets only one sender win, in
any process and after any restart. A sender that died mid-send leaves ``sending`` with a
lease; once the lease is over (minutes, while a send takes seconds) the row may be taken
again — the receiver can still drop a repeat by the message's stable id (Message-ID / the
X-Oitwatch-Delivery header), the one case where "once" cannot be proven by the sender.

Uses the same Database and the same transaction discipline as storage.repo.Repository.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from .errors import NotFoundError, StorageError
from .models import (
    Agency,
    AlertDelivery,
    AlertDestination,
    RunState,
    ScanRun,
    Schedule,
    SiteScan,
    utcnow,
)
from .repo import Transactions

__all__ = [
    "DEFAULT_LEASE",
    "MAX_ATTEMPTS",
    "AlertsRepository",
    "DeliveryClaim",
    "DeliveryRecord",
    "DestinationRecord",
    "RunContext",
]

KINDS = ("email", "webhook")
LANGUAGES = ("th", "en")
FINAL = ("sent", "skipped")
MAX_ATTEMPTS = 5  # a destination that failed this often for one run is given up on
DEFAULT_LEASE = timedelta(minutes=10)
_SCAN_BACK = 500  # runs looked at when searching the previous run of the same selection


@dataclass(frozen=True, slots=True)
class DestinationRecord:
    id: int
    kind: str  # email | webhook
    target: str
    secret: str | None
    schedule_id: int | None
    schedule_name: str | None
    province: str | None
    language: str
    enabled: bool
    created_at: datetime
    last_run_id: int | None = None  # the newest delivery's run, status and time
    last_status: str | None = None
    last_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class DeliveryRecord:
    id: int
    run_id: int
    destination_id: int
    status: str
    attempts: int
    baseline_run_id: int | None
    changes: int
    detail: str | None
    sent_at: datetime | None
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class DeliveryClaim:
    delivery_id: int
    token: str
    attempt: int


@dataclass(frozen=True, slots=True)
class RunContext:
    """What alerts need to know of a run beyond its header."""

    id: int
    state: str
    schedule_id: int | None
    selection: dict[str, Any] | None  # a campaign's selection (options.extra.selection)
    provinces: tuple[str, ...]  # provinces of the agencies it scanned
    started_at: datetime
    finished_at: datetime | None


def _selection(options: dict[str, Any] | None) -> dict[str, Any] | None:
    extra = (options or {}).get("extra") or {}
    found = extra.get("selection") if isinstance(extra, dict) else None
    return dict(found) if isinstance(found, dict) and found else None


class AlertsRepository(Transactions):
    """Alert destinations and deliveries (sessions opened as in ``storage.repo``)."""

    # -- destinations -------------------------------------------------------------------------

    def add_destination(
        self,
        kind: str,
        target: str,
        *,
        schedule_id: int | None = None,
        province: str | None = None,
        secret: str | None = None,
        language: str = "th",
        enabled: bool = True,
    ) -> int:
        """NotFoundError for an unknown schedule; ValueError for a malformed scope."""
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
        if language not in LANGUAGES:
            raise ValueError(f"language must be one of {LANGUAGES}, not {language!r}")
        if (schedule_id is None) == (province is None):
            raise ValueError("a destination is for one schedule or one province")
        with self._write() as s:
            if schedule_id is not None and s.get(Schedule, schedule_id) is None:
                raise NotFoundError(f"no schedule with id {schedule_id}")
            row = AlertDestination(
                kind=kind,
                target=target,
                secret=secret if kind == "webhook" else None,
                schedule_id=schedule_id,
                province=province,
                language=language,
                enabled=enabled,
            )
            s.add(row)
            s.flush()
            return row.id

    def list_destinations(self) -> list[DestinationRecord]:
        newest = (
            select(AlertDelivery.destination_id, func.max(AlertDelivery.id).label("id"))
            .group_by(AlertDelivery.destination_id)
            .subquery()
        )
        query = (
            select(
                AlertDestination,
                Schedule.name,
                AlertDelivery.run_id,
                AlertDelivery.status,
                AlertDelivery.updated_at,
            )
            .outerjoin(Schedule, Schedule.id == AlertDestination.schedule_id)
            .outerjoin(newest, newest.c.destination_id == AlertDestination.id)
            .outerjoin(AlertDelivery, AlertDelivery.id == newest.c.id)
            .order_by(AlertDestination.id)
        )
        with self._read() as s:
            return [
                self._record(row, name, run_id, status, at)
                for row, name, run_id, status, at in s.execute(query)
            ]

    @staticmethod
    def _record(
        row: AlertDestination,
        schedule_name: str | None,
        run_id: int | None = None,
        status: str | None = None,
        at: datetime | None = None,
    ) -> DestinationRecord:
        return DestinationRecord(
            id=row.id,
            kind=row.kind,
            target=row.target,
            secret=row.secret,
            schedule_id=row.schedule_id,
            schedule_name=schedule_name,
            province=row.province,
            language=row.language,
            enabled=row.enabled,
            created_at=row.created_at,
            last_run_id=run_id,
            last_status=status,
            last_at=at,
        )

    def get_destination(self, destination_id: int) -> DestinationRecord | None:
        with self._read() as s:
            row = s.get(AlertDestination, destination_id)
            if row is None:
                return None
            name = s.scalar(select(Schedule.name).where(Schedule.id == row.schedule_id))
            return self._record(row, name)

    def remove_destination(self, destination_id: int) -> bool:
        """Delete a destination and its delivery rows (ON DELETE CASCADE)."""
        with self._write() as s:
            row = s.get(AlertDestination, destination_id)
            if row is None:
                return False
            s.delete(row)
            return True

    def set_destination_enabled(self, destination_id: int, enabled: bool) -> bool:
        """Pause or resume a destination (its delivery history stays). False: no such id."""
        with self._write() as s:
            row = s.get(AlertDestination, destination_id)
            if row is None:
                return False
            row.enabled = enabled
            return True

    def destinations_for(
        self, schedule_id: int | None, provinces: Sequence[str]
    ) -> list[DestinationRecord]:
        """Enabled destinations of this schedule, or of one of these provinces."""
        terms = []
        if schedule_id is not None:
            terms.append(AlertDestination.schedule_id == schedule_id)
        if provinces:
            terms.append(AlertDestination.province.in_(list(provinces)))
        if not terms:
            return []
        query = (
            select(AlertDestination, Schedule.name)
            .outerjoin(Schedule, Schedule.id == AlertDestination.schedule_id)
            .where(AlertDestination.enabled.is_(True), or_(*terms))
            .order_by(AlertDestination.id)
        )
        with self._read() as s:
            return [self._record(row, name) for row, name in s.execute(query)]

    def schedule_exists(self, schedule_id: int) -> bool:
        with self._read() as s:
            return s.get(Schedule, schedule_id) is not None

    def province_has_agencies(self, province: str) -> bool:
        with self._read() as s:
            return (
                s.scalar(select(Agency.id).where(Agency.province == province).limit(1))
                is not None
            )

    # -- runs ---------------------------------------------------------------------------------

    def run_context(self, run_id: int) -> RunContext | None:
        with self._read() as s:
            run = s.get(ScanRun, run_id)
            if run is None:
                return None
            provinces = s.scalars(
                select(Agency.province)
                .join(SiteScan, SiteScan.agency_id == Agency.id)
                .where(SiteScan.run_id == run_id, Agency.province.is_not(None))
                .distinct()
            ).all()
            return RunContext(
                id=run.id,
                state=run.state,
                schedule_id=run.schedule_id,
                selection=_selection(run.options),
                provinces=tuple(sorted(p for p in provinces if p)),
                started_at=run.started_at,
                finished_at=run.finished_at,
            )

    def previous_run(
        self,
        run_id: int,
        *,
        schedule_id: int | None = None,
        selection: dict[str, Any] | None = None,
    ) -> int | None:
        """The newest complete run before ``run_id`` of the same schedule, or (without a
        schedule) of the same campaign selection. None when there is none."""
        query = select(ScanRun.id, ScanRun.options).where(
            ScanRun.id < run_id, ScanRun.state == RunState.COMPLETE.value
        )
        if schedule_id is not None:
            query = query.where(ScanRun.schedule_id == schedule_id)
        elif selection is None:
            raise ValueError("give a schedule id or a selection")
        query = query.order_by(ScanRun.id.desc()).limit(1 if schedule_id is not None else _SCAN_BACK)
        with self._read() as s:
            for found, options in s.execute(query):
                if schedule_id is not None or _selection(options) == selection:
                    return int(found)
        return None

    # -- deliveries ---------------------------------------------------------------------------

    def claim_delivery(
        self,
        run_id: int,
        destination_id: int,
        *,
        lease: timedelta = DEFAULT_LEASE,
        max_attempts: int = MAX_ATTEMPTS,
    ) -> DeliveryClaim | None:
        """Take the right to send run ``run_id`` to this destination (one transaction).
        None when it was sent or skipped already, another sender holds a live lease, or the
        attempts are used up."""
        try:
            return self._claim(run_id, destination_id, lease, max_attempts)
        except StorageError as exc:
            # Another process inserted the same (run, destination) at the same moment: it
            # won, and it sends.
            if isinstance(exc.__cause__, IntegrityError):
                return None
            raise

    def _claim(
        self, run_id: int, destination_id: int, lease: timedelta, max_attempts: int
    ) -> DeliveryClaim | None:
        now = utcnow()
        token = uuid.uuid4().hex
        with self._write() as s:
            row = s.scalar(
                select(AlertDelivery)
                .where(
                    AlertDelivery.run_id == run_id,
                    AlertDelivery.destination_id == destination_id,
                )
                .with_for_update()
            )
            if row is None:
                row = AlertDelivery(
                    run_id=run_id,
                    destination_id=destination_id,
                    status="sending",
                    attempts=1,
                    claim_token=token,
                    lease_until=now + lease,
                    changes=0,
                    created_at=now,
                    updated_at=now,
                )
                s.add(row)
                s.flush()
                return DeliveryClaim(row.id, token, 1)
            if row.status in FINAL or row.attempts >= max_attempts:
                return None
            if row.status == "sending" and row.lease_until is not None and row.lease_until > now:
                return None
            row.status = "sending"
            row.attempts += 1
            row.claim_token = token
            row.lease_until = now + lease
            row.updated_at = now
            return DeliveryClaim(row.id, token, row.attempts)

    def finish_delivery(
        self,
        claim: DeliveryClaim,
        status: str,
        *,
        detail: str | None = None,
        baseline_run_id: int | None = None,
        changes: int = 0,
    ) -> bool:
        """Record the outcome of a claimed attempt. False (nothing written) when the claim
        was taken over meanwhile."""
        if status not in ("sent", "failed", "skipped"):
            raise ValueError(f"a delivery finishes as sent, failed or skipped, not {status!r}")
        now = utcnow()
        with self._write() as s:
            row = s.get(AlertDelivery, claim.delivery_id, with_for_update=True)
            if row is None or row.claim_token != claim.token or row.status != "sending":
                return False
            row.status = status
            row.detail = detail[:2000] if detail else None
            row.baseline_run_id = baseline_run_id
            row.changes = changes
            row.lease_until = None
            row.updated_at = now
            if status == "sent":
                row.sent_at = now
            return True

    def deliveries(self, run_id: int | None = None) -> list[DeliveryRecord]:
        query = select(AlertDelivery).order_by(AlertDelivery.id)
        if run_id is not None:
            query = query.where(AlertDelivery.run_id == run_id)
        with self._read() as s:
            return [
                DeliveryRecord(
                    id=d.id,
                    run_id=d.run_id,
                    destination_id=d.destination_id,
                    status=d.status,
                    attempts=d.attempts,
                    baseline_run_id=d.baseline_run_id,
                    changes=d.changes,
                    detail=d.detail,
                    sent_at=d.sent_at,
                    updated_at=d.updated_at,
                )
                for d in s.scalars(query)
            ]

    def retryable_runs(
        self, *, max_attempts: int = MAX_ATTEMPTS, since: timedelta = timedelta(days=7)
    ) -> list[int]:
        """Runs with a failed delivery (or a sender that died: lease over) still worth
        retrying: attempts left, and not older than ``since``."""
        now = utcnow()
        query = (
            select(AlertDelivery.run_id)
            .where(
                AlertDelivery.attempts < max_attempts,
                AlertDelivery.created_at >= now - since,
                (AlertDelivery.status == "failed")
                | ((AlertDelivery.status == "sending") & (AlertDelivery.lease_until < now)),
            )
            .distinct()
            .order_by(AlertDelivery.run_id)
        )
        with self._read() as s:
            return [int(r) for r in s.scalars(query)]
