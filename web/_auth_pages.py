"""Signing in with a token, signing out, switching language, and the health check."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from ._deps import config_of, repo_of, tokens_of
from ._i18n import LANG_COOKIE, LANGS
from ._render import checked_form, render
from ._security import SESSION_COOKIE, sign_session

router = APIRouter(include_in_schema=False)


def safe_next(value: object, default: str = "/") -> str:
    """A local path to go back to: never another site ("//evil", "https://…", "\\\\")."""
    if not isinstance(value, str) or not value.startswith("/") or value.startswith("//"):
        return default
    if "\\" in value or any(ord(c) < 32 for c in value) or len(value) > 2000:
        return default
    return value


@router.get("/login")
def login_form(request: Request) -> Response:
    return render(request, "login.html", next=safe_next(request.query_params.get("next")),
                  failed=False)


@router.post("/login")
async def login(request: Request) -> Response:
    form = await checked_form(request)
    target = safe_next(form.get("next"))
    raw = form.get("token")
    token = tokens_of(request).verify(raw.strip() if isinstance(raw, str) else None)
    if token is None:
        return render(request, "login.html", status_code=401, next=target, failed=True)
    config = config_of(request)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        sign_session(config.resolved_secret(), token, config.session_hours),
        max_age=int(config.session_hours * 3600),
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    await checked_form(request)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/lang/{code}")
def switch_language(code: str, request: Request) -> Response:
    """The language switch: a plain link, works without JavaScript."""
    response = RedirectResponse(safe_next(request.query_params.get("next")), status_code=303)
    if code in LANGS:
        response.set_cookie(LANG_COOKIE, code, max_age=365 * 86400, samesite="lax", path="/")
    return response


@router.get("/favicon.ico")
def favicon() -> Response:
    """No icon: an empty answer, so browsers stop asking (and never get an HTML page)."""
    return Response(status_code=204, headers={"cache-control": "public, max-age=86400"})


@router.get("/healthz")
def health(request: Request) -> Response:
    repo_of(request).db.ping()
    return JSONResponse({"status": "ok"})
