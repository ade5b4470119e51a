"""`oitwatch rules list | show | validate | test` (oitwatch/_cli_rules.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import typer
from typer.testing import CliRunner

from oitwatch._cli_rules import rules_app
from rules._loader import CATALOGS_DIR

app = typer.Typer()
app.add_typer(rules_app, name="rules")
runner = CliRunner()


def test_list_marks_default_and_provisional() -> None:
    r = runner.invoke(app, ["rules", "list"])
    assert r.exit_code == 0, r.output
    assert "ita-2567" in r.output and "default" in r.output and "provisional" in r.output


def test_show_catalog_and_item() -> None:
    r = runner.invoke(app, ["rules", "show", "ita-2569"])
    assert r.exit_code == 0 and "unknown" in r.output and "O26" in r.output
    r = runner.invoke(app, ["rules", "show", "ita-2566", "o21"])
    assert r.exit_code == 0 and "monthly_reports" in r.output and "example sites" in r.output
    r = runner.invoke(app, ["rules", "show", "ita-2566", "O99"])
    assert r.exit_code == 2 and "no item O99" in r.output


def test_validate_every_bundled_catalog() -> None:
    r = runner.invoke(app, ["rules", "validate"])
    assert r.exit_code == 0, r.output
    assert r.output.count("valid") == 5


def test_test_runs_the_examples_and_fails_on_a_broken_rule(tmp_path: Path) -> None:
    r = runner.invoke(app, ["rules", "test", "ita-2566", "--item", "O5"])
    assert r.exit_code == 0, r.output
    assert "examples as expected" in r.output
    folder = tmp_path / "ita-2566"
    shutil.copytree(CATALOGS_DIR / "ita-2566", folder)
    o5 = folder / "o5.yaml"
    o5.write_text(o5.read_text(encoding="utf-8").replace("โทรสาร, แฟกซ์", "xyzzy, แฟกซ์"), encoding="utf-8")
    r = runner.invoke(app, ["rules", "test", str(folder), "-i", "O5"])
    assert r.exit_code == 1
    assert "expected pass, got partial" in r.output
