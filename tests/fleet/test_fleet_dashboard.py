"""A scan started through the dashboard's API with the Celery backend: the server only
enqueues; real workers scan; the run's progress (what the run page shows) reaches complete."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from oitwatch.sampleserver import SampleServer
from storage import Repository
from storage.tokens_repo import TokenRepository
from web import WebConfig, create_app

from .conftest import register, wait_until


def _call(app: Any, method: str, path: str, **kwargs: Any) -> httpx.Response:
    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            return await client.request(method, path, **kwargs)

    return asyncio.run(go())


def test_dashboard_scan_goes_to_the_celery_workers(
    pg_repo: Repository, pg_url: str, samples: SampleServer, start_worker: Any,
    celery_env: dict[str, str],
) -> None:
    register(pg_repo, samples, province="ขอนแก่น")
    _, token = TokenRepository(pg_repo.db).create("celery-test")
    app = create_app(
        WebConfig(secret=b"t", backend="celery", broker=celery_env["OITWATCH_REDIS_URL"],
                  scan_options={"min_delay": 0.0, "screenshots": False, "max_pages": 30}),
        repo=pg_repo,
    )
    body = {"selection": {"agencies": ["demo-compliant", "demo-hub"]}}
    refused = _call(app, "POST", "/api/v1/scans", json=body)
    assert refused.status_code == 401 and pg_repo.list_runs() == []
    accepted = _call(app, "POST", "/api/v1/scans", json=body,
                     headers={"authorization": f"Bearer {token}"})
    assert accepted.status_code == 202, accepted.text
    started = accepted.json()
    assert started["backend"] == "celery" and started["sites"] == 2
    run_id = started["run_id"]
    # nothing scans yet: the tasks wait in Redis for a worker
    assert pg_repo.run_progress(run_id).queued == 2
    worker = start_worker(pg_url, "dash", concurrency=2)

    def progress() -> dict[str, Any] | None:
        doc = _call(app, "GET", f"/api/v1/runs/{run_id}/progress").json()
        return doc if doc["state"] == "complete" else None

    done = wait_until(progress, 120, "the workers to finish the dashboard's run")
    assert done["complete"] == 2 and done["total"] == 2
    assert f"run {run_id} " in worker.text()


@pytest.mark.parametrize("broker", ["redis://127.0.0.1:1/0"])
def test_dashboard_scan_says_so_when_the_broker_is_away(
    pg_repo: Repository, samples: SampleServer, broker: str
) -> None:
    register(pg_repo, samples)
    _, token = TokenRepository(pg_repo.db).create("celery-test")
    app = create_app(WebConfig(secret=b"t", backend="celery", broker=broker), repo=pg_repo)
    r = _call(app, "POST", "/api/v1/scans", json={"selection": {"agencies": ["demo-compliant"]}},
              headers={"authorization": f"Bearer {token}"})
    assert r.status_code == 503, r.text
    error = r.json()["error"]
    assert "Celery" in error["message"] and error["message_th"]
    [run] = pg_repo.list_runs()
    assert run.state == "interrupted"  # not left "running" forever
