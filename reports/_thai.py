"""Thai labels and Buddhist-era dates for everything a person reads."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

__all__ = [
    "BANGKOK",
    "ITEM_STATUS_LABEL",
    "SITE_STATUS_LABEL",
    "format_datetime",
    "label",
    "note_th",
]

BANGKOK = ZoneInfo("Asia/Bangkok")

_MONTHS_TH = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)

ITEM_STATUS_LABEL: dict[str, dict[str, str]] = {
    "pass": {"th": "ผ่าน", "en": "pass"},
    "partial": {"th": "ไม่ครบ", "en": "partial"},
    "fail": {"th": "ไม่พบ", "en": "fail"},
    "error": {"th": "ตรวจไม่ได้", "en": "error"},
}

SITE_STATUS_LABEL: dict[str, dict[str, str]] = {
    "ok": {"th": "ปกติ", "en": "ok"},
    "unreachable": {"th": "เข้าเว็บไซต์ไม่ได้", "en": "unreachable"},
    "blocked": {"th": "ถูกปิดกั้น", "en": "blocked"},
    "error": {"th": "ผิดพลาด", "en": "error"},
}


def label(table: dict[str, dict[str, str]], key: str, lang: str) -> str:
    return table.get(key, {}).get(lang, key)


def format_datetime(value: datetime | None, lang: str = "th") -> str:
    """Bangkok local time; Thai readers get the Buddhist-era year (พ.ศ. = ค.ศ. + 543)."""
    if value is None:
        return "-"
    if value.tzinfo is None:  # stored as UTC without a zone (SQLite)
        value = value.replace(tzinfo=timezone.utc)
    local = value.astimezone(BANGKOK)
    if lang == "th":
        month = _MONTHS_TH[local.month - 1]
        return f"{local.day} {month} {local.year + 543} {local:%H:%M} น."
    return f"{local:%Y-%m-%d %H:%M} (UTC+7)"


# The crawler's notes (what a scan could not do) are English; the common ones get a Thai
# lead so that a Thai reader knows what was missed, with the English detail after it.
_NOTE_TH = (
    ("JavaScript rendering not available", "ไม่ได้แสดงผล JavaScript (ไม่มีเบราว์เซอร์)"),
    ("scanned documents not read", "ไม่ได้อ่านเอกสารที่เป็นภาพสแกน (ไม่มีโปรแกรม OCR)"),
    ("OCR budget", "อ่านเอกสารสแกนได้ไม่ครบตามโควตา"),
    ("image budget", "ตรวจรูปภาพหา QR code ได้ไม่ครบตามโควตา"),
    ("screenshot", "บันทึกภาพหน้าจอหลักฐานไม่ได้"),
    ("the home page seems to need JavaScript", "หน้าแรกต้องใช้ JavaScript แต่ไม่ได้แสดงผล"),
    ("rendering: ", "เบราว์เซอร์ไม่ได้โหลดบางรายการ (ถูกปฏิเสธตาม robots.txt หรือกฎความปลอดภัย)"),
    # why a site could not be scanned (SiteScan.reason of a site that is not ok)
    ("robots.txt disallows", "robots.txt ของเว็บไซต์ไม่อนุญาตให้ตรวจ"),
    ("HTTP 429 at home page", "หน้าแรกขอให้ชะลอการเข้าถึง (HTTP 429)"),
    ("at home page", "หน้าแรกตอบกลับด้วยข้อผิดพลาด"),
    ("home page is not HTML", "หน้าแรกไม่ใช่หน้าเว็บ (HTML)"),
    ("bad seed URL", "ที่อยู่เว็บไซต์ไม่ถูกต้อง"),
    ("DNS", "ไม่พบชื่อโดเมนของเว็บไซต์ (DNS)"),
    ("connection refused", "เครื่องแม่ข่ายไม่รับการเชื่อมต่อ"),
    ("timed out", "เว็บไซต์ไม่ตอบสนองภายในเวลาที่กำหนด"),
)


def note_th(note: str) -> str:
    for prefix, thai in _NOTE_TH:
        if note.startswith(prefix) or prefix in note[:60]:
            return f"{thai}: {note}"
    return note
