"""`db prune`: old runs and archives go; the last run of every agency, running runs and
everything an exported evidence package holds stay. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete, select, update
from typer.testing import CliRunner

from crawler._models import SiteCrawl, SiteStatus
from oitwatch.cli import app
from storage import Repository, StorageError
from storage.models import ArchiveRow, EvidenceExport, ScanRun

A, B = "https://a.example.go.th/", "https://b.example.go.th/"


def _run(repo: Repository, tmp_path: Path, sites: list[str], *, finish: bool = True) -> int:
    """A run scanning ``sites``, each with a WARC file (a few bytes standing in for one)."""
    run_id = repo.start_run("ita-2566", 2566, "test")
    for url in sites:
        agency = repo.find_agency_by_homepage(url)
        scan_id = repo.start_site_scan(run_id, url, agency.id if agency else None)
        now = datetime.now(UTC)
        repo.finish_site_scan(scan_id, SiteCrawl(url, url, SiteStatus.OK, "ok", now, now), [])
        warc = tmp_path / f"run-{run_id}" / f"{scan_id}.warc.gz"
        warc.parent.mkdir(parents=True, exist_ok=True)
        warc.write_bytes(b"warc" * 10)
        repo.record_archive(scan_id, path=str(warc), size=40, sha256="0" * 64, records=3)
    if finish:
        repo.finish_run(run_id)
    return run_id


def _runs(repo: Repository) -> list[int]:
    with repo.db.session() as s:
        return list(s.scalars(select(ScanRun.id).order_by(ScanRun.id)))


@pytest.fixture
def history(repo: Repository, tmp_path: Path) -> list[int]:
    """Agency A in runs 1-4, agency B only in run 1, a site without agency in run 2."""
    repo.upsert_agency(name="อบต.ก", homepage=A, code="a")
    repo.upsert_agency(name="อบต.ข", homepage=B, code="b")
    return [
        _run(repo, tmp_path, [A, B]),
        _run(repo, tmp_path, [A, "https://no-agency.example.go.th/"]),
        _run(repo, tmp_path, [A]),
        _run(repo, tmp_path, [A]),
    ]


def test_keep_runs_never_deletes_the_last_run_of_an_agency(
    repo: Repository, history: list[int]
) -> None:
    r1, r2, r3, r4 = history
    dry = repo.prune(keep_runs=1, dry_run=True)
    assert dry.deleted_runs == [r3] and _runs(repo) == history  # dry run: nothing changed
    result = repo.prune(keep_runs=1)
    # r1 is B's last run, r2 the unregistered site's (by seed URL), r4 A's and the newest
    assert result.deleted_runs == [r3]
    assert _runs(repo) == [r1, r2, r4]
    assert set(result.kept_last_of_agency) >= {r1, r2, r4}
    assert result.files and all(f"run-{r3}" in f for f in result.files)
    assert repo.archives_of_run(r1) and repo.load_run(r3) is None


def test_exported_runs_and_running_runs_are_kept(
    repo: Repository, history: list[int], tmp_path: Path
) -> None:
    r1, r2, r3, r4 = history
    scan = repo.load_run(r3).sites[0].site_scan_id
    repo.record_export(r3, str(tmp_path / "package"), [scan])
    result = repo.prune(keep_runs=1)
    assert result.deleted_runs == [] and r3 in result.kept_exported
    assert _runs(repo) == [r1, r2, r3, r4]
    # a run still running (or whose process died unnoticed) is not pruned either
    with repo.db.session() as s, s.begin():
        s.execute(update(ScanRun).where(ScanRun.id == r3).values(state="running"))
    with repo.db.session() as s, s.begin():
        s.execute(delete(EvidenceExport))
    assert repo.prune(keep_runs=1).deleted_runs == []
    with repo.db.session() as s, s.begin():
        s.execute(update(ScanRun).where(ScanRun.id == r3).values(state="complete"))
    repo.record_export(r3, str(tmp_path / "package"), [scan])
    # and the database itself refuses to delete an exported scan's run
    with pytest.raises(Exception), repo.db.session() as s, s.begin():  # noqa: B017
        s.execute(delete(ScanRun).where(ScanRun.id == r3))
    assert r3 in _runs(repo)


def test_keep_archives_days(repo: Repository, history: list[int], tmp_path: Path) -> None:
    r1, r2, r3, _ = history
    r3_scan = repo.load_run(r3).sites[0].site_scan_id
    r2_scans = [s.site_scan_id for s in repo.load_run(r2).sites]
    repo.record_export(r2, str(tmp_path / "p"), r2_scans[:1])  # A's scan in r2 is exported
    later = datetime.now(UTC) + timedelta(days=31)
    assert repo.prune(keep_archives_days=60, now=later).files == []  # not old enough
    result = repo.prune(keep_archives_days=30, now=later)
    # r1: B's last run; r2: exported (and the unregistered site's last); r4: A's last.
    # Only r3's archive is old and unprotected.
    assert [Path(f).parent.name for f in result.files] == [f"run-{r3}"]
    assert result.deleted_runs == []
    pruned = {a.site_scan_id: a for a in repo.archives_of_run(r3)}
    assert pruned[r3_scan].pruned_at is not None  # the row says when the file went
    assert all(a.pruned_at is None for a in repo.archives_of_run(r1))
    assert repo.prune(keep_archives_days=30, now=later).files == []  # once only


def test_cli_prune_deletes_the_files(db_url: str, repo: Repository, history: list[int]) -> None:
    r1, _, r3, _ = history
    (archive,) = repo.archives_of_run(r3)
    runner = CliRunner()
    dry = runner.invoke(app, ["db", "prune", "--keep-runs", "1", "--dry-run", "--db", db_url])
    assert dry.exit_code == 0, dry.output
    assert "จะลบการตรวจ 1 ครั้ง" in dry.output and Path(archive.path).exists()
    done = runner.invoke(app, ["db", "prune", "--keep-runs", "1", "--db", db_url])
    assert done.exit_code == 0, done.output
    assert "deleted 1 run(s) (3)" in done.output.replace("\n", " ")
    assert not Path(archive.path).exists()
    assert all(Path(a.path).exists() for a in repo.archives_of_run(r1))
    nothing = runner.invoke(app, ["db", "prune", "--db", db_url])
    assert nothing.exit_code == 2


def test_record_archive_replaces_the_row_of_a_retried_scan(
    repo: Repository, history: list[int], tmp_path: Path
) -> None:
    scan = repo.load_run(history[0]).sites[0].site_scan_id
    repo.record_archive(scan, path=str(tmp_path / "retry.warc.gz"), size=1, sha256="1" * 64,
                        records=1, capped=True, notes=["cap"])
    with repo.db.session() as s:
        rows = s.scalars(select(ArchiveRow).where(ArchiveRow.site_scan_id == scan)).all()
        assert len(rows) == 1 and rows[0].capped and rows[0].notes == ["cap"]
    with pytest.raises(StorageError):
        repo.record_archive(99999, path="x", size=0, sha256="", records=0)


def _shot_run(repo: Repository, url: str, shots: list[str], qr_from: str = "") -> int:
    """A run whose one item's evidence has these screenshots (and maybe a QR code read from
    a screenshot)."""
    from rules import Evidence, ItemResult, ItemStatus

    run_id = repo.start_run("ita-2566", 2566, "test")
    agency = repo.find_agency_by_homepage(url)
    scan_id = repo.start_site_scan(run_id, url, agency.id if agency else None)
    now = datetime.now(UTC)
    evidence = [Evidence(url + f"p{i}", "page", [], [], "x", screenshot=sha)
                for i, sha in enumerate(shots)]
    if qr_from:
        evidence.append(Evidence(url + "qr", "image", [], [], "qr", image_url=f"screenshot:{qr_from}"))
    repo.finish_site_scan(scan_id, SiteCrawl(url, url, SiteStatus.OK, "ok", now, now), [
        ItemResult("O1", "โครงสร้าง", "structure", ItemStatus.PASS, evidence)])
    repo.finish_run(run_id)
    return run_id


def test_prune_deletes_the_screenshots_only_deleted_runs_used(db_url: str, repo: Repository) -> None:
    from render.store import ScreenshotStore
    from storage import oitwatch_home

    store = ScreenshotStore(oitwatch_home() / "screenshots")
    only_old, shared, qr_only_old, newest = (store.put(f"png-{n}".encode())[0] for n in range(4))
    repo.upsert_agency(name="อบต.ก", homepage=A, code="a")
    old = _shot_run(repo, A, [only_old, shared], qr_from=qr_only_old)
    _shot_run(repo, A, [shared, newest])
    dry = repo.prune(keep_runs=1, dry_run=True)
    assert dry.deleted_runs == [old]
    assert sorted(dry.screenshots) == sorted([only_old, qr_only_old])
    runner = CliRunner()
    done = runner.invoke(app, ["db", "prune", "--keep-runs", "1", "--db", db_url])
    assert done.exit_code == 0, done.output
    assert "2 screenshot(s)" in done.output.replace("\n", " ")
    assert only_old not in store and qr_only_old not in store
    assert shared in store and newest in store  # still evidence of the kept run
