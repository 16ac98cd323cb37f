"""Photos are re-encoded before they are stored: that drops EXIF (GPS, device, time)
and anything hidden after the image data. Orientation is applied to the pixels first so
the photo still shows the right way up without its EXIF tag.
"""

from __future__ import annotations

import io
import tempfile
import threading
import warnings
from dataclasses import dataclass
from typing import BinaryIO

from PIL import Image, ImageOps, UnidentifiedImageError

from server.errors import ChalkmarkError, InvalidInput
from server.evidence.limits import DEFAULT_IMAGE_WORKERS, DEFAULT_PHOTO_PIXELS
from server.evidence.sniff import GIF, HEIC, JPEG, PNG, WEBP, FileType

try:  # HEIC (iPhone photos) needs libheif; without it such photos can't be read.
    import pillow_heif

    pillow_heif.register_heif_opener()
except ImportError:  # pragma: no cover - the dependency is declared in pyproject
    pass

# The stored photo's longest side, whatever route it came by: the capture page already
# sends 1600 px, the draft page and scripts send what the device had, and this is the
# one place every upload passes through (service.add_item). A big JPEG is decoded
# straight at 1/2, 1/4 or 1/8 scale (Image.draft), the smallest that still keeps
# MAX_SIDE pixels on each side, so it never exists in memory at full size.
MAX_SIDE = 1600
DRAFT_SIDE = MAX_SIDE
WAIT_FOR_TURN_SECONDS = 60
THUMB_SIZE = (320, 320)
OUTPUT = {JPEG: JPEG, HEIC: JPEG, PNG: PNG, GIF: PNG, WEBP: WEBP}
UNREADABLE = "We couldn't read that photo. It may be damaged; please try taking it again."

_gates: dict[int, threading.BoundedSemaphore] = {}
_gates_lock = threading.Lock()


class Busy(ChalkmarkError):
    status_code = 503
    title = "Busy"


def too_many_pixels(max_pixels: int) -> str:
    return (
        f"That photo is too big to process (over {max_pixels / 1_000_000:g} megapixels). "
        "Please send a smaller version, such as the one your phone shares by default."
    )


@dataclass
class CleanImage:
    body: BinaryIO
    thumb: BinaryIO
    file_type: FileType
    width: int
    height: int


def clean_image(
    stream: BinaryIO,
    file_type: FileType,
    *,
    max_pixels: int = DEFAULT_PHOTO_PIXELS,
    workers: int = DEFAULT_IMAGE_WORKERS,
) -> CleanImage:
    """Decode, re-encode without metadata, and make a 320 px JPEG thumbnail; at most
    `workers` photos at once in this process, so many uploads can't exhaust memory."""
    gate = _gate(workers)
    if not gate.acquire(timeout=WAIT_FOR_TURN_SECONDS):
        raise Busy(
            "Many photos are being processed right now. Please try again in a "
            "minute; nothing you saved was lost."
        )
    try:
        return _clean(stream, file_type, max_pixels)
    finally:
        gate.release()


def _gate(workers: int) -> threading.BoundedSemaphore:
    with _gates_lock:
        return _gates.setdefault(workers, threading.BoundedSemaphore(max(workers, 1)))


def _clean(stream: BinaryIO, file_type: FileType, max_pixels: int) -> CleanImage:
    image = _decode(stream, max_pixels)
    output_type = OUTPUT.get(file_type, JPEG)
    body = tempfile.TemporaryFile()
    _encode(image, output_type, body)
    body.seek(0)
    thumb = io.BytesIO()
    _thumbnail(image).save(thumb, format="JPEG", quality=80, optimize=True)
    thumb.seek(0)
    return CleanImage(body, thumb, output_type, image.width, image.height)


def _decode(stream: BinaryIO, max_pixels: int) -> Image.Image:
    stream.seek(0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(stream)
            image.seek(0)  # animated GIF/WebP: the first frame is the evidence
            image.draft(None, (DRAFT_SIDE, DRAFT_SIDE))  # JPEG only; others ignore it
            # The limit is on what will be decoded: a phone's 48 MP JPEG arrives at half
            # scale (12 MP) and is kept; a PNG is decoded whole, so its own size counts.
            # Pillow's bomb check (above ~89 MP, the warning made an error) still holds.
            if image.width * image.height > max_pixels:
                raise InvalidInput(too_many_pixels(max_pixels), field="file")
            image.load()
            image.thumbnail((MAX_SIDE, MAX_SIDE))  # no-op when small enough
            # After shrinking: turning a smaller image upright costs less.
            ImageOps.exif_transpose(image, in_place=True)
            return image
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise InvalidInput(too_many_pixels(max_pixels), field="file") from None
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
        _in_mode(image, "RGBA" if _has_alpha(image) else "RGB").save(
            out, format="WEBP", quality=88, **extra
        )
    else:
        # No optimize=True: on a big PNG it costs seconds for a few per cent.
        _in_mode(image, "RGBA" if _has_alpha(image) else "RGB").save(out, format="PNG", **extra)


def _thumbnail(image: Image.Image) -> Image.Image:
    if image.mode in ("RGB", "RGBA", "L"):
        # Shrink first, then flatten the small copy: no second full-size image.
        scale = min(THUMB_SIZE[0] / image.width, THUMB_SIZE[1] / image.height, 1)
        size = (max(round(image.width * scale), 1), max(round(image.height * scale), 1))
        return _flatten(image.resize(size, Image.Resampling.BICUBIC, reducing_gap=2.0))
    thumb = _flatten(image)  # palette and other modes: convert first, they are small
    thumb.thumbnail(THUMB_SIZE)
    return thumb


def _in_mode(image: Image.Image, mode: str) -> Image.Image:
    # convert() copies even when the mode already matches: a full-size copy for nothing.
    return image if image.mode == mode else image.convert(mode)


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info


def _flatten(image: Image.Image) -> Image.Image:
    """RGB on white: JPEG has no transparency."""
    if not _has_alpha(image):
        return _in_mode(image, "RGB")
    rgba = image.convert("RGBA")
    background = Image.new("RGB", rgba.size, (255, 255, 255))
    background.paste(rgba, mask=rgba.getchannel("A"))
    return background
