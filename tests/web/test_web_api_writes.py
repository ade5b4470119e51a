"""The API's writes against the real server, on SQLite and PostgreSQL: refused without a
valid token (nothing changes in the database), done with one (the database says so), checked
like the CLI checks them; and reading behind a token when the server is private."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from web_support import LiveServer, Seeded, make_app

from storage.tokens_repo import TokenRepository

API = "/api/v1"


@pytest.fixture
def server(fresh_seeded: Seeded) -> Iterator[LiveServer]:
    with LiveServer(make_app(fresh_seeded.repo)) as live:
        yield live


@pytest.fixture
def client(server: LiveServer) -> Iterator[httpx.Client]:
    with server.client() as c:
        yield c


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


def state(seeded: Seeded) -> tuple[Any, ...]:
    repo = seeded.repo
    return (repo.list_agencies(), repo.list_schedules(), repo.list_runs(1000))


def error_of(r: httpx.Response, status: int) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    error: dict[str, Any] = r.json()["error"]
    assert error["message"] and error["message_th"]
    return error


WRITES: list[tuple[str, str, dict[str, Any]]] = [
    ("POST", "/agencies", {"code": "N1", "name": "เทศบาลตำบลใหม่", "province": "ขอนแก่น"}),
    ("POST", "/schedules", {"cron": "0 1 * * *", "selection": {"province": "ขอนแก่น"}}),
    ("PATCH", "/schedules/{schedule}", {"enabled": False}),
    ("POST", "/scans", {"selection": {"agencies": ["G00000"]}, "max_pages": 1}),
]


def test_writes_need_a_valid_token(fresh_seeded: Seeded, client: httpx.Client) -> None:
    schedule = fresh_seeded.repo.add_schedule(cron="0 2 * * *", selection={"all": True})
    tokens = TokenRepository(fresh_seeded.repo.db)
    revoked, revoked_token = tokens.create("gone")
    tokens.revoke(revoked.id)
    before = state(fresh_seeded)
    refusals = {
        "no token": {},
        "wrong token": bearer("oitw_" + "A" * 43),
        "revoked token": bearer(revoked_token),
        "not bearer": {"authorization": f"Basic {fresh_seeded.token}"},
        "token as a cookie": {"cookie": f"oitw_session={fresh_seeded.token}"},
    }
    for method, path, body in WRITES:
        url = API + path.format(schedule=schedule)
        for why, headers in refusals.items():
            r = client.request(method, url, json=body, headers=headers)
            error = error_of(r, 401)
            assert error["code"] == "token_required", (method, path, why)
            assert r.headers["www-authenticate"] == "Bearer"
    assert state(fresh_seeded) == before

    # the same writes with the token are done
    for method, path, body in WRITES[:3]:
        r = client.request(method, API + path.format(schedule=schedule), json=body,
                           headers=bearer(fresh_seeded.token))
        assert r.status_code in (200, 201), r.text
    assert fresh_seeded.repo.list_agencies(codes=["N1"])[0].name == "เทศบาลตำบลใหม่"
    assert fresh_seeded.repo.get_schedule(schedule).enabled is False  # type: ignore[union-attr]
    assert len(fresh_seeded.repo.list_schedules()) == 2


def test_agency_create_then_update(fresh_seeded: Seeded, client: httpx.Client) -> None:
    repo = fresh_seeded.repo
    auth = bearer(fresh_seeded.token)
    body = {"code": "6400199", "name": "อบต.ทดสอบ", "type": "อบต.", "province": "จังหวัดขอนแก่น",
            "district": "อำเภอบ้านไผ่", "homepage": "www.thodsob.go.th", "catalog": "ita-2566"}
    r = client.post(f"{API}/agencies", json=body, headers=auth)
    assert r.status_code == 201, r.text
    created = r.json()
    (stored,) = repo.list_agencies(codes=["6400199"])
    assert created["id"] == stored.id
    assert (stored.name, stored.type, stored.province, stored.district, stored.catalog) == (
        "อบต.ทดสอบ", "อบต.", "ขอนแก่น", "บ้านไผ่", "ita-2566")
    assert stored.homepage == created["homepage"]
    assert str(stored.homepage).startswith("http")
    assert client.get(f"{API}/agencies/{stored.id}").json() == created

    # by code again: an update; fields not sent keep their values
    r = client.post(f"{API}/agencies", json={"code": "6400199", "name": "อบต.ทดสอบใหม่"},
                    headers=auth)
    assert r.status_code == 200, r.text
    (updated,) = repo.list_agencies(codes=["6400199"])
    assert updated.id == stored.id and updated.name == "อบต.ทดสอบใหม่"
    assert (updated.province, updated.homepage) == (stored.province, stored.homepage)
    assert len(repo.list_agencies()) == 9  # 8 seeded + 1

    before = state(fresh_seeded)
    for bad, code in (({"homepage": "javascript:alert(1)"}, "bad_homepage"),
                      ({"homepage": "ไม่ใช่เว็บ"}, "bad_homepage"),
                      ({"catalog": "ita-1999"}, "unknown_catalog")):
        r = client.post(f"{API}/agencies", json={"code": "6400199", "name": "x", **bad},
                        headers=auth)
        assert error_of(r, 400)["code"] == code
    assert state(fresh_seeded) == before


def test_schedule_add_and_change(fresh_seeded: Seeded, client: httpx.Client) -> None:
    repo = fresh_seeded.repo
    auth = bearer(fresh_seeded.token)
    body = {"cron": " 30  1 * * 1-5 ", "selection": {"province": "ขอนแก่น", "district": "บ้านไผ่"},
            "name": "ขอนแก่นทุกคืน", "catalog": "ita-2566", "backend": "celery",
            "options": {"max_pages": 120, "delay": 1.0}}
    r = client.post(f"{API}/schedules", json=body, headers=auth)
    assert r.status_code == 201, r.text
    made = r.json()
    stored = repo.get_schedule(made["id"])
    assert stored is not None
    assert (stored.cron, stored.name, stored.catalog, stored.backend, stored.enabled) == (
        "30 1 * * 1-5", "ขอนแก่นทุกคืน", "ita-2566", "celery", True)
    assert stored.selection == {"province": "ขอนแก่น", "district": "บ้านไผ่"}
    assert stored.options == {"max_pages": 120, "max_depth": 6, "min_delay": 1.0,
                              "site_concurrency": 8}
    assert client.get(f"{API}/schedules/{made['id']}").json() == made
    listing = client.get(f"{API}/schedules").json()
    assert listing["total"] == 1 and listing["items"] == [made]

    url = f"{API}/schedules/{made['id']}"
    r = client.patch(url, json={"enabled": False}, headers=auth)
    assert r.status_code == 200 and r.json()["enabled"] is False
    changed = repo.get_schedule(made["id"])
    assert changed is not None and changed.enabled is False
    assert changed.updated_at > stored.updated_at  # the scheduler reloads changed rows
    r = client.patch(url, json={"cron": "*/15  2 * * *", "name": None}, headers=auth)
    assert r.status_code == 200, r.text
    changed = repo.get_schedule(made["id"])
    assert changed is not None and (changed.cron, changed.name, changed.enabled) == (
        "*/15 2 * * *", None, False)

    other = client.post(f"{API}/schedules", json={**body, "name": "อีกตาราง"}, headers=auth)
    assert other.status_code == 201
    before = state(fresh_seeded)
    r = client.patch(url, json={"name": "อีกตาราง"}, headers=auth)
    assert error_of(r, 409)["code"] == "conflict"
    r = client.post(f"{API}/schedules", json={**body, "name": "อีกตาราง"}, headers=auth)
    assert error_of(r, 409)["code"] == "conflict"
    r = client.patch(url, json={"cron": "0 24 * * *"}, headers=auth)
    error = error_of(r, 400)
    assert error["code"] == "bad_cron" and "cron" in error["message_th"]
    r = client.post(f"{API}/schedules", json={**body, "name": "x", "selection": {"all": True,
                    "province": "ขอนแก่น"}}, headers=auth)
    assert error_of(r, 400)["code"] == "bad_selection"
    r = client.patch(f"{API}/schedules/2147483647", json={"enabled": True}, headers=auth)
    assert error_of(r, 404)["code"] == "not_found"
    assert state(fresh_seeded) == before


def test_scan_start_refusals_say_why(fresh_seeded: Seeded, client: httpx.Client) -> None:
    auth = bearer(fresh_seeded.token)
    before = state(fresh_seeded)
    r = client.post(f"{API}/scans", json={"selection": {"agencies": ["G00000", "NOPE"]}},
                    headers=auth)
    error = error_of(r, 400)
    assert error["code"] == "scan_not_started"
    assert "NOPE" in error["message"] and "NOPE" in error["message_th"]
    r = client.post(f"{API}/scans", json={"selection": {"province": "ไม่มีจังหวัดนี้"}},
                    headers=auth)
    assert error_of(r, 400)["code"] == "scan_not_started"
    r = client.post(f"{API}/scans", json={"selection": {"all": True}, "catalog": "nope"},
                    headers=auth)
    assert error_of(r, 400)["code"] == "unknown_catalog"
    assert state(fresh_seeded) == before


def test_private_reading_needs_a_token(fresh_seeded: Seeded) -> None:
    tokens = TokenRepository(fresh_seeded.repo.db)
    revoked, revoked_token = tokens.create("gone")
    tokens.revoke(revoked.id)
    run_id = fresh_seeded.campaign.run_ids[0]
    paths = ["/runs", f"/runs/{run_id}", f"/runs/{run_id}/progress", "/site-scans",
             "/item-results", "/evidence", "/agencies", "/schedules",
             f"/agencies/{fresh_seeded.campaign.agency_ids[0]}"]
    with LiveServer(make_app(fresh_seeded.repo, public_read=False)) as live, \
            live.client() as client:
        for path in paths:
            for headers in ({}, bearer("oitw_nope"), bearer(revoked_token)):
                r = client.get(API + path, headers=headers)
                assert error_of(r, 401)["code"] == "token_required", path
            r = client.get(API + path, headers=bearer(fresh_seeded.token))
            assert r.status_code == 200, (path, r.text)
        # the document itself stays readable: it holds no data
        assert client.get(f"{API}/openapi.json").status_code == 200
