"""Every module of the project imports on its own, in a fresh interpreter.

A circular import only shows when a module is the first one imported (a test, a Celery
worker, ``python -m``), so each module is imported in an interpreter of its own where no
project module has been imported yet. To keep this cheap, one helper process imports the
third-party libraries once and then forks one child per project module: the child starts
with no project module loaded, which is what matters for import cycles."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = (
    "crawler", "rules", "storage", "scheduler", "reports", "extract", "render", "oitwatch",
    "alerts", "archive",
)
THIRD_PARTY = (
    "typer", "rich", "sqlalchemy", "httpx", "selectolax.lexbor", "pydantic", "yaml", "celery",
    "apscheduler", "alembic", "pypdfium2", "zxingcpp", "playwright.async_api", "anyio",
    "tldextract", "protego", "openpyxl", "PIL", "warcio",
)

_CHILD = r"""
import importlib, json, os, sys, traceback
for name in json.loads(sys.argv[1]):
    try:
        importlib.import_module(name)
    except Exception:
        pass  # not installed: the child will say so if a module needs it
assert not any(m.split(".")[0] in json.loads(sys.argv[3]) for m in sys.modules)
failed = {}
for name in json.loads(sys.argv[2]):
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        try:
            importlib.import_module(name)
            code = 0
        except BaseException:
            os.write(write, traceback.format_exc().strip().splitlines()[-1].encode())
            code = 1
        os._exit(code)
    os.close(write)
    message = os.read(read, 4096).decode()
    os.close(read)
    _, status = os.waitpid(pid, 0)
    if status != 0:
        failed[name] = message or f"exit status {status}"
print(json.dumps(failed))
"""


def _modules() -> list[str]:
    names = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__main__":
                continue  # runs the program
            if parts[-1] == "__init__":
                parts = parts[:-1]
            names.append(".".join(parts))
    return names


MODULES = _modules()


def _import_each_alone(modules: list[str]) -> dict[str, str]:
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD, json.dumps(THIRD_PARTY), json.dumps(modules),
         json.dumps(PACKAGES)],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_the_project_has_the_expected_packages() -> None:
    assert {m.split(".")[0] for m in MODULES} == set(PACKAGES)
    assert "oitwatch._cli_agencies" in MODULES and "oitwatch._cli_schedule" in MODULES


def test_every_module_imports_in_a_fresh_interpreter() -> None:
    failed = _import_each_alone(MODULES)
    assert not failed, "\n".join(f"{name}: {why}" for name, why in failed.items())


def test_a_circular_import_is_caught(tmp_path: Path) -> None:
    """The check itself can fail: two modules importing a name from each other."""
    pkg = tmp_path / "cyc"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from .b import B\nA = 1\n")
    (pkg / "b.py").write_text("from .a import A\nB = 2\n")
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD, "[]", json.dumps(["cyc.a", "cyc.b"]), "[]"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False,
    )
    failed = json.loads(proc.stdout.strip().splitlines()[-1])
    assert set(failed) == {"cyc.a", "cyc.b"}
    assert "circular import" in failed["cyc.a"]
