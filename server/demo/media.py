"""The demo's photo and file evidence: a drawn "whiteboard" photo and a one-page PDF,
stored once and shared by every seeded item that needs one (deleting evidence removes a
blob only when no other row uses it). Without a store the rows carry no file: the
evidence is still there to count, only not to open."""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageDraw

from server.evidence import images
from server.evidence.sniff import JPEG
from server.storage import Storage, new_key

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
NOTE_COLOURS = ((255, 235, 130), (160, 220, 255), (255, 190, 200), (190, 240, 170))


@dataclass(frozen=True)
class StoredFile:
    blob_key: str | None
    thumb_key: str | None
    mime: str
    size: int
    sha256: str | None
    width: int | None = None
    height: int | None = None


def _whiteboard() -> bytes:
    """Sticky notes on a whiteboard: a photo of student work with nobody in it."""
    image = Image.new("RGB", (1200, 900), (246, 247, 244))
    draw = ImageDraw.Draw(image)
    for index in range(12):
        left, top = 90 + (index % 4) * 260, 90 + (index // 4) * 250
        draw.rectangle((left, top, left + 200, top + 190), fill=NOTE_COLOURS[index % 4])
        for line in range(4):
            y = top + 40 + line * 35
            draw.line(
                (left + 20, y, left + 170 - (index * 7 + line * 13) % 60, y),
                fill=(60, 60, 80),
                width=5,
            )
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


def store_demo_files(storage: Storage | None) -> dict[str, StoredFile]:
    """{"photo": ..., "file": ...} to put on seeded items."""
    if storage is None:
        return {
            "photo": StoredFile(None, None, "image/jpeg", 0, None),
            "file": StoredFile(None, None, "application/pdf", 0, None),
        }
    photo = images.clean_image(io.BytesIO(_whiteboard()), JPEG)
    photo_key, thumb_key = new_key("ev", ".jpg"), new_key("th", ".jpg")
    size, digest = storage.save_stream(photo_key, photo.body, 10 * 1024 * 1024)
    storage.save_stream(thumb_key, photo.thumb, 1024 * 1024)
    pdf_key = new_key("ev", ".pdf")
    pdf_size, pdf_digest = storage.save_stream(pdf_key, io.BytesIO(PDF), 1024 * 1024)
    return {
        "photo": StoredFile(
            photo_key, thumb_key, "image/jpeg", size, digest, photo.width, photo.height
        ),
        "file": StoredFile(pdf_key, None, "application/pdf", pdf_size, pdf_digest),
    }
