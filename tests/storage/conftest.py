"""Fixtures for storage tests: every database test runs on SQLite and on PostgreSQL.

PostgreSQL comes from OITWATCH_TEST_POSTGRES_URL, e.g.
    OITWATCH_TEST_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test
Each test gets its own schema (search_path set through the URL's ``options``), migrated with
the real Alembic scripts and dropped afterwards. Unset: the PostgreSQL half is skipped with a
reason, except under CI (env CI set), where an unset or unreachable server is a failure.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

from storage import Database, Repository, StorageError

PG_ENV = "OITWATCH_TEST_POSTGRES_URL"


@pytest.fixture(autouse=True)
def _isolated_env(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Never touch the developer's real database or data directory."""
    monkeypatch.delenv("OITWATCH_DATABASE_URL", raising=False)
    monkeypatch.setenv("OITWATCH_HOME", str(tmp_path_factory.mktemp("oitwatch_home")))


@pytest.fixture(scope="session")
def pg_admin() -> Iterator[Database]:
    raw = os.environ.get(PG_ENV)
    if not raw:
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but {PG_ENV} is not: the PostgreSQL tests must run in CI")
        pytest.skip(
            f"{PG_ENV} not set, PostgreSQL backend untested "
            f"(e.g. {PG_ENV}=postgresql+psycopg://postgres@127.0.0.1:5432/test)"
        )
    db = Database(raw)
    try:
        db.ping()
    except StorageError as exc:
        # Set but unreachable is a broken setup, in CI or not: fail rather than skip.
        pytest.fail(f"{PG_ENV} is set but the server cannot be used: {exc}")
    yield db
    db.close()


@pytest.fixture
def pg_url(pg_admin: Database) -> Iterator[str]:
    schema = f"oitwatch_test_{uuid.uuid4().hex[:12]}"
    with pg_admin.engine.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    # A Bangkok session time zone: PostgreSQL then returns +07:00 timestamps, which storage
    # must hand back as UTC.
    options = f"-csearch_path={schema} -ctimezone=Asia/Bangkok"
    url = pg_admin.url.update_query_dict({"options": options})
    yield url.render_as_string(hide_password=False)
    with pg_admin.engine.begin() as conn:
        conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: os.PathLike[str]) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/test.sqlite3"
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def empty_db(db_url: str) -> Iterator[Database]:
    """A database with no schema yet."""
    db = Database(db_url)
    yield db
    db.close()


@pytest.fixture
def db(empty_db: Database) -> Database:
    """A database migrated to head with the real Alembic scripts (not create_all)."""
    empty_db.upgrade()
    return empty_db


@pytest.fixture
def repo(db: Database) -> Repository:
    return Repository(db)
