"""The comparison's own arithmetic ("requests needed") and the farm server: the benchmark's
figures are only as good as these."""

from __future__ import annotations

from pathlib import Path

import httpx

from benchmarks.farm import FarmServer
from benchmarks.scrapy_compare.__main__ import _key, _needed_urls, requests_needed
from oitwatch.sampleserver import SampleServer, generate_sites

BASE = "http://127.0.0.1:8000"


def order(*paths: str) -> list[tuple[str | None, str | None]]:
    return [(_key(BASE + p), _key(BASE + p)) for p in paths]


def test_requests_needed_is_the_position_of_the_last_evidence() -> None:
    fetched = order("/", "/news", "/ita", "/ita/o1.pdf", "/about", "/ita/o2.pdf")
    items = [[_key(BASE + "/ita/o1.pdf")], [_key(BASE + "/ita/o2.pdf"), _key(BASE + "/about")]]
    assert requests_needed(fetched, items, "best") == (6, 0)
    assert requests_needed(fetched, items, "all") == (6, 0)
    assert requests_needed(fetched, items, "any") == (5, 0)  # /about, fetched 5th, suffices


def test_evidence_never_fetched_is_a_miss_not_a_count() -> None:
    fetched = order("/", "/ita")
    items = [[_key(BASE + "/ita")], [_key(BASE + "/deep/o9.pdf")]]
    assert requests_needed(fetched, items, "best") == (None, 1)


def test_redirected_urls_match_by_requested_or_final_url_after_normalisation() -> None:
    fetched = [(_key(BASE + "/old"), _key(BASE + "/new/?b=2&a=1"))]
    assert requests_needed(fetched, [[_key(BASE + "/new/?a=1&b=2")]], "best") == (1, 0)


def test_off_site_and_unfetched_evidence_needs_the_page_showing_it() -> None:
    item = {"evidence": [
        {"url": "https://www.facebook.com/agency", "kind": "external", "fetched": False,
         "meets": True, "path": [BASE + "/", BASE + "/contact", "https://www.facebook.com/agency"]},
        {"url": BASE + "/files/o21.pdf", "kind": "document", "fetched": False, "meets": True,
         "path": [BASE + "/", BASE + "/ita", BASE + "/files/o21.pdf"]},
        {"url": BASE + "/files/o22.pdf", "kind": "document", "fetched": True, "meets": True,
         "path": [BASE + "/", BASE + "/ita", BASE + "/files/o22.pdf"]},
        {"url": BASE + "/draft", "kind": "page", "fetched": True, "meets": False, "path": []},
    ]}
    assert _needed_urls(item) == [_key(BASE + "/contact"), _key(BASE + "/ita"),
                                  _key(BASE + "/files/o22.pdf")]


def test_farm_server_answers_like_the_sample_server(tmp_path: Path) -> None:
    generate_sites(2, tmp_path, seed=0)
    paths = ["/", "/robots.txt", "/no-such-page"]
    with SampleServer(tmp_path) as plain, FarmServer(tmp_path) as farm:
        assert [s.name for s in plain.sites] == [s.name for s in farm.sites]
        for a, b in zip(plain.sites, farm.sites, strict=True):
            for path in paths:
                ra, rb = httpx.get(a.url.rstrip("/") + path), httpx.get(b.url.rstrip("/") + path)
                assert (ra.status_code, ra.content) == (rb.status_code, rb.content)
