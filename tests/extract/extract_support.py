"""Test documents made on the spot: a Thai PDF printed by Chromium, a scanned
PDF (a screenshot wrapped in a PDF, no text layer). Tools the tests need
must be installed (./dev test installs apt-packages.txt): a missing one
fails naming the package to install, never a silent skip. (Not in
conftest.py: test modules import these names.)"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image

from render import LAUNCH_ARGS, find_browser

THAI_FONTS = Path("/usr/share/fonts/truetype/tlwg")

# Phrases of an agency document, the kind the rules look for (seed 000).
PAGE_1 = ["รายงานผลการดำเนินงานประจำปีงบประมาณ พ.ศ. 2566", "องค์การบริหารส่วนตำบลหนองบัว",
          "แผนปฏิบัติการป้องกันการทุจริต"]
PAGE_2 = ["มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน", "ประกาศเจตนารมณ์ No Gift Policy"]
SCANNED = ["ประกาศองค์การบริหารส่วนตำบลหนองบัว", "No Gift Policy"]


def compact(text: str) -> str:
    """How the rules engine compares: whitespace removed, "ํา" as "ำ"."""
    return "".join(text.split()).replace("\u0e4d\u0e32", "\u0e33")


def require_apt(ok: bool, package: str, what: str) -> None:
    if not ok:
        pytest.fail(f"{what} is missing: install the Debian package '{package}' "
                    "(listed in apt-packages.txt; ./dev test installs it)")


def _html(paragraphs: list[list[str]], size: str) -> str:
    pages = "".join(
        f'<section style="page-break-after: always">{"".join(f"<p>{p}</p>" for p in ps)}</section>'
        for ps in paragraphs
    )
    return (f'<html><head><meta charset="utf-8"><style>body {{ font-family: Laksaman, Garuda, '
            f'sans-serif; font-size: {size}; margin: 40px; background: #fff; }}</style></head>'
            f"<body>{pages}</body></html>")


@dataclass(frozen=True)
class Docs:
    thai_pdf: bytes  # 2 pages with a text layer
    scanned_pdf: bytes  # 1 page: an image of Thai + English text, no text layer
    scan_png: bytes  # the same image


def make_docs() -> Docs:
    require_apt(THAI_FONTS.is_dir(), "fonts-thai-tlwg", "Thai fonts")
    location = find_browser()
    require_apt(location.path is not None, "chromium", "Chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=location.path, args=list(LAUNCH_ARGS))
        page = browser.new_page(viewport={"width": 1000, "height": 700})
        page.set_content(_html([PAGE_1, PAGE_2], "16pt"))
        thai_pdf = page.pdf(format="A4")
        page.set_content(_html([SCANNED], "28px"))
        scan_png = page.screenshot(full_page=False)
        browser.close()
    scan = io.BytesIO()
    Image.open(io.BytesIO(scan_png)).convert("RGB").save(scan, "PDF", resolution=100)
    return Docs(thai_pdf, scan.getvalue(), scan_png)
