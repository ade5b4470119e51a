"""The `oitwatch` command as a user runs it: exit codes, messages, output formats."""

from __future__ import annotations

import csv
import io
import json
import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner

from oitwatch.cli import app
from oitwatch.sampleserver import SampleServer

runner = CliRunner()


@pytest.fixture(scope="module")
def server():
    with SampleServer() as s:
        yield s


@pytest.fixture()
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cli.sqlite3'}"


def _site(server: SampleServer, name: str) -> str:
    return next(s.url for s in server.sites if s.name == name)


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_scan_json_has_the_published_shape(server, db) -> None:
    url = _site(server, "compliant")
    result = runner.invoke(app, ["scan", url, "--format", "json", "--db", db, "--delay", "0", "--no-screenshots"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["tool"]["name"] == "oitwatch" and doc["tool"]["version"]
    from rules import default_catalog

    # no --catalog: the newest complete catalog
    assert doc["catalog"]["id"] == default_catalog() == "ita-2567"
    assert doc["catalog"]["fiscal_year"] == 2567
    (site,) = doc["sites"]
    for key in ("seed_url", "final_url", "status", "reason", "pages_fetched", "started_at",
                "finished_at", "items"):
        assert key in site
    assert site["status"] == "ok" and site["pages_fetched"] > 0
    codes = [item["code"] for item in site["items"]]
    assert {"O1", "O10", "O18", "O28", "O43"} <= set(codes)
    for item in site["items"]:
        assert item["status"] in ("pass", "partial", "fail", "error")
        assert set(item) >= {"code", "title", "status", "evidence", "reasons"}
        for ev in item["evidence"]:
            assert set(ev) >= {"url", "click_path", "kind", "matched", "sha256"}
            assert ev["kind"] in ("page", "document", "image", "external")


def test_scan_table_is_thai_by_default_and_english_on_request(server, db) -> None:
    url = _site(server, "compliant")
    th = runner.invoke(app, ["scan", url, "--db", db, "--delay", "0", "--no-screenshots"])
    assert th.exit_code == 0, th.output
    assert "ผ่าน" in th.stdout and "โครงสร้าง" in th.stdout
    en = runner.invoke(app, ["scan", url, "--db", db, "--delay", "0", "--no-screenshots", "--lang", "en"])
    assert en.exit_code == 0, en.output
    assert "pass" in en.stdout and "Site status" in en.stdout


def test_scan_csv_to_file_has_bom_for_excel(server, db, tmp_path: Path) -> None:
    out = tmp_path / "report.csv"
    url = _site(server, "compliant")
    result = runner.invoke(
        app, ["scan", url, "--db", db, "--delay", "0", "--no-screenshots", "--format", "csv", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][3] == "ข้อ" and len(rows) > 5


@pytest.mark.parametrize("bad", ["ftp://abc.go.th", "http://", "not a url", "http://abc.go.th:99999"])
def test_bad_url_is_a_clear_usage_error(bad: str, db) -> None:
    result = runner.invoke(app, ["scan", bad, "--db", db])
    assert result.exit_code == 2
    assert repr(bad) in result.output or bad in result.output
    assert "Traceback" not in result.output


def test_unreachable_site_still_exits_zero_with_reason(db) -> None:
    url = f"http://127.0.0.1:{_closed_port()}/"
    result = runner.invoke(app, ["scan", url, "--format", "json", "--db", db])
    assert result.exit_code == 0, result.output
    (site,) = json.loads(result.stdout)["sites"]
    assert site["status"] == "unreachable"
    assert site["reason"]
    assert all(item["status"] == "error" for item in site["items"])


def test_runs_list_and_show_read_the_stored_scan(server, db) -> None:
    url = _site(server, "compliant")
    scan = runner.invoke(app, ["scan", url, "--format", "json", "--db", db, "--delay", "0", "--no-screenshots"])
    run_id = json.loads(scan.stdout)["run_id"]
    listing = runner.invoke(app, ["runs", "list", "--db", db])
    assert listing.exit_code == 0 and str(run_id) in listing.stdout
    shown = runner.invoke(app, ["runs", "show", str(run_id), "--format", "json", "--db", db])
    assert shown.exit_code == 0, shown.output
    live, stored = json.loads(scan.stdout)["sites"][0], json.loads(shown.stdout)["sites"][0]
    assert [(i["code"], i["status"]) for i in live["items"]] == [
        (i["code"], i["status"]) for i in stored["items"]
    ]
    missing = runner.invoke(app, ["runs", "show", "99999", "--db", db])
    assert missing.exit_code == 2 and "99999" in missing.output


def test_unknown_catalog_is_a_clear_error(db) -> None:
    result = runner.invoke(app, ["scan", "http://127.0.0.1:1/", "--catalog", "ita-1999", "--db", db])
    assert result.exit_code == 1
    assert "ita-1999" in result.output and "Traceback" not in result.output


def test_unreachable_database_is_a_clear_error() -> None:
    bad_db = "postgresql://nobody@127.0.0.1:1/nothing"
    result = runner.invoke(app, ["runs", "list", "--db", bad_db])
    assert result.exit_code == 1
    assert "127.0.0.1:1" in result.output and "Traceback" not in result.output


def test_rules_validate_bundled_catalogs() -> None:
    result = runner.invoke(app, ["rules", "validate"])
    assert result.exit_code == 0, result.output
    assert "ita-2566" in result.output


def test_rules_validate_names_the_broken_file(tmp_path: Path) -> None:
    from rules import catalog_dir

    broken = tmp_path / "ita-2566"
    broken.mkdir()
    for f in catalog_dir("ita-2566").iterdir():
        if f.is_file():  # not the fixtures/ folder
            (broken / f.name).write_bytes(f.read_bytes())
    o18 = broken / "o18.yaml"
    o18.write_text(o18.read_text(encoding="utf-8").replace("find:", "fnd:", 1), encoding="utf-8")
    result = runner.invoke(app, ["rules", "validate", str(broken)])
    assert result.exit_code == 1
    assert "o18.yaml" in result.output and "fnd" in result.output
    assert "Traceback" not in result.output


def test_demo_scans_every_sample_site(db) -> None:
    result = runner.invoke(app, ["demo", "--db", db, "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert len(doc["sites"]) >= 4
    assert all(site["agency"]["name"] for site in doc["sites"])
