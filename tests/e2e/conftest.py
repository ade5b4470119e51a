from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from oitwatch.sampleserver import SampleServer


@pytest.fixture(scope="session")
def sample_server() -> Iterator[SampleServer]:
    with SampleServer() as server:
        yield server


@pytest.fixture()
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'oitwatch.sqlite3'}"
