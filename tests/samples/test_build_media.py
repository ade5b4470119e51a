"""The committed media of the sample sites (samples/build_media.py): each file is there,
comes from a committed source, and still says what the sites need it to say — read with
the same libraries the crawler uses (pypdfium2, Tesseract, zxing-cpp). Nothing is built
here: building needs Chromium and takes a while; `python samples/build_media.py` does it."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("samples_build_media", SAMPLES / "build_media.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


build_media = _load()
PRODUCTS = build_media.PRODUCTS


def test_every_source_is_used_and_every_product_has_its_file() -> None:
    sources = {p.name for p in (SAMPLES / "sources").glob("*.html")}
    used = {getattr(p, "source", "") for p in PRODUCTS} - {""}
    assert used == sources
    for product in PRODUCTS:
        assert product.path.is_file(), product.out
        assert (SAMPLES / "sites" / product.out.split("/", 1)[0] / "site.yaml").is_file()
    assert len({p.name for p in PRODUCTS}) == len(PRODUCTS)


def test_the_cases_are_all_there() -> None:
    kinds = {type(p).__name__ for p in PRODUCTS}
    assert {"ThaiPdf", "ScannedPdf", "QrPng", "Banner", "CanvasQr"} <= kinds


@pytest.mark.parametrize("product", PRODUCTS, ids=[p.name for p in PRODUCTS])
def test_committed_media_still_verify(product) -> None:
    if type(product).__name__ == "ScannedPdf" and shutil.which("tesseract") is None:
        pytest.fail("Tesseract is missing: install tesseract-ocr and tesseract-ocr-tha (apt-packages.txt)")
    assert product.verify() == []


def test_pdf_dates_are_fixed_without_moving_bytes() -> None:
    pdf = b"%PDF-1.4\n1 0 obj <</CreationDate (D:20251121114156+00'00') /ModDate (D:2025)>> endobj"
    fixed = build_media.fix_pdf_dates(pdf)
    assert len(fixed) == len(pdf)
    assert b"(D:20230403090000+00'00')" in fixed and b"/ModDate (D:2023)" in fixed


def test_compact_matches_the_rules_engine() -> None:
    from rules._normalize import normalize_th

    text = "ประจํา ปี  งบประมาณ"
    assert build_media.compact(text) == "ประจำปีงบประมาณ"
    assert normalize_th(text) == build_media.compact(text)
