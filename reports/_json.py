"""The machine-readable report: one JSON document per scan run.

Field names are a published contract (monitors' scripts parse them); add
fields freely, never rename.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

from rules._result import Evidence, ItemResult

from ._model import RunReport, SiteReport
from ._score import site_score

__all__ = ["run_to_dict", "render_json"]


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.isoformat()


def _evidence(ev: Evidence) -> dict[str, Any]:
    return {
        "url": ev.url,
        "click_path": list(ev.click_path),
        "click_path_urls": list(ev.click_path_urls),
        "kind": ev.kind,
        "matched": ev.matched,
        "sha256": ev.sha256,
        "meets_requirements": ev.meets_requirements,
        "document_pages": list(ev.document_pages),
        "image_url": ev.image_url,
        "screenshot": ev.screenshot,
    }


def _item(item: ItemResult, lang: str) -> dict[str, Any]:
    return {
        "code": item.code,
        "title": item.title_th if lang == "th" else item.title_en,
        "title_th": item.title_th,
        "title_en": item.title_en,
        "status": item.status.value,
        "evidence": [_evidence(ev) for ev in item.evidence],
        "reasons": [r.th if lang == "th" else r.en for r in item.reasons],
        "reasons_i18n": [{"th": r.th, "en": r.en} for r in item.reasons],
    }


def _score(run: RunReport, site: SiteReport, lang: str) -> dict[str, Any] | None:
    score = site_score(run, site)
    if score is None:
        return None
    out = score.to_dict()
    out["label"] = score.basis.th if lang == "th" else score.basis.en
    return out


def _site(run: RunReport, site: SiteReport, lang: str) -> dict[str, Any]:
    return {
        "seed_url": site.seed_url,
        "final_url": site.final_url,
        "agency": {"code": site.agency_code, "name": site.agency_name},
        "status": site.status,
        "reason": site.reason,
        "pages_fetched": site.pages_fetched,
        "started_at": _iso(site.started_at),
        "finished_at": _iso(site.finished_at),
        "notes": list(site.notes),  # what the scan could not do (no browser, no OCR, budgets)
        "items": [_item(item, lang) for item in site.items],
        # an ESTIMATE of the OIT score (pass = 100, partial/fail = 0, unjudged left out)
        "score": _score(run, site, lang),
    }


def run_to_dict(run: RunReport, version: str, lang: str = "th") -> dict[str, Any]:
    return {
        "tool": {"name": "oitwatch", "version": version},
        "run_id": run.run_id,
        "catalog": {"id": run.catalog_id, "fiscal_year": run.fiscal_year},
        "started_at": _iso(run.started_at),
        "finished_at": _iso(run.finished_at),
        "sites": [_site(run, site, lang) for site in run.sites],
    }


def render_json(run: RunReport, version: str, lang: str = "th") -> str:
    return json.dumps(run_to_dict(run, version, lang), ensure_ascii=False, indent=2)
