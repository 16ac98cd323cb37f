"""Photos are re-encoded before they are stored: that drops EXIF (GPS, device, time)
and anything hidden after the image data. Orientation is applied to the pixels first so
the photo still shows the right way up without its EXIF tag.
"""

from __future__ import annotations

import io
import tempfile
import warnings
from dataclasses import dataclass
from typing import BinaryIO

from PIL import Image, ImageOps, UnidentifiedImageError

from server.errors import InvalidInput
from server.evidence.sniff import GIF, HEIC, JPEG, PNG, WEBP, FileType

try:  # HEIC (iPhone photos) needs libheif; without it such photos can't be read.
    import pillow_heif

    pillow_heif.register_heif_opener()
except ImportError:  # pragma: no cover - the dependency is declared in pyproject
    pass

# 64 MP covers today's 48 MP phone cameras; anything bigger is refused before decoding so
# a tiny "decompression bomb" file can't make the server allocate gigabytes.
MAX_PIXELS = 64_000_000
THUMB_SIZE = (320, 320)
OUTPUT = {JPEG: JPEG, HEIC: JPEG, PNG: PNG, GIF: PNG, WEBP: WEBP}
TOO_MANY_PIXELS = ("That photo is too big to process (over 64 megapixels). "
                   "Please send a smaller version.")
UNREADABLE = "We couldn't read that photo. It may be damaged; please try taking it again."


@dataclass
class CleanImage:
    body: BinaryIO
    thumb: BinaryIO
    file_type: FileType
    width: int
    height: int


def clean_image(stream: BinaryIO, file_type: FileType) -> CleanImage:
    """Decode, re-encode without metadata, and make a 320 px JPEG thumbnail."""
    image = _decode(stream)
    output_type = OUTPUT.get(file_type, JPEG)
    body = tempfile.TemporaryFile()
    _encode(image, output_type, body)
    body.seek(0)
    thumb = io.BytesIO()
    _thumbnail(image).save(thumb, format="JPEG", quality=80, optimize=True)
    thumb.seek(0)
    return CleanImage(body, thumb, output_type, image.width, image.height)


def _decode(stream: BinaryIO) -> Image.Image:
    stream.seek(0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(stream)
            if image.width * image.height > MAX_PIXELS:
                raise InvalidInput(TOO_MANY_PIXELS, field="file")
            image.seek(0)  # animated GIF/WebP: the first frame is the evidence
            upright = ImageOps.exif_transpose(image)
            upright.load()
            return upright
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise InvalidInput(TOO_MANY_PIXELS, field="file") from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
            raise InvalidInput(UNREADABLE, field="file") from None


def _encode(image: Image.Image, output_type: FileType, out: BinaryIO) -> None:
    # No exif= argument and no text chunks: the new file carries pixels (and the colour
    # profile, which identifies nobody) only.
    icc = image.info.get("icc_profile")
    extra = {"icc_profile": icc} if icc else {}
    if output_type == JPEG:
        _flatten(image).save(out, format="JPEG", quality=88, optimize=True, **extra)
    elif output_type == WEBP:
        image.convert("RGBA" if _has_alpha(image) else "RGB").save(
            out, format="WEBP", quality=88, **extra)
    else:
        mode = "RGBA" if _has_alpha(image) else "RGB"
        image.convert(mode).save(out, format="PNG", optimize=True, **extra)


def _thumbnail(image: Image.Image) -> Image.Image:
    thumb = _flatten(image)
    thumb.thumbnail(THUMB_SIZE)
    return thumb


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info


def _flatten(image: Image.Image) -> Image.Image:
    """RGB on white: JPEG has no transparency."""
    if not _has_alpha(image):
        return image.convert("RGB")
    rgba = image.convert("RGBA")
    background = Image.new("RGB", rgba.size, (255, 255, 255))
    background.paste(rgba, mask=rgba.getchannel("A"))
    return background
