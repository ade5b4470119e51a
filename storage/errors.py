"""Exceptions storage raises. Every message is fit to show a user as is (one line, the
database named without its password); the original driver error is chained as __cause__."""

from __future__ import annotations

__all__ = [
    "DatabaseConfigError",
    "DatabaseUnavailableError",
    "NotFoundError",
    "RunInProgressError",
    "SchemaError",
    "SiteBusyError",
    "SiteScanWriteError",
    "StorageError",
]


class StorageError(Exception):
    """Base class: anything storage cannot do."""


class DatabaseConfigError(StorageError):
    """The database URL is malformed or names a driver that is not installed."""


class DatabaseUnavailableError(StorageError):
    """The database cannot be reached or opened (server down, bad credentials, bad path)."""


class SchemaError(StorageError):
    """The schema is missing or not at the version this code expects, or migrations failed."""


class NotFoundError(StorageError):
    """A run or site scan with the given id does not exist."""


class SiteScanWriteError(StorageError):
    """Results of a site scan could not be saved; the scan was marked failed instead."""


class RunInProgressError(StorageError):
    """A schedule fired while its previous run is still going: no second run is started."""

    def __init__(self, message: str, run_id: int) -> None:
        super().__init__(message)
        self.run_id = run_id


class SiteBusyError(StorageError):
    """Another live worker holds this site scan (its lease has not expired): try later."""

    def __init__(self, message: str, site_scan_id: int, retry_after: float) -> None:
        super().__init__(message)
        self.site_scan_id = site_scan_id
        self.retry_after = retry_after
