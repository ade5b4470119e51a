"""Rendering pages in headless Chromium, and storing screenshots.

    ok, why = browser_available()
    async with Renderer(RenderConfig(), allow_url=policy) as renderer:
        page = await renderer.render(url)          # RenderedPage(final_url, html, links, title, error)
        shot = await renderer.screenshot(url)      # Screenshot(png, truncated, error)
    sha, path = ScreenshotStore(root).put(shot.png)

Render only when :func:`needs_rendering` says the static HTML is not enough.
"""

from .browser import LAUNCH_ARGS, BrowserLocation, browser_available, find_browser
from .guard import AllowUrl, public_only
from .heuristics import needs_rendering, rendering_reason
from .renderer import (
    BrowserUnavailable,
    RenderConfig,
    RenderedLink,
    RenderedPage,
    Renderer,
    RenderError,
    Screenshot,
)
from .store import ScreenshotStore

__all__ = [
    "LAUNCH_ARGS",
    "AllowUrl",
    "BrowserLocation",
    "BrowserUnavailable",
    "RenderConfig",
    "RenderError",
    "RenderedLink",
    "RenderedPage",
    "Renderer",
    "Screenshot",
    "ScreenshotStore",
    "browser_available",
    "find_browser",
    "needs_rendering",
    "public_only",
    "rendering_reason",
]
