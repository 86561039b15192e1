"""Photo uploads: real images only, limits, no EXIF (GPS) kept, thumbnails, storage API."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from initiatives.admin import PhotoForm
from initiatives.models import Photo
from initiatives.photos import MAX_BYTES, THUMBNAIL_SIZE
from tests.factories import InitiativeFactory, PhotoFactory, ward
from tests.initiatives.test_admin_access import initiative_form_data

pytestmark = pytest.mark.django_db

GPS = ExifTags.IFD.GPSInfo


@pytest.fixture(autouse=True)
def memory_storage(settings):
    """Files go through Django's storage API only: an in-memory backend proves it."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


def image_bytes(size=(800, 600), image_format="JPEG", mode="RGB", gps=True):
    image = Image.new(mode, size, "orange")
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "KawasakiCam"
    if gps:
        exif[GPS] = {ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (35.0, 32.0, 0.0)}
    buffer = io.BytesIO()
    image.save(buffer, format=image_format, exif=exif)
    return buffer.getvalue()


def photo_form(upload=None, instance=None, **fields):
    initiative = instance.initiative if instance else InitiativeFactory(ward=ward("saiwai"))
    data = {"initiative": initiative.pk, "position": 0, "caption": "遊ぶ子ども", "alt_text": "公園"}
    files = {"image": upload} if upload is not None else {}
    return PhotoForm(data | fields, files, instance=instance)


def test_an_uploaded_photo_loses_its_exif_gps_included_and_gets_a_thumbnail():
    original = image_bytes(size=(1600, 1200))
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS)
    form = photo_form(SimpleUploadedFile("child.jpg", original))

    assert form.is_valid(), form.errors
    photo = form.save()

    with default_storage.open(photo.image.name) as stored:
        image = Image.open(stored)
        assert not image.getexif()
        assert image.size == (1600, 1200)
    with default_storage.open(photo.thumbnail.name) as stored:
        thumbnail = Image.open(stored)
        assert max(thumbnail.size) == max(THUMBNAIL_SIZE)
        assert not thumbnail.getexif()
    assert "child" not in photo.image.name


def test_a_png_with_transparency_stays_a_png_without_metadata():
    form = photo_form(SimpleUploadedFile("logo.png", image_bytes(image_format="PNG", mode="RGBA")))

    assert form.is_valid(), form.errors
    photo = form.save()

    assert photo.image.name.endswith(".png")
    with default_storage.open(photo.image.name) as stored:
        assert not Image.open(stored).getexif()


def test_a_file_that_is_not_an_image_is_refused_whatever_its_name():
    form = photo_form(SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not a photo" * 100))

    assert not form.is_valid()
    assert "image" in form.errors
    assert not Photo.objects.exists()


def test_an_image_in_a_format_we_do_not_take_is_refused():
    form = photo_form(SimpleUploadedFile("photo.jpg", image_bytes(image_format="BMP", gps=False)))

    assert not form.is_valid()
    assert form.errors.as_data()["image"][0].code == "not_an_image"


def test_a_photo_over_the_size_limit_is_refused_with_the_limit_named():
    upload = SimpleUploadedFile("huge.jpg", image_bytes() + b"\0" * MAX_BYTES)

    form = photo_form(upload)

    assert not form.is_valid()
    error = form.errors.as_data()["image"][0]
    assert error.code == "too_large"
    assert "10.0" in form.errors["image"][0]


@pytest.mark.parametrize("size", [(6001, 200), (50, 400)])
def test_a_photo_with_too_many_or_too_few_pixels_is_refused(size):
    form = photo_form(SimpleUploadedFile("wide.jpg", image_bytes(size=size, gps=False)))

    assert not form.is_valid()
    assert form.errors.as_data()["image"][0].code == "bad_dimensions"


def test_a_new_photo_needs_an_image_alt_text_and_caption():
    form = photo_form(alt_text="", caption="")

    assert not form.is_valid()
    assert set(form.errors) == {"image", "alt_text", "caption"}


def test_a_photo_of_the_report_may_stay_without_an_image_file():
    photo = PhotoFactory(caption="ふれあい広場", alt_text="広場で遊ぶ子ども")

    form = photo_form(instance=photo, caption="ふれあい広場（2010年）", alt_text=photo.alt_text)

    assert form.is_valid(), form.errors
    assert form.save().caption == "ふれあい広場（2010年）"


def test_ward_staff_upload_a_photo_inline_with_its_initiative(client, saiwai_staff):
    client.force_login(saiwai_staff)
    data = initiative_form_data(title="写真つき")
    data |= {
        "photos-TOTAL_FORMS": 1,
        "photos-0-position": 0,
        "photos-0-caption": "遊ぶ子ども",
        "photos-0-alt_text": "公園で遊ぶ子どもたち",
        "photos-0-image": SimpleUploadedFile("a.jpg", image_bytes()),
    }

    response = client.post("/admin/initiatives/initiative/add/", data)

    assert response.status_code == 302
    photo = Photo.objects.get()
    assert photo.initiative.title == "写真つき"
    with default_storage.open(photo.image.name) as stored:
        assert not Image.open(stored).getexif()
    assert photo.history.get().history_user == saiwai_staff
