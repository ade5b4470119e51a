"""Finding the browser, and running without one."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from render_support import require_browser

import render.browser as browser_module
from render import BrowserUnavailable, RenderConfig, Renderer, browser_available, find_browser


def test_chromium_is_installed() -> None:
    require_browser()  # fails naming the apt package when it is missing
    location = find_browser()
    assert location.path and os.access(location.path, os.X_OK)


def test_configured_path_wins_and_a_wrong_one_is_reported(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv(browser_module.ENV_VAR, raising=False)
    missing = tmp_path / "no-such-chromium"
    ok, why = browser_available(str(missing))
    assert not ok
    assert str(missing) in why and "not an executable" in why
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    assert find_browser(str(fake)).source == "config"


def test_environment_variable_is_used(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(browser_module.ENV_VAR, str(tmp_path / "absent"))
    ok, why = browser_available()
    assert not ok and browser_module.ENV_VAR in why


def test_no_browser_anywhere(monkeypatch) -> None:
    monkeypatch.delenv(browser_module.ENV_VAR, raising=False)
    monkeypatch.setattr(browser_module, "DEBIAN_PATHS", ())
    monkeypatch.setattr(browser_module, "playwright_chromium", lambda: None)
    ok, why = browser_available()
    assert not ok
    assert "chromium" in why.lower()


@pytest.mark.anyio
async def test_renderer_without_a_browser_raises_a_typed_error(tmp_path: Path) -> None:
    config = RenderConfig(browser_path=str(tmp_path / "no-such-chromium"))
    with pytest.raises(BrowserUnavailable) as caught:
        async with Renderer(config):
            pass  # pragma: no cover
    assert "not an executable" in caught.value.reason


@pytest.mark.anyio
async def test_renderer_with_a_browser_that_will_not_start(tmp_path: Path) -> None:
    broken = tmp_path / "chromium"
    broken.write_text("#!/bin/sh\necho 'cannot start' >&2\nexit 1\n")
    broken.chmod(0o755)
    with pytest.raises(BrowserUnavailable) as caught:
        async with Renderer(RenderConfig(browser_path=str(broken))):
            pass  # pragma: no cover
    assert caught.value.reason.startswith("browser did not start")
