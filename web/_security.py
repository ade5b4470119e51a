"""What keeps hostile sites' text, other sites' forms and crawled pages' scripts away from
the dashboard.

- Every response carries a strict Content-Security-Policy (scripts and styles only from
  /static, no inline script, no framing), ``X-Content-Type-Options: nosniff`` and
  ``Referrer-Policy: same-origin`` (an evidence link must not tell an agency's server which
  dashboard page it was clicked on). A response may set a stricter policy of its own: the
  archived copy of a crawled page is served ``sandbox``ed, so its scripts never run and it
  has no access to the dashboard's origin.
- Writing needs a token. The API takes ``Authorization: Bearer oitw_…`` only (never a
  cookie, so another site cannot make a browser write through the API). The dashboard signs
  a person in with a token once and then keeps a signed, HttpOnly, SameSite=Strict session
  cookie holding the token's id; each form carries a CSRF field derived from a per-browser
  random cookie (double submit, HMAC-signed) and the Origin of a form post must be ours.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from storage.tokens_repo import TokenRecord, TokenRepository

__all__ = [
    "CSP",
    "CSRF_COOKIE",
    "CSRF_FIELD",
    "SESSION_COOKIE",
    "SecurityHeaders",
    "Session",
    "bearer_token",
    "check_csrf",
    "csrf_value",
    "new_csrf_cookie",
    "read_session",
    "sign_session",
]

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
# A crawled page shown as archived: no script, no form, no framing of us, its own opaque
# origin (sandbox without allow-same-origin); its images and styles inline only.
ARCHIVED_CSP = (
    "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
    "form-action 'none'; frame-ancestors 'none'; base-uri 'none'"
)
_HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    # same-origin: an agency's server never learns which dashboard page linked to it, and
    # our own form posts still carry their Origin (no-referrer would make it "null")
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
}

SESSION_COOKIE = "oitw_session"
CSRF_COOKIE = "oitw_csrf"
CSRF_FIELD = "csrf_token"


class SecurityHeaders:
    """Pure ASGI middleware (no per-request task like BaseHTTPMiddleware): adds the headers
    above to every HTTP response that does not set them itself."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in _HEADERS.items():
                    if name not in headers:
                        headers[name] = value
                if "cache-control" not in headers:
                    headers["cache-control"] = "no-store" if not scope["path"].startswith(
                        "/static/"
                    ) else "public, max-age=3600"
            await send(message)

        await self.app(scope, receive, send_with_headers)


# -- signed values ------------------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(secret: bytes, purpose: str, data: str) -> str:
    return _b64(hmac.new(secret, f"{purpose}:{data}".encode(), hashlib.sha256).digest())


@dataclass(frozen=True, slots=True)
class Session:
    token_id: int
    token_name: str
    expires: float


def sign_session(secret: bytes, token: TokenRecord, hours: float) -> str:
    payload = _b64(json.dumps(
        {"tid": token.id, "name": token.name, "exp": int(time.time() + hours * 3600)},
        ensure_ascii=True,
    ).encode())
    return f"{payload}.{_mac(secret, 'session', payload)}"


def read_session(secret: bytes, cookie: str | None, tokens: TokenRepository) -> Session | None:
    """The session of a valid, unexpired cookie whose token is still active."""
    if not cookie or len(cookie) > 2000 or "." not in cookie:
        return None
    payload, mac = cookie.rsplit(".", 1)
    if not hmac.compare_digest(mac, _mac(secret, "session", payload)):
        return None
    try:
        data: dict[str, Any] = json.loads(_unb64(payload))
        token_id, name, expires = int(data["tid"]), str(data["name"]), float(data["exp"])
    except (ValueError, KeyError, TypeError):
        return None
    if expires < time.time():
        return None
    token = tokens.get(token_id)
    if token is None or not token.active:
        return None  # revoked since: the session ends with the token
    return Session(token_id, name, expires)


def new_csrf_cookie() -> str:
    return secrets.token_urlsafe(24)


def csrf_value(secret: bytes, cookie: str) -> str:
    """The hidden form field for this browser's CSRF cookie."""
    return _mac(secret, "csrf", cookie)


def _same_origin(request: Request) -> bool:
    """False only when the browser says the form came from another origin. No Origin (old
    browsers) or "null" (privacy settings, sandboxed documents) says nothing: then the signed
    field decides, and no other origin can read our cookie to forge it."""
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        return True
    host = request.headers.get("host", "")
    return origin.split("://", 1)[-1].rstrip("/") == host


def check_csrf(secret: bytes, request: Request, field_value: str | None) -> bool:
    cookie = request.cookies.get(CSRF_COOKIE)
    if not cookie or not field_value or not _same_origin(request):
        return False
    return hmac.compare_digest(field_value, csrf_value(secret, cookie))


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return value.strip() or None
