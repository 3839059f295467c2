"""Item statistics against a reference written from the formulas in pure
Python (no numpy, no scipy), on random data."""

import math
import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.content import psychometrics

# A reference implementation, from the textbook formulas ---------------------------


def variance(values: list[float]) -> float:
    mean = sum(values) / len(values)
    return sum((value - mean) ** 2 for value in values) / (len(values) - 1)


def reference_alpha(rows: list[list[float]]) -> float:
    items = len(rows[0])
    columns = [[row[j] for row in rows] for j in range(items)]
    totals = [sum(row) for row in rows]
    return items / (items - 1) * (1 - sum(variance(c) for c in columns) / variance(totals))


def pearson(xs: list[float], ys: list[float]) -> float:
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    return sxy / math.sqrt(sxx * syy)


def incomplete_beta(x: float, a: float, b: float) -> float:
    """The regularised incomplete beta I_x(a, b), by its continued fraction
    (modified Lentz), with the symmetry I_x(a, b) = 1 - I_(1-x)(b, a)."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    if x > (a + 1) / (a + b + 2):
        return 1 - incomplete_beta(1 - x, b, a)
    log_front = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
    front = math.exp(log_front + a * math.log(x) + b * math.log(1 - x)) / a
    # f = 1 + 1 / (1 + d1 / (1 + d2 / ...)), evaluated from the front.
    tiny = 1e-300
    f, c, d = 1.0, 1.0, 0.0
    for i in range(100_000):
        m = i // 2
        if i == 0:
            numerator = 1.0
        elif i % 2 == 0:
            numerator = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
        else:
            numerator = -((a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1))
        d = 1 + numerator * d
        d = 1 / (d if abs(d) > tiny else tiny)
        c = 1 + numerator / c
        c = c if abs(c) > tiny else tiny
        f *= c * d
        if abs(1 - c * d) < 1e-16:
            return front * (f - 1)
    raise AssertionError("the continued fraction did not converge")


def f_upper_quantile(tail: float, d1: float, d2: float) -> float:
    """x with P(F > x) = tail, by bisection on the F distribution's CDF."""

    def cdf(x: float) -> float:
        return incomplete_beta(d1 * x / (d1 * x + d2), d1 / 2, d2 / 2)

    low, high = 0.0, 1.0
    while cdf(high) < 1 - tail:
        high *= 2
    for _ in range(200):
        middle = (low + high) / 2
        if cdf(middle) < 1 - tail:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def reference_interval(alpha: float, people: int, items: int) -> tuple[float, float]:
    df1, df2 = people - 1, (people - 1) * (items - 1)
    return (
        1 - (1 - alpha) * f_upper_quantile(0.025, df1, df2),
        1 - (1 - alpha) * f_upper_quantile(0.975, df1, df2),
    )


# The tests ------------------------------------------------------------------------


def keyed_answers(rng: random.Random, people: int, items: int, signal: float) -> np.ndarray:
    """Answers 1..5 that share a latent trait to the degree ``signal``."""
    rows = []
    for _ in range(people):
        trait = rng.gauss(0, 1)
        row = [signal * trait + rng.gauss(0, 1) for _ in range(items)]
        rows.append([min(5, max(1, round(3 + value))) for value in row])
    return (np.array(rows, dtype=float) - 1) / 4


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    people=st.integers(3, 400),
    items=st.integers(2, 12),
    signal=st.floats(0, 3),
)
def test_alpha_its_interval_and_item_totals_equal_the_reference(seed, people, items, signal):
    points = keyed_answers(random.Random(seed), people, items, signal)
    rows = points.tolist()
    found = psychometrics.reliability(points)
    if found.alpha is None:  # everyone's total the same: the reference divides by zero
        assert variance([sum(row) for row in rows]) == 0
        return
    assert found.alpha == pytest.approx(reference_alpha(rows), abs=1e-9)
    lower, upper = reference_interval(found.alpha, people, items)
    assert found.lower == pytest.approx(lower, abs=1e-9)
    assert found.upper == pytest.approx(upper, abs=1e-9)
    assert found.lower is not None and found.upper is not None
    assert found.lower <= found.alpha <= found.upper
    expected = reference_item_total_where_defined(rows)
    for got, want in zip(psychometrics.item_total_correlations(points), expected, strict=True):
        if want is None:
            assert got is None
        else:
            assert got == pytest.approx(want, abs=1e-9)


def reference_item_total_where_defined(rows: list[list[float]]) -> list[float | None]:
    items = len(rows[0])
    out: list[float | None] = []
    for j in range(items):
        xs = [row[j] for row in rows]
        ys = [sum(row) - row[j] for row in rows]
        out.append(None if len(set(xs)) == 1 or len(set(ys)) == 1 else pearson(xs, ys))
    return out


def test_the_reference_f_quantile_matches_published_tables():
    # F(0.95; 5, 10) = 3.3258, F(0.99; 10, 20) = 3.3682 (standard tables).
    assert f_upper_quantile(0.05, 5, 10) == pytest.approx(3.3258, abs=5e-5)
    assert f_upper_quantile(0.01, 10, 20) == pytest.approx(3.3682, abs=5e-5)


def test_a_textbook_example():
    """Five people, four items, worked by hand in docs/psychometrics.md."""
    answers = np.array([[4, 4, 5, 4], [2, 3, 2, 2], [5, 4, 5, 5], [3, 3, 3, 2], [1, 2, 1, 2]])
    found = psychometrics.reliability((answers - 1) / 4)
    assert found.alpha == pytest.approx(4 / 3 * (1 - 8.4 / 29.8), abs=1e-12)  # 0.9575
    assert found.flag == "redundant"


def test_unanswerable_cases_give_no_figure_rather_than_a_wrong_one():
    same = np.full((10, 4), 0.5)
    assert psychometrics.reliability(same).alpha is None
    assert psychometrics.reliability(same).flag == ""
    assert psychometrics.item_total_correlations(same) == [None] * 4
    assert psychometrics.cronbach_alpha(np.zeros((1, 4))) is None
    assert psychometrics.cronbach_alpha(np.zeros((10, 1))) is None


def test_flags_follow_the_stated_thresholds():
    rng = random.Random(7)
    strong = psychometrics.reliability(keyed_answers(rng, 300, 8, 1.2))
    noise = psychometrics.reliability(keyed_answers(rng, 300, 8, 0.0))
    assert strong.alpha is not None and noise.alpha is not None
    assert psychometrics.ALPHA_LOW <= strong.alpha <= psychometrics.ALPHA_HIGH
    assert strong.flag == ""
    assert noise.alpha < psychometrics.ALPHA_LOW and noise.flag == "low"
    points = keyed_answers(rng, 300, 8, 1.2)
    points[:, 3] = keyed_answers(rng, 300, 1, 0.0)[:, 0]  # an item of its own
    answers = points * 4 + 1
    figures = psychometrics.item_figures(answers, points, range(1, 6))
    assert figures[3].flag == "weak"
    assert [f.flag for i, f in enumerate(figures) if i != 3] == [""] * 7
    assert all(sum(f.shares) == pytest.approx(1) for f in figures)
    assert figures[0].mean == pytest.approx(answers[:, 0].mean())
