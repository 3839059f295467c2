"""The scoring model: answers in, positions on the seller–leader spectrum out.

Pure Python with no database access, so it can be tested exhaustively.
docs/scoring.md gives the formulas and a worked example. Any change to what
this module computes must bump SCORING_VERSION: stored results record the
version they were computed with and are never recomputed.

Version 1 scores statements only. Version 2 adds scenarios (a situation with
two to four responses, each placed on the spectrum): a scenario's points are
its chosen response's position / 100, and it counts in its difference's mean
as one statement does. On a bank of statements only the two give the same
scores, so such a bank's results keep recording version 1.
"""

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.translation import pgettext_lazy

from assessments.content.texts import LocalLabels, Marked

SCORING_VERSION = "1"
SCENARIO_SCORING_VERSION = "2"

SELLER = "seller"
LEADER = "leader"
POLES = (SELLER, LEADER)

LIKERT_MIN = 1
LIKERT_MAX = 5
# The answers' names, each read in the active language (content/texts.py);
# the scoring itself reads only the values.
LIKERT_LABELS: Mapping[int, str] = LocalLabels(
    {
        1: pgettext_lazy("Likert answer", "Strongly disagree"),
        2: pgettext_lazy("Likert answer", "Disagree"),
        3: pgettext_lazy("Likert answer", "Neither agree nor disagree"),
        4: pgettext_lazy("Likert answer", "Agree"),
        5: pgettext_lazy("Likert answer", "Strongly agree"),
    }
)


# A scenario offers this many responses at least and at most.
MIN_OPTIONS = 2
MAX_OPTIONS = 4


class ScoringError(ValueError):
    """The answers cannot be scored (missing, out of range, or unknown)."""


@dataclass(frozen=True)
class Band:
    key: str
    name: Marked  # marked for translation where it is written; read it as ``label``
    lower: float  # inclusive
    upper: float  # exclusive, except for the last band, which includes 100

    @property
    def label(self) -> str:
        """The band's name in the active language, as a plain string, so that
        a chart, a CSV or a regex takes it like any other."""
        return str(self.name)


BANDS: tuple[Band, ...] = (
    Band("seller", pgettext_lazy("band", "Seller"), 0, 20),
    Band("seller_leaning", pgettext_lazy("band", "Seller-leaning"), 20, 40),
    Band("balanced", pgettext_lazy("band", "Balanced"), 40, 60),
    Band("leader_leaning", pgettext_lazy("band", "Leader-leaning"), 60, 80),
    Band("leader", pgettext_lazy("band", "Leader"), 80, 100),
)
BANDS_BY_KEY = {band.key: band for band in BANDS}
# Lazy, as a model field's choices are: the label is read when it is shown.
BAND_CHOICES = [(band.key, band.name) for band in BANDS]


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
    """One answer: to a statement, the 1-5 value and the statement's pole;
    to a scenario, the chosen response's number and its ``position`` on the
    spectrum (0 the seller end, 100 the leader end), with no pole."""

    dimension: str
    pole: str
    value: int
    position: int | None = None

    @property
    def is_scenario(self) -> bool:
        return self.position is not None


@dataclass(frozen=True)
class Scores:
    dimensions: Mapping[str, float]
    overall: float
    version: str = SCORING_VERSION  # the scoring version they were computed under

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


def scenario_points(position: int) -> float:
    """How far a scenario's chosen response leans to the leader end, from 0 to 1."""
    if isinstance(position, bool) or not isinstance(position, int):
        raise ScoringError(f"A response's position must be a whole number, not {position!r}.")
    if not 0 <= position <= 100:
        raise ScoringError(f"A response's position must be from 0 to 100, not {position}.")
    return position / 100


def answer_points(answer: Answer) -> float:
    if answer.position is not None:
        return scenario_points(answer.position)
    return item_points(answer.pole, answer.value)


def scoring_version(answers: Iterable[Answer]) -> str:
    """The version a set of answers is scored under: 2 once any is to a
    scenario, else 1 (the two agree on statements)."""
    if any(answer.is_scenario for answer in answers):
        return SCENARIO_SCORING_VERSION
    return SCORING_VERSION


def score(answers: Iterable[Answer], dimensions: Iterable[str]) -> Scores:
    """Score a complete set of answers.

    Every dimension must have at least one answer: the product requires every
    item to be answered, so there is no rule for filling gaps. A dimension's
    score is the mean of its items' points (statements' and scenarios'
    alike) times 100; the overall score is
    the unweighted mean of the dimension scores, so each difference counts
    the same however many items it has. Scores are rounded to two decimals
    before bands are read from them.
    """
    answers = list(answers)
    dimension_keys = list(dimensions)
    points: dict[str, list[float]] = {key: [] for key in dimension_keys}
    for answer in answers:
        if answer.dimension not in points:
            raise ScoringError(f"Unknown dimension {answer.dimension!r}.")
        points[answer.dimension].append(answer_points(answer))
    if not dimension_keys:
        raise ScoringError("There are no dimensions to score.")
    missing = [key for key, values in points.items() if not values]
    if missing:
        raise ScoringError(f"No answers for {', '.join(missing)}.")

    by_dimension = {
        key: round(100 * sum(values) / len(values), 2) for key, values in points.items()
    }
    overall = round(sum(by_dimension.values()) / len(by_dimension), 2)
    return Scores(dimensions=by_dimension, overall=overall, version=scoring_version(answers))
