"""The OIT score estimate of a site, as every report shows it.

Computed from the site's item results and the run's catalog (loaded once per id), so
a stored run read back from the database gets the same estimate as a live scan. It is
always labelled as an estimate: pass = 100, partial and fail = 0, items that were not
judged are left out (``rules/_score.py``).
"""

from __future__ import annotations

import functools

from rules import Catalog, RuleError, ScoreEstimate, estimate_score, load_catalog

from ._model import RunReport, SiteReport

__all__ = ["score_line", "site_score"]


@functools.lru_cache(maxsize=16)
def _catalog(catalog_id: str) -> Catalog | None:
    try:
        return load_catalog(catalog_id)
    except RuleError:
        return None


def site_score(run: RunReport, site: SiteReport) -> ScoreEstimate | None:
    """The site's estimate (None when the run's catalog cannot be loaded)."""
    if site.score is not None:
        return site.score
    catalog = _catalog(run.catalog_id)
    if catalog is None:
        return None
    return estimate_score(catalog, site.items)


def _num(value: float, lang: str) -> str:
    return f"{value:.2f}"  # Arabic digits, like the dates of the reports


def score_line(score: ScoreEstimate | None, lang: str = "th") -> str:
    """One line for the table: the estimate, its indicators, grade and what was left out."""
    th = lang == "th"
    if score is None:
        return "คะแนน OIT โดยประมาณ: ไม่มี (โหลดชุดกฎไม่ได้)" if th else "OIT estimate: none (catalog not loaded)"
    if score.oit is None:
        return (
            "คะแนน OIT โดยประมาณ: คำนวณไม่ได้ (ไม่มีข้อที่ตรวจได้)"
            if th
            else "OIT estimate: none (no item could be judged)"
        )
    parts = []
    for ind in score.indicators:
        if ind.score is None:
            continue
        mark = "" if ind.passes else (" ✗" if ind.passes is False else "")
        parts.append(f"{ind.code}: {_num(ind.score, lang)}{mark}")
    grade = f" ({score.grade.th if th else score.grade.en})" if score.grade else ""
    head = (
        f"คะแนน OIT โดยประมาณ {_num(score.oit, lang)}{grade}"
        if th
        else f"OIT estimate {_num(score.oit, lang)}{grade}"
    )
    ind_label = "ตัวชี้วัด " if th else "indicators "
    line = head + " — " + ind_label + " · ".join(parts)
    line += " — " + (score.basis.th if th else score.basis.en)
    if score.not_judged:
        codes = ", ".join(score.not_judged[:12]) + (" …" if len(score.not_judged) > 12 else "")
        line += (f" (ไม่ได้ตรวจ: {codes})" if th else f" (not judged: {codes})")
    if score.provisional:
        line += " [ชุดกฎชั่วคราว]" if th else " [provisional catalog]"
    return line
