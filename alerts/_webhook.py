"""Webhook alerts: a signed JSON POST, retried with backoff when the receiver is briefly away.

Each request carries

    X-Oitwatch-Event:      run.changes | test
    X-Oitwatch-Delivery:   "<run>-<destination>", the same on every retry (drop repeats by it)
    X-Oitwatch-Timestamp:  Unix seconds when this attempt was signed
    X-Oitwatch-Signature:  sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>" with the secret>

The timestamp is inside the signed bytes, so a captured request cannot be replayed later
with a fresh timestamp: a receiver checks the signature over the raw body as received and
refuses timestamps older than a few minutes (``verify_signature`` does both).

Retried: connection errors and timeouts, 429 (after its Retry-After, capped) and 5xx.
Not retried: other 4xx and redirects (the URL or the secret is wrong; retrying would not
help) — the delivery is recorded as failed and tried again after the next run.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Callable
from typing import Any

import httpx

from oitwatch import __version__

from ._config import WebhookConfig

__all__ = [
    "WebhookError",
    "post_webhook",
    "sign",
    "valid_webhook_url",
    "verify_signature",
]

SIGNATURE_HEADER = "X-Oitwatch-Signature"
TIMESTAMP_HEADER = "X-Oitwatch-Timestamp"


class WebhookError(Exception):
    """The webhook did not accept the alert (after the retries, if any applied)."""


def valid_webhook_url(url: str) -> bool:
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError):
        return False
    return parsed.scheme in ("http", "https") and bool(parsed.host) and " " not in url


def sign(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body,
                      hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify_signature(
    secret: str,
    body: bytes,
    timestamp: str,
    signature: str,
    *,
    tolerance: float = 300.0,
    now: float | None = None,
) -> bool:
    """What a receiver does: the signature matches the raw body and the timestamp is
    recent (within ``tolerance`` seconds)."""
    try:
        age = abs((time.time() if now is None else now) - int(timestamp))
    except ValueError:
        return False
    return age <= tolerance and hmac.compare_digest(sign(secret, timestamp, body), signature)


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after", "")
    try:
        return max(0.0, float(value))
    except ValueError:
        return None  # an HTTP date: use our own backoff


def post_webhook(
    config: WebhookConfig,
    url: str,
    secret: str,
    data: dict[str, Any],
    *,
    event: str,
    delivery: str,
    client: httpx.Client | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """POST ``data`` as JSON; returns the attempts it took. Raises WebhookError."""
    if not secret:
        raise WebhookError("the webhook has no secret to sign with; add it again with --secret")
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    own = client is None
    http = client or httpx.Client(timeout=config.timeout, follow_redirects=False)
    last = "no attempt made"
    try:
        for attempt in range(1, max(1, config.attempts) + 1):
            timestamp = str(int(time.time()))
            headers = {
                "Content-Type": "application/json; charset=utf-8",
                "User-Agent": f"oitwatch/{__version__} (alerts)",
                "X-Oitwatch-Event": event,
                "X-Oitwatch-Delivery": delivery,
                TIMESTAMP_HEADER: timestamp,
                SIGNATURE_HEADER: sign(secret, timestamp, body),
            }
            wait: float | None = None
            try:
                response = http.post(url, content=body, headers=headers)
            except httpx.TransportError as exc:  # refused, reset, timed out, DNS
                last = f"{type(exc).__name__}: {exc}"
            else:
                if response.is_success:
                    return attempt
                last = f"HTTP {response.status_code}"
                if response.status_code == 429:
                    wait = _retry_after(response)
                elif response.status_code < 500:
                    raise WebhookError(f"{url} answered {last}; not retried")
            if attempt < config.attempts:
                backoff = config.backoff * 2 ** (attempt - 1)
                sleep(min(config.max_backoff, wait if wait is not None else backoff))
        raise WebhookError(f"{url}: {last} after {config.attempts} attempts")
    finally:
        if own:
            http.close()
