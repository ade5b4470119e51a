"""Fixtures for storage tests: every database test runs on SQLite and on PostgreSQL.

PostgreSQL comes from OITWATCH_TEST_POSTGRES_URL, e.g.
    OITWATCH_TEST_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test
Each test gets its own schema (search_path set through the URL's ``options``), migrated with
the real Alembic scripts and dropped afterwards. Unset: the PostgreSQL half is skipped with a
reason, except under CI (env CI set), where an unset or unreachable server is a failure.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from storage import Database, Repository


@pytest.fixture(autouse=True)
def _isolated_env(isolated_env: None) -> None:
    """Never touch the developer's real database or data directory."""


# pg_admin, pg_url and db_url (SQLite, then a PostgreSQL schema per test) live in
# tests/conftest.py; here ``db`` is built from ``empty_db`` so migration tests see both.


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
