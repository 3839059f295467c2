"""Demo people with a history of attempts, and a demo cohort, so every page has
something to show.

The answers come from the latent model of assessments/content/simulation.py,
so the demo's dashboards and item statistics look like real answers do:
team members spread around their team's lean, a few answer carelessly or
agree with everything, and the items of a dimension hang together.
"""

import itertools
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from assessments.cohorts import participants as participant_services
from assessments.cohorts import services as cohort_services
from assessments.cohorts import teams as team_services
from assessments.content import simulation
from assessments.management.commands.simulate_responses import attempt_complete, version_items
from assessments.models import Attempt, BankVersion, Cohort, new_order_seed
from assessments.roles import grant_role

DEMO_PASSWORD = "spectrum-demo"  # noqa: S105 - printed in the README, demo data only
# username -> where each attempt's person stands, from 0 (seller) to 1 (leader), oldest first
DEMO_PEOPLE = {
    "demo": (0.30, 0.45, 0.60),
    "demo-seller": (0.20, 0.25),
    "demo-leader": (0.70, 0.80, 0.75, 0.85),
}
DEMO_COHORT = "Sales managers, Q1 2027 (demo)"
# team -> (people, how many completed, where the team's middle member stands, 0..1)
DEMO_TEAMS = {"EMEA sales": (8, 7, 0.35), "US sales": (7, 5, 0.55), "Platform": (3, 2, 0.7)}
# Platform has too few results to show: its dashboard explains why.
DEMO_MANAGED_TEAMS = ("EMEA sales", "Platform")
# A demo person retaking is one attentive person, exactly where their lean puts
# them each time; a team's members are drawn around its lean like any population.
ONE_PERSON = simulation.Population(careless=0, acquiescent=0, spread=0)
TEAM_MEMBERS = simulation.Population()
DEMO_SEED = 2026


class Command(BaseCommand):
    help = "Create demo accounts, past attempts and a demo cohort. Safe to run again."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        version = BankVersion.objects.current()
        if version is None:
            raise CommandError("Load a question bank first: manage.py load_default_bank")
        self.items = version_items(version)
        self.seeds = itertools.count(DEMO_SEED)  # the same demo on every site
        User = get_user_model()
        for username, leans in DEMO_PEOPLE.items():
            if User.objects.filter(username=username).exists():
                continue
            user = User.objects.create_user(username, f"{username}@example.com", DEMO_PASSWORD)
            for index, lean in enumerate(leans):
                taken = timezone.now() - timedelta(days=90 * (len(leans) - index))
                attempt = Attempt.objects.create(
                    bank_version=version,
                    user=user,
                    started_at=taken,
                    order_seed=new_order_seed(version),
                )
                (person,) = self.simulate(1, ONE_PERSON, lean)
                attempt_complete(attempt, person, submit_at=taken + timedelta(minutes=6))
            self.stdout.write(f"Created {username} with {len(leans)} results.")
        if not User.objects.filter(username="hr").exists():
            hr = User.objects.create_user("hr", "hr@example.com", DEMO_PASSWORD)
            grant_role(hr, "hr_admin")
            self.stdout.write("Created hr, an HR admin.")
            self.cohort(version, hr)
        self.stdout.write(f"Demo accounts sign in with the password {DEMO_PASSWORD!r}.")

    def simulate(
        self, people: int, population: simulation.Population, lean: float
    ) -> list[simulation.SimulatedPerson]:
        """People whose expected position is ``lean`` (0..1) on every dimension."""
        theta = simulation.theta_at(100 * lean, population)
        return simulation.simulate(
            self.items,
            people,
            population,
            seed=next(self.seeds),
            lean={item.dimension: theta for item in self.items},
        )

    def cohort(self, version: BankVersion, hr) -> Cohort:
        teams = team_services.teams_get_or_create(DEMO_TEAMS)
        cohort = cohort_services.cohort_create(
            name=DEMO_COHORT, bank_version=version, teams=teams, created_by=hr
        )
        cohort = cohort_services.cohort_open(cohort=cohort)
        for team in teams:
            size, completed, lean = DEMO_TEAMS[team.name]
            # The one who starts without finishing answers too, as before.
            members = self.simulate(completed + 1, TEAM_MEMBERS, lean)
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
                    submit_at = timezone.now() if i < completed else None
                    attempt_complete(attempt, members[i], submit_at=submit_at)
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
