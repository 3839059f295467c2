from django.core.management.base import BaseCommand, CommandError

from assessments.banks.rules import DEFAULT_BANK_PATH, BankFormatError, read_bank_file
from assessments.banks.services import bank_import


class Command(BaseCommand):
    help = "Load the default question bank and publish it. Safe to run again."

    def handle(self, *args, **options) -> None:
        try:
            version, created = bank_import(data=read_bank_file(DEFAULT_BANK_PATH), shipped=True)
        except BankFormatError as error:
            raise CommandError(str(error)) from error
        state = "Loaded" if created else "Already loaded:"
        self.stdout.write(f"{state} {version} with {version.items.count()} items.")
