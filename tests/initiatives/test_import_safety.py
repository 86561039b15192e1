"""Hostile imports: each refused with a message, nothing saved, nothing else touched.

Each test builds the real hostile file (an XLSX declaring a million rows, a PNG of
9,400 × 9,400 pixels that compresses to kilobytes, a tampered confirm form) and posts it
through the admin as a ward-staff member would.
"""

import io
import re
import struct
import time
import zipfile
import zlib
from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from PIL import ImageFile

from core.spreadsheets import MAX_BYTES, MAX_ROWS, sign_upload
from initiatives.models import Initiative, Photo
from tests.initiatives.imports import (
    CSV,
    IMPORT_URL,
    PROCESS_URL,
    XLSX,
    confirm,
    csv_bytes,
    snapshot,
    upload,
)

pytestmark = pytest.mark.django_db

GOOD_ROW = ["", "saiwai", "", "取組", "", "", "draft"]


def stored_uploads(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- the upload waits under a name the user never sees ----------------------


def test_the_confirm_form_carries_the_upload_signed_not_its_name(staff_client, upload_folder):
    preview = upload(staff_client, csv_bytes([GOOD_ROW]))

    [name] = stored_uploads(upload_folder)
    token = preview.context["confirm_form"].initial["import_file_name"]
    assert name not in token
    assert name not in preview.content.decode()


def test_a_preview_with_errors_leaves_no_upload_behind(staff_client, upload_folder):
    preview = upload(staff_client, csv_bytes([["", "atlantis", "", "取組", "", "", "draft"]]))

    assert "confirm_form" not in preview.context
    assert stored_uploads(upload_folder) == []


def test_a_confirmed_import_deletes_its_upload(staff_client, upload_folder):
    preview = upload(staff_client, csv_bytes([GOOD_ROW]))
    confirm(staff_client, preview)

    assert Initiative.objects.count() == 1
    assert stored_uploads(upload_folder) == []


def test_unconfirmed_uploads_are_cleaned_up_after_an_hour(staff_client, upload_folder):
    upload(staff_client, csv_bytes([GOOD_ROW]))
    upload(staff_client, csv_bytes([GOOD_ROW]))
    old, new = stored_uploads(upload_folder)
    hour_ago = (timezone.now() - timedelta(hours=2)).timestamp()
    import os

    os.utime(upload_folder / old, (hour_ago, hour_ago))
    stranger = upload_folder / "README"
    stranger.write_text("not an upload")
    out = io.StringIO()

    call_command("clean_import_uploads", stdout=out)

    assert stored_uploads(upload_folder) == sorted([new, "README"])
    assert "1" in out.getvalue()


# --- a tampered confirm form -------------------------------------------------


@pytest.fixture
def sentinel(tmp_path):
    """A file outside the upload folder that a tampered form might name."""
    path = tmp_path / "sentinel.txt"
    path.write_text("keep me")
    return path


def tampered(staff_client, form):
    before = snapshot()
    response = staff_client.post(PROCESS_URL, form)
    assert response.status_code == 302
    assert response["Location"] == IMPORT_URL
    assert snapshot() == before
    [message] = messages_of(response)
    assert "もう一度アップロードしてください" in message
    return message


@pytest.mark.parametrize(
    "name",
    [
        "../../sentinel.txt",
        "../sentinel.txt",
        "0123456789abcdef0123456789abcdef",
        "",
        "x" * 5000,
    ],
)
def test_a_confirm_form_naming_a_file_is_refused_and_touches_nothing(
    staff_client, upload_folder, sentinel, name
):
    preview = upload(staff_client, csv_bytes([GOOD_ROW]))
    form = {**preview.context["confirm_form"].initial, "import_file_name": name}
    stored = stored_uploads(upload_folder)

    tampered(staff_client, form)

    assert sentinel.read_text() == "keep me"
    assert stored_uploads(upload_folder) == stored


def test_another_users_upload_cannot_be_confirmed(client, saiwai_staff, tama_staff, upload_folder):
    client.force_login(saiwai_staff)
    form = upload(client, csv_bytes([GOOD_ROW])).context["confirm_form"].initial
    client.force_login(tama_staff)

    message = tampered(client, form)

    assert "あなたのアップロード" in message
    assert len(stored_uploads(upload_folder)) == 1


def test_a_signed_path_is_refused_too(staff_client, saiwai_staff, sentinel):
    form = {
        "import_file_name": sign_upload(
            name="../../sentinel.txt", user=saiwai_staff, file_format=CSV
        ),
        "original_file_name": "x.csv",
        "format": CSV,
        "resource": "0",
    }

    tampered(staff_client, form)

    assert sentinel.read_text() == "keep me"


@pytest.mark.parametrize("file_format", [XLSX, "7", "-1", "abc", ""])
def test_a_confirm_form_with_another_format_is_refused(staff_client, upload_folder, file_format):
    preview = upload(staff_client, csv_bytes([GOOD_ROW]))
    form = {**preview.context["confirm_form"].initial, "format": file_format}

    tampered(staff_client, form)


def test_a_confirm_form_with_an_unknown_resource_is_refused(staff_client):
    preview = upload(staff_client, csv_bytes([GOOD_ROW]))

    tampered(staff_client, {**preview.context["confirm_form"].initial, "resource": "9"})


def test_an_upload_swapped_for_binary_data_is_refused(staff_client, upload_folder):
    preview = upload(staff_client, csv_bytes([GOOD_ROW]))
    [name] = stored_uploads(upload_folder)
    (upload_folder / name).write_bytes(b"\x00\x01PK\x03\x04" * 1000)

    message = tampered(staff_client, preview.context["confirm_form"].initial)

    assert "バイナリ" in message
    assert stored_uploads(upload_folder) == []


def test_an_expired_upload_is_refused(staff_client, upload_folder):
    preview = upload(staff_client, csv_bytes([GOOD_ROW]))
    for path in upload_folder.iterdir():
        path.unlink()

    tampered(staff_client, preview.context["confirm_form"].initial)


def test_the_confirmation_only_takes_a_post(staff_client):
    assert staff_client.get(PROCESS_URL).status_code == 405


# --- files larger than the admin takes ---------------------------------------


def test_the_import_page_states_the_largest_file(staff_client):
    page = staff_client.get(IMPORT_URL).content.decode()

    assert f"{MAX_ROWS:,} 行" in page
    assert "10.0\xa0MB" in page


def test_a_file_over_the_size_limit_is_refused_before_it_is_stored(staff_client, upload_folder):
    content = csv_bytes([GOOD_ROW]) + b"," * (MAX_BYTES + 1)
    before = snapshot()

    preview = upload(staff_client, content)

    assert preview.status_code == 200
    assert "10.0\xa0MB" in str(preview.context["form"].errors["import_file"])
    assert stored_uploads(upload_folder) == []
    assert snapshot() == before


def test_a_csv_with_more_rows_than_the_admin_takes_is_refused(staff_client, upload_folder):
    content = csv_bytes([GOOD_ROW] * (MAX_ROWS + 1))
    before = snapshot()

    preview = upload(staff_client, content)

    assert "10,000 行" in str(preview.context["form"].errors["import_file"])
    assert stored_uploads(upload_folder) == []
    assert snapshot() == before


# --- an XLSX that declares more than it holds ---------------------------------


def xlsx_declaring(dimension: str, last_cell: str | None = None) -> bytes:
    """A small workbook whose sheet declares ``dimension``, with a cell at ``last_cell``."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["id", "ward", "case", "title", "aims", "fiscal_year_start", "status"])
    sheet.append(GOOD_ROW)
    buffer = io.BytesIO()
    book.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = re.sub(
                    r'<dimension ref="[^"]*"', f'<dimension ref="{dimension}"', data.decode()
                )
                if last_cell:
                    row = re.sub(r"\D", "", last_cell)
                    text = text.replace(
                        "</sheetData>",
                        f'<row r="{row}"><c r="{last_cell}" t="inlineStr"><is><t>x</t></is></c>'
                        "</row></sheetData>",
                    )
                data = text.encode()
            target.writestr(item, data)
    return out.getvalue()


def test_an_xlsx_bomb_is_refused_in_seconds(staff_client, upload_folder):
    bomb = xlsx_declaring("A1:XFD1048576", last_cell="XFD1048576")
    assert len(bomb) < 8 * 1024
    before = snapshot()
    start = time.process_time()

    preview = upload(staff_client, bomb, XLSX, "bomb.xlsx")

    assert time.process_time() - start < 10
    assert preview.status_code == 200
    assert "10,000 行" in str(preview.context["form"].errors["import_file"])
    assert "confirm_form" not in preview.context
    assert stored_uploads(upload_folder) == []
    assert snapshot() == before


def test_a_declared_dimension_is_not_believed(staff_client):
    sheet = xlsx_declaring("A1:XFD1048576")

    preview = upload(staff_client, sheet, XLSX, "declared.xlsx")

    assert preview.context["result"].totals["new"] == 1
    assert Initiative.objects.count() == 0


def test_a_zip_bomb_posing_as_xlsx_is_refused(staff_client, upload_folder):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        target.writestr("xl/worksheets/sheet1.xml", b" " * (300 * 1024 * 1024))
    assert len(out.getvalue()) < 1024 * 1024

    preview = upload(staff_client, out.getvalue(), XLSX, "zip.xlsx")

    assert preview.context["form"].errors["import_file"]
    assert stored_uploads(upload_folder) == []


# --- a photo that would take hundreds of megabytes to decode -------------------


def png_of(width: int, height: int) -> bytes:
    """A grey PNG of this size, written row by row: it never exists decoded in memory."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    compressor = zlib.compressobj(9)
    row = b"\x00" + b"\x80" * width
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def test_a_huge_photo_is_refused_from_its_header_without_decoding_it(monkeypatch, settings):
    from tests.initiatives.test_photos import photo_form

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    content = png_of(9400, 9400)
    assert len(content) < 400 * 1024
    decoded = []
    original_load = ImageFile.ImageFile.load
    monkeypatch.setattr(
        ImageFile.ImageFile,
        "load",
        lambda image: decoded.append(image.size) or original_load(image),
    )

    form = photo_form(SimpleUploadedFile("huge.png", content))

    assert not form.is_valid()
    assert "9400×9400" in str(form.errors["image"])
    assert decoded == []
    assert Photo.objects.count() == 0
