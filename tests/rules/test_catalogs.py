"""Every shipped catalog loads and validates; extends, same_as, unknown items, relative
years and the vocabulary work as docs/rules.md says."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rules import (
    RuleError,
    default_catalog,
    list_catalogs,
    load_catalog,
    validate_catalog_dir,
)
from rules._loader import CATALOGS_DIR


def test_shipped_catalogs() -> None:
    assert list_catalogs() == ["ita-2565", "ita-2566", "ita-2567", "ita-2568", "ita-2569"]


@pytest.mark.parametrize("cid", list_catalogs())
def test_every_catalog_loads_and_validates(cid: str) -> None:
    assert validate_catalog_dir(CATALOGS_DIR / cid) == []
    cat = load_catalog(cid)
    assert cat.id == cid and cat.items
    for item in cat.items:
        if item.implemented:
            assert item.file is not None and item.requirement_th and item.requirement_en


def test_default_is_the_newest_complete_catalog() -> None:
    assert default_catalog() == "ita-2567"
    assert load_catalog("ita-2568").provisional and not load_catalog("ita-2567").provisional


def test_2567_extends_2566_with_every_year_shifted() -> None:
    c66, c67 = load_catalog("ita-2566"), load_catalog("ita-2567")
    assert c67.extends == "ita-2566" and c67.fiscal_year == 2567
    assert [i.code for i in c67.items] == [i.code for i in c66.items]
    assert c67.structure == c66.structure
    o13 = c67.item("O13")
    assert o13.file == c66.item("O13").file  # the same file, not a copy
    assert "2566" in o13.requirement_th and "2565" in c66.item("O13").requirement_th
    assert "2567" in c67.title_th
    assert list(CATALOGS_DIR.joinpath("ita-2567").glob("o*.yaml")) == []


def test_2565_uses_2566_rules_under_other_numbers() -> None:
    c = load_catalog("ita-2565")
    o10 = c.item("O10")
    assert o10.same_as == "O11" and o10.file.name == "o11.yaml"
    assert o10.title_th == "แผนดำเนินงานประจำปี"  # the 2565 name, the 2566 rule
    assert "2565" in o10.requirement_th
    assert c.item("O18").file.parent.name == "ita-2565"  # no 2566 counterpart
    assert not c.item("O43").also  # no EIT QR code requirement before 2566
    assert load_catalog("ita-2566").item("O43").also


def test_2569_marks_unknown_items() -> None:
    c = load_catalog("ita-2569")
    unknown = [i.code for i in c.items if i.unknown]
    assert unknown == ["O2", "O6", "O7"]
    assert all(not c.item(x).implemented for x in unknown)
    assert c.item("O3").same_as == "O5" and c.item("O3").note


@pytest.fixture
def family(tmp_path: Path) -> Path:
    """A copy of ita-2566 and ita-2567 side by side (the child finds its sibling parent)."""
    for cid in ("ita-2566", "ita-2567"):
        shutil.copytree(CATALOGS_DIR / cid, tmp_path / cid, ignore=shutil.ignore_patterns("fixtures"))
    return tmp_path


def test_child_file_replaces_the_parents(family: Path) -> None:
    text = (family / "ita-2566" / "o6.yaml").read_text(encoding="utf-8")
    (family / "ita-2567" / "o6.yaml").write_text(
        text.replace("source: \"seed 000, item ๐๖\"", "source: \"corrected for 2567\""),
        encoding="utf-8",
    )
    c = load_catalog(family / "ita-2567")
    assert c.item("O6").source == "corrected for 2567"
    assert c.item("O7").file == family / "ita-2566" / "o7.yaml"


def test_extends_cycle_and_missing_parent(family: Path) -> None:
    cat = family / "ita-2566" / "catalog.yaml"
    cat.write_text(cat.read_text(encoding="utf-8").replace("status: complete", "status: complete\nextends: ita-2567"), encoding="utf-8")
    errors = validate_catalog_dir(family / "ita-2567")
    assert any("circle" in str(e) for e in errors)
    child = family / "ita-2567" / "catalog.yaml"
    text = child.read_text(encoding="utf-8").replace("extends: ita-2566", "extends: ita-2599")
    child.write_text(text, encoding="utf-8")
    (err,) = validate_catalog_dir(family / "ita-2567")
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if ln.startswith("extends:"))
    assert "no catalog 'ita-2599' to extend" in str(err) and err.line == line


def test_unknown_vocabulary_name_names_the_line(family: Path) -> None:
    path = family / "ita-2566" / "o13.yaml"
    text = path.read_text(encoding="utf-8").replace("$suggestions]", "$sugestions]")
    path.write_text(text, encoding="utf-8")
    (err,) = validate_catalog_dir(family / "ita-2566")
    assert "'$sugestions' is not in the catalog's vocabulary" in str(err)
    assert err.line == next(i for i, ln in enumerate(text.splitlines(), 1) if "$sugestions" in ln)


def test_same_as_must_exist(family: Path, tmp_path: Path) -> None:
    shutil.copytree(CATALOGS_DIR / "ita-2569", family / "ita-2569")
    cat = family / "ita-2569" / "catalog.yaml"
    cat.write_text(cat.read_text(encoding="utf-8").replace("same_as: O36", "same_as: O99"), encoding="utf-8")
    errors = validate_catalog_dir(family / "ita-2569")
    assert any("same_as O99" in str(e) for e in errors)


def test_unknown_with_same_as_is_an_error(family: Path) -> None:
    shutil.copytree(CATALOGS_DIR / "ita-2569", family / "ita-2569")
    cat = family / "ita-2569" / "catalog.yaml"
    cat.write_text(cat.read_text(encoding="utf-8").replace("unknown: true}", "unknown: true, same_as: O1}", 1), encoding="utf-8")
    with pytest.raises(RuleError, match="unknown item has no rule"):
        load_catalog(family / "ita-2569")


def test_placeholders_fill_years() -> None:
    from rules._expand import fill_years_text

    assert fill_years_text("{Y} {Y-1} {Y+4} {YY} {YY-1_th} {Y_th}", 2566) == (
        "2566 2565 2570 66 ๖๕ ๒๕๖๖"
    )
    assert fill_years_text("x{6}y {a}", 2566) == "x{6}y {a}"  # regex counts stay
