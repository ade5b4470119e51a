"""Re-check an evidence package: every file's SHA-256 against the manifest, the manifest
against its own checksum file (and the database's copy, when given), and every WARC
record's block and payload digests (warcio's digest checker), so the answer names the
file, and for a WARC the record, that was altered.

    report = verify_package(Path("evidence-run-3"))
    report.ok, report.problems   # [Problem(path="archive/x.warc.gz", detail="...")]
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator

__all__ = ["Problem", "VerifyReport", "scan_warc", "sha256_file", "verify_package"]

MANIFEST = "manifest.json"
MANIFEST_SUM = "manifest.json.sha256"
DATAPACKAGE = "datapackage.json"  # WACZ only
DATAPACKAGE_DIGEST = "datapackage-digest.json"


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class Problem:
    path: str  # relative to the package
    detail: str  # English; the CLI adds the Thai line
    record: dict[str, Any] | None = None  # the WARC record concerned (offset, type, uri, id)


@dataclass
class VerifyReport:
    root: Path
    files_checked: int = 0
    records_checked: int = 0
    problems: list[Problem] = field(default_factory=list)
    manifest: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def scan_warc(path: Path) -> tuple[list[dict[str, Any]], list[str]]:
    """Every record of a WARC file (offset, type, URI, id, digests) and what is wrong:
    digests that do not match their content, or a file that cannot be read past some
    record (a damaged gzip member: the last readable record is named)."""
    records: list[dict[str, Any]] = []
    problems: list[str] = []
    # warcio reports a gzip member that fails its CRC on stderr and reads on (the record
    # then looks short, and its digest is not checked): catch that message per record.
    complaints = io.StringIO()
    with path.open("rb") as fh, contextlib.redirect_stderr(complaints):
        iterator = ArchiveIterator(fh, check_digests=True)
        try:
            for record in iterator:
                headers = record.rec_headers
                entry = {
                    "offset": iterator.get_record_offset(),  # reads (and digests) the record
                    "length": iterator.get_record_length(),
                    "type": record.rec_type,
                    "uri": headers.get_header("WARC-Target-URI") or "",
                    "id": headers.get_header("WARC-Record-ID") or "",
                    "date": headers.get_header("WARC-Date") or "",
                    "block_digest": headers.get_header("WARC-Block-Digest") or "",
                    "payload_digest": headers.get_header("WARC-Payload-Digest") or "",
                }
                damage = complaints.getvalue().strip()
                if damage:
                    complaints.seek(0)
                    complaints.truncate()
                    problems.append(
                        f"record at offset {entry['offset']} ({entry['type']} {entry['uri']}) "
                        f"is damaged: {damage.splitlines()[0]}"
                    )
                    entry["damaged"] = True
                records.append(entry)
                checker = record.digest_checker
                if checker.passed is False or checker.problems:
                    problems.append(
                        f"record at offset {entry['offset']} ({entry['type']} {entry['uri']}): "
                        + "; ".join(checker.problems or ["digest mismatch"])
                    )
        except Exception as exc:  # noqa: BLE001 - zlib, gzip CRC, parse errors: all "damaged"
            after = records[-1] if records else None
            where = (
                f"after the record at offset {after['offset']} ({after['type']} {after['uri']})"
                if after else "in its first record"
            )
            problems.append(f"unreadable {where}: {type(exc).__name__}: {exc}")
    return records, problems


def _load_manifest(root: Path, report: VerifyReport, expected_sha256: str | None) -> None:
    manifest_path = root / MANIFEST
    if not manifest_path.is_file():
        report.problems.append(Problem(MANIFEST, "missing"))
        return
    actual = sha256_file(manifest_path)
    sum_path = root / MANIFEST_SUM
    if sum_path.is_file():
        recorded = sum_path.read_text(encoding="utf-8").split()[:1]
        if recorded != [actual]:
            report.problems.append(Problem(
                MANIFEST, f"altered: its sha256 {actual} is not the one in {MANIFEST_SUM}"
            ))
    else:
        report.problems.append(Problem(MANIFEST_SUM, "missing"))
    if expected_sha256 and expected_sha256 != actual:
        report.problems.append(Problem(
            MANIFEST, f"altered: its sha256 {actual} is not the one recorded in the "
            f"database when the package was exported ({expected_sha256})"
        ))
    try:
        report.manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        report.problems.append(Problem(MANIFEST, f"not readable JSON: {exc}"))


def _check_warc(root: Path, rel: str, entry: dict[str, Any], report: VerifyReport) -> None:
    records, problems = scan_warc(root / rel)
    report.records_checked += len(records)
    listed = list(entry.get("records", []))
    read = {r["offset"] for r in records}
    by_offset = {r["offset"]: r for r in listed}
    damaged = [r for r in records if r.get("damaged")]
    for record in damaged:
        text = next(t for t in problems if t.startswith(f"record at offset {record['offset']} "))
        problems.remove(text)
        report.problems.append(Problem(rel, text, by_offset.get(record["offset"], record)))
    if damaged:
        return  # what follows a damaged gzip member is not worth listing record by record
    for text in problems:
        if text.startswith("unreadable"):
            # Name the record that broke: the first one the manifest lists and we could
            # not read; the ones after it cannot be reached in a gzip stream, say how many.
            lost = [r for r in listed if r["offset"] not in read]
            if lost:
                first = lost[0]
                report.problems.append(Problem(
                    rel,
                    f"record at offset {first['offset']} ({first.get('type')} "
                    f"{first.get('uri')}) is damaged ({text.split(': ', 1)[-1]})"
                    + (f"; {len(lost) - 1} later record(s) cannot be read" if len(lost) > 1
                       else ""),
                    first,
                ))
                return
        report.problems.append(Problem(rel, text))
    expected = {r["offset"]: r for r in listed}
    for record in records:
        want = expected.pop(record["offset"], None)
        if want is None or want.get("id") != record["id"] or (
            want.get("block_digest") != record["block_digest"]
        ):
            report.problems.append(Problem(
                rel,
                f"record at offset {record['offset']} ({record['type']} {record['uri']}) is "
                "not the one the manifest lists",
                record,
            ))
    for offset, want in sorted(expected.items()):
        report.problems.append(Problem(
            rel, f"record at offset {offset} ({want.get('type')} {want.get('uri')}) is missing",
            want,
        ))


def _check_sums(root: Path, report: VerifyReport) -> None:
    """SHA256SUMS (what `sha256sum -c` checks) must agree with the files too: a manifest
    rewritten to match an altered file still leaves SHA256SUMS, listed in it, behind."""
    sums = root / "SHA256SUMS"
    if not sums.is_file():
        return  # listed in the manifest: reported missing there
    named = {p.path for p in report.problems}
    for line in sums.read_text(encoding="utf-8", errors="replace").splitlines():
        digest, _, rel = line.partition("  ")
        target = (root / rel).resolve()
        if not rel or not target.is_relative_to(root.resolve()) or rel in named:
            continue
        if target.is_file() and sha256_file(target) != digest:
            report.problems.append(Problem(rel, f"altered: SHA256SUMS says sha256 {digest}"))


def _check_datapackage(root: Path, report: VerifyReport) -> None:
    """A WACZ's datapackage.json (its own digest file, and each resource's hash)."""
    package = root / DATAPACKAGE
    if not package.is_file():
        return
    digest_file = root / DATAPACKAGE_DIGEST
    try:
        recorded = json.loads(digest_file.read_text(encoding="utf-8")).get("hash")
        resources = json.loads(package.read_text(encoding="utf-8")).get("resources", [])
    except (OSError, ValueError) as exc:
        report.problems.append(Problem(DATAPACKAGE, f"not readable: {exc}"))
        return
    if recorded != "sha256:" + sha256_file(package):
        report.problems.append(Problem(DATAPACKAGE, f"altered: {DATAPACKAGE_DIGEST} disagrees"))
    named = {p.path for p in report.problems}
    for resource in resources:
        rel = str(resource.get("path", ""))
        target = (root / rel).resolve()
        if rel in named or not target.is_relative_to(root.resolve()) or not target.is_file():
            continue
        if resource.get("hash") != "sha256:" + sha256_file(target):
            report.problems.append(Problem(rel, f"altered: {DATAPACKAGE} says {resource.get('hash')}"))


def verify_package(path: Path, *, expected_manifest_sha256: str | None = None) -> VerifyReport:
    """Check a package folder (or a .wacz file). ``expected_manifest_sha256``: the
    manifest's hash as recorded in the database at export time (catches a manifest
    rewritten together with its checksum file)."""
    if path.is_file() and zipfile.is_zipfile(path):
        with tempfile.TemporaryDirectory(prefix="oitwatch-verify-") as tmp:
            with zipfile.ZipFile(path) as zf:
                for name in zf.namelist():
                    target = (Path(tmp) / name).resolve()
                    if not target.is_relative_to(Path(tmp).resolve()):
                        raise ValueError(f"unsafe path in the WACZ: {name}")
                zf.extractall(tmp)
            report = verify_package(Path(tmp), expected_manifest_sha256=expected_manifest_sha256)
            report.root = path
            return report
    report = VerifyReport(root=path)
    if not path.is_dir():
        report.problems.append(Problem(str(path), "not a folder or a WACZ file"))
        return report
    _load_manifest(path, report, expected_manifest_sha256)
    files = report.manifest.get("files", []) if report.manifest else []
    listed = set()
    for entry in files:
        rel = str(entry.get("path", ""))
        listed.add(rel)
        target = (path / rel).resolve()
        if not rel or not target.is_relative_to(path.resolve()):
            report.problems.append(Problem(rel or "?", "unsafe path in the manifest"))
            continue
        if not target.is_file():
            report.problems.append(Problem(rel, "missing"))
            continue
        report.files_checked += 1
        actual = sha256_file(target)
        if actual != entry.get("sha256"):
            report.problems.append(Problem(
                rel, f"altered: sha256 {actual}, the manifest says {entry.get('sha256')}"
            ))
        if rel.endswith((".warc.gz", ".warc")):
            _check_warc(path, rel, entry, report)
    _check_sums(path, report)
    _check_datapackage(path, report)
    # A file added to the package is not evidence: say so (the manifest files are its own).
    own = {MANIFEST, MANIFEST_SUM, DATAPACKAGE, DATAPACKAGE_DIGEST}
    for extra in sorted(p for p in path.rglob("*") if p.is_file()):
        rel = extra.relative_to(path).as_posix()
        if rel not in listed and rel not in own:
            report.problems.append(Problem(rel, "not listed in the manifest (added later?)"))
    return report
