"""Fixtures shared by every test folder: the real PostgreSQL and Redis servers.

PostgreSQL comes from OITWATCH_TEST_POSTGRES_URL, e.g.
    OITWATCH_TEST_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test
Each test gets its own schema (search_path set through the URL's ``options``), dropped
afterwards; tests migrate it with the real Alembic scripts.

Redis comes from OITWATCH_TEST_REDIS_URL, e.g. redis://127.0.0.1:6379/15; each test session
uses its own key prefix and queue name, so parallel runs never take each other's tasks.

Unset: those tests are skipped with a reason, except under CI (env CI set), where an unset
or unreachable server is a failure. Set but unreachable is always a failure.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

from storage import Database, Repository, StorageError

PG_ENV = "OITWATCH_TEST_POSTGRES_URL"
REDIS_ENV = "OITWATCH_TEST_REDIS_URL"


def _missing(env: str, example: str, what: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"CI is set but {env} is not: the {what} tests must run in CI")
    pytest.skip(f"{env} not set, {what} untested (e.g. {env}={example})")


@pytest.fixture(scope="session")
def pg_admin() -> Iterator[Database]:
    raw = os.environ.get(PG_ENV)
    if not raw:
        _missing(PG_ENV, "postgresql+psycopg://postgres@127.0.0.1:5432/test", "PostgreSQL")
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


@pytest.fixture(scope="session")
def redis_url() -> str:
    raw = os.environ.get(REDIS_ENV)
    if not raw:
        _missing(REDIS_ENV, "redis://127.0.0.1:6379/15", "Redis/Celery")
    import redis

    try:
        redis.Redis.from_url(raw, socket_connect_timeout=5).ping()
    except redis.RedisError as exc:
        pytest.fail(f"{REDIS_ENV} is set but the server cannot be used: {exc}")
    return str(raw)


@pytest.fixture(scope="session")
def redis_namespace(redis_url: str) -> Iterator[str]:
    """A key prefix of this test session; its keys are deleted at the end."""
    prefix = f"oitwatch-test-{uuid.uuid4().hex[:10]}:"
    yield prefix
    import redis

    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter(match=f"{prefix}*", count=500):
        client.delete(key)


# --- databases: every storage-level test runs on SQLite and on PostgreSQL ------------------


@pytest.fixture
def isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Never touch the developer's real database or data directory (folders that store
    things make it autouse in their own conftest)."""
    monkeypatch.delenv("OITWATCH_DATABASE_URL", raising=False)
    monkeypatch.setenv("OITWATCH_HOME", str(tmp_path_factory.mktemp("oitwatch_home")))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: os.PathLike[str]) -> str:
    """A fresh, empty database: a SQLite file, then a PostgreSQL schema of its own."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/test.sqlite3"
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    """A database migrated to head with the real Alembic scripts (not create_all)."""
    database = Database(db_url)
    database.upgrade()
    yield database
    database.close()


@pytest.fixture
def repo(db: Database) -> Repository:
    return Repository(db)
