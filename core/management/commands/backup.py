"""``manage.py backup``: one timestamped folder under BACKUP_DIR (core.backup)."""

import json
import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core import backup


class Command(BaseCommand):
    help = "Back up the database (pg_dump or SQLite's online backup), media and a manifest."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir",
            default=os.environ.get("BACKUP_DIR", str(settings.BASE_DIR / "backups")),
            help="where backup folders go (BACKUP_DIR; default backups/)",
        )

    def handle(self, *args, **options):
        try:
            folder = backup.backup(Path(options["dir"]))
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        tables = json.loads((folder / backup.MANIFEST).read_text())["database"]["tables"]
        rows = sum(table["rows"] for table in tables.values())
        self.stdout.write(f"{folder}: {len(tables)} tables, {rows} rows")
