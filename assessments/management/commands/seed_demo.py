"""Demo people with a history of attempts, so the history pages have something to show."""

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from assessments import scoring, services
from assessments.models import Attempt, BankVersion

DEMO_PASSWORD = "spectrum-demo"  # noqa: S105 - printed in the README, demo data only
# username -> how strongly each attempt leans to the leader end (0..1), oldest first
DEMO_PEOPLE = {
    "demo": (0.30, 0.45, 0.60),
    "demo-seller": (0.20, 0.25),
    "demo-leader": (0.70, 0.80, 0.75, 0.85),
}


def likert_toward(lean: float, pole: str, rng: random.Random) -> int:
    """An answer that leans to the leader end by ``lean``, with some noise."""
    agreement = lean if pole == scoring.LEADER else 1 - lean
    value = round(scoring.LIKERT_MIN + agreement * 4 + rng.uniform(-1.2, 1.2))
    return min(scoring.LIKERT_MAX, max(scoring.LIKERT_MIN, value))


class Command(BaseCommand):
    help = "Create demo accounts with past attempts. Safe to run again."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        version = BankVersion.objects.current()
        if version is None:
            raise CommandError("Load a question bank first: manage.py load_default_bank")
        items = list(version.items.all())
        rng = random.Random(2026)  # noqa: S311 - demo answers, not security
        User = get_user_model()
        for username, leans in DEMO_PEOPLE.items():
            if User.objects.filter(username=username).exists():
                continue
            user = User.objects.create_user(username, f"{username}@example.com", DEMO_PASSWORD)
            for index, lean in enumerate(leans):
                taken = timezone.now() - timedelta(days=90 * (len(leans) - index))
                attempt = Attempt.objects.create(bank_version=version, user=user, started_at=taken)
                services.responses_save(
                    attempt=attempt,
                    answers={item.pk: likert_toward(lean, item.pole, rng) for item in items},
                )
                services.attempt_submit(attempt=attempt, now=taken + timedelta(minutes=6))
            self.stdout.write(f"Created {username} with {len(leans)} results.")
        self.stdout.write(f"Demo accounts sign in with the password {DEMO_PASSWORD!r}.")
