"""Every rule's pass / partial / fail fixture sites (tests/rules/<catalog>/<item>/*.html).

The expected status and reason are written inside each fixture (see conftest.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rules import ItemStatus, evaluate, list_catalogs, load_catalog

HERE = Path(__file__).parent
FIXTURES = sorted(HERE.glob("*/*/*.html"))


def _id(p: Path) -> str:
    return "/".join(p.parts[-3:])


@pytest.mark.parametrize("path", FIXTURES, ids=_id)
def test_fixture(path: Path, load_fixture) -> None:
    catalog_id, code = path.parts[-3], path.parts[-2].upper()
    crawl, expect = load_fixture(path)
    assert expect is not None, f"{_id(path)}: no <!-- expect: ... --> comment"
    prefix = path.name.split("_", 1)[0]
    assert prefix == expect.status, f"file name says {prefix}, expect says {expect.status}"

    catalog = load_catalog(catalog_id)
    results = {r.code: r for r in evaluate(catalog, crawl)}
    r = results[code]
    reasons = [f"{x.th} | {x.en}" for x in r.reasons]
    shown = (
        "\n  ".join(reasons)
        + "\n  evidence: "
        + "\n    ".join(
            f"{e.kind} {e.url} {e.click_path} meets={e.meets_requirements} {e.matched}"
            for e in r.evidence
        )
    )
    assert r.status == ItemStatus(expect.status), f"{_id(path)} got {r.status.value}:\n  {shown}"
    for want in expect.reasons:
        assert any(want in x for x in reasons), (
            f"{_id(path)}: no reason contains {want!r}:\n  {shown}"
        )
    if expect.evidence:
        assert r.evidence and expect.evidence in r.evidence[0].url, shown

    # evidence invariants
    assert len(r.evidence) <= 5
    good = [e.meets_requirements for e in r.evidence]
    assert good == sorted(good, reverse=True), "passing evidence must come first"
    for e in r.evidence:
        assert e.click_path[0] == "หน้าแรก"
        assert len(e.click_path) == len(e.click_path_urls)
    if r.status == ItemStatus.PASS:
        assert r.evidence and r.evidence[0].meets_requirements
    else:
        assert not any(good)


def test_every_rule_has_pass_and_non_pass_fixtures() -> None:
    for catalog_id in list_catalogs():
        catalog = load_catalog(catalog_id)
        for item in catalog.items:
            if not item.implemented:
                continue
            folder = HERE / catalog_id / item.code.lower()
            names = [p.name for p in folder.glob("*.html")]
            assert any(n.startswith("pass_") for n in names), f"{item.code}: no pass_ fixture"
            assert any(n.startswith(("fail_", "partial_")) for n in names), (
                f"{item.code}: no fail_/partial_ fixture"
            )
