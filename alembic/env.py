"""Alembic environment for oitwatch.

Where the database comes from, first match wins:
1. ``config.attributes["connection"]``: an open connection (storage.Database.upgrade passes
   its own, so migrations use the same engine setup: SQLite pragmas, search_path, ...);
2. ``config.attributes["url"]``, or ``sqlalchemy.url`` if someone sets it in an ini file;
3. ``$OITWATCH_DATABASE_URL``, else the default SQLite file (storage.session).
"""

from __future__ import annotations

import logging.config
from typing import Any, Literal

from alembic.autogenerate.api import AutogenContext
from sqlalchemy import Connection

from alembic import context
from storage.models import Base, UTCDateTime
from storage.session import Database

config = context.config
target_metadata = Base.metadata

if config.config_file_name is not None and config.attributes.get("connection") is None:
    # Only for the alembic command line; programmatic runs keep the app's logging.
    logging.config.fileConfig(config.config_file_name, disable_existing_loggers=False)


def _render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    # Migrations should not import application code: write our UTC type as what it stores.
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _configure(**kwargs: Any) -> None:
    context.configure(
        target_metadata=target_metadata,
        compare_type=True,
        render_item=_render_item,
        **kwargs,
    )


def _url() -> str | None:
    return config.attributes.get("url") or config.get_main_option("sqlalchemy.url") or None


def run_migrations_offline() -> None:
    """``alembic upgrade head --sql``: print the SQL instead of running it."""
    db = Database(_url())
    _configure(
        url=db.url,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        render_as_batch=db.dialect_name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


def _run(connection: Connection) -> None:
    # SQLite cannot ALTER most things; batch mode recreates the table instead.
    _configure(connection=connection, render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    with Database(_url()) as db, db.migration_connection() as conn:
        _run(conn)


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
