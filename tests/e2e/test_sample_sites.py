"""Whole-site scans of the bundled sample sites: every item gets the status the
site's author wrote in its site.yaml (`expected:`), found through the real
crawler, rules and storage."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from oitwatch.sampleserver import SampleServer, default_sites_dir
from oitwatch.scan import ScanOptions, scan_sites
from reports import RunReport
from rules import load_catalog
from storage import Database, Repository


def _expectations() -> list[tuple[str, str, tuple[str, ...]]]:
    """(site, item, accepted statuses) from every sample site's site.yaml."""
    rows = []
    for site_yaml in sorted(default_sites_dir().glob("*/site.yaml")):
        config = yaml.safe_load(site_yaml.read_text(encoding="utf-8"))
        for code, want in (config.get("expected") or {}).items():
            accepted = tuple(want.get("accept") or [want["status"]])
            rows.append((site_yaml.parent.name, code, accepted))
    return rows


EXPECTED = _expectations()


@pytest.fixture(scope="module")
def scanned(sample_server: SampleServer, tmp_path_factory: pytest.TempPathFactory):
    db = Database(f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'scan.sqlite3'}")
    db.upgrade()
    repo = Repository(db)
    seeds = [site.url for site in sample_server.sites]
    run = scan_sites(seeds, load_catalog("ita-2566"), repo, ScanOptions(min_delay=0.0, screenshots=False))
    by_name = {site.name: site.url for site in sample_server.sites}
    return run, repo, by_name


def test_there_are_enough_sample_sites() -> None:
    assert len({name for name, _, _ in EXPECTED}) >= 4


def test_every_bundled_site_expects_every_item_of_the_catalog() -> None:
    """All 43 ITA 2566 items are exercised by a whole-site scan of every bundled site."""
    codes = {i.code for i in load_catalog("ita-2566").items}
    by_site: dict[str, set[str]] = {}
    for site, code, _ in EXPECTED:
        by_site.setdefault(site, set()).add(code)
    for site, seen in by_site.items():
        assert seen == codes, (site, sorted(codes - seen))
    # every item passes somewhere and fails or is partial somewhere else
    outcomes: dict[str, set[str]] = {}
    for _, code, accepted in EXPECTED:
        outcomes.setdefault(code, set()).update(accepted)
    assert all("pass" in s for s in outcomes.values())
    assert {c for c, s in outcomes.items() if not s & {"fail", "partial"}} <= {"O1", "O2"}


@pytest.mark.parametrize(
    ("site", "code", "accepted"), EXPECTED, ids=[f"{s}-{c}" for s, c, _ in EXPECTED]
)
def test_item_status_matches_expectation(scanned, site: str, code: str, accepted) -> None:
    run, _, by_name = scanned
    report = next(s for s in run.sites if s.seed_url == by_name[site])
    item = next(i for i in report.items if i.code == code)
    reasons = "; ".join(r.en for r in item.reasons)
    assert item.status.value in accepted, f"{site} {code}: got {item.status.value} ({reasons})"


def test_every_failed_or_partial_item_says_why(scanned) -> None:
    run, _, _ = scanned
    for site in run.sites:
        for item in site.items:
            if item.status.value in ("fail", "partial", "error"):
                assert item.reasons, f"{site.seed_url} {item.code} has no reason"
                assert all(r.th and r.en for r in item.reasons)


def test_passing_items_carry_evidence_with_click_path(scanned) -> None:
    run, _, _ = scanned
    checked = 0
    for site in run.sites:
        for item in site.items:
            if item.status.value == "pass":
                best = item.evidence[0]
                assert best.url.startswith("http")
                assert best.click_path and best.click_path[0] == "หน้าแรก"
                assert best.meets_requirements
                checked += 1
    assert checked >= 10


def test_no_passing_item_carries_a_rejection(scanned) -> None:
    """Issue 8, point 2: a pass whose reasons hold a rejection (another agency named, a
    requirement unmet, content not read or not fetched) is a contradiction. Checked on
    the live results: storage keeps only the sentences, not the flag."""
    run, _, _ = scanned
    contradicted = [
        f"{site.seed_url} {item.code}: {reason.en}"
        for site in run.sites
        for item in site.items
        if item.status.value == "pass"
        for reason in item.reasons
        if reason.rejects
    ]
    assert not contradicted, "\n".join(contradicted)


def test_stored_run_reads_back_identically(scanned) -> None:
    run, repo, _ = scanned
    stored: RunReport = repo.load_run(run.run_id)
    assert stored is not None
    assert {s.seed_url for s in stored.sites} == {s.seed_url for s in run.sites}
    for live in run.sites:
        back = next(s for s in stored.sites if s.seed_url == live.seed_url)
        assert back.status == live.status
        assert [(i.code, i.status) for i in back.items] == [(i.code, i.status) for i in live.items]
        for a, b in zip(live.items, back.items):
            assert [e.url for e in a.evidence] == [e.url for e in b.evidence]


def test_site_status_matches_expectation(scanned, sample_server: SampleServer) -> None:
    run, _, _ = scanned
    statuses = set()
    for sample in sample_server.sites:
        report = next(s for s in run.sites if s.seed_url == sample.url)
        assert report.status == sample.expected_site_status, (sample.name, report.reason)
        assert report.reason
        if report.status == "ok":
            assert report.pages_fetched > 3
        statuses.add(report.status)
    assert {"ok", "blocked", "unreachable"} <= statuses


def test_default_sites_dir_is_in_repo() -> None:
    assert default_sites_dir().is_dir()
    assert (Path(default_sites_dir()) / "compliant" / "site.yaml").is_file()
