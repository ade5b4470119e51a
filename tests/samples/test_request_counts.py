"""SampleServer.request_counts(): requests answered per site (benchmarks report "requests
per site"), thread-safe, resettable."""

from __future__ import annotations

import socket
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import yaml

from oitwatch.sampleserver import CHECKED_ITEMS, SampleServer


def make_site(root: Path, name: str, config: dict | None = None) -> None:
    site = root / name
    (site / "www").mkdir(parents=True)
    config = dict(config or {})
    config.setdefault("expected", {c: {"status": "fail", "why": "test"} for c in CHECKED_ITEMS})
    (site / "site.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    (site / "www" / "index.html").write_text("<p>home</p>", encoding="utf-8")


def test_counts_every_request_per_site_and_resets(tmp_path: Path) -> None:
    make_site(tmp_path, "a")
    make_site(tmp_path, "b", {"dynamic": {"redirects": {"/old": "/"}}})
    make_site(tmp_path, "down", {"dynamic": {"unreachable": True}, "expected_site_status": "unreachable",
                                 "expected": {c: {"status": "error", "why": "test"} for c in CHECKED_ITEMS}})
    with SampleServer(tmp_path) as server, httpx.Client(timeout=5) as client:
        assert server.request_counts() == {"a": 0, "b": 0, "down": 0}
        a, b = server.site("a").url, server.site("b").url
        assert client.get(a).status_code == 200
        assert client.get(a + "missing").status_code == 404  # errors count too
        assert client.head(a).status_code == 200
        assert client.post(a + "form", data={"x": "1"}).status_code == 200
        assert client.get(b + "old").status_code == 301  # not followed: one request
        assert server.request_counts() == {"a": 4, "b": 1, "down": 0}

        server.reset_request_counts()
        assert server.request_counts() == {"a": 0, "b": 0, "down": 0}
        client.get(b, follow_redirects=True)
        assert server.request_counts() == {"a": 0, "b": 1, "down": 0}


def test_counting_is_thread_safe(tmp_path: Path) -> None:
    make_site(tmp_path, "a")
    with SampleServer(tmp_path) as server:
        url = server.site("a").url

        def hit(_: int) -> int:
            with httpx.Client(timeout=10) as client:
                return sum(client.get(url).status_code == 200 for _ in range(25))

        with ThreadPoolExecutor(8) as pool:
            assert sum(pool.map(hit, range(8))) == 200
        assert server.request_counts() == {"a": 200}


def test_a_dropped_connection_is_not_a_request(tmp_path: Path) -> None:
    make_site(tmp_path, "a")
    with SampleServer(tmp_path) as server:
        parts = urlsplit(server.site("a").url)
        socket.create_connection((parts.hostname, parts.port), timeout=2).close()
        with httpx.Client(timeout=5) as client:
            client.get(server.site("a").url)
        assert server.request_counts() == {"a": 1}


def test_counts_are_gone_after_stop(tmp_path: Path) -> None:
    make_site(tmp_path, "a")
    server = SampleServer(tmp_path).start()
    httpx.get(server.site("a").url, timeout=5)
    server.stop()
    assert server.request_counts() == {}
