"""A stored scan's web archive, exported as an evidence package and verified; every kind
of tampering is detected and named. On SQLite and PostgreSQL."""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import zipfile
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner
from warcio.archiveiterator import ArchiveIterator

from archive import ExportError, export_evidence, verify_package
from crawler import Crawler
from oitwatch.cli import app
from oitwatch.sampleserver import SampleServer, make_png
from oitwatch.scan import ScanOptions, scan_sites
from render import ScreenshotStore
from rules import load_catalog
from storage import Repository

CODE = "demo-compliant"


@pytest.fixture
def fake_screenshots(monkeypatch: pytest.MonkeyPatch) -> None:
    """No browser in these tests: an evidence screenshot is a small PNG made from the URL."""

    async def screenshot(self: Crawler, url: str, *, allow_private: bool = False) -> tuple[str, str]:
        shade = hashlib.sha256(url.encode()).digest()
        digest, _ = ScreenshotStore(self.config.screenshot_dir or "").put(
            make_png(16, 12, (shade[0], shade[1], shade[2]))
        )
        return digest, ""

    monkeypatch.setattr(Crawler, "screenshot", screenshot)


@pytest.fixture
def scanned(repo: Repository, fake_screenshots: None) -> Any:
    """One stored scan of the 'compliant' sample site (server kept running for replays)."""
    with SampleServer(only=["compliant"]) as server:
        (site,) = server.sites
        repo.upsert_agency(name="อบต.ตัวอย่าง", homepage=site.url, code=CODE)
        options = ScanOptions(max_pages=40, min_delay=0.0, render="never", trigger="test")
        run = scan_sites([site.url], load_catalog("ita-2566"), repo, options)
        yield run, site, server


def _record_at(path: Path, offset: int) -> tuple[Any, bytes]:
    with path.open("rb") as fh:
        fh.seek(offset)
        record = next(iter(ArchiveIterator(fh)))
        return record, record.raw_stream.read()


def test_scan_stores_archive_and_evidence_pointers(repo: Repository, scanned: Any) -> None:
    run, _, _ = scanned
    (archive,) = repo.archives_of_run(run.run_id)
    path = Path(archive.path)
    assert path.is_file() and path.name.endswith(".warc.gz")
    assert f"run-{run.run_id}" == path.parent.name
    assert archive.size == path.stat().st_size
    assert archive.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert archive.agency_code == CODE and not archive.capped and archive.records > 20
    evidence = repo.evidence_records_of_scans([archive.site_scan_id])
    pointed = [e for e in evidence if e["warc_file"]]
    assert pointed and {e["warc_file"] for e in pointed} == {archive.path}
    # every page/document evidence that was fetched has its record; off-site links have none
    assert all(e["warc_file"] is None for e in evidence if e["kind"] == "external")
    headers = {"User-Agent": "test", "Accept-Encoding": "gzip, deflate"}
    replayed = 0
    for ev in pointed[:15]:
        record, payload = _record_at(path, ev["warc_offset"])
        assert record.rec_type == "response"
        assert record.http_headers.get_statuscode() == "200"
        served = httpx.get(record.rec_headers.get_header("WARC-Target-URI"), headers=headers)
        # byte-identical to what the server sends (undecoded, as on the wire)
        raw = b"".join(served.iter_raw()) if not served.is_stream_consumed else served.content
        if served.headers.get("content-encoding"):
            assert gzip.decompress(payload) == served.content
        else:
            assert payload == raw
        replayed += 1
    assert replayed >= 3


def _export(repo: Repository, run: Any, tmp_path: Path, **kw: Any) -> Any:
    return export_evidence(repo, run.run_id, [CODE], tmp_path / "package", **kw)


def test_export_and_verify(repo: Repository, scanned: Any, tmp_path: Path) -> None:
    run, _, _ = scanned
    result = _export(repo, run, tmp_path)
    root = result.path
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    paths = {f["path"] for f in manifest["files"]}
    assert any(p.startswith("archive/") and p.endswith(".warc.gz") for p in paths)
    assert {"report/report.json", "report/report.csv", "report/report-th.txt",
            "report/evidence.json", "README.txt", "SHA256SUMS"} <= paths
    shots = [p for p in paths if p.startswith("screenshots/")]
    assert shots and result.screenshots == len(shots)
    for entry in manifest["files"]:
        assert hashlib.sha256((root / entry["path"]).read_bytes()).hexdigest() == entry["sha256"]
    assert manifest["run"]["id"] == run.run_id and manifest["agencies"] == [CODE]
    assert "ผ่าน" in (root / "report" / "report-th.txt").read_text(encoding="utf-8") or \
        "มี" in (root / "report" / "report-th.txt").read_text(encoding="utf-8")
    evidence = json.loads((root / "report" / "evidence.json").read_text(encoding="utf-8"))
    ev = next(e for e in evidence if e["warc_file"])
    record, _ = _record_at(root / ev["warc_file"], ev["warc_offset"])
    assert record.rec_type == "response"
    report = verify_package(root, expected_manifest_sha256=result.manifest_sha256)
    assert report.ok, report.problems
    assert report.files_checked == len(manifest["files"]) and report.records_checked > 20
    stored = repo.get_export(result.export_id)
    assert stored is not None and stored["manifest_sha256"] == result.manifest_sha256
    assert stored["site_scan_ids"] == [s.site_scan_id for s in repo.load_run(run.run_id).sites]


def _flip(path: Path, at: int) -> None:
    data = bytearray(path.read_bytes())
    data[at] ^= 0x01
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    "what", ["warc", "warc-largest-record", "screenshot", "manifest", "report", "added"]
)
def test_tampering_is_detected_and_named(
    repo: Repository, scanned: Any, tmp_path: Path, what: str
) -> None:
    run, _, _ = scanned
    result = _export(repo, run, tmp_path)
    root = result.path
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    warc = next(f for f in manifest["files"] if f["path"].startswith("archive/"))
    victim_record = None
    if what.startswith("warc"):
        victim_record = (
            max(warc["records"], key=lambda r: r["length"]) if what == "warc-largest-record"
            else next(r for r in warc["records"][5:] if r["type"] == "response")
        )
        _flip(root / warc["path"], victim_record["offset"] + victim_record["length"] // 2)
        victim = warc["path"]
    elif what == "screenshot":
        victim = next(f["path"] for f in manifest["files"] if f["path"].startswith("screenshots/"))
        _flip(root / victim, 30)
    elif what == "manifest":
        victim = "manifest.json"
        text = (root / victim).read_text(encoding="utf-8")
        (root / victim).write_text(text.replace(warc["sha256"], "0" * 64), encoding="utf-8")
    elif what == "report":
        victim = "report/report.csv"
        _flip(root / victim, 10)
    else:
        victim = "archive/extra.warc.gz"
        shutil.copyfile(root / warc["path"], root / victim)
    report = verify_package(root)
    assert not report.ok
    assert victim in {p.path for p in report.problems}, report.problems
    if victim_record is not None:
        named = [p for p in report.problems if p.record and p.record["offset"] ==
                 victim_record["offset"]]
        assert named and victim_record["uri"] in named[0].detail
    # the CLI says so too, with exit code 1 and the file's name
    cli = CliRunner().invoke(app, ["evidence", "verify", str(root), "--no-check-db"])
    assert cli.exit_code == 1 and victim in cli.output.replace("\n", "")


def test_manifest_rewritten_with_its_checksum_is_caught_by_the_database(
    repo: Repository, scanned: Any, tmp_path: Path
) -> None:
    run, _, _ = scanned
    result = _export(repo, run, tmp_path)
    root = result.path
    report = root / "report" / "report.csv"
    report.write_text("tampered", encoding="utf-8")
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    for entry in manifest["files"]:
        if entry["path"] == "report/report.csv":
            entry["sha256"] = hashlib.sha256(report.read_bytes()).hexdigest()
    (root / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    sha = hashlib.sha256((root / "manifest.json").read_bytes()).hexdigest()
    (root / "manifest.json.sha256").write_text(f"{sha}  manifest.json\n", encoding="utf-8")
    assert {p.path for p in verify_package(root).problems} == {"report/report.csv"}
    checked = verify_package(root, expected_manifest_sha256=result.manifest_sha256)
    assert any(p.path == "manifest.json" and "database" in p.detail for p in checked.problems)


def test_recompressed_record_forgery_fails_its_digest(
    repo: Repository, scanned: Any, tmp_path: Path
) -> None:
    """A forger who rewrites one record's content and re-gzips it cleanly is caught by the
    record's own SHA-256 digest."""
    run, _, _ = scanned
    root = _export(repo, run, tmp_path).path
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    warc = next(f for f in manifest["files"] if f["path"].startswith("archive/"))
    target = next(r for r in warc["records"] if r["type"] == "response"
                  and r["uri"].endswith("/") is False and r["length"] > 400)
    data = (root / warc["path"]).read_bytes()
    start, end = target["offset"], target["offset"] + target["length"]
    member = bytearray(gzip.decompress(data[start:end]))
    member[-10] ^= 0x20  # one byte of the body (before the closing CRLF CRLF)
    forged = data[:start] + gzip.compress(bytes(member)) + data[end:]
    (root / warc["path"]).write_bytes(forged)
    problems = verify_package(root).problems
    digest = [p for p in problems if p.path == warc["path"] and "digest" in p.detail]
    assert digest and f"offset {start}" in digest[0].detail, problems


def test_wacz_export(repo: Repository, scanned: Any, tmp_path: Path) -> None:
    run, _, _ = scanned
    result = export_evidence(repo, run.run_id, None, tmp_path / "evidence", wacz=True)
    assert result.path == tmp_path / "evidence.wacz" and result.path.is_file()
    with zipfile.ZipFile(result.path) as zf:
        names = set(zf.namelist())
        package = json.loads(zf.read("datapackage.json"))
        digest = json.loads(zf.read("datapackage-digest.json"))
        cdxj = zf.read("indexes/index.cdxj").decode()
    assert {"datapackage.json", "indexes/index.cdxj", "pages/pages.jsonl", "manifest.json"} <= names
    assert any(n.startswith("archive/") and n.endswith(".warc.gz") for n in names)
    assert package["wacz_version"] == "1.1.1"
    assert digest["hash"] == "sha256:" + hashlib.sha256(
        zipfile.ZipFile(result.path).read("datapackage.json")).hexdigest()
    assert cdxj.splitlines() == sorted(cdxj.splitlines()) and '"offset"' in cdxj
    assert verify_package(result.path).ok
    # one altered file inside the zip is named
    tampered = tmp_path / "tampered.wacz"
    with zipfile.ZipFile(result.path) as src, zipfile.ZipFile(tampered, "w") as dst:
        for name in src.namelist():
            body = src.read(name)
            dst.writestr(name, b"x" + body[1:] if name == "report/report.json" else body)
    assert "report/report.json" in {p.path for p in verify_package(tampered).problems}


def test_export_refuses_an_archive_changed_since_the_scan(
    repo: Repository, scanned: Any, tmp_path: Path
) -> None:
    run, _, _ = scanned
    (archive,) = repo.archives_of_run(run.run_id)
    _flip(Path(archive.path), archive.size // 2)
    with pytest.raises(ExportError, match="changed since the scan"):
        _export(repo, run, tmp_path)
    assert not any((tmp_path / "package").iterdir())  # no half package left
    assert repo.get_export(1) is None  # and no export record keeping scans from pruning


def test_export_errors(repo: Repository, scanned: Any, tmp_path: Path) -> None:
    run, _, _ = scanned
    with pytest.raises(ExportError, match="no complete scan of agency nope"):
        export_evidence(repo, run.run_id, ["nope"], tmp_path / "a")
    with pytest.raises(ExportError, match="no scan run"):
        export_evidence(repo, 999, None, tmp_path / "b")
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "x").write_text("x")
    with pytest.raises(ExportError, match="not empty"):
        export_evidence(repo, run.run_id, None, tmp_path / "c")


def test_cli_export_then_verify(db_url: str, repo: Repository, scanned: Any,
                                tmp_path: Path) -> None:
    run, _, _ = scanned
    target = tmp_path / "cli-package"
    runner = CliRunner()
    done = runner.invoke(app, ["evidence", "export", str(run.run_id), "--agency", CODE,
                               "-o", str(target), "--db", db_url])
    assert done.exit_code == 0, done.output
    assert "ส่งออกหลักฐานแล้ว" in done.output and (target / "manifest.json").is_file()
    ok = runner.invoke(app, ["evidence", "verify", str(target), "--db", db_url])
    assert ok.exit_code == 0, ok.output
    assert "OK:" in ok.output and "note" not in ok.output  # compared with the database too


def test_no_archive_option(repo: Repository, fake_screenshots: None) -> None:
    with SampleServer(only=["compliant"]) as server:
        (site,) = server.sites
        options = ScanOptions(max_pages=5, min_delay=0.0, render="never", archive=False)
        run = scan_sites([site.url], load_catalog("ita-2566"), repo, options)
    assert repo.archives_of_run(run.run_id) == []


def test_size_cap_is_stored_and_reported(repo: Repository, fake_screenshots: None) -> None:
    with SampleServer(only=["compliant"]) as server:
        (site,) = server.sites
        options = ScanOptions(max_pages=30, min_delay=0.0, render="never",
                              max_archive_bytes=20_000)
        run = scan_sites([site.url], load_catalog("ita-2566"), repo, options)
    (archive,) = repo.archives_of_run(run.run_id)
    assert archive.capped and archive.size < 20_000 + 2_000
    assert any("web archive size cap" in n for n in archive.notes)
    stored = repo.load_run(run.run_id).sites[0]
    assert any("web archive size cap" in n for n in stored.notes)  # the report says so


def test_an_unwritable_archive_folder_costs_only_the_archive(
    repo: Repository, fake_screenshots: None, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the archive folder should be")
    with SampleServer(only=["compliant"]) as server:
        (site,) = server.sites
        options = ScanOptions(max_pages=5, min_delay=0.0, render="never",
                              archive_dir=str(blocker))
        run = scan_sites([site.url], load_catalog("ita-2566"), repo, options)
    stored = repo.load_run(run.run_id).sites[0]
    assert stored.state == "complete" and stored.items
    assert any(n.startswith("web archive not written") for n in stored.notes)
    assert repo.archives_of_run(run.run_id) == []
