"""What a file really is, from its first bytes (never its name or the browser's guess),
and whether that type is allowed for a kind of evidence.

A small table instead of libmagic: we accept few types, and each answer here must be
exact (an Office document is a zip we look inside; plain text is UTF-8 without NULs).
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from typing import BinaryIO

from server.errors import InvalidInput

HEAD_BYTES = 4096


@dataclass(frozen=True)
class FileType:
    mime: str
    extension: str

    @property
    def is_image(self) -> bool:
        return self.mime.startswith("image/")


JPEG = FileType("image/jpeg", ".jpg")
PNG = FileType("image/png", ".png")
GIF = FileType("image/gif", ".gif")
WEBP = FileType("image/webp", ".webp")
HEIC = FileType("image/heic", ".heic")
MP4 = FileType("video/mp4", ".mp4")
MOV = FileType("video/quicktime", ".mov")
WEBM = FileType("video/webm", ".webm")
PDF = FileType("application/pdf", ".pdf")
TEXT = FileType("text/plain", ".txt")
DOCX = FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx")
XLSX = FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx")
PPTX = FileType(
    "application/vnd.openxmlformats-officedocument.presentationml.presentation", ".pptx"
)
ODT = FileType("application/vnd.oasis.opendocument.text", ".odt")
ODS = FileType("application/vnd.oasis.opendocument.spreadsheet", ".ods")
ODP = FileType("application/vnd.oasis.opendocument.presentation", ".odp")

PHOTOS = frozenset({JPEG, PNG, GIF, WEBP, HEIC})
ALLOWED: dict[str, frozenset[FileType]] = {
    "photo": PHOTOS,
    "video": frozenset({MP4, MOV, WEBM}),
    "file": PHOTOS | {PDF, TEXT, DOCX, XLSX, PPTX, ODT, ODS, ODP},
}
REFUSAL = {
    "photo": "That file isn't a photo we can use (JPEG, PNG, WebP or HEIC).",
    "video": "That file isn't a video we can use (MP4, MOV or WebM).",
    "file": "That file isn't a type we can accept (PDF, a photo, Word, Excel, PowerPoint, "
    "OpenDocument or plain text).",
}

HEIC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}
MP4_BRANDS = {
    b"isom",
    b"iso2",
    b"iso3",
    b"iso4",
    b"iso5",
    b"iso6",
    b"mp41",
    b"mp42",
    b"avc1",
    b"dash",
    b"M4V ",
    b"MSNV",
    b"mmp4",
    b"3gp4",
    b"3gp5",
    b"3gp6",
    b"3g2a",
}
QUICKTIME_ATOMS = {b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"}
OOXML_PARTS = {"word/document.xml": DOCX, "xl/workbook.xml": XLSX, "ppt/presentation.xml": PPTX}
ODF_MIMETYPES = {t.mime.encode(): t for t in (ODT, ODS, ODP)}


def sniff(stream: BinaryIO) -> FileType | None:
    """The type of a seekable stream, or None when we don't recognise it. Leaves the
    stream at its start."""
    stream.seek(0)
    head = stream.read(HEAD_BYTES)
    stream.seek(0)
    found = _sniff_head(head)
    if found is None and head.startswith(b"PK\x03\x04"):
        found = _sniff_zip(stream)
        stream.seek(0)
    return found


def _sniff_head(head: bytes) -> FileType | None:
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return WEBM if b"webm" in head[:64] else None
    if head[4:8] == b"ftyp":
        return _sniff_iso_media(head)
    if head[4:8] in QUICKTIME_ATOMS:
        return MOV
    if _looks_like_text(head):
        return TEXT
    return None


def _sniff_iso_media(head: bytes) -> FileType | None:
    brand = head[8:12]
    if brand in HEIC_BRANDS:
        return HEIC
    if brand == b"qt  ":
        return MOV
    if brand in MP4_BRANDS:
        return MP4
    return None


def _sniff_zip(stream: BinaryIO) -> FileType | None:
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
            for part, file_type in OOXML_PARTS.items():
                if part in names:
                    return file_type
            if "mimetype" in names:
                with archive.open("mimetype") as entry:
                    return ODF_MIMETYPES.get(entry.read(100).strip())
    except (zipfile.BadZipFile, OSError, EOFError):
        return None
    return None


def _looks_like_text(head: bytes) -> bool:
    if not head or b"\x00" in head:
        return False
    # The head may end inside a multi-byte character: let up to 3 trailing bytes go.
    for cut in range(4):
        try:
            head[: len(head) - cut].decode("utf-8")
            return True
        except UnicodeDecodeError:
            continue
    return False


def require_allowed(kind: str, stream: BinaryIO) -> FileType:
    """The stream's type if `kind` of evidence accepts it; else a clear InvalidInput."""
    found = sniff(stream)
    if found is None or found not in ALLOWED.get(kind, frozenset()):
        raise InvalidInput(REFUSAL.get(kind, "That file type isn't accepted here."), field="file")
    return found
