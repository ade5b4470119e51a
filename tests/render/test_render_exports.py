"""The public surfaces of extract/ and render/ (as httpx checks its own)."""

from __future__ import annotations

import extract
import render


def test_exported_names_exist() -> None:
    for module in (extract, render):
        assert sorted(module.__all__) == sorted(set(module.__all__))
        for name in module.__all__:
            assert hasattr(module, name), f"{module.__name__}.{name}"
