"""The dashboard benchmark's own code at a tiny size: every page it times answers 200 over
the real server, its row counts are right, and its results file keeps one entry per
database. No timing is asserted (timings are the benchmark's output, not a property)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.dashboard_bench import _p95, main, run_benchmark, table, write_results


@pytest.fixture(autouse=True)
def _home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("OITWATCH_DATABASE_URL", raising=False)
    monkeypatch.setenv("OITWATCH_HOME", str(tmp_path / "home"))


def test_every_page_of_a_tiny_campaign_is_timed(tmp_path: Path) -> None:
    lines: list[str] = []
    result = run_benchmark(agencies=20, runs=2, requests=2, warmup=1, log=lines.append)
    assert result["database"] == "sqlite" and result["agencies"] == 20
    pages = {p["page"]: p for p in result["pages"]}
    assert len(pages) == 13
    failed = {name: p["status"] for name, p in pages.items() if p["status"] != 200}
    assert failed == {}
    for page in pages.values():
        assert page["requests"] == 2
        assert 0 < page["median_ms"] <= page["p95_ms"]
        assert page["bytes"] > 0
    # 20 agencies: one page of the overview holds them all; the exports hold every agency
    for name in ("overview (page 1, 100 agencies)", "overview (per_page=500)",
                 "overview sorted by score, ascending", "overview sorted by name",
                 "overview CSV (every agency)", "overview XLSX (every agency)",
                 "item page (O28, every agency)"):
        assert pages[name]["rows"] == 20, name
        assert pages[name]["ms_per_row"] > 0
    assert pages["overview of one province"]["rows"] == 5  # 4 provinces, round robin
    assert pages["overview of one province"]["agencies_considered"] == 5
    assert pages["agency page"]["agencies_considered"] == 1
    assert pages["API site-scans?limit=500"]["rows"] == 20  # one run
    assert pages["API item-results?limit=500"]["rows"] == 500  # 860 results, one page
    assert any("generated 20 agencies" in line for line in lines)
    assert "overview sorted by name" in table(result)

    target = tmp_path / "dashboard.json"
    write_results(result, target)
    write_results({**result, "database": "postgresql"}, target)
    write_results(result, target)
    stored = json.loads(target.read_text(encoding="utf-8"))
    assert sorted(stored["results"]) == ["postgresql", "sqlite"]


def test_the_command_line_writes_its_results_file(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out.json"
    assert main(["--agencies", "4", "--requests", "1", "--warmup", "0",
                 "--results", str(target)]) == 0
    assert "median ms" in capsys.readouterr().out
    result = json.loads(target.read_text(encoding="utf-8"))["results"]["sqlite"]
    assert result["agencies"] == 4 and len(result["pages"]) == 13


def test_p95_is_an_observed_value_at_the_95th_percentile() -> None:
    assert _p95([5.0]) == 5.0
    assert _p95([float(n) for n in range(1, 21)]) == 19.0
    assert _p95([float(n) for n in range(1, 101)]) == 95.0
