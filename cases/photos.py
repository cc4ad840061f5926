"""Photos sent with a case: checked, re-encoded and shrunk with Pillow before anything is stored.

Re-encoding is the point: what is stored is a fresh JPEG drawn from the pixels, so no metadata of
the original (EXIF with the GPS position, the phone's serial, XMP, comments) survives, and a file
that only pretends to be an image never reaches the storage. The phone's orientation tag is
applied to the pixels first, so the photo still stands the right way up without it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PHOTOS = 3
MAX_BYTES = 5 * 1024 * 1024
LONG_SIDE = 1600
# Phones take 12-50 megapixels; a file that decodes to more is refused, however small it is
# (a "decompression bomb" expands a few KB to gigabytes of memory).
MAX_PIXELS = 60_000_000
# Pillow's own guard, checked as it reads the header: above this it warns, above twice it refuses.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")  # JPEG includes MPO (a JPEG with a depth map)


class PhotoError(ValueError):
    """Why a photo was refused; the API reports it under `photos`."""


@dataclass(frozen=True)
class CleanPhoto:
    content: ContentFile
    width: int
    height: int


def clean_photo(upload: UploadedFile) -> CleanPhoto:
    """The photo as a new JPEG of at most LONG_SIDE px, without metadata; or PhotoError."""
    name = getattr(upload, "name", "") or "photo"
    if upload.size is not None and upload.size > MAX_BYTES:
        raise PhotoError(f"{name}: larger than {MAX_BYTES // (1024 * 1024)} MB")
    try:
        image = _open(upload)
        image.load()
    except Image.DecompressionBombError:
        raise PhotoError(f"{name}: too many pixels") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise PhotoError(f"{name}: not a JPEG, PNG or WebP image") from None
    image = ImageOps.exif_transpose(image)
    if image.mode != "RGB":
        image = _flatten(image)
    image.thumbnail((LONG_SIDE, LONG_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    # No exif=, icc_profile= or comment: the new file carries pixels only.
    image.save(out, format="JPEG", quality=82, optimize=True)
    return CleanPhoto(ContentFile(out.getvalue(), name="photo.jpg"), image.width, image.height)


def _open(upload: UploadedFile) -> Image.Image:
    upload.seek(0)
    image = Image.open(upload, formats=ACCEPTED_FORMATS)
    # Refuse at the limit itself, before decoding (Pillow only warns between 1x and 2x).
    if image.width * image.height > MAX_PIXELS:
        raise Image.DecompressionBombError("too many pixels")
    return image


def _flatten(image: Image.Image) -> Image.Image:
    """RGB on white, for PNGs with transparency or palettes."""
    rgba = image.convert("RGBA")
    background = Image.new("RGB", rgba.size, (255, 255, 255))
    background.paste(rgba, mask=rgba.getchannel("A"))
    return background
