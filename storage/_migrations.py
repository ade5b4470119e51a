"""Locating and running the Alembic migrations programmatically.

In a source checkout (also an editable install) the scripts are the repository's top-level
``alembic/`` folder; a wheel force-includes the same folder as ``oitwatch/_alembic``.
"""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

from alembic import command

from .errors import SchemaError

__all__ = ["alembic_config", "alembic_dir", "current", "heads", "known_revisions", "run"]


def _candidates() -> list[Path]:
    found = [Path(__file__).resolve().parent.parent / "alembic"]  # source checkout
    spec = importlib.util.find_spec("oitwatch")  # does not import the package
    for location in (spec.submodule_search_locations or []) if spec else []:
        found.append(Path(location) / "_alembic")  # installed wheel
    return found


@cache
def alembic_dir() -> Path:
    candidates = _candidates()
    for path in candidates:
        # Both checks: in a wheel install, site-packages/alembic is the Alembic library itself.
        if (path / "env.py").is_file() and (path / "versions").is_dir():
            return path
    raise SchemaError(
        "cannot find oitwatch's migration scripts; looked in "
        + ", ".join(str(p) for p in candidates)
    )


def alembic_config(connection: Connection | None = None, url: str | None = None) -> Config:
    """A Config without an ini file (so Alembic does not reconfigure the app's logging).

    ``alembic/env.py`` uses ``attributes["connection"]`` when given, else
    ``attributes["url"]``, else the same resolution as ``Database()``.
    """
    config = Config()
    config.set_main_option("script_location", str(alembic_dir()))
    if connection is not None:
        config.attributes["connection"] = connection
    if url is not None:
        config.attributes["url"] = url
    return config


def run(name: str, revision: str, *, connection: Connection) -> None:
    """Run ``alembic upgrade|downgrade REVISION`` on an open connection."""
    getattr(command, name)(alembic_config(connection), revision)


def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def heads() -> tuple[str, ...]:
    return tuple(sorted(_scripts().get_heads()))


def known_revisions() -> frozenset[str]:
    return frozenset(rev.revision for rev in _scripts().walk_revisions())


def current(connection: Connection) -> tuple[str, ...]:
    return tuple(sorted(MigrationContext.configure(connection).get_current_heads()))
