"""Exceptions storage raises. Every message is fit to show a user as is (one line, the
database named without its password); the original driver error is chained as __cause__."""

from __future__ import annotations

__all__ = [
    "DatabaseConfigError",
    "DatabaseUnavailableError",
    "NotFoundError",
    "SchemaError",
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
