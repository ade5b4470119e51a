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
    RunInProgressError,
    SchemaError,
    SiteBusyError,
    SiteScanWriteError,
    StorageError,
)
from .models import RunState, SiteScanState
from .records import (
    AgencyImportStats,
    AgencyInput,
    AgencyRecord,
    EvidenceRecord,
    RunProgress,
    RunSummary,
    ScheduleRecord,
    SiteClaim,
    StoredRunReport,
    StoredSiteReport,
)
from .repo import Repository
from .session import (
    ENV_DATABASE_URL,
    ENV_HOME,
    Database,
    SchemaStatus,
    default_database_path,
    oitwatch_home,
    resolve_database_url,
)

__all__ = [
    "ENV_DATABASE_URL",
    "ENV_HOME",
    "AgencyImportStats",
    "AgencyInput",
    "AgencyRecord",
    "Database",
    "DatabaseConfigError",
    "DatabaseUnavailableError",
    "EvidenceRecord",
    "NotFoundError",
    "Repository",
    "RunInProgressError",
    "RunProgress",
    "RunState",
    "RunSummary",
    "ScheduleRecord",
    "SchemaError",
    "SchemaStatus",
    "SiteBusyError",
    "SiteClaim",
    "SiteScanState",
    "SiteScanWriteError",
    "StorageError",
    "StoredRunReport",
    "StoredSiteReport",
    "default_database_path",
    "oitwatch_home",
    "resolve_database_url",
]
