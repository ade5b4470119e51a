"""Fixtures of the dashboard and API tests: a seeded database on SQLite and PostgreSQL, the
app over it, and the real server (uvicorn on 127.0.0.1, in a thread) for HTTP and browser
tests."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from web_support import LiveServer, Seeded, make_app

from benchmarks.campaign_data import seed_campaign
from storage import Database, Repository
from storage.tokens_repo import TokenRepository


@pytest.fixture(autouse=True)
def _isolated(isolated_env: None) -> None:
    """No test of this folder touches the developer's database or data directory."""


def _pg_schema_url(admin: Database) -> tuple[str, str]:
    schema = f"oitwatch_web_{uuid.uuid4().hex[:10]}"
    with admin.engine.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    url = admin.url.update_query_dict({"options": f"-csearch_path={schema} -ctimezone=Asia/Bangkok"})
    return schema, url.render_as_string(hide_password=False)


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def seeded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seeded]:
    """30 agencies (4 provinces, hostile names among them), 2 complete runs, one token;
    built once per module and backend. Tests must not change what it holds (use
    ``fresh_seeded`` for writes)."""
    home = tmp_path_factory.mktemp("web_home")
    schema = None
    if request.param == "sqlite":
        url = f"sqlite:///{home}/web.sqlite3"
    else:
        admin = request.getfixturevalue("pg_admin")
        schema, url = _pg_schema_url(admin)
    db = Database(url)
    db.upgrade()
    repo = Repository(db)
    campaign = seed_campaign(repo, agencies=30, runs=2, seed=1, hostile=True)
    _, token = TokenRepository(db).create("tests")
    yield Seeded(url, repo, campaign, token, home)
    db.close()
    if schema is not None:
        with request.getfixturevalue("pg_admin").engine.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture
def fresh_seeded(db: Database, tmp_path: Path) -> Seeded:
    """Like ``seeded`` but per test (SQLite and PostgreSQL): for tests that write."""
    repo = Repository(db)
    campaign = seed_campaign(repo, agencies=8, runs=2, seed=2)
    _, token = TokenRepository(db).create("tests")
    return Seeded(db.url.render_as_string(hide_password=False), repo, campaign, token, tmp_path)


@pytest.fixture(scope="module")
def live(seeded: Seeded) -> Iterator[LiveServer]:
    """The real server over the module's seeded database (public reading)."""
    with LiveServer(make_app(seeded.repo)) as server:
        yield server


@pytest.fixture
def api(live: LiveServer) -> Iterator[httpx.Client]:
    with live.client() as client:
        yield client


