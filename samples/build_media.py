#!/usr/bin/env python
"""Build the binary media of the bundled sample sites from what is committed in samples/.

The sample sites must look like what agencies really publish: Word documents exported to
PDF in a TH Sarabun-like font, signed announcements scanned to an image-only PDF, the EIT
survey QR code as a bare image, inside a wide banner or drawn by a script. Those files are
made here, once, and committed next to their sources; tests never build them.

    .venv/bin/python samples/build_media.py               # build everything, then verify it
    .venv/bin/python samples/build_media.py hub-o13 tis620-o19-scan   # only these (by name)
    .venv/bin/python samples/build_media.py --list        # what there is
    .venv/bin/python samples/build_media.py --verify      # check the committed files, build nothing

Every product is verified after it is built, with the libraries the crawler uses: a Thai PDF
must give back its key phrases from its text layer (pypdfium2), a scanned PDF must have no
text layer and give them back through Tesseract OCR (tha+eng), and every QR code must decode
(zxing-cpp) to its URL. Phrases are compared with whitespace removed, as the rules engine does.

Needs: Chromium (Debian package ``chromium``; found like ``render/`` finds it), the Thai fonts
(``fonts-thai-tlwg``: Laksaman is the TH Sarabun PSK look-alike), Tesseract with Thai
(``tesseract-ocr``, ``tesseract-ocr-tha``), and the Python packages playwright, Pillow, segno
(a dev dependency), pypdfium2 and zxing-cpp. The PDFs carry a fixed creation date, so a rebuild
changes a file only when its source (or Chromium's PDF writer) changed.
"""

from __future__ import annotations

import argparse
import base64
import io
import json
import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SOURCES = HERE / "sources"
SITES = HERE / "sites"
if str(ROOT) not in sys.path:  # run as a script: import render/ and extract/ from the repo
    sys.path.insert(0, str(ROOT))

# Every PDF says it was made at this moment (Chromium writes the build time otherwise).
FIXED_PDF_DATE = b"20230403090000"
MAX_PDF_BYTES = 60_000  # keep the repository small: a Word export of a few pages is this size

EIT_HUB = "https://itas.nacc.go.th/go/eit/6k2x9w"
EIT_COMPLIANT = "https://itas.nacc.go.th/go/eit/ab12cd"
EIT_WEBAPP = "https://itas.nacc.go.th/go/eit/q7m3za"
SURVEY_TIS620 = "https://docs.google.com/forms/d/e/1FAIpQLSd_sample_phonkaeo_satisfaction/viewform"


def compact(text: str) -> str:
    """How the rules engine compares text: no whitespace, "ํา" (two code points) as "ำ"."""
    return "".join(text.split()).replace("\u0e4d\u0e32", "\u0e33")


# --------------------------------------------------------------------------- products


@dataclass
class Product:
    name: str
    out: str  # path under samples/sites/
    what: str

    @property
    def path(self) -> Path:
        return SITES / self.out

    def build(self, tools: Tools) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def verify(self) -> list[str]:  # problems found, [] when fine
        raise NotImplementedError


@dataclass
class ThaiPdf(Product):
    """A Thai HTML document printed to PDF by Chromium (text layer, embedded Thai font)."""

    source: str = ""
    phrases: list[str] = field(default_factory=list)  # must come back from the text layer

    def build(self, tools: Tools) -> None:
        html = (SOURCES / self.source).read_text(encoding="utf-8")
        page = tools.page(1000, 1400)
        page.set_content(html, wait_until="load")
        page.evaluate("document.fonts.ready")
        pdf = page.pdf(
            prefer_css_page_size=True,
            print_background=True,
            display_header_footer=True,
            header_template="<span></span>",
            # the page number in the footer, as the Word template of these reports does: "- 1 -"
            footer_template=(
                '<div style="width:100%;text-align:center;font-family:Laksaman,serif;'
                'font-size:11pt;">- <span class="pageNumber"></span> -</div>'
            ),
        )
        page.context.close()  # the page and its context
        write(self.path, fix_pdf_dates(pdf))

    def verify(self) -> list[str]:
        from extract import read_pdf

        data = self.path.read_bytes()
        problems = []
        if len(data) > MAX_PDF_BYTES:
            problems.append(f"{len(data)} bytes, more than {MAX_PDF_BYTES}")
        doc = read_pdf(data)
        if doc.error:
            return [*problems, doc.error]
        if any(p.scanned for p in doc.pages):
            problems.append("a page has no text layer")
        text = compact(doc.text)
        problems += [f"text layer lacks {p!r}" for p in self.phrases if compact(p) not in text]
        return problems


@dataclass
class ScannedPdf(Product):
    """A Thai HTML page "printed, signed and scanned": a screenshot at 150 dpi, slightly
    skewed, with specks, black-and-white (CCITT G4, as office scanners write), one image per
    page and no text layer at all."""

    source: str = ""
    phrases: list[str] = field(default_factory=list)  # must come back through OCR
    skew: float = 0.35  # degrees

    def build(self, tools: Tools) -> None:
        from PIL import Image

        html = (SOURCES / self.source).read_text(encoding="utf-8")
        # A4 at 96 CSS px per inch is 794 x 1123; scale 1.5625 makes it 150 dpi.
        page = tools.page(794, 1123, scale=1.5625)
        page.set_content(html, wait_until="load")
        page.evaluate("document.fonts.ready")
        png = page.screenshot(full_page=False)
        page.context.close()  # the page and its context
        image = Image.open(io.BytesIO(png)).convert("L")
        image = image.rotate(self.skew, resample=Image.Resampling.BICUBIC, fillcolor=255)
        rng = random.Random(self.name)  # the same specks on every build
        pixels = image.load()
        for _ in range(120):
            x, y = rng.randrange(image.width), rng.randrange(image.height)
            for dx in range(rng.choice((1, 1, 1, 2))):
                for dy in range(rng.choice((1, 1, 1, 2))):
                    if x + dx < image.width and y + dy < image.height:
                        pixels[x + dx, y + dy] = 0
        bilevel = image.point(lambda v: 255 if v > 150 else 0).convert("1")
        buffer = io.BytesIO()
        bilevel.save(buffer, "PDF", resolution=150, title="", author="", creator="", producer="")
        write(self.path, fix_pdf_dates(buffer.getvalue()))

    def verify(self) -> list[str]:
        from extract import extract_text, ocr_status, read_pdf

        data = self.path.read_bytes()
        problems = []
        if len(data) > MAX_PDF_BYTES:
            problems.append(f"{len(data)} bytes, more than {MAX_PDF_BYTES}")
        layer = read_pdf(data)
        if layer.error or not all(p.scanned and not p.text.strip() for p in layer.pages):
            problems.append(f"not an image-only PDF ({layer.error or 'it has a text layer'})")
        usable, why = ocr_status()
        if not usable:
            return [*problems, f"cannot check the OCR: {why}"]
        doc = extract_text(data, "application/pdf")
        if not doc.pages or any(p.source != "ocr" for p in doc.pages):
            problems.append(f"not read by OCR ({doc.note or doc.error})")
        text = compact(doc.text)
        problems += [f"OCR text lacks {p!r}" for p in self.phrases if compact(p) not in text]
        return problems


@dataclass
class QrPng(Product):
    """A bare QR code image of ``url`` (black on white, segno)."""

    url: str = ""
    scale: int = 4
    border: int = 4

    def build(self, tools: Tools) -> None:
        import segno

        buffer = io.BytesIO()
        segno.make(self.url).save(buffer, kind="png", scale=self.scale, border=self.border)
        write(self.path, buffer.getvalue())

    def verify(self) -> list[str]:
        return check_qr(self.path.read_bytes(), self.url)


@dataclass
class Banner(Product):
    """A wide web banner (Chromium screenshot of an HTML source) with a QR code of ``url``
    in a corner: the source names the QR's place as ``{{qr_data_uri}}``."""

    source: str = ""
    url: str = ""
    size: tuple[int, int] = (1200, 300)

    def build(self, tools: Tools) -> None:
        import segno

        buffer = io.BytesIO()
        segno.make(self.url).save(buffer, kind="png", scale=6, border=2)
        uri = "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
        html = (SOURCES / self.source).read_text(encoding="utf-8").replace("{{qr_data_uri}}", uri)
        page = tools.page(*self.size)
        page.set_content(html, wait_until="load")
        page.evaluate("document.fonts.ready")
        png = page.screenshot(full_page=False)
        page.context.close()  # the page and its context
        write(self.path, quantize_png(png))

    def verify(self) -> list[str]:
        from PIL import Image

        data = self.path.read_bytes()
        width, height = Image.open(io.BytesIO(data)).size
        problems = [] if width >= 3 * height else [f"not a wide banner: {width} x {height}"]
        return problems + check_qr(data, self.url)


@dataclass
class CanvasQr(Product):
    """The modules of a QR code of ``url`` as a script (``window.EIT_QR``) that the site's
    own script draws on a <canvas>: no image file holds the code, the URL is nowhere in the
    page's HTML or scripts; only a screenshot of the rendered page shows it."""

    url: str = ""

    def build(self, tools: Tools) -> None:
        import segno

        rows = ["".join("1" if m else "0" for m in row) for row in segno.make(self.url).matrix]
        body = json.dumps({"size": len(rows), "rows": rows}, indent=1)
        write(
            self.path,
            (
                "/* QR widget data written by the theme's ITA plug-in: module rows (1 = dark),\n"
                "   drawn on <canvas id=\"eit-qr\"> by app.js. Generated by samples/build_media.py. */\n"
                f"window.EIT_QR = {body};\n"
            ).encode("utf-8"),
        )

    def verify(self) -> list[str]:
        from PIL import Image

        text = self.path.read_text(encoding="utf-8")
        if self.url in text or "itas" in text:
            return ["the script holds the URL in plain text"]
        data = json.loads(text.split("window.EIT_QR =", 1)[1].strip().rstrip(";"))
        size, module, quiet = data["size"], 6, 4
        image = Image.new("L", ((size + 2 * quiet) * module,) * 2, 255)
        for y, row in enumerate(data["rows"]):
            for x, bit in enumerate(row):
                if bit == "1":
                    left, top = (x + quiet) * module, (y + quiet) * module
                    image.paste(0, (left, top, left + module, top + module))
        buffer = io.BytesIO()
        image.save(buffer, "PNG")
        return check_qr(buffer.getvalue(), self.url)


# --------------------------------------------------------------------------- helpers


def write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def fix_pdf_dates(pdf: bytes) -> bytes:
    """Replace the creation/modification dates by FIXED_PDF_DATE, keeping every byte offset
    (the cross-reference table points at byte positions)."""

    def fixed(match: re.Match[bytes]) -> bytes:
        return match.group(1) + FIXED_PDF_DATE[: len(match.group(2))].ljust(len(match.group(2)), b"0")

    return re.sub(rb"(/(?:CreationDate|ModDate)\s*\(D:)(\d{4,14})", fixed, pdf)


def quantize_png(png: bytes) -> bytes:
    """A banner screenshot as a palette PNG (a few dozen KB instead of a few hundred)."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    buffer = io.BytesIO()
    image.quantize(colors=64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
        buffer, "PNG", optimize=True
    )
    return buffer.getvalue()


def check_qr(image: bytes, url: str) -> list[str]:
    from extract import decode_qr

    texts = [code.text for code in decode_qr(image)]
    return [] if texts == [url] else [f"QR codes read: {texts}, expected [{url!r}]"]


class Tools:
    """One headless Chromium for the whole build (started on first use)."""

    def __init__(self) -> None:
        self._playwright = None
        self._browser = None

    def page(self, width: int, height: int, scale: float = 1.0):  # -> playwright Page
        if self._browser is None:
            from playwright.sync_api import sync_playwright

            from render import LAUNCH_ARGS, find_browser

            fonts = Path("/usr/share/fonts/truetype/tlwg")
            if not fonts.is_dir():
                raise SystemExit("Thai fonts missing: install the Debian package fonts-thai-tlwg")
            location = find_browser()
            if location.path is None:
                raise SystemExit("Chromium not found: install the Debian package chromium")
            self._playwright = sync_playwright().start()
            self._browser = self._playwright.chromium.launch(
                executable_path=location.path, args=list(LAUNCH_ARGS)
            )
        context = self._browser.new_context(
            viewport={"width": width, "height": height}, device_scale_factor=scale, locale="th-TH"
        )
        return context.new_page()

    def close(self) -> None:
        if self._browser is not None:
            self._browser.close()
        if self._playwright is not None:
            self._playwright.stop()


# --------------------------------------------------------------------------- the list

PRODUCTS: list[Product] = [
    ThaiPdf(
        "hub-o13",
        "hub/www/uploads/ita/2566/O13.pdf",
        "hub: annual performance report of 2565 (O13), Word export, Thai text layer",
        source="hub-annual-report-2565.html",
        phrases=[
            "รายงานผลการดำเนินงานประจำปีงบประมาณ พ.ศ. ๒๕๖๕",
            "เทศบาลตำบลท่าศิลางาม",
            "ผลการดำเนินงาน",
            "เบิกจ่ายจริง",
            "ผลการใช้จ่ายงบประมาณ",
            "ปัญหาและอุปสรรค",
            "ข้อเสนอแนะ",
            "38,914,270.50",
        ],
    ),
    ThaiPdf(
        "hub-o43",
        "hub/www/uploads/ita/2566/O43.pdf",
        "hub: progress of the integrity measures of 2566 (O43), Word export, Thai text layer",
        source="hub-integrity-progress-2566.html",
        phrases=[
            "รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน",
            "ประจำปีงบประมาณ พ.ศ. ๒๕๖๖",
            "มาตรการ/กิจกรรม",
            "ผลการดำเนินการ",
            "ดำเนินการแล้ว",
        ],
    ),
    ThaiPdf(
        "webapp-o11",
        "webapp/www/files/2566/operating-plan-2566.pdf",
        "webapp: operating plan of 2566 (O11), a Word table exported to PDF (landscape)",
        source="webapp-operating-plan-2566.html",
        phrases=[
            "แผนการดำเนินงาน ประจำปีงบประมาณ พ.ศ. ๒๕๖๖",
            "เทศบาลตำบลโคกสำราญใต้",
            "โครงการ/กิจกรรม",
            "งบประมาณ (บาท)",
            "ระยะเวลาดำเนินการ",
            "1,480,000",
        ],
    ),
    ScannedPdf(
        "tis620-o19-scan",
        "tis620/www/docs/procurement_plan_2566.pdf",
        "tis620: signed announcement of the procurement plan 2566 (O19), scanned, no text layer",
        source="tis620-procurement-plan-2566-scan.html",
        # What the rules need (O19: จัดซื้อ/จัดจ้าง/พัสดุ and the year 2566) plus the agency's
        # name and some English. Checked against Tesseract 5.3 tha+eng: "จัดซื้อ" sometimes
        # loses its tone mark ("จัดซือ"), so "จัดจ้าง" is what the rule can rely on.
        phrases=[
            "ประกาศองค์การบริหารส่วนตำบลโพนแก้วเหนือ",
            "แผนการจัด",
            "จัดจ้าง",
            "ประจำปีงบประมาณ พ.ศ. 2566",
            "e-bidding",
            "Procurement Plan, Fiscal Year 2023",
        ],
    ),
    QrPng(
        "hub-eit-qr",
        "hub/www/assets/img/eit-qr.png",
        "hub: the EIT survey QR code, a bare image with no link (home page and hub row O43)",
        url=EIT_HUB,
    ),
    Banner(
        "compliant-eit-banner",
        "compliant/www/public/images/banner-eit-2566.png",
        "compliant: wide EIT banner (CSS background on the home page), QR code in its right corner",
        source="compliant-eit-banner.html",
        url=EIT_COMPLIANT,
    ),
    QrPng(
        "tis620-survey-qr",
        "tis620/www/images/qr_survey.png",
        "tis620: satisfaction survey QR code (Google Forms): not the EIT",
        url=SURVEY_TIS620,
        scale=4,
        border=4,
    ),
    CanvasQr(
        "webapp-eit-canvas",
        "webapp/www/assets/js/eit-qr.js",
        "webapp: EIT QR code modules, drawn on a <canvas> by app.js (screenshot only)",
        url=EIT_WEBAPP,
    ),
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="build only these products (see --list)")
    parser.add_argument("--list", action="store_true", help="list the products and exit")
    parser.add_argument("--verify", action="store_true", help="only verify the committed files")
    args = parser.parse_args(argv)
    by_name = {p.name: p for p in PRODUCTS}
    if args.list:
        for p in PRODUCTS:
            print(f"{p.name:22} samples/sites/{p.out}\n{'':22} {p.what}")
        return 0
    unknown = [n for n in args.names if n not in by_name]
    if unknown:
        parser.error(f"unknown product(s): {', '.join(unknown)} (see --list)")
    chosen = [by_name[n] for n in args.names] if args.names else PRODUCTS
    if not args.verify:
        tools = Tools()
        try:
            for product in chosen:
                product.build(tools)
                print(f"built    {product.name:22} {product.path.stat().st_size:7} bytes  {product.out}")
        finally:
            tools.close()
    failed = 0
    for product in chosen:
        problems = product.verify() if product.path.exists() else ["missing (build it)"]
        failed += bool(problems)
        status = "ok" if not problems else "FAILED: " + "; ".join(problems)
        print(f"verified {product.name:22} {status}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
