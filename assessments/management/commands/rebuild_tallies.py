from django.core.management.base import BaseCommand
from django.db import transaction

from assessments.dashboards.tallies import tallies_rebuild


class Command(BaseCommand):
    help = "Recount the dashboards' running totals from the stored results."

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            rows = tallies_rebuild()
        self.stdout.write(f"Rebuilt {rows} tally rows.")
