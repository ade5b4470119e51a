"""Cost of reading what agencies publish: ms per PDF page (text layer), per
OCR page, per rendered page, per screenshot and per QR decode.

    .venv/bin/python benchmarks/extract_bench.py

Needs Chromium, Thai fonts and Tesseract (apt-packages.txt). Everything is
made on the spot and served on 127.0.0.1. Timings vary with the machine and
its load: they are printed, never asserted.
"""

from __future__ import annotations

import asyncio
import io
import os
import platform
import statistics
import sys
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import segno
from PIL import Image, ImageDraw

from extract import decode_qr, extract_text, ocr_status
from render import LAUNCH_ARGS, RenderConfig, Renderer, find_browser

PARAGRAPH = ("รายงานผลการดำเนินงานประจำปีงบประมาณ พ.ศ. 2566 องค์การบริหารส่วนตำบลหนองบัว "
             "แผนปฏิบัติการป้องกันการทุจริต มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ")
EIT = "https://itas.nacc.go.th/go/eit/lglly5"


def _html(pages: int, size: str, lines: int) -> str:
    body = "".join(
        f'<section style="page-break-after: always"><h2>หน้า {n}</h2>'
        + "".join(f"<p>{n}.{i} {PARAGRAPH}</p>" for i in range(lines)) + "</section>"
        for n in range(1, pages + 1)
    )
    return (f'<html><head><meta charset="utf-8"><style>body {{ font-family: Laksaman, Garuda; '
            f'font-size: {size}; background: #fff; }}</style></head><body>{body}</body></html>')


def make_documents(text_pages: int, scan_pages: int) -> tuple[bytes, bytes]:
    """A Thai PDF with a text layer, and a scanned one (page images only)."""
    from playwright.sync_api import sync_playwright

    path = find_browser().path
    if path is None:
        sys.exit("Chromium is missing: install the Debian package 'chromium'")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=list(LAUNCH_ARGS))
        page = browser.new_page(viewport={"width": 1240, "height": 1754})
        page.set_content(_html(text_pages, "14pt", 10))
        text_pdf = page.pdf(format="A4")
        images = []
        for n in range(scan_pages):
            page.set_content(_html(1, "22px", 24).replace("หน้า 1", f"หน้า {n + 1}"))
            images.append(Image.open(io.BytesIO(page.screenshot())).convert("L"))
        browser.close()
    scan = io.BytesIO()
    images[0].save(scan, "PDF", resolution=150, save_all=True, append_images=images[1:])
    return text_pdf, scan.getvalue()


def timed(label: str, unit: str, count: int, run: Callable[[], object], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    per_unit = 1000 * statistics.median(times) / count
    print(f"{label:<44} {per_unit:9.2f} ms/{unit}   ({count} {unit}s x {repeat} runs, median)")
    return per_unit


def qr_images() -> dict[str, bytes]:
    out = io.BytesIO()
    segno.make(EIT, error="m").save(out, kind="png", scale=4, border=2)
    plain = out.getvalue()
    code = Image.open(io.BytesIO(plain)).convert("RGB")
    banner = Image.new("RGB", (1600, 420), (18, 70, 140))
    draw = ImageDraw.Draw(banner)
    for x in range(0, 1600, 48):
        draw.line((x, 0, x + 240, 420), fill=(40, 110, 190), width=5)
    banner.paste(code, (1600 - code.width - 20, 420 - code.height - 20))
    jpeg = io.BytesIO()
    banner.save(jpeg, "JPEG", quality=85)
    page = Image.new("RGB", (2560, 6000), "white")  # a full-page screenshot at scale 2
    page.paste(code, (2300, 80))
    page_png = io.BytesIO()
    page.save(page_png, "PNG")
    empty = io.BytesIO()
    Image.new("RGB", (1600, 420), (18, 70, 140)).save(empty, "JPEG")
    return {"plain QR 150 px": plain, "banner 1600x420 JPEG": jpeg.getvalue(),
            "screenshot 2560x6000 PNG": page_png.getvalue(), "banner without QR": empty.getvalue()}


MENU_PAGE = ("<html><head><meta charset='utf-8'><title>อบต.</title></head><body><ul id='menu'></ul>"
             "<script>document.getElementById('menu').innerHTML = Array.from({length: 60}, (_, i) =>"
             " `<li><a href='/p${i}'>เมนู ${i}</a></li>`).join('');</script></body></html>").encode()


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(MENU_PAGE)))
        self.end_headers()
        self.wfile.write(MENU_PAGE)

    def log_message(self, *args: object) -> None:
        pass


async def bench_render(base: str, port: int) -> None:
    def allow(url: str) -> bool:
        return f"127.0.0.1:{port}" in url

    n = 10
    for settle, concurrency in ((1.5, 1), (0.0, 1), (0.0, 2)):
        config = RenderConfig(settle_time=settle, concurrency=concurrency)
        async with Renderer(config, allow_url=allow) as renderer:
            await renderer.render(base)  # warm up
            started = time.perf_counter()
            pages = await asyncio.gather(*(renderer.render(f"{base}p{i}") for i in range(n)))
            elapsed = time.perf_counter() - started
            assert all(len(p.links) == 60 for p in pages), [p.error for p in pages]
            label = f"render (settle {settle:g} s, {concurrency} at once)"
            print(f"{label:<44} {1000 * elapsed / n:9.2f} ms/page   ({n} pages, wall clock)")
        if settle:
            async with Renderer(config, allow_url=allow) as renderer:
                started = time.perf_counter()
                for i in range(5):
                    shot = await renderer.screenshot(f"{base}s{i}")
                    assert shot.png and not shot.error
                elapsed = time.perf_counter() - started
                print(f"{'screenshot (full page, scale 2)':<44} {1000 * elapsed / 5:9.2f} ms/page   "
                      "(5 pages, wall clock)")


def main() -> None:
    print(f"extract/render benchmark - Python {platform.python_version()}, {os.cpu_count()} CPUs, "
          f"{platform.machine()}")
    ok, why = ocr_status()
    if not ok:
        sys.exit(f"OCR unavailable: {why} (Debian packages tesseract-ocr, tesseract-ocr-tha)")
    text_pages, scan_pages = 30, 3
    text_pdf, scanned_pdf = make_documents(text_pages, scan_pages)

    doc = extract_text(text_pdf, "application/pdf")
    assert len(doc.pages) == doc.page_count and not doc.truncated and not doc.ocr_used, doc.note
    timed("PDF text (pypdfium2)", "page", doc.page_count,
          lambda: extract_text(text_pdf, "application/pdf"))
    doc = extract_text(scanned_pdf, "application/pdf")
    assert doc.ocr_used and len(doc.pages) == scan_pages, doc.note
    timed("PDF OCR (Tesseract tha+eng, 200 DPI)", "page", scan_pages,
          lambda: extract_text(scanned_pdf, "application/pdf"), repeat=1)

    for label, image in qr_images().items():
        found = decode_qr(image)
        assert (label == "banner without QR") or [c.text for c in found] == [EIT], (label, found)
        timed(f"QR decode, {label}", "image", 10, lambda image=image: [decode_qr(image) for _ in range(10)])

    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        asyncio.run(bench_render(f"http://127.0.0.1:{server.server_port}/", server.server_port))
    finally:
        server.shutdown()


if __name__ == "__main__":
    main()
