from django.core.management.base import BaseCommand

from assessments.cohorts.progress import progress_rebuild


class Command(BaseCommand):
    help = "Count every team's progress in every cohort again from its people."

    def handle(self, *args, **options) -> None:
        rows = progress_rebuild()
        self.stdout.write(f"Counted {rows} teams' progress again.")
