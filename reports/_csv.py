"""Spreadsheet export: one row per site and item, best evidence first."""

from __future__ import annotations

import csv
import io

from ._model import RunReport
from ._score import site_score
from ._thai import ITEM_STATUS_LABEL, label

__all__ = ["FORMULA_START", "csv_cell", "render_csv"]

_HEADER = {
    "th": ["เว็บไซต์", "หน่วยงาน", "สถานะเว็บไซต์", "ข้อ", "รายการ", "ผลการตรวจ",
           "หลักฐาน", "เส้นทางคลิก", "เหตุผล", "คะแนน OIT โดยประมาณ"],
    "en": ["site", "agency", "site_status", "code", "title", "status",
           "evidence_url", "click_path", "reasons", "oit_estimate"],
}

# A cell starting with one of these is a formula to Excel / LibreOffice. Page titles and
# link texts come from crawled sites, so they are neutralised (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_START) else value


def render_csv(run: RunReport, lang: str = "th") -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_HEADER[lang])
    for site in run.sites:
        score = site_score(run, site)
        oit = "" if score is None or score.oit is None else f"{score.oit:.2f}"
        for item in site.items:
            best = item.evidence[0] if item.evidence else None
            writer.writerow(
                csv_cell(value)
                for value in (
                    site.final_url or site.seed_url,
                    site.agency_name or "",
                    site.status,
                    item.code,
                    item.title_th if lang == "th" else item.title_en,
                    label(ITEM_STATUS_LABEL, item.status.value, lang),
                    best.url if best else "",
                    " > ".join(best.click_path) if best else "",
                    " | ".join(r.th if lang == "th" else r.en for r in item.reasons),
                    oit,
                )
            )
    return out.getvalue()
