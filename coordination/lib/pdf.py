"""PDF building blocks: a font with Vietnamese glyphs and QR images for reportlab."""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

import qrcode
from django.conf import settings
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

# Fonts that carry every Vietnamese letter, in the places Debian, Ubuntu,
# Fedora, Alpine and macOS keep them.
_REGULAR_CANDIDATES = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
    "/usr/share/fonts/noto/NotoSans-Regular.ttf",
    "/Library/Fonts/Arial Unicode.ttf",
    "/System/Library/Fonts/Supplemental/Arial Unicode.ttf",
]
_BOLD_CANDIDATES = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf",
    "/usr/share/fonts/noto/NotoSans-Bold.ttf",
]


class FontMissing(RuntimeError):
    pass


def _first_existing(configured: str, candidates: list[str]) -> str | None:
    for path in [configured, *candidates]:
        if path and Path(path).is_file():
            return path
    return None


@cache
def unicode_fonts() -> tuple[str, str]:
    """Register and return (regular, bold) font names that can write Vietnamese."""
    regular = _first_existing(settings.PDF_FONT_PATH, _REGULAR_CANDIDATES)
    if regular is None:
        raise FontMissing(
            "No TrueType font with Vietnamese letters was found; install fonts-dejavu-core or set PDF_FONT_PATH."
        )
    bold = _first_existing(settings.PDF_FONT_BOLD_PATH, _BOLD_CANDIDATES) or regular
    pdfmetrics.registerFont(TTFont("PortalSans", regular))
    pdfmetrics.registerFont(TTFont("PortalSans-Bold", bold))
    return "PortalSans", "PortalSans-Bold"


def qr_image(data: str, *, box_size: int = 10) -> ImageReader:
    """A QR code for reportlab, with medium error correction so a smudged label still scans."""
    return ImageReader(io.BytesIO(qr_png(data, box_size=box_size)))


def _qr_code(data: str, *, box_size: int) -> qrcode.QRCode:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=box_size, border=2)
    code.add_data(data)
    code.make(fit=True)
    return code


def qr_png(data: str, *, box_size: int = 10) -> bytes:
    """A QR code as PNG bytes (for print), medium error correction."""
    buffer = io.BytesIO()
    _qr_code(data, box_size=box_size).make_image(fill_color="black", back_color="white").save(buffer, format="PNG")
    return buffer.getvalue()


def qr_svg(data: str) -> bytes:
    """A QR code as a small SVG (one path, scales to any screen), medium error correction."""
    from qrcode.image.svg import SvgPathImage

    buffer = io.BytesIO()
    _qr_code(data, box_size=10).make_image(image_factory=SvgPathImage).save(buffer)
    return buffer.getvalue()


def qr_svg_and_png(data: str, *, box_size: int = 10) -> tuple[bytes, bytes]:
    """The same QR code as `qr_svg` and `qr_png` give, encoded once: choosing its mask is most of the work."""
    from qrcode.image.svg import SvgPathImage

    code = _qr_code(data, box_size=10)
    svg = io.BytesIO()
    code.make_image(image_factory=SvgPathImage).save(svg)
    code.box_size = box_size
    png = io.BytesIO()
    code.make_image(fill_color="black", back_color="white").save(png, format="PNG")
    return svg.getvalue(), png.getvalue()
