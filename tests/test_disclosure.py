"""What a group of a given size may show (assessments/dashboards/disclosure.py)."""

import statistics as stats

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments.dashboards.disclosure import group_precise, round_to, shown_measure
from assessments.dashboards.statistics import Exact

GRID = [units * 100 / 32 for units in range(33)]


def exact_of(scores: list[float]) -> Exact:
    return Exact(n=len(scores), mean=stats.fmean(scores))


groups = st.integers(3, 8).flatmap(
    lambda k: st.tuples(st.just(k), st.lists(st.sampled_from(GRID), min_size=k, max_size=4 * k))
)


@given(groups)
def test_nobody_is_pinned_by_a_shown_mean(group):
    """Whatever the scores, the mean shown leaves each person a range wider
    than 4 points, even when everybody scored 100 or 0."""
    k, scores = group
    shown = shown_measure(exact_of(scores), k)
    assert shown is not None
    n = len(scores)
    step = 5 if n < 2 * k else 1
    low_sum, high_sum = n * max(0, shown.mean - step / 2), n * min(100, shown.mean + step / 2)
    person_low = max(0.0, low_sum - (n - 1) * 100)
    person_high = min(100.0, high_sum)
    assert person_high - person_low > 4
    assert abs(shown.mean - stats.fmean(scores)) <= step / 2


@given(groups)
def test_a_group_shows_its_means_only_finer_from_twice_the_minimum(group):
    k, scores = group
    shown = shown_measure(exact_of(scores), k)
    assert shown is not None
    assert not hasattr(shown, "sd") and not hasattr(shown, "median")
    if len(scores) < 2 * k:
        assert not shown.precise and shown.mean % 5 == 0
    else:
        assert shown.precise and shown.mean == round_to(stats.fmean(scores), 1)


def test_a_group_below_the_minimum_shows_nothing():
    assert shown_measure(exact_of([50.0, 60.0]), 3) is None


def test_a_group_of_teams_is_precise_only_when_each_team_is():
    assert group_precise([(10, 5), (12, 5)])
    assert not group_precise([(10, 5), (6, 5)])
    assert group_precise([(10, 5), (0, 5)])  # a team with no results is not in it
    assert not group_precise([(6, 3), (5, 3)])
    assert not group_precise([])


def test_the_exhaustive_attacker_pins_nobody_at_the_default_minimum():
    """bench/disclosure_search.py: k - 1 colluders (all 0, all 100, mixed)
    time the team's first publication to hold one other person, then read
    the second (2k). Every score the others could have is tried."""
    from bench.disclosure_search import GRID as SCORES
    from bench.disclosure_search import candidates, releases

    k = 5
    for seed in range(3):
        rng = __import__("random").Random(seed)
        victim = rng.choice(SCORES)
        batch = [[rng.choice(SCORES) for _ in range(k)]]
        for colluders in ([0.0] * 4, [100.0] * 4, [0.0, 100.0, 100.0, 100.0]):
            fits = candidates(k, colluders, victim, batch, releases)
            assert victim in fits
            assert max(fits) - min(fits) > 4, (seed, colluders, victim, fits)


@pytest.mark.parametrize("k", [3, 5])
def test_people_of_hrs_own_around_one_person_pin_nothing(k):
    """The hostile review of 6 December 2026: an HR admin puts V in a team of
    people of their own and, before each publication, chooses k more
    people's answers so that the new figure's rounding splits what V may
    still be in two. Under the old rule (every publication re-rounds
    everyone's mean) that pins every V in at most four publications; with
    releases, nothing after V's own release cuts what it left, however many
    follow.

    What the first release leaves is 5k points wide, clipped by the ends of
    the scale: a V at 0 or 100 can be left alone in it when the attacker
    lines the window up with the end (docs/confidentiality.md, the limits).
    """
    from bench.disclosure_search import GRID as SCORES
    from bench.disclosure_search import cumulative, puppet_attack, releases

    rng = __import__("random").Random(k)
    inside = [score for score in SCORES if 4 < score < 96]
    for victim in [0.0, 100.0, *rng.sample(inside, 6)]:
        old = puppet_attack(k, victim, cumulative, rounds=3).history
        assert victim in old[-1] and max(old[-1]) - min(old[-1]) <= 4  # the attack works
        history = puppet_attack(k, victim, releases, rounds=8).history
        assert all(possible == history[0] for possible in history), victim
        assert victim in history[0]
        if 4 < victim < 96:
            assert max(history[0]) - min(history[0]) > 4, (victim, history[0])


def test_rounding_is_half_up_and_stays_on_the_scale():
    assert round_to(72.5, 5) == 75 and round_to(72.4, 5) == 70
    assert round_to(99.9, 5) == 100 and round_to(-1, 5) == 0
