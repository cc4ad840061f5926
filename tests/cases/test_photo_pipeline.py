"""Photos are re-encoded with Pillow: metadata (GPS) gone, size capped, non-images refused."""

import io

import pytest
from PIL import ExifTags, Image

from cases.photos import LONG_SIDE, MAX_BYTES, PhotoError, clean_photo

from .photo_bytes import jpeg_with_gps, png, png_bomb, upload


def test_the_gps_position_and_camera_are_gone_and_the_size_is_capped():
    original = jpeg_with_gps(3000, 2000)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    clean = clean_photo(upload(original))
    stored = Image.open(io.BytesIO(clean.content.read()))
    assert stored.format == "JPEG"
    assert (stored.width, stored.height) == (LONG_SIDE, round(LONG_SIDE * 2000 / 3000))
    assert (clean.width, clean.height) == stored.size
    exif = stored.getexif()
    assert len(exif) == 0 and not exif.get_ifd(ExifTags.IFD.GPSInfo)
    assert "exif" not in stored.info


def test_a_png_becomes_a_jpeg_on_white():
    clean = clean_photo(upload(png(), "shot.png", "image/png"))
    stored = Image.open(io.BytesIO(clean.content.read()))
    assert stored.format == "JPEG" and stored.mode == "RGB" and stored.size == (40, 30)


def test_a_file_that_is_not_an_image_is_refused():
    with pytest.raises(PhotoError, match="not a JPEG, PNG or WebP"):
        clean_photo(upload(b"%PDF-1.4 not a picture at all", "doc.jpg"))


def test_a_decompression_bomb_is_refused_before_it_is_decoded():
    with pytest.raises(PhotoError, match="too many pixels"):
        clean_photo(upload(png_bomb(), "bomb.png", "image/png"))


def test_a_file_over_five_megabytes_is_refused():
    with pytest.raises(PhotoError, match="larger than 5 MB"):
        clean_photo(upload(b"\xff\xd8" + b"\0" * MAX_BYTES, "huge.jpg"))
