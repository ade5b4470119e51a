"""Reports render crawled text safely and show Thai dates."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timezone

from rich.console import Console

from reports import RunReport, SiteReport, format_datetime, print_table, render_csv, render_json
from rules import Evidence, ItemResult, ItemStatus, Reason

T0 = datetime(2023, 3, 15, 3, 0, tzinfo=timezone.utc)


def _run(title_th: str = "โครงสร้าง", url: str = "http://a.go.th/x") -> RunReport:
    item = ItemResult(
        code="O1",
        title_th=title_th,
        title_en="Structure",
        status=ItemStatus.PARTIAL,
        evidence=[
            Evidence(url=url, kind="page", click_path=["หน้าแรก", "=HYPERLINK(\"http://evil\")"],
                     click_path_urls=["http://a.go.th/", url], matched="link text", sha256="ab")
        ],
        reasons=[Reason(th="ไม่มีแผนผัง", en="no chart")],
    )
    site = SiteReport(seed_url="http://a.go.th/", final_url="http://a.go.th/", status="ok",
                      reason="3 pages", pages_fetched=3, started_at=T0, finished_at=T0, items=[item])
    return RunReport(run_id=7, catalog_id="ita-2566", fiscal_year=2566, started_at=T0,
                     finished_at=T0, sites=[site])


def test_buddhist_era_date_in_bangkok_time() -> None:
    assert format_datetime(T0, "th") == "15 มี.ค. 2566 10:00 น."
    assert format_datetime(T0, "en") == "2023-03-15 10:00 (UTC+7)"
    assert format_datetime(None) == "-"


def test_csv_neutralises_formulas_from_crawled_text() -> None:
    rows = list(csv.reader(io.StringIO(render_csv(_run(title_th="=1+1"), "th"))))
    assert rows[1][4] == "'=1+1"
    assert rows[1][7].startswith("หน้าแรก > =HYPERLINK")  # not at the cell start: harmless
    assert rows[1][5] == "ไม่ครบ"


def test_table_shows_markup_from_pages_literally() -> None:
    console = Console(record=True, width=200, color_system=None)
    print_table(_run(title_th="[bold red]ปลอม[/]", url="http://a.go.th/[link=http://evil]x"), console)
    text = console.export_text()
    assert "[bold red]ปลอม[/]" in text
    assert "[link=http://evil]" in text


def test_json_reasons_follow_language_and_keep_both() -> None:
    th = json.loads(render_json(_run(), "1.0", "th"))
    en = json.loads(render_json(_run(), "1.0", "en"))
    assert th["sites"][0]["items"][0]["reasons"] == ["ไม่มีแผนผัง"]
    assert en["sites"][0]["items"][0]["reasons"] == ["no chart"]
    assert th["sites"][0]["items"][0]["reasons_i18n"] == [{"th": "ไม่มีแผนผัง", "en": "no chart"}]
    assert th["sites"][0]["started_at"] == "2023-03-15T03:00:00+00:00"


def test_table_for_a_blocked_site_is_one_line_with_the_reason() -> None:
    run = _run()
    run.sites[0].status, run.sites[0].reason = "blocked", "HTTP 403 at home page"
    console = Console(record=True, width=120, color_system=None)
    print_table(run, console, "th")
    text = console.export_text()
    assert "ถูกปิดกั้น" in text and "HTTP 403 at home page" in text
    assert "ตรวจไม่ได้ทั้ง 1 ข้อ" in text and "ไม่มีแผนผัง" not in text


def test_table_never_shows_a_rejected_candidate_as_proof_of_a_pass() -> None:
    run = _run()
    item = run.sites[0].items[0]
    item.status = ItemStatus.PASS
    item.evidence.append(
        Evidence(url="http://a.go.th/complaintgeneral", kind="page", click_path=["หน้าแรก"],
                 click_path_urls=["http://a.go.th/"], matched="", meets_requirements=False)
    )
    console = Console(record=True, width=200, color_system=None)
    print_table(run, console)
    assert "complaintgeneral" not in console.export_text()
    item.status = ItemStatus.FAIL
    item.evidence = item.evidence[1:]
    console = Console(record=True, width=200, color_system=None)
    print_table(run, console)
    assert "✗ http://a.go.th/complaintgeneral" in console.export_text()


def _scored_run() -> RunReport:
    """Every ita-2566 item: O1 partial, O2 fail, O3 not judged (error), the rest pass."""
    from rules import load_catalog

    items = []
    for rule in load_catalog("ita-2566").items:
        status = {"O1": ItemStatus.PARTIAL, "O2": ItemStatus.FAIL, "O3": ItemStatus.ERROR}.get(
            rule.code, ItemStatus.PASS
        )
        items.append(ItemResult(rule.code, rule.title_th, rule.title_en, status))
    site = SiteReport(seed_url="http://a.go.th/", final_url="http://a.go.th/", status="ok",
                      reason="3 pages", pages_fetched=3, started_at=T0, finished_at=T0, items=items)
    return RunReport(run_id=1, catalog_id="ita-2566", fiscal_year=2566, started_at=T0,
                     finished_at=T0, sites=[site])


def test_json_carries_the_score_estimate() -> None:
    data = json.loads(render_json(_scored_run(), "1.0", "en"))
    score = data["sites"][0]["score"]
    assert score["estimate"] is True
    # 9.1: 7 of the 9 judged items pass (O3 left out); the other sub-indicators are 100
    assert score["sub_indicators"][0]["score"] == round(700 / 9, 2)
    assert score["indicators"][0]["score"] == round((700 / 9 + 400) / 5, 2)
    assert score["indicators"][1]["score"] == 100.0
    assert score["oit"] == round(((700 / 9 + 400) / 5 + 100) / 2, 2)
    assert score["not_judged"] == ["O3"] and score["counted_as_zero"] == ["O1", "O2"]
    assert score["grade"]["en"].startswith("passes")
    assert "estimate" in score["label"] and "partial or fail = 0" in score["label"]


def test_table_shows_the_estimate_under_each_site() -> None:
    console = Console(record=True, width=250, color_system=None)
    print_table(_scored_run(), console, "th")
    text = console.export_text()
    assert "คะแนน OIT โดยประมาณ" in text and "ไม่ได้ตรวจ: O3" in text
    console = Console(record=True, width=250, color_system=None)
    print_table(_scored_run(), console, "en")
    assert "OIT estimate" in console.export_text()


def test_csv_has_the_estimate_column() -> None:
    rows = list(csv.reader(io.StringIO(render_csv(_scored_run(), "en"))))
    assert rows[0][-1] == "oit_estimate" and rows[1][-1] == rows[2][-1] != ""


def test_notes_and_media_details_are_shown() -> None:
    run = _run()
    site = run.sites[0]
    site.notes = ["JavaScript rendering not available: no browser found"]
    ev = site.items[0].evidence[0]
    ev.document_pages, ev.image_url, ev.screenshot = [3, 7], "screenshot:abc", "f" * 64
    console = Console(record=True, width=200, color_system=None)
    print_table(run, console, "th")
    text = console.export_text()
    assert "ข้อจำกัดของการตรวจครั้งนี้" in text and "ไม่ได้แสดงผล JavaScript" in text
    assert "(หน้า 3, 7)" in text and "QR code ใน ภาพหน้าจอ" in text
    doc = json.loads(render_json(run, "1.0", "en"))
    site_json = doc["sites"][0]
    assert site_json["notes"] == site.notes
    ev_json = site_json["items"][0]["evidence"][0]
    assert ev_json["document_pages"] == [3, 7] and ev_json["screenshot"] == "f" * 64
