"""Celery: one task per site, run by `oitwatch worker` on as many machines as needed.

The broker is Redis (``$OITWATCH_REDIS_URL``, default ``redis://127.0.0.1:6379/0``); results
are not kept in Redis: each worker writes its site's result to the shared database
(``$OITWATCH_DATABASE_URL``), where the CLI and the scheduler read the run's progress.

Delivery guarantees:

- ``acks_late`` + ``reject_on_worker_lost``: a task is acknowledged only when it has finished;
  a worker process killed mid-scan gives its site back to the queue at once, and a whole
  machine that disappears gives it back after the visibility timeout;
- a delivered-again task claims the same site-scan row (``claim_key`` = task id), so the site
  is scanned again but recorded once (``Repository.claim_site_scan``);
- a database that is away is retried with exponential backoff; a site whose scan raises
  is recorded as failed, never retried forever;
- soft/hard time limits per task, above the crawler's own per-site limit (15 min).
"""

from __future__ import annotations

import os
from functools import cache
from typing import Any

from celery import Celery
from celery.signals import worker_process_shutdown
from celery.utils.log import get_task_logger

from storage import DatabaseUnavailableError, SiteBusyError

__all__ = [
    "DEFAULT_QUEUE",
    "DEFAULT_REDIS_URL",
    "ENV_QUEUE",
    "ENV_REDIS_URL",
    "app",
    "broker_url",
    "enqueue_sites",
    "queue_name",
    "scan_site",
]

ENV_REDIS_URL = "OITWATCH_REDIS_URL"
ENV_QUEUE = "OITWATCH_QUEUE"
ENV_VISIBILITY = "OITWATCH_VISIBILITY_TIMEOUT"
ENV_PREFIX = "OITWATCH_REDIS_PREFIX"  # several installations (or test runs) on one Redis
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
DEFAULT_QUEUE = "oitwatch"
TASK_NAME = "oitwatch.scan_site"

SOFT_TIME_LIMIT = 20 * 60  # the crawler stops a site after 15 min; this is the safety net
HARD_TIME_LIMIT = SOFT_TIME_LIMIT + 2 * 60
# Redis gives an unacknowledged task to another worker after this long: it must exceed the
# longest task, or a slow site would be scanned twice at once (still recorded once).
DEFAULT_VISIBILITY_TIMEOUT = HARD_TIME_LIMIT + 30 * 60

log = get_task_logger("oitwatch.tasks")


def broker_url(url: str | None = None) -> str:
    return url or os.environ.get(ENV_REDIS_URL) or DEFAULT_REDIS_URL


def queue_name(queue: str | None = None) -> str:
    return queue or os.environ.get(ENV_QUEUE) or DEFAULT_QUEUE


def _visibility_timeout() -> float:
    return float(os.environ.get(ENV_VISIBILITY) or DEFAULT_VISIBILITY_TIMEOUT)


def _config(broker: str | None = None, queue: str | None = None) -> dict[str, Any]:
    visibility = _visibility_timeout()
    return {
        "broker_url": broker_url(broker),
        "result_backend": None,  # the database holds the results
        "task_ignore_result": True,
        "task_default_queue": queue_name(queue),
        "task_serializer": "json",
        "accept_content": ["json"],
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,  # a worker holds one site at a time, no hoarding
        "task_soft_time_limit": SOFT_TIME_LIMIT,
        "task_time_limit": HARD_TIME_LIMIT,
        "broker_connection_retry_on_startup": True,
        "broker_connection_timeout": 5,
        "broker_transport_options": {
            **({"global_keyprefix": prefix} if (prefix := os.environ.get(ENV_PREFIX)) else {}),
            "visibility_timeout": visibility,
            # look for tasks of vanished workers often enough for the timeout used
            "unacked_restore_interval": max(1, min(10, int(visibility // 4))),
            "unacked_restore_throttle": 1,
        },
        "task_publish_retry_policy": {"max_retries": 3, "interval_start": 0.5,
                                      "interval_step": 1, "interval_max": 3},
        "worker_hijack_root_logger": False,
        "worker_redirect_stdouts": False,
        "enable_utc": True,
        "timezone": "Asia/Bangkok",
    }


app = Celery("oitwatch")
app.conf.update(_config())


def configure(broker: str | None = None, queue: str | None = None) -> Celery:
    """Point the worker app at ``broker``/``queue`` (call before the worker starts)."""
    app.conf.update(_config(broker, queue))
    return app


@cache
def _publisher_for(broker: str, prefix: str) -> Celery:
    sender = Celery("oitwatch-publisher")
    sender.conf.update(_config(broker))
    return sender


def _publisher(broker: str) -> Celery:
    return _publisher_for(broker, os.environ.get(ENV_PREFIX, ""))


@app.task(  # type: ignore[untyped-decorator]
    bind=True,
    name=TASK_NAME,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(DatabaseUnavailableError,),
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=8,
    soft_time_limit=SOFT_TIME_LIMIT,
    time_limit=HARD_TIME_LIMIT,
)
def scan_site(
    self: Any,
    run_id: int,
    seed_url: str,
    agency_id: int | None,
    catalog_id: str,
    options: dict[str, Any],
) -> dict[str, Any]:
    """Scan one site of a run and write it to the database."""
    from .scan import scan_one_site

    try:
        outcome = scan_one_site(
            seed_url, catalog_id, run_id, agency_id, options, claim_key=self.request.id,
            limiter_url=_fleet_limiter_url(self.app), limiter_prefix=_fleet_limiter_prefix(),
        )
    except SiteBusyError as busy:
        # another live worker has it (e.g. the same site queued twice): come back later
        log.info("%s is busy (%s); retrying in %.0f s", seed_url, busy, busy.retry_after)
        raise self.retry(countdown=max(1.0, busy.retry_after + 1), max_retries=100) from None
    _alerts_if_run_done(run_id)
    items = " ".join(f"{k} {v}" for k, v in sorted(outcome.items.items()))
    log.info(
        "run %s %s: %s %s, %d pages, attempt %d %s%s",
        run_id, seed_url, outcome.state, outcome.status, outcome.pages_fetched,
        outcome.attempt, items, f" ({outcome.reason})" if outcome.state != "complete" else "",
    )
    return outcome.to_dict()


def _fleet_limiter_url(celery_app: Celery) -> str | None:
    """Workers keep per-host politeness fleet-wide in the Redis they take their tasks from
    ($OITWATCH_REDIS_URL or --broker): every worker of one queue shares it."""
    url = str(celery_app.conf.broker_url or "")
    return url if url.startswith(("redis://", "rediss://", "unix://")) else None


def _fleet_limiter_prefix() -> str:
    return f"{os.environ.get(ENV_PREFIX) or 'oitwatch:'}limit:"


def _alerts_if_run_done(run_id: int) -> None:
    """The worker whose site closed the run sends its alerts (once: the database decides)."""
    try:
        from .campaign import send_alerts
        from .scan import _repository

        repo = _repository(None)
        header = repo.run_header(run_id)
        if header is not None and header.state == "complete":
            send_alerts(repo, run_id)
    except Exception:  # never fail the site's task for an alert
        log.exception("run %s: alerts not sent", run_id)


@worker_process_shutdown.connect  # type: ignore[untyped-decorator]
def _close_crawlers(**_: Any) -> None:
    """A pool process that stops closes its crawler (and browser) cleanly."""
    from .scan import _reset_worker_loop

    _reset_worker_loop()


def enqueue_sites(
    run_id: int,
    targets: list[tuple[str, int | None]],
    catalog_id: str,
    options: dict[str, Any],
    *,
    broker: str | None = None,
    queue: str | None = None,
) -> int:
    """Send one scan_site task per (seed URL, agency id). Raises kombu's OperationalError
    when the broker cannot be reached."""
    sender = _publisher(broker_url(broker))
    target_queue = queue_name(queue)
    with sender.producer_or_acquire() as producer:
        for seed_url, agency_id in targets:
            sender.send_task(
                TASK_NAME,
                args=(run_id, seed_url, agency_id, catalog_id, options),
                queue=target_queue,
                producer=producer,
            )
    return len(targets)


def ping_broker(broker: str | None = None, timeout: float = 5.0) -> None:
    """Raise (kombu OperationalError) when the broker cannot be reached."""
    sender = _publisher(broker_url(broker))
    with sender.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=timeout)
