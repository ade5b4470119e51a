"""Fixtures for the hardening tests.

The loopback server and the fast crawl config are the crawler tests' own
(tests/crawler/server.py and tests/crawler/conftest.py), imported here rather
than copied, so both folders test against the same server.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

_CRAWLER_TESTS = Path(__file__).parent.parent / "crawler"
sys.path.insert(0, str(_CRAWLER_TESTS))
sys.path.insert(0, str(Path(__file__).parent))

_spec = importlib.util.spec_from_file_location(
    "_crawler_test_fixtures", _CRAWLER_TESTS / "conftest.py"
)
assert _spec is not None and _spec.loader is not None
_fixtures = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_fixtures)

# Re-exported: pytest registers fixtures found in a conftest's namespace.
anyio_backend = _fixtures.anyio_backend
fast = _fixtures.fast
serve = _fixtures.serve
