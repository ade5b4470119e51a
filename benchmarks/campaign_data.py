"""Generated campaigns for the dashboard: agencies, runs, site scans, item results and
evidence, written through the real Repository API (the same rows a scan writes).

    repo = Repository(db)
    runs = seed_campaign(repo, agencies=1000, runs=2, seed=0)

Used by the web tests (SQLite and PostgreSQL) and by benchmarks/dashboard_bench.py. The
statuses are drawn per item with a per-agency "diligence", so scores spread from failing to
passing, and each later run changes a few items (the run diff has something to show).
``hostile=True`` puts markup and Rich tags into names, titles, reasons and link texts, as a
hostile site would, to prove they are shown as text."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from crawler import ClickStep, Page, PageKind, SiteCrawl, SiteStatus
from rules import Evidence, ItemResult, ItemStatus, Reason, load_catalog
from storage import AgencyInput, Repository

__all__ = ["HOSTILE", "SeededCampaign", "seed_campaign"]

PROVINCES = {
    "ขอนแก่น": ["เมืองขอนแก่น", "บ้านไผ่", "ชุมแพ", "น้ำพอง"],
    "พิษณุโลก": ["เมืองพิษณุโลก", "วังทอง", "บางระกำ"],
    "ลำปาง": ["เมืองลำปาง", "เกาะคา", "แม่ทะ"],
    "สงขลา": ["หาดใหญ่", "เมืองสงขลา", "สะเดา", "จะนะ"],
}
TYPES = ["อบต.", "เทศบาลตำบล", "เทศบาลเมือง"]
PLACES = ["ดอนมะเฟือง", "หนองกระทุ่ม", "โคกสำราญ", "ท่าศิลา", "เขาม่วง", "คลองตะเคียน",
          "บ้านใหม่", "นาดี", "โพนแก้ว", "หาดทราย", "ศรีวังตาล", "หนองหิน"]
# What a hostile site writes into its titles and links (tests assert these show as text).
HOSTILE = (
    "<script>alert('title')</script>",
    '"><img src=x onerror=alert(1)>',
    "[bold red]rich markup[/bold red] [link=https://evil.example]x[/link]",
)


@dataclass(frozen=True, slots=True)
class SeededCampaign:
    run_ids: list[int]
    agency_ids: list[int]
    agency_codes: list[str]
    site_scan_ids: list[list[int]]  # per run, in agency order


def _status(rng: random.Random, diligence: float) -> ItemStatus:
    x = rng.random()
    if x < diligence:
        return ItemStatus.PASS
    if x < diligence + (1 - diligence) * 0.35:
        return ItemStatus.PARTIAL
    return ItemStatus.FAIL


def seed_campaign(
    repo: Repository,
    *,
    agencies: int = 20,
    runs: int = 2,
    seed: int = 0,
    catalog_id: str = "ita-2566",
    hostile: bool = False,
    down_every: int = 25,
    start: datetime | None = None,
) -> SeededCampaign:
    """Register ``agencies`` agencies and write ``runs`` complete runs over them (one day
    apart, the last ending ``start`` or now). Every ``down_every``-th site is unreachable
    (its items ``error``)."""
    rng = random.Random(seed)
    catalog = load_catalog(catalog_id)
    rows: list[AgencyInput] = []
    provinces = list(PROVINCES)
    for n in range(agencies):
        province = provinces[n % len(provinces)]
        district = PROVINCES[province][(n // len(provinces)) % len(PROVINCES[province])]
        kind = TYPES[n % len(TYPES)]
        name = f"{kind}{PLACES[n % len(PLACES)]}{n:04d}"
        if hostile and n < len(HOSTILE):
            name = f"{name} {HOSTILE[n]}"
        rows.append(AgencyInput(
            code=f"G{n:05d}", name=name, type=kind, province=province, district=district,
            homepage=f"http://site{n:04d}.example.go.th/", catalog=catalog_id,
        ))
    repo.import_agencies(rows)
    records = {a.code: a for a in repo.list_agencies(codes=[r.code for r in rows])}
    agency_ids = [records[r.code].id for r in rows]
    diligence = [rng.uniform(0.2, 0.97) for _ in rows]
    statuses = [[_status(rng, diligence[n]) for _ in catalog.items] for n in range(agencies)]
    end = start or datetime.now(UTC)
    run_ids: list[int] = []
    scans: list[list[int]] = []
    for r in range(runs):
        when = end - timedelta(days=runs - 1 - r)
        run_id = repo.start_run(catalog.id, catalog.fiscal_year, "schedule", {"max_pages": 300})
        run_ids.append(run_id)
        scan_ids: list[int] = []
        if r:  # a few items change between runs, both ways
            for row in statuses:
                for i in rng.sample(range(len(row)), k=2):
                    row[i] = _status(rng, 0.5)
        for n, agency in enumerate(rows):
            assert agency.homepage is not None
            scan_id = repo.start_site_scan(run_id, agency.homepage, agency_ids[n])
            scan_ids.append(scan_id)
            crawl, results = _site(catalog, agency, statuses[n], when, n, rng, hostile,
                                   down=down_every > 0 and n % down_every == down_every - 1)
            repo.finish_site_scan(scan_id, crawl, results)
        repo.finish_run(run_id)
        scans.append(scan_ids)
    return SeededCampaign(run_ids, agency_ids, [r.code for r in rows], scans)


def _site(catalog, agency: AgencyInput, statuses: list[ItemStatus], when: datetime, n: int,
          rng: random.Random, hostile: bool, *, down: bool):  # type: ignore[no-untyped-def]
    home = agency.homepage or ""
    started = when - timedelta(minutes=3)
    if down:
        crawl = SiteCrawl(home, home, SiteStatus.UNREACHABLE, "connection refused", started, when)
        results = [
            ItemResult(item.code, item.title_th, item.title_en, ItemStatus.ERROR,
                       reasons=[Reason("เข้าเว็บไซต์ไม่ได้", "the site could not be reached")])
            for item in catalog.items
        ]
        return crawl, results
    title = HOSTILE[n % len(HOSTILE)] if hostile else f"หน้าแรก {agency.name}"
    pages = [Page(home, home, PageKind.PAGE, 200, "text/html", 20_000, f"{n:064x}"[-64:], when, 0,
                  title=title)]
    results = []
    for i, (item, status) in enumerate(zip(catalog.items, statuses)):
        evidence: list[Evidence] = []
        if status in (ItemStatus.PASS, ItemStatus.PARTIAL):
            menu = HOSTILE[(n + i) % len(HOSTILE)] if hostile else "ข้อมูลพื้นฐาน"
            url = f"{home}content/{item.code.lower()}"
            kind = "document" if i % 3 == 0 else "page"
            if kind == "document":
                url += ".pdf"
            sha = f"{n:08x}{i:08x}".ljust(64, "0")
            pages.append(Page(url, url, PageKind.DOCUMENT if kind == "document" else PageKind.PAGE,
                              200, "application/pdf" if kind == "document" else "text/html",
                              50_000, sha, when, 2,
                              [ClickStep(home + "menu", menu), ClickStep(url, item.title_th)],
                              title=f"{item.title_th} {agency.name}"))
            evidence.append(Evidence(
                url, kind, ["หน้าแรก", menu, item.title_th], [home, home + "menu", url],
                f'link text "{item.title_th}"', sha256=sha, score=round(rng.uniform(0.5, 1), 3),
                meets_requirements=status is ItemStatus.PASS,
                document_pages=[1] if kind == "document" else [],
            ))
        if status is ItemStatus.PASS:
            reasons = [Reason(f"พบ{item.title_th}", f"found {item.title_en}")]
        elif status is ItemStatus.PARTIAL:
            reasons = [Reason(f"พบ{item.title_th} แต่ไม่ใช่ของปี {catalog.fiscal_year}",
                              f"found {item.title_en}, but not of {catalog.fiscal_year}", True)]
        else:
            reasons = [Reason(f"ไม่พบ{item.title_th}", f"no {item.title_en} found", True)]
        if hostile and i == 0:
            reasons.append(Reason(HOSTILE[0], HOSTILE[1]))
        results.append(ItemResult(item.code, item.title_th, item.title_en, status, evidence, reasons))
    crawl = SiteCrawl(home, home, SiteStatus.OK, f"{len(pages)} pages fetched", started, when,
                      pages=pages)
    return crawl, results
