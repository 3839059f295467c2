"""Demo people with a history of attempts, and a demo cohort, so every page has
something to show."""

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from assessments.cohorts import participants as participant_services
from assessments.cohorts import services as cohort_services
from assessments.cohorts import teams as team_services
from assessments.content import scoring
from assessments.models import Attempt, BankVersion, Cohort
from assessments.roles import grant_role
from assessments.taking import services

DEMO_PASSWORD = "spectrum-demo"  # noqa: S105 - printed in the README, demo data only
# username -> how strongly each attempt leans to the leader end (0..1), oldest first
DEMO_PEOPLE = {
    "demo": (0.30, 0.45, 0.60),
    "demo-seller": (0.20, 0.25),
    "demo-leader": (0.70, 0.80, 0.75, 0.85),
}
DEMO_COHORT = "Sales managers, Q1 2027 (demo)"
# team -> (people, how many completed, lean of the team)
DEMO_TEAMS = {"EMEA sales": (8, 7, 0.35), "US sales": (7, 5, 0.55), "Platform": (3, 2, 0.7)}
# Platform has too few results to show: its dashboard explains why.
DEMO_MANAGED_TEAMS = ("EMEA sales", "Platform")


def likert_toward(lean: float, pole: str, rng: random.Random) -> int:
    """An answer that leans to the leader end by ``lean``, with some noise."""
    agreement = lean if pole == scoring.LEADER else 1 - lean
    value = round(scoring.LIKERT_MIN + agreement * 4 + rng.uniform(-1.2, 1.2))
    return min(scoring.LIKERT_MAX, max(scoring.LIKERT_MIN, value))


class Command(BaseCommand):
    help = "Create demo accounts, past attempts and a demo cohort. Safe to run again."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        version = BankVersion.objects.current()
        if version is None:
            raise CommandError("Load a question bank first: manage.py load_default_bank")
        self.items = list(version.items.all())
        self.rng = random.Random(2026)  # noqa: S311 - demo answers, not security
        User = get_user_model()
        for username, leans in DEMO_PEOPLE.items():
            if User.objects.filter(username=username).exists():
                continue
            user = User.objects.create_user(username, f"{username}@example.com", DEMO_PASSWORD)
            for index, lean in enumerate(leans):
                taken = timezone.now() - timedelta(days=90 * (len(leans) - index))
                attempt = Attempt.objects.create(bank_version=version, user=user, started_at=taken)
                self.answer(attempt, lean, submit_at=taken + timedelta(minutes=6))
            self.stdout.write(f"Created {username} with {len(leans)} results.")
        if not User.objects.filter(username="hr").exists():
            hr = User.objects.create_user("hr", "hr@example.com", DEMO_PASSWORD)
            grant_role(hr, "hr_admin")
            self.stdout.write("Created hr, an HR admin.")
            self.cohort(version, hr)
        self.stdout.write(f"Demo accounts sign in with the password {DEMO_PASSWORD!r}.")

    def answer(self, attempt: Attempt, lean: float, submit_at=None) -> None:
        services.responses_save(
            attempt=attempt,
            answers={item.pk: likert_toward(lean, item.pole, self.rng) for item in self.items},
        )
        if submit_at is not None:
            services.attempt_submit(attempt=attempt, now=submit_at)

    def cohort(self, version: BankVersion, hr) -> Cohort:
        teams = team_services.teams_get_or_create(DEMO_TEAMS)
        cohort = cohort_services.cohort_create(
            name=DEMO_COHORT, bank_version=version, teams=teams, created_by=hr
        )
        cohort = cohort_services.cohort_open(cohort=cohort)
        for team in teams:
            size, completed, lean = DEMO_TEAMS[team.name]
            for i in range(size):
                slug = team.name.lower().replace(" ", "-")
                person = participant_services.participant_add(
                    cohort=cohort,
                    name=f"{team.name} person {i + 1}",
                    email=f"{slug}-{i + 1}@example.com",
                    team=team,
                )
                if i < completed + 1:
                    attempt = participant_services.participant_attempt(participant=person)
                    self.answer(attempt, lean, submit_at=timezone.now() if i < completed else None)
        manager = get_user_model().objects.create_user(
            "manager", "manager@example.com", DEMO_PASSWORD
        )
        for team in teams:
            if team.name in DEMO_MANAGED_TEAMS:
                team_services.team_manager_add(team=team, user=manager)
        self.stdout.write(
            f"Created the cohort {DEMO_COHORT!r}, and manager, who manages "
            f"{' and '.join(DEMO_MANAGED_TEAMS)}."
        )
        return cohort
