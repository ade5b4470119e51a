"""What an alert says: the changes of one run worth telling a monitor, Thai first.

A monitor wants the morning's news, not the whole diff: sites that changed status (went
down, came back), items lost (pass -> partial/fail), fixed, or otherwise changed. Evidence
that moved or was edited, and agencies scanned in only one of the runs, are counted and
left to ``oitwatch runs diff`` and to the webhook's full JSON: a listing page whose hash
changes every night would otherwise send a message every night.

Because the diff compares a run with the one before it, a site that stays down is one
alert (the night it went down), not one per night.
"""

from __future__ import annotations

import html
from collections import Counter
from dataclasses import dataclass
from typing import Any

from oitwatch import __version__
from reports._thai import format_datetime, label
from reports.diff import (
    KIND_LABEL,
    AgencyDiff,
    Change,
    ChangeKind,
    RunDiff,
    diff_to_dict,
    summary_line,
    value_label,  # the diff's own labels for statuses, so both read the same
)

__all__ = [
    "ALERT_KINDS",
    "Composed",
    "Scope",
    "alert_changes",
    "compose",
    "compose_test",
    "payload",
    "payload_for_test",
]

ALERT_KINDS = frozenset(
    {ChangeKind.SITE_STATUS, ChangeKind.LOST, ChangeKind.FIXED, ChangeKind.STATUS}
)
MAX_CHANGES_PER_AGENCY = 12


@dataclass(frozen=True, slots=True)
class Scope:
    schedule_id: int | None = None
    schedule_name: str | None = None
    province: str | None = None

    def describe(self, lang: str) -> str:
        if self.province is not None:
            return f"จังหวัด{self.province}" if lang == "th" else f"province {self.province}"
        name = f" “{self.schedule_name}”" if self.schedule_name else ""
        return (
            f"ตารางการตรวจ {self.schedule_id}{name}"
            if lang == "th"
            else f"schedule {self.schedule_id}{name}"
        )

    def short(self) -> str:
        if self.province is not None:
            return self.province
        return self.schedule_name or f"schedule {self.schedule_id}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "schedule_id": self.schedule_id,
            "schedule_name": self.schedule_name,
            "province": self.province,
        }


@dataclass(frozen=True, slots=True)
class Composed:
    subject: str
    text: str
    html: str


def alert_changes(diff: RunDiff) -> list[tuple[AgencyDiff, list[Change]]]:
    """The agencies with a change worth a message, each with those changes only."""
    found = []
    for entry in diff.agencies:
        changes = [c for c in entry.changes if c.kind in ALERT_KINDS]
        if changes:
            found.append((entry, changes))
    return found


def _counts(diff: RunDiff) -> dict[str, int]:
    c = Counter(ch.kind.value for a in diff.agencies for ch in a.changes)
    went_down = diff.went_down
    came_back = sum(
        1
        for a in diff.agencies
        for ch in a.changes
        if ch.kind is ChangeKind.SITE_STATUS and ch.after == "ok"
    )
    return {
        "went_down": went_down,
        "came_back": came_back,
        "site_status_other": c["site_status"] - went_down - came_back,
        "lost": c["lost"],
        "fixed": c["fixed"],
        "status": c["status"],
        "evidence": c["evidence_url"] + c["evidence_content"],
        "only_in_one": c["only_in_a"] + c["only_in_b"],
    }


_COUNT_LABEL = {
    "went_down": {"th": "เว็บไซต์เข้าไม่ได้/ผิดปกติใหม่ {n} แห่ง", "en": "{n} sites newly down"},
    "came_back": {"th": "เว็บไซต์กลับมาปกติ {n} แห่ง", "en": "{n} sites back up"},
    "site_status_other": {"th": "สถานะเว็บไซต์เปลี่ยนอื่น ๆ {n} แห่ง",
                          "en": "{n} other site status changes"},
    "lost": {"th": "ไม่ผ่านแล้ว {n} ข้อ", "en": "{n} items lost"},
    "fixed": {"th": "ผ่านแล้ว {n} ข้อ", "en": "{n} items fixed"},
    "status": {"th": "ผลเปลี่ยนอื่น ๆ {n} ข้อ", "en": "{n} other item changes"},
}


def _headline(diff: RunDiff, lang: str) -> str:
    counts = _counts(diff)
    parts = [
        _COUNT_LABEL[key][lang].format(n=counts[key]) for key in _COUNT_LABEL if counts[key]
    ]
    return ", ".join(parts) or ("ไม่มีการเปลี่ยนแปลง" if lang == "th" else "no changes")


def _agency_label(entry: AgencyDiff) -> str:
    code = f"{entry.agency_code} " if entry.agency_code else ""
    return f"{code}{entry.agency_name or ''}".strip() or entry.seed_url


def _change_text(change: Change, lang: str) -> tuple[str, str, str | None]:
    """(what, before -> after, a URL worth showing)."""
    if change.item_code:
        title = change.title_th if lang == "th" else change.title_en
        what = f"{change.item_code} {title}".strip()
    else:
        what = "เว็บไซต์" if lang == "th" else "website"
    kind = label(KIND_LABEL, change.kind.value, lang)
    move = f"{value_label(change, change.before, lang)} → {value_label(change, change.after, lang)}"
    # a lost item: where the evidence was; a fixed one: where it is now
    url = change.url_before if change.kind is ChangeKind.LOST else change.url_after
    return what, f"{kind}: {move}", url


def _runs_line(diff: RunDiff, lang: str) -> str:
    a, b = diff.run_a, diff.run_b
    if lang == "th":
        return (
            f"การตรวจครั้งที่ {b.id} ({format_datetime(b.started_at, 'th')}) "
            f"เทียบกับครั้งที่ {a.id} ({format_datetime(a.started_at, 'th')})"
        )
    return (
        f"run {b.id} ({format_datetime(b.started_at, 'en')}) "
        f"compared with run {a.id} ({format_datetime(a.started_at, 'en')})"
    )


def _day(value: Any, lang: str) -> str:
    text = format_datetime(value, lang)
    return " ".join(text.split()[:3]) if lang == "th" else text.split()[0]


def _command(diff: RunDiff, scope: Scope) -> str:
    where = f" --province {scope.province}" if scope.province is not None else ""
    return f"oitwatch runs diff {diff.run_a.id} {diff.run_b.id}{where}"


def _is_link(url: str | None) -> bool:
    return bool(url) and str(url).lower().startswith(("http://", "https://"))


def compose(diff: RunDiff, scope: Scope, lang: str = "th", max_agencies: int = 50) -> Composed:
    """Subject, plain text and HTML of the alert for ``diff``. Every value that came from a
    crawled site or the registry is escaped in the HTML."""
    th = lang == "th"
    listed = alert_changes(diff)
    subject = (
        f"[oitwatch] {scope.short()}: {_headline(diff, lang)} — "
        + (f"ตรวจวันที่ {_day(diff.run_b.started_at, lang)}" if th
           else f"scan of {_day(diff.run_b.started_at, lang)}")
    )
    subject = " ".join(subject.split())  # one header line, whatever a schedule is named
    title = "การเปลี่ยนแปลงผลการตรวจ OIT" if th else "Changes in the OIT scan results"
    scope_line = ("ขอบเขต: " if th else "Scope: ") + scope.describe(lang)
    summary = ("สรุป: " if th else "Summary: ") + _headline(diff, lang)
    others = _counts(diff)
    rest_line = ""
    if others["evidence"] or others["only_in_one"]:
        rest_line = (
            f"นอกจากนี้ หลักฐานเปลี่ยนที่อยู่หรือเนื้อหา {others['evidence']} รายการ, "
            f"หน่วยงานที่ตรวจเพียงครั้งเดียว {others['only_in_one']} แห่ง"
            if th
            else f"Also: {others['evidence']} evidence URL/content changes, "
            f"{others['only_in_one']} agencies scanned in one run only"
        )
    shown = listed[:max_agencies]
    hidden = len(listed) - len(shown)
    more = (
        (f"และอีก {hidden} หน่วยงาน" if th else f"and {hidden} more agencies") if hidden else ""
    )
    see_all = ("ดูทั้งหมด: " if th else "Everything: ") + _command(diff, scope)
    footer = (
        f"ส่งโดย oitwatch {__version__} (ตรวจการเปิดเผยข้อมูล ITA/OIT) — "
        "ผลนี้เป็นการตรวจอัตโนมัติ โปรดตรวจสอบก่อนใช้"
        if th
        else f"Sent by oitwatch {__version__} (ITA/OIT disclosure checker) — "
        "automatic results, review before use"
    )

    lines = [title, scope_line, _runs_line(diff, lang), "", summary]
    if rest_line:
        lines.append(rest_line)
    lines.append("")
    parts = [
        f"<h2>{html.escape(title)}</h2>",
        f"<p>{html.escape(scope_line)}<br>{html.escape(_runs_line(diff, lang))}</p>",
        f"<p><strong>{html.escape(summary)}</strong>"
        + (f"<br>{html.escape(rest_line)}" if rest_line else "")
        + "</p>",
    ]
    for entry, changes in shown:
        who = _agency_label(entry)
        lines.append(f"{who} — {entry.seed_url}")
        parts.append(
            f"<h3>{html.escape(who)}</h3><p>"
            + (
                f'<a href="{html.escape(entry.seed_url, quote=True)}">'
                f"{html.escape(entry.seed_url)}</a>"
                if _is_link(entry.seed_url)
                else html.escape(entry.seed_url)
            )
            + "</p><ul>"
        )
        for change in changes[:MAX_CHANGES_PER_AGENCY]:
            what, move, url = _change_text(change, lang)
            where = ""
            if url:
                where = (" (หลักฐาน " if th else " (evidence ") + url + ")"
            lines.append(f"  • {what}: {move}{where}")
            item = f"<li><strong>{html.escape(what)}</strong>: {html.escape(move)}"
            if url:
                shown_url = html.escape(url)
                link = (
                    f'<a href="{html.escape(url, quote=True)}">{shown_url}</a>'
                    if _is_link(url)
                    else shown_url
                )
                item += f" ({'หลักฐาน' if th else 'evidence'} {link})"
            parts.append(item + "</li>")
        extra = len(changes) - MAX_CHANGES_PER_AGENCY
        if extra > 0:
            note = f"และอีก {extra} ข้อ" if th else f"and {extra} more items"
            lines.append(f"  • {note}")
            parts.append(f"<li>{html.escape(note)}</li>")
        lines.append("")
        parts.append("</ul>")
    if more:
        lines.extend([more, ""])
        parts.append(f"<p>{html.escape(more)}</p>")
    lines.extend([see_all, "", "-- ", footer])
    parts.append(f"<p><code>{html.escape(_command(diff, scope))}</code></p>")
    parts.append(f"<p style=\"color:#666\">{html.escape(footer)}</p>")
    body_html = (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{html.escape(subject)}</title></head><body>" + "".join(parts) + "</body></html>"
    )
    return Composed(subject=subject, text="\n".join(lines) + "\n", html=body_html)


def compose_test(scope: Scope, lang: str = "th") -> Composed:
    th = lang == "th"
    subject = (
        f"[oitwatch] ทดสอบการแจ้งเตือน: {scope.short()}"
        if th
        else f"[oitwatch] test alert: {scope.short()}"
    )
    subject = " ".join(subject.split())
    text = (
        f"นี่คือข้อความทดสอบจาก oitwatch {__version__}\n"
        f"ปลายทางนี้จะได้รับการเปลี่ยนแปลงผลการตรวจของ{scope.describe('th')} หลังการตรวจแต่ละครั้ง\n"
        if th
        else f"This is a test message from oitwatch {__version__}.\n"
        f"This destination will receive the changes of {scope.describe('en')} after each run.\n"
    )
    body_html = (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"></head><body><p>'
        + "<br>".join(html.escape(line) for line in text.splitlines())
        + "</p></body></html>"
    )
    return Composed(subject=subject, text=text, html=body_html)


def payload(
    diff: RunDiff, scope: Scope, lang: str, composed: Composed, delivery: str
) -> dict[str, Any]:
    """The webhook's JSON: what the e-mail says, plus the whole diff (field names are a
    contract: add, never rename)."""
    listed = alert_changes(diff)
    return {
        "event": "run.changes",
        "delivery": delivery,
        "run_id": diff.run_b.id,
        "baseline_run_id": diff.run_a.id,
        "scope": scope.to_dict(),
        "language": lang,
        "subject": composed.subject,
        "headline": _headline(diff, lang),
        "counts": _counts(diff),
        "alerts": [
            {
                "agency": {
                    "id": entry.agency_id,
                    "code": entry.agency_code,
                    "name": entry.agency_name,
                    "province": entry.province,
                },
                "seed_url": entry.seed_url,
                "changes": [
                    {
                        "kind": c.kind.value,
                        "label": label(KIND_LABEL, c.kind.value, lang),
                        "item": c.item_code,
                        "before": c.before,
                        "after": c.after,
                        "url_before": c.url_before,
                        "url_after": c.url_after,
                    }
                    for c in changes
                ],
            }
            for entry, changes in listed
        ],
        "summary": summary_line(diff, lang),
        "diff": diff_to_dict(diff, lang),
        "sent_by": f"oitwatch {__version__}",
    }


def payload_for_test(scope: Scope, lang: str, composed: Composed, delivery: str) -> dict[str, Any]:
    return {
        "event": "test",
        "delivery": delivery,
        "scope": scope.to_dict(),
        "language": lang,
        "subject": composed.subject,
        "text": composed.text,
        "sent_by": f"oitwatch {__version__}",
    }
