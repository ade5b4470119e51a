"""Test media made on the spot: Thai PDFs printed by Chromium, a scanned PDF
(a screenshot wrapped in a PDF, no text layer), an XLSX, QR code images
(segno), a banner with a QR code in its corner, a pixel bomb.

Chromium, Tesseract with Thai and the Thai fonts must be installed
(./dev test installs apt-packages.txt): a missing one fails naming the
package, never a silent skip. (Not in conftest.py: test modules import
these names.)
"""

from __future__ import annotations

import io
import shutil
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

import openpyxl  # type: ignore[import-untyped]
import pytest
import segno
from PIL import Image, ImageDraw

from extract import ocr_status
from render import LAUNCH_ARGS, browser_available, find_browser

THAI_FONTS = Path("/usr/share/fonts/truetype/tlwg")

EIT = "https://itas.nacc.go.th/go/eit/lglly5"
EIT_BANNER = "https://itas.nacc.go.th/go/eit/u4gpi2"
EIT_SCREEN = "https://itas.nacc.go.th/go/eit/6bq910"
IIT = "https://itas.nacc.go.th/go/iit/qxzpbk"
SURVEY = "https://forms.gle/kX7aQ2satisfaction"

# Page 1 and page 2 of the Thai report; the tests look for page 2's phrase.
PDF_PAGE_1 = ["รายงานผลการดำเนินงานประจำปีงบประมาณ พ.ศ. 2566", "องค์การบริหารส่วนตำบลหนองบัว"]
PDF_PAGE_2 = ["มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน", "ประกาศเจตนารมณ์ No Gift Policy"]
SCANNED = ["ประกาศองค์การบริหารส่วนตำบลหนองบัว", "No Gift Policy"]


def one_page_pdf(text: bytes, font: bytes = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>") -> bytes:
    """A one-page PDF showing ``text`` (a PDF string's bytes, escaped) in ``font``, written
    by hand: no browser needed, every byte known."""
    text = text.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    stream = b"BT /F1 16 Tf 72 770 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
        b" /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        font,
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    data = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(data))
        data += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(data)
    data += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    data += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    data += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(data)


def compact(text: str) -> str:
    """How the rules compare text: whitespace removed (PDFium puts stray
    spaces inside Thai words), "ํา" as "ำ"."""
    return "".join(text.split()).replace("\u0e4d\u0e32", "\u0e33")


def require_apt(ok: bool, package: str, what: str) -> None:
    if not ok:
        pytest.fail(
            f"{what} is missing: install the Debian package '{package}' "
            "(listed in apt-packages.txt; ./dev test installs it)"
        )


def require_browser() -> None:
    ok, why = browser_available()
    require_apt(ok, "chromium", f"Chromium ({why})")


def require_tesseract() -> None:
    require_apt(shutil.which("tesseract") is not None, "tesseract-ocr", "Tesseract")
    ok, why = ocr_status()
    require_apt(ok, "tesseract-ocr-tha", f"Tesseract's Thai data ({why})")


def _html(pages: list[list[str]], size: str) -> str:
    body = "".join(
        f'<section style="page-break-after: always">{"".join(f"<p>{p}</p>" for p in ps)}</section>'
        for ps in pages
    )
    return (
        f'<html><head><meta charset="utf-8"><style>body {{ font-family: Laksaman, Garuda, '
        f"sans-serif; font-size: {size}; margin: 40px; background: #fff; }}</style></head>"
        f"<body>{body}</body></html>"
    )


@dataclass(frozen=True)
class Docs:
    thai_pdf: bytes  # 2 pages with a text layer
    scanned_pdf: bytes  # 1 page: an image of Thai + English text, no text layer
    xlsx: bytes


def make_docs() -> Docs:
    require_apt(THAI_FONTS.is_dir(), "fonts-thai-tlwg", "Thai fonts")
    location = find_browser()
    require_apt(location.path is not None, "chromium", "Chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=location.path, args=list(LAUNCH_ARGS))
        page = browser.new_page(viewport={"width": 1000, "height": 700})
        page.set_content(_html([PDF_PAGE_1, PDF_PAGE_2], "16pt"))
        thai_pdf = page.pdf(format="A4")
        page.set_content(_html([SCANNED], "28px"))
        scan_png = page.screenshot(full_page=False)
        browser.close()
    scan = io.BytesIO()
    Image.open(io.BytesIO(scan_png)).convert("RGB").save(scan, "PDF", resolution=100)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["รายการ", "งบประมาณ"])
    sheet.append(["โครงการป้องกันการทุจริต", 15000])
    xlsx = io.BytesIO()
    book.save(xlsx)
    return Docs(thai_pdf, scan.getvalue(), xlsx.getvalue())


def qr_image(text: str, scale: int = 4) -> Image.Image:
    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="png", scale=scale, border=2)
    return Image.open(io.BytesIO(out.getvalue())).convert("RGB")


def png(image: Image.Image, fmt: str = "PNG") -> bytes:
    out = io.BytesIO()
    image.save(out, fmt)
    return out.getvalue()


def qr_png(text: str, scale: int = 4) -> bytes:
    return png(qr_image(text, scale))


def banner_with_qr(text: str) -> bytes:
    """A wide banner (busy background, a caption) with the code in its corner."""
    banner = Image.new("RGB", (1400, 360), (18, 70, 140))
    draw = ImageDraw.Draw(banner)
    for x in range(0, 1400, 48):
        draw.line((x, 0, x + 240, 360), fill=(40, 110, 190), width=5)
    draw.text((40, 60), "ITA 2566 EIT", fill="white")
    code = qr_image(text, scale=3)
    banner.paste(code, (banner.width - code.width - 20, banner.height - code.height - 20))
    return png(banner, "JPEG")


def plain_png(width: int = 300, height: int = 200) -> bytes:
    return png(Image.new("RGB", (width, height), (200, 220, 240)))


def qr_matrix(text: str) -> list[list[int]]:
    return [[1 if dark else 0 for dark in row] for row in segno.make(text, error="m").matrix]


def bomb_png(side: int = 30_000) -> bytes:
    """A 1-bit PNG of side x side white pixels: ~100 KB that decodes to gigabytes."""
    row = b"\x00" + b"\xff" * ((side + 7) // 8)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()

    def chunk(kind: bytes, payload: bytes) -> bytes:
        return (
            struct.pack(">I", len(payload))
            + kind
            + payload
            + struct.pack(">I", zlib.crc32(kind + payload) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )
