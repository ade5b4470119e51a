"""An estimate of the OIT score from item results (domain brief §4).

item 0 or 100 → sub-indicator = mean of its items → indicator = mean of its
sub-indicators → OIT = mean of the indicators. The grade band comes from the
catalog (``grades:`` in catalog.yaml). Test vectors: seeds 001 and 002 (catalog
ita-2565): indicator 9 = 82.42, OIT = 91.21; indicators 83.06 and 93.75.

How results count (the estimate's ``basis`` says so in every report):

- pass = 100; partial and fail = 0 (a consultant gives 0 to anything incomplete);
- error (the site could not be crawled) and items the catalog does not judge (no rule
  file yet, or unknown) are **left out** of the means and listed in ``not_judged``; a
  sub-indicator or indicator with nothing judged is left out the same way. With
  nothing judged at all the estimate has no score.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ._catalog import Catalog, Grade
from ._result import ItemResult, ItemStatus, Reason

__all__ = ["PASS_MARK", "IndicatorScore", "ScoreEstimate", "SubIndicatorScore", "estimate_score"]

PASS_MARK = 85.0  # an indicator (and the ITA) passes at 85 or more

BASIS = Reason(
    th="คะแนน OIT โดยประมาณ ไม่ใช่คะแนนทางการ: ข้อที่ผ่านได้ ๑๐๐ ข้อที่ไม่ครบหรือไม่พบได้ ๐ "
    "ข้อที่ตรวจไม่ได้หรือยังไม่มีกฎการตรวจไม่นำมาคิด",
    en="OIT score estimate, not the official score: pass = 100, partial or fail = 0; "
    "items that could not be judged or have no rule yet are left out",
)


def _mean(values: Iterable[float]) -> float | None:
    vals = list(values)
    return sum(vals) / len(vals) if vals else None


def _r(v: float | None) -> float | None:
    return None if v is None else round(v, 2)


@dataclass(slots=True)
class SubIndicatorScore:
    code: str
    title_th: str
    title_en: str
    score: float | None  # None: nothing judged
    passed: list[str] = field(default_factory=list)  # item codes scoring 100
    zero: list[str] = field(default_factory=list)  # partial or fail
    not_judged: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "title_th": self.title_th,
            "title_en": self.title_en,
            "score": _r(self.score),
            "passed": list(self.passed),
            "zero": list(self.zero),
            "not_judged": list(self.not_judged),
        }


@dataclass(slots=True)
class IndicatorScore:
    code: str
    title_th: str
    title_en: str
    score: float | None
    sub_indicators: list[SubIndicatorScore] = field(default_factory=list)

    @property
    def passes(self) -> bool | None:
        return None if self.score is None else round(self.score, 2) >= PASS_MARK

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "title_th": self.title_th,
            "title_en": self.title_en,
            "score": _r(self.score),
            "passes": self.passes,
            "sub_indicators": [s.to_dict() for s in self.sub_indicators],
        }


@dataclass(slots=True)
class ScoreEstimate:
    catalog_id: str
    oit: float | None
    grade: Grade | None
    indicators: list[IndicatorScore]
    not_judged: list[str]  # item codes left out of the means
    zero: list[str]  # item codes counted as 0 (partial or fail)
    provisional: bool  # the catalog itself is provisional
    grades_note: str = ""
    basis: Reason = BASIS
    estimate: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {
            "estimate": True,
            "catalog": self.catalog_id,
            "oit": _r(self.oit),
            "grade": None
            if self.grade is None
            else {"th": self.grade.th, "en": self.grade.en, "min": self.grade.min},
            "grades_note": self.grades_note or None,
            "pass_mark": PASS_MARK,
            "indicators": [i.to_dict() for i in self.indicators],
            "sub_indicators": [s.to_dict() for i in self.indicators for s in i.sub_indicators],
            "counted_as_zero": list(self.zero),
            "not_judged": list(self.not_judged),
            "provisional_catalog": self.provisional,
            "basis": {"th": self.basis.th, "en": self.basis.en},
        }


def estimate_score(
    catalog: Catalog, results: Iterable[ItemResult] | dict[str, ItemStatus | str]
) -> ScoreEstimate:
    """The OIT estimate for one site. ``results``: the site's item results, or a
    mapping item code → status ("pass" / ItemStatus.PASS ...)."""
    if isinstance(results, dict):
        status = {k.upper(): ItemStatus(v) for k, v in results.items()}
    else:
        status = {r.code: r.status for r in results}
    indicators: list[IndicatorScore] = []
    not_judged: list[str] = []
    zero: list[str] = []
    for ind in catalog.structure:
        subs: list[SubIndicatorScore] = []
        for sub in ind.sub_indicators:
            s = SubIndicatorScore(sub.code, sub.title_th, sub.title_en, None)
            values: list[float] = []
            for code in sub.items:
                st = status.get(code)
                if st == ItemStatus.PASS:
                    values.append(100.0)
                    s.passed.append(code)
                elif st in (ItemStatus.PARTIAL, ItemStatus.FAIL):
                    values.append(0.0)
                    s.zero.append(code)
                else:
                    s.not_judged.append(code)
            s.score = _mean(values)
            not_judged += s.not_judged
            zero += s.zero
            subs.append(s)
        score = _mean(s.score for s in subs if s.score is not None)
        indicators.append(IndicatorScore(ind.code, ind.title_th, ind.title_en, score, subs))
    oit = _mean(i.score for i in indicators if i.score is not None)
    return ScoreEstimate(
        catalog_id=catalog.id,
        oit=oit,
        grade=catalog.grade(round(oit, 2)) if oit is not None else None,
        indicators=indicators,
        not_judged=not_judged,
        zero=zero,
        provisional=catalog.provisional,
        grades_note=catalog.grades_note,
    )
