"""Shared by the form-page tests (it holds no tests itself): signing in through the real
/login form, reading a page's CSRF field, parsing pages, and a snapshot of what the forms
can change (to prove that a refused write changed nothing)."""

from __future__ import annotations

from typing import Any

import httpx
from selectolax.lexbor import LexborHTMLParser

from storage import Repository
from web._security import CSRF_FIELD


def html(response: httpx.Response) -> LexborHTMLParser:
    return LexborHTMLParser(response.text)


def csrf_of(client: httpx.Client, path: str = "/login") -> str:
    page = client.get(path)
    assert page.status_code == 200, (path, page.status_code)
    field = html(page).css_first(f'input[name="{CSRF_FIELD}"]')
    assert field is not None, f"{path} carries a CSRF field"
    value = field.attributes.get("value")
    assert value
    return value


def sign_in(client: httpx.Client, token: str) -> str:
    """Sign in with ``token`` as a person would (the /login form); returns the CSRF field
    value of this browser, for the forms it posts next."""
    field = csrf_of(client)
    r = client.post("/login", data={"token": token, CSRF_FIELD: field})
    assert r.status_code == 303, r.text[:500]
    return field


def snapshot(repo: Repository) -> tuple[Any, ...]:
    """Everything the forms write: agencies, schedules, runs."""
    agencies = tuple(repo.list_agencies())
    schedules = tuple(
        (s.id, s.name, s.cron, s.enabled, tuple(sorted(s.selection.items(), key=str)),
         s.updated_at)
        for s in repo.list_schedules()
    )
    runs = tuple(r.id for r in repo.list_runs(limit=10_000))
    return agencies, schedules, runs


def problems(page: LexborHTMLParser) -> dict[str, str]:
    """field -> message of a form's list of problems."""
    return {
        li.attributes.get("data-field") or "": li.text(strip=True)
        for li in page.css("#form-errors li")
    }
