"""Backups of the whole portal: the database, the media files and a manifest to check them.

One backup is one folder, ``<BACKUP_DIR>/<UTC time>/``:

- ``database.dump``: ``pg_dump --format=custom`` on PostgreSQL, or ``database.sqlite3``,
  a copy made with SQLite's online backup API (consistent while the portal runs);
- ``media/``: a copy of ``MEDIA_ROOT`` (the photos);
- ``manifest.json``: when, from which database engine, and for every table its row
  count and a SHA-256 of its rows (in primary-key order), and a SHA-256 per media file.

On PostgreSQL the counts and checksums are read in the very snapshot that ``pg_dump``
dumps (``pg_export_snapshot``), so a write during the backup cannot make them disagree.
``dumpdata``/``loaddata`` is not used: it does not round-trip django-simple-history's
tables into a fresh database (DESIGN.md).

A restore goes into an *empty* database only (no table at all), then reads every table
back and compares its count and checksum with the manifest, and each media file's.
Every table is listed by the database itself, so history, comments, photos, the search
index, the caches and the migrations table are all covered without being named.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import connection

MANIFEST = "manifest.json"
PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"


class BackupError(Exception):
    pass


# --- Reading tables ----------------------------------------------------------


def _plain(value):
    """A row value in a form whose repr does not depend on the driver's object identity."""
    if isinstance(value, memoryview):
        return bytes(value)
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return value.astimezone(datetime.UTC).isoformat()
    return value


def table_digest(cursor, quote, table: str) -> tuple[int, str]:
    """The table's row count and a SHA-256 of all its rows, ordered by every column."""
    cursor.execute(f"SELECT * FROM {quote(table)} WHERE 1 = 0")
    width = len(cursor.description)
    order = ", ".join(str(i) for i in range(1, width + 1))
    cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY {order}")
    digest = hashlib.sha256()
    rows = 0
    while batch := cursor.fetchmany(2000):
        for row in batch:
            digest.update(repr(tuple(_plain(value) for value in row)).encode())
            digest.update(b"\n")
        rows += len(batch)
    return rows, digest.hexdigest()


def _pg_quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def pg_tables(cursor) -> list[str]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1")
    return [name for (name,) in cursor.fetchall()]


def sqlite_tables(cursor) -> list[str]:
    cursor.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY 1"
    )
    return [name for (name,) in cursor.fetchall()]


def digest_tables(cursor, tables, quote) -> dict[str, dict]:
    return {
        table: dict(zip(("rows", "checksum"), table_digest(cursor, quote, table), strict=True))
        for table in tables
    }


def media_digests(root: Path) -> dict[str, str]:
    if not root.is_dir():
        return {}
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


# --- PostgreSQL ---------------------------------------------------------------


def _pg_environ() -> dict[str, str]:
    """libpq's variables for the default database, so that no password is on a command line."""
    db = settings.DATABASES["default"]
    environ = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if db.get(key):
            environ[variable] = str(db[key])
    return environ


def _pg_backup(folder: Path) -> dict:
    connection.ensure_connection()
    with connection.cursor() as cursor:
        # One snapshot for the dump and for the manifest's counts and checksums.
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        try:
            cursor.execute("SELECT pg_export_snapshot()")
            (snapshot,) = cursor.fetchone()
            _pg_run(
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                f"--file={folder / PG_DUMP}",
            )
            tables = digest_tables(cursor, pg_tables(cursor), _pg_quote)
        finally:
            cursor.execute("COMMIT")
    return {"engine": "postgresql", "file": PG_DUMP, "tables": tables}


def _pg_restore(folder: Path) -> None:
    _pg_run(
        "pg_restore",
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        "--single-transaction",
        f"--dbname={_pg_environ().get('PGDATABASE', '')}",
        str(folder / PG_DUMP),
    )


def _pg_run(program: str, *arguments: str) -> None:
    """Runs one of PostgreSQL's client programs on the portal's database; its complaint,
    if it fails, becomes the BackupError."""
    run = subprocess.run(
        [program, *arguments], env=_pg_environ(), capture_output=True, text=True, check=False
    )
    if run.returncode != 0:
        raise BackupError(f"{program} failed: {run.stderr.strip()}")


# --- SQLite -------------------------------------------------------------------


def _sqlite_path() -> str:
    return str(settings.DATABASES["default"]["NAME"])


def _sqlite_backup(folder: Path) -> dict:
    target = folder / SQLITE_COPY
    source = sqlite3.connect(_sqlite_path())
    try:
        with sqlite3.connect(target) as copy:
            source.backup(copy)
    finally:
        source.close()
    # The manifest is read from the copy: it is what a restore gets.
    copy = sqlite3.connect(target)
    try:
        cursor = copy.cursor()
        tables = digest_tables(cursor, sqlite_tables(cursor), _pg_quote)
    finally:
        copy.close()
    return {"engine": "sqlite", "file": SQLITE_COPY, "tables": tables}


def _sqlite_restore(folder: Path) -> None:
    source = sqlite3.connect(folder / SQLITE_COPY)
    try:
        with sqlite3.connect(_sqlite_path()) as target:
            source.backup(target)
    finally:
        source.close()


# --- Backup and restore ------------------------------------------------------


def backup(root: Path) -> Path:
    """Write one backup folder under ``root``; returns it."""
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    folder = root / stamp
    folder.mkdir(parents=True)
    try:
        vendor = connection.vendor
        if vendor == "postgresql":
            database = _pg_backup(folder)
        elif vendor == "sqlite":
            database = _sqlite_backup(folder)
        else:
            raise BackupError(f"no backup for the {vendor} database engine")
        media_root = Path(settings.MEDIA_ROOT)
        if media_root.is_dir():
            shutil.copytree(media_root, folder / "media")
        manifest = {
            "created_at": stamp,
            "database": database,
            "media": media_digests(folder / "media"),
        }
        (folder / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return folder


def current_tables() -> list[str]:
    with connection.cursor() as cursor:
        return pg_tables(cursor) if connection.vendor == "postgresql" else sqlite_tables(cursor)


def _digest_now() -> dict[str, dict]:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            return digest_tables(cursor, pg_tables(cursor), _pg_quote)
    # SQLite's own driver, without Django's type converters, as the backup was read.
    raw = sqlite3.connect(_sqlite_path())
    try:
        cursor = raw.cursor()
        return digest_tables(cursor, sqlite_tables(cursor), _pg_quote)
    finally:
        raw.close()


def verify(manifest: dict) -> list[str]:
    """What differs between the database and media files now and the manifest."""
    problems = []
    found = _digest_now()
    expected = manifest["database"]["tables"]
    for table in sorted(set(expected) | set(found)):
        if table not in found:
            problems.append(f"table {table}: missing")
        elif table not in expected:
            problems.append(f"table {table}: not in the backup")
        elif found[table] != expected[table]:
            problems.append(
                f"table {table}: {found[table]['rows']} rows and checksum "
                f"{found[table]['checksum'][:12]}, the backup has {expected[table]['rows']} "
                f"and {expected[table]['checksum'][:12]}"
            )
    media = media_digests(Path(settings.MEDIA_ROOT))
    for name, checksum in manifest["media"].items():
        if media.get(name) != checksum:
            problems.append(f"media {name}: {'differs' if name in media else 'missing'}")
    return problems


def restore(folder: Path) -> dict:
    """Restore ``folder`` into the empty default database and MEDIA_ROOT, then verify."""
    manifest = json.loads((folder / MANIFEST).read_text())
    engine = manifest["database"]["engine"]
    if engine != connection.vendor:
        raise BackupError(f"the backup is of a {engine} database, this is {connection.vendor}")
    if tables := current_tables():
        raise BackupError(
            f"the database is not empty ({len(tables)} tables, e.g. {tables[0]}): "
            "a restore goes into an empty database only"
        )
    media_root = Path(settings.MEDIA_ROOT)
    clashes = [
        name
        for name in manifest["media"]
        if (media_root / name).exists()
        and hashlib.sha256((media_root / name).read_bytes()).hexdigest() != manifest["media"][name]
    ]
    if clashes:
        raise BackupError(f"MEDIA_ROOT holds other files of the same names: {clashes[:3]}")
    connection.close()
    if engine == "postgresql":
        _pg_restore(folder)
    else:
        _sqlite_restore(folder)
    if (folder / "media").is_dir():
        shutil.copytree(folder / "media", media_root, dirs_exist_ok=True)
    if problems := verify(manifest):
        raise BackupError("the restore does not match the backup:\n" + "\n".join(problems))
    return manifest
