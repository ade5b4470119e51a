"""QR codes in images, and what their text (or any link) points to.

Seed 000 (O43) requires the EIT survey QR code on the website; agencies often
publish it only as an image (a banner, a slide, a screenshot-able widget).
zxing-cpp decodes in about a millisecond and needs nothing else installed.

:func:`classify_url` is also for plain links: the rules engine uses it to
tell an EIT link from an IIT link, a satisfaction survey or anything else.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import zxingcpp
from PIL import Image

from .images import load_image
from .model import Limits

__all__ = [
    "QrCode",
    "QrKind",
    "QrResult",
    "classify_text",
    "classify_url",
    "decode_qr",
    "decode_qr_image",
    "itas_code",
    "read_qr",
]


class QrKind(str, enum.Enum):
    EIT = "eit"  # https://itas.nacc.go.th/go/eit/<code>: the external survey (O43)
    IIT = "iit"  # https://itas.nacc.go.th/go/iit/<code>: the internal staff survey
    SURVEY = "survey"  # a satisfaction survey (seed 001 l.133): not the EIT
    URL = "url"  # any other link
    TEXT = "text"  # not a link


Box = tuple[int, int, int, int]  # left, top, right, bottom in image pixels


@dataclass(frozen=True, slots=True)
class QrCode:
    text: str
    kind: QrKind
    position: Box


@dataclass(frozen=True, slots=True)
class QrResult:
    codes: list[QrCode] = field(default_factory=list)
    error: str = ""  # the image could not be decoded at all


# --- classification ---------------------------------------------------------

_ITAS_HOST = "itas.nacc.go.th"
# The code is 6 lowercase letters/digits (seen: lglly5, u4gpi2, 1e8vml). An
# upper-case or longer code is not a working survey link, so it stays a URL.
_ITAS_PATH = re.compile(r"/(?i:go)/(?i:(eit|iit))/([a-z0-9]{6})/?")
_SURVEY_HOSTS = (
    "forms.gle",
    "forms.office.com",
    "forms.microsoft.com",
    "surveymonkey.com",
    "jotform.com",
    "typeform.com",
    "surveyheart.com",
)
# "แบบสำรวจความพึงพอใจ", "แบบประเมินความพึงพอใจ", ...: the common word is enough.
_SURVEY_WORDS = ("ความพึงพอใจ", "satisfactionsurvey")
_URL_IN_TEXT = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)


def itas_code(url: str) -> tuple[QrKind, str] | None:
    """(EIT or IIT, code) for an ITAS survey link, else None."""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname or ""
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or host != _ITAS_HOST:
        return None
    match = _ITAS_PATH.fullmatch(parts.path)
    if match is None:
        return None
    return (QrKind.EIT if match.group(1).lower() == "eit" else QrKind.IIT), match.group(2)


def classify_url(url: str) -> QrKind:
    """EIT, IIT, SURVEY or URL for an http(s) link; TEXT for anything else."""
    found = itas_code(url)
    if found is not None:
        return found[0]
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname or ""
    except ValueError:
        return QrKind.TEXT
    if parts.scheme.lower() not in ("http", "https") or not host:
        return QrKind.TEXT
    if host == "docs.google.com" and parts.path.startswith("/forms"):
        return QrKind.SURVEY
    if any(host == known or host.endswith("." + known) for known in _SURVEY_HOSTS):
        return QrKind.SURVEY
    return QrKind.URL


def classify_text(text: str) -> QrKind:
    """Kind of a QR code's text: a link is classified by :func:`classify_url`;
    text holding an ITAS link or naming a satisfaction survey counts as such."""
    stripped = text.strip()
    if _URL_IN_TEXT.fullmatch(stripped):
        return classify_url(stripped)
    kinds = [classify_url(url) for url in _URL_IN_TEXT.findall(stripped)]
    for kind in (QrKind.EIT, QrKind.IIT, QrKind.SURVEY):
        if kind in kinds:
            return kind
    compact = re.sub(r"\s+", "", stripped).lower()  # PDF/OCR text has stray spaces
    if any(word in compact for word in _SURVEY_WORDS):
        return QrKind.SURVEY
    return QrKind.URL if kinds else QrKind.TEXT


# --- decoding ----------------------------------------------------------------

_FORMATS = zxingcpp.BarcodeFormats([zxingcpp.BarcodeFormat.QRCode, zxingcpp.BarcodeFormat.MicroQRCode])
_SMALL = 250_000  # pixels: images this small (icons, a lone QR) always get a second, enlarged look
_UPSCALE_MAX = 8_000_000  # never build an enlarged copy larger than this


def read_qr(image_bytes: bytes, limits: Limits | None = None) -> QrResult:
    """Every QR code in an image file, or why the image could not be read."""
    loaded = load_image(image_bytes, limits)
    if loaded.image is None:
        return QrResult([], loaded.error)
    return QrResult(decode_qr_image(loaded.image))


def decode_qr(image_bytes: bytes, limits: Limits | None = None) -> list[QrCode]:
    """Every QR code in an image file ([] also when the image is unreadable:
    use :func:`read_qr` to learn why)."""
    return read_qr(image_bytes, limits).codes


def decode_qr_image(image: Image.Image) -> list[QrCode]:
    """Every QR code in a decoded image (e.g. a rendered PDF page)."""
    # Grayscale: zxing binarises anyway, and reads "L" about 4x faster than RGB.
    gray = image if image.mode == "L" else image.convert("L")
    found: dict[str, QrCode] = {}
    _decode_into(found, gray, 1)
    pixels = gray.width * gray.height
    if not found or pixels <= _SMALL:
        # Small or blurred codes (a QR scaled down inside a banner) often read
        # only from an enlarged copy; bicubic keeps module edges findable.
        factor = 3 if pixels * 9 <= _UPSCALE_MAX // 2 else 2
        if pixels * factor * factor <= _UPSCALE_MAX:
            size = (gray.width * factor, gray.height * factor)
            _decode_into(found, gray.resize(size, Image.Resampling.BICUBIC), factor)
    return list(found.values())


def _decode_into(found: dict[str, QrCode], image: Image.Image, scale: int) -> None:
    try:
        barcodes = zxingcpp.read_barcodes(image, formats=_FORMATS)
    except Exception:  # noqa: BLE001 - a decoder failure means "no code found"
        return
    for barcode in barcodes:
        text = barcode.text
        if not text or text in found:
            continue
        pos = barcode.position
        points = (pos.top_left, pos.top_right, pos.bottom_right, pos.bottom_left)
        xs = [point.x // scale for point in points]
        ys = [point.y // scale for point in points]
        found[text] = QrCode(text, classify_text(text), (min(xs), min(ys), max(xs), max(ys)))
