"""The web dashboard and JSON API (`oitwatch serve`): reads the same database as the CLI.

    from web import WebConfig, create_app
    app = create_app(WebConfig(database_url=None))   # the default SQLite file
"""

from ._config import WebConfig
from .app import create_app

__all__ = ["WebConfig", "create_app"]
