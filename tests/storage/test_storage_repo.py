"""Repository behaviour on both backends: what goes in comes back, and a scan that did not
finish never looks finished."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from crawler._models import ClickStep, Link, Page, PageKind, SiteCrawl, SiteStatus, Skip
from rules._result import Evidence, ItemResult, ItemStatus, Reason
from storage import (
    Database,
    NotFoundError,
    Repository,
    SiteScanWriteError,
    StorageError,
    StoredRunReport,
    StoredSiteReport,
    _convert,
)
from storage.models import EvidenceRow, ItemResultRow, PageRow, ScanRun, SiteScan

BANGKOK = timezone(timedelta(hours=7))
CrawlFactory = Callable[..., SiteCrawl]
ResultsFactory = Callable[[], list[ItemResult]]


# -- minimal realistic crawl and rule results -----------------------------------------------

HOME = "https://www.example-tambon.go.th/"
STRUCTURE = "https://www.example-tambon.go.th/public/list/data/index/menu/1143"
ITA_HUB = "https://www.example-tambon.go.th/public/list/data/index/menu/2566"
PDF = "https://www.example-tambon.go.th/uploads/structure-2566.pdf"
FACEBOOK = "https://www.facebook.com/example.tambon"


def _t(minute: int, second: int = 0) -> datetime:
    """A Bangkok-time instant, to check that storage returns the same instant in UTC."""
    return datetime(2026, 3, 15, 9, minute, second, 123456, tzinfo=BANGKOK)


def make_crawl(seed_url: str = HOME, extra_pages: int = 0) -> SiteCrawl:
    pages = [
        Page(
            url=HOME,
            final_url=HOME,
            kind=PageKind.PAGE,
            status=200,
            content_type="text/html",
            size=48_213,
            sha256="a" * 64,
            fetched_at=_t(0),
            depth=0,
            title="องค์การบริหารส่วนตำบลตัวอย่าง",
        ),
        Page(
            url=STRUCTURE,
            final_url=STRUCTURE,
            kind=PageKind.PAGE,
            status=200,
            content_type="text/html",
            size=20_100,
            sha256="b" * 64,
            fetched_at=_t(1),
            depth=1,
            click_path=[ClickStep(url=STRUCTURE, text="โครงสร้างส่วนราชการ")],
            title="โครงสร้างส่วนราชการ",
            charset="cp874",
            text="not stored",
        ),
        Page(
            url=PDF,
            final_url=PDF,
            kind=PageKind.DOCUMENT,
            status=200,
            content_type="application/pdf",
            size=1_048_576,
            sha256="c" * 64,
            fetched_at=_t(2),
            depth=2,
            click_path=[
                ClickStep(url=STRUCTURE, text="โครงสร้างส่วนราชการ"),
                ClickStep(url=PDF, text="ดาวน์โหลด"),
            ],
        ),
        Page(
            url=ITA_HUB,
            final_url=ITA_HUB,
            kind=PageKind.PAGE,
            status=404,
            content_type="text/html",
            size=512,
            sha256="d" * 64,
            fetched_at=_t(3),
            depth=1,
            click_path=[ClickStep(url=ITA_HUB, text="ITA 2566")],
            error="HTTP 404",
        ),
    ]
    for i in range(extra_pages):
        url = f"{HOME}public/news/detail/{i}"
        pages.append(
            Page(
                url=url,
                final_url=url,
                kind=PageKind.PAGE,
                status=200,
                content_type="text/html",
                size=1000 + i,
                sha256=f"{i:064x}",
                fetched_at=_t(4),
                depth=2,
                click_path=[
                    ClickStep(url=f"{HOME}public/news", text="ข่าว"),
                    ClickStep(url=url, text=f"ข่าวที่ {i}"),
                ],
            )
        )
    fb = Link(
        url=FACEBOOK, text="Facebook", title="เฟซบุ๊ก อบต.", context="", tag="a", source_url=HOME
    )
    return SiteCrawl(
        seed_url=seed_url,
        final_url=HOME,
        status=SiteStatus.OK,
        reason=f"{len(pages)} pages fetched",
        started_at=_t(0),
        finished_at=_t(5, 30),
        pages=pages,
        external_links=[(fb, [ClickStep(url=FACEBOOK, text="Facebook")])],
        skipped=[Skip(url=f"{HOME}admin", reason="robots")],
    )


def make_results() -> list[ItemResult]:
    return [
        ItemResult(
            code="O1",
            title_th="โครงสร้าง",
            title_en="Structure",
            status=ItemStatus.PASS,
            evidence=[
                Evidence(
                    url=PDF,
                    kind="document",
                    click_path=["หน้าแรก", "โครงสร้างส่วนราชการ", "ดาวน์โหลด"],
                    click_path_urls=[HOME, STRUCTURE, PDF],
                    matched='link text "โครงสร้างส่วนราชการ"',
                    sha256="c" * 64,
                    score=0.92,
                ),
                Evidence(
                    url=STRUCTURE,
                    kind="page",
                    click_path=["หน้าแรก", "โครงสร้างส่วนราชการ"],
                    click_path_urls=[HOME, STRUCTURE],
                    matched="page title",
                    score=0.5,
                    meets_requirements=False,
                ),
            ],
            reasons=[Reason(th="พบแผนผังโครงสร้าง", en="Organisation chart found")],
        ),
        ItemResult(
            code="O9",
            title_th="Social Network",
            title_en="Social network",
            status=ItemStatus.PASS,
            evidence=[
                Evidence(
                    url=FACEBOOK,
                    kind="external",
                    click_path=["หน้าแรก", "Facebook"],
                    click_path_urls=[HOME, FACEBOOK],
                    matched="facebook.com link",
                    score=1.0,
                )
            ],
        ),
        ItemResult(
            code="O28",
            title_th="ช่องทางแจ้งเรื่องร้องเรียนการทุจริต",
            title_en="Corruption complaint channel",
            status=ItemStatus.FAIL,
            reasons=[
                Reason(
                    th="ไม่พบช่องทางแจ้งเรื่องร้องเรียนการทุจริต", en="No corruption complaint channel found"
                )
            ],
        ),
    ]


@pytest.fixture
def crawl_factory() -> CrawlFactory:
    return make_crawl


@pytest.fixture
def results_factory() -> ResultsFactory:
    return make_results


def _count(db: Database, model: type) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def _load(repo: Repository, run_id: int) -> tuple[StoredRunReport, list[StoredSiteReport]]:
    report = repo.load_run(run_id)
    assert report is not None
    sites = [site for site in report.sites if isinstance(site, StoredSiteReport)]
    assert len(sites) == len(report.sites)
    return report, sites


def _scan(repo: Repository, seed: str = HOME, **agency: int) -> tuple[int, int]:
    run_id = repo.start_run("ita-2566", 2566, "cli", {"max_pages": 300, "depth": 4})
    return run_id, repo.start_site_scan(run_id, seed, **agency)


def test_round_trip(
    repo: Repository, crawl_factory: CrawlFactory, results_factory: ResultsFactory
) -> None:
    agency_id = repo.upsert_agency(
        code="6340101",
        name="องค์การบริหารส่วนตำบลตัวอย่าง",
        homepage=HOME,
        agency_type="อบต.",
        province="ตาก",
    )
    run_id, scan_id = _scan(repo, agency_id=agency_id)
    crawl, results = crawl_factory(), results_factory()
    repo.finish_site_scan(scan_id, crawl, results)
    repo.finish_run(run_id)

    report, sites = _load(repo, run_id)
    assert (report.run_id, report.catalog_id, report.fiscal_year) == (run_id, "ita-2566", 2566)
    assert report.state == "complete" and report.trigger == "cli"
    assert report.options == {"max_pages": 300, "depth": 4}
    assert report.finished_at is not None and report.finished_at.tzinfo == UTC
    [site] = sites
    assert site.complete
    assert site.site_scan_id == scan_id
    assert (site.seed_url, site.final_url, site.status) == (HOME, HOME, "ok")
    assert site.reason == crawl.reason and site.pages_fetched == 4
    assert (site.agency_name, site.agency_code) == ("องค์การบริหารส่วนตำบลตัวอย่าง", "6340101")
    # Same instants, returned as aware UTC (they went in as Bangkok time).
    assert site.started_at == crawl.started_at and site.started_at.tzinfo == UTC
    assert site.finished_at == crawl.finished_at and site.finished_at.tzinfo == UTC
    assert site.started_at.microsecond == 123456
    # Items, evidence (order, Thai text, JSON click paths, flags) and reasons are equal.
    assert site.items == results
    assert isinstance(site.items[0].status, ItemStatus)


def test_pages_and_evidence_links_stored(
    repo: Repository, crawl_factory: CrawlFactory, results_factory: ResultsFactory
) -> None:
    _, scan_id = _scan(repo)
    repo.finish_site_scan(scan_id, crawl_factory(), results_factory())
    with repo.db.session() as s:
        pages = {
            p.url: p for p in s.scalars(select(PageRow).where(PageRow.site_scan_id == scan_id))
        }
        assert set(pages) == {HOME, STRUCTURE, PDF, crawl_factory().pages[3].url, FACEBOOK}
        assert pages[PDF].click_path == [
            {"url": STRUCTURE, "text": "โครงสร้างส่วนราชการ"},
            {"url": PDF, "text": "ดาวน์โหลด"},
        ]
        assert pages[PDF].fetched_at == crawl_factory().pages[2].fetched_at
        assert pages[FACEBOOK].kind == "external" and pages[FACEBOOK].http_status == 0
        assert pages[FACEBOOK].fetched_at is None and pages[FACEBOOK].depth == 1
        linked = {e.url: e.page_id for e in s.scalars(select(EvidenceRow))}
        assert linked == {
            PDF: pages[PDF].id,
            STRUCTURE: pages[STRUCTURE].id,
            FACEBOOK: pages[FACEBOOK].id,
        }
        scan = s.get(SiteScan, scan_id)
        assert scan is not None and scan.duration == pytest.approx(330.0)


def test_start_site_scan_is_committed_and_running(repo: Repository) -> None:
    run_id, scan_id = _scan(repo)
    [site] = _load(repo, run_id)[1]  # a separate session sees it at once
    assert (site.site_scan_id, site.state, site.items) == (scan_id, "running", [])
    assert site.status == "error" and site.reason.startswith("scan not finished")
    assert repo.list_runs()[0].sites_running == 1


def test_bad_item_value_leaves_scan_failed_and_empty(
    repo: Repository, crawl_factory: CrawlFactory, results_factory: ResultsFactory
) -> None:
    run_id, scan_id = _scan(repo)
    results = results_factory()
    results.append(ItemResult(code="O2", title_th="ผู้บริหาร", title_en="Executives", status="maybe"))  # type: ignore[arg-type]
    with pytest.raises(SiteScanWriteError, match="maybe"):
        repo.finish_site_scan(scan_id, crawl_factory(), results)
    _assert_failed_and_empty(repo, run_id, scan_id, "could not save results: ValueError")


def test_failure_midway_rolls_back_pages_and_items(
    repo: Repository,
    crawl_factory: CrawlFactory,
    results_factory: ResultsFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Rows already INSERTed inside the transaction (pages, items, evidence) must vanish too."""
    run_id, scan_id = _scan(repo)
    flushed: list[int] = []
    real_add_all = Session.add_all

    def add_all_and_flush(self: Session, instances: Iterable[object]) -> None:
        real_add_all(self, instances)
        self.flush()  # the rows really reach the database before the failure below
        flushed.append(len(self.identity_map))

    def fail(crawl: SiteCrawl) -> str:
        raise RuntimeError("disk full (simulated)")

    monkeypatch.setattr(Session, "add_all", add_all_and_flush)
    monkeypatch.setattr(_convert, "site_status", fail)  # runs after pages and items are added
    with pytest.raises(SiteScanWriteError, match="disk full"):
        repo.finish_site_scan(scan_id, crawl_factory(), results_factory())
    assert len(flushed) == 2 and flushed[-1] > 5
    _assert_failed_and_empty(repo, run_id, scan_id, "RuntimeError: disk full")


def test_database_constraint_failure_rolls_back(
    repo: Repository, crawl_factory: CrawlFactory, results_factory: ResultsFactory
) -> None:
    """A failure raised by the database itself (duplicate item code) at flush time."""
    run_id, scan_id = _scan(repo)
    results = results_factory()
    results.append(dataclasses.replace(results[0]))  # O1 twice
    with pytest.raises(SiteScanWriteError, match="site scan"):
        repo.finish_site_scan(scan_id, crawl_factory(), results)
    _assert_failed_and_empty(repo, run_id, scan_id, "could not save results")


def _assert_failed_and_empty(repo: Repository, run_id: int, scan_id: int, reason: str) -> None:
    assert _count(repo.db, ItemResultRow) == 0
    assert _count(repo.db, EvidenceRow) == 0
    assert _count(repo.db, PageRow) == 0
    [site] = _load(repo, run_id)[1]
    assert (site.site_scan_id, site.state, site.items, site.status) == (
        scan_id,
        "failed",
        [],
        "error",
    )
    assert site.reason.startswith("scan failed: ") and reason in site.reason
    assert repo.latest_site_report(HOME) is None
    assert repo.evidence_for(run_id) == []


def test_naive_datetime_is_refused(repo: Repository, crawl_factory: CrawlFactory) -> None:
    _, scan_id = _scan(repo)
    crawl = crawl_factory()
    crawl.pages[1].fetched_at = datetime(2026, 3, 15, 9, 0)  # no tzinfo
    with pytest.raises(SiteScanWriteError, match="naive datetime"):
        repo.finish_site_scan(scan_id, crawl, [])


def test_finished_scan_is_never_rewritten(
    repo: Repository, crawl_factory: CrawlFactory, results_factory: ResultsFactory
) -> None:
    run_id, scan_id = _scan(repo)
    repo.finish_site_scan(scan_id, crawl_factory(), results_factory())
    with pytest.raises(SiteScanWriteError, match="is complete, not running"):
        repo.finish_site_scan(scan_id, crawl_factory(), results_factory())
    assert repo.fail_site_scan(scan_id, "late failure") is False
    [site] = _load(repo, run_id)[1]
    assert site.state == "complete" and len(site.items) == 3
    with pytest.raises(NotFoundError):
        repo.finish_site_scan(9999, crawl_factory(), [])


def test_finish_run_fails_scans_left_running(repo: Repository) -> None:
    run_id, _ = _scan(repo)
    repo.finish_run(run_id)
    [site] = _load(repo, run_id)[1]
    assert site.state == "failed" and "run finished" in site.reason
    with pytest.raises(StorageError, match="is complete"):
        repo.start_site_scan(run_id, HOME)
    with pytest.raises(ValueError):
        repo.finish_run(run_id, state="running")


def test_stale_runs_marked_interrupted(repo: Repository) -> None:
    stale_run, _ = _scan(repo)
    live_run, _ = _scan(repo)
    long_ago = datetime.now(UTC) - timedelta(hours=7)
    with repo.db.session() as s, s.begin():
        s.execute(update(ScanRun).where(ScanRun.id == stale_run).values(heartbeat_at=long_ago))

    assert repo.mark_stale_runs_interrupted(timedelta(hours=6)) == [stale_run]
    assert repo.mark_stale_runs_interrupted(timedelta(hours=6)) == []  # idempotent
    stale, stale_sites = _load(repo, stale_run)
    assert stale.state == "interrupted" and stale.finished_at == long_ago
    assert stale_sites[0].state == "failed" and "interrupted" in stale_sites[0].reason
    live, live_sites = _load(repo, live_run)
    assert live.state == "running" and live_sites[0].state == "running"
    assert {r.id: r.state for r in repo.list_runs()} == {
        stale_run: "interrupted",
        live_run: "running",
    }


def test_list_runs_counts(
    repo: Repository, crawl_factory: CrawlFactory, results_factory: ResultsFactory
) -> None:
    empty_run = repo.start_run("ita-2566", 2566, "demo", {})
    run_id = repo.start_run("ita-2566", 2566, "schedule", {}, tool_version="9.9.9")
    done = repo.start_site_scan(run_id, HOME)
    failed = repo.start_site_scan(run_id, "https://down.example.go.th/")
    repo.start_site_scan(run_id, "https://slow.example.go.th/")
    repo.finish_site_scan(done, crawl_factory(), results_factory())
    repo.fail_site_scan(failed, "unexpected crawler crash")
    newest, older = repo.list_runs()
    assert (newest.id, older.id) == (run_id, empty_run)
    assert (
        newest.site_count,
        newest.sites_complete,
        newest.sites_failed,
        newest.sites_running,
    ) == (3, 1, 1, 1)
    assert newest.tool_version == "9.9.9" and newest.trigger == "schedule"
    assert (older.site_count, older.sites_complete) == (0, 0) and older.tool_version
    assert [r.id for r in repo.list_runs(limit=1)] == [run_id]
    assert [s.state for s in _load(repo, run_id)[1]] == ["complete", "failed", "running"]


def test_agency_upsert_is_idempotent(repo: Repository) -> None:
    first = repo.upsert_agency(
        code="6340101",
        name="อบต.ตัวอย่าง",
        homepage=HOME,
        agency_type="อบต.",
        province="ตาก",
        district="แม่สอด",
    )
    again = repo.upsert_agency(
        code="6340101",
        name="อบต.ตัวอย่าง",
        homepage=HOME,
        agency_type="อบต.",
        province="ตาก",
        district="แม่สอด",
    )
    renamed = repo.upsert_agency(code="6340101", name="เทศบาลตำบลตัวอย่าง", agency_type="เทศบาลตำบล")
    assert first == again == renamed
    found = repo.find_agency_by_homepage("http://example-tambon.go.th/index.php")
    assert found is not None
    assert (found.id, found.name, found.type, found.province, found.district, found.homepage) == (
        first,
        "เทศบาลตำบลตัวอย่าง",
        "เทศบาลตำบล",
        "ตาก",
        "แม่สอด",
        HOME,
    )


def test_agency_without_code_matched_by_homepage_then_claimed(repo: Repository) -> None:
    seen = repo.upsert_agency(name="อบต.หนองขอน", homepage="http://nongkhon.go.th")
    assert repo.upsert_agency(name="อบต.หนองขอน", homepage="https://www.nongkhon.go.th/") == seen
    # The registry import later brings the code: the same row gets it.
    assert (
        repo.upsert_agency(code="5300001", name="อบต.หนองขอน", homepage="https://nongkhon.go.th/")
        == seen
    )
    # A different code on the same homepage is a different agency, never merged.
    other = repo.upsert_agency(code="5300002", name="อื่น", homepage="https://nongkhon.go.th/")
    assert other != seen
    assert repo.find_agency_by_homepage("https://nosuch.go.th") is None
    with pytest.raises(ValueError):
        repo.upsert_agency(name="ไม่มีอะไรเลย")


def test_evidence_for(
    repo: Repository, crawl_factory: CrawlFactory, results_factory: ResultsFactory
) -> None:
    agency_id = repo.upsert_agency(code="6340101", name="อบต.ตัวอย่าง", homepage=HOME)
    run_id, scan_id = _scan(repo, agency_id=agency_id)
    crawl = crawl_factory()
    repo.finish_site_scan(scan_id, crawl, results_factory())
    repo.start_site_scan(run_id, "https://unfinished.example.go.th/")  # contributes nothing

    rows = repo.evidence_for(run_id)
    assert [(r.item_code, r.rank, r.url) for r in rows] == [
        ("O1", 0, PDF),
        ("O1", 1, STRUCTURE),
        ("O9", 0, FACEBOOK),
        ("O28", None, None),
    ]
    pdf = rows[0]
    assert (pdf.agency_code, pdf.agency_name, pdf.seed_url, pdf.item_status) == (
        "6340101",
        "อบต.ตัวอย่าง",
        HOME,
        "pass",
    )
    assert pdf.sha256 == "c" * 64 and pdf.http_status == 200 and pdf.kind == "document"
    assert pdf.fetched_at is not None and pdf.fetched_at.tzinfo == UTC
    assert pdf.fetched_at == crawl.pages[2].fetched_at
    assert pdf.click_path == ["หน้าแรก", "โครงสร้างส่วนราชการ", "ดาวน์โหลด"]
    # No hash from the rules: the crawler's hash of the same fetch is shown.
    assert rows[1].sha256 == "b" * 64 and rows[1].meets_requirements is False
    assert rows[2].fetched_at is None and rows[2].http_status == 0  # external, never fetched
    assert rows[3].item_status == "fail" and rows[3].sha256 is None

    assert [r.url for r in repo.evidence_for(run_id, code="o1")] == [PDF, STRUCTURE]
    assert repo.evidence_for(run_id, code="O99") == []
    with pytest.raises(NotFoundError):
        repo.evidence_for(run_id + 100)


def test_latest_site_report(
    repo: Repository, crawl_factory: CrawlFactory, results_factory: ResultsFactory
) -> None:
    assert repo.latest_site_report(HOME) is None
    _, first = _scan(repo)
    repo.finish_site_scan(first, crawl_factory(), results_factory())
    _, second = _scan(repo)
    later = crawl_factory()
    later.started_at += timedelta(days=1)
    later.finished_at += timedelta(days=1)
    repo.finish_site_scan(second, later, results_factory()[:1])
    _scan(repo)  # the newest scan, but still running: not a result to show
    report = repo.latest_site_report(HOME)
    assert report is not None and report.site_scan_id == second
    assert [i.code for i in report.items] == ["O1"]
    assert report.finished_at == later.finished_at


def test_load_run_unknown(repo: Repository) -> None:
    assert repo.load_run(42) is None


def test_three_hundred_pages_in_one_write(
    repo: Repository, crawl_factory: CrawlFactory, results_factory: ResultsFactory
) -> None:
    run_id, scan_id = _scan(repo)
    repo.finish_site_scan(scan_id, crawl_factory(extra_pages=300), results_factory())
    assert _count(repo.db, PageRow) == 305  # 4 + 300 + one external link
    assert _load(repo, run_id)[1][0].pages_fetched == 304


def test_reader_and_writer_coexist(
    repo: Repository, crawl_factory: CrawlFactory, results_factory: ResultsFactory
) -> None:
    """A report holding a read transaction open does not block a scan from writing (WAL on
    SQLite, MVCC on PostgreSQL), and the reader keeps its consistent snapshot."""
    _, scan_id = _scan(repo)
    with repo.db.session() as reader:
        before = reader.scalar(select(func.count()).select_from(ItemResultRow))
        errors: list[Exception] = []

        def write() -> None:
            try:
                repo.finish_site_scan(scan_id, crawl_factory(), results_factory())
            except Exception as exc:  # noqa: BLE001 - reported by the assertion below
                errors.append(exc)

        writer = threading.Thread(target=write)
        writer.start()
        writer.join(timeout=20)
        assert not writer.is_alive() and errors == []
        reader.rollback()
    assert before == 0 and _count(repo.db, ItemResultRow) == 3


def test_evidence_kind_must_be_known(repo: Repository, crawl_factory: CrawlFactory) -> None:
    _, scan_id = _scan(repo)
    bad = ItemResult(
        code="O5",
        title_th="ติดต่อ",
        title_en="Contact",
        status=ItemStatus.PASS,
        evidence=[
            Evidence(url=HOME, kind="webpage", click_path=[], click_path_urls=[], matched="")
        ],
    )
    with pytest.raises(SiteScanWriteError, match="webpage"):
        repo.finish_site_scan(scan_id, crawl_factory(), [bad])


def test_media_details_round_trip(
    repo: Repository, crawl_factory: CrawlFactory, results_factory: ResultsFactory
) -> None:
    """Crawl notes and the evidence's document pages, QR image and screenshot are kept."""
    run_id, scan_id = _scan(repo)
    crawl, results = crawl_factory(), results_factory()
    crawl.notes = ["JavaScript rendering not available: no browser found", "OCR budget used up"]
    ev = results[0].evidence[0]
    ev.document_pages, ev.image_url, ev.screenshot = [2, 5], "https://x.go.th/qr.png", "a" * 64
    repo.finish_site_scan(scan_id, crawl, results)
    _, [site] = _load(repo, run_id)
    assert site.notes == crawl.notes
    back = site.items[0].evidence[0]
    assert (back.document_pages, back.image_url, back.screenshot) == (
        [2, 5], "https://x.go.th/qr.png", "a" * 64
    )
    assert site.items == results
