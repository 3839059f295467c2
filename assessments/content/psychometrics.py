"""Item statistics: how far a dimension's items measure one thing, and how
well each item takes part.

Pure numpy and scipy with no database access, like scoring.py, so that the
formulas can be checked against an independent implementation.
docs/psychometrics.md gives every formula, the thresholds and why.

A dimension's answers are a matrix of people by items, each answer as the
points it gives towards the leader end (``scoring.item_points``: 0 to 1,
seller-keyed items reversed), so that every item of a dimension counts in
the same direction.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

# What the page flags, and why (docs/psychometrics.md):
ALPHA_LOW = 0.70  # the items agree too little to add up to one position
ALPHA_HIGH = 0.95  # the items say the same thing over: some could go
ITEM_TOTAL_LOW = 0.30  # the item goes its own way from the rest of its dimension
CONFIDENCE = 0.95


@dataclass(frozen=True)
class Reliability:
    """Cronbach's alpha of a set of items and Feldt's interval around it;
    None where the answers do not vary enough to compute it."""

    alpha: float | None
    lower: float | None
    upper: float | None
    people: int
    items: int

    @property
    def flag(self) -> str:
        if self.alpha is None:
            return ""
        if self.alpha < ALPHA_LOW:
            return "low"
        if self.alpha > ALPHA_HIGH:
            return "redundant"
        return ""


def cronbach_alpha(points: np.ndarray) -> float | None:
    """k / (k - 1) * (1 - sum of the items' variances / variance of the totals),
    with sample variances (n - 1). None when there are fewer than two
    people or two items, or when nobody's total differs from anyone's."""
    people, items = points.shape
    if people < 2 or items < 2:
        return None
    total_variance = points.sum(axis=1).var(ddof=1)
    if total_variance == 0:
        return None
    item_variances = points.var(axis=0, ddof=1).sum()
    return float(items / (items - 1) * (1 - item_variances / total_variance))


def alpha_interval(
    alpha: float, people: int, items: int, level: float = CONFIDENCE
) -> tuple[float, float]:
    """Feldt's (1965) interval: (1 - alpha) / (1 - true alpha) follows an F
    distribution with n - 1 and (n - 1)(k - 1) degrees of freedom."""
    df1 = people - 1
    df2 = df1 * (items - 1)
    tail = (1 - level) / 2
    lower = 1 - (1 - alpha) * stats.f.isf(tail, df1, df2)
    upper = 1 - (1 - alpha) * stats.f.isf(1 - tail, df1, df2)
    return float(lower), float(upper)


def reliability(points: np.ndarray) -> Reliability:
    people, items = points.shape
    alpha = cronbach_alpha(points)
    if alpha is None:
        return Reliability(None, None, None, people, items)
    lower, upper = alpha_interval(alpha, people, items)
    return Reliability(alpha, lower, upper, people, items)


def item_total_correlations(points: np.ndarray) -> list[float | None]:
    """Each item's Pearson correlation with the total of the dimension's
    other items (corrected: an item left in its own total correlates with
    itself). None for an item, or a rest, that nobody answered differently."""
    totals = points.sum(axis=1)
    correlations: list[float | None] = []
    for index in range(points.shape[1]):
        item = points[:, index]
        rest = totals - item
        if item.std() == 0 or rest.std() == 0:
            correlations.append(None)
        else:
            correlations.append(float(np.corrcoef(item, rest)[0, 1]))
    return correlations


@dataclass(frozen=True)
class ItemFigures:
    """One item's statistics: its mean answer (1 to 5, as given, before
    keying), the share giving each answer, and its corrected item-total
    correlation."""

    mean: float
    shares: tuple[float, ...]  # of answers 1..5, each from 0 to 1
    item_total: float | None

    @property
    def flag(self) -> str:
        if self.item_total is not None and self.item_total < ITEM_TOTAL_LOW:
            return "weak"
        return ""


def item_figures(
    answers: np.ndarray, points: np.ndarray, scale: Sequence[int]
) -> list[ItemFigures]:
    """Per item: ``answers`` as given (people by items), ``points`` keyed."""
    correlations = item_total_correlations(points)
    people = answers.shape[0]
    figures = []
    for index, correlation in enumerate(correlations):
        column = answers[:, index]
        shares = tuple(float((column == value).sum() / people) for value in scale)
        figures.append(ItemFigures(float(column.mean()), shares, correlation))
    return figures
