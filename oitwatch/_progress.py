"""Progress bars for long scans, drawn on stderr so stdout stays clean for JSON/CSV."""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from crawler import Page
from reports import SiteReport

from .scan import ScanProgress

__all__ = ["RichScanProgress"]


class RichScanProgress(ScanProgress):
    """One overall bar (sites) and one bar per site being crawled (pages of the budget)."""

    def __init__(self, console: Console, total_sites: int, max_pages: int, lang: str) -> None:
        self._max_pages = max_pages
        self._lang = lang
        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=False,
        )
        self._overall = self._progress.add_task(
            "เว็บไซต์ที่ตรวจแล้ว" if lang == "th" else "sites scanned", total=total_sites
        )
        self._sites: dict[str, TaskID] = {}

    def __enter__(self) -> RichScanProgress:
        self._progress.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._progress.stop()

    def site_started(self, seed_url: str) -> None:
        # escape "[" so a URL is never read as rich markup
        name = seed_url.replace("[", r"\[")
        self._sites[seed_url] = self._progress.add_task(f"  {name}", total=self._max_pages)

    def page_fetched(self, seed_url: str, page: Page) -> None:
        task = self._sites.get(seed_url)
        if task is not None:
            self._progress.advance(task)

    def site_finished(self, seed_url: str, report: SiteReport) -> None:
        task = self._sites.pop(seed_url, None)
        if task is not None:
            self._progress.remove_task(task)
        self._progress.advance(self._overall)
