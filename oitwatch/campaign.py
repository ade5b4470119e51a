"""Campaigns: scan many registry agencies as one run, in this process or on Celery workers.

    plan = plan_campaign(repo, Selection(province="ขอนแก่น"))        # which sites, which catalog
    run_id = start_campaign(repo, plan, catalog, options)            # the run + queued site scans
    run_inprocess(repo, plan, catalog, run_id, options)              # or: enqueue(run_id, ...)
    wait_for_run(repo, run_id, ...)                                  # workers report through the DB

``fire_schedule`` is what happens when a schedule fires (the scheduler decides only *when*).
Every site is scanned by ``oitwatch.scan`` (``scan_sites`` in process, ``scan_one_site`` in a
worker): this module only decides *which* sites and *where*.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from reports import RunReport
from rules import Catalog, default_catalog
from storage import AgencyRecord, Repository, RunInProgressError, RunProgress

from .registry import normalize_district, normalize_province
from .scan import ScanOptions, ScanProgress, SiteTarget, scan_sites

__all__ = [
    "BACKENDS",
    "CampaignError",
    "CampaignPlan",
    "CampaignSummary",
    "FireResult",
    "Selection",
    "enqueue",
    "fire_schedule",
    "plan_campaign",
    "run_inprocess",
    "send_alerts",
    "start_campaign",
    "summarize",
    "wait_for_run",
]

log = logging.getLogger("oitwatch.campaign")

BACKENDS = ("inprocess", "celery")


class CampaignError(Exception):
    """The selection cannot be scanned as asked; th/en are fit to show a monitor."""

    def __init__(self, th: str, en: str) -> None:
        super().__init__(en)
        self.th = th
        self.en = en


@dataclass(frozen=True, slots=True)
class Selection:
    """Which registry agencies a campaign scans: a province (optionally one district), some
    agency codes, or all of them."""

    province: str | None = None
    district: str | None = None
    agencies: tuple[str, ...] = ()
    all: bool = False

    def __post_init__(self) -> None:
        chosen = sum((self.province is not None, bool(self.agencies), self.all))
        if chosen != 1:
            raise CampaignError(
                "เลือกได้อย่างเดียว: --province, --agency หรือ --all",
                "choose exactly one of --province, --agency or --all",
            )
        if self.district is not None and self.province is None:
            raise CampaignError("--district ใช้คู่กับ --province", "--district needs --province")

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        if self.province is not None:
            data["province"] = self.province
        if self.district is not None:
            data["district"] = self.district
        if self.agencies:
            data["agencies"] = list(self.agencies)
        if self.all:
            data["all"] = True
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Selection:
        return cls(
            province=data.get("province"),
            district=data.get("district"),
            agencies=tuple(data.get("agencies") or ()),
            all=bool(data.get("all")),
        )

    def describe(self) -> str:
        if self.all:
            return "all / ทุกหน่วยงาน"
        if self.agencies:
            return "agency " + ", ".join(self.agencies)
        where = f"province {self.province}"
        return where + (f", district {self.district}" if self.district else "")


@dataclass(slots=True)
class CampaignPlan:
    selection: Selection
    catalog_id: str
    targets: list[SiteTarget]
    agencies: list[AgencyRecord]  # every agency selected, with or without a homepage
    without_homepage: list[AgencyRecord] = field(default_factory=list)
    shared_homepage: list[AgencyRecord] = field(default_factory=list)  # scanned under another


def plan_campaign(
    repo: Repository, selection: Selection, catalog: str | None = None
) -> CampaignPlan:
    """The sites to scan and the catalog to judge them by.

    The catalog is ``catalog`` when given, else the agencies' registry catalog (agencies
    without one use ita-2566); agencies naming different catalogs need an explicit one,
    since one run is judged against one catalog.
    """
    if selection.all:
        agencies = repo.list_agencies()
    elif selection.agencies:
        agencies = repo.list_agencies(codes=list(selection.agencies))
        unknown = sorted(set(selection.agencies) - {a.code for a in agencies})
        if unknown:
            raise CampaignError(
                "ไม่พบรหัสหน่วยงานในทะเบียน: " + ", ".join(unknown),
                "no such agency code in the registry: " + ", ".join(unknown),
            )
    else:
        province = normalize_province(selection.province or "")
        district = normalize_district(selection.district) if selection.district else None
        agencies = repo.list_agencies(province=province, district=district)
    if not agencies:
        raise CampaignError(
            f"ไม่มีหน่วยงานในทะเบียนตรงกับ {selection.describe()} "
            "(ดูทะเบียนด้วย `oitwatch agencies list`)",
            f"no registered agency matches {selection.describe()} "
            "(see `oitwatch agencies list`; import with `oitwatch agencies import FILE`)",
        )
    if catalog is None:
        named = Counter(a.catalog or default_catalog() for a in agencies if a.homepage)
        if len(named) > 1:
            listing = ", ".join(f"{c}: {n}" for c, n in named.most_common())
            raise CampaignError(
                f"หน่วยงานที่เลือกใช้ชุดกฎต่างกัน ({listing}) ให้ระบุ --catalog",
                f"the selected agencies use different catalogs ({listing}); pass --catalog",
            )
        catalog = next(iter(named), default_catalog())
    targets: list[SiteTarget] = []
    seen: set[str] = set()
    plan = CampaignPlan(selection, catalog, targets, agencies)
    for agency in agencies:
        if not agency.homepage:
            plan.without_homepage.append(agency)
        elif agency.homepage in seen:
            plan.shared_homepage.append(agency)
        else:
            seen.add(agency.homepage)
            targets.append(SiteTarget(agency.homepage, agency.id))
    if not targets:
        raise CampaignError(
            "หน่วยงานที่เลือกไม่มีเว็บไซต์ในทะเบียนเลย",
            "none of the selected agencies has a homepage in the registry",
        )
    return plan


def _run_options(plan: CampaignPlan, options: ScanOptions, backend: str) -> dict[str, Any]:
    data = options.to_dict()
    data["extra"] = {
        **dict(options.extra),
        "selection": plan.selection.to_dict(),
        "backend": backend,
    }
    return data


def start_campaign(
    repo: Repository,
    plan: CampaignPlan,
    catalog: Catalog,
    options: ScanOptions,
    *,
    backend: str = "inprocess",
    schedule_id: int | None = None,
    stale_after: timedelta | None = None,
) -> int:
    """Create the campaign's run with one queued site scan per site (one transaction).
    Raises RunInProgressError for a schedule whose previous run still goes on."""
    return repo.start_campaign_run(
        catalog.id,
        catalog.fiscal_year,
        options.trigger,
        _run_options(plan, options, backend),
        [(t.seed_url, t.agency_id) for t in plan.targets],
        schedule_id=schedule_id,
        stale_after=stale_after,
    )


def run_inprocess(
    repo: Repository,
    plan: CampaignPlan,
    catalog: Catalog,
    run_id: int,
    options: ScanOptions,
    progress: ScanProgress | None = None,
) -> RunReport:
    """Scan the campaign here: ``options.site_concurrency`` sites at once, one shared
    crawler (so per-host politeness holds across agencies on one server); then send the
    run's alerts."""
    report = scan_sites(plan.targets, catalog, repo, options, progress, run_id=run_id)
    send_alerts(repo, run_id)
    return report


def send_alerts(repo: Repository, run_id: int) -> None:
    """Tell the alert destinations what changed (alerts package). Never raises: an alert
    problem is logged and retried later, it never fails the scan."""
    try:
        from alerts import after_run

        after_run(repo, run_id)
    except Exception:  # e.g. a broken install of the alerts package
        log.exception("run %s: alerts not sent", run_id)


def enqueue(
    run_id: int,
    plan: CampaignPlan,
    options: ScanOptions,
    *,
    broker: str | None = None,
    queue: str | None = None,
) -> int:
    """One Celery task per site; returns how many were sent."""
    from .tasks import enqueue_sites

    return enqueue_sites(
        run_id,
        [(t.seed_url, t.agency_id) for t in plan.targets],
        plan.catalog_id,
        options.to_dict(),
        broker=broker,
        queue=queue,
    )


def wait_for_run(
    repo: Repository,
    run_id: int,
    *,
    poll: float = 1.0,
    timeout: float | None = None,
    on_progress: Callable[[RunProgress], None] | None = None,
    abandon_after: timedelta | None = None,
) -> RunProgress:
    """Poll the database until the run is closed (workers report there) or ``timeout``.
    With ``abandon_after``, site scans whose worker vanished that long ago are failed so
    the run can finish."""
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        if abandon_after is not None:
            repo.fail_abandoned_site_scans(abandon_after)
        progress = repo.run_progress(run_id)
        if on_progress is not None:
            on_progress(progress)
        if progress.state != "running":
            return progress
        if progress.total and progress.done == progress.total and repo.finish_run_if_done(run_id):
            send_alerts(repo, run_id)
        if deadline is not None and time.monotonic() >= deadline:
            return progress
        time.sleep(poll)


@dataclass(frozen=True, slots=True)
class CampaignSummary:
    sites: int
    site_status: dict[str, int]  # ok / unreachable / blocked / error
    not_finished: int  # site scans failed by oitwatch or never run (no items)
    items: dict[str, int]  # pass / partial / fail / error


def summarize(run: RunReport) -> CampaignSummary:
    status: Counter[str] = Counter()
    items: Counter[str] = Counter()
    not_finished = 0
    for site in run.sites:
        state = getattr(site, "state", "complete")
        if state != "complete":
            not_finished += 1
        status[site.status] += 1
        for item in site.items:
            items[item.status.value] += 1
    return CampaignSummary(len(run.sites), dict(status), not_finished, dict(items))


@dataclass(frozen=True, slots=True)
class FireResult:
    schedule_id: int
    run_id: int | None
    status: str  # started | skipped | error | done
    message: str


def fire_schedule(
    repo: Repository,
    schedule_id: int,
    *,
    broker: str | None = None,
    queue: str | None = None,
    stale_after: timedelta = timedelta(hours=2),
    progress: ScanProgress | None = None,
) -> FireResult:
    """Start the schedule's campaign now: guarded (never two runs of one schedule at once,
    across processes), then scanned in this thread (in-process backend, returns when done)
    or handed to Celery workers (returns once the tasks are queued)."""
    from rules import RuleError, load_catalog

    schedule = repo.get_schedule(schedule_id)
    if schedule is None:
        return FireResult(schedule_id, None, "error", f"no schedule with id {schedule_id}")
    try:
        selection = Selection.from_dict(schedule.selection)
        plan = plan_campaign(repo, selection, schedule.catalog)
        catalog = load_catalog(plan.catalog_id)
    except (CampaignError, RuleError) as exc:
        message = f"error: {exc}"
        repo.record_schedule_status(schedule_id, message)
        log.error("schedule %s: %s", schedule_id, exc)
        return FireResult(schedule_id, None, "error", message)
    options = ScanOptions.from_dict({**schedule.options, "trigger": "schedule"})
    try:
        run_id = start_campaign(
            repo, plan, catalog, options, backend=schedule.backend,
            schedule_id=schedule_id, stale_after=stale_after,
        )
    except RunInProgressError as exc:
        log.warning("schedule %s skipped: run %s is still running", schedule_id, exc.run_id)
        return FireResult(schedule_id, None, "skipped", f"run {exc.run_id} is still running")
    log.info("schedule %s started run %s (%d sites, %s)", schedule_id, run_id,
             len(plan.targets), schedule.backend)
    if schedule.backend == "celery":
        try:
            sent = enqueue(run_id, plan, options, broker=broker, queue=queue)
        except Exception as exc:  # broker down: the run cannot happen, say so
            repo.finish_run(run_id, state="interrupted")
            message = f"error: could not queue the tasks: {exc}"
            repo.record_schedule_status(schedule_id, message)
            log.error("schedule %s: %s", schedule_id, message)
            return FireResult(schedule_id, run_id, "error", message)
        return FireResult(schedule_id, run_id, "started", f"queued {sent} sites")
    report = run_inprocess(repo, plan, catalog, run_id, options, progress)
    return FireResult(schedule_id, run_id, "done", f"scanned {len(report.sites)} sites")
