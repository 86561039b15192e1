"""`manage.py backup` and `restore`: a round trip that loses nothing (every table's count
and checksum, and the photos' files), on SQLite and on PostgreSQL, into an empty database
only. Each runs the commands as an operator would, in processes of their own."""

import json
import os
import uuid
from pathlib import Path

import dj_database_url
import pytest

from tests import processes

# Data of every kind the portal keeps: the report, a member's comment, an edit with its
# history, a photo with its files, the search index.
MAKE_DATA = """
import io
from PIL import Image
from django.core.files.uploadedfile import SimpleUploadedFile
from feedback import services
from initiatives.models import CaseStudy, Initiative, Photo
from initiatives.photos import photo_clean
from search import index
from tests.factories import user_with_role
from wards.roles import Role

member = user_with_role(Role.COMMITTEE, username="iin")
services.comment_create(author=member, case_study=CaseStudy.objects.first(), topic="", body="意見")
initiative = Initiative.objects.order_by("pk").first()
initiative.title = initiative.title + "（改）"
initiative.save()
buffer = io.BytesIO()
Image.new("RGB", (200, 150), "green").save(buffer, "PNG")
image, thumbnail = photo_clean(SimpleUploadedFile("p.png", buffer.getvalue()))
photo = Photo(initiative=initiative, position=99, caption="公園", alt_text="公園の写真")
photo.image.save("p.jpg", image, save=False)
photo.thumbnail.save("p-thumb.jpg", thumbnail, save=False)
photo.save()
index.rebuild()
"""

COUNT = """
from feedback.models import Opinion
from initiatives.models import Initiative, Photo
from search.models import SearchDocument
print(Initiative.history.count(), Opinion.objects.from_members().count(),
      Photo.objects.exclude(image="").count(), SearchDocument.objects.count())
"""


def manage(*args, environ):
    return processes.manage(
        *args,
        environ=environ,
        without=("DATABASE_URL", "MEDIA_ROOT", "BACKUP_DIR", "DEBUG"),
        timeout=600,
    )


def ok(result):
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def round_trip(source: dict, target: dict, tmp_path: Path):
    source = {**source, "MEDIA_ROOT": str(tmp_path / "media"), "BACKUP_DIR": str(tmp_path / "b")}
    target = {**target, "MEDIA_ROOT": str(tmp_path / "restored-media")}
    ok(manage("migrate", "--noinput", environ=source))
    ok(manage("load_report", environ=source))
    ok(manage("shell", "-c", MAKE_DATA, environ=source))
    before = ok(manage("shell", "-c", COUNT, environ=source)).splitlines()[-1].split()

    ok(manage("backup", environ=source))
    (folder,) = (tmp_path / "b").iterdir()
    restored = ok(manage("restore", str(folder), environ=target))

    assert "every count and checksum matches" in restored
    manifest = json.loads((folder / "manifest.json").read_text())
    tables = manifest["database"]["tables"]
    for table in (
        "initiatives_historicalinitiative",
        "feedback_opinion",
        "initiatives_photo",
        "search_searchdocument",
        "django_migrations",
    ):
        assert tables[table]["rows"] > 0, table
    assert len(manifest["media"]) == 2  # the photo and its thumbnail
    after = ok(manage("shell", "-c", COUNT, environ=target)).splitlines()[-1].split()
    assert after == before
    assert all(int(count) > 0 for count in after)
    for name in manifest["media"]:
        assert (tmp_path / "restored-media" / name).is_file()
    return folder, target


POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


@pytest.fixture(params=["sqlite", "postgresql"])
def databases(request, tmp_path):
    """A source and an empty target database of one vendor, as ``round_trip`` takes them."""
    if request.param == "sqlite":
        yield (
            {"DATABASE_URL": f"sqlite:///{tmp_path / 'source.sqlite3'}"},
            {"DATABASE_URL": f"sqlite:///{tmp_path / 'restored.sqlite3'}"},
        )
        return
    if not POSTGRES:
        pytest.skip("DATABASE_URL is not PostgreSQL")
    server = dj_database_url.parse(os.environ["DATABASE_URL"])
    base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    suffix = uuid.uuid4().hex[:8]
    names = [f"{server['NAME']}_bk_src_{suffix}", f"{server['NAME']}_bk_dst_{suffix}"]
    admin = {"DATABASE_URL": f"{base}/postgres"}
    for name in names:
        ok(manage("dbshell", "--", "-c", f'CREATE DATABASE "{name}"', environ=admin))
    try:
        yield ({"DATABASE_URL": f"{base}/{names[0]}"}, {"DATABASE_URL": f"{base}/{names[1]}"})
    finally:
        for name in names:
            manage("dbshell", "--", "-c", f'DROP DATABASE IF EXISTS "{name}"', environ=admin)


def test_the_round_trip_loses_nothing_and_refuses_a_database_that_is_not_empty(databases, tmp_path):
    folder, target = round_trip(*databases, tmp_path)

    again = manage("restore", str(folder), environ=target)

    assert again.returncode != 0
    assert "the database is not empty" in again.stderr


def test_a_restore_that_does_not_match_its_manifest_fails(tmp_path):
    source = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'source.sqlite3'}",
        "BACKUP_DIR": str(tmp_path / "b"),
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    ok(manage("migrate", "--noinput", environ=source))
    ok(manage("backup", environ=source))
    (folder,) = (tmp_path / "b").iterdir()
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["database"]["tables"]["django_migrations"]["rows"] += 1
    (folder / "manifest.json").write_text(json.dumps(manifest))

    result = manage(
        "restore",
        str(folder),
        environ={
            "DATABASE_URL": f"sqlite:///{tmp_path / 'restored.sqlite3'}",
            "MEDIA_ROOT": str(tmp_path / "m2"),
        },
    )

    assert result.returncode != 0
    assert "table django_migrations" in result.stderr
