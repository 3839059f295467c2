"""Which statistics a group may show, and how coarsely. Pure functions.

Two layers. A release (``models.Release``) is a team's new people, at
least the cohort's minimum group size (k), with each measure's mean over
them rounded once: to the nearest 5 points, or to the point for a release of
5k people or more (``release_step``). Every person is in one release, so
the one window anyone gets on a person is that mean: 5k points of their
score at the least, 2.5k either way, whoever the others in the release are
and whatever they answered.

Every group's figures are then worked out from releases alone, and only
shown when the group holds at least k people:

- n < k: nothing;
- k <= n < 2k (a team), or a group of several teams any of which is that
  small: each measure's mean to the nearest 5 points;
- otherwise: each mean to the nearest point.

No spread, quartile or count per band is shown, for any group.

Why releases: with exact sums underneath, each new figure of a team, a
cohort or the organisation was one more rounded window on the same people.
An HR admin who filled a team with people of their own around one real
person, and chose their answers before each publication so that the
rounding fell differently around that person, pinned all three of their
scores in three or four publications (a hostile review, 6 December 2026).
Rounded once, a person's release gives every later figure nothing new to
cut: a figure worked out from rounded means knows no more than they do.

Why means only: three hostile reviews and an exhaustive search
(bench/disclosure_search.py) showed that a spread, a quartile or a count per
band cuts a person's window down to one or two of the 33 values a
dimension's score can take.

What is left is the edge of the scale: a person at 0 (or 100) beside k - 1
colluders who guess it can be pinned by the one window, clipped at 0.
docs/confidentiality.md states it as a limit.
"""

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments.content import scoring
from assessments.dashboards.statistics import Exact
from assessments.models.dashboards import OVERALL

SMALL_MEAN_STEP = 5
MEAN_STEP = 1
# A release of this many times the minimum group size or more rounds its
# means to the point: its window on each person, n points, is still 5k wide.
PRECISE_RELEASE = 5


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


def release_step(n: int, k: int) -> int:
    """The points a release of n people's means is rounded to: so that its
    window on each of them, n times the step, is at least 5k points wide."""
    return MEAN_STEP if n >= PRECISE_RELEASE * k else SMALL_MEAN_STEP


def released_means(dimensions: Mapping[str, float], step: int) -> dict[str, float]:
    """A release's means as kept: each dimension's exact mean rounded once to
    ``step``, and the overall worked out from the rounded ones, as a
    person's is from their three scores (rounded on its own it would be a
    fourth window on the same people)."""
    means = {key: round_to(mean, step) for key, mean in dimensions.items()}
    return {**means, OVERALL: sum(means.values()) / len(means)}


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
    if is_precise:
        rounding = ngettext(
            "With %(n)s person: each mean to the nearest point.",
            "With %(n)s people: each mean to the nearest point.",
            n,
        ) % {"n": n}
    else:
        rounding = ngettext(
            "With %(n)s person: each mean to the nearest 5 points (to the nearest point once "
            "each team in it has %(precise)s results).",
            "With %(n)s people: each mean to the nearest 5 points (to the nearest point once "
            "each team in it has %(precise)s results).",
            n,
        ) % {"n": n, "precise": 2 * k}
    return f"{rounding} {release_note(k)} {no_spread_note()}"


def rounding_note(k: int) -> str:
    """What every group's figures on a page leave out and why, said once for
    the page: each table's caption gives its own count and rounding."""
    steps = _(
        "They are shown to the nearest 5 points while a team, or any team in a group, has "
        "fewer than %(precise)s results; otherwise to the nearest point."
    ) % {"precise": 2 * k}
    return f"{release_note(k)} {steps} {no_spread_note()}"


def no_spread_note() -> str:
    """Why no figure but the mean is shown, in words."""
    return _(
        "No spread, quartile or count per band is shown: beside answers some people know, "
        "any of them could single someone out."
    )


def release_note(k: int) -> str:
    """How releases make every figure less exact, in words."""
    return ngettext(
        "Figures are worked out from groups of at least %(k)s person who completed around the "
        "same time, each group's means rounded once (to 5 points unless it has %(precise)s "
        "people or more), so a mean can be up to %(margin)s points from the exact one.",
        "Figures are worked out from groups of at least %(k)s people who completed around the "
        "same time, each group's means rounded once (to 5 points unless it has %(precise)s "
        "people or more), so a mean can be up to %(margin)s points from the exact one.",
        k,
    ) % {"k": k, "precise": PRECISE_RELEASE * k, "margin": number_format(SMALL_MEAN_STEP / 2, 1)}
