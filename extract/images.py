"""Safe image decoding with Pillow.

Images come from agency sites (banners, QR codes) and from our own
screenshots. A hostile or broken image must cost little: we cap the byte
size, check the pixel count from the header *before* decoding (a 50 KB PNG
can declare 900 megapixels), only open raster formats we expect (Pillow's
EPS plugin would start Ghostscript), and read only the first frame of an
animation.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

from .model import Limits

__all__ = ["ImageResult", "load_image"]

# Formats seen on agency sites and in our screenshots. Not EPS/PDF/etc.
_FORMATS = ("PNG", "JPEG", "GIF", "WEBP", "BMP", "TIFF", "ICO")


@dataclass(frozen=True, slots=True)
class ImageResult:
    """A decoded image (first frame, mode "RGB" or "L"), or why there is none."""

    image: Image.Image | None
    error: str = ""
    format: str = ""
    animated: bool = False


def load_image(data: bytes, limits: Limits | None = None) -> ImageResult:
    """Decode ``data`` within the limits. Never raises."""
    limits = limits or Limits()
    if len(data) > limits.max_bytes:
        return ImageResult(None, f"image too large: {len(data)} bytes > {limits.max_bytes}")
    try:
        with warnings.catch_warnings():
            # Pillow warns (DecompressionBombWarning) before it errors; our own
            # pixel check below is the one that decides.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=_FORMATS)
            width, height = image.size
            if width * height > limits.max_image_pixels:
                return ImageResult(None, f"image too large: {width}x{height} pixels "
                                         f"> {limits.max_image_pixels}", image.format or "")
            # is_animated looks at most one frame ahead; n_frames would walk them all.
            animated = bool(getattr(image, "is_animated", False))
            image.seek(0)
            image.load()
            fmt = image.format or ""
            return ImageResult(_flatten(image), "", fmt, animated)
    except Image.DecompressionBombError as exc:
        return ImageResult(None, f"image refused (decompression bomb): {exc}")
    except UnidentifiedImageError:
        return ImageResult(None, "not an image (or an unsupported format)")
    except Exception as exc:  # noqa: BLE001 - truncated/corrupt files raise many types
        return ImageResult(None, f"image not readable: {type(exc).__name__}: {exc}")


def _flatten(image: Image.Image) -> Image.Image:
    """RGB or L. Transparent pixels go on white: a QR code drawn black on a
    transparent PNG would otherwise be black on black."""
    if image.mode in ("RGB", "L"):
        return image
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    if image.mode in ("1", "I", "I;16", "F"):
        return image.convert("L")
    return image.convert("RGB")
