"""QR codes drawn by the server, for links a person opens on another device (a device
link, a badge's verification page)."""

from __future__ import annotations

import re

import qrcode
from markupsafe import Markup
from qrcode.image.svg import SvgPathImage


def qr_svg(text: str) -> Markup:
    """A QR code as inline SVG drawn by the server: no script, and no style attribute
    (CSP forbids those); CSS gives it its size."""
    image = qrcode.make(text, image_factory=SvgPathImage, border=4)
    svg = image.to_string(encoding="unicode")
    svg = re.sub(
        r'^<svg width="[^"]*" height="[^"]*"',
        '<svg role="img" aria-label="QR code of the link" focusable="false"',
        svg,
    )
    return Markup(svg)
