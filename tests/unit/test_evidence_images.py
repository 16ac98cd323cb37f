"""Photo cost: pixel limits refused before decoding, big photos decoded reduced, and a
bound on how many photos are decoded at once."""

import io

import pytest
from PIL import Image

from server.errors import InvalidInput
from server.evidence import images
from server.evidence.sniff import JPEG, PNG
from tests.support.media import jpeg_bytes, png_bytes


def _png(size, mode="1") -> io.BytesIO:
    return io.BytesIO(png_bytes(size, mode))  # a few KB, whatever the canvas


def _jpeg(size) -> io.BytesIO:
    return io.BytesIO(jpeg_bytes(size=size, quality=70))


def test_a_64_megapixel_png_is_refused_before_decoding():
    # 8000 x 8000 sits just under Pillow's own limit: it used to cost ~300 MB to process.
    with pytest.raises(InvalidInput) as refused:
        images.clean_image(_png((8000, 8000)), PNG)
    assert "over 40 megapixels" in refused.value.message


def test_a_phones_48_megapixel_jpeg_is_kept_as_it_decodes_at_half_scale():
    # 8000 x 6000 is over the 40 MP limit, but Image.draft decodes it at 4000 x 3000.
    cleaned = images.clean_image(_jpeg((8000, 6000)), JPEG)
    assert (cleaned.width, cleaned.height) == (images.MAX_SIDE, 1200)


def test_a_jpeg_past_pillows_bomb_limit_is_still_refused():
    with pytest.raises(InvalidInput) as refused:
        images.clean_image(_jpeg((12000, 8000)), JPEG)  # 96 MP
    assert "megapixels" in refused.value.message


def test_the_pixel_limit_is_a_setting():
    with pytest.raises(InvalidInput):
        images.clean_image(_png((1100, 1000)), PNG, max_pixels=1_000_000)
    assert images.clean_image(_png((1000, 1000)), PNG, max_pixels=1_000_000).width == 1000


def test_a_large_allowed_photo_is_kept_at_a_bounded_size():
    cleaned = images.clean_image(_jpeg((6000, 4500)), JPEG)  # 27 MP, under the limit
    # Decoded at half scale (Image.draft, never held at full size), then made 1600 px.
    assert (cleaned.width, cleaned.height) == (images.MAX_SIDE, 1200)
    png = images.clean_image(_png((5000, 2000), mode="RGB"), PNG)
    assert (png.width, png.height) == (images.MAX_SIDE, 640)
    stored = Image.open(cleaned.body)
    assert stored.size == (cleaned.width, cleaned.height)


def test_only_so_many_photos_are_decoded_at_once(monkeypatch):
    monkeypatch.setattr(images, "WAIT_FOR_TURN_SECONDS", 0.01)
    gate = images._gate(1)
    gate.acquire()  # another upload holds the only turn
    try:
        with pytest.raises(images.Busy) as busy:
            images.clean_image(_jpeg((50, 40)), JPEG, workers=1)
        assert busy.value.status_code == 503
    finally:
        gate.release()
    assert images.clean_image(_jpeg((50, 40)), JPEG, workers=1).width == 50


def test_a_big_jpeg_is_decoded_reduced_never_at_full_size(monkeypatch):
    # What Pillow holds in memory is what load() decoded: 6000 x 4500 must arrive at half
    # scale (Image.draft), 3000 x 2250, the smallest that still keeps 1600 px a side.
    photo = _jpeg((6000, 4500))
    loaded: list[tuple[int, int]] = []
    load = Image.Image.load

    def spy(image):
        pixels = load(image)
        loaded.append(image.size)
        return pixels

    monkeypatch.setattr(Image.Image, "load", spy)
    images.clean_image(photo, JPEG)
    assert loaded and max(w * h for w, h in loaded) == 3000 * 2250
