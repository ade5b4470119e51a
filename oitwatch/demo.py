"""The offline demo: serve the bundled sample sites on 127.0.0.1 and scan them.

It runs the same scan path as `oitwatch scan` (crawler → rules → storage →
report) and then compares each item with what the sample site's author
expected, so a monitor sees at once what oitwatch finds and how reliably.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from reports import RunReport

from ._progress import RichScanProgress
from .registry import read_registry, write_registry_csv
from .sampleserver import SampleServer
from .scan import ScanOptions, scan_sites

__all__ = ["compare_with_expected", "run_demo", "write_demo_registry"]


def write_demo_registry(server: SampleServer, path: Path | None = None) -> Path:
    """The sample sites as an agency registry CSV, written at run time because the sites
    get new ports every time. Codes are stable ("demo-<site>"), so importing it again
    updates the same agencies. It goes through the same reader as `oitwatch agencies import`.
    """
    from storage.session import oitwatch_home

    path = path or oitwatch_home() / "demo" / "agencies-demo.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    write_registry_csv(path, [
        SimpleNamespace(
            code=f"demo-{site.name}",
            name=site.config.get("name_th") or site.name,
            type=site.config.get("agency_type"),
            province=site.config.get("province"),
            district=str(site.config.get("district") or "").replace("(invented)", "").strip(),
            homepage=site.url,
            catalog="ita-2566",
        )
        for site in server.sites
    ])
    return path


def compare_with_expected(
    run: RunReport, expected_by_url: dict[str, dict[str, Any]]
) -> list[tuple[str, str, str, str]]:
    """(site, item, expected, found) for every item whose status differs from the expectation."""
    mismatches = []
    for site in run.sites:
        expected = expected_by_url.get(site.seed_url, {})
        found = {item.code: item.status.value for item in site.items}
        for code, want in expected.items():
            status = want["status"] if isinstance(want, dict) else str(want)
            if found.get(code) != status:
                mismatches.append((site.seed_url, code, status, found.get(code, "-")))
    return mismatches


def run_demo(
    *,
    out: Console,
    err: Console,
    fmt: str,
    lang: str,
    max_pages: int,
    open_repository: Callable[[], Any],
    emit: Callable[[RunReport], None],
) -> int:
    from ._cli_common import _load_catalog

    catalog = _load_catalog("ita-2566")
    repo = open_repository()
    # Our own loopback server: no politeness delay needed, the budget still applies.
    # A few evidence screenshots per site show the feature without making the demo slow.
    # archive=True: a WARC file per sample site, for `oitwatch evidence export` (README).
    options = ScanOptions(
        max_pages=max_pages, min_delay=0.0, trigger="demo", max_evidence_screenshots=3,
        archive=True,
    )
    with SampleServer() as server:
        sites = server.sites
        seeds = [site.url for site in sites]
        err.print(
            f"เปิดเว็บไซต์ตัวอย่าง {len(sites)} แห่งที่ 127.0.0.1 / "
            f"serving {len(sites)} sample sites on 127.0.0.1"
        )
        registry = write_demo_registry(server)
        imported = read_registry(registry)
        repo.import_agencies(imported.rows)
        err.print(
            f"ทะเบียนหน่วยงานตัวอย่าง / demo agency registry: {registry} "
            "(`oitwatch agencies list`)"
        )
        with RichScanProgress(err, len(seeds), max_pages, lang) as progress:
            run = scan_sites(seeds, catalog, repo, options, progress)
        expected = {site.url: site.expected for site in sites}
    emit(run)
    mismatches = compare_with_expected(run, expected)
    if fmt == "table":
        total = sum(len(v) for v in expected.values())
        summary = Table(title="ผลเทียบกับที่ผู้จัดทำเว็บตัวอย่างคาดไว้ / found vs expected")
        for column in ("เว็บไซต์ / site", "ข้อ / item", "คาดไว้ / expected", "พบ / found"):
            summary.add_column(column)
        for row in mismatches:
            summary.add_row(*(Text(v) for v in row))
        out.print(
            f"ตรงตามที่คาด {total - len(mismatches)}/{total} ข้อ / "
            f"{total - len(mismatches)} of {total} items as expected"
        )
        if mismatches:
            out.print(summary)
        if run.run_id is not None:
            out.print(
                f"บันทึกผลเป็นการตรวจหมายเลข {run.run_id}: `oitwatch runs show {run.run_id}` / "
                f"stored as run {run.run_id}"
            )
            archives = options.archive_store()
            out.print(
                f"สำเนาเว็บ (WARC) ของแต่ละเว็บไซต์อยู่ที่ {archives}/run-{run.run_id}/ "
                f"ส่งออกให้ผู้ตรวจด้วย `oitwatch evidence export {run.run_id} -o DIR` / "
                f"web archives in {archives}/run-{run.run_id}/"
            )
            out.print(
                "ดูผลในเบราว์เซอร์: `./dev oitwatch serve` แล้วเปิด http://127.0.0.1:8080/ / "
                "see the results in a browser: `./dev oitwatch serve`, then open "
                "http://127.0.0.1:8080/"
            )
    return 0
