"""`oitwatch history AGENCY`: each item's status over the stored runs."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from typer.testing import CliRunner

from crawler._models import SiteStatus
from oitwatch.cli import app
from storage import Database, Repository

from .conftest import Site, all_error, ev, item, store_run


def _three_runs(repo: Repository) -> tuple[int, list[int]]:
    agency = repo.upsert_agency(code="6400101", name="อบต.ทดสอบ", homepage="https://t1.go.th/")
    other = repo.upsert_agency(code="6400102", name="อบต.อื่น", homepage="https://t2.go.th/")
    url = "https://t1.go.th/"
    runs = [
        store_run(repo, [
            Site(url, [item("O1", "pass", ev(f"{url}o1")), item("O28", "fail")], agency_id=agency),
            Site("https://t2.go.th/", [item("O1", "fail")], agency_id=other),
        ]),
        store_run(repo, [Site(url, all_error(["O1", "O28"]), agency_id=agency,
                              status=SiteStatus.UNREACHABLE)], day=1),
        store_run(repo, [Site("https://t2.go.th/", [item("O1", "pass")], agency_id=other)], day=2),
        store_run(repo, [Site(url, [item("O1", "pass", ev(f"{url}o1-new")),
                                    item("O28", "partial", ev(f"{url}o28"))], agency_id=agency)],
                  day=3),
    ]
    return agency, runs


def test_site_history(repo: Repository) -> None:
    agency, runs = _three_runs(repo)
    entries = repo.site_history(agency_id=agency)
    assert [e.run.id for e in entries] == [runs[0], runs[1], runs[3]]  # runs without it skipped
    assert [e.site.status for e in entries] == ["ok", "unreachable", "ok"]
    assert [e.items["O28"].status for e in entries] == ["fail", "error", "partial"]
    assert entries[2].items["O1"].best_url == "https://t1.go.th/o1-new"

    newest = repo.site_history(agency_id=agency, limit=2, item_code="o28")
    assert [e.run.id for e in newest] == [runs[1], runs[3]]
    assert all(list(e.items) == ["O28"] for e in newest)

    by_url = repo.site_history(seed_urls=["https://t1.go.th/"])
    assert [e.run.id for e in by_url] == [runs[0], runs[1], runs[3]]


def test_cli_history(sqlite_url: str, tmp_path: Path) -> None:
    repo = Repository(Database(sqlite_url))
    _, runs = _three_runs(repo)
    runner = CliRunner()
    target = tmp_path / "history.txt"
    result = runner.invoke(app, ["history", "6400101", "--db", sqlite_url, "-o", str(target)])
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")
    assert "ผลการตรวจย้อนหลัง: 6400101 อบต.ทดสอบ" in text
    assert "2569" in text and "เข้าเว็บไซต์ไม่ได้" in text and "ไม่ครบ" in text

    result = runner.invoke(app, ["history", "6400101", "--item", "O28", "--format", "json",
                                 "--db", sqlite_url])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert [r["id"] for r in doc["runs"]] == [runs[0], runs[1], runs[3]]
    assert [r["site_status"] for r in doc["runs"]] == ["ok", "unreachable", "ok"]
    assert doc["items"] == [{"code": "O28", "title": "รายการ O28",
                             "statuses": ["fail", "error", "partial"],
                             "best_urls": [None, None, "https://t1.go.th/o28"]}]

    result = runner.invoke(app, ["history", "http://www.t1.go.th", "--format", "csv",
                                 "--limit", "2", "--lang", "en", "--db", sqlite_url])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.output)))
    assert rows[0][:2] == ["code", "title"] and len(rows[0]) == 4
    assert rows[1][1:] == ["site status", "unreachable", "ok"]
    assert rows[2] == ["O1", "item O1", "error", "pass"]

    unknown = runner.invoke(app, ["history", "9999999", "--db", sqlite_url])
    assert unknown.exit_code == 2
    no_item = runner.invoke(app, ["history", "6400101", "--item", "O99", "--db", sqlite_url])
    assert no_item.exit_code == 2
