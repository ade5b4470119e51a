"""Alerts: after a campaign or a scheduled run, tell the monitors what changed.

    from alerts import after_run, send_for_run
    after_run(repo, run_id)            # the scanning code's hook: never raises
    send_for_run(repo, run_id)         # idempotent: each (run, destination) is sent once

Destinations (an e-mail address or a webhook URL, for one schedule or one province, Thai
or English) are rows in the database (``oitwatch alerts add``); the message is the diff
against the previous complete run of the same scope (reports.diff), so a site that stays
down is told once, the night it went down. See _send.py for the rules, _email.py and
_webhook.py for the wire formats, _config.py for the SMTP settings.
"""

from ._config import AlertConfig, AlertConfigError, SmtpConfig, WebhookConfig
from ._email import valid_email
from ._message import ALERT_KINDS, Composed, Scope, alert_changes, compose
from ._send import DeliveryOutcome, after_run, new_secret, send_for_run, send_test
from ._webhook import WebhookError, sign, valid_webhook_url, verify_signature

__all__ = [
    "ALERT_KINDS",
    "AlertConfig",
    "AlertConfigError",
    "Composed",
    "DeliveryOutcome",
    "Scope",
    "SmtpConfig",
    "WebhookConfig",
    "WebhookError",
    "after_run",
    "alert_changes",
    "compose",
    "new_secret",
    "send_for_run",
    "send_test",
    "sign",
    "valid_email",
    "valid_webhook_url",
    "verify_signature",
]
