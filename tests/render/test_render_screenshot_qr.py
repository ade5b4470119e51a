"""QR codes that exist only on screen: drawn by scripts, or lazy-loaded
images. Renderer.screenshot then extract.decode_qr must find them."""

from __future__ import annotations

import io
import json

import pytest
import segno
from PIL import Image
from render_support import Reply, allow_servers, page, require_browser

from extract import QrKind, decode_qr
from render import Renderer, ScreenshotStore

pytestmark = pytest.mark.anyio

EIT = "https://itas.nacc.go.th/go/eit/u4gpi2"
SURVEY = "https://forms.gle/kX7aQ2satisfaction"


def _matrix(text: str) -> list[list[int]]:
    return [[1 if dark else 0 for dark in row] for row in segno.make(text, error="m").matrix]


def _png(text: str, scale: int = 4) -> bytes:
    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="png", scale=scale, border=2)
    return out.getvalue()


def _qr_page(matrix: list[list[int]]) -> str:
    # The EIT code drawn with 2-CSS-px grid cells by a script: no image, no
    # link in the HTML. Further down, a lazy-loaded <img> with a survey code.
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>ITA</title><style>
      body {{ margin: 0; font-family: Garuda, sans-serif; }}
      #qr {{ position: absolute; right: 24px; top: 24px; display: grid; background: #fff;
             padding: 8px; grid-template-columns: repeat({len(matrix)}, 2px); }}
      #qr div {{ width: 2px; height: 2px; }} #qr .d {{ background: #000; }}
    </style></head><body>
      <h1>ร่วมตอบแบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายนอก (EIT)</h1>
      <div id="qr"></div>
      <div style="height: 2600px">ข่าวประชาสัมพันธ์</div>
      <p>แบบสำรวจความพึงพอใจ</p><img src="/survey.png" loading="lazy" width="132" height="132">
      <script>
        const m = {json.dumps(matrix)};
        const box = document.getElementById("qr");
        for (const row of m) for (const cell of row) {{
          const d = document.createElement("div"); if (cell) d.className = "d"; box.appendChild(d);
        }}
      </script></body></html>"""


async def test_qr_codes_visible_only_in_a_screenshot(serve, tmp_path) -> None:
    require_browser()
    site = serve({"/": page(_qr_page(_matrix(EIT))),
                  "/survey.png": Reply(_png(SURVEY), "image/png")})
    async with Renderer(allow_url=allow_servers(site)) as renderer:
        shot = await renderer.screenshot(site.url("/"))
    assert shot.error == "" and not shot.truncated
    image = Image.open(io.BytesIO(shot.png))
    assert image.width == 1280 * 2  # device_scale_factor=2
    assert "/survey.png" in site.hits  # images are loaded for screenshots, lazy ones too
    codes = {code.text: code for code in decode_qr(shot.png)}
    assert codes[EIT].kind is QrKind.EIT
    assert codes[SURVEY].kind is QrKind.SURVEY
    left, _, _, bottom = codes[EIT].position
    assert left > image.width * 0.8 and bottom < 400  # the top-right corner
    digest, path = ScreenshotStore(tmp_path).put(shot.png)
    assert path.read_bytes() == shot.png and digest in path.parent.name + path.stem


async def test_screenshot_height_is_capped(serve) -> None:
    require_browser()
    site = serve({"/": page('<div style="height: 20000px; background: linear-gradient(#fff, #ccc)">'
                            "ยาวมาก</div>")})
    async with Renderer(allow_url=allow_servers(site)) as renderer:
        shot = await renderer.screenshot(site.url("/"), max_height=1500, device_scale_factor=1)
    assert shot.truncated and shot.error == ""
    assert Image.open(io.BytesIO(shot.png)).size == (1280, 1500)


async def test_screenshot_of_a_refused_address(serve) -> None:
    require_browser()
    site = serve({"/": page("<p>x</p>")})
    async with Renderer() as renderer:
        shot = await renderer.screenshot(site.url("/"))
    assert shot.png == b"" and shot.error.startswith("blocked:")
    assert site.hits == []
