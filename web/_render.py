"""Server-rendered pages: one Jinja2 environment, autoescaped everywhere.

Everything a crawled site wrote (titles, link texts, reasons, URLs) reaches a template as
data and is escaped there; no template may mark crawled text ``|safe`` (a test reads every
template for it). Each page gets the reader's language, the signed-in session and the
CSRF field for its forms."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse
from starlette.datastructures import FormData

from ._deps import PageError, config_of, session_of
from ._i18n import format_date, item_status, lang_of, site_status, text
from ._security import CSRF_COOKIE, CSRF_FIELD, check_csrf, csrf_value, new_csrf_cookie

__all__ = ["TEMPLATES_DIR", "checked_form", "environment", "render"]

TEMPLATES_DIR = Path(__file__).parent / "templates"


def _query(request: Request, **changes: Any) -> str:
    """This page's query string with some parameters changed (None removes one): for
    sort links, pagination and filters that keep the others."""
    params = dict(request.query_params)
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = str(value)
    return "?" + urlencode(params) if params else "?"


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,  # every template, whatever its name
        undefined=jinja2.StrictUndefined,  # a typo in a template fails its test
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(format_date=format_date, item_status=item_status, site_status=site_status)
    return env


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    lang = lang_of(request)
    config = config_of(request)
    cookie = request.cookies.get(CSRF_COOKIE)
    fresh = cookie is None or len(cookie) > 100
    if fresh:
        cookie = new_csrf_cookie()
        # Only pages that may hold a form set the cookie: an error page (a favicon.ico the
        # browser asked for alongside the first page, before the cookie arrived) must not
        # replace the cookie whose field that first page carries.
        fresh = status_code < 400 or status_code in (400, 401)
    assert cookie is not None
    env: jinja2.Environment = request.app.state.templates
    body = env.get_template(template).render(
        request=request,
        lang=lang,
        other_lang="en" if lang == "th" else "th",
        t=lambda key: text(key, lang),
        session=session_of(request),
        csrf_field=CSRF_FIELD,
        csrf_token=csrf_value(config.resolved_secret(), cookie),
        query=lambda **changes: _query(request, **changes),
        **context,
    )
    response = HTMLResponse(body, status_code=status_code)
    if fresh:
        response.set_cookie(
            CSRF_COOKIE, cookie, httponly=True, samesite="strict",
            secure=request.url.scheme == "https", path="/",
        )
    return response


async def checked_form(request: Request) -> FormData:
    """The posted form, once its CSRF field and Origin are checked (PageError 403 else)."""
    form = await request.form()
    field = form.get(CSRF_FIELD)
    if not isinstance(field, str) or not check_csrf(
        config_of(request).resolved_secret(), request, field
    ):
        raise PageError(403, "csrf_failed")
    return form
