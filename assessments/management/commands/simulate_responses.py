"""Simulated people answer the assessment through the real services, so that
dashboards, item statistics and benchmarks have realistic answers to show.

The answers come from the latent model in assessments/content/simulation.py.
Everything is written in one transaction: a refused argument or a failing
service stores nothing at all.
"""

import secrets
from collections import Counter
from datetime import datetime

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from assessments.cohorts import participants as participant_services
from assessments.content import simulation
from assessments.exceptions import ServiceError
from assessments.models import Attempt, BankVersion, Cohort, Item, with_options
from assessments.taking import services

MAX_PEOPLE = 100_000


def version_items(version: BankVersion) -> list[simulation.ItemSpec]:
    """A bank version's items as the simulation sees them, answered by id."""
    items = with_options(list(version.items.select_related("dimension").order_by("order")))
    return [_item_spec(item) for item in items]


def _item_spec(item: Item) -> simulation.ItemSpec:
    if not item.is_scenario:
        return simulation.ItemSpec(key=item.pk, dimension=item.dimension.key, pole=item.pole)
    # The simulation answers a scenario with its option's number as listed,
    # which is the option's ``order`` (1, 2, ...), as the scoring reads it.
    return simulation.ItemSpec(
        key=item.pk,
        dimension=item.dimension.key,
        pole="",
        positions=tuple(option.position for option in item.options.all()),
    )


def attempt_complete(
    attempt: Attempt, person: simulation.SimulatedPerson, *, submit_at: datetime | None
) -> None:
    """Store a simulated person's answers; submit them unless ``submit_at`` is None."""
    services.responses_save(
        attempt=attempt, answers={int(key): value for key, value in person.answers.items()}
    )
    if submit_at is not None:
        services.attempt_submit(attempt=attempt, now=submit_at)


class Command(BaseCommand):
    help = (
        "Create submitted attempts answered by simulated people (anonymous, or in an "
        "open cohort's teams). Their answers follow the latent model of "
        "assessments/content/simulation.py."
    )

    def create_parser(self, prog_name: str, subcommand: str, **kwargs) -> CommandParser:
        # --version names a bank version here; "resolve" lets it replace the
        # option every command has for printing Django's version.
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--people", type=int, required=True, help="How many people answer.")
        parser.add_argument(
            "--version", type=int, dest="version_id", help="A published bank version's id."
        )
        parser.add_argument(
            "--cohort", type=int, dest="cohort_id", help="An open cohort to add the people to."
        )
        parser.add_argument("--seed", type=int, help="Repeats a run; printed when left out.")
        parser.add_argument(
            "--careless",
            type=float,
            default=simulation.Population.careless,
            help="The share who answer at random (default %(default)s).",
        )
        parser.add_argument(
            "--acquiescent",
            type=float,
            default=simulation.Population.acquiescent,
            help="The share who agree with everything (default %(default)s).",
        )

    def handle(
        self,
        *args,
        people: int,
        version_id: int | None,
        cohort_id: int | None,
        seed: int | None,
        careless: float,
        acquiescent: float,
        **options,
    ) -> None:
        if not 1 <= people <= MAX_PEOPLE:
            raise CommandError(f"--people must be from 1 to {MAX_PEOPLE:,}, not {people}.")
        try:
            population = simulation.Population(careless=careless, acquiescent=acquiescent)
        except ValueError as error:
            raise CommandError(str(error)) from error
        seed = secrets.randbelow(2**32) if seed is None else seed
        try:
            with transaction.atomic():
                self.simulate(people, version_id, cohort_id, population, seed)
        except ServiceError as error:
            raise CommandError(f"Nothing was stored: {error}") from error

    def simulate(
        self,
        people: int,
        version_id: int | None,
        cohort_id: int | None,
        population: simulation.Population,
        seed: int,
    ) -> None:
        cohort = None if cohort_id is None else _open_cohort(cohort_id)
        version = _version(version_id, cohort)
        simulated = simulation.simulate(version_items(version), people, population, seed=seed)
        if cohort is None:
            self.answer_anonymously(version, simulated)
        else:
            self.answer_in_cohort(cohort, simulated)
        kinds = Counter(person.kind for person in simulated)
        self.stdout.write(
            f"Answered as {', '.join(f'{kinds[kind]} {kind}' for kind in simulation.KINDS)} "
            f"(seed {seed}; run again with --seed {seed} for the same answers)."
        )

    def answer_anonymously(
        self, version: BankVersion, simulated: list[simulation.SimulatedPerson]
    ) -> None:
        for person in simulated:
            attempt = services.attempt_start(bank_version=version, user=None)
            attempt_complete(attempt, person, submit_at=timezone.now())
        self.stdout.write(
            f"Created {_people(len(simulated), 'submitted anonymous attempt')} "
            f"with results on {version}."
        )

    def answer_in_cohort(self, cohort: Cohort, simulated: list[simulation.SimulatedPerson]) -> None:
        """Each person is added to the next team in turn and completes through
        their own attempt, as if they had followed their invitation link."""
        teams = list(cohort.teams.order_by("name", "pk"))
        if not teams:
            raise CommandError(f"The cohort {cohort.name!r} has no teams to add people to.")
        run = secrets.token_hex(4)  # so that a second run's addresses differ from the first's
        per_team: Counter[str] = Counter()
        for index, person in enumerate(simulated):
            team = teams[index % len(teams)]
            participant = participant_services.participant_add(
                cohort=cohort,
                name=f"Simulated person {run}-{index + 1}",
                email=f"simulated-{run}-{index + 1}@example.com",
                team=team,
            )
            attempt = participant_services.participant_attempt(participant=participant)
            attempt_complete(attempt, person, submit_at=timezone.now())
            per_team[team.name] += 1
        added = ", ".join(f"{count} to {name}" for name, count in per_team.items())
        self.stdout.write(
            f"Added {_people(len(simulated), 'simulated person', 'simulated people')} "
            f"to the cohort {cohort.name!r} ({added}), each with a submitted result."
        )


def _people(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else many or one + 's'}"


def _open_cohort(cohort_id: int) -> Cohort:
    cohort = Cohort.objects.select_related("bank_version").filter(pk=cohort_id).first()
    if cohort is None:
        raise CommandError(f"There is no cohort with id {cohort_id}.")
    if cohort.status != Cohort.Status.OPEN:
        raise CommandError(
            f"The cohort {cohort.name!r} is {cohort.get_status_display().lower()}, not open: "
            "only an open cohort takes answers."
        )
    if not cohort.is_accepting():
        raise CommandError(f"The cohort {cohort.name!r} is open but outside its dates today.")
    return cohort


def _version(version_id: int | None, cohort: Cohort | None) -> BankVersion:
    """The version asked for; else the cohort's; else the current published one."""
    if cohort is not None:
        if version_id is not None and version_id != cohort.bank_version_id:
            raise CommandError(
                f"The cohort {cohort.name!r} uses bank version id {cohort.bank_version_id}, "
                f"not {version_id}: leave --version out."
            )
        return cohort.bank_version
    if version_id is None:
        version = BankVersion.objects.current()
        if version is None:
            raise CommandError("Load a question bank first: manage.py load_default_bank")
        return version
    version = BankVersion.objects.select_related("bank").filter(pk=version_id).first()
    if version is None:
        raise CommandError(f"There is no bank version with id {version_id}.")
    if version.status != BankVersion.Status.PUBLISHED:
        raise CommandError(
            f"{version} is not published: results are only ever given on a published version."
        )
    return version
