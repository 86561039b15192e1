"""Load the source report section (fixtures/) into an empty database.

``make run`` calls this every time, so it loads nothing once the report is there:
staff may have edited the loaded objects since. ``--force`` loads the fixtures again,
overwriting the report's own objects (and only those) with the fixtures' text.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from feedback.models import Opinion
from initiatives.models import (
    CaseStudy,
    Commitment,
    FocusArea,
    Initiative,
    Measure,
    Pillar,
    PillarItem,
    Report,
    Vision,
)
from search import index
from wards.models import Department, Ward

REPORT_SLUG = "section-2"
# In dependency order: wards before the report, the report before its initiatives, their
# commitments (the future directions) and the opinions.
FIXTURES = ["wards", "report", "initiatives", "commitments", "opinions"]
SUMMARY_MODELS = [
    Ward,
    Department,
    Vision,
    FocusArea,
    Measure,
    Pillar,
    PillarItem,
    CaseStudy,
    Initiative,
    Commitment,
    Opinion,
]


class Command(BaseCommand):
    help = "Load the committee report section (第2節) from fixtures/, unless it is loaded already."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load the fixtures even if the report is there, overwriting its objects.",
        )

    def handle(self, *args, force=False, **options):
        if not force and Report.objects.filter(slug=REPORT_SLUG).exists():
            self.stdout.write("The report is already loaded; nothing to do (--force reloads it).")
            return
        with transaction.atomic():
            call_command("loaddata", *FIXTURES, verbosity=0)
            # loaddata saves raw, which the search index's signals skip.
            index.rebuild()
        counts = ", ".join(
            f"{model.objects.count()} {model._meta.verbose_name_plural}" for model in SUMMARY_MODELS
        )
        message = f"Loaded the report; the database now holds {counts}."
        self.stdout.write(self.style.SUCCESS(message))
