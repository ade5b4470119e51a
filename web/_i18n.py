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
