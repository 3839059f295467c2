"""Insiders collect every number they may read and try to solve for people.

A manager (with colluding team members, and the join link) and an HR admin
read every dashboard CSV after every allowed action: completions,
deletions, shares and unshares, settings changes, joins, closing. The
attacker in tests/attacker.py is then given every reading with exactly the
people it covers and the colluders' scores, and solves. Each test fails if
anyone outside the colluders is pinned to within 2 points, or a group of
fewer than the minimum is.

The six classes of issue 8 each have a test here; test_hr_exports.py holds
the export rules and test_sharing.py the sharing ones.
"""

import csv
import io
import itertools
import random
import statistics

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.accounts import services as personal_data
from assessments.cohorts import participants as participant_services
from assessments.cohorts import services as cohort_services
from assessments.cohorts import teams as team_services
from assessments.content import scoring
from assessments.dashboards.disclosure import group_precise, overall_from_dimensions, shown_measure
from assessments.dashboards.sharing import SharingError, result_share_set
from assessments.dashboards.statistics import Bucket, exact
from assessments.dashboards.tallies import bucket_of
from assessments.models import (
    OVERALL,
    Cohort,
    Dimension,
    Participant,
    Result,
    ScoreTally,
    TeamManager,
)
from assessments.presentation import OVERALL_LABEL
from assessments.taking import services as attempt_services
from tests.attacker import Reading, exposed_groups, pinned_people, solve
from tests.cast import make_user
from tests.helpers import answer_all

MEASURES = [OVERALL, "status_quo", "commitment", "disapproval"]


def measure_labels() -> dict[str, str]:
    """CSV label -> measure key, as the dashboards name them."""
    return {OVERALL_LABEL: OVERALL} | dict(Dimension.objects.values_list("name", "key"))


def seller_end(item) -> int:
    """Answers that score 0 on every dimension."""
    return scoring.LIKERT_MIN if item.pole == scoring.LEADER else scoring.LIKERT_MAX


def leader_end(item) -> int:
    """Answers that score 100 on every dimension."""
    return scoring.LIKERT_MAX if item.pole == scoring.LEADER else scoring.LIKERT_MIN


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
        self.manager = make_user("martin")
        team_services.team_manager_add(team=self.team_a, user=self.manager)
        self.hr = get_user_model().objects.get(username="hannah")
        self.manager_client, self.hr_client = Client(), Client()
        self.manager_client.force_login(self.manager)
        self.hr_client.force_login(self.hr)
        self.scores: dict[int, dict[str, float]] = {}  # participant -> measure -> score
        self.known: set[int] = set()  # the colluders
        self.readings: list[tuple[str, Reading]] = []
        self.covers: dict[tuple[int, int], frozenset] = {}
        self.last_published: dict[tuple[int, int], tuple] = {}
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

    def can_collude(self, team) -> bool:
        """At most k-1 people of a team are the attacker's (colluders, or
        themselves under another address). With k colluders in a group of k
        nobody is left to protect, and with k-1 in a group of 2k the mean to a
        point describes the rest as closely as any exact aggregate must: the
        promise is made against fewer than k colluders per team."""
        known = Participant.objects.filter(pk__in=self.known, team=team).count()
        return known < self.k - 1

    def confirm(self, person: Participant) -> None:
        try:
            participant_services.participant_team_confirm(participant=person)
        except cohort_services.CohortError:  # the person deleted their data
            assert Participant.objects.get(pk=person.pk).withdrawn_at is not None

    # Reading -------------------------------------------------------------

    def _published_members(self, team) -> frozenset:
        """Who the team's current published figures cover, from the database:
        tracked per publication, since a deletion does not change them."""
        key = (self.cohort.pk, team.pk)
        overall = ScoreTally.objects.filter(
            cohort=self.cohort, team=team, measure=OVERALL, published_count__gt=0
        )
        state = tuple(overall.order_by("bucket").values_list("published_count", "published_total"))
        if self.last_published.get(key) != state:
            self.last_published[key] = state
            self.covers[key] = frozenset(
                Participant.objects.filter(
                    cohort=self.cohort,
                    team=team,
                    published_at__isnull=False,
                    attempt__result__isnull=False,
                ).values_list("pk", flat=True)
            )
        return self.covers.get(key, frozenset())

    def read(self) -> None:
        """Every CSV the manager and the HR admin may download, now."""
        members = {
            self.team_a.name: self._published_members(self.team_a),
            self.team_b.name: self._published_members(self.team_b),
        }
        everyone = members[self.team_a.name] | members[self.team_b.name]
        downloads = [
            self.manager_client.get(reverse("dashboards:team_csv", args=[self.team_a.pk])),
            self.hr_client.get(reverse("dashboards:cohort_csv", args=[self.cohort.pk])),
            self.hr_client.get(reverse("cohorts:export", args=[self.cohort.pk, "csv"])),
        ]
        for response in downloads:
            assert response.status_code == 200
            for row in csv.DictReader(io.StringIO(response.content.decode())):
                if not row.get("mean"):
                    continue
                group = row["group"]
                covered = members.get(group, everyone)  # a cohort or the organisation
                assert int(row["n"]) == len(covered), (group, row["n"], len(covered))
                measure = measure_labels().get(row["measure"])
                if measure is None:
                    continue
                step = 5 if "nearest 5 points" in row["note"] else 1
                self.readings.append((measure, Reading(covered, float(row["mean"]), step)))

    def assert_nobody_is_singled_out(self) -> None:
        for measure in MEASURES:
            readings = [reading for key, reading in self.readings if key == measure]
            known = {
                person: self.scores[person][measure]
                for person in self.known
                if person in self.scores
            }
            knowledge = solve(readings, known)
            assert not pinned_people(knowledge, known), measure
            assert not exposed_groups(knowledge, known, self.k), measure


@pytest.fixture
def world(cohort) -> World:
    return World(cohort)


def measure_label_map(response) -> dict:
    rows = csv.DictReader(io.StringIO(response.content.decode()))
    return {(row["group"], row["measure"]): row for row in rows}


# The attacker itself can fail --------------------------------------------


def test_the_attacker_solves_the_old_schedule():
    """Under the old rule (publish at every multiple of k, exact means) a
    deletion swapped one person: the attacker pins the newcomer."""
    first = frozenset(range(5))
    swapped = frozenset([1, 2, 3, 4, 5])  # 0 deleted their data, 5 completed
    scores = {0: 40.0, 1: 55.0, 2: 62.5, 3: 70.0, 4: 30.0, 5: 81.25}
    readings = [
        Reading(group, statistics.fmean(scores[p] for p in group), 0.01)
        for group in (first, swapped)
    ]
    knowledge = solve(readings, {0: scores[0]})
    assert 5 in pinned_people(knowledge, {0: scores[0]})


# Class 1: too many statistics for a small group ---------------------------

GRID = [units * 100 / 32 for units in range(33)]  # a dimension's possible scores


def consistent_teams(k: int, accepts) -> list[tuple[float, ...]]:
    """Every team of k scores on the grid that the shown numbers allow."""
    return [team for team in itertools.combinations_with_replacement(GRID, k) if accepts(team)]


def test_a_team_at_the_minimum_cannot_be_solved_from_its_figures(client, world):
    for seed in range(world.k):
        world.complete(world.team_a, seed=seed)
    rows = measure_label_map(
        world.manager_client.get(reverse("dashboards:team_csv", args=[world.team_a.pk]))
    )
    row = rows[(world.team_a.name, "Asking for commitment")]
    assert row["n"] == str(world.k) and not {"sd", "q1", "median", "q3"} & set(row)
    shown = float(row["mean"])
    teams = consistent_teams(world.k, lambda team: abs(statistics.fmean(team) - shown) <= 2.5)
    assert len(teams) > 1000
    for rank in range(world.k):  # the lowest scorer, the next, ... the highest
        values = [team[rank] for team in teams]
        assert max(values) - min(values) > 4, rank

    # What the old figures (mean and SD to 2 decimals, quartiles) allowed:
    # the true team alone.
    true = tuple(
        sorted(GRID[round(world.scores[p]["commitment"] * 32 / 100)] for p in world.scores)
    )
    mean, sd = round(statistics.fmean(true), 2), round(statistics.stdev(true), 2)
    q = (true[1], true[2], true[3])
    old = consistent_teams(
        world.k,
        lambda team: (
            round(statistics.fmean(team), 2) == mean
            and round(statistics.stdev(team), 2) == sd
            and (team[1], team[2], team[3]) == q
        ),
    )
    assert old == [true]


def test_a_band_with_one_person_is_never_counted(client, world):
    """Class 6, and the third review: no group shows people per band at all.
    A band's edges cut the range the team's first publication leaves its one
    unknown member, and a count on either side of an edge places them."""
    for seed in range(2 * world.k):
        world.complete(world.team_a, seed=seed)
        world.complete(world.team_b, seed=100 + seed)
    team_page = world.manager_client.get(reverse("dashboards:team", args=[world.team_a.pk]))
    assert team_page.context["board"].team_summary.shown
    assert "People in band" not in team_page.text
    for url in (
        reverse("dashboards:cohort_csv", args=[world.cohort.pk]),
        reverse("dashboards:team_csv", args=[world.team_a.pk]),
        reverse("cohorts:export", args=[world.cohort.pk, "csv"]),
    ):
        rows = measure_label_map(world.hr_client.get(url))
        assert rows and not [m for _, m in rows if m.startswith("People in band")], url


def shown_for(scores: list[float], k: int, is_precise: bool | None) -> tuple:
    """What the dashboards would show for a group with these scores."""
    buckets: dict[int, list[float]] = {}
    for value in scores:
        buckets.setdefault(bucket_of(value), []).append(value)
    exact_stats = exact(
        [
            Bucket(len(values), sum(values), sum(v * v for v in values))
            for _, values in sorted(buckets.items())
        ]
    )
    measure = shown_measure(exact_stats, k, is_precise)
    return (measure.mean,)


def test_colluders_across_teams_cannot_solve_the_cohorts_spread(client, world):
    """A manager with k-1 colluders in each of two teams (one scoring 100,
    the others 0, which makes the third quartile an unknown's score), and one
    unknown person in each: the cohort then holds 2k people but only two
    unknowns, and its quartiles and spread would pin both (as a hostile
    review showed). Everything the manager and HR read is searched for every
    pair of scores it allows."""
    ends = [leader_end] + [seller_end] * (world.k - 2)
    for team, seed in ((world.team_a, 1), (world.team_b, 2)):
        for answers in ends:
            world.complete(team, colluder=True, answers=answers)
        world.complete(team, seed=seed)
    victims = [pk for pk in world.scores if pk not in world.known]
    team_of = dict(Participant.objects.filter(pk__in=victims).values_list("pk", "team_id"))
    rows = measure_label_map(
        world.manager_client.get(reverse("dashboards:team_csv", args=[world.team_a.pk]))
    ) | measure_label_map(
        world.hr_client.get(reverse("dashboards:cohort_csv", args=[world.cohort.pk]))
    )
    cohort_label = f"{world.cohort.name} (all teams)"
    known = [0.0 if answers is seller_end else 100.0 for answers in ends]
    for label, key in (
        ("Asking for commitment", "commitment"),
        ("The way things are", "status_quo"),
    ):
        cohort_row = rows[(cohort_label, label)]
        assert cohort_row["n"] == str(2 * world.k)
        assert "nearest 5 points" in cohort_row["note"]

        def shown(row) -> tuple:
            return (float(row["mean"]),)

        seen = {
            "a": shown(rows[(world.team_a.name, label)]),
            "b": shown(rows[(world.team_b.name, label)]),
            "cohort": shown(cohort_row),
        }
        both = group_precise([(world.k, world.k), (world.k, world.k)])
        pairs = [
            (x, y)
            for x in GRID
            for y in GRID
            if shown_for([*known, x], world.k, None) == seen["a"]
            and shown_for([*known, y], world.k, None) == seen["b"]
            and shown_for([*known, *known, x, y], world.k, both) == seen["cohort"]
        ]
        a, b = sorted(victims, key=lambda pk: team_of[pk] != world.team_a.pk)
        truth = (world.scores[a][key], world.scores[b][key])  # stored to 2 decimals
        assert truth in {(round(x, 2), round(y, 2)) for x, y in pairs}
        for index in (0, 1):
            values = [pair[index] for pair in pairs]
            assert max(values) - min(values) > 4, (label, index, sorted(set(values)))


def test_a_detailed_team_cannot_be_subtracted_from_its_cohort(client, cohort):
    """The second hostile review, at k = 3: team A holds two colluders and
    one unknown person, team B two colluders and four others. Team B shows
    its own spread and quartiles (6 = 2k), which with the colluders gives its
    members away as a block; the cohort's spread and quartiles beside them
    left the one unknown of team A, and pinned them. A cohort now shows
    detail only when each of its teams would; what is left is means, and the
    unknown's range from every mean anyone reads is wide."""
    world = World(cohort, k=3)
    ends = [leader_end, seller_end]
    for answers in ends:
        world.complete(world.team_a, colluder=True, answers=answers)
    victim = world.complete(world.team_a, seed=8)
    for answers in ends:
        world.complete(world.team_b, colluder=True, answers=answers)
    for seed in range(4):
        world.complete(world.team_b, seed=20 + seed)
    rows = measure_label_map(
        world.hr_client.get(reverse("dashboards:cohort_csv", args=[world.cohort.pk]))
    ) | measure_label_map(
        world.manager_client.get(reverse("dashboards:team_csv", args=[world.team_a.pk]))
    )
    cohort_label = f"{world.cohort.name} (all teams)"
    known = world.known
    for label, key in (
        ("The way things are", "status_quo"),
        ("Asking for commitment", "commitment"),
        ("Living with disapproval", "disapproval"),
    ):
        team_a, team_b = rows[(world.team_a.name, label)], rows[(world.team_b.name, label)]
        whole = rows[(cohort_label, label)]
        assert "nearest 5 points" not in team_b["note"], label  # 6 = 2k: to the point
        assert "nearest 5 points" in whole["note"], label

        def total(row, step: float) -> tuple[float, float]:
            """The group's sum of scores, as the shown mean allows it."""
            n, mean = int(row["n"]), float(row["mean"])
            return n * (mean - step / 2), n * (mean + step / 2)

        known_a = sum(world.scores[p][key] for p in known if p in _team(world, world.team_a))
        known_all = sum(world.scores[p][key] for p in known)
        a_lo, a_hi = total(team_a, 5)
        c_lo, c_hi = total(whole, 5)
        b_lo, b_hi = total(team_b, 1)
        low = max(0.0, a_lo - known_a, c_lo - known_all - (b_hi - known_in_b(world, key)))
        high = min(100.0, a_hi - known_a, c_hi - known_all - (b_lo - known_in_b(world, key)))
        candidates = [x for x in GRID if low - 1e-9 <= x <= high + 1e-9]
        assert world.scores[victim.pk][key] in {round(x, 2) for x in candidates}
        assert max(candidates) - min(candidates) > 4, (label, candidates)


def _team(world: World, team) -> set[int]:
    return set(
        Participant.objects.filter(cohort=world.cohort, team=team).values_list("pk", flat=True)
    )


def known_in_b(world: World, key: str) -> float:
    return sum(world.scores[p][key] for p in world.known if p in _team(world, world.team_b))


def test_a_first_publication_of_one_unknown_then_2k_pins_nobody(client, cohort):
    """The third hostile review, at k = 3: two colluders at 0 complete with
    one person, V, so the team's first figures are theirs alone; three more
    complete. Under the earlier rules the second figures' median was V's
    own score to 5 points and pinned V in most teams. Now only means are
    shown; every score the others could have is tried."""
    world = World(cohort, k=3)
    for _ in range(2):
        world.complete(world.team_a, colluder=True, answers=seller_end)
    victim = world.complete(world.team_a, seed=11)
    url = reverse("dashboards:team_csv", args=[world.team_a.pk])
    first = measure_label_map(world.manager_client.get(url))
    for seed in (12, 13, 14):
        world.complete(world.team_a, seed=seed)
    second = measure_label_map(world.manager_client.get(url))
    for label, key in (
        ("The way things are", "status_quo"),
        ("Asking for commitment", "commitment"),
        ("Living with disapproval", "disapproval"),
    ):
        row_1, row_2 = first[(world.team_a.name, label)], second[(world.team_a.name, label)]
        assert (row_1["n"], row_2["n"]) == ("3", "6")
        assert set(row_2) == {"group", "measure", "n", "mean", "band", "note"}
        fits = set()
        for value in GRID:
            if shown_for([0.0, 0.0, value], 3, None) != (float(row_1["mean"]),):
                continue
            if any(
                shown_for([0.0, 0.0, value, *others], 3, None) == (float(row_2["mean"]),)
                for others in itertools.combinations_with_replacement(GRID, 3)
            ):
                fits.add(value)
        assert world.scores[victim.pk][key] in {round(v, 2) for v in fits}
        assert max(fits) - min(fits) > 4, (label, sorted(fits))


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


def test_the_overall_mean_adds_nothing_to_the_dimension_means(client, cohort):
    """The fourth hostile review, at k = 3: the overall mean rounded on its
    own is a fourth window on the same three numbers (a person's overall is
    the mean of their dimensions), and with colluders' answers tuned it
    pinned a middle dimension score to 3.125 points. The overall shown is
    now the mean of the shown dimension means, so every victim the four
    figures allow is one the three allow, and none is pinned."""
    world = World(cohort, k=3)
    world.complete(
        world.team_a,
        colluder=True,
        answers=answers_with_units({"status_quo": 17, "commitment": 2, "disapproval": 2}),
    )
    world.complete(
        world.team_a,
        colluder=True,
        answers=answers_with_units({"status_quo": 17, "commitment": 2, "disapproval": 1}),
    )
    victim = world.complete(
        world.team_a,
        answers=answers_with_units({"status_quo": 17, "commitment": 1, "disapproval": 5}),
    )
    rows = measure_label_map(
        world.manager_client.get(reverse("dashboards:team_csv", args=[world.team_a.pk]))
    )
    labels = {OVERALL: OVERALL_LABEL} | dict(Dimension.objects.values_list("key", "name"))
    seen = {key: float(rows[(world.team_a.name, label)]["mean"]) for key, label in labels.items()}
    known = [world.scores[pk] for pk in world.known]
    dimensions = ["status_quo", "commitment", "disapproval"]

    def shown(victim_scores: dict[str, float]) -> dict[str, float]:
        measures = {
            key: shown_measure(
                exact(
                    [Bucket(1, s, s * s) for s in [*(c[key] for c in known), victim_scores[key]]]
                ),
                3,
            )
            for key in dimensions
        }
        overall_exact = [sum(c[key] for key in dimensions) / 3 for c in known]
        overall_exact.append(sum(victim_scores[key] for key in dimensions) / 3)
        overall = shown_measure(exact([Bucket(1, s, s * s) for s in overall_exact]), 3)
        overall = overall_from_dimensions(overall, list(measures.values()))
        return {OVERALL: overall.mean} | {key: m.mean for key, m in measures.items()}

    fits = [
        dict(zip(dimensions, combo, strict=True))
        for combo in itertools.product(GRID, repeat=3)
        if shown(dict(zip(dimensions, combo, strict=True))) == seen
    ]
    truth = {key: world.scores[victim.pk][key] for key in dimensions}
    assert truth in [{key: round(v, 2) for key, v in fit.items()} for fit in fits]
    for key in dimensions:
        values = [fit[key] for fit in fits]
        assert max(values) - min(values) > 4, (key, sorted(set(values)))


# Class 2: differencing across time ------------------------------------------


def test_raising_the_minimum_does_not_republish_one_more_person(world):
    for seed in range(world.k):
        world.complete(world.team_a, seed=seed)
    world.read()
    with pytest.raises(cohort_services.CohortError):
        cohort_services.cohort_update(
            cohort=world.cohort, teams=world.cohort.teams.all(), min_group_size=world.k + 1
        )
    world.complete(world.team_a, seed=99)
    world.read()
    assert world.readings[-1][1].members == world.readings[0][1].members
    world.assert_nobody_is_singled_out()


def test_a_colluder_deleting_at_one_above_a_step_swaps_nobody_in(world):
    colluder = world.complete(world.team_a, colluder=True, seed=0)
    for seed in range(1, world.k):
        world.complete(world.team_a, seed=seed)
    world.read()
    world.complete(world.team_a, seed=50)  # the target: one above the step
    world.read()
    world.delete(colluder)
    world.read()
    assert len({reading.members for _, reading in world.readings}) == 1
    for seed in range(60, 60 + world.k - 1):
        world.complete(world.team_a, seed=seed)
        world.read()
    world.assert_nobody_is_singled_out()


def test_sharing_after_the_figures_are_shown_is_refused(world):
    people = [world.complete(world.team_a, seed=seed) for seed in range(world.k)]
    world.read()
    assert not world.share(people[0])
    world.read()
    world.assert_nobody_is_singled_out()


# Class 3: stuffing a group ----------------------------------------------------


def test_a_manager_cannot_stuff_their_own_small_team(world):
    for seed in range(world.k - 1):
        world.complete(world.team_a, seed=seed)
    world.read()
    # Under a second address, through the open link.
    stuffed = world.join(world.team_a, seed=77)
    world.read()
    board = world.manager_client.get(reverse("dashboards:team", args=[world.team_a.pk]))
    assert not board.context["board"].team_summary.shown
    # Nor under their own address, nor by being added by HR.
    with pytest.raises(cohort_services.CohortError, match="manages"):
        participant_services.participant_add(
            cohort=world.cohort, name="Martin", email=world.manager.email, team=world.team_a
        )
    # HR, who knows the team, would not confirm the stranger; if they did,
    # the figures would cover k people, one of them the attacker.
    world.confirm(stuffed)
    world.read()
    world.assert_nobody_is_singled_out()


def test_a_participant_cannot_become_their_teams_manager(world):
    person = world.complete(world.team_b, seed=1)
    user = make_user("pat")
    user.email = person.email
    user.save()
    with pytest.raises(cohort_services.CohortError, match="takes part"):
        team_services.team_manager_add(team=world.team_b, user=user)
    assert not TeamManager.objects.filter(user=user).exists()


# Class 4 and 5: exports --------------------------------------------------------


def test_hr_cannot_link_a_name_to_a_row(world):
    """Class 4: HR sees who completed by name. The export of a pseudonymised
    cohort holds no row per person, and reads the same before and after one
    person completes, so there is no new row to link to the new name."""
    for seed in range(world.k):
        world.complete(world.team_a, seed=seed)
    url = reverse("cohorts:export", args=[world.cohort.pk, "csv"])
    before = world.hr_client.get(url)
    newcomer = world.complete(world.team_a, seed=9)
    after = world.hr_client.get(url)
    assert before.status_code == after.status_code == 200
    assert before.content == after.content
    assert newcomer.pseudonym.encode() not in after.content
    assert "participant" not in next(csv.DictReader(io.StringIO(after.content.decode())))


def test_a_small_team_cannot_be_isolated_in_the_export(world):
    """Class 5: team B has fewer than k results. With no row per person there
    are no rows to match against team A's figures; team B is withheld in the
    export as on the dashboard, and so is the cohort beside team A."""
    for seed in range(world.k):
        world.complete(world.team_a, seed=seed)
    for seed in range(2):
        world.complete(world.team_b, seed=100 + seed)
    cohort_services.cohort_close(cohort=world.cohort)
    response = world.hr_client.get(reverse("cohorts:export", args=[world.cohort.pk, "csv"]))
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    team_b = [row for row in rows if row["group"] == world.team_b.name]
    assert team_b and all(not row["mean"] and row["note"].startswith("Withheld") for row in team_b)
    shown_n = {int(row["n"]) for row in rows if row["mean"]}
    assert shown_n <= {world.k}, shown_n  # team A alone: nothing counts B's two


# Any sequence of allowed actions ------------------------------------------------

ACTIONS = st.lists(
    st.one_of(
        st.tuples(st.just("complete"), st.sampled_from("AB"), st.booleans()),
        st.tuples(st.just("delete"), st.integers(0, 30)),
        st.tuples(st.just("share"), st.integers(0, 30), st.booleans()),
        st.tuples(st.just("join"), st.sampled_from("AB")),
        st.tuples(st.just("confirm"), st.integers(0, 30)),
        st.tuples(st.just("minimum"), st.integers(3, 8)),
    ),
    min_size=4,
    max_size=18,
)


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(actions=ACTIONS, seed=st.integers(0, 10**6))
def test_no_sequence_of_allowed_actions_singles_anyone_out(cohort, actions, seed):
    """Each example runs in its own savepoint, rolled back at the end."""
    cache.clear()  # ids may repeat after a rollback on SQLite
    with transaction.atomic():
        _run_sequence(Cohort.objects.get(pk=cohort.pk), actions, seed)
        transaction.set_rollback(True)


def _run_sequence(cohort: Cohort, actions: list, seed: int) -> None:
    world = World(cohort, k=3)
    people: list[Participant] = []
    # Enough to publish something, so that there is something to attack.
    for index in range(world.k):
        people.append(world.complete(world.team_a, seed=seed + index))
    world.read()
    for step, action in enumerate(actions):
        kind = action[0]
        if kind == "complete":
            team = world.team_a if action[1] == "A" else world.team_b
            colluder = action[2] and world.can_collude(team)
            people.append(world.complete(team, colluder=colluder, seed=seed + 100 + step))
        elif kind == "delete" and people:
            person = people[action[1] % len(people)]
            if Result.objects.filter(attempt__participant=person).exists():
                world.delete(person)
        elif kind == "share" and people:
            world.share(people[action[1] % len(people)], shared=action[2])
        elif kind == "join":
            team = world.team_a if action[1] == "A" else world.team_b
            if world.can_collude(team):
                people.append(world.join(team, seed=seed + 200 + step))
        elif kind == "confirm" and people:
            world.confirm(people[action[1] % len(people)])
        elif kind == "minimum":
            with pytest.raises(cohort_services.CohortError):
                cohort_services.cohort_update(
                    cohort=world.cohort,
                    teams=world.cohort.teams.all(),
                    min_group_size=world.k + action[1],
                )
        world.read()
    cohort_services.cohort_close(cohort=world.cohort)
    world.read()
    world.assert_nobody_is_singled_out()
