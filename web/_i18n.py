"""Thai first, English on request: which language a request wants, the interface's words
in both, and Buddhist-era dates (reports._thai does the formatting for every report).

The language comes from ``?lang=`` (a link that works without JavaScript), then the
``lang`` cookie set by /lang/{code}, then Thai."""

from __future__ import annotations

from datetime import datetime

from starlette.requests import Request

from reports._thai import ITEM_STATUS_LABEL, SITE_STATUS_LABEL, format_datetime, label

__all__ = ["LANGS", "STRINGS", "format_date", "item_status", "lang_of", "site_status", "text"]

LANGS = ("th", "en")
LANG_COOKIE = "lang"

# Interface words: key -> {"th": ..., "en": ...}. A missing key shows the key itself, so a
# forgotten word is visible in a test rather than an exception on a monitor's screen.
STRINGS: dict[str, dict[str, str]] = {
    "app_name": {"th": "oitwatch ตรวจการเปิดเผยข้อมูล OIT", "en": "oitwatch OIT disclosure monitor"},
    "nav_overview": {"th": "ภาพรวม", "en": "Overview"},
    "nav_runs": {"th": "การตรวจ", "en": "Runs"},
    "nav_agencies": {"th": "หน่วยงาน", "en": "Agencies"},
    "nav_schedules": {"th": "ตารางตรวจ", "en": "Schedules"},
    "nav_scan": {"th": "สั่งตรวจ", "en": "Start a scan"},
    "nav_api": {"th": "API", "en": "API"},
    "sign_in": {"th": "เข้าสู่ระบบด้วยโทเค็น", "en": "Sign in with a token"},
    "sign_out": {"th": "ออกจากระบบ", "en": "Sign out"},
    "signed_in_as": {"th": "เข้าสู่ระบบในชื่อ", "en": "Signed in as"},
    "token": {"th": "โทเค็น", "en": "Token"},
    "switch_lang": {"th": "English", "en": "ภาษาไทย"},
    "error_title": {"th": "เกิดข้อผิดพลาด", "en": "Something went wrong"},
    "not_found": {"th": "ไม่พบหน้าที่ต้องการ", "en": "Page not found"},
    "forbidden": {"th": "ต้องเข้าสู่ระบบด้วยโทเค็นก่อน", "en": "Sign in with a token first"},
    "csrf_failed": {
        "th": "แบบฟอร์มหมดอายุหรือไม่ได้มาจากหน้านี้ กรุณาลองใหม่",
        "en": "The form expired or did not come from this site; please try again",
    },
    "bad_token": {"th": "โทเค็นไม่ถูกต้องหรือถูกยกเลิกแล้ว", "en": "Unknown or revoked token"},
    "bad_request": {"th": "คำขอไม่ถูกต้อง", "en": "Bad request"},
    "database_error": {"th": "ฐานข้อมูลขัดข้อง", "en": "Database error"},
    "signed_in": {"th": "เข้าสู่ระบบแล้ว", "en": "Signed in"},
    "sign_in_help": {
        "th": "การสั่งตรวจ เพิ่มหน่วยงาน และแก้ตารางตรวจ ต้องใช้โทเค็น (สร้างด้วยคำสั่ง "
              "`oitwatch tokens create ชื่อ`) การดูผลไม่ต้องใช้",
        "en": "Starting scans, adding agencies and editing schedules need a token (create one "
              "with `oitwatch tokens create NAME`); reading does not",
    },
    "back": {"th": "กลับ", "en": "Back"},
    "estimate": {"th": "คะแนน OIT โดยประมาณ", "en": "Estimated OIT score"},
}


# -- the read-only dashboard pages (web/_pages_*.py, templates overview/agency_page/...) --
_PAGE_WORDS: dict[str, dict[str, str]] = {
    "overview_title": {"th": "ผลการตรวจรายหน่วยงาน", "en": "Results by agency"},
    "no_runs_yet": {
        "th": "ยังไม่มีผลการตรวจ สั่งตรวจก่อน",
        "en": "No results yet: start a scan first",
    },
    "run": {"th": "การตรวจ", "en": "Run"},
    "fiscal_year": {"th": "ปีงบประมาณ", "en": "fiscal year"},
    "started": {"th": "เริ่ม", "en": "started"},
    "show": {"th": "แสดง", "en": "Show"},
    "apply": {"th": "กรอง", "en": "Filter"},
    "all": {"th": "ทั้งหมด", "en": "All"},
    "province": {"th": "จังหวัด", "en": "Province"},
    "district": {"th": "อำเภอ", "en": "District"},
    "agency_type": {"th": "ประเภทหน่วยงาน", "en": "Agency type"},
    "sort_by": {"th": "เรียงตาม", "en": "Sort by"},
    "sort_score": {"th": "คะแนนสูงไปต่ำ", "en": "Score, highest first"},
    "sort_asc_score": {"th": "คะแนนต่ำไปสูง", "en": "Score, lowest first"},
    "sort_name": {"th": "ชื่อ ก–ฮ", "en": "Name, A–Z"},
    "sort_asc_name": {"th": "ชื่อ ฮ–ก", "en": "Name, Z–A"},
    "agencies_in_selection": {"th": "หน่วยงานที่เลือก", "en": "Agencies selected"},
    "showing": {"th": "แสดงลำดับที่", "en": "showing"},
    "agencies_unit": {"th": "หน่วยงาน", "en": "agencies"},
    "download": {"th": "ดาวน์โหลด", "en": "Download"},
    "pages": {"th": "หน้า", "en": "Pages"},
    "page": {"th": "หน้า", "en": "Page"},
    "previous": {"th": "ก่อนหน้า", "en": "Previous"},
    "next": {"th": "ถัดไป", "en": "Next"},
    "no_agencies": {
        "th": "ไม่มีหน่วยงานตามเงื่อนไขที่เลือก",
        "en": "No agency matches the filters",
    },
    "diff_previous": {"th": "เทียบกับการตรวจครั้งก่อน", "en": "Compare with the previous run"},
    "chart_scores": {
        "th": "การกระจายของคะแนน OIT โดยประมาณ",
        "en": "Distribution of estimated OIT scores",
    },
    "chart_pass_rate": {
        "th": "สัดส่วนหน่วยงานที่ผ่านข้อนี้ในแต่ละครั้งที่ตรวจ",
        "en": "Share of agencies passing this item, per run",
    },
    "no_score_count": {"th": "ไม่มีคะแนน", "en": "without a score"},
    "item_counts_title": {"th": "จำนวนหน่วยงานรายข้อ", "en": "Agencies per item"},
    "col_code": {"th": "รหัส", "en": "Code"},
    "col_agency": {"th": "หน่วยงาน", "en": "Agency"},
    "col_province": {"th": "จังหวัด", "en": "Province"},
    "col_district": {"th": "อำเภอ", "en": "District"},
    "col_type": {"th": "ประเภท", "en": "Type"},
    "col_site_status": {"th": "สถานะเว็บไซต์", "en": "Site status"},
    "col_score": {"th": "คะแนนโดยประมาณ", "en": "Estimated score"},
    "col_item": {"th": "ข้อ", "en": "Item"},
    "col_title": {"th": "รายการ", "en": "Title"},
    "col_status": {"th": "ผลการตรวจ", "en": "Status"},
    "col_reasons": {"th": "เหตุผล", "en": "Reasons"},
    "col_evidence": {"th": "หลักฐาน", "en": "Evidence"},
    "col_click_path": {"th": "เส้นทางคลิก", "en": "Click path"},
    "col_sha256": {"th": "sha256", "en": "sha256"},
    "col_sentence": {"th": "สรุป", "en": "Summary"},
    "col_site": {"th": "เว็บไซต์", "en": "Site"},
    "col_change": {"th": "การเปลี่ยนแปลง", "en": "Change"},
    "col_before": {"th": "ก่อน", "en": "Before"},
    "col_after": {"th": "หลัง", "en": "After"},
    "col_url_before": {"th": "หลักฐานก่อน", "en": "Evidence before"},
    "col_url_after": {"th": "หลักฐานหลัง", "en": "Evidence after"},
    "st_pass": {"th": "ผ่าน", "en": "pass"},
    "st_partial": {"th": "ไม่ครบ", "en": "partial"},
    "st_fail": {"th": "ไม่พบ", "en": "fail"},
    "st_error": {"th": "ตรวจไม่ได้", "en": "error"},
    "st_none": {"th": "ไม่มีผล", "en": "no result"},
    "scan_failed": {"th": "ตรวจไม่สำเร็จ", "en": "scan failed"},
    "scan_running": {"th": "กำลังตรวจ", "en": "scanning"},
    "scan_queued": {"th": "รอตรวจ", "en": "queued"},
    "scan_complete": {"th": "ตรวจเสร็จ", "en": "complete"},
    "website": {"th": "เว็บไซต์", "en": "Website"},
    "scanned_at": {"th": "ตรวจเมื่อ", "en": "scanned"},
    "pages_fetched": {"th": "จำนวนหน้าที่อ่าน", "en": "pages fetched"},
    "no_estimate": {
        "th": "คำนวณคะแนนไม่ได้ (ไม่มีข้อที่ตรวจได้)",
        "en": "No estimate (no item could be judged)",
    },
    "itas_sheet": {"th": "แบบคำตอบ ITAS", "en": "ITAS answer sheet"},
    "items_title": {"th": "ผลการตรวจรายข้อ", "en": "Items"},
    "print": {"th": "พิมพ์", "en": "Print"},
    "kind_page": {"th": "หน้าเว็บ", "en": "page"},
    "kind_document": {"th": "เอกสาร", "en": "document"},
    "kind_image": {"th": "รูปภาพ", "en": "image"},
    "kind_external": {"th": "ระบบภายนอก", "en": "external"},
    "doc_pages": {"th": "หน้าที่", "en": "pages"},
    "unmet": {"th": "ยังไม่ครบตามเกณฑ์", "en": "does not meet the requirements"},
    "fetched_at": {"th": "อ่านเมื่อ", "en": "fetched"},
    "archived_copy": {"th": "สำเนาที่เก็บไว้", "en": "Archived copy"},
    "page_record": {"th": "ข้อมูลหน้าที่บันทึกไว้", "en": "Stored page record"},
    "screenshot_of": {"th": "ภาพหน้าจอหลักฐานข้อ", "en": "Screenshot of the evidence of"},
    "no_evidence": {"th": "ไม่มีหลักฐาน", "en": "No evidence"},
    "no_items": {
        "th": "ไม่มีผลรายข้อ (การตรวจไม่สำเร็จหรือยังไม่เสร็จ)",
        "en": "No item results (the scan did not complete)",
    },
    "history_title": {"th": "ผลรายข้อในการตรวจแต่ละครั้ง", "en": "Item history across runs"},
    "judged": {"th": "ตรวจได้", "en": "judged"},
    "diff_title": {
        "th": "สิ่งที่เปลี่ยนไปจากการตรวจครั้งก่อน",
        "en": "What changed since the previous run",
    },
    "no_previous_run": {
        "th": "ไม่มีการตรวจครั้งก่อนให้เทียบ",
        "en": "There is no earlier run to compare with",
    },
    "no_changes": {"th": "ไม่มีการเปลี่ยนแปลง", "en": "Nothing changed"},
    "back_to_agency": {"th": "กลับไปหน้าหน่วยงาน", "en": "Back to the agency"},
    "no_archive": {
        "th": "ไม่มีสำเนาที่เก็บไว้ของหน้านี้ (ไม่ได้บันทึกเว็บอาร์ไคฟ์) แสดงข้อมูลที่บันทึกไว้แทน",
        "en": "There is no archived copy of this page (no web archive was kept); "
              "here is the stored record",
    },
    "archive_pruned": {
        "th": "สำเนาที่เก็บไว้ถูกลบไปแล้วตามระยะเวลาเก็บรักษา แสดงข้อมูลที่บันทึกไว้แทน",
        "en": "The archived copy was deleted under the retention policy; "
              "here is the stored record",
    },
    "archive_unreadable": {"th": "อ่านสำเนาที่เก็บไว้ไม่ได้ แสดงข้อมูลที่บันทึกไว้แทน",
                           "en": "The archived copy cannot be read; here is the stored record"},
    "archive_too_large": {"th": "สำเนาที่เก็บไว้มีขนาดใหญ่เกินกว่าจะแสดง แสดงข้อมูลที่บันทึกไว้แทน",
                          "en": "The archived copy is too large to show; "
                                "here is the stored record"},
    "final_url": {"th": "URL ปลายทาง", "en": "Final URL"},
    "size": {"th": "ขนาด", "en": "Size"},
    "bytes": {"th": "ไบต์", "en": "bytes"},
    "title_label": {"th": "ชื่อหน้า", "en": "Title"},
    "content_type": {"th": "ชนิดเนื้อหา", "en": "Content type"},
    "no_such_run": {"th": "ไม่พบการตรวจนี้", "en": "No such run"},
    "no_such_item": {"th": "ไม่พบข้อนี้ในการตรวจนี้", "en": "This run has no such item"},
    "no_such_scan": {"th": "ไม่พบผลการตรวจเว็บไซต์นี้", "en": "No such site scan"},
    "no_scan_of_agency": {"th": "หน่วยงานนี้ยังไม่มีผลการตรวจที่เสร็จสมบูรณ์",
                          "en": "This agency has no complete scan yet"},
    "no_itas": {"th": "การตรวจนี้ไม่สำเร็จ จึงไม่มีแบบคำตอบ ITAS",
                "en": "This scan did not complete: there is no ITAS sheet"},
    "no_such_evidence": {"th": "ไม่พบหลักฐานนี้", "en": "No such evidence"},
}

STRINGS.update(_PAGE_WORDS)


def lang_of(request: Request) -> str:
    asked = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE) or "th"
    return asked if asked in LANGS else "th"


def text(key: str, lang: str) -> str:
    entry = STRINGS.get(key)
    if entry is None:
        return key
    return entry.get(lang) or entry["th"]


def format_date(value: datetime | None, lang: str) -> str:
    """"3 ธ.ค. 2569 01:00 น." in Thai (Buddhist era, Bangkok time), ISO-like in English."""
    return format_datetime(value, lang)


def item_status(status: str, lang: str) -> str:
    return label(ITEM_STATUS_LABEL, status, lang)


def site_status(status: str, lang: str) -> str:
    return label(SITE_STATUS_LABEL, status, lang)


def _merge() -> None:
    from ._words_forms import WORDS

    for key, value in WORDS.items():
        STRINGS.setdefault(key, value)


_merge()
