"""Hostile and clumsy input never gives a 500: a matrix of bad values thrown at every
parameter of every endpoint (taken from the OpenAPI document, so a new endpoint or
parameter is covered without editing this file) and bad bodies at every write, on SQLite
and PostgreSQL. Each answer must be a 4xx JSON error of the documented shape, and the
database must not change."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import httpx
from web_support import Seeded

API = "/api/v1"
HUGE = "9" * 40
LONG = "x" * 10_000


def assert_error(r: httpx.Response, what: object, statuses: tuple[int, ...] = (400,)) -> None:
    assert r.status_code in statuses, (what, r.status_code, r.text[:300])
    assert r.headers["content-type"].startswith("application/json"), what
    error = r.json()["error"]
    assert set(error) == {"code", "message", "message_th", "details"}, what
    assert error["code"] and error["message"] and error["message_th"], what
    assert isinstance(error["details"], list), what


def _options(schema: dict[str, Any]) -> list[dict[str, Any]]:
    return [o for o in schema.get("anyOf", [schema]) if o.get("type") != "null"]


def bad_values(schema: dict[str, Any], components: dict[str, Any]) -> list[str]:
    """Values this parameter must refuse, from its schema."""
    values = ["a\x00b", LONG]
    for option in _options(schema):
        if "$ref" in option:
            option = components[option["$ref"].rsplit("/", 1)[-1]]
        if option.get("type") == "integer":
            values += ["abc", "1.5", "", HUGE, "-" + HUGE, "1e3", "0x10", "１"]
            if "minimum" in option:
                values.append(str(option["minimum"] - 1))
            if "maximum" in option:
                values += [str(option["maximum"] + 1), "2147483648", "-2147483649"]
        if "enum" in option:
            values += ["bogus", str(option["enum"][0]).upper() + "X", ""]
    return values


def valid_path(path: str, seeded: Seeded) -> str:
    """The path with existing ids, so only the parameter under test is wrong."""
    c = seeded.campaign
    return (path.replace("{run_id}", str(c.run_ids[-1]))
            .replace("{site_scan_id}", str(c.site_scan_ids[0][0]))
            .replace("{agency_id}", str(c.agency_ids[0]))
            .replace("{item_result_id}", "1").replace("{evidence_id}", "1")
            .replace("{schedule_id}", "1"))


def _counts(seeded: Seeded) -> tuple[int, int, int]:
    repo = seeded.repo
    return (len(repo.list_agencies()), len(repo.list_schedules()), len(repo.list_runs(1000)))


def test_bad_parameters_of_every_endpoint(api: httpx.Client, seeded: Seeded) -> None:
    doc = api.get(f"{API}/openapi.json").json()
    components = doc["components"]["schemas"]
    auth = {"authorization": f"Bearer {seeded.token}"}
    before = _counts(seeded)
    tried = 0
    for path, ops in doc["paths"].items():
        if not path.startswith(API):
            continue
        for method, op in ops.items():
            params = op.get("parameters", [])
            for param in params:
                name, where = param["name"], param["in"]
                for value in bad_values(param["schema"], components):
                    if where == "path" and value == "":
                        continue  # /runs/ is another URL (redirected to /runs), not a bad id
                    what = (method, path, name, value[:20])
                    url = valid_path(path, seeded)
                    query: dict[str, str] = {}
                    if where == "path":
                        url = valid_path(path.replace("{" + name + "}", quote(value, safe="")),
                                         seeded)
                    else:
                        query[name] = value
                    r = api.request(method.upper(), url, params=query, headers=auth,
                                    json={} if method in ("post", "patch") else None)
                    assert_error(r, what)
                    assert r.json()["error"]["code"] == "bad_parameter", what
                    wheres = [d["where"] for d in r.json()["error"]["details"]]
                    assert f"{where}.{name}" in wheres, (what, wheres)
                    tried += 1
    assert tried > 300
    assert _counts(seeded) == before


BAD_BODIES: list[tuple[str, bytes | None, str]] = [
    ("not json", b"{bad", "application/json"),
    ("empty", b"", "application/json"),
    ("an array", b"[]", "application/json"),
    ("null", b"null", "application/json"),
    ("a string", b'"x"', "application/json"),
    ("deeply nested", b"[" * 100_000 + b"]" * 100_000, "application/json"),
    ("bad utf-8", b'{"name": "\xff\xfe"}', "application/json"),
    ("form", b"code=X&name=Y", "application/x-www-form-urlencoded"),
    ("text", b'{"code": "X", "name": "Y"}', "text/plain"),
    ("multipart", b"--b\r\n\r\n--b--\r\n", "multipart/form-data; boundary=b"),
    ("no content type", b'{"code": "X"', ""),
]
SELECTION = {"agencies": ["G00000"]}
BAD_FIELDS: dict[str, list[dict[str, Any]]] = {
    "POST /agencies": [
        {}, {"code": "X"}, {"name": "Y"}, {"code": "", "name": "Y"}, {"code": "X", "name": ""},
        {"code": "X" * 33, "name": "Y"}, {"code": "X\x00", "name": "Y"},
        {"code": "X", "name": "Y\x00"}, {"code": "X", "name": LONG}, {"code": 5, "name": "Y"},
        {"code": "X", "name": "Y", "homepage": "javascript:alert(1)"},
        {"code": "X", "name": "Y", "homepage": "not a url"},
        {"code": "X", "name": "Y", "homepage": "http://" + "a" * 3000 + ".go.th/"},
        {"code": "X", "name": "Y", "catalog": "no-such-catalog"},
        {"code": "X", "name": "Y", "province": ["ขอนแก่น"]}, {"code": "X", "name": "Y", "id": 3},
    ],
    "POST /schedules": [
        {}, {"cron": "0 1 * * *"}, {"selection": SELECTION},
        {"cron": "0 1 * *", "selection": SELECTION}, {"cron": "61 1 * * *", "selection": SELECTION},
        {"cron": "0 1 * * * *", "selection": SELECTION}, {"cron": "a\x00", "selection": SELECTION},
        {"cron": LONG, "selection": SELECTION}, {"cron": 5, "selection": SELECTION},
        {"cron": "0 1 * * *", "selection": {}},
        {"cron": "0 1 * * *", "selection": {"province": "ขอนแก่น", "all": True}},
        {"cron": "0 1 * * *", "selection": {"district": "บ้านไผ่"}},
        {"cron": "0 1 * * *", "selection": {"agencies": "G00000"}},
        {"cron": "0 1 * * *", "selection": {"agencies": [LONG]}},
        {"cron": "0 1 * * *", "selection": {"all": "yes"}},
        {"cron": "0 1 * * *", "selection": SELECTION, "backend": "threads"},
        {"cron": "0 1 * * *", "selection": SELECTION, "catalog": "nope"},
        {"cron": "0 1 * * *", "selection": SELECTION, "options": {"max_pages": 0}},
        {"cron": "0 1 * * *", "selection": SELECTION, "options": {"max_pages": int(HUGE)}},
        {"cron": "0 1 * * *", "selection": SELECTION, "options": {"delay": -1}},
        {"cron": "0 1 * * *", "selection": SELECTION, "options": {"depth": 3}},
        {"cron": "0 1 * * *", "selection": SELECTION, "enabled": "true"},
        {"cron": "0 1 * * *", "selection": SELECTION, "name": "n\x00"},
    ],
    "PATCH /schedules/1": [
        {}, {"enabled": "false"}, {"enabled": 0}, {"enabled": None}, {"cron": None},
        {"cron": "bad"}, {"cron": "0 25 * * *"}, {"name": ""}, {"name": LONG},
        {"name": "\x00"}, {"selection": SELECTION}, {"id": 2},
    ],
    "POST /scans": [
        {}, {"selection": {}}, {"selection": SELECTION, "max_pages": 0},
        {"selection": SELECTION, "max_pages": int(HUGE)}, {"selection": SELECTION, "max_pages": "5"},
        {"selection": SELECTION, "catalog": "nope"}, {"selection": SELECTION, "catalog": "\x00"},
        {"selection": {"agencies": ["NO-SUCH-CODE"]}},
        {"selection": {"province": "ไม่มีจังหวัดนี้"}},
        {"selection": {"province": "ขอนแก่น", "agencies": ["G00000"]}},
        {"selection": SELECTION, "trigger": "cli"},
    ],
}


def test_bad_bodies_of_every_write(api: httpx.Client, seeded: Seeded) -> None:
    """With a valid token: only the body is wrong. (The seed has no schedule 1, so a PATCH
    body that is valid would be a 404; none of these is valid.)"""
    auth = {"authorization": f"Bearer {seeded.token}"}
    before = _counts(seeded)
    for endpoint, bodies in BAD_FIELDS.items():
        method, path = endpoint.split(" ")
        for label, raw, content_type in BAD_BODIES:
            headers = {**auth, **({"content-type": content_type} if content_type else {})}
            r = api.request(method, API + path, content=raw, headers=headers)
            assert_error(r, (endpoint, label))
        for body in bodies:
            r = api.request(method, API + path, content=json.dumps(body), headers={
                **auth, "content-type": "application/json"})
            assert_error(r, (endpoint, body if len(json.dumps(body)) < 200 else "long"))
        # and the same refusal without a token is a 401, never a 500
        r = api.request(method, API + path, json=bodies[-1])
        assert_error(r, (endpoint, "no token"), (400, 401))
    assert _counts(seeded) == before


def test_unknown_routes_and_methods_are_json(api: httpx.Client) -> None:
    for method, path, status in (("GET", "/nope", 404), ("GET", "/runs/1/nope", 404),
                                 ("DELETE", "/runs/1", 405), ("PUT", "/agencies", 405),
                                 ("POST", "/runs", 405)):
        r = api.request(method, API + path)
        assert_error(r, (method, path), (status,))
