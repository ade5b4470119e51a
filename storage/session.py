"""The one engine: URL resolution, connection setup, schema migrations.

URL resolution, first match wins:
1. the ``url`` argument (e.g. from ``--db``);
2. the environment variable ``OITWATCH_DATABASE_URL``;
3. a SQLite file ``$OITWATCH_HOME/oitwatch.sqlite3``, where ``OITWATCH_HOME`` defaults to
   ``$XDG_DATA_HOME/oitwatch``, else ``~/.local/share/oitwatch`` (created when missing).

``postgresql://`` and ``postgres://`` URLs are rewritten to the installed psycopg 3 driver.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from . import _migrations
from .errors import (
    DatabaseConfigError,
    DatabaseUnavailableError,
    SchemaError,
    StorageError,
)

__all__ = [
    "ENV_DATABASE_URL",
    "ENV_HOME",
    "Database",
    "SchemaStatus",
    "default_database_path",
    "oitwatch_home",
    "redact_url",
    "resolve_database_url",
]

ENV_DATABASE_URL = "OITWATCH_DATABASE_URL"
ENV_HOME = "OITWATCH_HOME"
DEFAULT_FILENAME = "oitwatch.sqlite3"
SQLITE_BUSY_TIMEOUT_MS = 30_000  # a report reading while a scan writes waits, not fails


def oitwatch_home() -> Path:
    """The directory for oitwatch's data (not created here)."""
    if home := os.environ.get(ENV_HOME):
        return Path(home).expanduser()
    if xdg := os.environ.get("XDG_DATA_HOME"):
        return Path(xdg).expanduser() / "oitwatch"
    return Path.home() / ".local" / "share" / "oitwatch"


def default_database_path() -> Path:
    return oitwatch_home() / DEFAULT_FILENAME


def resolve_database_url(url: str | None = None) -> tuple[str, bool]:
    """Return ``(url, is_default)``; ``is_default`` when neither argument nor environment
    named a database, so the caller may, e.g., upgrade the schema without asking."""
    if url:
        return url, False
    if env := os.environ.get(ENV_DATABASE_URL):
        return env, False
    path = default_database_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    return URL.create("sqlite", database=str(path)).render_as_string(), True


_PASSWORD_IN_URL = re.compile(r"(://[^:/@\s]*:)[^@\s]*@")


def redact_url(url: str | URL) -> str:
    """The URL with its password replaced by ``***``, also for strings that do not parse."""
    if isinstance(url, URL):
        return url.render_as_string(hide_password=True)
    return _PASSWORD_IN_URL.sub(r"\1***@", url)


def _parse_url(raw: str) -> URL:
    try:
        url = make_url(raw)
    except (ArgumentError, ValueError) as exc:  # ValueError: e.g. a non-numeric port
        raise DatabaseConfigError(
            f"malformed database URL {redact_url(raw)!r}: expected e.g. "
            "sqlite:////path/to/oitwatch.sqlite3 or postgresql://user@host/dbname"
        ) from exc
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    return url


@dataclass(frozen=True, slots=True)
class SchemaStatus:
    """Where the database's schema stands against this code's migrations."""

    current: tuple[str, ...]  # revisions recorded in the database; () for an empty one
    heads: tuple[str, ...]  # the newest revisions this code ships
    unknown: tuple[str, ...]  # recorded revisions this code does not know (a newer oitwatch?)

    @property
    def is_current(self) -> bool:
        return set(self.current) == set(self.heads)

    def __bool__(self) -> bool:
        """``if not db.check_current(): ...`` reads as intended."""
        return self.is_current

    @property
    def is_empty(self) -> bool:
        return not self.current


def _json_dumps(value: Any) -> str:
    # Keep Thai readable when someone inspects the database with sqlite3 / psql.
    return json.dumps(value, ensure_ascii=False)


def _is_missing_schema(exc: DBAPIError) -> bool:
    """Missing table/column: the schema was never created or is behind the code."""
    if getattr(exc.orig, "sqlstate", None) in ("42P01", "42703"):  # PostgreSQL
        return True
    text = str(exc.orig)
    return text.startswith(("no such table", "no such column"))  # SQLite


def _first_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    text = str(orig).strip()
    return text.splitlines()[0] if text else type(orig).__name__


class Database:
    """Owns the engine for one database. Cheap to create; connects lazily.

    >>> db = Database()          # default SQLite file, or $OITWATCH_DATABASE_URL
    >>> db.check_current().is_current
    """

    def __init__(self, url: str | None = None, *, echo: bool = False) -> None:
        raw, self.is_default = resolve_database_url(url)
        self.url: URL = _parse_url(raw)
        self.display_url: str = redact_url(self.url)
        self.dialect_name = self.url.get_backend_name()
        kwargs: dict[str, Any] = {"echo": echo, "json_serializer": _json_dumps}
        if self.dialect_name != "sqlite":
            kwargs["pool_pre_ping"] = True  # nightly runs outlive idle server connections
        try:
            self.engine: Engine = create_engine(self.url, **kwargs)
        except ArgumentError as exc:  # also NoSuchModuleError: unknown dialect/driver
            raise DatabaseConfigError(
                f"cannot use database URL {self.display_url!r}: {_first_line(exc)}"
            ) from exc
        except ImportError as exc:
            raise DatabaseConfigError(
                f"database driver for {self.display_url!r} is not installed: {exc}"
            ) from exc
        if self.dialect_name == "sqlite":
            _configure_sqlite(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def __repr__(self) -> str:
        return f"Database({self.display_url!r})"

    @property
    def is_sqlite(self) -> bool:
        return self.dialect_name == "sqlite"

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.engine.dispose()

    def session(self) -> Session:
        return self._sessions()

    @contextmanager
    def errors(self, doing: str = "use") -> Iterator[None]:
        """Turn driver errors into StorageError subclasses that name this database."""
        try:
            yield
        except StorageError:
            raise
        except DBAPIError as exc:
            if _is_missing_schema(exc):
                raise SchemaError(
                    f"database {self.display_url} lacks oitwatch's tables "
                    f"({_first_line(exc)}): run `oitwatch db upgrade`"
                ) from exc
            if isinstance(exc, OperationalError) or exc.connection_invalidated:
                raise DatabaseUnavailableError(
                    f"cannot {doing} database {self.display_url}: {_first_line(exc)}"
                ) from exc
            raise StorageError(f"database error on {self.display_url}: {_first_line(exc)}") from exc
        except SQLAlchemyError as exc:
            raise StorageError(f"database error on {self.display_url}: {_first_line(exc)}") from exc

    def ping(self) -> None:
        """Connect once; raise DatabaseUnavailableError with a readable message if we can't."""
        try:
            with self.engine.connect() as conn:
                conn.exec_driver_sql("SELECT 1")
        except DBAPIError as exc:
            raise DatabaseUnavailableError(
                f"cannot connect to database {self.display_url}: {_first_line(exc)}"
            ) from exc

    # -- schema ---------------------------------------------------------------------------

    @contextmanager
    def migration_connection(self) -> Iterator[Connection]:
        """A connection inside one transaction, set up for running migrations.

        On SQLite, Alembic's batch mode rebuilds a table by copy-and-drop; with foreign keys
        on, the DROP would cascade into child tables. So foreign keys are off during the
        migration and checked (PRAGMA foreign_key_check) before commit.
        """
        with self.errors("migrate"), self.engine.connect() as conn:
            sqlite = self.dialect_name == "sqlite"
            if sqlite:
                # Must run outside a transaction, so at the DBAPI level before SA begins one.
                conn.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
            try:
                with conn.execution_options(sqlite_immediate=True).begin():
                    yield conn
                    if sqlite:
                        bad = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                        if bad:
                            raise SchemaError(f"migration broke foreign keys: {bad[:5]}")
            finally:
                if sqlite:
                    conn.connection.driver_connection.execute("PRAGMA foreign_keys=ON")  # type: ignore[union-attr]

    def upgrade(self, revision: str = "head") -> None:
        """Run ``alembic upgrade`` on this database (creates the schema when empty)."""
        self._alembic("upgrade", revision)

    def downgrade(self, revision: str) -> None:
        self._alembic("downgrade", revision)

    def _alembic(self, command: str, revision: str) -> None:
        with self.migration_connection() as conn:
            try:
                _migrations.run(command, revision, connection=conn)
            except (StorageError, SQLAlchemyError):
                raise
            except Exception as exc:  # alembic.util.CommandError and friends
                raise SchemaError(
                    f"alembic {command} {revision} failed on {self.display_url}: {exc}"
                ) from exc

    def check_current(self) -> SchemaStatus:
        """Compare the database's recorded revision(s) with this code's head(s)."""
        heads = _migrations.heads()
        known = _migrations.known_revisions()
        with self.errors("connect to"), self.engine.connect() as conn:
            current = _migrations.current(conn)
        return SchemaStatus(
            current=current, heads=heads, unknown=tuple(r for r in current if r not in known)
        )


def _configure_sqlite(engine: Engine) -> None:
    """Pragmas on every new SQLite connection, and explicit transaction control.

    pysqlite's own transaction handling defers BEGIN and commits before DDL, which breaks
    transactional migrations; SQLAlchemy's documented recipe takes over: autocommit at the
    driver level and our own BEGIN. Writers may ask for BEGIN IMMEDIATE (execution option
    ``sqlite_immediate``) so two writers queue on busy_timeout instead of one failing with
    SQLITE_BUSY when it upgrades a read lock.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        # WAL: readers (reports) and one writer (a scan) do not block each other.
        # In-memory databases answer "memory"; that is fine.
        cur.execute("PRAGMA journal_mode=WAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get("sqlite_immediate")
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
