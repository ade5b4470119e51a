"""Every rule's example sites (``rules/catalogs/<catalog>/fixtures/<item>/*.html``), run
against every catalog that judges an item with that rule file — so ``ita-2567``, which
reuses ``ita-2566``'s rule files with every year shifted, runs them with its own years.

The same function runs them for ``oitwatch rules test``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rules import list_catalogs, load_catalog
from rules._fixtures import fixture_files, run_fixture

CATALOGS = {cid: load_catalog(cid) for cid in list_catalogs()}
CASES = [
    (cid, rule.code, path)
    for cid, cat in CATALOGS.items()
    for rule in cat.items
    if rule.implemented
    for path in fixture_files(rule)
]


def _id(case: tuple[str, str, Path]) -> str:
    cid, code, path = case
    return f"{cid}/{code}/{path.name}"


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_fixture(case: tuple[str, str, Path]) -> None:
    cid, code, path = case
    cat = CATALOGS[cid]
    run = run_fixture(cat, cat.item(code), path)
    assert run.ok, f"{run.name}: " + "; ".join(run.problems) + "\n" + run.explain()


def test_every_rule_has_pass_and_non_pass_fixtures() -> None:
    for cid, cat in CATALOGS.items():
        for item in cat.items:
            if not item.implemented:
                continue
            names = [p.name for p in fixture_files(item)]
            assert any(n.startswith("pass_") for n in names), f"{cid} {item.code}: no pass_ fixture"
            assert any(n.startswith(("fail_", "partial_")) for n in names), (
                f"{cid} {item.code}: no fail_/partial_ fixture"
            )


def test_fixture_folders_belong_to_rule_files() -> None:
    """A fixtures/<code>/ folder without a rule file next to it is a typo."""
    for cid in CATALOGS:
        folder = CATALOGS[cid].path / "fixtures"
        if not folder.is_dir():
            continue
        for sub in folder.iterdir():
            assert (CATALOGS[cid].path / f"{sub.name}.yaml").is_file(), f"{cid}: {sub.name}"
