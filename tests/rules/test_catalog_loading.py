"""Loading shipped catalogs, their structure, and the public surface of `rules`."""

from __future__ import annotations

import types

import rules
from rules import Catalog, ItemRule, list_catalogs, load_catalog
from rules._loader import CATALOGS_DIR

WRITTEN = [f"O{n}" for n in range(1, 44)]


def test_public_api_is_exported() -> None:
    for name in [
        "load_catalog",
        "Catalog",
        "ItemRule",
        "evaluate",
        "RuleError",
        "normalize_th",
        "list_catalogs",
        "validate_catalog_dir",
        "catalog_dir",
        "ItemResult",
        "ItemStatus",
        "Evidence",
        "Reason",
        "estimate_score",
        "default_catalog",
    ]:
        assert name in rules.__all__
        assert hasattr(rules, name)
    # like httpx's test_exported_members: what the package shows is exactly __all__
    public = {
        n
        for n in dir(rules)
        if not n.startswith("_") and not isinstance(getattr(rules, n), types.ModuleType)
    }
    assert public == set(rules.__all__)


def test_list_catalogs() -> None:
    assert "ita-2566" in list_catalogs()
    assert rules.catalog_dir("ita-2566") == CATALOGS_DIR / "ita-2566"
    assert rules.catalog_dir("ita-2566") == CATALOGS_DIR / "ita-2566"


def test_load_by_id_and_by_path() -> None:
    a = load_catalog("ita-2566")
    b = load_catalog(CATALOGS_DIR / "ita-2566")
    c = load_catalog(str(CATALOGS_DIR / "ita-2566" / "catalog.yaml"))
    assert isinstance(a, Catalog)
    assert a.id == b.id == c.id == "ita-2566"
    assert a.fiscal_year == 2566
    assert "คุณธรรมและความโปร่งใส" in a.title_th
    assert "Integrity and Transparency" in a.title_en


def test_items_in_catalog_order_with_all_43() -> None:
    cat = load_catalog("ita-2566")
    assert [i.code for i in cat.items] == [f"O{n}" for n in range(1, 44)]
    assert all(isinstance(i, ItemRule) for i in cat.items)
    assert [i.code for i in cat.items if i.implemented] == WRITTEN
    o28 = cat.item("o28")
    assert o28.title_th == "ช่องทางแจ้งเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ"
    assert o28.title_en == "Corruption complaint channel"
    assert "แยกต่างหาก" in o28.requirement_th and o28.source.startswith("seed 000")
    assert o28.file is not None and o28.file.name == "o28.yaml"
    assert cat.item("O17").title_th == "รายงานผลการสำรวจความพึงพอใจการให้บริการ"
    assert cat.item("O43").also and cat.item("O43").also[0].title_en.startswith("the EIT")


def test_structure() -> None:
    cat = load_catalog("ita-2566")
    assert [i.code for i in cat.structure] == ["9", "10"]
    subs = {s.code: s.items for ind in cat.structure for s in ind.sub_indicators}
    assert list(subs) == ["9.1", "9.2", "9.3", "9.4", "9.5", "10.1", "10.2"]
    assert subs["9.1"] == tuple(f"O{n}" for n in range(1, 11))
    assert subs["9.3"] == ("O19", "O20", "O21", "O22")
    assert subs["10.2"] == ("O39", "O40", "O41", "O42", "O43")
    assert sum(len(v) for v in subs.values()) == 43
    assert cat.structure[0].title_th == "การเปิดเผยข้อมูล"


def test_rule_keywords_are_normalised_at_load_time() -> None:
    o18 = load_catalog("ita-2566").item("O18")
    norms = [k.norm for k in o18.find.keywords.keywords]
    assert "e-service" in norms  # written "e-service"; "E-Service" on a page matches
    assert all(n == rules.normalize_th(n) for n in norms)
    assert all(" " not in n for n in norms)
