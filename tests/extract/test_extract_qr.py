"""QR decoding (plain, inside banners, small, transparent, animated),
classification of EIT / IIT / survey / other, and hostile images."""

from __future__ import annotations

import io
import struct
import time
import zlib
from pathlib import Path

import pytest
import segno
from extract_support import THAI_FONTS
from PIL import Image, ImageDraw, ImageFont

from extract import (
    Limits,
    QrKind,
    classify_text,
    classify_url,
    decode_qr,
    itas_code,
    load_image,
    read_qr,
)

EIT = "https://itas.nacc.go.th/go/eit/lglly5"
IIT = "https://itas.nacc.go.th/go/iit/u4gpi2"
SURVEY = "https://docs.google.com/forms/d/e/1FAIpQLSc/viewform"


def _qr(text: str, scale: int = 4) -> Image.Image:
    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="png", scale=scale, border=2)
    return Image.open(io.BytesIO(out.getvalue())).convert("RGB")


def _png(image: Image.Image, fmt: str = "PNG", **kwargs: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **kwargs)
    return out.getvalue()


def _banner(width: int = 1600, height: int = 420) -> Image.Image:
    banner = Image.new("RGB", (width, height), (18, 70, 140))
    draw = ImageDraw.Draw(banner)
    for x in range(0, width, 48):  # busy background: lines and text, as on real banners
        draw.line((x, 0, x + 240, height), fill=(40, 110, 190), width=5)
    font = ImageFont.truetype(str(THAI_FONTS / "Garuda-Bold.ttf"), 44) if THAI_FONTS.is_dir() else None
    draw.text((40, 60), "ร่วมประเมิน ITA 2566 สแกน QR Code", fill="white", font=font)
    draw.text((40, 150), "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายนอก (EIT)", fill="yellow", font=font)
    return banner


def test_plain_qr_image() -> None:
    codes = decode_qr(_png(_qr(EIT)))
    assert [(c.text, c.kind) for c in codes] == [(EIT, QrKind.EIT)]
    left, top, right, bottom = codes[0].position
    assert 0 <= left < right and 0 <= top < bottom


def test_qr_in_the_corner_of_a_banner() -> None:
    banner = _banner()
    code = _qr(EIT, scale=3)
    banner.paste(code, (banner.width - code.width - 20, banner.height - code.height - 20))
    codes = decode_qr(_png(banner, "JPEG", quality=80))
    assert [c.kind for c in codes] == [QrKind.EIT]
    left, top, _, _ = codes[0].position
    assert left > banner.width - code.width - 40 and top > banner.height - code.height - 40


def test_small_blurred_qr_is_read_from_an_enlarged_copy() -> None:
    # A code shrunk to ~1.2 px per module by a resize, then JPEG: typical of
    # a QR placed in a banner image that was itself scaled down.
    small = _qr(EIT, scale=10).resize((40, 40), Image.Resampling.BILINEAR)
    canvas = Image.new("RGB", (800, 300), "white")
    canvas.paste(small, (700, 200))
    codes = decode_qr(_png(canvas, "JPEG", quality=60))
    assert [c.text for c in codes] == [EIT]
    left, top, right, bottom = codes[0].position  # in the original image's pixels
    assert 690 <= left and right <= 745 and 190 <= top and bottom <= 245


def test_two_codes_eit_and_survey() -> None:
    banner = _banner()
    banner.paste(_qr(EIT), (1100, 60))
    banner.paste(_qr(SURVEY), (1350, 60))
    kinds = {c.text: c.kind for c in decode_qr(_png(banner))}
    assert kinds == {EIT: QrKind.EIT, SURVEY: QrKind.SURVEY}


def test_transparent_and_animated_images() -> None:
    code = _qr(IIT).convert("L")
    transparent = Image.new("RGBA", code.size, (0, 0, 0, 0))
    transparent.putalpha(Image.eval(code, lambda v: 255 - v))  # black modules, clear background
    assert [c.kind for c in decode_qr(_png(transparent))] == [QrKind.IIT]
    frames = [_qr(EIT).convert("P"), Image.new("P", _qr(EIT).size, 0)]
    gif = io.BytesIO()
    frames[0].save(gif, "GIF", save_all=True, append_images=frames[1:], duration=500, loop=0)
    loaded = load_image(gif.getvalue())
    assert loaded.animated and loaded.format == "GIF"
    assert [c.text for c in decode_qr(gif.getvalue())] == [EIT]  # the first frame


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (EIT, QrKind.EIT),
        ("http://itas.nacc.go.th/go/eit/lglly5/", QrKind.EIT),
        ("https://itas.nacc.go.th/go/eit/6bq910?lang=th", QrKind.EIT),
        ("  https://ITAS.NACC.GO.TH/go/eit/qxzpbk \n", QrKind.EIT),
        (IIT, QrKind.IIT),
        ("https://itas.nacc.go.th/go/iit/1e8vml/", QrKind.IIT),
        ("https://itas.nacc.go.th/go/eit/LGLLY5", QrKind.URL),  # codes are lower case
        ("https://itas.nacc.go.th/go/eit/lglly", QrKind.URL),  # 5 characters
        ("https://itas.nacc.go.th/go/eit/lglly5/extra", QrKind.URL),
        ("https://itas.nacc.go.th.evil.example/go/eit/lglly5", QrKind.URL),
        ("https://itas.nacc.go.th/", QrKind.URL),
        (SURVEY, QrKind.SURVEY),
        ("https://forms.gle/Xy12abc", QrKind.SURVEY),
        ("https://forms.office.com/r/abc", QrKind.SURVEY),
        ("https://www.surveymonkey.com/r/ABC", QrKind.SURVEY),
        ("https://docs.google.com/document/d/1", QrKind.URL),
        ("https://www.facebook.com/agency", QrKind.URL),
        ("แบบสำรวจความพึงพอใจ ในการรับบริการ", QrKind.SURVEY),
        ("แบบ สำรวจ ความ พึงพอใจ", QrKind.SURVEY),  # stray spaces as in PDF text
        ("EIT 2566: https://itas.nacc.go.th/go/eit/u4gpi2", QrKind.EIT),
        ("โทร 02-123-4567", QrKind.TEXT),
        ("WIFI:S:office;T:WPA;P:secret;;", QrKind.TEXT),
    ],
)
def test_classification(text: str, kind: QrKind) -> None:
    assert classify_text(text) is kind


def test_classify_url_for_plain_links() -> None:
    assert classify_url("https://itas.nacc.go.th/go/eit/lglly5") is QrKind.EIT
    assert classify_url("mailto:saraban@agency.go.th") is QrKind.TEXT
    assert classify_url("https://[bad") is QrKind.TEXT
    assert itas_code("https://itas.nacc.go.th/go/iit/u4gpi2/") == (QrKind.IIT, "u4gpi2")
    assert itas_code("https://example.com/go/eit/u4gpi2") is None


def _bomb_png(side: int) -> bytes:
    """A 1-bit PNG of side x side white pixels: ~100 KB that decodes to gigabytes."""
    row = b"\x00" + b"\xff" * ((side + 7) // 8)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()

    def chunk(kind: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(
            ">I", zlib.crc32(kind + payload) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def test_decompression_bomb_png_is_refused_fast() -> None:
    bomb = _bomb_png(30_000)  # 900 megapixels
    assert len(bomb) < 1 << 20
    started = time.monotonic()
    result = read_qr(bomb)
    assert result.codes == [] and "image" in result.error
    assert decode_qr(bomb) == []
    assert time.monotonic() - started < 2
    # Under Pillow's own bomb threshold but over ours: refused by our cap.
    assert "too large" in read_qr(_bomb_png(8_000), Limits(max_image_pixels=10_000_000)).error


def test_hostile_images_give_errors(tmp_path: Path) -> None:
    assert read_qr(b"").error
    assert read_qr(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100).error
    truncated = _png(_qr(EIT))[:200]
    assert read_qr(truncated).error
    eps = b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\nshowpage\n"
    assert "not an image" in read_qr(eps).error  # never handed to Ghostscript
    assert "too large" in read_qr(_png(_qr(EIT)), Limits(max_bytes=100)).error
