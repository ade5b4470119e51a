"""Test helpers: build a SiteCrawl from tiny HTML sites without the network.

The example-site format and its reader live in ``rules/_fixtures.py`` (so that
``oitwatch rules test`` can run them when installed); see its docstring.
"""

from __future__ import annotations

import pytest

from rules._fixtures import BASE, Expect, parse_fixture, parse_html, parse_site

__all__ = ["BASE", "Expect", "parse_fixture", "parse_html", "parse_site"]


@pytest.fixture
def site_from_html():
    """``site_from_html({"/": "<html>…", "/contact": "…"})`` → SiteCrawl (test-only builder)."""

    def build(pages: dict[str, str] | str, fiscal_year: int | None = None):
        if isinstance(pages, str):
            pages = {"/": pages}
        src = "".join(f"<!-- page: {u} -->\n{html}\n" for u, html in pages.items())
        return parse_site(src, fiscal_year)[0]

    return build


@pytest.fixture
def load_fixture():
    """``load_fixture(path)`` → (SiteCrawl, Expect) for a fixture file."""
    return parse_fixture
