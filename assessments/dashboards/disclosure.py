"""Which statistics a group may show, and how coarsely. Pure functions.

A group's figures are shown only when it has at least the cohort's minimum
group size (k) of published results, and then only its means:

- n < k: nothing;
- k <= n < 2k (a team), or a group of several teams any of which is that
  small: each measure's mean to the nearest 5 points;
- otherwise: each mean to the nearest point.

No spread, quartile or count per band is shown, for any group. Three
hostile reviews and an exhaustive search (bench/disclosure_search.py) showed
why: an attacker with k - 1 colluders in a team times the team's first
publication so that it holds the colluders and one other person, which
places that person within 2.5k points; every later figure that is not a
plain sum (a quartile is one member's value; a spread is a sum of squares; a
band count cuts the scale at fixed points) can then cut that range down to
one or two of the 33 values a dimension's score can take. At k = 3 the
search pinned 78 of 120 such people under the earlier rules (means, spread,
quartiles and bands from 2k), 12 of 120 without quartiles, and 1 of 120
with means alone; at k = 5, none of 90 with means alone. A mean of more
people absorbs one person into the others, whatever the colluders do.

What is left is the edge of the scale: the one person pinned with means
alone scored 0, and the first publication's range, clipped at 0, held only
that value. docs/confidentiality.md states it as a limit.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass, replace

from assessments.content import scoring
from assessments.dashboards.statistics import Exact

SMALL_MEAN_STEP = 5
MEAN_STEP = 1


@dataclass(frozen=True)
class Measure:
    """What may be shown of one measure over a group: its mean, rounded to
    the nearest point (``precise``) or to the nearest 5 points."""

    n: int
    mean: float
    precise: bool

    @property
    def position(self) -> float:
        """The group's centre as shown."""
        return self.mean

    @property
    def band(self) -> scoring.Band:
        return scoring.band_for(self.position)


def round_to(value: float, step: int) -> float:
    """``value`` to the nearest multiple of ``step``, within 0-100."""
    # Half up, not Python's half to even: the same rule as a person would use.
    return float(min(100, max(0, step * math.floor(value / step + 0.5))))


def precise(n: int, k: int) -> bool:
    """Whether one team of n published results shows its means to the point."""
    return n >= 2 * k


def group_precise(team_sizes: Iterable[tuple[int, int]]) -> bool:
    """Whether a group of several teams, given each team's (published
    results, k), shows its means to the point: only when every team with
    results in it would; otherwise the group minus its other teams could
    place a small team's members more closely than the small team's own
    figures do."""
    sizes = [(n, k) for n, k in team_sizes if n > 0]
    return bool(sizes) and all(precise(n, k) for n, k in sizes)


def shown_measure(exact: Exact, k: int, is_precise: bool | None = None) -> Measure | None:
    """What a group's exact statistics may show; None below the minimum.
    ``is_precise`` says whether its means go to the point (by default: one
    team, by its size)."""
    if exact.n < k:
        return None
    fine = precise(exact.n, k) if is_precise is None else is_precise
    step = MEAN_STEP if fine else SMALL_MEAN_STEP
    return Measure(n=exact.n, mean=round_to(exact.mean, step), precise=fine)


def overall_from_dimensions(overall: Measure, dimensions: list[Measure]) -> Measure:
    """The overall mean as shown: the mean of the dimension means as shown,
    rounded the same way. A person's overall score is the mean of their
    three, so the group's is too; rounded on its own it would be a fourth
    window on the same three numbers, and the fourth hostile review pinned
    a middle score where its window and the dimensions' barely overlapped.
    Derived from what is shown, it tells nothing they do not."""
    if not dimensions:
        return overall
    step = MEAN_STEP if overall.precise else SMALL_MEAN_STEP
    mean = round_to(sum(m.mean for m in dimensions) / len(dimensions), step)
    return replace(overall, mean=mean)


def small_group_note(n: int, k: int, is_precise: bool) -> str:
    """What the figures of a group leave out and why, on the page and in
    every download."""
    rounding = (
        "each mean to the nearest point"
        if is_precise
        else f"each mean to the nearest 5 points (to the nearest point once each team in it has "
        f"{2 * k} results)"
    )
    return (
        f"With {n} people: {rounding}. No spread, quartile or count per band is shown: beside "
        "answers some people know, any of them could single someone out."
    )


def rounding_note(k: int) -> str:
    """What every group's figures on a page leave out and why, said once for
    the page: each table's caption gives its own count and rounding."""
    return (
        f"Means are to the nearest 5 points while a team, or any team in a group, has fewer "
        f"than {2 * k} results; otherwise to the nearest point. No spread, quartile or count "
        "per band is shown: beside answers some people know, any of them could single "
        "someone out."
    )
