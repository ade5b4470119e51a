"""The finished result of a scan, as reports render it and storage loads it back."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from rules._result import ItemResult
from rules._score import ScoreEstimate

__all__ = ["RunReport", "SiteReport"]


@dataclass(slots=True)
class SiteReport:
    seed_url: str
    final_url: str
    status: str  # crawler.SiteStatus value: ok | unreachable | blocked | error
    reason: str
    pages_fetched: int
    started_at: datetime
    finished_at: datetime
    items: list[ItemResult] = field(default_factory=list)
    agency_name: str | None = None
    agency_code: str | None = None
    score: ScoreEstimate | None = None  # set by a scan; reports compute it when None
    notes: list[str] = field(default_factory=list)  # what the crawl could not do, and why


@dataclass(slots=True)
class RunReport:
    run_id: int | None
    catalog_id: str
    fiscal_year: int
    started_at: datetime
    finished_at: datetime | None
    sites: list[SiteReport] = field(default_factory=list)
