"""E-mail alerts over SMTP (smtplib): plain text with an HTML alternative, UTF-8 throughout
so Thai survives every relay; STARTTLS or implicit TLS (SSL) when configured."""

from __future__ import annotations

import re
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate

from ._config import SmtpConfig
from ._message import Composed

__all__ = ["EMAIL_PATTERN", "build_email", "send_email", "valid_email"]

# One plain address (no display name, no list): local part without spaces or separators,
# a domain of labels with a dot (Thai IDN labels such as ".ไทย" allowed).
EMAIL_PATTERN = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@(?:[A-Za-z0-9\u0e00-\u0e7f](?:[A-Za-z0-9\u0e00-\u0e7f-]{0,61}"
    r"[A-Za-z0-9\u0e00-\u0e7f])?\.)+[A-Za-z\u0e00-\u0e7f]{2,}$"
)


def valid_email(address: str) -> bool:
    return len(address) <= 254 and EMAIL_PATTERN.match(address) is not None


def build_email(
    composed: Composed, *, sender: str, to: str, message_id: str, lang: str
) -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"] = composed.subject
    msg["From"] = sender
    msg["To"] = to
    msg["Date"] = formatdate(localtime=False, usegmt=True)
    # Stable per (run, destination): a mail system that sees a repeat can drop it.
    msg["Message-ID"] = message_id
    msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office replies
    msg["Content-Language"] = lang
    msg.set_content(composed.text, charset="utf-8")
    msg.add_alternative(composed.html, subtype="html", charset="utf-8")
    return msg


def _tls_context(config: SmtpConfig) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=config.ca_file)


def send_email(config: SmtpConfig, msg: EmailMessage) -> None:
    """Hand the message to the SMTP server; raises smtplib/OSError on failure."""
    port = config.effective_port
    if config.security == "ssl":
        client: smtplib.SMTP = smtplib.SMTP_SSL(
            config.host, port, timeout=config.timeout, context=_tls_context(config)
        )
    else:
        client = smtplib.SMTP(config.host, port, timeout=config.timeout)
    with client:
        client.ehlo()
        if config.security == "starttls":
            client.starttls(context=_tls_context(config))
            client.ehlo()
        if config.user:
            client.login(config.user, config.password or "")
        refused = client.send_message(msg)
        if refused:  # some recipients refused (with one recipient, send_message raises)
            raise smtplib.SMTPRecipientsRefused(refused)
