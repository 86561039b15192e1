"""Delete the uploads that wait for an import's confirmation longer than they may.

An upload is kept until its preview is confirmed (``core.spreadsheets.UPLOAD_MAX_AGE``
at most: the confirm form's signature expires then); a preview that nobody confirms
leaves its file behind. Run this from cron, e.g. hourly.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from core.spreadsheets import UPLOAD_MAX_AGE, UPLOAD_NAME, UploadStorage


class Command(BaseCommand):
    help = "Delete unconfirmed import uploads older than their confirmation may come."

    def add_arguments(self, parser):
        parser.add_argument(
            "--max-age",
            type=int,
            default=UPLOAD_MAX_AGE,
            help="Seconds an upload may wait (default: %(default)s).",
        )

    def handle(self, *args, max_age, **options):
        upload = UploadStorage()
        storage, folder = upload.storage, upload.folder
        if not storage.exists(folder):
            self.stdout.write("0 uploads deleted.")
            return
        cutoff = timezone.now() - timedelta(seconds=max_age)
        deleted = 0
        for name in storage.listdir(folder)[1]:
            path = f"{folder}/{name}"
            # Only the names the storage gives: nothing else in the folder is touched.
            if UPLOAD_NAME.match(name) and storage.get_modified_time(path) < cutoff:
                storage.delete(path)
                deleted += 1
        self.stdout.write(f"{deleted} uploads deleted.")
