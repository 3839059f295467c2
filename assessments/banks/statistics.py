"""Item statistics for HR, per bank version and per cohort: each dimension's
Cronbach's alpha with its interval, each item's corrected item–total
correlation and mean answer, with flags (docs/psychometrics.md).

What is shown is coarse on purpose. An HR admin can make a bank version and
a cohort, and fill all but one of its results with answers of their own; a
figure precise enough to tell one person's answers from another's would then
give that person away. An attacker who knew every other result and read
alpha and the item–total correlations to two decimals pinned a person's
score in most trials at 30 results (tests/test_item_statistics.py). So:
alpha and the correlations to 0.1, mean answers to the nearest half, the
interval worked out around everything the alpha shown stands for (the exact
alpha's interval, rounded, would show alpha more finely), no answer
distributions (a count of people per answer is the item-level form of the
band counts the dashboards stopped showing), and nothing below 200 results,
where the same attacker pinned nobody whose answers were not all at one end.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from django.core.cache import cache
from django.db.models import QuerySet

from assessments.caching import data_digest
from assessments.content import psychometrics, scoring
from assessments.models import Attempt, BankVersion, Cohort, Dimension, Item, Response

# Shown from this many results. Statistically 30 would do (alpha's 95%
# interval at 8 items is then about .3 wide); but an attacker who supplied
# all the other results pinned someone who answered at one end on every
# statement in some trials at 30 and 100 even at the coarse precision
# below, and 1 in 60 of them at 200, where nobody else was (docs/psychometrics.md).
MIN_RESULTS = 200
# How long a computation is kept: it is keyed by the results it read.
CACHE_SECONDS = 3600
ALPHA_STEP = 0.1
ITEM_TOTAL_STEP = 0.1
MEAN_STEP = 0.5


def _to_step(value: float, step: float) -> float:
    return round(round(value / step) * step, 10)


# A mean answer this close to an end: most people gave the same answer, so
# the statement tells people apart poorly.
MEAN_AT_END = 1.5


@dataclass(frozen=True)
class ItemRow:
    item: Item
    mean: float  # answers 1..5, to the nearest half
    item_total: float | None  # to 0.1
    weak: bool  # the exact correlation is below psychometrics.ITEM_TOTAL_LOW

    @property
    def at_an_end(self) -> bool:
        return self.mean <= MEAN_AT_END or self.mean >= 6 - MEAN_AT_END


@dataclass(frozen=True)
class DimensionRow:
    dimension: Dimension
    alpha: float | None  # to 0.1; None where answers did not vary
    lower: float | None
    upper: float | None
    flag: str  # "", "low" or "redundant", from the exact alpha
    items: list[ItemRow]

    @property
    def weak_items(self) -> int:
        return sum(row.weak for row in self.items)

    @property
    def mostly_weak(self) -> bool:
        """Most statements weak at once points at the answers (careless or
        acquiescent people) before the statements."""
        return self.weak_items > len(self.items) / 2


@dataclass(frozen=True)
class ItemStatistics:
    results: int
    dimensions: list[DimensionRow]  # empty below MIN_RESULTS

    @property
    def shown(self) -> bool:
        return self.results >= MIN_RESULTS

    @property
    def minimum(self) -> int:
        return MIN_RESULTS


def version_statistics(version: BankVersion) -> ItemStatistics:
    """Every completed result of the version: taken alone or in any cohort."""
    attempts = Attempt.objects.filter(bank_version=version)
    return _statistics(version, attempts)


def cohort_statistics(cohort: Cohort) -> ItemStatistics:
    """The cohort's completed results: all of them in an identified cohort;
    in a pseudonymised one, those in its published figures (a result shared
    by name, or of a join-link team HR has not confirmed, is in no figure)."""
    attempts = Attempt.objects.filter(participant__cohort=cohort)
    if not cohort.identified:
        # tallies.counted, and in a published snapshot.
        attempts = attempts.filter(
            participant__team_confirmed=True,
            participant__shared_at__isnull=True,
            participant__published_at__isnull=False,
        )
    return _statistics(cohort.bank_version, attempts)


def _statistics(version: BankVersion, attempts: QuerySet[Attempt]) -> ItemStatistics:
    """Computed once for a set of results, and kept under a digest of which
    results they are: any result added or deleted gives a new key."""
    attempts = attempts.filter(status=Attempt.Status.SUBMITTED, result__isnull=False)
    ids = sorted(str(pk) for pk in attempts.values_list("pk", flat=True))
    if len(ids) < MIN_RESULTS:
        return ItemStatistics(len(ids), [])
    key = f"item-statistics:{version.pk}:{data_digest(*ids)}"
    found: ItemStatistics | None = cache.get(key)
    if found is None:
        found = _computed(version, attempts)
        cache.set(key, found, timeout=CACHE_SECONDS)
    return found


def _computed(version: BankVersion, attempts: QuerySet[Attempt]) -> ItemStatistics:
    items = list(version.items.select_related("dimension").order_by("order"))
    answers = _answer_matrix(items, attempts.values_list("pk", flat=True))
    results = answers.shape[0]
    if results < MIN_RESULTS:
        return ItemStatistics(results, [])
    dimensions = sorted({item.dimension for item in items}, key=lambda d: d.order)
    rows = []
    for dimension in dimensions:
        columns = [i for i, item in enumerate(items) if item.dimension_id == dimension.pk]
        rows.append(_dimension_row(dimension, [items[i] for i in columns], answers[:, columns]))
    return ItemStatistics(results, rows)


def _answer_matrix(items: list[Item], attempt_ids: Iterable) -> np.ndarray:
    """People by items, each answer as given (1..5); only people who
    answered every item (a submitted attempt always has)."""
    column = {item.pk: index for index, item in enumerate(items)}
    by_attempt: dict[object, list[int]] = {}
    responses = Response.objects.filter(attempt__in=attempt_ids, item__in=list(column))
    for attempt, item, value in responses.values_list("attempt_id", "item_id", "value"):
        row = by_attempt.setdefault(attempt, [0] * len(items))
        row[column[item]] = value
    complete = [row for row in by_attempt.values() if all(row)]
    return np.array(complete, dtype=float).reshape(len(complete), len(items))


def _dimension_row(dimension: Dimension, items: list[Item], answers: np.ndarray) -> DimensionRow:
    points = np.column_stack(
        [_keyed(item.pole, answers[:, index]) for index, item in enumerate(items)]
    )
    exact = psychometrics.reliability(points)
    figures = psychometrics.item_figures(answers, points, range(1, 6))
    alpha = lower = upper = None
    if exact.alpha is not None:
        alpha = _to_step(exact.alpha, ALPHA_STEP)
        # Around everything the alpha shown stands for (alpha ± half a step),
        # rounded outwards: it holds the exact alpha's own interval, and
        # says nothing the alpha shown does not.
        low, _ = psychometrics.alpha_interval(alpha - ALPHA_STEP / 2, exact.people, exact.items)
        _, high = psychometrics.alpha_interval(alpha + ALPHA_STEP / 2, exact.people, exact.items)
        lower = math.floor(low * 100) / 100
        upper = min(1.0, math.ceil(high * 100) / 100)
    return DimensionRow(
        dimension=dimension,
        alpha=alpha,
        lower=lower,
        upper=upper,
        flag=exact.flag,
        items=[
            ItemRow(
                item=item,
                mean=_to_step(figure.mean, MEAN_STEP),
                item_total=None
                if figure.item_total is None
                else _to_step(figure.item_total, ITEM_TOTAL_STEP),
                weak=figure.flag == "weak",
            )
            for item, figure in zip(items, figures, strict=True)
        ],
    )


def _keyed(pole: str, column: np.ndarray) -> np.ndarray:
    """Answers as points towards the leader end, as ``scoring.item_points``."""
    span = scoring.LIKERT_MAX - scoring.LIKERT_MIN
    if pole == scoring.LEADER:
        return (column - scoring.LIKERT_MIN) / span
    return (scoring.LIKERT_MAX - column) / span
