"""The Alembic migrations: they run both ways on both backends, and match the models."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import CheckConstraint, inspect

from rules._result import ItemStatus
from storage import Database, _migrations
from storage.models import Base

REPO_ROOT = Path(__file__).resolve().parents[2]
TABLES = {"agency", "scan_run", "site_scan", "page", "item_result", "evidence", "schedule"}
TABLES |= {"archive", "evidence_export", "evidence_export_scan"}  # 0005: web archives
TABLES |= {"alert_destination", "alert_delivery"}  # 0006: alerts
TABLES |= {"api_token"}  # 0007: dashboard and API tokens


def _tables(db: Database) -> set[str]:
    with db.engine.connect() as conn:
        return set(inspect(conn).get_table_names()) - {"alembic_version"}


def test_upgrade_downgrade_upgrade(empty_db: Database) -> None:
    assert _tables(empty_db) == set()
    empty_db.upgrade()
    assert _tables(empty_db) == TABLES
    empty_db.downgrade("base")
    assert _tables(empty_db) == set()
    assert empty_db.check_current().is_empty
    empty_db.upgrade()
    assert _tables(empty_db) == TABLES and empty_db.check_current().is_current


def test_models_match_migrations(db: Database) -> None:
    """No drift: autogenerate finds nothing to add after `upgrade head`. If this fails, write a
    migration (`alembic revision --autogenerate`) and review it."""
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_constraint_names_follow_convention(db: Database) -> None:
    with db.engine.connect() as conn:
        insp = inspect(conn)
        fks = {fk["name"] for fk in insp.get_foreign_keys("site_scan")}
        uniques = {uq["name"] for uq in insp.get_unique_constraints("item_result")}
    assert fks == {"fk_site_scan_run_id_scan_run", "fk_site_scan_agency_id_agency"}
    assert uniques == {"uq_item_result_site_scan_id_code"}


def test_item_status_check_matches_rules_enum() -> None:
    """The CHECK constraint lists the statuses by hand (a migration must change it); this
    fails when the rules engine gains a status the database would refuse."""
    table = Base.metadata.tables["item_result"]
    [check] = [
        c
        for c in table.constraints
        if isinstance(c, CheckConstraint) and c.name == "ck_item_result_status"
    ]
    listed = {v.strip(" '") for v in str(check.sqltext).split("(")[1].rstrip(")").split(",")}
    assert listed == {s.value for s in ItemStatus}


def test_migrations_found_and_single_head() -> None:
    assert _migrations.alembic_dir() == REPO_ROOT / "alembic"
    assert len(_migrations.heads()) == 1
    names = sorted(p.name for p in (REPO_ROOT / "alembic" / "versions").glob("*.py"))
    assert names and all(n[:8].isdigit() for n in names)  # timestamp first


def test_alembic_command_line_uses_env_url(tmp_path: Path) -> None:
    """`alembic upgrade head` from the repo root, for developers: URL from the environment."""
    target = tmp_path / "cli.sqlite3"
    env = {**os.environ, "OITWATCH_DATABASE_URL": f"sqlite:///{target}"}
    done = subprocess.run(
        [sys.executable, "-m", "alembic", "upgrade", "head"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert Database(f"sqlite:///{target}").check_current().is_current
