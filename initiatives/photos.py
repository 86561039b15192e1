"""Checks and cleans uploaded photos before they reach storage.

The photos show children at play: an upload is decoded and written anew, so that
no EXIF metadata (GPS location, camera, time) survives, whatever the file held.
Files go through Django's storage API only (the model's ImageField), so media can
live in object storage.
"""

import io
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
MAX_SIDE = 6000
MIN_SIDE = 100
THUMBNAIL_SIZE = (480, 480)
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}


def photo_clean(upload) -> tuple[ContentFile, ContentFile]:
    """Check an uploaded photo and return it re-encoded without metadata, and its thumbnail.

    Raises ValidationError (with a code) when the file is too large, is not a JPEG,
    PNG or WebP image by its content, or has too many or too few pixels.
    """
    if upload.size > MAX_BYTES:
        raise ValidationError(
            _("The file is %(size)s; a photo may be at most %(limit)s."),
            code="too_large",
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(MAX_BYTES)},
        )
    image = _open_checked(upload)
    # Turn the pixels as the camera's orientation tag says before the tag goes.
    image = ImageOps.exif_transpose(image)
    name = uuid.uuid4().hex
    photo = _encode(image, name)
    thumbnail = image.copy()
    thumbnail.thumbnail(THUMBNAIL_SIZE)
    return photo, _encode(thumbnail, f"{name}-thumbnail")


def _open_checked(upload) -> Image.Image:
    """Open the image, check its format and dimensions from its header, then decode it.

    ``Image.open`` reads the header only: a 9,400 × 9,400 PNG that compresses to a few
    hundred kilobytes is refused before its 88 million pixels are decoded.
    """
    not_an_image = ValidationError(
        _("The file is not a JPEG, PNG or WebP image (checked by its content, not its name)."),
        code="not_an_image",
    )
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            if probe.format not in ACCEPTED_FORMATS:
                raise not_an_image
            _check_dimensions(*probe.size)
            probe.verify()
        upload.seek(0)
        image = Image.open(upload)
        _check_dimensions(*image.size)
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise not_an_image from None
    return image


def _check_dimensions(width: int, height: int) -> None:
    if max(width, height) > MAX_SIDE or min(width, height) < MIN_SIDE:
        raise ValidationError(
            _(
                "The photo is %(width)s×%(height)s pixels; each side must be between "
                "%(min)s and %(max)s pixels."
            ),
            code="bad_dimensions",
            params={"width": width, "height": height, "min": MIN_SIDE, "max": MAX_SIDE},
        )


def _encode(image: Image.Image, name: str) -> ContentFile:
    """A new file from the pixels alone: no EXIF, XMP or text chunks are written."""
    buffer = io.BytesIO()
    if image.mode in ("RGBA", "LA", "P"):
        image.convert("RGBA").save(buffer, format="PNG", optimize=True)
        extension = "png"
    else:
        image.convert("RGB").save(buffer, format="JPEG", quality=85, optimize=True)
        extension = "jpg"
    return ContentFile(buffer.getvalue(), name=f"{name}.{extension}")
