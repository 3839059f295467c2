"""Item statistics for HR, per bank version and per cohort: each dimension's
Cronbach's alpha with its range, each item's corrected item–total
correlation and mean, with flags (docs/psychometrics.md).

An HR admin can make a bank version and a cohort and fill all but one of
its results with answers of their own, chosen as they like. Every way of
rounding exact figures failed against that attacker: the eighth hostile
review supplied 199 of 200 results, all at one value, so that the figures
swung on the last person's answers alone, and read those answers back. So
the figures are now released with noise whose effect of any one person is
bounded, whatever the other results are (content/noisy_statistics.py): one
person's answers, changed to anything, move what a release shows by a known
amount of noise at most, and anyone choosing between two sets of that
person's answers from the figures (and from the block's histogram of overall
scores, which percentiles are read from) is right at most 56.9% of the time,
where a coin toss is right 50%.

Each result is in one block and each block is released once, when it fills
(``models.StatisticsBlock``): a person is in one release, never a fresh one
each time a result is added. A block holds ``BLOCK_SIZE`` results, so that
the noise leaves the figures readable: alpha to about ±0.03 and each
item–total correlation to about ±0.2 from one block, less with more.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet

from assessments.content import noisy_statistics, psychometrics, scoring
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

# Results per block. Fewer would leave too much noise to read; the noise a
# block needs does not depend on who the other results are, so a block of
# an attacker's own results and one of real people's are treated alike.
BLOCK_SIZE = 2000

# A mean this close to an end of the scale: most people gave the same
# answer, so the statement tells people apart poorly.
MEAN_AT_END = 0.125  # in points, 0..1: 1.5 or 4.5 on the 1-5 scale


@dataclass(frozen=True)
class ItemRow:
    item: Item
    mean: float  # points towards the leader end, 0..1
    item_total: float | None
    margin: float | None  # the 95% range's half-width around item_total

    @property
    def weak(self) -> bool:
        return self.item_total is not None and self.item_total < psychometrics.ITEM_TOTAL_LOW

    @property
    def surely_weak(self) -> bool:
        """Weak even at the top of its range."""
        return (
            self.weak
            and self.margin is not None
            and self.item_total is not None
            and self.item_total + self.margin < psychometrics.ITEM_TOTAL_LOW
        )

    @property
    def mean_shown(self) -> float:
        """A statement's mean answer on the 1-5 scale as given (before
        keying); a scenario's mean place, 0-100."""
        if self.item.is_scenario:
            return 100 * self.mean
        span = scoring.LIKERT_MAX - scoring.LIKERT_MIN
        if self.item.pole == scoring.LEADER:
            return scoring.LIKERT_MIN + span * self.mean
        return scoring.LIKERT_MAX - span * self.mean

    @property
    def at_an_end(self) -> bool:
        return not self.item.is_scenario and (
            self.mean <= MEAN_AT_END or self.mean >= 1 - MEAN_AT_END
        )


@dataclass(frozen=True)
class DimensionRow:
    dimension: Dimension
    alpha: float | None  # None where the answers did not vary
    lower: float | None
    upper: float | None
    items: list[ItemRow]

    @property
    def flag(self) -> str:
        if self.alpha is None:
            return ""
        if self.alpha < psychometrics.ALPHA_LOW:
            return "low"
        if self.alpha > psychometrics.ALPHA_HIGH:
            return "redundant"
        return ""

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
        return BLOCK_SIZE

    @property
    def best_guess_percent(self) -> float:
        """How often, at most, anyone choosing between two sets of one
        person's answers from these figures is right (noisy_statistics)."""
        return 100 * noisy_statistics.best_guess_right()


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
                for start in range(0, len(pks) - BLOCK_SIZE + 1, BLOCK_SIZE):
                    _block_form(version, stream, pks[start : start + BLOCK_SIZE])
                    formed += 1
            return formed
    except IntegrityError:  # another request formed the same block first
        return 0


def _block_form(version: BankVersion, cohort_id: int | None, result_ids: list[int]) -> None:
    """Release the block's figures once, with noise (noisy_statistics), and
    record which results it holds."""
    attempts = Attempt.objects.filter(result__pk__in=result_ids)
    every = version.items.select_related("dimension").order_by("order")
    items = with_options([item for item in every if item.is_scored])  # not attention checks
    answers = _answer_matrix(items, attempts.values_list("pk", flat=True))
    dimensions = sorted({item.dimension for item in items}, key=lambda d: d.order)
    points, members = {}, {}
    for dimension in dimensions:
        columns = [i for i, item in enumerate(items) if item.dimension_id == dimension.pk]
        points[str(dimension.pk)] = np.column_stack(
            [_keyed(items[i], answers[:, i]) for i in columns]
        )
        members[str(dimension.pk)] = [items[i].pk for i in columns]
    released = noisy_statistics.release(points)
    for key, part in released["dimensions"].items():
        part["items"] = members[key]
    overall = Result.objects.filter(pk__in=result_ids).values_list("overall", flat=True)
    released["overall"] = noisy_statistics.release_histogram(list(overall))
    block = StatisticsBlock.objects.create(
        version=version, cohort_id=cohort_id, results=answers.shape[0], figures=released
    )
    StatisticsBlockResult.objects.bulk_create(
        StatisticsBlockResult(block=block, result_id=pk) for pk in result_ids
    )


def _combined(version: BankVersion, blocks: list[StatisticsBlock], waiting: int) -> ItemStatistics:
    """What the page shows, from the blocks' noisy releases alone (blocks
    of the rounding method that came before hold no release and are left
    out). Everything here is worked out from what was released, so it adds
    nothing to what one release can say about anyone."""
    blocks = [block for block in blocks if block.figures.get("method") == noisy_statistics.METHOD]
    results = sum(block.results for block in blocks)
    if not blocks:
        return ItemStatistics(0, [], 0, waiting)
    items = {item.pk: item for item in version.items.select_related("dimension")}
    dimensions = sorted({item.dimension for item in items.values()}, key=lambda d: d.order)
    rows = []
    for dimension in dimensions:
        parts = [block.figures["dimensions"][str(dimension.pk)] for block in blocks]
        shown = noisy_statistics.figures(parts)
        rows.append(
            DimensionRow(
                dimension=dimension,
                alpha=shown.alpha,
                lower=shown.alpha_low,
                upper=shown.alpha_high,
                items=[
                    ItemRow(item=items[pk], mean=mean, item_total=total, margin=margin)
                    for pk, mean, total, margin in zip(
                        parts[0]["items"],
                        shown.means,
                        shown.item_totals,
                        shown.item_total_margins,
                        strict=True,
                    )
                ],
            )
        )
    return ItemStatistics(results, rows, len(blocks), waiting)


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


# A person's percentile, from the blocks' histograms ------------------------------------


@dataclass(frozen=True)
class Percentile:
    below: int  # per cent of the people whose overall score is below this one
    people: int  # how many people the histograms hold

    @property
    def people_shown(self) -> str:
        return f"{self.people:,}"


def percentile(result: Result) -> Percentile | None:
    """Where a result's overall score stands among everyone's results of
    the same bank version in the organisation's released blocks, or None
    before one block is released. Read from the blocks' noisy histograms
    alone, so it shows nothing of anyone that the release does not: not of
    this person (their own score is theirs), nor of the others, however
    often someone of HR's reads percentiles of results of their own."""
    histograms = [
        figures["overall"]
        for figures in StatisticsBlock.objects.filter(version=result.bank_version_id).values_list(
            "figures", flat=True
        )
        if figures.get("method") == noisy_statistics.METHOD and "overall" in figures
    ]
    people = sum(part["people"] for part in histograms)
    if people < BLOCK_SIZE:
        return None
    share = noisy_statistics.share_below(histograms, result.overall)
    # "About 0%" or "about 100%" would claim more than noisy counts can say.
    return Percentile(below=min(99, max(1, round(100 * share))), people=people)
