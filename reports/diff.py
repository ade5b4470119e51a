"""What changed between two stored runs, per agency: the morning report of a monitor.

    diff = diff_runs(repo, 11, 12, province="ขอนแก่น")
    print_diff(diff, console, "th")          # or render_diff_json / render_diff_csv

Site scans of the two runs are paired by agency (registry runs), and the rest by home page
(http/https, "www." and a trailing "/" do not matter), so a run of plain URLs compares too.
For each pair the diff lists

- the site status when it changed (ok -> unreachable, a scan that failed, ...). When either
  side is not an ``ok`` complete scan its items are not compared: every item of a site that
  is down is "error", and 43 item lines would hide the one line that matters;
- items: pass -> partial/fail (``lost``), partial/fail -> pass (``fixed``), any other status
  change (``status``, e.g. partial -> fail, an item only one run judged);
- for an item whose status stayed pass or partial: its best evidence URL changed
  (``evidence_url``), or the same URL now has different content (``evidence_content``: the
  SHA-256 of the body differs) — the page an agency submitted was edited;
- agencies scanned in only one of the runs (``only_in_a``, ``only_in_b``).

The best evidence of a pass is its best evidence that meets the requirements (what the ITAS
sheet lists first); otherwise the first candidate.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ._csv import csv_cell
from ._thai import ITEM_STATUS_LABEL, SITE_STATUS_LABEL, format_datetime, label

if TYPE_CHECKING:
    from storage.repo import ItemSnapshot, Repository, RunHeader, SiteSnapshot

__all__ = [
    "AgencyDiff",
    "Change",
    "ChangeKind",
    "change_title",
    "code_key",
    "history_codes",
    "value_label",
    "RunDiff",
    "diff_runs",
    "diff_snapshots",
    "diff_to_dict",
    "history_to_dict",
    "print_diff",
    "print_history",
    "render_diff_csv",
    "render_diff_json",
    "render_history_csv",
    "render_history_json",
    "site_state",
    "summary_line",
]


class ChangeKind(str, Enum):
    SITE_STATUS = "site_status"
    LOST = "lost"
    FIXED = "fixed"
    STATUS = "status"
    EVIDENCE_URL = "evidence_url"
    EVIDENCE_CONTENT = "evidence_content"
    ONLY_IN_A = "only_in_a"
    ONLY_IN_B = "only_in_b"


KIND_LABEL: dict[str, dict[str, str]] = {
    "site_status": {"th": "สถานะเว็บไซต์เปลี่ยน", "en": "site status changed"},
    "lost": {"th": "ไม่ผ่านแล้ว (เคยผ่าน)", "en": "lost (was pass)"},
    "fixed": {"th": "ผ่านแล้ว (แก้ไขแล้ว)", "en": "fixed (now pass)"},
    "status": {"th": "ผลการตรวจเปลี่ยน", "en": "status changed"},
    "evidence_url": {"th": "หลักฐานเปลี่ยนที่อยู่", "en": "evidence URL changed"},
    "evidence_content": {"th": "เนื้อหาหลักฐานเปลี่ยน", "en": "evidence content changed"},
    "only_in_a": {"th": "ไม่ได้ตรวจในครั้งหลัง", "en": "only in the first run"},
    "only_in_b": {"th": "ตรวจครั้งแรก (ไม่มีในครั้งก่อน)", "en": "only in the second run"},
}

# Site scans that did not complete have no crawler status; their state stands in for it.
_SITE_STATE_LABEL: dict[str, dict[str, str]] = {
    **SITE_STATUS_LABEL,
    "failed": {"th": "ตรวจไม่สำเร็จ", "en": "scan failed"},
    "running": {"th": "ตรวจไม่เสร็จ", "en": "not finished"},
    "queued": {"th": "ยังไม่ได้ตรวจ", "en": "not started"},
}

_STYLE = {
    "site_status": "magenta",
    "lost": "red",
    "fixed": "green",
    "status": "yellow",
    "evidence_url": "cyan",
    "evidence_content": "cyan",
    "only_in_a": "dim",
    "only_in_b": "dim",
}


@dataclass(frozen=True, slots=True)
class Change:
    kind: ChangeKind
    item_code: str | None = None  # None for site-level changes
    title_th: str = ""
    title_en: str = ""
    before: str | None = None  # item status or site status in run A (None: absent)
    after: str | None = None
    url_before: str | None = None
    url_after: str | None = None
    sha256_before: str | None = None
    sha256_after: str | None = None


@dataclass(slots=True)
class AgencyDiff:
    agency_id: int | None
    agency_code: str | None
    agency_name: str | None
    province: str | None
    seed_url: str  # run B's, else run A's
    site_scan_a: int | None
    site_scan_b: int | None
    changes: list[Change] = field(default_factory=list)


@dataclass(slots=True)
class RunDiff:
    run_a: RunHeader
    run_b: RunHeader
    compared: int  # agencies (sites) scanned in both runs
    agencies: list[AgencyDiff] = field(default_factory=list)  # only those with a change

    def counts(self) -> dict[str, int]:
        """Changes per kind, every kind listed (0 when none)."""
        found = Counter(c.kind.value for a in self.agencies for c in a.changes)
        return {k.value: found.get(k.value, 0) for k in ChangeKind}

    @property
    def went_down(self) -> int:
        """Sites that were ok in A and are not in B."""
        return sum(
            1
            for a in self.agencies
            for c in a.changes
            if c.kind is ChangeKind.SITE_STATUS and c.before == "ok"
        )


# -- computing ---------------------------------------------------------------------------


def diff_runs(
    repo: Repository,
    a: int,
    b: int,
    *,
    agency_codes: Sequence[str] | None = None,
    province: str | None = None,
    seed_urls: Sequence[str] | None = None,
) -> RunDiff:
    """The changes from run ``a`` to run ``b`` (storage.NotFoundError for an unknown run).
    ``agency_codes`` / ``seed_urls`` / ``province`` restrict both runs alike."""
    snap_a = repo.run_snapshot(a, agency_codes=agency_codes, province=province, seed_urls=seed_urls)
    snap_b = repo.run_snapshot(b, agency_codes=agency_codes, province=province, seed_urls=seed_urls)
    return diff_snapshots(snap_a.run, snap_a.sites, snap_a.items, snap_b.run, snap_b.sites, snap_b.items)


def _url_key(url: str) -> str:
    from storage._convert import homepage_key  # lazy: storage imports reports

    return homepage_key(url)


def _pair(
    sites_a: Sequence[SiteSnapshot], sites_b: Sequence[SiteSnapshot]
) -> tuple[list[tuple[SiteSnapshot, SiteSnapshot]], list[SiteSnapshot], list[SiteSnapshot]]:
    """Pairs by agency id first, then the rest by home page. Returns (pairs, only A, only B)."""
    by_agency: dict[int, SiteSnapshot] = {}
    for site in sites_b:
        if site.agency_id is not None:
            by_agency.setdefault(site.agency_id, site)
    pairs: list[tuple[SiteSnapshot, SiteSnapshot]] = []
    used: set[int] = set()
    rest_a: list[SiteSnapshot] = []
    for site in sites_a:
        match = by_agency.get(site.agency_id) if site.agency_id is not None else None
        if match is not None and match.site_scan_id not in used:
            pairs.append((site, match))
            used.add(match.site_scan_id)
        else:
            rest_a.append(site)
    by_url: dict[str, SiteSnapshot] = {}
    for site in sites_b:
        if site.site_scan_id not in used:
            by_url.setdefault(_url_key(site.seed_url), site)
    only_a: list[SiteSnapshot] = []
    for site in rest_a:
        match = by_url.get(_url_key(site.seed_url))
        # never pair two different registry agencies just because they share a home page
        if (
            match is not None
            and match.site_scan_id not in used
            and (site.agency_id is None or match.agency_id is None)
        ):
            pairs.append((site, match))
            used.add(match.site_scan_id)
        else:
            only_a.append(site)
    only_b = [site for site in sites_b if site.site_scan_id not in used]
    return pairs, only_a, only_b


def site_state(site: SiteSnapshot) -> str:
    """The crawler status of a complete scan, else the scan's state (failed, running, ...)."""
    return (site.status or "error") if site.state == "complete" else site.state


@functools.lru_cache(maxsize=1024)
def code_key(code: str) -> tuple[str, int, str]:
    """O2 before O10: catalog order for codes of the form letters + number."""
    m = re.match(r"([A-Za-z]*)(\d*)(.*)", code)
    assert m is not None
    return (m.group(1).upper(), int(m.group(2) or 0), m.group(3))


def _item_change(a: ItemSnapshot | None, b: ItemSnapshot | None) -> Change | None:
    ref = b or a
    assert ref is not None
    common: dict[str, Any] = {
        "item_code": ref.code,
        "title_th": ref.title_th,
        "title_en": ref.title_en,
        "before": a.status if a else None,
        "after": b.status if b else None,
        "url_before": a.best_url if a else None,
        "url_after": b.best_url if b else None,
        "sha256_before": (a.best_sha256 or None) if a else None,
        "sha256_after": (b.best_sha256 or None) if b else None,
    }
    if a is None or b is None:
        return Change(ChangeKind.STATUS, **common)
    if a.status != b.status:
        if a.status == "pass" and b.status in ("partial", "fail"):
            return Change(ChangeKind.LOST, **common)
        if b.status == "pass" and a.status in ("partial", "fail"):
            return Change(ChangeKind.FIXED, **common)
        return Change(ChangeKind.STATUS, **common)
    if a.status not in ("pass", "partial"):
        return None  # still no evidence worth following
    if a.best_url != b.best_url:
        return Change(ChangeKind.EVIDENCE_URL, **common)
    if a.best_sha256 and b.best_sha256 and a.best_sha256 != b.best_sha256:
        return Change(ChangeKind.EVIDENCE_CONTENT, **common)
    return None


def _agency(site: SiteSnapshot, a: SiteSnapshot | None, b: SiteSnapshot | None) -> AgencyDiff:
    return AgencyDiff(
        agency_id=site.agency_id,
        agency_code=site.agency_code,
        agency_name=site.agency_name,
        province=site.province,
        seed_url=site.seed_url,
        site_scan_a=a.site_scan_id if a else None,
        site_scan_b=b.site_scan_id if b else None,
    )


def diff_snapshots(
    run_a: RunHeader,
    sites_a: Sequence[SiteSnapshot],
    items_a: dict[int, dict[str, ItemSnapshot]],
    run_b: RunHeader,
    sites_b: Sequence[SiteSnapshot],
    items_b: dict[int, dict[str, ItemSnapshot]],
) -> RunDiff:
    """The comparison itself, on data already loaded (see ``diff_runs``)."""
    pairs, only_a, only_b = _pair(sites_a, sites_b)
    result = RunDiff(run_a=run_a, run_b=run_b, compared=len(pairs))
    for sa, sb in pairs:
        # the agency as run B knows it; run A's when only A's scan was linked to the registry
        entry = _agency(sa if sb.agency_id is None and sa.agency_id is not None else sb, sa, sb)
        entry.seed_url = sb.seed_url
        state_a, state_b = site_state(sa), site_state(sb)
        if state_a != state_b:
            entry.changes.append(Change(ChangeKind.SITE_STATUS, before=state_a, after=state_b))
        if state_a == "ok" and state_b == "ok":
            ia = items_a.get(sa.site_scan_id, {})
            ib = items_b.get(sb.site_scan_id, {})
            for code in sorted(ia.keys() | ib.keys(), key=code_key):
                change = _item_change(ia.get(code), ib.get(code))
                if change is not None:
                    entry.changes.append(change)
        if entry.changes:
            result.agencies.append(entry)
    for site in only_a:
        entry = _agency(site, site, None)
        entry.changes.append(Change(ChangeKind.ONLY_IN_A, before=site_state(site)))
        result.agencies.append(entry)
    for site in only_b:
        entry = _agency(site, None, site)
        entry.changes.append(Change(ChangeKind.ONLY_IN_B, after=site_state(site)))
        result.agencies.append(entry)
    # registered agencies by province and code first, then sites outside the registry
    result.agencies.sort(
        key=lambda d: (
            d.agency_code is None, d.province or "", d.agency_code or "", d.agency_name or "",
            d.seed_url,
        )
    )
    return result


# -- rendering ---------------------------------------------------------------------------


def value_label(change: Change, value: str | None, lang: str) -> str:
    if value is None:
        return "-"
    if change.kind in (ChangeKind.SITE_STATUS, ChangeKind.ONLY_IN_A, ChangeKind.ONLY_IN_B):
        return label(_SITE_STATE_LABEL, value, lang)
    return label(ITEM_STATUS_LABEL, value, lang)


def _short(sha: str | None) -> str:
    return sha[:12] if sha else "-"


def change_title(change: Change, lang: str) -> str:
    return change.title_th if lang == "th" else change.title_en


def _agency_label(entry: AgencyDiff) -> str:
    name = entry.agency_name or ""
    code = f"{entry.agency_code} " if entry.agency_code else ""
    return f"{code}{name}".strip() or entry.seed_url


def summary_line(diff: RunDiff, lang: str = "th") -> str:
    c = diff.counts()
    a, b = diff.run_a.id, diff.run_b.id
    if lang == "th":
        return (
            f"เทียบการตรวจ {a} กับ {b}: {diff.compared} หน่วยงานที่ตรวจทั้งสองครั้ง, "
            f"มีการเปลี่ยนแปลง {len(diff.agencies)} หน่วยงาน — "
            f"ไม่ผ่านแล้ว {c['lost']} ข้อ, ผ่านแล้ว {c['fixed']} ข้อ, ผลเปลี่ยนอื่น ๆ {c['status']} ข้อ, "
            f"หลักฐานเปลี่ยนที่อยู่ {c['evidence_url']}, เนื้อหาหลักฐานเปลี่ยน {c['evidence_content']}, "
            f"สถานะเว็บไซต์เปลี่ยน {c['site_status']} (เข้าไม่ได้/ผิดปกติใหม่ {diff.went_down}), "
            f"ไม่ได้ตรวจในครั้งหลัง {c['only_in_a']}, ตรวจครั้งแรก {c['only_in_b']}"
        )
    return (
        f"run {a} -> {b}: {diff.compared} agencies in both runs, {len(diff.agencies)} changed — "
        f"lost {c['lost']}, fixed {c['fixed']}, other status changes {c['status']}, "
        f"evidence URL changed {c['evidence_url']}, evidence content changed "
        f"{c['evidence_content']}, site status changed {c['site_status']} "
        f"(newly down {diff.went_down}), only in run {a} {c['only_in_a']}, "
        f"only in run {b} {c['only_in_b']}"
    )


def _cells(change: Change, lang: str) -> tuple[Text, Text]:
    """The before / after cells: statuses, and the URLs or hashes when evidence moved."""
    before = Text(value_label(change, change.before, lang))
    after = Text(value_label(change, change.after, lang))
    if change.kind is ChangeKind.EVIDENCE_URL:
        before = Text(change.url_before or "-", style="cyan")
        after = Text(change.url_after or "-", style="cyan")
    elif change.kind is ChangeKind.EVIDENCE_CONTENT:
        before = Text(change.url_before or "-", style="cyan")
        before.append(f"\nsha256 {_short(change.sha256_before)}…", style="dim")
        after = Text(f"sha256 {_short(change.sha256_after)}…", style="dim")
    return before, after


def print_diff(diff: RunDiff, console: Console, lang: str = "th") -> None:
    th = lang == "th"
    a, b = diff.run_a, diff.run_b
    title = (
        f"การเปลี่ยนแปลงจากการตรวจ {a.id} ({format_datetime(a.started_at, lang)}) "
        f"ถึงการตรวจ {b.id} ({format_datetime(b.started_at, lang)})"
        if th
        else f"changes from run {a.id} ({format_datetime(a.started_at, lang)}) "
        f"to run {b.id} ({format_datetime(b.started_at, lang)})"
    )
    if not diff.agencies:
        console.print(Text(title))
        console.print(summary_line(diff, lang))
        return
    head = (
        ("หน่วยงาน", "ข้อ", "การเปลี่ยนแปลง", f"การตรวจ {a.id}", f"การตรวจ {b.id}")
        if th
        else ("Agency", "Item", "Change", f"run {a.id}", f"run {b.id}")
    )
    table = Table(*head, title=title, show_lines=True)
    for entry in diff.agencies:
        who = Text(_agency_label(entry))
        if entry.agency_name:
            who.append("\n" + entry.seed_url, style="dim")
        for i, change in enumerate(entry.changes):
            item = Text(change.item_code or "")
            if change.item_code:
                item.append(" " + change_title(change, lang), style="dim")
            before, after = _cells(change, lang)
            table.add_row(
                who if i == 0 else Text(""),
                item,
                Text(label(KIND_LABEL, change.kind.value, lang), style=_STYLE[change.kind.value]),
                before,
                after,
            )
    console.print(table)
    console.print(summary_line(diff, lang))


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _run_dict(run: RunHeader) -> dict[str, Any]:
    return {
        "id": run.id,
        "catalog": run.catalog_id,
        "fiscal_year": run.fiscal_year,
        "state": run.state,
        "started_at": _iso(run.started_at),
        "finished_at": _iso(run.finished_at),
    }


def diff_to_dict(diff: RunDiff, lang: str = "th") -> dict[str, Any]:
    """The JSON document (field names are a contract: add, never rename)."""
    return {
        "run_a": _run_dict(diff.run_a),
        "run_b": _run_dict(diff.run_b),
        "compared": diff.compared,
        "changed": len(diff.agencies),
        "counts": diff.counts(),
        "summary": summary_line(diff, lang),
        "agencies": [
            {
                "agency": {
                    "id": e.agency_id,
                    "code": e.agency_code,
                    "name": e.agency_name,
                    "province": e.province,
                },
                "seed_url": e.seed_url,
                "site_scan_a": e.site_scan_a,
                "site_scan_b": e.site_scan_b,
                "changes": [
                    {
                        "kind": c.kind.value,
                        "label": label(KIND_LABEL, c.kind.value, lang),
                        "item": c.item_code,
                        "title": change_title(c, lang) if c.item_code else None,
                        "before": c.before,
                        "after": c.after,
                        "url_before": c.url_before,
                        "url_after": c.url_after,
                        "sha256_before": c.sha256_before,
                        "sha256_after": c.sha256_after,
                    }
                    for c in e.changes
                ],
            }
            for e in diff.agencies
        ],
    }


def render_diff_json(diff: RunDiff, lang: str = "th") -> str:
    return json.dumps(diff_to_dict(diff, lang), ensure_ascii=False, indent=2)


_CSV_HEAD = {
    "th": ["รหัส", "หน่วยงาน", "จังหวัด", "เว็บไซต์", "การเปลี่ยนแปลง", "ข้อ", "รายการ",
           "ก่อน", "หลัง", "หลักฐานก่อน", "หลักฐานหลัง", "sha256 ก่อน", "sha256 หลัง", "kind"],
    "en": ["code", "agency", "province", "site", "change", "item", "title",
           "before", "after", "url_before", "url_after", "sha256_before", "sha256_after", "kind"],
}


def render_diff_csv(diff: RunDiff, lang: str = "th") -> str:
    """One row per change; cells from crawled sites are neutralised against formulas."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180; a CR in a value is quoted
    writer.writerow(_CSV_HEAD[lang])
    for e in diff.agencies:
        for c in e.changes:
            writer.writerow(
                csv_cell(v)
                for v in (
                    e.agency_code or "",
                    e.agency_name or "",
                    e.province or "",
                    e.seed_url,
                    label(KIND_LABEL, c.kind.value, lang),
                    c.item_code or "",
                    change_title(c, lang) if c.item_code else "",
                    value_label(c, c.before, lang) if c.before else "",
                    value_label(c, c.after, lang) if c.after else "",
                    c.url_before or "",
                    c.url_after or "",
                    c.sha256_before or "",
                    c.sha256_after or "",
                    c.kind.value,
                )
            )
    return out.getvalue()


# -- history: one agency's items over the runs ---------------------------------------------

_HISTORY_STYLE = {"pass": "green", "partial": "yellow", "fail": "red", "error": "magenta"}


def _date(value: Any, lang: str) -> str:
    """The day of a run: "3 ธ.ค. 2569" (Buddhist era) / "2026-12-03", Bangkok time."""
    text = format_datetime(value, lang)
    return " ".join(text.split()[:3]) if lang == "th" else text.split()[0]


def history_codes(entries: Sequence[Any]) -> list[tuple[str, str, str]]:
    titles: dict[str, tuple[str, str]] = {}
    for e in entries:
        for code, item in e.items.items():
            titles[code] = (item.title_th, item.title_en)  # the newest title wins
    return [(c, *titles[c]) for c in sorted(titles, key=code_key)]


def _history_cell(entry: Any, code: str) -> str | None:
    item = entry.items.get(code)
    return item.status if item is not None else None


def print_history(entries: Sequence[Any], console: Console, lang: str = "th", who: str = "") -> None:
    """Rows = the site's status, then each item; columns = runs, oldest first."""
    th = lang == "th"
    title = (f"ผลการตรวจย้อนหลัง: {who}" if th else f"history: {who}").rstrip(": ")
    table = Table(
        "ข้อ" if th else "Item",
        *(f"{e.run.id}\n{_date(e.run.started_at, lang)}" for e in entries),
        title=title,
    )
    site_row = [Text("เว็บไซต์" if th else "site", style="bold")]
    for e in entries:
        state = site_state(e.site)
        site_row.append(
            Text(label(_SITE_STATE_LABEL, state, lang), style="" if state == "ok" else "magenta")
        )
    table.add_row(*site_row)
    for code, title_th, title_en in history_codes(entries):
        row = [Text(code + " ", style="bold").append(title_th if th else title_en, style="dim")]
        for e in entries:
            status = _history_cell(e, code)
            row.append(
                Text(label(ITEM_STATUS_LABEL, status, lang), style=_HISTORY_STYLE.get(status, ""))
                if status
                else Text("-", style="dim")
            )
        table.add_row(*row)
    console.print(table)


def history_to_dict(entries: Sequence[Any], lang: str = "th") -> dict[str, Any]:
    first = entries[-1].site if entries else None
    return {
        "agency": {
            "id": first.agency_id if first else None,
            "code": first.agency_code if first else None,
            "name": first.agency_name if first else None,
            "province": first.province if first else None,
        },
        "runs": [
            {
                **_run_dict(e.run),
                "site_scan_id": e.site.site_scan_id,
                "seed_url": e.site.seed_url,
                "site_status": site_state(e.site),
                "scanned_at": _iso(e.site.finished_at),
            }
            for e in entries
        ],
        "items": [
            {
                "code": code,
                "title": title_th if lang == "th" else title_en,
                "statuses": [_history_cell(e, code) for e in entries],
                "best_urls": [
                    e.items[code].best_url if code in e.items else None for e in entries
                ],
            }
            for code, title_th, title_en in history_codes(entries)
        ],
    }


def render_history_json(entries: Sequence[Any], lang: str = "th") -> str:
    return json.dumps(history_to_dict(entries, lang), ensure_ascii=False, indent=2)


def render_history_csv(entries: Sequence[Any], lang: str = "th") -> str:
    """The table's layout: one row per item, one column per run (its id and day)."""
    th = lang == "th"
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180; a CR in a value is quoted
    writer.writerow(
        ["ข้อ" if th else "code", "รายการ" if th else "title"]
        + [f"{e.run.id} ({_date(e.run.started_at, lang)})" for e in entries]
    )
    writer.writerow(
        ["", "สถานะเว็บไซต์" if th else "site status"]
        + [label(_SITE_STATE_LABEL, site_state(e.site), lang) for e in entries]
    )
    for code, title_th, title_en in history_codes(entries):
        cells = [_history_cell(e, code) for e in entries]
        writer.writerow(
            csv_cell(v)
            for v in [code, title_th if th else title_en]
            + [label(ITEM_STATUS_LABEL, s, lang) if s else "" for s in cells]
        )
    return out.getvalue()
