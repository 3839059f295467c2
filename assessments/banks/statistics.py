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
band counts the dashboards stopped showing), and nothing from fewer than
200 results, where the same attacker pinned nobody whose answers were not
all at one end.

And each result is looked at once. Statistics are worked out in blocks of
200 results (``models.StatisticsBlock``), each when it fills and never
again, and the pages show figures worked out from blocks alone. Worked out
afresh from every result each time one came in, each new result would be a
fresh rounding of the same people: an attacker adding results of their own
one at a time, each chosen to move a rounding boundary, would cut the last
person's answers down a bit at a time, as the sixth hostile review did to
the dashboards (docs/confidentiality.md, rule 1).
"""

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet

from assessments.content import psychometrics, scoring
from assessments.models import (
    Attempt,
    BankVersion,
    Cohort,
    Dimension,
    Item,
    Response,
    Result,
    StatisticsBlock,
    StatisticsBlockResult,
    with_options,
)

# Why the pages show no figures for now (banks/views.version_statistics_page,
# cohorts/views/cohorts.cohort_statistics_page): the eighth hostile review
# (6 December 2026) supplied 199 of a block's 200 results, all answering one
# value to every statement in proportions that put each statement's total on a
# rounding boundary. That makes alpha and the item-total correlations swing
# across many rounding steps with the last person's answers, and a search of
# every pattern the figures allowed gave back that person's eight answers per
# difference. Deterministic rounding cannot stop an attacker who supplies and
# chooses every other result; the figures come back with noise whose effect
# of any one person is bounded (docs/psychometrics.md). The blocks below are
# the unit that method needs (each result in one block, each block worked out
# once); nothing forms them or reads them while the pages are off.
WITHHELD = (
    "A review found that someone who supplies almost all "
    "of the results behind them, as an HR admin can with addresses of their own, could work "
    "out from the reliability and the statement correlations, however rounded, the answers "
    "of the one person they did not supply. They come back once they are worked out in a way "
    "that no single person's answers can move past a known limit."
)

# Shown from this many results. Statistically 30 would do (alpha's 95%
# interval at 8 items is then about .3 wide); but an attacker who supplied
# all the other results pinned someone who answered at one end on every
# statement in some trials at 30 and 100 even at the coarse precision
# below, and 1 in 60 of them at 200, where nobody else was (docs/psychometrics.md).
MIN_RESULTS = 200
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
    results: int  # in blocks
    dimensions: list[DimensionRow]  # empty until a block is formed
    blocks: int = 0
    waiting: int = 0  # results that count, in no block yet

    @property
    def shown(self) -> bool:
        return self.blocks > 0

    @property
    def minimum(self) -> int:
        return MIN_RESULTS


def version_statistics(version: BankVersion) -> ItemStatistics:
    """Every block of the version: of results taken alone, and of every cohort."""
    blocks_form(version)
    blocks = StatisticsBlock.objects.filter(version=version)
    waiting = _eligible(version).filter(statistics_block__isnull=True).count()
    return _combined(version, list(blocks), waiting)


def cohort_statistics(cohort: Cohort) -> ItemStatistics:
    """The blocks of the cohort's own results: those in its figures (a
    result shared by name, or of a join-link team HR has not confirmed, is
    in no figure), while the cohort was not closed."""
    blocks_form(cohort.bank_version)
    blocks = StatisticsBlock.objects.filter(version=cohort.bank_version_id, cohort=cohort)
    waiting = (
        _eligible(cohort.bank_version)
        .filter(statistics_block__isnull=True, attempt__participant__cohort=cohort)
        .count()
    )
    return _combined(cohort.bank_version, list(blocks), waiting)


def _eligible(version: BankVersion) -> QuerySet[Result]:
    """Results of the version that count: taken alone, or in a cohort's
    figures (in a release: confirmed team, never shared)."""
    return Result.objects.filter(
        Q(attempt__participant__isnull=True) | Q(attempt__participant__release__isnull=False),
        attempt__bank_version=version,
        attempt__status=Attempt.Status.SUBMITTED,
    )


def blocks_form(version: BankVersion) -> int:
    """Form every block the version's streams have results for, oldest
    results first, and work out each block's figures once. Returns how many
    were formed. Safe to run at any time and at once from two requests: a
    result is in at most one block (a unique key), and a race loses cleanly."""
    try:
        with transaction.atomic():
            BankVersion.objects.select_for_update().filter(pk=version.pk).first()
            streams: dict[int | None, list[int]] = defaultdict(list)
            rows = (
                _eligible(version)
                .filter(statistics_block__isnull=True)
                .values_list(
                    "pk", "attempt__participant__cohort", "attempt__participant__cohort__status"
                )
                .order_by("pk")
            )
            for pk, cohort, status in rows:
                own = cohort is not None and status != Cohort.Status.CLOSED
                streams[cohort if own else None].append(pk)
            formed = 0
            for stream, pks in streams.items():
                for start in range(0, len(pks) - MIN_RESULTS + 1, MIN_RESULTS):
                    _block_form(version, stream, pks[start : start + MIN_RESULTS])
                    formed += 1
            return formed
    except IntegrityError:  # another request formed the same block first
        return 0


def _block_form(version: BankVersion, cohort_id: int | None, result_ids: list[int]) -> None:
    attempts = Attempt.objects.filter(result__pk__in=result_ids)
    items = with_options(list(version.items.select_related("dimension").order_by("order")))
    answers = _answer_matrix(items, attempts.values_list("pk", flat=True))
    dimensions = sorted({item.dimension for item in items}, key=lambda d: d.order)
    figures = []
    for dimension in dimensions:
        columns = [i for i, item in enumerate(items) if item.dimension_id == dimension.pk]
        row = _dimension_row(dimension, [items[i] for i in columns], answers[:, columns])
        figures.append(
            {
                "dimension": dimension.pk,
                "alpha": row.alpha,
                "flag": row.flag,
                "items": [
                    {
                        "item": item_row.item.pk,
                        "mean": item_row.mean,
                        "item_total": item_row.item_total,
                        "weak": item_row.weak,
                    }
                    for item_row in row.items
                ],
            }
        )
    block = StatisticsBlock.objects.create(
        version=version,
        cohort_id=cohort_id,
        results=answers.shape[0],
        figures={"dimensions": figures},
    )
    StatisticsBlockResult.objects.bulk_create(
        StatisticsBlockResult(block=block, result_id=pk) for pk in result_ids
    )


def _combined(version: BankVersion, blocks: list[StatisticsBlock], waiting: int) -> ItemStatistics:
    """What the page shows, from the blocks' rounded figures alone: each
    figure the mean of the blocks', rounded as one block's is; a flag where
    at least half of the blocks raise it; the interval around the alpha
    shown, for all the blocks' people together."""
    results = sum(block.results for block in blocks)
    if not blocks:
        return ItemStatistics(0, [], 0, waiting)
    items = {item.pk: item for item in version.items.select_related("dimension")}
    dimensions = {item.dimension.pk: item.dimension for item in items.values()}
    rows = []
    parts = [block.figures["dimensions"] for block in blocks]
    for index, first in enumerate(parts[0]):
        same = [part[index] for part in parts]
        alphas = [part["alpha"] for part in same if part["alpha"] is not None]
        alpha = lower = upper = None
        if alphas:
            alpha = _to_step(sum(alphas) / len(alphas), ALPHA_STEP)
            lower, upper = _interval(alpha, results, len(first["items"]))
        flags = [part["flag"] for part in same]
        flag = max(("low", "redundant"), key=flags.count)
        rows.append(
            DimensionRow(
                dimension=dimensions[first["dimension"]],
                alpha=alpha,
                lower=lower,
                upper=upper,
                flag=flag if 2 * flags.count(flag) >= len(flags) else "",
                items=[
                    _item_row(items[item["item"]], [part["items"][position] for part in same])
                    for position, item in enumerate(first["items"])
                ],
            )
        )
    return ItemStatistics(results, rows, len(blocks), waiting)


def _item_row(item: Item, parts: list[dict]) -> ItemRow:
    totals = [part["item_total"] for part in parts if part["item_total"] is not None]
    return ItemRow(
        item=item,
        mean=_to_step(sum(part["mean"] for part in parts) / len(parts), MEAN_STEP),
        item_total=_to_step(sum(totals) / len(totals), ITEM_TOTAL_STEP) if totals else None,
        weak=2 * sum(part["weak"] for part in parts) >= len(parts),
    )


def _interval(alpha: float, people: int, items: int) -> tuple[float, float]:
    """Around everything the alpha shown stands for (alpha ± half a step),
    rounded outwards: it holds the exact alpha's own interval, and says
    nothing the alpha shown does not."""
    low, _ = psychometrics.alpha_interval(alpha - ALPHA_STEP / 2, people, items)
    _, high = psychometrics.alpha_interval(alpha + ALPHA_STEP / 2, people, items)
    return math.floor(low * 100) / 100, min(1.0, math.ceil(high * 100) / 100)


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
    points = np.column_stack([_keyed(item, answers[:, index]) for index, item in enumerate(items)])
    exact = psychometrics.reliability(points)
    # A scenario's response numbers are not a scale: its mean is given in
    # the statements' 1-5 units of its points, leader-keyed.
    span = scoring.LIKERT_MAX - scoring.LIKERT_MIN
    shown = np.column_stack(
        [
            scoring.LIKERT_MIN + span * points[:, index] if item.is_scenario else answers[:, index]
            for index, item in enumerate(items)
        ]
    )
    figures = psychometrics.item_figures(shown, points, range(1, 6))
    alpha = lower = upper = None
    if exact.alpha is not None:
        alpha = _to_step(exact.alpha, ALPHA_STEP)
        lower, upper = _interval(alpha, exact.people, exact.items)
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


def _keyed(item: Item, column: np.ndarray) -> np.ndarray:
    """Answers as points towards the leader end, as ``scoring.answer_points``:
    a statement's by its pole, a scenario's from its chosen response's position."""
    if item.is_scenario:
        positions = np.zeros(scoring.MAX_OPTIONS + 1)
        for option in item.options.all():
            positions[option.order] = option.position / 100
        return positions[column.astype(int)]
    span = scoring.LIKERT_MAX - scoring.LIKERT_MIN
    if item.pole == scoring.LEADER:
        return (column - scoring.LIKERT_MIN) / span
    return (scoring.LIKERT_MAX - column) / span
