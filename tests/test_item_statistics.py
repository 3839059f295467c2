"""HR's item statistics: the page, who is counted, and an attacker who
supplied every result but one and tries to solve for the last person."""

import itertools
import math

import numpy as np
import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.banks import statistics
from assessments.cohorts import services as cohort_services
from assessments.content import psychometrics, scoring
from assessments.models import (
    Attempt,
    Dimension,
    Item,
    Participant,
    Release,
    Response,
    StatisticsBlock,
)
from tests.helpers import add_people, bulk_results, complete

K = 8  # statements per difference in the default bank


# The attacker ------------------------------------------------------------------------
#
# They know the other n - 1 people's answers (they supplied them) and the rules
# of what is shown (docs/psychometrics.md), read the page, and keep every
# answer pattern the last person could have given that shows the same. The
# person is pinned if every pattern kept gives a score within 2 points.

CANDIDATES = np.array(list(itertools.product(range(5), repeat=K)), dtype=float) / 4


def shown_for_every_candidate(known: np.ndarray, decimals: int) -> np.ndarray:
    """What the page shows with each candidate as the last person: alpha,
    item-total correlations and flags to ``decimals`` (the page uses 1),
    mean answers in halves. Sums kept apart so that 390,625 candidates take
    a second."""
    n = known.shape[0] + 1
    s1, s2 = known.sum(0) + CANDIDATES, (known**2).sum(0) + CANDIDATES**2
    totals = known.sum(1)
    t = CANDIDATES.sum(1)
    st, st2 = totals.sum() + t, (totals**2).sum() + t**2
    xt = (known * totals[:, None]).sum(0) + CANDIDATES * t[:, None]
    var_i = (s2 - s1**2 / n) / (n - 1)
    var_t = (st2 - st**2 / n) / (n - 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        alpha = K / (K - 1) * (1 - var_i.sum(1) / var_t)
        cov_it = (xt - s1 * st[:, None] / n) / (n - 1)
        rest = var_t[:, None] - 2 * cov_it + var_i
        r = (cov_it - var_i) / np.sqrt(var_i * rest)
    scale = 10**decimals
    columns = [np.round(alpha * scale), alpha < 0.7, alpha > 0.95]
    columns += [*np.round(r * scale).T, *(r < 0.3).T, *np.round(s1 / n * 4 * 2).T]
    return np.nan_to_num(np.stack(columns, 1), nan=-999)


def people(rng: np.random.Generator, n: int) -> np.ndarray:
    """Keyed points of n people on one difference who share a trait."""
    trait = rng.normal(size=n)[:, None] * rng.uniform(0.3, 1.5)
    return np.clip(np.round(2 + trait + rng.normal(size=(n, K)) * 0.9), 0, 4) / 4


def scores_left(known: np.ndarray, victim: np.ndarray, decimals: int) -> np.ndarray:
    shown = shown_for_every_candidate(known, decimals)
    index = int(np.flatnonzero((victim == CANDIDATES).all(1))[0])
    fits = (shown == shown[index]).all(1)
    return CANDIDATES[fits].mean(1) * 100


def test_the_attackers_model_of_the_page_is_the_page():
    """Before solving, the attacker checks that its copy of the rules gives
    what the page shows, so that a wrong model fails as such."""
    rng = np.random.default_rng(3)
    points = people(rng, statistics.MIN_RESULTS)
    items = [Item(pole=scoring.LEADER, text=f"item {i}", order=i) for i in range(K)]
    answers = points * 4 + 1
    row = statistics._dimension_row(Dimension(name="d"), items, answers)
    mine = shown_for_every_candidate(points[:-1], 1)
    victim = int(np.flatnonzero((points[-1] == CANDIDATES).all(1))[0])
    assert row.alpha is not None
    assert mine[victim][0] == round(row.alpha * 10)
    assert [mine[victim][3 + i] for i in range(K)] == [
        round(r.item_total * 10) for r in row.items if r.item_total is not None
    ]
    assert [bool(mine[victim][3 + K + i]) for i in range(K)] == [r.weak for r in row.items]
    assert [mine[victim][3 + 2 * K + i] / 2 + 1 for i in range(K)] == [r.mean for r in row.items]


def test_figures_to_two_decimals_at_30_results_would_give_people_away():
    """The attacker is not toothless: against the precision a statistics
    package prints, at the threshold the issue first asked for, it pins most."""
    rng = np.random.default_rng(30)
    pinned = 0
    for _ in range(5):
        points = people(rng, 30)
        left = scores_left(points[:-1], points[-1], decimals=2)
        pinned += left.max() - left.min() <= 2
    assert pinned >= 3


@pytest.mark.parametrize("seed", range(6))
def test_at_the_minimum_nobody_with_mixed_answers_is_pinned(seed):
    rng = np.random.default_rng(1000 + seed)
    points = people(rng, statistics.MIN_RESULTS)
    if seed % 2:  # a victim who answers anything at all, not like the others
        points[-1] = rng.integers(0, 5, K) / 4
    left = scores_left(points[:-1], points[-1], decimals=1)
    assert left.max() - left.min() > 2, f"pinned to {left.min()}..{left.max()}"


# The page ----------------------------------------------------------------------------


def test_designed_results_pin_the_last_person_which_is_why_the_pages_are_off():
    """The eighth hostile review: 199 results of the attacker's own, 51
    answering 4 and 148 answering 3 to every statement (so that, with half
    the statements keyed to each pole, every total sits still and every
    statement's sum lies on a rounding boundary). Alpha and the item-total
    correlations then swing with the last person's answers alone, and the
    figures as rounded give back that person's exact score in most trials.
    No rounding survives an attacker who chooses every other result: the
    pages show no figures (statistics.WITHHELD)."""
    rng = np.random.default_rng(5)
    four = np.array([0.75, 0.25] * (K // 2))  # answer 4, leader- and seller-keyed
    known = np.vstack([np.tile(four, (51, 1)), np.full((148, K), 0.5)])
    exact = 0
    for _ in range(10):
        left = scores_left(known, rng.integers(0, 5, K) / 4, decimals=1)
        exact += left.max() == left.min()
    assert exact >= 6


def test_the_pages_show_no_figures_and_say_why(hr_client, bank_version, cohort):
    bulk_results(bank_version, statistics.MIN_RESULTS)
    for url in (
        reverse("banks:version_statistics", args=[bank_version.pk]),
        reverse("cohorts:statistics", args=[cohort.pk]),
    ):
        page = hr_client.get(url).text
        assert "Item statistics are switched off." in page
        assert "Cronbach" not in page and "statistics-table" not in page
    assert not StatisticsBlock.objects.exists()  # nothing is worked out either


def test_a_versions_statistics_equal_the_formulas_shown_coarsely(bank_version):
    bulk_results(bank_version, statistics.MIN_RESULTS)
    shown = statistics.version_statistics(bank_version)
    assert shown.results == statistics.MIN_RESULTS and shown.shown
    items = list(bank_version.items.order_by("order"))
    for row in shown.dimensions:
        mine = [item for item in items if item.dimension_id == row.dimension.pk]
        answers = np.array(
            [
                [Response.objects.get(attempt=attempt, item=item).value for item in mine]
                for attempt in Attempt.objects.filter(bank_version=bank_version)
            ],
            dtype=float,
        )
        points = np.column_stack(
            [
                (a - 1) / 4 if i.pole == scoring.LEADER else (5 - a) / 4
                for i, a in zip(mine, answers.T, strict=True)
            ]
        )
        exact = psychometrics.reliability(points)
        assert exact.alpha is not None and row.alpha == round(exact.alpha, 1)
        # The range shown is around all the alpha shown stands for, so it
        # holds the exact alpha and the exact alpha's own interval.
        lower, upper = psychometrics.alpha_interval(row.alpha - 0.05, exact.people, exact.items)
        assert row.lower == math.floor(lower * 100) / 100
        assert exact.lower is not None and exact.upper is not None
        assert row.lower is not None and row.upper is not None
        assert row.lower <= exact.lower <= exact.alpha <= exact.upper <= row.upper
        assert [r.mean for r in row.items] == [round(m * 2) / 2 for m in answers.mean(0)]


def released(cohort, team, people) -> Release:
    """Put people in one release of their team's figures, as publish_if_due does."""
    release = Release.objects.create(cohort=cohort, team=team, count=len(people), step=5)
    Participant.objects.filter(pk__in=[p.pk for p in people]).update(
        release=release, published_at=release.released_at
    )
    return release


def test_a_cohort_counts_only_results_in_its_team_figures(cohort, bank_version):
    emea, us = cohort.teams.order_by("name")
    people = add_people(cohort, emea, statistics.MIN_RESULTS + 1, "emea")
    waiting = add_people(cohort, us, 3, "us")  # fewer than the minimum: in no release
    bulk_results(bank_version, len(people), participants=people)
    for person in waiting:
        complete(person)
    shown = statistics.cohort_statistics(cohort)
    assert (shown.results, shown.waiting, shown.shown) == (0, 0, False)  # nothing released
    Participant.objects.filter(pk=people[0].pk).update(shared_at=timezone.now())
    released(cohort, emea, people[1:])
    shown = statistics.cohort_statistics(cohort)
    assert (shown.results, shown.blocks, shown.waiting) == (statistics.MIN_RESULTS, 1, 0)


def test_each_result_is_looked_at_once(bank_version):
    """A block's figures are worked out when it fills and never again: a
    result added after, or one of its own deleted, changes nothing until a
    new block of 200 fills, and then the figures are the mean of the
    blocks' rounded figures. (The unit the pages will need once they show
    figures again; see statistics.WITHHELD.)"""
    bulk_results(bank_version, statistics.MIN_RESULTS, seed=1)
    first = statistics.version_statistics(bank_version)
    (block,) = StatisticsBlock.objects.all()
    for seed in range(2, 6):  # one result at a time, each different
        bulk_results(bank_version, 1, seed=seed)
        again = statistics.version_statistics(bank_version)
        assert again.dimensions == first.dimensions and again.waiting == seed - 1
    Attempt.objects.filter(result__statistics_block__block=block)[:1].get().delete()
    assert statistics.version_statistics(bank_version).dimensions == first.dimensions
    block.refresh_from_db()
    assert block.results == statistics.MIN_RESULTS and block.members.count() == 199

    bulk_results(bank_version, statistics.MIN_RESULTS - 4, seed=9)
    both = statistics.version_statistics(bank_version)
    assert (both.blocks, both.results, both.waiting) == (2, 2 * statistics.MIN_RESULTS, 0)
    second = StatisticsBlock.objects.exclude(pk=block.pk).get()
    assert not {m.result_id for m in second.members.all()} & {
        m.result_id for m in block.members.all()
    }
    for row, one, two in zip(
        both.dimensions, block.figures["dimensions"], second.figures["dimensions"], strict=True
    ):
        assert row.alpha == round(round((one["alpha"] + two["alpha"]) / 2 / 0.1) * 0.1, 10)
        means = [
            (a["mean"] + b["mean"]) / 2 for a, b in zip(one["items"], two["items"], strict=True)
        ]
        assert [r.mean for r in row.items] == [round(m * 2) / 2 for m in means]


def test_a_cohorts_results_are_its_own_until_it_closes(cohort, bank_version):
    """While open, a cohort's results fill blocks of its own; once it closes,
    those in no block go to the version's own stream, with results taken
    alone. No result is in two blocks."""
    emea = cohort.teams.order_by("name").first()
    people = add_people(cohort, emea, statistics.MIN_RESULTS + 50, "emea")
    bulk_results(bank_version, len(people), participants=people)
    released(cohort, emea, people)
    bulk_results(bank_version, statistics.MIN_RESULTS - 50)  # taken alone
    assert statistics.blocks_form(bank_version) == 1
    assert StatisticsBlock.objects.get().cohort == cohort
    assert statistics.blocks_form(bank_version) == 0  # nothing formed twice
    cohort_services.cohort_close(cohort=cohort)
    assert statistics.blocks_form(bank_version) == 1
    assert (
        StatisticsBlock.objects.filter(cohort=None)
        .get()
        .members.filter(result__attempt__participant__cohort=cohort)
        .count()
        == 50
    )
    assert statistics.version_statistics(bank_version).blocks == 2
    assert statistics.cohort_statistics(cohort).blocks == 1


def test_only_hr_admins_read_item_statistics(client, participant, manager, bank_version, cohort):
    for user in (participant, manager):
        client.force_login(user)
        for url in (
            reverse("banks:version_statistics", args=[bank_version.pk]),
            reverse("cohorts:statistics", args=[cohort.pk]),
        ):
            assert client.get(url).status_code == 403


def test_flags_at_a_boundary_say_under_rather_than_a_figure_that_contradicts_them():
    items = [Item(pole=scoring.LEADER, text=f"item {i}", order=i) for i in range(K)]
    rng = np.random.default_rng(9)
    points = people(rng, statistics.MIN_RESULTS)
    # One statement answered at random: weak, its correlation near 0.
    points[:, 0] = rng.integers(0, 5, statistics.MIN_RESULTS) / 4
    row = statistics._dimension_row(Dimension(name="d", key="d"), items, points * 4 + 1)
    assert row.items[0].weak and not any(r.weak for r in row.items[1:])
    assert row.weak_items == 1 and not row.mostly_weak
