"""Storage: the end of the pipeline. Receives finished crawls and item results, keeps them
in SQLite or PostgreSQL, and loads them back for reports and auditors. Never calls back
into the crawler or the rules engine.

    db = Database()                 # $OITWATCH_DATABASE_URL or the default SQLite file
    if not db.check_current().is_current:
        db.upgrade()
    repo = Repository(db)
"""

from .errors import (
    DatabaseConfigError,
    DatabaseUnavailableError,
    NotFoundError,
    SchemaError,
    SiteScanWriteError,
    StorageError,
)
from .models import RunState, SiteScanState
from .records import AgencyRecord, EvidenceRecord, RunSummary, StoredRunReport, StoredSiteReport
from .repo import Repository
from .session import (
    ENV_DATABASE_URL,
    ENV_HOME,
    Database,
    SchemaStatus,
    default_database_path,
    resolve_database_url,
)

__all__ = [
    "ENV_DATABASE_URL",
    "ENV_HOME",
    "AgencyRecord",
    "Database",
    "DatabaseConfigError",
    "DatabaseUnavailableError",
    "EvidenceRecord",
    "NotFoundError",
    "Repository",
    "RunState",
    "RunSummary",
    "SchemaError",
    "SchemaStatus",
    "SiteScanState",
    "SiteScanWriteError",
    "StorageError",
    "StoredRunReport",
    "StoredSiteReport",
    "default_database_path",
    "resolve_database_url",
]
