"""The JSON API's reads against the real server, on SQLite and PostgreSQL: every list
endpoint's filters compared with what the seed wrote (read back through storage.Repository,
not through the API's own queries), pagination that covers every row exactly once, details
that match the database, and the OpenAPI document describing all of it."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import httpx
import pytest
from web_support import Seeded

from benchmarks.campaign_data import PROVINCES
from reports.diff import diff_runs, diff_to_dict
from rules import estimate_score, load_catalog

API = "/api/v1"
RUNS = 2
AGENCIES = 30


def get(api: httpx.Client, path: str, **params: Any) -> Any:
    r = api.get(API + path, params=params)
    assert r.status_code == 200, (path, params, r.text)
    assert r.headers["content-type"].startswith("application/json")
    return r.json()


def walk(api: httpx.Client, path: str, limit: int, **params: Any) -> list[dict[str, Any]]:
    """Every row of a list, following ``next`` from the first page; checks the page
    documents on the way (same total, limit and offset as asked, ids ascending)."""
    first = get(api, path, limit=limit, **params)
    total = first["total"]
    rows = list(first["items"])
    page = first
    offset = 0
    while page["next"] is not None:
        assert page["next"].startswith(API + path)
        offset += limit
        r = api.get(page["next"])
        assert r.status_code == 200, r.text
        page = r.json()
        assert (page["total"], page["limit"], page["offset"]) == (total, limit, offset)
        rows += page["items"]
    assert len(rows) == total
    ids = [row["id"] for row in rows]
    assert ids == sorted(set(ids)), "stable order by id, no row twice"
    if total:
        assert len(page["items"]) == total - offset and page["next"] is None
    return rows


def ids(rows: list[dict[str, Any]]) -> list[int]:
    return [r["id"] for r in rows]


def aware(value: str | None) -> bool:
    return value is not None and datetime.fromisoformat(value).tzinfo is not None


# -- runs ----------------------------------------------------------------------------------


def test_runs_list_filters_and_detail(api: httpx.Client, seeded: Seeded) -> None:
    summaries = {r.id: r for r in seeded.repo.list_runs(limit=100)}
    rows = walk(api, "/runs", 1)
    assert ids(rows) == sorted(seeded.campaign.run_ids) == sorted(summaries)
    for row in rows:
        db = summaries[row["id"]]
        assert row["state"] == db.state == "complete"
        assert row["trigger"] == db.trigger
        assert row["sites"] == {"total": db.site_count, "queued": 0, "running": 0,
                                "complete": db.sites_complete, "failed": db.sites_failed}
        assert row["sites"]["total"] == AGENCIES
        assert aware(row["started_at"]) and aware(row["finished_at"])
        assert datetime.fromisoformat(row["started_at"]) == db.started_at
    assert get(api, "/runs", state="complete")["total"] == RUNS
    assert get(api, "/runs", state="running")["total"] == 0
    assert get(api, "/runs", trigger="schedule")["total"] == RUNS
    assert get(api, "/runs", trigger="cli")["items"] == []
    assert get(api, "/runs", schedule_id=1)["total"] == 0

    run_id = seeded.campaign.run_ids[-1]
    detail = get(api, f"/runs/{run_id}")
    assert detail["id"] == run_id and detail["options"] == {"max_pages": 300}
    assert detail["progress"] == f"{API}/runs/{run_id}/progress"
    progress = get(api, f"/runs/{run_id}/progress")
    p = seeded.repo.run_progress(run_id)
    assert progress == {"run_id": run_id, "state": "complete", "total": p.total, "queued": 0,
                        "running": 0, "complete": p.complete, "failed": p.failed,
                        "done": p.done, "finished": True}


def test_run_diff_is_the_reports_diff(api: httpx.Client, seeded: Seeded) -> None:
    a, b = seeded.campaign.run_ids
    expected = json.loads(json.dumps(diff_to_dict(diff_runs(seeded.repo, a, b), "en")))
    assert get(api, f"/runs/{b}/diff", lang="en") == expected  # default: the previous run
    assert get(api, f"/runs/{b}/diff", against=a, lang="en") == expected
    thai = get(api, f"/runs/{b}/diff")
    assert thai["changed"] == expected["changed"] > 0
    assert thai["summary"].startswith("เทียบการตรวจ")
    r = api.get(f"{API}/runs/{a}/diff")
    assert r.status_code == 404 and r.json()["error"]["code"] == "no_previous_run"
    r = api.get(f"{API}/runs/{b}/diff", params={"against": 2_147_483_647})
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"


# -- site scans ----------------------------------------------------------------------------


def test_site_scan_filters(api: httpx.Client, seeded: Seeded) -> None:
    c = seeded.campaign
    every = walk(api, "/site-scans", 7)
    assert ids(every) == sorted(i for run in c.site_scan_ids for i in run)
    for r, run_id in enumerate(c.run_ids):
        assert ids(walk(api, "/site-scans", 11, run_id=run_id)) == c.site_scan_ids[r]
    agencies = {a.code: a for a in seeded.repo.list_agencies()}
    code = c.agency_codes[5]
    rows = get(api, "/site-scans", agency_code=code)["items"]
    assert ids(rows) == [c.site_scan_ids[0][5], c.site_scan_ids[1][5]]
    assert {r["agency_name"] for r in rows} == {agencies[code].name}
    assert ids(get(api, "/site-scans", agency_id=c.agency_ids[5])["items"]) == ids(rows)
    for province in PROVINCES:
        want = sum(1 for a in agencies.values() if a.province == province) * RUNS
        found = walk(api, "/site-scans", 500, province=province)
        assert len(found) == want and {r["province"] for r in found} == {province}
    # "จังหวัด…" is the same province, as the registry import normalises it
    assert get(api, "/site-scans", province="จังหวัดขอนแก่น")["total"] == \
        get(api, "/site-scans", province="ขอนแก่น")["total"]
    # the 25th agency (index 24) is unreachable in every run
    down = get(api, "/site-scans", status="unreachable")["items"]
    assert ids(down) == [c.site_scan_ids[0][24], c.site_scan_ids[1][24]]
    assert get(api, "/site-scans", status="ok")["total"] == (AGENCIES - 1) * RUNS
    assert get(api, "/site-scans", state="complete")["total"] == AGENCIES * RUNS
    assert get(api, "/site-scans", state="queued")["total"] == 0
    assert get(api, "/site-scans", run_id=c.run_ids[0], agency_code=code)["total"] == 1


def test_site_scan_detail_has_the_score_estimate(api: httpx.Client, seeded: Seeded) -> None:
    run_id = seeded.campaign.run_ids[1]
    catalog = load_catalog("ita-2566")
    for n in (0, 3, 24):
        scan_id = seeded.campaign.site_scan_ids[1][n]
        (report,) = seeded.repo.load_site_reports(run_id, agency_codes=[seeded.campaign.agency_codes[n]])
        detail = get(api, f"/site-scans/{scan_id}")
        assert detail["id"] == report.site_scan_id == scan_id
        assert (detail["seed_url"], detail["final_url"], detail["status"]) == (
            report.seed_url, report.final_url, report.status)
        assert detail["agency_code"] == report.agency_code
        assert detail["pages_fetched"] == report.pages_fetched
        assert detail["catalog_id"] == "ita-2566"
        assert detail["item_counts"] == {
            s: sum(1 for i in report.items if i.status.value == s)
            for s in ("pass", "partial", "fail", "error")
        }
        expected = estimate_score(catalog, report.items).to_dict()
        assert detail["score"] == json.loads(json.dumps(expected))
    down = get(api, f"/site-scans/{seeded.campaign.site_scan_ids[1][24]}")
    assert down["status"] == "unreachable" and down["score"]["oit"] is None
    assert down["item_counts"]["error"] == len(catalog.items)


# -- item results and evidence ---------------------------------------------------------------


def test_item_result_filters(api: httpx.Client, seeded: Seeded) -> None:
    c = seeded.campaign
    run_a, run_b = c.run_ids
    items = len(load_catalog("ita-2566").items)
    assert get(api, "/item-results")["total"] == AGENCIES * RUNS * items
    snapshot = seeded.repo.run_snapshot(run_b)
    rows = walk(api, "/item-results", 500, run_id=run_b)
    got = {(r["site_scan_id"], r["code"]): r["status"] for r in rows}
    want = {(scan, code): i.status for scan, by in snapshot.items.items() for code, i in by.items()}
    assert got == want and len(got) == AGENCIES * items
    o28 = walk(api, "/item-results", 9, run_id=run_b, code="o28")
    assert {r["code"] for r in o28} == {"O28"} and len(o28) == AGENCIES
    fails = walk(api, "/item-results", 500, run_id=run_b, code="O28", status="fail")
    assert {(r["site_scan_id"], "O28") for r in fails} == {
        k for k, v in want.items() if k[1] == "O28" and v == "fail"}
    scan = c.site_scan_ids[0][2]
    mine = walk(api, "/item-results", 10, site_scan_id=scan)
    assert len(mine) == items and {r["run_id"] for r in mine} == {run_a}
    by_code = walk(api, "/item-results", 500, agency_code=c.agency_codes[2], code="O1")
    assert [r["site_scan_id"] for r in by_code] == [c.site_scan_ids[0][2], c.site_scan_ids[1][2]]
    province = "ลำปาง"
    in_province = {a.id for a in seeded.repo.list_agencies(province=province)}
    lampang = walk(api, "/item-results", 500, run_id=run_a, province=province, code="O2")
    assert {r["agency_id"] for r in lampang} == in_province and len(lampang) == len(in_province)


def test_item_result_detail_has_reasons_and_evidence(api: httpx.Client, seeded: Seeded) -> None:
    c = seeded.campaign
    run_id = c.run_ids[0]
    (report,) = seeded.repo.load_site_reports(run_id, agency_codes=[c.agency_codes[0]])
    listing = {r["code"]: r for r in walk(api, "/item-results", 50,
                                          site_scan_id=report.site_scan_id)}
    with_evidence = 0
    for item in report.items:
        detail = get(api, f"/item-results/{listing[item.code]['id']}")
        assert (detail["code"], detail["status"], detail["title_en"]) == (
            item.code, item.status.value, item.title_en)
        assert detail["reasons"] == [{"th": r.th, "en": r.en} for r in item.reasons]
        assert [(e["rank"], e["url"], e["sha256"], e["meets_requirements"], e["click_path"])
                for e in detail["evidence"]] == [
            (n, e.url, e.sha256, e.meets_requirements, e.click_path)
            for n, e in enumerate(item.evidence)]
        with_evidence += bool(item.evidence)
    assert with_evidence > 0
    # the hostile reason is returned as the text it is
    first = get(api, f"/item-results/{listing[report.items[0].code]['id']}")
    assert {"th": "<script>alert('title')</script>",
            "en": '"><img src=x onerror=alert(1)>'} in first["reasons"]


def test_evidence_filters_and_detail(api: httpx.Client, seeded: Seeded) -> None:
    c = seeded.campaign
    run_id = c.run_ids[1]
    db = [e for e in seeded.repo.evidence_for(run_id) if e.url is not None]
    rows = walk(api, "/evidence", 500, run_id=run_id)
    assert sorted((r["site_scan_id"], r["item_code"], r["rank"], r["url"], r["sha256"])
                  for r in rows) == sorted(
        (e.site_scan_id, e.item_code, e.rank, e.url, e.sha256) for e in db)
    total = get(api, "/evidence")["total"]
    assert total == len(rows) + sum(
        1 for e in seeded.repo.evidence_for(c.run_ids[0]) if e.url is not None)
    o5 = walk(api, "/evidence", 5, run_id=run_id, code="o5")
    want_o5 = sorted((e.site_scan_id, e.rank) for e in db if e.item_code == "O5")
    assert want_o5 and sorted((r["site_scan_id"], r["rank"]) for r in o5) == want_o5
    scan = c.site_scan_ids[1][1]
    assert {r["site_scan_id"] for r in walk(api, "/evidence", 50, site_scan_id=scan)} == {scan}
    code = c.agency_codes[1]
    assert len(walk(api, "/evidence", 50, agency_code=code, run_id=run_id)) == sum(
        1 for e in db if e.agency_code == code)

    by_key = {(e.site_scan_id, e.item_code, e.rank): e for e in db}
    for row in rows[:25]:
        detail = get(api, f"/evidence/{row['id']}")
        assert detail == row  # the list carries the whole record
        e = by_key[(row["site_scan_id"], row["item_code"], row["rank"])]
        assert detail["http_status"] == e.http_status == 200
        assert datetime.fromisoformat(detail["fetched_at"]) == e.fetched_at
        assert detail["click_path"] == e.click_path and detail["kind"] == e.kind
        assert detail["archived_url"] == f"/evidence/{row['id']}/archived"
        assert detail["screenshot_url"] is None and detail["warc_file"] is None
        assert len(detail["click_path_urls"]) == len(detail["click_path"])
    documents = [r for r in rows if r["kind"] == "document"]
    assert documents and all(r["document_pages"] == [1] for r in documents)


# -- agencies and schedules ------------------------------------------------------------------


def test_agency_filters_and_detail(api: httpx.Client, seeded: Seeded) -> None:
    db = seeded.repo.list_agencies()
    rows = walk(api, "/agencies", 4)
    assert ids(rows) == sorted(a.id for a in db)
    by_id = {a.id: a for a in db}
    for row in rows:
        a = by_id[row["id"]]
        assert row == {"id": a.id, "code": a.code, "name": a.name, "type": a.type,
                       "province": a.province, "district": a.district,
                       "homepage": a.homepage, "catalog": a.catalog}
        assert get(api, f"/agencies/{a.id}") == row
    for field, value in (("province", "สงขลา"), ("district", "บ้านไผ่"), ("type", "อบต.")):
        want = sorted(a.id for a in db if getattr(a, field) == value)
        assert want and ids(walk(api, "/agencies", 500, **{field: value})) == want
    assert get(api, "/agencies", province="จ. สงขลา")["total"] == sum(
        1 for a in db if a.province == "สงขลา")
    assert get(api, "/agencies", district="อำเภอบ้านไผ่")["total"] == sum(
        1 for a in db if a.district == "บ้านไผ่")
    assert ids(get(api, "/agencies", q="ดอนมะเฟือง")["items"]) == sorted(
        a.id for a in db if "ดอนมะเฟือง" in a.name)
    hostile = [a.id for a in db if a.code == "G00000"]
    assert ids(get(api, "/agencies", q="<SCRIPT>")["items"]) == hostile  # any case
    assert get(api, "/agencies", q="%")["total"] == 0  # a character, not a wildcard
    assert get(api, "/agencies", q="_")["total"] == 0
    assert ids(get(api, "/agencies", code="G00007")["items"]) == [
        a.id for a in db if a.code == "G00007"]
    assert get(api, "/agencies", province="ขอนแก่น", type="อบต.")["total"] == sum(
        1 for a in db if a.province == "ขอนแก่น" and a.type == "อบต.")


def test_schedules_list_is_paginated_even_when_empty(api: httpx.Client) -> None:
    assert get(api, "/schedules") == {"items": [], "total": 0, "limit": 50, "offset": 0,
                                      "next": None}


# -- pages, ids, errors, the document ----------------------------------------------------------


def test_pages_past_the_end_and_totals(api: httpx.Client, seeded: Seeded) -> None:
    for path in ("/runs", "/site-scans", "/item-results", "/evidence", "/agencies",
                 "/schedules"):
        whole = get(api, path, limit=1)
        far = get(api, path, offset=10_000_000, limit=500)
        assert far["items"] == [] and far["next"] is None and far["total"] == whole["total"]
        assert far["offset"] == 10_000_000 and far["limit"] == 500
        default = get(api, path)
        assert default["limit"] == 50 and default["offset"] == 0
        assert len(default["items"]) == min(50, whole["total"])


def test_unknown_ids_are_404_json(api: httpx.Client) -> None:
    for path in ("/runs/{}", "/runs/{}/progress", "/runs/{}/diff", "/site-scans/{}",
                 "/item-results/{}", "/evidence/{}", "/agencies/{}", "/schedules/{}"):
        r = api.get(API + path.format(2_147_483_647))
        assert r.status_code == 404, (path, r.text)
        error = r.json()["error"]
        assert error["code"] == "not_found" and "2147483647" in error["message"]
        assert "2147483647" in error["message_th"] and error["details"] == []


def test_openapi_describes_every_endpoint(api: httpx.Client) -> None:
    doc = get(api, "/openapi.json")
    paths = doc["paths"]
    expected = {
        "/api/v1/runs": {"get"}, "/api/v1/runs/{run_id}": {"get"},
        "/api/v1/runs/{run_id}/progress": {"get"}, "/api/v1/runs/{run_id}/diff": {"get"},
        "/api/v1/site-scans": {"get"}, "/api/v1/site-scans/{site_scan_id}": {"get"},
        "/api/v1/item-results": {"get"}, "/api/v1/item-results/{item_result_id}": {"get"},
        "/api/v1/evidence": {"get"}, "/api/v1/evidence/{evidence_id}": {"get"},
        "/api/v1/agencies": {"get", "post"}, "/api/v1/agencies/{agency_id}": {"get"},
        "/api/v1/schedules": {"get", "post"},
        "/api/v1/schedules/{schedule_id}": {"get", "patch"}, "/api/v1/scans": {"post"},
    }
    assert {p: set(ops) for p, ops in paths.items() if p.startswith("/api/v1")} == expected
    error_ref = "#/components/schemas/ErrorResponse"
    assert set(doc["components"]["schemas"]["ErrorResponse"]["properties"]) == {"error"}
    for path, ops in expected.items():
        for method in ops:
            op = paths[path][method]
            responses = op["responses"]
            assert "422" not in responses, f"{method} {path} documents a 422 it never sends"
            for status in ("400", "401"):
                schema = responses[status]["content"]["application/json"]["schema"]
                assert schema["$ref"] == error_ref, (method, path, status)
            if "{" in path or method != "get":
                assert "404" in responses, (method, path)
            ok = next(s for s in responses if s.startswith("2"))
            assert "$ref" in responses[ok]["content"]["application/json"]["schema"]
            params = {p["name"]: p for p in op.get("parameters", [])}
            for name, p in params.items():
                schema = p["schema"]
                options = schema.get("anyOf", [schema])
                ints = [o for o in options if o.get("type") == "integer"]
                for o in ints:
                    assert o.get("maximum") is not None, (path, name)
                for o in (o for o in options if o.get("type") == "string"):
                    assert o.get("maxLength") or o.get("enum") or "$ref" in o, (path, name)
            if method == "get" and "{" not in path:
                assert {"limit", "offset"} <= set(params), path
                assert params["limit"]["schema"]["maximum"] == 500
            if method in ("post", "patch"):
                assert op["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    filters = {p["name"] for p in paths["/api/v1/item-results"]["get"]["parameters"]}
    assert filters == {"run_id", "site_scan_id", "code", "status", "province", "agency_code",
                       "limit", "offset"}
    schemas = doc["components"]["schemas"]
    assert schemas["ItemStatus"]["enum"] == ["pass", "partial", "fail", "error"]
    assert set(schemas["RunState"]["enum"]) == {"running", "complete", "interrupted"}


@pytest.mark.parametrize("path", ["/runs", "/site-scans", "/item-results", "/evidence",
                                  "/agencies", "/schedules"])
def test_every_datetime_has_a_zone(api: httpx.Client, path: str) -> None:
    for row in get(api, path, limit=20)["items"]:
        for key, value in row.items():
            if key.endswith("_at") and value is not None:
                assert aware(value), (path, key, value)
