"""Badge images: an SVG designed from the stack (colour + icon) with the credential's
title, a PNG rendering of the same design, and baked copies that carry the credential.

Baking (Open Badges): PNG gets an iTXt chunk (`openbadgecredential` for 3.0, `openbadges`
for 2.0); SVG gets an `<openbadges:credential>` (3.0) or `<openbadges:assertion>` (2.0)
element. A backpack reads the badge straight out of the image.
"""

from __future__ import annotations

import hashlib
import io
import textwrap
from xml.sax.saxutils import escape, quoteattr

from PIL import Image, ImageDraw, ImageFont
from PIL.PngImagePlugin import PngImageFile, PngInfo

PALETTE = ("#1f4e79", "#7a3e9d", "#0f766e", "#b45309", "#be123c", "#4d7c0f")
# One simple glyph per stack category (24×24 path data); anything else gets a star.
ICONS = {
    "brain": "M12 3a5 5 0 0 0-5 5v1a4 4 0 0 0 0 8h1a4 4 0 0 0 8 0h1a4 4 0 0 0 0-8V8a5 5 0 0 0-5-5z",
    "fraction": "M5 11h14v2H5zM11 4h2v5h-2zM11 15h2v5h-2z",
    "device": "M4 5h16v10H4zM2 17h20v2H2z",
    "check": "M9 16.2 4.8 12l-1.4 1.4L9 19 21 7l-1.4-1.4z",
}
STAR = "M12 2l3 7h7l-5.5 4.5 2 7.5-6.5-4.5L5.5 21l2-7.5L2 9h7z"
SIZE = 400
OB2_NS = "https://w3id.org/openbadges/v2"
OB3_NS = "https://purl.imsglobal.org/ob/v3p0"


def colour_for(stack_slug: str) -> str:
    return PALETTE[hashlib.sha256(stack_slug.encode()).digest()[0] % len(PALETTE)]


def icon_for(stack_title: str) -> str:
    title = stack_title.lower()
    for word, key in (
        ("learning", "brain"),
        ("fraction", "fraction"),
        ("technology", "device"),
        ("assessment", "check"),
    ):
        if word in title:
            return ICONS[key]
    return STAR


def _lines(title: str) -> list[str]:
    return textwrap.wrap(title, width=16)[:3] or [""]


# A stack credential is a hexagon (a micro-credential is a round badge) in the stack's colour.
HEXAGON = "200,10 364.5,105 364.5,295 200,390 35.5,295 35.5,105"
HEXAGON_INNER = "200,30 347.2,115 347.2,285 200,370 52.8,285 52.8,115"


def _shape_svg(colour: str, stack: bool) -> str:
    if stack:
        return (
            f'<polygon points="{HEXAGON}" fill="{colour}"/>'
            f'<polygon points="{HEXAGON_INNER}" fill="none" stroke="#fff" stroke-width="6"/>'
        )
    return (
        f'<circle cx="200" cy="200" r="190" fill="{colour}"/>'
        f'<circle cx="200" cy="200" r="172" fill="none" stroke="#fff" stroke-width="6"/>'
    )


def _points(text: str) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for x, y in (pair.split(",") for pair in text.split())]


def badge_svg(
    *,
    title: str,
    stack_title: str,
    stack_slug: str,
    extra: str = "",
    namespaces: str = "",
    stack: bool = False,
) -> str:
    colour = colour_for(stack_slug)
    text = "".join(
        f'<tspan x="200" dy="{0 if n == 0 else 30}">{escape(line)}</tspan>'
        for n, line in enumerate(_lines(title))
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg"{namespaces} width="{SIZE}" height="{SIZE}" '
        f'viewBox="0 0 400 400" role="img" aria-label={quoteattr(title + " badge")}>'
        f"{extra}<title>{escape(title)}</title>"
        f"{_shape_svg(colour, stack)}"
        f'<g transform="translate(152 60) scale(4)" fill="#fff">'
        f'<path d="{icon_for(stack_title)}"/></g>'
        f'<text x="200" y="210" fill="#fff" font-family="sans-serif" font-size="26" '
        f'font-weight="700" text-anchor="middle">{text}</text>'
        f'<text x="200" y="330" fill="#fff" font-family="sans-serif" font-size="16" '
        f'text-anchor="middle">{escape(stack_title[:40])}</text></svg>'
    )


def badge_png(*, title: str, stack_title: str, stack_slug: str, stack: bool = False) -> bytes:
    image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if stack:
        draw.polygon(_points(HEXAGON), fill=colour_for(stack_slug))
        draw.polygon(_points(HEXAGON_INNER), outline="#ffffff", width=6)
    else:
        draw.ellipse((10, 10, 390, 390), fill=colour_for(stack_slug))
        draw.ellipse((28, 28, 372, 372), outline="#ffffff", width=6)
    font = ImageFont.load_default(size=26)
    small = ImageFont.load_default(size=16)
    for n, line in enumerate(_lines(title)):
        draw.text((200, 200 + 30 * n), line, fill="#ffffff", font=font, anchor="mm")
    draw.text((200, 325), stack_title[:40], fill="#ffffff", font=small, anchor="mm")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def bake_png(png: bytes, *, keyword: str, payload: str) -> bytes:
    """keyword: 'openbadgecredential' (OB 3.0) or 'openbadges' (OB 2.0)."""
    image = Image.open(io.BytesIO(png))
    info = PngInfo()
    info.add_itxt(keyword, payload, zip=False)
    out = io.BytesIO()
    image.save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def read_baked_png(png: bytes, keyword: str) -> str | None:
    image = Image.open(io.BytesIO(png))
    image.load()
    if not isinstance(image, PngImageFile):
        return None
    return image.text.get(keyword)


def bake_svg(
    *,
    title: str,
    stack_title: str,
    stack_slug: str,
    ob3_json: str | None = None,
    ob2_json: str | None = None,
    verify_url: str = "",
    stack: bool = False,
) -> str:
    if ob3_json is not None:
        namespaces = f' xmlns:openbadges="{OB3_NS}"'
        extra = f"<openbadges:credential><![CDATA[{_cdata(ob3_json)}]]></openbadges:credential>"
    else:
        namespaces = f' xmlns:openbadges="{OB2_NS}"'
        extra = (
            f"<openbadges:assertion verify={quoteattr(verify_url)}>"
            f"<![CDATA[{_cdata(ob2_json or '')}]]></openbadges:assertion>"
        )
    return badge_svg(
        title=title,
        stack_title=stack_title,
        stack_slug=stack_slug,
        extra=extra,
        namespaces=namespaces,
        stack=stack,
    )


def _cdata(text: str) -> str:
    return text.replace("]]>", "]]]]><![CDATA[>")
