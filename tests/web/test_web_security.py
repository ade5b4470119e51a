"""Headers, escaping rules, tokens, sessions and CSRF: what keeps hostile text and other
sites' forms away from the dashboard."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from storage.tokens_repo import TokenRepository
from web._render import TEMPLATES_DIR
from web._security import CSRF_FIELD

from web_support import LiveServer, Seeded, make_app


def test_every_response_carries_the_security_headers(api: httpx.Client) -> None:
    for path in ("/login", "/static/style.css", "/api/v1/openapi.json", "/no-such-page"):
        r = api.get(path)
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp, path
        assert "frame-ancestors 'none'" in csp
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "same-origin"


def test_no_template_marks_text_safe_or_has_inline_script() -> None:
    for path in sorted(TEMPLATES_DIR.rglob("*.html")):
        source = path.read_text(encoding="utf-8")
        assert "|safe" not in source.replace(" ", ""), f"{path.name} uses |safe"
        assert "autoescape false" not in source, path.name
        for tag in re.findall(r"<script[^>]*>", source):
            assert "src=" in tag, f"{path.name} has an inline script: {tag}"
        assert not re.search(r"\son[a-z]+\s*=", source), f"{path.name} has an inline handler"


def _csrf(client: httpx.Client, path: str = "/login") -> str:
    page = client.get(path)
    assert page.status_code == 200
    match = re.search(rf'name="{CSRF_FIELD}" value="([^"]+)"', page.text)
    assert match, "the form carries a CSRF field"
    return match.group(1)


def test_sign_in_needs_the_csrf_field_and_a_valid_token(live: LiveServer, seeded: Seeded) -> None:
    with live.client() as client:
        field = _csrf(client)
        # no field: refused before the token is even looked at
        r = client.post("/login", data={"token": seeded.token})
        assert r.status_code == 403
        # a field from another browser (other CSRF cookie): refused
        with live.client() as other:
            foreign = _csrf(other)
        r = client.post("/login", data={"token": seeded.token, CSRF_FIELD: foreign + "x"})
        assert r.status_code == 403
        # another site's form (Origin header of another origin): refused
        r = client.post("/login", data={"token": seeded.token, CSRF_FIELD: field},
                        headers={"origin": "https://evil.example"})
        assert r.status_code == 403
        r = client.post("/login", data={"token": "oitw_wrong", CSRF_FIELD: field})
        assert r.status_code == 401
        r = client.post("/login", data={"token": seeded.token, CSRF_FIELD: field, "next": "//evil.example/"})
        assert r.status_code == 303 and r.headers["location"] == "/"
        cookie = r.headers["set-cookie"]
        assert "httponly" in cookie.lower() and "samesite=strict" in cookie.lower()
        assert seeded.token not in cookie  # the session holds the token's id, not the token


def test_a_revoked_token_ends_its_sessions(fresh_seeded: Seeded) -> None:
    tokens = TokenRepository(fresh_seeded.repo.db)
    record, token = tokens.create("short-lived")
    with LiveServer(make_app(fresh_seeded.repo)) as live, live.client() as client:
        field = _csrf(client)
        r = client.post("/login", data={"token": token, CSRF_FIELD: field})
        assert r.status_code == 303
        assert "short-lived" in client.get("/login").text
        tokens.revoke(record.id)
        assert "short-lived" not in client.get("/login").text


def test_tokens_are_stored_hashed(fresh_seeded: Seeded) -> None:
    tokens = TokenRepository(fresh_seeded.repo.db)
    record, token = tokens.create("hash-check")
    with fresh_seeded.repo.db.engine.connect() as conn:
        rows = [tuple(map(str, row)) for row in conn.exec_driver_sql("SELECT * FROM api_token")]
    assert rows and not any(token in cell for row in rows for cell in row)
    assert tokens.verify(token) == tokens.get(record.id) or tokens.verify(token) is not None
    assert tokens.verify(token[:-1]) is None
    assert tokens.verify("") is None


def test_templates_dir_exists() -> None:
    assert Path(TEMPLATES_DIR, "base.html").is_file()


@pytest.mark.parametrize("target", ["//evil.example", "https://evil.example/", "/\\evil", "/ok?x=1"])
def test_language_switch_never_redirects_off_site(api: httpx.Client, target: str) -> None:
    r = api.get("/lang/en", params={"next": target})
    assert r.status_code == 303
    location = r.headers["location"]
    assert location == (target if target == "/ok?x=1" else "/")
    assert "lang=en" in r.headers["set-cookie"]
