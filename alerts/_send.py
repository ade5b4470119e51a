"""After a run: which destinations hear about it, what they are told, and sending it once.

For a complete run R:

- destinations of R's schedule get the diff of R against the previous complete run of the
  same schedule;
- destinations of a province get, for a campaign (a run with a selection) that scanned
  agencies of that province, the diff restricted to the province against the previous
  complete run of the same selection;
- nothing is sent when there is no earlier run to compare with or no change worth an alert
  (``_message.ALERT_KINDS``); the delivery is then recorded as ``skipped``;
- each (run, destination) is claimed in the database before sending (see
  storage.alerts_repo), so it goes out once, whatever restarts or how many processes.

``after_run`` is the hook for the scanning code: it never raises, so an alert problem can
never fail a scan; a failed delivery is recorded and retried after the next run (or with
``oitwatch alerts send RUN``).
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

from storage.alerts_repo import AlertsRepository, DestinationRecord, RunContext
from storage.errors import NotFoundError, StorageError

from ._config import AlertConfig, SmtpConfig, WebhookConfig
from ._email import build_email, send_email
from ._message import Scope, alert_changes, compose, compose_test, payload, payload_for_test
from ._webhook import post_webhook

if TYPE_CHECKING:
    from reports.diff import RunDiff
    from storage import Repository

__all__ = ["DeliveryOutcome", "after_run", "new_secret", "send_for_run", "send_test"]

log = logging.getLogger("oitwatch.alerts")


@dataclass(frozen=True, slots=True)
class DeliveryOutcome:
    run_id: int
    destination_id: int
    status: str  # sent | failed | skipped | already (sent, skipped or in hand elsewhere)
    detail: str = ""
    changes: int = 0
    baseline_run_id: int | None = None


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def _scope(dest: DestinationRecord) -> Scope:
    return Scope(dest.schedule_id, dest.schedule_name, dest.province)


def _delivery_key(run_id: int, destination_id: int) -> str:
    return f"{run_id}-{destination_id}"


def _message_id(run_id: int, destination_id: int, sender: str) -> str:
    domain = sender.rsplit("@", 1)[-1].strip(">") or "localhost"
    return f"<oitwatch.run{run_id}.dest{destination_id}@{domain}>"


def _smtp(config: AlertConfig | None) -> SmtpConfig:
    return config.smtp if config is not None else SmtpConfig.from_env()


def _webhook(config: AlertConfig | None) -> WebhookConfig:
    return config.webhook if config is not None else WebhookConfig()


class _Plans:
    """The diff each scope needs, computed once per send (many destinations share one)."""

    def __init__(self, repo: Repository, arepo: AlertsRepository, ctx: RunContext) -> None:
        self.repo, self.arepo, self.ctx = repo, arepo, ctx
        self._cache: dict[tuple[str, str | None], tuple[int | None, RunDiff | None]] = {}

    def get(self, dest: DestinationRecord) -> tuple[int | None, RunDiff | None]:
        from reports.diff import diff_runs

        key = ("province", dest.province) if dest.province is not None else ("schedule", None)
        if key not in self._cache:
            if dest.province is not None:
                baseline = self.arepo.previous_run(self.ctx.id, selection=self.ctx.selection)
            else:
                baseline = self.arepo.previous_run(self.ctx.id, schedule_id=self.ctx.schedule_id)
            diff = (
                diff_runs(self.repo, baseline, self.ctx.id, province=dest.province)
                if baseline is not None
                else None
            )
            self._cache[key] = (baseline, diff)
        return self._cache[key]


def _deliver(
    dest: DestinationRecord,
    ctx: RunContext,
    plans: _Plans,
    arepo: AlertsRepository,
    config: AlertConfig | None,
) -> DeliveryOutcome:
    claim = arepo.claim_delivery(ctx.id, dest.id)
    if claim is None:
        return DeliveryOutcome(ctx.id, dest.id, "already")
    baseline: int | None = None
    try:
        baseline, diff = plans.get(dest)
        if diff is None:
            detail = "no earlier complete run of this scope to compare with"
            arepo.finish_delivery(claim, "skipped", detail=detail)
            return DeliveryOutcome(ctx.id, dest.id, "skipped", detail)
        listed = alert_changes(diff)
        count = sum(len(changes) for _, changes in listed)
        if not listed:
            detail = f"no change worth an alert since run {baseline}"
            arepo.finish_delivery(claim, "skipped", detail=detail, baseline_run_id=baseline)
            return DeliveryOutcome(ctx.id, dest.id, "skipped", detail, 0, baseline)
        max_agencies = config.max_agencies if config else AlertConfig().max_agencies
        composed = compose(diff, _scope(dest), dest.language, max_agencies)
        key = _delivery_key(ctx.id, dest.id)
        if dest.kind == "email":
            smtp = _smtp(config)  # here, so a bad setting is a failed (retried) delivery
            sender = smtp.from_address
            send_email(
                smtp,
                build_email(
                    composed,
                    sender=sender,
                    to=dest.target,
                    message_id=_message_id(ctx.id, dest.id, sender),
                    lang=dest.language,
                ),
            )
        else:
            post_webhook(
                _webhook(config),
                dest.target,
                dest.secret or "",
                payload(diff, _scope(dest), dest.language, composed, key),
                event="run.changes",
                delivery=key,
            )
    except Exception as exc:  # noqa: BLE001 - any failure of one destination: record it, go on
        detail = f"{type(exc).__name__}: {exc}"
        log.warning("alert for run %s to destination %s failed: %s", ctx.id, dest.id, detail)
        try:
            arepo.finish_delivery(claim, "failed", detail=detail, baseline_run_id=baseline)
        except StorageError as store_exc:  # the lease runs out; it is retried later
            log.warning("could not record the failed alert: %s", store_exc)
        return DeliveryOutcome(ctx.id, dest.id, "failed", detail, 0, baseline)
    arepo.finish_delivery(claim, "sent", baseline_run_id=baseline, changes=count)
    log.info("alert for run %s sent to destination %s (%d changes)", ctx.id, dest.id, count)
    return DeliveryOutcome(ctx.id, dest.id, "sent", "", count, baseline)


def send_for_run(
    repo: Repository,
    run_id: int,
    *,
    config: AlertConfig | None = None,
    retry_failed: bool = True,
) -> list[DeliveryOutcome]:
    """Send run ``run_id``'s alerts to every destination that has not had them. Idempotent.
    With ``retry_failed``, deliveries of earlier runs that failed are tried again too.
    NotFoundError for an unknown run; a run that is not complete sends nothing. Without
    ``config``, the SMTP settings come from the environment (alerts._config)."""
    arepo = AlertsRepository(repo.db)
    ctx = arepo.run_context(run_id)
    if ctx is None:
        raise NotFoundError(f"no scan run with id {run_id}")
    outcomes: list[DeliveryOutcome] = []
    if ctx.state == "complete":
        # province destinations only hear of campaigns, whose selection names the baseline
        provinces = ctx.provinces if ctx.selection is not None else ()
        plans = _Plans(repo, arepo, ctx)
        for dest in arepo.destinations_for(ctx.schedule_id, provinces):
            outcomes.append(_deliver(dest, ctx, plans, arepo, config))
    if retry_failed:
        for other in arepo.retryable_runs():
            if other != run_id:
                outcomes.extend(send_for_run(repo, other, config=config, retry_failed=False))
    return outcomes


def after_run(
    repo: Repository, run_id: int, *, config: AlertConfig | None = None
) -> list[DeliveryOutcome]:
    """The hook called when a run has finished: send its alerts, never raise."""
    try:
        return send_for_run(repo, run_id, config=config)
    except Exception:  # an alert must never fail the scan that triggered it
        log.exception("alerts for run %s could not be sent; retried after the next run", run_id)
        return []


def send_test(
    repo: Repository, destination_id: int, *, config: AlertConfig | None = None
) -> None:
    """Send a test message to one destination now (not recorded as a delivery). Raises
    NotFoundError, smtplib/OSError for e-mail, WebhookError for a webhook."""
    dest = AlertsRepository(repo.db).get_destination(destination_id)
    if dest is None:
        raise NotFoundError(f"no alert destination with id {destination_id}")
    composed = compose_test(_scope(dest), dest.language)
    key = f"test-{destination_id}-{secrets.token_hex(4)}"
    if dest.kind == "email":
        smtp = _smtp(config)
        sender = smtp.from_address
        domain = sender.rsplit("@", 1)[-1] or "localhost"
        send_email(
            smtp,
            build_email(composed, sender=sender, to=dest.target,
                        message_id=f"<oitwatch.{key}@{domain}>", lang=dest.language),
        )
    else:
        post_webhook(
            _webhook(config), dest.target, dest.secret or "",
            payload_for_test(_scope(dest), dest.language, composed, key),
            event="test", delivery=key,
        )
