"""Precision, consistency and real change, checked against the latent model
of the simulated responders (content/simulation.py)."""

import json
import math

import numpy as np
import pytest
from django.conf import settings
from hypothesis import given
from hypothesis import strategies as st

from assessments.content import measurement, scoring, simulation
from assessments.content.measurement import PRIOR, Precision


def default_items() -> list[simulation.ItemSpec]:
    path = settings.BASE_DIR / "assessments" / "data" / "default_bank.json"
    data = json.loads(path.read_text())
    return [
        simulation.ItemSpec(index, item["dimension"], item["pole"])
        for index, item in enumerate(data["items"])
    ]


ITEMS = default_items()
DIMENSIONS = sorted({item.dimension for item in ITEMS})


def answers_of(person: simulation.SimulatedPerson) -> list[scoring.Answer]:
    return [scoring.Answer(i.dimension, i.pole, person.answers[i.key]) for i in ITEMS]


def scores_of(person: simulation.SimulatedPerson) -> dict[str, float]:
    return dict(scoring.score(answers_of(person), DIMENSIONS).dimensions)


# Precision ---------------------------------------------------------------------------


def test_the_prior_band_is_the_stated_formula():
    assert PRIOR.sem == pytest.approx(18 * math.sqrt(0.2))
    assert PRIOR.margin == pytest.approx(1.959963984540054 * 18 * math.sqrt(0.2))
    low, high = measurement.band(50)
    assert (low, high) == pytest.approx((50 - PRIOR.margin, 50 + PRIOR.margin))
    assert measurement.band(3) == pytest.approx((0, 3 + PRIOR.margin))  # cut at the ends
    assert measurement.band(99)[1] == 100


def test_the_prior_is_no_narrower_than_the_simulated_population_needs():
    """95% of attentive people's scores lie within the band around their
    true position: the band is honest for the model it was set from."""
    people = simulation.simulate(ITEMS, 2000, simulation.Population(0, 0), seed=5)
    inside = [
        abs(scores_of(person)[d] - person.true_positions[d]) <= PRIOR.margin
        for person in people
        for d in DIMENSIONS
    ]
    assert np.mean(inside) >= 0.95


# Real change -------------------------------------------------------------------------


@given(
    before=st.floats(0, 100),
    after=st.floats(0, 100),
    alpha=st.floats(0, 0.99),
    sd=st.floats(1, 40),
)
def test_a_change_is_real_only_beyond_its_threshold(before, after, alpha, sd):
    precision = Precision(alpha, sd, "data")
    change = measurement.reliable_change(before, after, precision)
    assert change.threshold == pytest.approx(1.959963984540054 * math.sqrt(2) * precision.sem)
    assert change.real == (abs(after - before) > change.threshold)
    assert measurement.reliable_change(after, before, precision).real == change.real


@given(
    mean1=st.floats(0, 100),
    mean2=st.floats(0, 100),
    n1=st.integers(1, 5000),
    n2=st.integers(1, 5000),
    extra=st.integers(1, 5000),
)
def test_a_group_change_needs_less_difference_the_more_people(mean1, mean2, n1, n2, extra):
    small = measurement.group_change(mean1, n1, mean2, n2)
    large = measurement.group_change(mean1, n1 + extra, mean2, n2 + extra)
    assert large.threshold < small.threshold
    assert small.real == (abs(mean2 - mean1) > small.threshold)
    # A difference real for the small groups is real for the larger ones.
    assert not small.real or large.real


def test_a_retake_without_a_real_change_is_rarely_called_one():
    """The same people (spread 0 around their own theta) retaking: at most
    about 5% of differences flagged, as a 95% criterion promises."""
    rng = np.random.default_rng(11)
    flagged = []
    for index in range(300):
        theta = {d: float(rng.normal()) for d in DIMENSIONS}
        population = simulation.Population(0, 0, spread=0)
        first, second = (
            simulation.simulate(ITEMS, 1, population, seed=2 * index + j, lean=theta)[0]
            for j in (0, 1)
        )
        for d in DIMENSIONS:
            change = measurement.reliable_change(scores_of(first)[d], scores_of(second)[d])
            flagged.append(change.real)
    assert np.mean(flagged) <= 0.05


def test_a_retake_after_a_large_real_change_is_called_one():
    rng = np.random.default_rng(12)
    flagged = []
    for index in range(200):
        theta = float(rng.normal(-1, 0.3))
        population = simulation.Population(0, 0, spread=0)
        before = simulation.simulate(
            ITEMS, 1, population, seed=index, lean=dict.fromkeys(DIMENSIONS, theta)
        )[0]
        after = simulation.simulate(
            ITEMS, 1, population, seed=10_000 + index, lean=dict.fromkeys(DIMENSIONS, theta + 2.5)
        )[0]
        d = DIMENSIONS[index % 3]
        flagged.append(measurement.reliable_change(scores_of(before)[d], scores_of(after)[d]).real)
    assert np.mean(flagged) >= 0.8


# Consistency -------------------------------------------------------------------------


def test_the_same_answer_to_everything_is_unclear():
    for value in range(1, 6):
        answers = [scoring.Answer(i.dimension, i.pole, value) for i in ITEMS]
        found = measurement.consistency(answers)
        assert found.same_answer and not found.clear
        assert all(found.unclear(d) for d in DIMENSIONS)


def test_agreeing_with_both_poles_of_a_difference_is_unclear_there_only():
    answers = [
        scoring.Answer(
            i.dimension,
            i.pole,
            5 if i.dimension == "commitment" else (5 if i.pole == scoring.LEADER else 1),
        )
        for i in ITEMS
    ]
    found = measurement.consistency(answers)
    assert found.both_poles == ("commitment",) and not found.same_answer
    assert found.unclear("commitment") and not found.unclear("disapproval")


def test_acquiescent_people_are_flagged_and_attentive_ones_are_not():
    population = simulation.Population(careless=0, acquiescent=0.5)
    people = simulation.simulate(ITEMS, 2000, population, seed=13)
    flagged: dict[str, list[bool]] = {simulation.ATTENTIVE: [], simulation.ACQUIESCENT: []}
    for person in people:
        flagged[person.kind].append(not measurement.consistency(answers_of(person)).clear)
    assert np.mean(flagged[simulation.ACQUIESCENT]) >= 0.9
    assert np.mean(flagged[simulation.ATTENTIVE]) <= 0.03
