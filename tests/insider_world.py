"""The insiders' world (tests/test_insider_attacks.py): a cohort with two
teams (A, B), team A's manager and the HR admin who runs it, the actions
anyone in the story may take, and a log of every number the manager and HR
read, for the attacker in tests/attacker.py to solve."""

import csv
import io
import itertools
import random

import pytest
from django.test import Client
from django.urls import reverse

from assessments.accounts import services as personal_data
from assessments.cohorts import participants as participant_services
from assessments.cohorts import services as cohort_services
from assessments.content import scoring
from assessments.dashboards.disclosure import round_to
from assessments.dashboards.sharing import SharingError, result_share_set
from assessments.models import OVERALL, Cohort, Dimension, Participant, Release, Result
from assessments.presentation import OVERALL_LABEL
from assessments.taking import services as attempt_services
from bench.invariants import progress_mismatches
from tests import cast
from tests.attacker import Reading, exposed_groups, pinned_people, solve
from tests.helpers import answer_all

MEASURES = [OVERALL, "status_quo", "commitment", "disapproval"]


def measure_labels() -> dict[str, str]:
    """CSV label -> measure key, as the dashboards name them."""
    return {str(OVERALL_LABEL): OVERALL} | dict(Dimension.objects.values_list("name", "key"))


def seller_end(item) -> int:
    """Answers that score 0 on every dimension."""
    return scoring.LIKERT_MIN if item.pole == scoring.LEADER else scoring.LIKERT_MAX


def leader_end(item) -> int:
    """Answers that score 100 on every dimension."""
    return scoring.LIKERT_MAX if item.pole == scoring.LEADER else scoring.LIKERT_MIN


def answers_with_units(units: dict[str, int]):
    """Answers that give each dimension exactly ``units`` x 3.125 points:
    each item gives 0 to 4 units, so the units are spread over its items."""
    left: dict[str, int] = dict(units)

    def value(item) -> int:
        points = min(4, left[item.dimension.key])
        left[item.dimension.key] -= points
        # item_points: a leader-keyed item gives (value - 1), a seller-keyed (5 - value).
        return points + 1 if item.pole == scoring.LEADER else 5 - points

    return value


def answers_for(seed: int):
    """A person's answers: random, but the same for the same seed."""
    rng = random.Random(seed)
    cache: dict[int, int] = {}

    def value(item) -> int:
        return cache.setdefault(item.pk, rng.randint(1, 5))

    return value


class World:
    """A cohort with two teams (A, B), team A's manager, and an HR admin, with
    a log of everything they read."""

    def __init__(self, cohort: Cohort, k: int = 5) -> None:
        self.cohort = cohort
        if cohort.min_group_size != k:
            cohort = cohort_services.cohort_update(
                cohort=cohort, teams=cohort.teams.all(), min_group_size=k
            )
        self.cohort, self.k = cohort, k
        self.team_a, self.team_b = cohort.teams.order_by("name")
        self.manager = cast.manager(teams=[self.team_a])
        assert cohort.created_by is not None
        self.hr = cohort.created_by
        self.manager_client, self.hr_client = Client(), Client()
        self.manager_client.force_login(self.manager)
        self.hr_client.force_login(self.hr)
        self.scores: dict[int, dict[str, float]] = {}  # participant -> measure -> score
        self.known: set[int] = set()  # the colluders
        self.readings: list[tuple[str, Reading]] = []
        self.seen_releases: set[int] = set()
        self.released: frozenset = frozenset()  # everyone in a release so far
        self.counter = itertools.count()

    # Actions anyone in the story may take -------------------------------

    def complete(
        self, team, *, colluder: bool = False, seed: int | None = None, answers=None
    ) -> Participant:
        number = next(self.counter)
        person = participant_services.participant_add(
            cohort=self.cohort, name=f"p{number}", email=f"p{number}@example.com", team=team
        )
        self._take(person, seed if seed is not None else number, answers)
        if colluder:
            self.known.add(person.pk)
        return person

    def _take(self, person: Participant, seed: int, answers=None) -> Result:
        attempt = participant_services.participant_attempt(participant=person)
        answer_all(attempt, answers or answers_for(seed))
        result = attempt_services.attempt_submit(attempt=attempt)
        scores = dict(result.scores.values_list("dimension__key", "score"))
        self.scores[person.pk] = {OVERALL: result.overall, **scores}
        return result

    def delete(self, person: Participant) -> None:
        """The person deletes their data through their personal link."""
        personal_data.participant_data_delete(participant=person)

    def share(self, person: Participant, shared: bool = True) -> bool:
        result = Result.objects.filter(attempt__participant=person).first()
        if result is None:
            return False
        try:
            result_share_set(result=result, shared=shared)
        except SharingError:
            return False
        if shared:
            self.known.add(person.pk)  # the managers now read it by name
        return True

    def join(self, team, *, seed: int) -> Participant:
        """The manager, under a second address, joins by the open link."""
        self.cohort = cohort_services.cohort_join_link_set(cohort=self.cohort, enabled=True)
        number = next(self.counter)
        person = participant_services.participant_join(
            cohort=self.cohort, name=f"j{number}", email=f"j{number}@example.org", team=team
        )
        self._take(person, seed)
        self.known.add(person.pk)
        return person

    def add_then_remove(self, team, started: bool) -> None:
        """HR adds someone, who may start answering, then asks to remove
        them: allowed only before they start, and it changes no figure."""
        number = next(self.counter)
        person = participant_services.participant_add(
            cohort=self.cohort, name=f"r{number}", email=f"r{number}@example.com", team=team
        )
        if started:
            participant_services.participant_attempt(participant=person)
            with pytest.raises(cohort_services.CohortError):
                participant_services.participant_remove(participant=person, removed_by=self.hr)
        else:
            participant_services.participant_remove(participant=person, removed_by=self.hr)
            assert not Participant.objects.filter(pk=person.pk).exists()

    def confirm(self, person: Participant) -> None:
        try:
            participant_services.participant_team_confirm(participant=person)
        except cohort_services.CohortError:  # the person deleted their data
            assert Participant.objects.get(pk=person.pk).withdrawn_at is not None

    # Reading -------------------------------------------------------------

    def read(self) -> None:
        """Every release of the cohort, with exactly who is in it, as the
        strongest attacker would have it; then every CSV the manager and
        the HR admin may download, now, each figure of which must be worked
        out from those releases alone (so it tells the attacker nothing the
        releases do not); and HR's stored progress, which must still be
        what the people say."""
        assert progress_mismatches() == []
        releases = list(Release.objects.filter(cohort=self.cohort).prefetch_related("means"))
        for release in releases:
            if release.pk in self.seen_releases:
                continue
            self.seen_releases.add(release.pk)
            members = frozenset(
                Participant.objects.filter(release=release).values_list("pk", flat=True)
            )
            assert len(members) == release.count >= self.k
            assert not members & self.released, "a person in two releases"
            self.released |= members
            for mean in release.means.all():
                self.readings.append((mean.measure, Reading(members, mean.mean, release.step)))
        downloads = [
            self.manager_client.get(reverse("dashboards:team_csv", args=[self.team_a.pk])),
            self.hr_client.get(reverse("dashboards:cohort_csv", args=[self.cohort.pk])),
            self.hr_client.get(reverse("cohorts:export", args=[self.cohort.pk, "csv"])),
        ]
        team_of = {self.team_a.name: self.team_a.pk, self.team_b.name: self.team_b.pk}
        for response in downloads:
            assert response.status_code == 200
            rows = [row for row in csv.DictReader(io.StringIO(response.content.decode()))]
            shown = {(row["group"], row["measure"]): row for row in rows if row.get("mean")}
            for (group, label), row in shown.items():
                covered = [  # a team's releases, or a cohort's or the organisation's
                    release
                    for release in releases
                    if group not in team_of or release.team_id == team_of[group]
                ]
                assert int(row["n"]) == sum(release.count for release in covered), row
                step = 5 if "nearest 5 points" in row["note"] else 1
                measure = measure_labels()[label]
                if measure == OVERALL:  # the mean of the dimension means shown
                    dimensions = [
                        float(other["mean"])
                        for (other_group, other_label), other in shown.items()
                        if other_group == group and other_label != label
                    ]
                    expected = round_to(sum(dimensions) / len(dimensions), step)
                else:
                    means = {
                        mean.release_id: mean.mean
                        for release in covered
                        for mean in release.means.all()
                        if mean.measure == measure
                    }
                    pooled = sum(release.count * means[release.pk] for release in covered)
                    expected = round_to(pooled / int(row["n"]), step)
                assert float(row["mean"]) == expected, (group, label, row["mean"], expected)

    def assert_nobody_is_singled_out(self) -> None:
        for measure in MEASURES:
            readings = [reading for key, reading in self.readings if key == measure]
            # The attacker's model must hold the truth: a window that misses
            # the real sum would let the solver "find" sums that are nobody's
            # and report a leak that is not there (or hide one that is).
            for reading in readings:
                true = sum(self.scores[person][measure] for person in reading.members)
                low, high = reading.sum_bounds
                assert low - 1e-6 <= true <= high + 1e-6, (measure, reading, true)
            known = {
                person: self.scores[person][measure]
                for person in self.known
                if person in self.scores
            }
            knowledge = solve(readings, known)
            assert not pinned_people(knowledge, known), measure
            assert not exposed_groups(knowledge, known, self.k), measure


def measure_label_map(response) -> dict:
    rows = csv.DictReader(io.StringIO(response.content.decode()))
    return {(row["group"], row["measure"]): row for row in rows}
