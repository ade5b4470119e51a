"""An evidence package for an auditor: one folder (or one WACZ zip) that needs nothing else.

    evidence-run-3/
      README.txt                  what this is and how to check it (Thai, English)
      manifest.json               run, sites, every file with its size and SHA-256,
                                  every WARC record (offset, type, URI, id, digests)
      manifest.json.sha256        the manifest's own SHA-256 (``sha256sum -c`` format)
      SHA256SUMS                  every file (``sha256sum -c SHA256SUMS`` checks them)
      archive/<site>.warc.gz      the site scans' web archives (gzip WARC 1.1)
      screenshots/<sha256>.png    the evidence pages' screenshots
      report/report.json          the item report (JSON, as `oitwatch runs show -f json`)
      report/report.csv           the same as CSV (UTF-8 with BOM, for Excel)
      report/report-th.txt        the Thai table, as `oitwatch runs show` prints it
      report/evidence.json        each item's evidence URLs with their WARC record
      indexes/index.cdxj, pages/pages.jsonl, datapackage.json   (WACZ only)

The WARC files are copied only when their SHA-256 is still the one stored at scan time,
so a package never carries an archive altered since. The export is recorded in the
database, which keeps its site scans from ``db prune``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import io
import json
import os
import shutil
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ._verify import MANIFEST, MANIFEST_SUM, scan_warc, sha256_file

__all__ = ["ExportError", "ExportResult", "export_evidence"]

FORMAT = "oitwatch-evidence-package/1"


class ExportError(Exception):
    """Nothing to export, or evidence that cannot be trusted (an archive changed)."""

    def __init__(self, th: str, en: str) -> None:
        super().__init__(en)
        self.th, self.en = th, en


@dataclass
class ExportResult:
    path: Path  # the folder, or the .wacz file
    export_id: int
    sites: int
    warc_files: int
    screenshots: int
    files: int
    bytes: int
    manifest_sha256: str
    notes: list[str] = field(default_factory=list)


def _readme(run: Any, sites: int) -> str:
    return f"""หลักฐานการตรวจการเปิดเผยข้อมูลสาธารณะ (OIT) — oitwatch
การตรวจหมายเลข {run.run_id} ({run.catalog_id}, ปีงบประมาณ {run.fiscal_year}) เว็บไซต์ {sites} แห่ง

archive/      สำเนาเว็บ (WARC 1.1) ทุกหน้าที่โปรแกรมดาวน์โหลดในคืนที่ตรวจ ตามที่เซิร์ฟเวอร์ส่งมา
screenshots/  ภาพหน้าจอของหน้าที่เป็นหลักฐาน
report/       ผลการตรวจรายข้อ (JSON, CSV, ตาราง) และหลักฐานของแต่ละข้อพร้อมตำแหน่งในไฟล์ WARC
manifest.json รายการไฟล์ทั้งหมดพร้อมค่า SHA-256

ตรวจว่าไม่มีไฟล์ใดถูกแก้ไข: `oitwatch evidence verify <โฟลเดอร์นี้>`
หรือโดยไม่ใช้ oitwatch: `sha256sum -c manifest.json.sha256 && sha256sum -c SHA256SUMS`

Evidence of an ITA/OIT disclosure scan by oitwatch: run {run.run_id} ({run.catalog_id},
fiscal year {run.fiscal_year}), {sites} site(s). archive/ holds every HTTP response the
crawler received (WARC 1.1, SHA-256 digests), screenshots/ the evidence pages, report/ the
item report. Check it with `oitwatch evidence verify <this folder>`, or without oitwatch:
`sha256sum -c manifest.json.sha256 && sha256sum -c SHA256SUMS`.
"""


def _copy(source: Path, target: Path) -> str:
    """Copy ``source``; the copy's SHA-256 (compared by the caller with the recorded one:
    hashing the copy, not the source, proves what the package holds)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return sha256_file(target)


def _surt(url: str) -> str:
    """A SURT key for the CDXJ index: host labels reversed, then the path, lower case."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    labels = host if host.replace(".", "").isdigit() else ",".join(reversed(host.split(".")))
    port = f":{parts.port}" if parts.port and parts.port not in (80, 443) else ""
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return f"{labels}{port}){path}".lower()


def _wacz_extras(root: Path, warcs: dict[str, list[dict[str, Any]]],
                 evidence: list[dict[str, Any]]) -> None:
    """indexes/index.cdxj and pages/pages.jsonl (WACZ 1.1.1), from the records."""
    lines = []
    for rel, records in warcs.items():
        for r in records:
            if r["type"] != "response" or not r["uri"].startswith("http"):
                continue
            fields = {"url": r["uri"], "digest": r["payload_digest"], "length": r["length"],
                      "offset": r["offset"], "filename": Path(rel).name}
            stamp = r.get("date", "").replace("-", "").replace(":", "").replace("T", "")[:14]
            lines.append(f"{_surt(r['uri'])} {stamp} {json.dumps(fields, ensure_ascii=False)}")
    (root / "indexes").mkdir(exist_ok=True)
    (root / "indexes" / "index.cdxj").write_text("".join(f"{x}\n" for x in sorted(lines)),
                                                 encoding="utf-8")
    pages = [{"format": "json-pages-1.0", "id": "pages", "title": "Evidence pages"}]
    seen: set[str] = set()
    for ev in evidence:
        if ev.get("warc_file") and ev["url"] not in seen:
            seen.add(ev["url"])
            pages.append({"url": ev["url"], "ts": ev.get("fetched_at") or "",
                          "title": f"{ev['item']} ({ev['status']})"})
    (root / "pages").mkdir(exist_ok=True)
    (root / "pages" / "pages.jsonl").write_text(
        "".join(json.dumps(p, ensure_ascii=False) + "\n" for p in pages), encoding="utf-8"
    )


def _zip_wacz(
    root: Path, target: Path, files: list[dict[str, Any]], title: str, version: str
) -> None:
    """The folder as a WACZ: stored (not deflated: WARCs are gzip already, and replay
    tools seek into them), with datapackage.json and its digest."""
    now = datetime.now(UTC).isoformat()
    package = {
        "profile": "data-package",
        "wacz_version": "1.1.1",
        "title": title,
        "created": now,
        "software": f"oitwatch {version}",
        "resources": [
            {"name": Path(f["path"]).name, "path": f["path"], "hash": f"sha256:{f['sha256']}",
             "bytes": f["size"]}
            for f in files
        ],
    }
    data = json.dumps(package, ensure_ascii=False, indent=2).encode("utf-8")
    digest = {"path": "datapackage.json", "hash": "sha256:" + hashlib.sha256(data).hexdigest()}
    tmp = target.with_name(target.name + ".partial")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_STORED) as zf:
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            zf.write(path, path.relative_to(root).as_posix())
        zf.writestr("datapackage.json", data)
        zf.writestr("datapackage-digest.json", json.dumps(digest, indent=2))
    os.replace(tmp, target)


def export_evidence(
    repo: Any,
    run_id: int,
    agencies: Sequence[str] | None,
    out_dir: str | os.PathLike[str],
    *,
    wacz: bool = False,
    screenshot_dir: str | os.PathLike[str] | None = None,
) -> ExportResult:
    """Write the evidence package of run ``run_id`` (its complete site scans, or those of
    the agencies with these registry codes) to ``out_dir`` (a new or empty folder), or
    with ``wacz`` to the file ``out_dir`` (``.wacz`` added when missing). Raises
    ExportError (bilingual) when there is nothing to export or an archive changed."""
    from rich.console import Console

    from oitwatch import __version__
    from render import ScreenshotStore
    from reports import print_table, render_csv, render_json
    from storage import NotFoundError, oitwatch_home

    out = Path(out_dir)
    if wacz and out.suffix != ".wacz":
        out = out.with_name(out.name + ".wacz")
    if wacz and out.exists():
        raise ExportError(f"มีไฟล์ {out} อยู่แล้ว", f"{out} exists already")
    if not wacz and out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ExportError(f"โฟลเดอร์ {out} มีไฟล์อยู่แล้ว", f"{out} exists and is not empty")
    run = repo.load_run(run_id)
    if run is None:
        raise ExportError(f"ไม่พบการตรวจหมายเลข {run_id}", f"no scan run with id {run_id}")
    wanted = [a.strip() for a in agencies or [] if a.strip()]
    sites = [s for s in run.sites if s.state == "complete"]
    if wanted:
        known = {s.agency_code for s in sites}
        missing = [a for a in wanted if a not in known]
        if missing:
            raise ExportError(
                f"การตรวจหมายเลข {run_id} ไม่มีผลที่สมบูรณ์ของหน่วยงาน {', '.join(missing)}",
                f"run {run_id} has no complete scan of agency {', '.join(missing)}",
            )
        sites = [s for s in sites if s.agency_code in wanted]
    if not sites:
        raise ExportError(f"การตรวจหมายเลข {run_id} ไม่มีผลที่สมบูรณ์",
                          f"run {run_id} has no complete site scan to export")
    scan_ids = [s.site_scan_id for s in sites]
    try:
        archives = {a.site_scan_id: a for a in repo.archives_of_run(run_id, wanted or None)}
    except NotFoundError as exc:
        raise ExportError(str(exc), str(exc)) from exc
    shots = ScreenshotStore(screenshot_dir or oitwatch_home() / "screenshots")
    notes: list[str] = []

    work = Path(tempfile.mkdtemp(prefix=".oitwatch-export-", dir=out.parent)) if wacz else out
    work.mkdir(parents=True, exist_ok=True)
    export_id = repo.record_export(run_id, str(out.resolve()), scan_ids)
    try:
        warcs: dict[str, list[dict[str, Any]]] = {}
        warc_names: dict[str, str] = {}  # stored path -> path in the package
        site_entries = []
        for site in sites:
            entry: dict[str, Any] = {
                "site_scan_id": site.site_scan_id, "seed_url": site.seed_url,
                "final_url": site.final_url, "agency_code": site.agency_code,
                "agency_name": site.agency_name, "status": site.status,
                "finished_at": site.finished_at.isoformat(), "warc": None,
            }
            archive = archives.get(site.site_scan_id)
            source = Path(archive.path) if archive else None
            if archive is None:
                entry["warc_note"] = "no web archive (scanned with --no-archive or before 0005)"
            elif archive.pruned_at is not None:
                entry["warc_note"] = f"web archive removed by retention on {archive.pruned_at:%Y-%m-%d}"
            elif source is None or not source.is_file():
                entry["warc_note"] = f"web archive file missing: {archive.path}"
            else:
                rel = f"archive/{source.name}"
                actual = _copy(source, work / rel)
                if actual != archive.sha256:
                    raise ExportError(
                        f"ไฟล์สำเนาเว็บ {source} ถูกแก้ไขหลังการตรวจ (SHA-256 ไม่ตรงกับที่บันทึกไว้)",
                        f"the web archive {source} changed since the scan "
                        f"(sha256 {actual}, recorded {archive.sha256}): not exported",
                    )
                records, problems = scan_warc(work / rel)
                if problems:
                    raise ExportError(
                        f"ไฟล์สำเนาเว็บ {source} เสียหาย: {problems[0]}",
                        f"the web archive {source} is damaged: {problems[0]}",
                    )
                warcs[rel] = records
                warc_names[archive.path] = rel
                entry.update(warc=rel, warc_sha256=archive.sha256, warc_records=archive.records,
                             warc_capped=archive.capped)
            if entry.get("warc_note"):
                notes.append(f"{site.seed_url}: {entry['warc_note']}")
            site_entries.append(entry)

        evidence = repo.evidence_records_of_scans(scan_ids)
        screenshot_files: dict[str, str] = {}
        for ev in evidence:
            ev["warc_file"] = warc_names.get(ev["warc_file"]) if ev["warc_file"] else None
            if ev["warc_file"] is None:
                ev["warc_offset"] = None
            digest = ev.get("screenshot") or ""
            if digest and digest not in screenshot_files:
                png = shots.path_for(digest)
                if png.is_file():
                    rel = f"screenshots/{digest}.png"
                    if _copy(png, work / rel) != digest:
                        raise ExportError(f"ภาพหน้าจอ {png} ถูกแก้ไข",
                                          f"the screenshot {png} does not match its hash")
                    screenshot_files[digest] = rel
                else:
                    notes.append(f"screenshot {digest} missing from the store")
            ev["screenshot_file"] = screenshot_files.get(digest)

        report_run = dataclasses.replace(run, sites=sites)
        (work / "report").mkdir(exist_ok=True)
        (work / "report" / "report.json").write_text(
            render_json(report_run, __version__, "th"), encoding="utf-8"
        )
        (work / "report" / "report.csv").write_text(render_csv(report_run, "th"),
                                                    encoding="utf-8-sig")
        table = io.StringIO()
        print_table(report_run, Console(file=table, width=160, color_system=None), "th")
        (work / "report" / "report-th.txt").write_text(table.getvalue(), encoding="utf-8")
        (work / "report" / "evidence.json").write_text(
            json.dumps(evidence, ensure_ascii=False, indent=2), encoding="utf-8"
        )
        (work / "README.txt").write_text(_readme(run, len(sites)), encoding="utf-8")
        if wacz:
            _wacz_extras(work, warcs, evidence)

        files = []
        for path in sorted(p for p in work.rglob("*") if p.is_file()):
            rel = path.relative_to(work).as_posix()
            entry = {"path": rel, "size": path.stat().st_size, "sha256": sha256_file(path)}
            if rel in warcs:
                entry["records"] = warcs[rel]
            files.append(entry)
        (work / "SHA256SUMS").write_text(
            "".join(f"{f['sha256']}  {f['path']}\n" for f in files), encoding="utf-8"
        )
        files.append({"path": "SHA256SUMS", "size": (work / "SHA256SUMS").stat().st_size,
                      "sha256": sha256_file(work / "SHA256SUMS")})
        manifest = {
            "format": FORMAT,
            "created_at": datetime.now(UTC).isoformat(),
            "tool": {"name": "oitwatch", "version": __version__},
            "export_id": export_id,
            "run": {
                "id": run.run_id, "catalog": run.catalog_id, "fiscal_year": run.fiscal_year,
                "started_at": run.started_at.isoformat(),
                "finished_at": run.finished_at.isoformat() if run.finished_at else None,
                "state": getattr(run, "state", None),
                "tool_version": getattr(run, "tool_version", None),
            },
            "agencies": wanted,
            "sites": site_entries,
            "notes": notes,
            "files": files,
        }
        (work / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2),
                                     encoding="utf-8")
        manifest_sha = sha256_file(work / MANIFEST)
        (work / MANIFEST_SUM).write_text(f"{manifest_sha}  {MANIFEST}\n", encoding="utf-8")
        total = sum(f["size"] for f in files)
        if wacz:
            title = f"oitwatch run {run.run_id} evidence"
            _zip_wacz(work, out, files, title, __version__)
        repo.finish_export(export_id, manifest_sha256=manifest_sha, files=len(files) + 2)
    except BaseException:
        # no half package, and no export record that would keep its scans from pruning
        if not wacz:
            for child in list(work.iterdir()):
                shutil.rmtree(child) if child.is_dir() else child.unlink()
        with contextlib.suppress(Exception):
            repo.forget_export(export_id)
        raise
    finally:
        if wacz:
            shutil.rmtree(work, ignore_errors=True)
    return ExportResult(
        path=out, export_id=export_id, sites=len(sites), warc_files=len(warcs),
        screenshots=len(screenshot_files), files=len(files) + 2, bytes=total,
        manifest_sha256=manifest_sha, notes=notes,
    )
