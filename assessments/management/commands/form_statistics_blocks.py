from django.core.management.base import BaseCommand

from assessments.banks.statistics import blocks_form
from assessments.models import BankVersion


class Command(BaseCommand):
    help = (
        "Release every full block of results of every bank version: the item statistics and "
        "the histogram percentiles are read from (banks/statistics.py). HR's statistics pages "
        "do this too when read; run it periodically so that percentiles appear without them. "
        "Safe to run at any time: a result is released in one block only."
    )

    def handle(self, *args, **options) -> None:
        formed = 0
        for version in BankVersion.objects.exclude(status=BankVersion.Status.DRAFT):
            formed += blocks_form(version)
        self.stdout.write(f"Released {formed} new block{'s' if formed != 1 else ''}.")
