"""The OIT score estimate reproduces the seeds' published figures (ITA 2565 numbering).

seed 001 (อบต.บึงกระจับ, ITA 2565): failed O3, O11, O12, O17, O20, O28 → indicator 9 = 82.42,
indicator 10 = 100, OIT = 91.21 (seed 001 lines 14-15).
seed 002 (เทศบาลเมืองแจระแม, ITA 2565): failed O4, O18, O19, O26, O29 → indicator 9 = 83.06;
failed O38 → indicator 10 = 93.75 (seed 002, the OIT table).
"""

from __future__ import annotations

import pytest

from rules import ItemResult, ItemStatus, estimate_score, load_catalog


@pytest.fixture(scope="module")
def c2565():
    return load_catalog("ita-2565")


def _statuses(catalog, failed: set[str]) -> dict[str, str]:
    return {i.code: ("fail" if i.code in failed else "pass") for i in catalog.items}


def test_structure_of_2565_matches_the_seeds(c2565) -> None:
    subs = {s.code: s.items for ind in c2565.structure for s in ind.sub_indicators}
    assert [len(v) for v in subs.values()] == [9, 8, 7, 4, 5, 8, 2]
    assert subs["9.2"][0] == "O10" and subs["9.2"][-1] == "O17"
    assert c2565.item("O17").title_th == "E-Service"
    assert c2565.item("O10").title_th == "แผนดำเนินงานประจำปี"
    assert c2565.item("O34").title_th.startswith("นโยบายไม่รับของขวัญ")


def test_seed_001(c2565) -> None:
    s = estimate_score(c2565, _statuses(c2565, {"O3", "O11", "O12", "O17", "O20", "O28"}))
    ind = {i.code: i for i in s.indicators}
    assert round(ind["9"].score, 2) == 82.42
    assert round(ind["10"].score, 2) == 100.0
    assert round(s.oit, 2) == 91.21
    assert ind["9"].passes is False and ind["10"].passes is True
    subs = {x.code: round(x.score, 2) for x in ind["9"].sub_indicators}
    assert subs == {"9.1": 88.89, "9.2": 62.5, "9.3": 85.71, "9.4": 75.0, "9.5": 100.0}
    assert s.grade is not None and s.grade.en == "A"  # 91.21 is in the A band


def test_seed_002(c2565) -> None:
    failed = {"O4", "O18", "O19", "O26", "O29", "O38"}
    s = estimate_score(c2565, _statuses(c2565, failed))
    ind = {i.code: i for i in s.indicators}
    assert round(ind["9"].score, 2) == 83.06
    assert round(ind["10"].score, 2) == 93.75
    assert round(s.oit, 2) == 88.41
    assert sorted(s.zero) == sorted(failed)
    d = s.to_dict()
    assert d["estimate"] is True and d["oit"] == 88.41 and d["grade"]["en"] == "A"
    assert [i["score"] for i in d["indicators"]] == [83.06, 93.75]


def test_partial_counts_as_zero_and_unjudged_items_are_left_out(c2565) -> None:
    statuses = _statuses(c2565, set())
    statuses["O1"] = "partial"
    statuses["O2"] = "error"  # not judged: left out of 9.1's mean
    del statuses["O3"]  # no result at all: left out too
    s = estimate_score(c2565, statuses)
    sub91 = s.indicators[0].sub_indicators[0]
    assert sub91.zero == ["O1"] and sub91.not_judged == ["O2", "O3"]
    assert round(sub91.score, 2) == round(600 / 7, 2)  # 6 of the 7 judged items pass
    assert s.not_judged == ["O2", "O3"] and s.zero == ["O1"]
    assert "partial" in s.basis.en and "๐" in s.basis.th


def test_nothing_judged_has_no_score(c2565) -> None:
    results = [ItemResult(i.code, i.title_th, i.title_en, ItemStatus.ERROR) for i in c2565.items]
    s = estimate_score(c2565, results)
    assert s.oit is None and s.grade is None
    assert len(s.not_judged) == 43
    assert s.to_dict()["oit"] is None


def test_grades_2565() -> None:
    c = load_catalog("ita-2565")
    assert [c.grade(x).en for x in (100, 95, 94.99, 92.56, 83.94, 75, 70, 60, 52, 10)] == [
        "AA", "AA", "A", "A", "B", "B", "C", "D", "E", "F",
    ]


def test_grades_2566_only_the_pass_mark() -> None:
    c = load_catalog("ita-2566")
    assert c.grade(85).en.startswith("passes") and c.grade(80.29).th == "ต้องปรับปรุง"
    assert c.grades_note


def test_provisional_catalog_score_is_a_plain_mean() -> None:
    c = load_catalog("ita-2569")
    statuses = {i.code: "pass" for i in c.items if i.implemented}
    statuses["O1"] = "fail"
    s = estimate_score(c, statuses)
    assert s.provisional and s.not_judged == ["O2", "O6", "O7"]
    assert round(s.oit, 2) == round(100 * 22 / 23, 2)
