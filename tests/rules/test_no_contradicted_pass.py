"""A pass never carries a rejection (issue 8, point 2): over every example site of every
bundled catalog, no item judged ``pass`` has a reason flagged ``Reason.rejects`` — a
disqualifier, an unmet requirement, another agency's name, content not read or not
fetched. The property is checked on the engine's own results, before storage (which
keeps only th/en)."""

from __future__ import annotations

import pytest

from rules import list_catalogs, load_catalog
from rules._fixtures import run_fixtures
from rules._result import ItemStatus

CATALOG_IDS = list_catalogs()


@pytest.mark.parametrize("catalog_id", CATALOG_IDS)
def test_no_pass_carries_a_rejection(catalog_id: str) -> None:
    runs = run_fixtures(load_catalog(catalog_id))
    assert runs, f"{catalog_id}: no example sites were run"
    contradicted = [
        f"{run.name}: {reason.en}"
        for run in runs
        if run.result is not None and run.result.status == ItemStatus.PASS
        for reason in run.result.reasons
        if reason.rejects
    ]
    assert not contradicted, "\n".join(contradicted)


def test_non_passes_say_why_with_a_rejection() -> None:
    """The flag is really set: every partial or fail of the example sites carries at
    least one rejecting reason (else the property above would hold vacuously)."""
    runs = run_fixtures(load_catalog("ita-2566"))
    judged = [r for r in runs if r.result is not None and r.result.status != ItemStatus.PASS]
    assert len(judged) > 30
    silent = [r.name for r in judged if not any(x.rejects for x in r.result.reasons)]
    assert not silent, silent
