"""URL resolution, connection setup and error messages of storage.Database."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from storage import (
    Database,
    DatabaseConfigError,
    DatabaseUnavailableError,
    Repository,
    SchemaError,
    _migrations,
    default_database_path,
    resolve_database_url,
)
from storage.models import ScanRun


def test_explicit_url_beats_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("OITWATCH_DATABASE_URL", f"sqlite:///{tmp_path}/env.sqlite3")
    assert resolve_database_url(f"sqlite:///{tmp_path}/arg.sqlite3") == (
        f"sqlite:///{tmp_path}/arg.sqlite3",
        False,
    )
    assert resolve_database_url() == (f"sqlite:///{tmp_path}/env.sqlite3", False)
    assert Database().url.database == f"{tmp_path}/env.sqlite3"


def test_default_under_oitwatch_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    home = tmp_path / "nested" / "home"
    monkeypatch.setenv("OITWATCH_HOME", str(home))
    url, is_default = resolve_database_url()
    assert is_default and url == f"sqlite:///{home}/oitwatch.sqlite3"
    assert home.is_dir()  # created, so SQLite can create the file
    db = Database()
    assert db.is_default and db.is_sqlite
    assert db.url.database == str(home / "oitwatch.sqlite3")


def test_default_under_xdg_then_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("OITWATCH_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_database_path() == tmp_path / "xdg" / "oitwatch" / "oitwatch.sqlite3"
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "user"))
    assert resolve_database_url()[0] == (
        f"sqlite:///{tmp_path}/user/.local/share/oitwatch/oitwatch.sqlite3"
    )
    assert (tmp_path / "user" / ".local" / "share" / "oitwatch").is_dir()


@pytest.mark.parametrize("scheme", ["postgresql", "postgres"])
def test_postgres_urls_use_psycopg3(scheme: str) -> None:
    db = Database(f"{scheme}://monitor:s3cret@db.example:5432/oitwatch")
    assert db.url.drivername == "postgresql+psycopg"
    assert db.display_url == "postgresql+psycopg://monitor:***@db.example:5432/oitwatch"
    assert "s3cret" not in repr(db)


@pytest.mark.parametrize(
    "url, message",
    [
        ("not a url at all", "malformed database URL"),
        ("postgresql://monitor:s3cret@host:notaport/db", "malformed database URL"),
        ("nosuchdb://monitor:s3cret@host/db", "cannot use database URL"),
    ],
)
def test_malformed_url_is_a_clear_error(url: str, message: str) -> None:
    with pytest.raises(DatabaseConfigError, match=message) as info:
        Database(url)
    assert "s3cret" not in str(info.value)
    assert ("***" in str(info.value)) == ("s3cret" in url)


def test_unreachable_server_is_a_clear_error() -> None:
    db = Database("postgresql://monitor:s3cret@127.0.0.1:1/oitwatch")  # nothing listens on 1
    for action in (db.ping, db.check_current, db.upgrade, lambda: Repository(db).list_runs()):
        with pytest.raises(DatabaseUnavailableError) as info:
            action()
        text = str(info.value)
        assert "127.0.0.1:1" in text and "monitor:***@" in text and "s3cret" not in text
        assert "\n" not in text


def test_sqlite_in_missing_directory(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path}/no/such/dir/x.sqlite3")
    with pytest.raises(DatabaseUnavailableError, match="unable to open database file"):
        db.ping()


def test_sqlite_pragmas(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path}/p.sqlite3")
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30_000


def test_schema_status(empty_db: Database) -> None:
    status = empty_db.check_current()
    assert status.is_empty and not status.is_current and status.heads == _migrations.heads()
    assert not status  # `if not db.check_current(): ...` works
    # Using a database that was never upgraded says what to do.
    with pytest.raises(SchemaError, match="oitwatch db upgrade"):
        Repository(empty_db).list_runs()
    empty_db.upgrade()
    status = empty_db.check_current()
    assert status.is_current and not status.is_empty and status.unknown == ()
    assert status


def test_database_from_newer_oitwatch_is_detected(db: Database) -> None:
    with db.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = 'ffff_future'")
    status = db.check_current()
    assert not status.is_current and status.unknown == ("ffff_future",)
    with pytest.raises(SchemaError, match="alembic upgrade head failed"):
        db.upgrade()


def test_session_returns_aware_utc(db: Database) -> None:
    Repository(db).start_run("ita-2566", 2566, "cli", {})
    with db.session() as s:
        started = s.scalar(select(ScanRun.started_at))
    assert started is not None and started.utcoffset() is not None
    assert started.utcoffset().total_seconds() == 0  # type: ignore[union-attr]
