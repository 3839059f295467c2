"""The scoring model: answers in, positions on the seller–leader spectrum out.

Pure Python with no database access, so it can be tested exhaustively.
docs/scoring.md gives the formulas and a worked example. Any change to what
this module computes must bump SCORING_VERSION: stored results record the
version they were computed with and are never recomputed.
"""

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

SCORING_VERSION = "1"

SELLER = "seller"
LEADER = "leader"
POLES = (SELLER, LEADER)

LIKERT_MIN = 1
LIKERT_MAX = 5
LIKERT_LABELS = {
    1: "Strongly disagree",
    2: "Disagree",
    3: "Neither agree nor disagree",
    4: "Agree",
    5: "Strongly agree",
}


class ScoringError(ValueError):
    """The answers cannot be scored (missing, out of range, or unknown)."""


@dataclass(frozen=True)
class Band:
    key: str
    label: str
    lower: float  # inclusive
    upper: float  # exclusive, except for the last band, which includes 100


BANDS: tuple[Band, ...] = (
    Band("seller", "Seller", 0, 20),
    Band("seller_leaning", "Seller-leaning", 20, 40),
    Band("balanced", "Balanced", 40, 60),
    Band("leader_leaning", "Leader-leaning", 60, 80),
    Band("leader", "Leader", 80, 100),
)
BANDS_BY_KEY = {band.key: band for band in BANDS}
BAND_CHOICES = [(band.key, band.label) for band in BANDS]


def shown(score: float) -> int:
    """A score as every page, chart and download shows it: to the whole
    point, halves rounded up (62.5 shows as 63), the way a person rounds."""
    return math.floor(score + 0.5)


def band_for(score: float) -> Band:
    if not 0 <= score <= 100:
        raise ScoringError(f"A score must lie between 0 and 100, not {score}.")
    for band in BANDS:
        if score < band.upper:
            return band
    return BANDS[-1]


@dataclass(frozen=True)
class Answer:
    dimension: str
    pole: str
    value: int


@dataclass(frozen=True)
class Scores:
    dimensions: Mapping[str, float]
    overall: float

    def band(self, dimension: str | None = None) -> Band:
        return band_for(self.overall if dimension is None else self.dimensions[dimension])


def item_points(pole: str, value: int) -> float:
    """How far one answer leans to the leader end, from 0 to 1.

    Agreeing with a leader-keyed item leans toward the leader end; agreeing
    with a seller-keyed item leans toward the seller end (reverse keying).
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise ScoringError(f"An answer must be a whole number, not {value!r}.")
    if not LIKERT_MIN <= value <= LIKERT_MAX:
        raise ScoringError(f"An answer must be from {LIKERT_MIN} to {LIKERT_MAX}, not {value}.")
    span = LIKERT_MAX - LIKERT_MIN
    if pole == LEADER:
        return (value - LIKERT_MIN) / span
    if pole == SELLER:
        return (LIKERT_MAX - value) / span
    raise ScoringError(f"An item's pole must be {SELLER!r} or {LEADER!r}, not {pole!r}.")


def score(answers: Iterable[Answer], dimensions: Iterable[str]) -> Scores:
    """Score a complete set of answers.

    Every dimension must have at least one answer: the product requires every
    item to be answered, so there is no rule for filling gaps. A dimension's
    score is the mean of its items' points times 100; the overall score is
    the unweighted mean of the dimension scores, so each difference counts
    the same however many items it has. Scores are rounded to two decimals
    before bands are read from them.
    """
    dimension_keys = list(dimensions)
    points: dict[str, list[float]] = {key: [] for key in dimension_keys}
    for answer in answers:
        if answer.dimension not in points:
            raise ScoringError(f"Unknown dimension {answer.dimension!r}.")
        points[answer.dimension].append(item_points(answer.pole, answer.value))
    if not dimension_keys:
        raise ScoringError("There are no dimensions to score.")
    missing = [key for key, values in points.items() if not values]
    if missing:
        raise ScoringError(f"No answers for {', '.join(missing)}.")

    by_dimension = {
        key: round(100 * sum(values) / len(values), 2) for key, values in points.items()
    }
    overall = round(sum(by_dimension.values()) / len(by_dimension), 2)
    return Scores(dimensions=by_dimension, overall=overall)
