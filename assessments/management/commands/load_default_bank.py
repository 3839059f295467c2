from django.core.management.base import BaseCommand, CommandError

from assessments.banks.rules import DEFAULT_BANK_PATHS, BankFormatError, read_bank_file
from assessments.banks.services import bank_import


class Command(BaseCommand):
    help = (
        "Load every version of the default question bank and publish them, with the "
        "translations the files carry; the newest is the one new attempts use. Safe to run "
        "again: a version already loaded stays as it is (published versions never change), "
        "while the dimensions take the files' names and translations."
    )

    def handle(self, *args, **options) -> None:
        for path in DEFAULT_BANK_PATHS:
            try:
                version, created = bank_import(data=read_bank_file(path), shipped=True)
            except BankFormatError as error:
                raise CommandError(f"{path.name}: {error}") from error
            state = "Loaded" if created else "Already loaded:"
            self.stdout.write(
                f"{state} {version} with {version.items.count()} items, "
                f"in {', '.join(version.languages)}."
            )
