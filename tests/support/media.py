"""Small real files made on the spot, the one home of every test's sample bytes: JPEGs
(optionally with camera EXIF and a GPS position), PNG, GIF, HEIC, an MP4 head, a PDF, a
renamed .exe and Office zips."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from PIL import Image

GPS_IFD = 0x8825
EXIF_IFD = 0x8769


def jpeg_bytes(
    seed: int = 0,
    size: tuple[int, int] = (64, 48),
    gps: bool = False,
    *,
    colour: tuple[int, int, int] | None = None,
    orientation: int | None = None,
    quality: int = 85,
) -> bytes:
    """A JPEG whose colour follows `seed` (distinct seeds, distinct files); with `gps`, it
    carries camera make, a time and a GPS position in its EXIF."""
    image = Image.new("RGB", size, colour or ((seed * 53) % 256, (seed * 97) % 256, 140))
    exif = Image.Exif()
    if gps:
        exif[0x010F] = "PhoneMaker"  # Make
        exif[0x0132] = "2024:03:01 10:42:00"  # DateTime
        exif[GPS_IFD] = {1: "N", 2: (51.0, 30.0, 12.5), 3: "W", 4: (0.0, 7.0, 39.0)}
    if orientation:
        exif[0x0112] = orientation
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, exif=exif)
    return out.getvalue()


def png_bytes(size: tuple[int, int] = (40, 30), mode: str = "RGBA") -> bytes:
    """A flat PNG; RGBA is half transparent, other modes are whatever Pillow fills."""
    colour = {"RGBA": (10, 120, 200, 128), "RGB": (10, 120, 200)}.get(mode, 0)
    out = io.BytesIO()
    Image.new(mode, size, colour).save(out, format="PNG")
    return out.getvalue()


def gif_bytes() -> bytes:
    return b"GIF89a" + b"\x01\x00\x01\x00" + b"\x00" * 20


def heic_bytes(size: tuple[int, int] = (64, 48)) -> bytes:
    import pillow_heif

    pillow_heif.register_heif_opener()
    out = io.BytesIO()
    Image.new("RGB", size, (0, 128, 0)).save(out, format="HEIF")
    return out.getvalue()


def mp4_bytes(size: int = 4096) -> bytes:
    """An MP4 `ftyp` head padded with zeros to `size` bytes."""
    head = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2"
    return head + b"\x00" * (size - len(head))


def webm_clip() -> bytes:
    """A real, playable 20-second WebM (VP8, 64×48, 5 fps, 4.5 KB, with cues so a browser
    can seek it): tests/support/files/clip.webm, made once with PyAV (libvpx) since the
    machines have no ffmpeg."""
    return (Path(__file__).parent / "files" / "clip.webm").read_bytes()


def pdf_bytes() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


def exe_bytes() -> bytes:
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200


def office_zip(kind: str) -> bytes:
    """A minimal OOXML/ODF container: enough structure for sniffing, not for Word."""
    parts = {
        "docx": ["[Content_Types].xml", "_rels/.rels", "word/document.xml"],
        "xlsx": ["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml"],
        "pptx": ["[Content_Types].xml", "_rels/.rels", "ppt/presentation.xml"],
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        if kind == "odt":
            archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
            archive.writestr("content.xml", "<office:document-content/>")
        elif kind == "zip":
            archive.writestr("notes.txt", "just a zip")
        else:
            for name in parts[kind]:
                archive.writestr(name, "<xml/>")
    return out.getvalue()
