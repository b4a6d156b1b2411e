"""A QR code of a one-time survey link, as inline SVG (no image file is stored: the link is shown once)."""

from __future__ import annotations

import qrcode
from qrcode.image.svg import SvgPathImage


def qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=SvgPathImage, box_size=8, border=2)
    return image.to_string(encoding="unicode")
