"""`runs diff`: every kind of change between two stored runs, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from crawler._models import SiteStatus
from oitwatch.cli import app
from reports.diff import ChangeKind, RunDiff, diff_runs, render_diff_csv, render_diff_json
from storage import NotFoundError, Repository

from .conftest import Site, all_error, ev, item, store_run

H = "https://www.ban-a.go.th"


def _registry(repo: Repository) -> dict[str, int]:
    ids = {}
    for code, province in [
        ("6400101", "ขอนแก่น"),
        ("6400102", "ขอนแก่น"),
        ("6400103", "ขอนแก่น"),
        ("6400104", "ขอนแก่น"),
        ("6400105", "อุดรธานี"),
    ]:
        ids[code] = repo.upsert_agency(
            code=code,
            name=f"อบต.ทดสอบ {code[-1]}",
            homepage=f"https://www.t{code}.go.th/",
            province=province,
        )
    return ids


def _two_runs(repo: Repository) -> tuple[int, int, dict[str, int]]:
    ids = _registry(repo)
    a1 = ids["6400101"]

    def main_site(items: list) -> Site:
        return Site("https://www.t6400101.go.th/", items, agency_id=a1)

    run_a = store_run(
        repo,
        [
            main_site([
                item("O1", "pass", ev(f"{H}/o1", "1" * 64)),
                item("O2", "fail", ev(f"{H}/o2-lookalike", "2" * 64, meets=False)),
                item("O3", "partial", ev(f"{H}/o3", "3" * 64, meets=False)),
                item("O4", "pass", ev(f"{H}/o4", "4" * 64)),
                item("O5", "pass", ev(f"{H}/o5-old", "5" * 64)),
                item("O6", "pass", ev(f"{H}/o6", "6" * 64)),
                item("O7", "fail", ev(f"{H}/o7-a", "7" * 64, meets=False)),
                # the best evidence of a pass is the first that meets the requirements
                item("O8", "pass", ev(f"{H}/o8-reject", "a" * 64, meets=False),
                     ev(f"{H}/o8", "8" * 64)),
                item("O9", "pass", ev(f"{H}/o9", "9" * 64)),
            ]),
            Site("https://www.t6400102.go.th/", [item("O1", "pass", ev(f"{H}/x"))],
                 agency_id=ids["6400102"]),
            Site("https://www.t6400103.go.th/", [item("O1", "fail")], agency_id=ids["6400103"]),
            Site("https://www.t6400105.go.th/", [item("O1", "pass", ev(f"{H}/y"))],
                 agency_id=ids["6400105"]),
            # not in the registry: matched by home page, whatever http/https/www say
            Site("http://www.plain.go.th/", [item("O1", "partial", ev("http://www.plain.go.th/o1"))]),
        ],
    )
    run_b = store_run(
        repo,
        [
            main_site([
                item("O1", "fail"),
                item("O2", "pass", ev(f"{H}/o2", "2" * 64)),
                item("O3", "fail", ev(f"{H}/o3", "3" * 64, meets=False)),
                item("O4", "pass", ev(f"{H}/o4", "f" * 64)),  # same URL, edited page
                item("O5", "pass", ev(f"{H}/o5-new", "5" * 64)),
                item("O6", "pass", ev(f"{H}/o6", "6" * 64)),
                item("O7", "fail", ev(f"{H}/o7-b", "b" * 64, meets=False)),  # noise: not listed
                item("O8", "pass", ev(f"{H}/o8-reject", "c" * 64, meets=False),
                     ev(f"{H}/o8", "8" * 64)),
                item("O9", "error", reasons=[("อ่านไม่ได้", "unreadable")]),
            ]),
            Site("https://www.t6400102.go.th/", all_error(["O1", "O2"]),
                 agency_id=ids["6400102"], status=SiteStatus.UNREACHABLE),
            Site("https://www.t6400104.go.th/", [item("O1", "pass", ev(f"{H}/z"))],
                 agency_id=ids["6400104"]),
            Site("https://www.t6400105.go.th/", failed=True, agency_id=ids["6400105"]),
            Site("https://plain.go.th", [item("O1", "pass", ev("https://plain.go.th/o1"))]),
        ],
        day=1,
    )
    return run_a, run_b, ids


def _by_seed(diff: RunDiff) -> dict[str, list[tuple]]:
    return {
        a.agency_code or a.seed_url: [
            (c.kind.value, c.item_code, c.before, c.after) for c in a.changes
        ]
        for a in diff.agencies
    }


def test_every_kind_of_change(repo: Repository) -> None:
    run_a, run_b, ids = _two_runs(repo)
    diff = diff_runs(repo, run_a, run_b)
    changes = _by_seed(diff)
    assert changes["6400101"] == [
        ("lost", "O1", "pass", "fail"),
        ("fixed", "O2", "fail", "pass"),
        ("status", "O3", "partial", "fail"),
        ("evidence_content", "O4", "pass", "pass"),
        ("evidence_url", "O5", "pass", "pass"),
        ("status", "O9", "pass", "error"),
    ]
    # a site that went down: one line, not a line per item
    assert changes["6400102"] == [("site_status", None, "ok", "unreachable")]
    assert changes["6400103"] == [("only_in_a", None, "ok", None)]
    assert changes["6400104"] == [("only_in_b", None, None, "ok")]
    assert changes["6400105"] == [("site_status", None, "ok", "failed")]
    assert changes["https://plain.go.th"] == [("fixed", "O1", "partial", "pass")]
    assert diff.compared == 4  # 6400101, 6400102, 6400105 and the unregistered site
    assert diff.went_down == 2
    assert diff.counts() == {
        "site_status": 2, "lost": 1, "fixed": 2, "status": 2, "evidence_url": 1,
        "evidence_content": 1, "only_in_a": 1, "only_in_b": 1,
    }

    main = next(a for a in diff.agencies if a.agency_code == "6400101")
    assert main.agency_id == ids["6400101"] and main.province == "ขอนแก่น"
    content = next(c for c in main.changes if c.kind is ChangeKind.EVIDENCE_CONTENT)
    assert (content.url_before, content.url_after) == (f"{H}/o4", f"{H}/o4")
    assert (content.sha256_before, content.sha256_after) == ("4" * 64, "f" * 64)
    moved = next(c for c in main.changes if c.kind is ChangeKind.EVIDENCE_URL)
    assert (moved.url_before, moved.url_after) == (f"{H}/o5-old", f"{H}/o5-new")
    lost = main.changes[0]
    assert (lost.url_before, lost.url_after) == (f"{H}/o1", None)


def test_no_change_between_a_run_and_itself(repo: Repository) -> None:
    run_a, _, _ = _two_runs(repo)
    diff = diff_runs(repo, run_a, run_a)
    assert diff.agencies == [] and diff.compared == 5


def test_filters_by_agency_and_province(repo: Repository) -> None:
    run_a, run_b, _ = _two_runs(repo)
    only = diff_runs(repo, run_a, run_b, agency_codes=["6400102", "6400104"])
    assert sorted(_by_seed(only)) == ["6400102", "6400104"]
    udon = diff_runs(repo, run_a, run_b, province="อุดรธานี")
    assert list(_by_seed(udon)) == ["6400105"] and udon.compared == 1
    plain = diff_runs(repo, run_a, run_b, seed_urls=["http://www.plain.go.th/", "https://plain.go.th"])
    assert list(_by_seed(plain)) == ["https://plain.go.th"]


def test_unknown_run(repo: Repository) -> None:
    with pytest.raises(NotFoundError):
        diff_runs(repo, 1, 999)


def test_json_and_csv_thai_first(repo: Repository) -> None:
    run_a, run_b, _ = _two_runs(repo)
    diff = diff_runs(repo, run_a, run_b, agency_codes=["6400101"])
    doc = json.loads(render_diff_json(diff))
    assert doc["run_a"]["id"] == run_a and doc["counts"]["lost"] == 1
    first = doc["agencies"][0]["changes"][0]
    assert first["kind"] == "lost" and first["label"] == "ไม่ผ่านแล้ว (เคยผ่าน)"
    assert first["title"] == "รายการ O1"
    en = json.loads(render_diff_json(diff, "en"))
    assert en["agencies"][0]["changes"][0]["label"] == "lost (was pass)"
    rows = list(csv.reader(io.StringIO(render_diff_csv(diff))))
    assert rows[0][:5] == ["รหัส", "หน่วยงาน", "จังหวัด", "เว็บไซต์", "การเปลี่ยนแปลง"]
    assert rows[1][4:9] == ["ไม่ผ่านแล้ว (เคยผ่าน)", "O1", "รายการ O1", "ผ่าน", "ไม่พบ"]
    assert len(rows) == 1 + 6


def test_cli_runs_diff(sqlite_url: str, tmp_path: Path) -> None:
    from storage import Database

    repo = Repository(Database(sqlite_url))
    run_a, run_b, _ = _two_runs(repo)
    runner = CliRunner()
    target = tmp_path / "diff.txt"
    table = runner.invoke(
        app, ["runs", "diff", str(run_a), str(run_b), "--db", sqlite_url, "-o", str(target)]
    )
    assert table.exit_code == 0, table.output
    text = target.read_text(encoding="utf-8")
    assert "ไม่ผ่านแล้ว (เคยผ่าน)" in text and "เข้าเว็บไซต์ไม่ได้" in text
    assert "https://www.ban-a.go.th/o5-new" in text
    assert "2569" in text  # Buddhist-era dates
    en = runner.invoke(
        app, ["runs", "diff", str(run_a), str(run_b), "--db", sqlite_url, "--lang", "en",
              "--agency", "6400102", "--format", "json"],
    )
    assert en.exit_code == 0, en.output
    doc = json.loads(en.output)
    assert [c["label"] for a in doc["agencies"] for c in a["changes"]] == ["site status changed"]
    # a registered agency's URL selects the agency
    by_url = runner.invoke(
        app, ["runs", "diff", str(run_a), str(run_b), "--db", sqlite_url, "--format", "csv",
              "--agency", "https://t6400103.go.th"],
    )
    assert by_url.exit_code == 0, by_url.output
    assert "6400103" in by_url.output and "6400101" not in by_url.output
    missing = runner.invoke(app, ["runs", "diff", str(run_a), "999", "--db", sqlite_url])
    assert missing.exit_code == 2
