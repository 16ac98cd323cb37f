"""Every upload limit, in one place: bytes per evidence kind, photo pixels, decoders at
once, the resumable chunk size and the lengths of the small text fields.

The adjustable ones are Settings fields (defaults here); `UploadLimits.from_settings`
is how the evidence views read them, per request, so a test may change a setting.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from server.models import EvidenceKind

if TYPE_CHECKING:  # config.py reads this module's defaults: no import at run time
    from server.config import Settings

MB = 1024 * 1024
DEFAULT_PHOTO_BYTES = 20 * MB
DEFAULT_VIDEO_BYTES = 500 * MB
DEFAULT_FILE_BYTES = 25 * MB
# Refused before decoding, so a tiny "decompression bomb" can't make the server allocate
# gigabytes: 40 MP covers a 48 MP phone's usual 12 MP output with room to spare.
# Pillow's own limit (89 MP) stays as a second guard.
DEFAULT_PHOTO_PIXELS = 40_000_000
# Photos decoded at once per process: each may hold ~4 bytes per pixel while decoding.
DEFAULT_IMAGE_WORKERS = 2
DEFAULT_CHUNK_BYTES = 2 * MB
# Room for the multipart framing and the small fields beside the file.
FORM_OVERHEAD = 256 * 1024

# Fixed lengths of the fields beside a file (characters).
MAX_TEXT_CHARS = 20_000
MAX_URL_CHARS = 2000
MAX_NOTE_CHARS = 500
MAX_FILENAME_CHARS = 255


@dataclass(frozen=True)
class UploadLimits:
    photo: int = DEFAULT_PHOTO_BYTES
    video: int = DEFAULT_VIDEO_BYTES
    file: int = DEFAULT_FILE_BYTES
    photo_pixels: int = DEFAULT_PHOTO_PIXELS
    image_workers: int = DEFAULT_IMAGE_WORKERS
    chunk_bytes: int = DEFAULT_CHUNK_BYTES

    @classmethod
    def from_settings(cls, settings: Settings) -> UploadLimits:
        return cls(
            photo=settings.max_photo_bytes,
            video=settings.max_video_bytes,
            file=settings.max_file_bytes,
            photo_pixels=settings.max_photo_pixels,
            image_workers=settings.image_workers,
            chunk_bytes=settings.upload_chunk_bytes,
        )

    def for_kind(self, kind: str) -> int:
        """Bytes one item of this evidence kind may have (text and links: a file's)."""
        sizes: dict[str, int] = {EvidenceKind.PHOTO: self.photo, EvidenceKind.VIDEO: self.video}
        return sizes.get(kind, self.file)

    @property
    def largest_request(self) -> int:
        """What Werkzeug refuses before reading: the largest kind plus a form's framing."""
        return max(self.photo, self.video, self.file) + MB
