"""Helpers of the dashboard and API tests (imported by their conftest and tests)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import httpx

from benchmarks.campaign_data import SeededCampaign
from storage import Repository
from web import WebConfig, create_app
from web._background import BackgroundServer, free_port

__all__ = ["LiveServer", "Seeded", "free_port", "make_app"]


@dataclass
class Seeded:
    url: str
    repo: Repository
    campaign: SeededCampaign
    token: str  # an active write token
    home: Path


class LiveServer(BackgroundServer):
    """The real server over an app, in a thread (web._background); ``url`` is its base URL."""

    def client(self, **kwargs: object) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=30, **kwargs)  # type: ignore[arg-type]


def make_app(repo: Repository, **config: object):  # type: ignore[no-untyped-def]
    """The app over ``repo`` with a fixed secret (cookies stay valid across app objects)."""
    settings: dict[str, object] = {"secret": b"test-secret", **config}
    return create_app(WebConfig(**settings), repo=repo)  # type: ignore[arg-type]
