"""Fixtures for the extract tests (helpers live in extract_support.py)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from extract_support import Docs, make_docs, require_apt

from extract import ocr_status


@pytest.fixture(scope="session")
def docs() -> Docs:
    return make_docs()


@pytest.fixture
def tesseract() -> None:
    """Fails (naming the apt package) unless Tesseract with Thai is installed."""
    if shutil.which("tesseract") is None:
        require_apt(False, "tesseract-ocr", "Tesseract")
    ok, why = ocr_status()
    require_apt(ok, "tesseract-ocr-tha", f"Tesseract's Thai data ({why})")
