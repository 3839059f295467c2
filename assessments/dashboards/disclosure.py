"""Which statistics a group may show, and how coarsely. Pure functions.

A group's figures are shown only when it has at least the cohort's minimum
group size (k) of published results, and then less for a small group than
for a large one: with five people, a mean, a spread and three quartiles
would be five equations in five unknowns.

A group that spans teams (a cohort, the organisation) is another matter:
the promise holds against fewer than k colluders per team, so a cohort of
two teams of five may hold eight known people and only two unknown ones,
and its quartiles and spread would pin them both. Nor is it enough to count
the unknowns in the whole group: a team that shows its own spread and
quartiles gives its members away as a block, and the cohort minus that team
is the other team, which may hold one unknown person. So a group of several
teams shows detail only when each of its teams would show its own; then any
difference between what is shown is a union of such teams. For n published
results:

- n < k: nothing.
- a team of fewer than 2k, or a group with any such team: the mean of each
  measure, to the nearest 5 points; no spread, no quartiles, no counts per
  band.
- otherwise: the mean to the nearest point; median and middle half to the
  nearest 5 points; the spread (SD) to the nearest point, or "under 5" when
  smaller (a spread near 0 would say that everybody scored the same); and,
  for a team, the number of people per band, each count below k given as
  "fewer than k".

Rounding this coarse keeps even the extreme case undetermined: a mean of
100 shown for n people means a true mean of at least 100 - step/2, so each
person scored at least 100 - n * step/2, which is 87.5 for n = 5 at a step
of 5 and 95 for n = 10 at a step of 1: never within 2 points.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass

from assessments.content import scoring
from assessments.dashboards.statistics import Exact

SMALL_MEAN_STEP = 5
MEAN_STEP = 1
QUARTILE_STEP = 5
SD_FLOOR = 5


@dataclass(frozen=True)
class Measure:
    """What may be shown of one measure over a group, on the 0-100 scale:
    ``None`` for what this group's size does not allow."""

    n: int
    mean: float
    sd: float | None = None
    sd_under_floor: bool = False
    q1: float | None = None
    median: float | None = None
    q3: float | None = None

    @property
    def position(self) -> float:
        """The group's centre as shown: the median where it is shown, else the mean."""
        return self.median if self.median is not None else self.mean

    @property
    def band(self) -> scoring.Band:
        return scoring.band_for(self.position)

    @property
    def detailed(self) -> bool:
        return self.median is not None

    @property
    def sd_text(self) -> str:
        if self.sd is None:
            return ""
        return f"under {SD_FLOOR}" if self.sd_under_floor else f"{self.sd:.0f}"


def round_to(value: float, step: int) -> float:
    """``value`` to the nearest multiple of ``step``, within 0-100."""
    # Half up, not Python's half to even: the same rule as a person would use.
    return float(min(100, max(0, step * math.floor(value / step + 0.5))))


def detailed(n: int, k: int) -> bool:
    """Whether one team of n published results may show spread and quartiles."""
    return n >= 2 * k


def group_detailed(team_sizes: Iterable[tuple[int, int]]) -> bool:
    """Whether a group of several teams, given each team's (published
    results, k), may show spread and quartiles: only when every team with
    results in it would show its own."""
    sizes = [(n, k) for n, k in team_sizes if n > 0]
    return bool(sizes) and all(detailed(n, k) for n, k in sizes)


def shown_measure(exact: Exact, k: int, detail: bool | None = None) -> Measure | None:
    """What a group's exact statistics may show; None below the minimum.
    ``detail`` says whether the group may show spread and quartiles (by
    default: one team, by its size)."""
    if exact.n < k:
        return None
    if not (detailed(exact.n, k) if detail is None else detail):
        return Measure(n=exact.n, mean=round_to(exact.mean, SMALL_MEAN_STEP))
    sd = round(exact.sd)
    return Measure(
        n=exact.n,
        mean=round_to(exact.mean, MEAN_STEP),
        sd=float(max(sd, SD_FLOOR)),
        sd_under_floor=exact.sd < SD_FLOOR,
        q1=round_to(exact.q1, QUARTILE_STEP),
        median=round_to(exact.median, QUARTILE_STEP),
        q3=round_to(exact.q3, QUARTILE_STEP),
    )


def small_group_note(n: int, k: int) -> str:
    """What a group shown by its mean alone tells its readers, on the page
    and in every download."""
    return (
        f"With {n} people, only each mean is shown, to the nearest 5 points; the median, "
        f"middle half and spread need {2 * k} people in a team, and a group of several teams "
        "shows them only when each of its teams does, so that no combination of figures pins "
        "down anyone's answers."
    )


def shown_bands(counts: dict[str, int], n: int, k: int) -> dict[str, int | None]:
    """People per band for a large enough team, each count below k as None
    ("fewer than k"); nothing at all for a smaller team. Only teams show
    them: teams do not overlap, but a cohort's or the organisation's counts
    beside its teams' would give a withheld team's, or a "fewer than k"
    cell, by subtraction."""
    if n < k or not detailed(n, k):
        return {}
    return {key: (count if count >= k else None) for key, count in counts.items()}
