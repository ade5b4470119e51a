"""What routes ask for: the repositories, the language, who is signed in, and the guards
for reading and writing. Both the pages and the API use these."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import HTTPException, Request

from storage import Repository
from storage.tokens_repo import TokenRecord, TokenRepository

from ._config import WebConfig
from ._i18n import lang_of
from ._security import SESSION_COOKIE, Session, bearer_token, read_session

__all__ = [
    "ApiError",
    "config_of",
    "repo_of",
    "require_api_read",
    "require_api_write",
    "require_page_read",
    "session_of",
    "tokens_of",
]


class ApiError(HTTPException):
    """A 4xx/5xx of the JSON API: ``{"error": {"code", "message", "message_th", "details"}}``."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        message_th: str,
        details: list[dict[str, object]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(status_code=status, detail=message, headers=headers)
        self.code = code
        self.message = message
        self.message_th = message_th
        self.details = details or []


class PageError(HTTPException):
    """A 4xx of a dashboard page, shown as an HTML page in the reader's language."""

    def __init__(self, status: int, key: str, extra: str = "") -> None:
        super().__init__(status_code=status, detail=key)
        self.key = key
        self.extra = extra


def config_of(request: Request) -> WebConfig:
    return request.app.state.config  # type: ignore[no-any-return]


def repo_of(request: Request) -> Repository:
    return request.app.state.repo  # type: ignore[no-any-return]


def tokens_of(request: Request) -> TokenRepository:
    return request.app.state.tokens  # type: ignore[no-any-return]


def session_of(request: Request) -> Session | None:
    """The signed-in dashboard session (cached on the request)."""
    if not hasattr(request.state, "session"):
        config = config_of(request)
        request.state.session = read_session(
            config.resolved_secret(), request.cookies.get(SESSION_COOKIE), tokens_of(request)
        )
    return request.state.session  # type: ignore[no-any-return]


@dataclass(frozen=True, slots=True)
class Reader:
    lang: str
    session: Session | None


def require_page_read(request: Request) -> Reader:
    session = session_of(request)
    if not config_of(request).public_read and session is None:
        raise PageError(401, "forbidden")
    return Reader(lang_of(request), session)


def _unauthorised(what: str) -> ApiError:
    return ApiError(
        401,
        "token_required",
        f"{what} needs a valid API token: send 'Authorization: Bearer oitw_…' "
        "(create one with `oitwatch tokens create NAME`)",
        f"{'การอ่านข้อมูล' if what == 'reading' else 'การแก้ไขข้อมูล'}ต้องใช้โทเค็น API ที่ถูกต้อง "
        "ส่งในส่วนหัว 'Authorization: Bearer oitw_…' (สร้างด้วย `oitwatch tokens create ชื่อ`)",
        headers={"WWW-Authenticate": "Bearer"},
    )


def require_api_read(request: Request) -> TokenRecord | None:
    if config_of(request).public_read:
        return None
    token = tokens_of(request).verify(bearer_token(request))
    if token is None:
        raise _unauthorised("reading")
    return token


def require_api_write(request: Request) -> TokenRecord:
    """Writes through the API need a Bearer token: a cookie is never enough, so no other
    site can make a signed-in browser write through the API."""
    token = tokens_of(request).verify(bearer_token(request))
    if token is None:
        raise _unauthorised("changing data")
    return token
