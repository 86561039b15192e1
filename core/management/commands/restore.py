"""``manage.py restore <folder>``: into an empty database, then counts and checksums checked."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core import backup


class Command(BaseCommand):
    help = "Restore a backup folder into an empty database and check every table against it."

    def add_arguments(self, parser):
        parser.add_argument("folder", help="a folder written by `manage.py backup`")

    def handle(self, *args, **options):
        folder = Path(options["folder"])
        if not (folder / backup.MANIFEST).is_file():
            raise CommandError(f"{folder} holds no {backup.MANIFEST}: not a backup folder")
        try:
            manifest = backup.restore(folder)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        tables = manifest["database"]["tables"]
        self.stdout.write(
            f"restored {folder}: {len(tables)} tables and {len(manifest['media'])} media files; "
            "every count and checksum matches"
        )
