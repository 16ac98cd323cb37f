"""The sniffing table: types come from magic bytes, checked per kind of evidence."""

import io

import pytest

from server.errors import InvalidInput
from server.evidence import sniff
from tests.support.media import (
    exe_bytes,
    gif_bytes,
    heic_bytes,
    jpeg_bytes,
    mp4_bytes,
    office_zip,
    pdf_bytes,
    png_bytes,
)


@pytest.mark.parametrize(
    "data, expected",
    [
        (jpeg_bytes(gps=True, size=(10, 10)), sniff.JPEG),
        (png_bytes(), sniff.PNG),
        (gif_bytes(), sniff.GIF),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 20, sniff.WEBP),
        (heic_bytes(), sniff.HEIC),
        (mp4_bytes(), sniff.MP4),
        (b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00qt  ", sniff.MOV),
        (b"\x00\x00\x00\x08wide\x00\x00\x00\x10mdat", sniff.MOV),
        (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm", sniff.WEBM),
        (pdf_bytes(), sniff.PDF),
        (office_zip("docx"), sniff.DOCX),
        (office_zip("xlsx"), sniff.XLSX),
        (office_zip("pptx"), sniff.PPTX),
        (office_zip("odt"), sniff.ODT),
        ("Lesson plan: fractions on a number line — día 1\n".encode(), sniff.TEXT),
    ],
)
def test_known_types_are_recognised(data, expected):
    assert sniff.sniff(io.BytesIO(data)) == expected


@pytest.mark.parametrize(
    "data",
    [
        exe_bytes(),
        office_zip("zip"),
        b"\x00\x01\x02binary",
        b"",
        b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x88matroska",
        b"\x00\x00\x00\x18ftypM4A \x00\x00\x00\x00",
    ],
)
def test_unknown_or_unwanted_types_are_not_recognised(data):
    assert sniff.sniff(io.BytesIO(data)) is None


def test_sniff_leaves_the_stream_at_its_start():
    stream = io.BytesIO(office_zip("docx"))
    sniff.sniff(stream)
    assert stream.tell() == 0


def test_a_renamed_exe_is_not_a_photo():
    with pytest.raises(InvalidInput) as refused:
        sniff.require_allowed("photo", io.BytesIO(exe_bytes()))
    assert refused.value.message == (
        "That file isn't a photo we can use (JPEG, PNG, WebP or HEIC)."
    )


@pytest.mark.parametrize(
    "kind, data, allowed",
    [
        ("photo", pdf_bytes(), False),
        ("photo", mp4_bytes(), False),
        ("video", jpeg_bytes(gps=True, size=(8, 8)), False),
        ("video", mp4_bytes(), True),
        ("file", pdf_bytes(), True),
        ("file", png_bytes(), True),
        ("file", office_zip("docx"), True),
        ("file", b"plain words", True),
        ("file", mp4_bytes(), False),
        ("file", exe_bytes(), False),
    ],
)
def test_allow_list_per_kind(kind, data, allowed):
    if allowed:
        assert sniff.require_allowed(kind, io.BytesIO(data)) in sniff.ALLOWED[kind]
    else:
        with pytest.raises(InvalidInput):
            sniff.require_allowed(kind, io.BytesIO(data))
