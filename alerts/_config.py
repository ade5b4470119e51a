"""How alerts leave this machine: the SMTP server and the webhook client's patience.

Destinations (who gets what) live in the database; the SMTP server and its password do not:
they come from the environment of the process that sends (scheduler, worker, CLI).

    OITWATCH_SMTP_HOST        default localhost
    OITWATCH_SMTP_PORT        default 587 with starttls, 465 with ssl, 25 with none
    OITWATCH_SMTP_SECURITY    starttls | ssl | none (default starttls; none for localhost)
    OITWATCH_SMTP_USER / OITWATCH_SMTP_PASSWORD   login, if the server wants one
    OITWATCH_SMTP_FROM        the From address (default oitwatch@<host name>)
    OITWATCH_SMTP_TIMEOUT     seconds (default 30)
    OITWATCH_SMTP_CA_FILE     a CA bundle for a server with a private certificate
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass, field
from typing import Self

__all__ = ["AlertConfig", "AlertConfigError", "SmtpConfig", "WebhookConfig"]

SECURITY = ("starttls", "ssl", "none")
_LOCAL = ("localhost", "127.0.0.1", "::1")


class AlertConfigError(Exception):
    """The alert settings cannot work as given; th/en are fit to show a monitor."""

    def __init__(self, th: str, en: str) -> None:
        super().__init__(en)
        self.th = th
        self.en = en


@dataclass(frozen=True, slots=True)
class SmtpConfig:
    host: str = "localhost"
    port: int | None = None  # None: the usual port of ``security``
    security: str = "starttls"
    user: str | None = None
    password: str | None = None
    sender: str | None = None
    timeout: float = 30.0
    ca_file: str | None = None  # a private CA for the server's certificate

    def __post_init__(self) -> None:
        if self.security not in SECURITY:
            raise AlertConfigError(
                f"OITWATCH_SMTP_SECURITY ต้องเป็น {' / '.join(SECURITY)} ไม่ใช่ {self.security!r}",
                f"OITWATCH_SMTP_SECURITY must be one of {', '.join(SECURITY)}, "
                f"not {self.security!r}",
            )
        if self.password and self.security == "none" and self.host not in _LOCAL:
            # never send a password in clear text across a network
            raise AlertConfigError(
                "ไม่ส่งรหัสผ่าน SMTP โดยไม่เข้ารหัส: ตั้ง OITWATCH_SMTP_SECURITY=starttls หรือ ssl",
                "refusing to send the SMTP password unencrypted: "
                "set OITWATCH_SMTP_SECURITY=starttls or ssl",
            )

    @property
    def effective_port(self) -> int:
        if self.port:
            return self.port
        return {"starttls": 587, "ssl": 465, "none": 25}[self.security]

    @property
    def from_address(self) -> str:
        return self.sender or f"oitwatch@{socket.getfqdn() or 'localhost'}"

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Self:
        e = os.environ if env is None else env
        host = e.get("OITWATCH_SMTP_HOST") or "localhost"
        default_security = "none" if host in _LOCAL else "starttls"
        port_text = e.get("OITWATCH_SMTP_PORT") or ""
        timeout_text = e.get("OITWATCH_SMTP_TIMEOUT") or "30"
        try:
            port = int(port_text) if port_text else None
            timeout = float(timeout_text)
        except ValueError:
            raise AlertConfigError(
                "OITWATCH_SMTP_PORT / OITWATCH_SMTP_TIMEOUT ต้องเป็นตัวเลข",
                "OITWATCH_SMTP_PORT and OITWATCH_SMTP_TIMEOUT must be numbers",
            ) from None
        return cls(
            host=host,
            port=port,
            security=(e.get("OITWATCH_SMTP_SECURITY") or default_security).lower(),
            user=e.get("OITWATCH_SMTP_USER") or None,
            password=e.get("OITWATCH_SMTP_PASSWORD") or None,
            sender=e.get("OITWATCH_SMTP_FROM") or None,
            timeout=timeout,
            ca_file=e.get("OITWATCH_SMTP_CA_FILE") or None,
        )


@dataclass(frozen=True, slots=True)
class WebhookConfig:
    timeout: float = 10.0
    attempts: int = 4  # tries per send (1 + 3 retries) on 5xx / 429 / connection errors
    backoff: float = 1.0  # seconds before the first retry, doubled each time
    max_backoff: float = 30.0  # also the cap on a server's Retry-After


@dataclass(frozen=True, slots=True)
class AlertConfig:
    smtp: SmtpConfig = field(default_factory=SmtpConfig)
    webhook: WebhookConfig = field(default_factory=WebhookConfig)
    max_agencies: int = 50  # agencies listed in one message; the rest are counted

    @classmethod
    def from_env(cls) -> Self:
        return cls(smtp=SmtpConfig.from_env())
