"""Finding a Chromium to render with.

Order: a configured path > ``$OITWATCH_CHROMIUM`` > the Chromium Playwright
installed itself (``playwright install chromium``; its version matches the
driver) > Debian's ``chromium`` package. An explicitly configured path that
does not work is reported as such and never silently replaced by another
browser: a monitor who set it wants to know.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "ENV_VAR",
    "LAUNCH_ARGS",
    "BrowserLocation",
    "browser_available",
    "find_browser",
    "playwright_chromium",
]

ENV_VAR = "OITWATCH_CHROMIUM"
DEBIAN_PATHS = ("/usr/lib/chromium/chromium", "/usr/bin/chromium")

LAUNCH_ARGS = (
    "--no-sandbox",  # we run as root in containers, where the sandbox cannot start
    "--disable-gpu",
    # Without these Chromium phones home (updates, sync, field trials, safe
    # browsing) and floods a closed network with refused connections.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",  # QUIC would go around our HTTP proxy (the address guard)
    "--disable-dev-shm-usage",  # containers give /dev/shm 64 MB; big pages crash the tab
)


@dataclass(frozen=True, slots=True)
class BrowserLocation:
    path: str | None  # None: no usable browser
    source: str  # "config", "env", "playwright", "debian" or "" when none
    reason: str  # human-readable; says what is missing when path is None


def _usable(path: str) -> bool:
    return os.path.isfile(path) and os.access(path, os.X_OK)


def playwright_chromium() -> str | None:
    """Where ``playwright install chromium`` puts its browser, read from the
    installed driver's browsers.json without starting the driver (the
    Renderer asks the running driver instead). None if Playwright is absent."""
    try:
        import playwright
    except ImportError:
        return None
    manifest = Path(playwright.__file__).parent / "driver" / "package" / "browsers.json"
    try:
        browsers = json.loads(manifest.read_text())["browsers"]
        revision = next(b["revision"] for b in browsers if b["name"] == "chromium")
    except (OSError, ValueError, KeyError, StopIteration):
        return None
    root = Path(os.environ.get("PLAYWRIGHT_BROWSERS_PATH") or Path.home() / ".cache" / "ms-playwright")
    for sub in ("chrome-linux64/chrome", "chrome-linux/chrome"):
        candidate = root / f"chromium-{revision}" / sub
        if candidate.exists():
            return str(candidate)
    return str(root / f"chromium-{revision}" / "chrome-linux64" / "chrome")


def find_browser(configured: str | None = None, *, playwright_path: str | None = None) -> BrowserLocation:
    """The browser to launch, or why there is none. ``playwright_path`` is
    Playwright's own answer when the caller has a running driver."""
    for source, path in (("config", configured), ("env", os.environ.get(ENV_VAR) or None)):
        if path:
            if _usable(path):
                return BrowserLocation(path, source, f"{source} path {path}")
            where = "the configured browser path" if source == "config" else ENV_VAR
            return BrowserLocation(None, source, f"{where} {path} is not an executable file")
    own = playwright_path or playwright_chromium()
    if own and _usable(own):
        return BrowserLocation(own, "playwright", f"Playwright's Chromium at {own}")
    for path in DEBIAN_PATHS:
        if _usable(path):
            return BrowserLocation(path, "debian", f"Debian's Chromium at {path}")
    return BrowserLocation(
        None, "", "no Chromium found: install the Debian package 'chromium', run "
        f"'playwright install chromium', or set {ENV_VAR}",
    )


def browser_available(configured: str | None = None) -> tuple[bool, str]:
    """(True, where) or (False, why not)."""
    location = find_browser(configured)
    return location.path is not None, location.reason
