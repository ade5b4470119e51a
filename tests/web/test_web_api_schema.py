"""The API against its own OpenAPI document, by schemathesis: for every operation,
generated requests (valid and invalid) must never give a 500, and every answer must be
one the document declares (status, content type, body schema, Allow header). On SQLite
and PostgreSQL, deterministic (derandomized) so CI sees the same cases every run.

Writes are tried without a token (401, nothing changes): with one, generated scans would
try to reach the seeded agencies' (non-existent) sites."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from web_support import Seeded

from storage import Database, Repository
from storage.tokens_repo import TokenRepository
from web import WebConfig, create_app
from web._jobs import ScanJobs

# The document does not depend on the data: load it from an app over an empty database,
# then point that app at each backend's seeded database (fixture below).
_app = create_app(
    WebConfig(secret=b"schema-test"),
    repo=Repository(Database(f"sqlite:///{tempfile.mkdtemp(prefix='oitwatch-schema-')}/x.db")),
)
schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", _app)


@pytest.fixture(autouse=True)
def _on_seeded(seeded: Seeded) -> Iterator[None]:
    state = _app.state
    before = state.repo, state.tokens, state.jobs
    state.repo = seeded.repo
    state.tokens = TokenRepository(seeded.repo.db)
    state.jobs = ScanJobs(seeded.repo)
    yield
    state.repo, state.tokens, state.jobs = before


@schema.parametrize()
@settings(max_examples=25, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_every_operation_answers_as_documented(case: schemathesis.Case, seeded: Seeded) -> None:
    runs_before = len(seeded.repo.list_runs(1000))
    case.call_and_validate()
    assert len(seeded.repo.list_runs(1000)) == runs_before  # no generated write got through
