"""What `oitwatch serve` is configured with: the database, who may read, the secret that
signs the dashboard's cookies, and how scans started from the dashboard run."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from storage import oitwatch_home

__all__ = ["ENV_PUBLIC_READ", "ENV_SECRET", "WebConfig", "load_secret"]

ENV_SECRET = "OITWATCH_WEB_SECRET"
ENV_PUBLIC_READ = "OITWATCH_PUBLIC_READ"


def load_secret(home: Path | None = None) -> bytes:
    """The key that signs session and CSRF cookies: $OITWATCH_WEB_SECRET, else a random key
    kept in $OITWATCH_HOME/web-secret (created 0600 on first use), so sessions survive a
    restart and every worker process of one installation agrees."""
    env = os.environ.get(ENV_SECRET)
    if env:
        return env.encode("utf-8")
    path = (home or oitwatch_home()) / "web-secret"
    try:
        return path.read_bytes().strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32).encode("ascii")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(key)
    return key


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() not in ("0", "false", "no", "off", "")


@dataclass(slots=True)
class WebConfig:
    database_url: str | None = None  # None: $OITWATCH_DATABASE_URL or the SQLite file
    # Reading (pages and GET /api/v1) needs no token when True; writing always needs one.
    public_read: bool = field(default_factory=lambda: _env_bool(ENV_PUBLIC_READ, True))
    secret: bytes = b""  # empty: load_secret()
    # Scans started from the dashboard: "inprocess" (a thread of the server) or "celery".
    backend: str = "inprocess"
    broker: str | None = None  # Celery broker URL (default: $OITWATCH_REDIS_URL)
    screenshot_dir: str | None = None  # default $OITWATCH_HOME/screenshots
    # Sessions last this long after signing in with a token.
    session_hours: float = 12.0
    # Options of scans started from the dashboard (ScanOptions fields), e.g. max_pages.
    scan_options: dict[str, object] = field(default_factory=dict)

    def resolved_secret(self) -> bytes:
        if not self.secret:
            self.secret = load_secret()
        return self.secret

    def screenshot_root(self) -> Path:
        return Path(self.screenshot_dir) if self.screenshot_dir else oitwatch_home() / "screenshots"
