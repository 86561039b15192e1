from django.core.management.base import BaseCommand

from search import index


class Command(BaseCommand):
    help = "Rebuild the search index from the case studies, initiatives, measures and opinions."

    def handle(self, *args, **options):
        count = index.rebuild()
        self.stdout.write(f"Indexed {count} documents.")
