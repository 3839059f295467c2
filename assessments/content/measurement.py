"""How precise a score is, whether a pattern of answers can be read at all,
and when a change is more than measurement noise.

Pure Python, no database access, like scoring.py; docs/psychometrics.md
gives the formulas, the prior and why.
"""

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from assessments.content import scoring

# Before a bank version has enough results of its own (banks/statistics.py),
# its precision is taken from these. Eight statements per difference of the
# simulated default population (content/simulation.py) give alpha .82-.83 and
# a standard deviation of scores of 17-18 points; the prior is a little
# more cautious than that, so that a band is never narrower than the data
# would make it.
PRIOR_ALPHA = 0.80
PRIOR_SD = 18.0
Z95 = 1.959963984540054  # the standard normal's 97.5th percentile


@dataclass(frozen=True)
class Precision:
    """What a score's uncertainty is worked out from: a dimension's
    reliability and the spread of its scores, from data or the prior."""

    alpha: float
    sd: float
    source: str  # "prior" or "data"

    @property
    def sem(self) -> float:
        """The standard error of measurement: SD * sqrt(1 - alpha)."""
        return self.sd * math.sqrt(max(0.0, 1 - self.alpha))

    @property
    def margin(self) -> float:
        """Half the width of a 95% band around one score."""
        return Z95 * self.sem


PRIOR = Precision(PRIOR_ALPHA, PRIOR_SD, "prior")


def of_mean(precision: Precision, parts: int) -> Precision:
    """The precision of a mean of ``parts`` scores, each measured by its own
    statements with ``precision``: their errors are independent, so the
    mean's SEM is SEM / sqrt(parts). The overall score is the mean of the
    differences' scores."""
    return Precision(precision.alpha, precision.sd / math.sqrt(parts), precision.source)


def band(score: float, precision: Precision = PRIOR) -> tuple[float, float]:
    """A 95% band around a score, cut to the scale's ends."""
    return max(0.0, score - precision.margin), min(100.0, score + precision.margin)


@dataclass(frozen=True)
class Change:
    """A difference between two readings and whether it exceeds noise."""

    difference: float  # after minus before
    threshold: float  # the smallest difference counted as real, at 95%

    @property
    def real(self) -> bool:
        return abs(self.difference) > self.threshold

    @property
    def size(self) -> float:
        return abs(self.difference)


def reliable_change(before: float, after: float, precision: Precision = PRIOR) -> Change:
    """One person's two scores (Jacobson and Truax, 1991): the difference of
    two readings, each with error SEM, has the standard error sqrt(2) * SEM,
    so a change is real at 95% when it exceeds 1.96 * sqrt(2) * SEM."""
    return Change(after - before, Z95 * math.sqrt(2) * precision.sem)


def change_between(
    before: float, margin_before: float, after: float, margin_after: float
) -> Change:
    """Reliable change between two stored results, each with the 95% margin
    it was given with: 1.96 * sqrt(SEM1² + SEM2²) = sqrt(m1² + m2²). With
    both margins from the same precision it is ``reliable_change``."""
    return Change(after - before, math.hypot(margin_before, margin_after))


def group_change(
    before: float, people_before: int, after: float, people_after: int, sd: float = PRIOR_SD
) -> Change:
    """Two groups' means: the difference of two means of independent people
    has the standard error SD * sqrt(1/n1 + 1/n2). The SD is the bank's (or
    the prior's), never the groups' own: groups show no spread (docs/
    confidentiality.md, rule 3), and a flag read from their spread would."""
    if people_before < 1 or people_after < 1:
        raise ValueError("Both groups need at least one person.")
    return Change(after - before, Z95 * sd * math.sqrt(1 / people_before + 1 / people_after))


# Patterns that cannot be read as a position ---------------------------------------

SAME_ANSWER = "same_answer"
BOTH_POLES = "both_poles"
CARELESS = "careless"
# A difference is read as contradictory when at least this share of its
# statements at *each* pole is agreed with (4 or 5), or disagreed with (1 or 2).
CONTRADICTION_SHARE = 0.75


@dataclass(frozen=True)
class Consistency:
    """Why a set of answers cannot be read as positions, if it cannot:
    the same answer to every statement, and the differences whose two poles
    were both agreed with (or both rejected)."""

    same_answer: bool
    both_poles: tuple[str, ...]  # dimension keys
    careless: bool = False  # an attention check answered otherwise than it asked

    @property
    def clear(self) -> bool:
        return not self.careless and not self.same_answer and not self.both_poles

    @property
    def reason(self) -> str:
        """Why the answers cannot be read overall, the first that holds, or "":
        a failed attention check says the most, the same answer to everything
        next, then a difference whose two ends were both agreed with."""
        if self.careless:
            return CARELESS
        if self.same_answer:
            return SAME_ANSWER
        return BOTH_POLES if self.both_poles else ""

    def unclear(self, dimension: str) -> bool:
        return self.careless or self.same_answer or dimension in self.both_poles


def consistency(answers: Iterable[scoring.Answer], careless: bool = False) -> Consistency:
    """With statements balanced between the poles, the same answer to all of
    them gives 50 whatever was meant, and agreeing with both poles of a
    difference gives about 50 too: a confident point in the middle would
    say something the person never said.

    Only statements are read: a scenario's responses are chosen, not agreed
    with, so they carry no tendency to agree, and a scenario is never
    "the same answer" as another. A scenario still counts in the score."""
    answers = [answer for answer in answers if not answer.is_scenario]
    values = {answer.value for answer in answers}
    by_pole: dict[tuple[str, str], list[int]] = defaultdict(list)
    for answer in answers:
        by_pole[(answer.dimension, answer.pole)].append(answer.value)
    dimensions = sorted({answer.dimension for answer in answers})
    both = tuple(
        dimension
        for dimension in dimensions
        if _both_poles(by_pole[(dimension, scoring.SELLER)], by_pole[(dimension, scoring.LEADER)])
    )
    return Consistency(
        same_answer=len(answers) > 1 and len(values) == 1, both_poles=both, careless=careless
    )


def _both_poles(seller: list[int], leader: list[int]) -> bool:
    if not seller or not leader:
        return False

    def share(values: list[int], test) -> float:
        return sum(1 for value in values if test(value)) / len(values)

    def agreed(value: int) -> bool:
        return value >= 4

    def rejected(value: int) -> bool:
        return value <= 2

    return any(
        share(seller, test) >= CONTRADICTION_SHARE and share(leader, test) >= CONTRADICTION_SHARE
        for test in (agreed, rejected)
    )
