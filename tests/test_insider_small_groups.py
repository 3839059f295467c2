"""Class 1 of issue 8 (and 6): too many statistics for a small group. The
hostile reviews' attacks on one team's or one cohort's figures, each
searched over every score the shown numbers allow (see
tests/test_insider_attacks.py for the rest of the insider attacks)."""

import itertools
import statistics

import pytest
from django.urls import reverse

from assessments.dashboards.disclosure import (
    Measure,
    group_precise,
    overall_from_dimensions,
    shown_measure,
)
from assessments.dashboards.statistics import Exact
from assessments.models import OVERALL, Dimension, Participant
from assessments.presentation import OVERALL_LABEL
from tests.insider_world import (
    World,
    answers_with_units,
    leader_end,
    measure_label_map,
    seller_end,
)


def measure_shown(exact_stats, k: int, is_precise: bool | None = None) -> Measure:
    """What the app shows of a group's measure; these groups are never withheld."""
    measure = shown_measure(exact_stats, k, is_precise)
    assert measure is not None
    return measure


@pytest.fixture
def world(cohort) -> World:
    return World(cohort)


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
    exact_stats = Exact(n=len(scores), mean=statistics.fmean(scores))
    return (measure_shown(exact_stats, k, is_precise).mean,)


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

    def shown_to_attacker(victim_scores: dict[str, float]) -> dict[str, float]:
        measures = {
            key: measure_shown(
                Exact(n=3, mean=statistics.fmean([*(c[key] for c in known), victim_scores[key]])),
                3,
            )
            for key in dimensions
        }
        overall_exact = [sum(c[key] for key in dimensions) / 3 for c in known]
        overall_exact.append(sum(victim_scores[key] for key in dimensions) / 3)
        overall = measure_shown(Exact(n=3, mean=statistics.fmean(overall_exact)), 3)
        overall = overall_from_dimensions(overall, list(measures.values()))
        return {OVERALL: overall.mean} | {key: m.mean for key, m in measures.items()}

    fits = [
        dict(zip(dimensions, combo, strict=True))
        for combo in itertools.product(GRID, repeat=3)
        if shown_to_attacker(dict(zip(dimensions, combo, strict=True))) == seen
    ]
    truth = {key: world.scores[victim.pk][key] for key in dimensions}
    assert truth in [{key: round(v, 2) for key, v in fit.items()} for fit in fits]
    for key in dimensions:
        values = [fit[key] for fit in fits]
        assert max(values) - min(values) > 4, (key, sorted(set(values)))
