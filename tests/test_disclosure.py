"""What a group of a given size may show (assessments/dashboards/disclosure.py)."""

import statistics as stats

from hypothesis import given
from hypothesis import strategies as st

from assessments.dashboards.disclosure import (
    QUARTILE_STEP,
    SD_FLOOR,
    round_to,
    shown_bands,
    shown_measure,
)
from assessments.dashboards.statistics import Bucket, exact

GRID = [units * 100 / 32 for units in range(33)]


def exact_of(scores: list[float]):
    buckets: dict[int, list[float]] = {}
    for score in scores:
        buckets.setdefault(min(100, int(score)), []).append(score)
    return exact(
        [
            Bucket(len(values), sum(values), sum(v * v for v in values))
            for _, values in sorted(buckets.items())
        ]
    )


groups = st.integers(3, 8).flatmap(
    lambda k: st.tuples(st.just(k), st.lists(st.sampled_from(GRID), min_size=k, max_size=4 * k))
)


@given(groups)
def test_nobody_is_pinned_by_a_shown_mean(group):
    """Whatever the scores, the mean shown leaves each person a range wider
    than 4 points, even when everybody scored 100 or 0."""
    k, scores = group
    shown = shown_measure(exact_of(scores), k)
    n = len(scores)
    step = 5 if n < 2 * k else 1
    low_sum, high_sum = n * max(0, shown.mean - step / 2), n * min(100, shown.mean + step / 2)
    person_low = max(0.0, low_sum - (n - 1) * 100)
    person_high = min(100.0, high_sum)
    assert person_high - person_low > 4
    assert abs(shown.mean - stats.fmean(scores)) <= step / 2


@given(groups)
def test_small_groups_show_the_mean_only(group):
    k, scores = group
    shown = shown_measure(exact_of(scores), k)
    if len(scores) < 2 * k:
        assert (shown.sd, shown.q1, shown.median, shown.q3) == (None, None, None, None)
        assert shown.mean % 5 == 0
        assert shown_bands({"leader": 1, "seller": len(scores) - 1}, len(scores), k) == {}
    else:
        assert shown.median % QUARTILE_STEP == 0 and shown.q1 <= shown.median <= shown.q3
        assert shown.sd >= SD_FLOOR


def test_a_group_below_the_minimum_shows_nothing():
    assert shown_measure(exact_of([50.0, 60.0]), 3) is None
    assert shown_bands({"leader": 2}, 2, 3) == {}


def test_a_spread_near_zero_is_not_told():
    """Everybody alike would otherwise be plain from an SD of 0."""
    shown = shown_measure(exact_of([50.0] * 10), 5)
    assert shown.sd_under_floor and shown.sd_text == "under 5"


def test_bands_below_the_minimum_are_not_counted_out():
    assert shown_bands({"seller": 1, "balanced": 9, "leader": 0}, 10, 5) == {
        "seller": None,
        "balanced": 9,
        "leader": None,
    }


def test_rounding_is_half_up_and_stays_on_the_scale():
    assert round_to(72.5, 5) == 75 and round_to(72.4, 5) == 70
    assert round_to(99.9, 5) == 100 and round_to(-1, 5) == 0
