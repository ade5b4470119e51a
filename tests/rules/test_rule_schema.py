"""Bad rule files fail to load with a message naming the file, the field and the line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rules import RuleError, load_catalog, validate_catalog_dir
from rules._loader import CATALOGS_DIR

GOOD_O18 = (CATALOGS_DIR / "ita-2566" / "o18.yaml").read_text(encoding="utf-8")

MINIMAL = """\
code: O18
title: {th: E-Service, en: E-Service}
source: test
requirement: {th: ทดสอบ, en: test}
find:
  keywords: [e-service]
"""


@pytest.fixture
def cat(tmp_path: Path) -> Path:
    """A copy of ita-2566 with only catalog.yaml and o18.yaml."""
    folder = tmp_path / "ita-2566"
    folder.mkdir()
    shutil.copy(CATALOGS_DIR / "ita-2566" / "catalog.yaml", folder / "catalog.yaml")
    (folder / "o18.yaml").write_text(GOOD_O18, encoding="utf-8")
    return folder


def _only_error(folder: Path) -> RuleError:
    errors = validate_catalog_dir(folder)
    assert len(errors) == 1, [str(e) for e in errors]
    return errors[0]


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_copy_is_valid(cat: Path) -> None:
    assert validate_catalog_dir(cat) == []
    catalog = load_catalog(cat)
    assert catalog.item("O18").implemented
    assert not catalog.item("O17").implemented


def test_unknown_field_names_file_field_and_line(cat: Path) -> None:
    text = MINIMAL.replace(
        "  keywords: [e-service]", "  keywords: [e-service]\n  keyword: [eservice]"
    )
    (cat / "o18.yaml").write_text(text, encoding="utf-8")
    err = _only_error(cat)
    assert str(err) == (
        f"ita-2566/o18.yaml:{_line_of(text, 'keyword:')}: find.keyword: unknown field "
        "(did you mean 'keywords'?)"
    )
    assert err.field == "find.keyword" and err.path.name == "o18.yaml"


def test_unknown_top_level_field(cat: Path) -> None:
    (cat / "o18.yaml").write_text(MINIMAL + "requirment: {th: x, en: y}\n", encoding="utf-8")
    err = _only_error(cat)
    assert "requirment: unknown field (did you mean 'requirement'?)" in str(err)
    assert err.line == 7


def test_messages_are_not_pydantic_dumps(cat: Path) -> None:
    (cat / "o18.yaml").write_text(
        MINIMAL.replace("source: test\n", "source: [1, 2]\n"), encoding="utf-8"
    )
    err = _only_error(cat)
    msg = str(err)
    assert msg.startswith("ita-2566/o18.yaml:3: source: ")
    for junk in ("validation error", "pydantic", "For further information", "input_value"):
        assert junk not in msg


def test_missing_required_field(cat: Path) -> None:
    (cat / "o18.yaml").write_text(MINIMAL.replace("source: test\n", ""), encoding="utf-8")
    assert "source: required field is missing" in str(_only_error(cat))


def test_bad_regex(cat: Path) -> None:
    text = MINIMAL + "  url: ['eservice', 'e-(service']\n"
    (cat / "o18.yaml").write_text(text, encoding="utf-8")
    err = _only_error(cat)
    assert err.field == "find.url[1]"
    assert "not a valid regular expression" in err.problem
    assert err.line == _line_of(text, "url:")


def test_bad_regex_in_keyword_and_check(cat: Path) -> None:
    text = (
        MINIMAL.replace("[e-service]", "[e-service, {regex: 'a(b'}]")
        + "require:\n  - links_to: ['x[']\n"
    )
    (cat / "o18.yaml").write_text(text, encoding="utf-8")
    fields = sorted(e.field or "" for e in validate_catalog_dir(cat))
    assert fields == ["find.keywords[1]", "require[0].links_to.urls[0]"]


def test_code_must_match_file_name(cat: Path) -> None:
    (cat / "o18.yaml").write_text(MINIMAL.replace("code: O18", "code: O17"), encoding="utf-8")
    err = _only_error(cat)
    assert (
        str(err)
        == "ita-2566/o18.yaml:1: code: code O17 does not match the file name (expected O18)"
    )


def test_code_must_be_in_catalog(cat: Path) -> None:
    text = MINIMAL.replace("O18", "O99")
    (cat / "o99.yaml").write_text(text, encoding="utf-8")
    err = _only_error(cat)
    assert "o99.yaml:1: code: item O99 is not listed in catalog.yaml" in str(err)


def test_title_must_match_catalog(cat: Path) -> None:
    (cat / "o18.yaml").write_text(
        MINIMAL.replace("{th: E-Service,", "{th: บริการ,"), encoding="utf-8"
    )
    assert "title.th: differs from catalog.yaml ('E-Service')" in str(_only_error(cat))


def test_duplicate_codes(cat: Path) -> None:
    (cat / "O18.yaml").write_text(MINIMAL, encoding="utf-8")  # same code, other spelling
    if not (cat / "o18.yaml").exists() or (cat / "O18.yaml").samefile(cat / "o18.yaml"):
        pytest.skip("case-insensitive file system")
    err = _only_error(cat)
    assert "duplicate item code O18" in str(err)


def test_broken_yaml_gives_line(cat: Path) -> None:
    text = MINIMAL + "not:\n  - keywords: [ร้องเรียน\n    reason: x\n"
    (cat / "o18.yaml").write_text(text, encoding="utf-8")
    err = _only_error(cat)
    assert str(err).startswith("ita-2566/o18.yaml:")
    assert "YAML syntax error" in err.problem
    assert err.line is not None and err.line >= 7


def test_duplicate_yaml_key(cat: Path) -> None:
    (cat / "o18.yaml").write_text(MINIMAL + "source: again\n", encoding="utf-8")
    err = _only_error(cat)
    assert err.field == "source" and err.line == 7 and "duplicate key" in err.problem


def test_unknown_check_type(cat: Path) -> None:
    (cat / "o18.yaml").write_text(MINIMAL + "require:\n  - online_from: true\n", encoding="utf-8")
    err = _only_error(cat)
    assert str(err) == (
        "ita-2566/o18.yaml:8: require[0].online_from: unknown check or field "
        "(did you mean 'online_form'?)"
    )


def test_bad_check_parameter(cat: Path) -> None:
    (cat / "o18.yaml").write_text(
        MINIMAL + "require:\n  - online_form: {textare: true}\n", encoding="utf-8"
    )
    err = _only_error(cat)
    assert err.field == "require[0].online_form.textare"
    assert "did you mean 'textarea'?" in err.problem
    assert err.line == 8


def test_bad_check_inside_any_of(cat: Path) -> None:
    text = MINIMAL + "require:\n  - any_of:\n      - online_form: true\n      - text_anyy: [x]\n"
    (cat / "o18.yaml").write_text(text, encoding="utf-8")
    err = _only_error(cat)
    assert err.field == "require[0].any_of[1].text_anyy"
    assert "did you mean 'text_any'?" in err.problem
    assert err.line == 10


def test_two_checks_in_one_entry(cat: Path) -> None:
    (cat / "o18.yaml").write_text(
        MINIMAL + "require:\n  - online_form: true\n    text_any: [x]\n", encoding="utf-8"
    )
    assert "one check per entry" in str(_only_error(cat))


def test_bad_if_missing_and_year(cat: Path) -> None:
    text = (
        MINIMAL
        + "require:\n  - online_form: true\n    if_missing: maybe\n  - year_mentioned: last\n"
    )
    (cat / "o18.yaml").write_text(text, encoding="utf-8")
    errors = {e.field: e for e in validate_catalog_dir(cat)}
    assert set(errors) == {"require[0].if_missing", "require[1].year_mentioned.year"}
    assert "'partial' or 'fail'" in errors["require[0].if_missing"].problem
    assert errors["require[0].if_missing"].line == 9


def test_not_entry_needs_reason(cat: Path) -> None:
    (cat / "o18.yaml").write_text(MINIMAL + "not:\n  - keywords: [จองคิว]\n", encoding="utf-8")
    err = _only_error(cat)
    assert str(err) == "ita-2566/o18.yaml:8: not[0].reason: required field is missing"


def test_keyword_guard_typo(cat: Path) -> None:
    text = MINIMAL.replace("[e-service]", "[{word: ไลน์, not_in: [ออนไลน์]}]")
    (cat / "o18.yaml").write_text(text, encoding="utf-8")
    err = _only_error(cat)
    assert err.field == "find.keywords[0].not_in"
    assert "did you mean 'not_inside'?" in err.problem


def test_empty_find(cat: Path) -> None:
    (cat / "o18.yaml").write_text(
        MINIMAL.replace("  keywords: [e-service]\n", "  keywords: []\n"), encoding="utf-8"
    )
    assert "give at least one of 'keywords', 'url' or 'external'" in str(_only_error(cat))


def test_not_a_mapping(cat: Path) -> None:
    (cat / "o18.yaml").write_text("- just\n- a list\n", encoding="utf-8")
    assert "should be a mapping" in str(_only_error(cat))


def test_catalog_file_errors(cat: Path) -> None:
    text = (cat / "catalog.yaml").read_text(encoding="utf-8")
    text = text.replace("id: ita-2566", "id: ita-2567").replace(
        "fiscal_year: 2566", "fiscal_year: soon"
    )
    (cat / "catalog.yaml").write_text(text, encoding="utf-8")
    errors = validate_catalog_dir(cat)
    msgs = [str(e) for e in errors]
    assert any(
        m.startswith("ita-2566/catalog.yaml:") and "fiscal_year: should be a whole number" in m
        for m in msgs
    ), msgs


def test_catalog_id_must_match_folder(cat: Path) -> None:
    text = (
        (cat / "catalog.yaml").read_text(encoding="utf-8").replace("id: ita-2566", "id: ita-2567")
    )
    (cat / "catalog.yaml").write_text(text, encoding="utf-8")
    err = _only_error(cat)
    assert "id: id 'ita-2567' does not match the folder name 'ita-2566'" in str(err)


def test_catalog_item_listed_twice(cat: Path) -> None:
    text = (cat / "catalog.yaml").read_text(encoding="utf-8")
    text = text.replace("{code: O2, th:", "{code: O1, th:")
    (cat / "catalog.yaml").write_text(text, encoding="utf-8")
    assert "item O1 is listed twice" in str(_only_error(cat))


def test_load_catalog_raises_first_error_and_keeps_all(cat: Path) -> None:
    (cat / "o18.yaml").write_text(
        MINIMAL.replace("code: O18", "code: O17") + "extra: 1\n", encoding="utf-8"
    )
    (cat / "o9.yaml").write_text("code: [\n", encoding="utf-8")
    with pytest.raises(RuleError) as info:
        load_catalog(cat)
    assert len(info.value.all_errors) == 3
    assert {e.path.name for e in info.value.all_errors} == {"o18.yaml", "o9.yaml"}


def test_unknown_catalog() -> None:
    with pytest.raises(RuleError, match="no such catalog"):
        load_catalog("ita-1999")


def test_shipped_catalogs_are_valid() -> None:
    from rules import list_catalogs

    for cid in list_catalogs():
        assert validate_catalog_dir(CATALOGS_DIR / cid) == [], cid
