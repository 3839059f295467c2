"""How often can k-1 colluders pin one person from a team's published figures?

An exhaustive attacker for one team, run on demand (it prints figures; it is
not a test). The scenario is the strongest the third hostile review found:

1. k - 1 colluders complete with answers they choose (all 0, all 100, or
   mixed), and the victim V completes with them: the first publication (k
   results) is the colluders and V alone.
2. k more people complete: the second publication (2k).
3. k more: the third (3k).

After each publication the attacker reads what the rules show for the team
(the rules are the app's own: dashboards.disclosure) and searches every
score the unknown people could have on a dimension's grid (steps of 3.125),
keeping the values of V that fit everything read. V is "pinned" when those
values span 4 points or less (the promise is "never to within 2 points").

    .venv/bin/python bench/disclosure_search.py            # k = 3, 20 teams
    .venv/bin/python bench/disclosure_search.py --teams 60 --policy no-quartiles

Policies: "current" (what the app shows: means only), "earlier" (the rule
before 2026-12-05: mean, SD, quartiles and bands from 2k), and variants of
it without quartiles or without bands. The figures are read at 2k and,
with --third, at 3k (slower). Figures on 2026-12-05, k = 3, 40 teams x 3
kinds of colluders: earlier 78 of 120 pinned, no-quartiles 12, no-bands 74,
current 1 (a victim at 0, clipped by the scale's end: see
docs/confidentiality.md). k = 5, 30 teams: current 0 of 90.
"""

import argparse
import itertools
import math
import os
import random
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")

import django  # noqa: E402

django.setup()

from assessments.dashboards.disclosure import round_to, shown_measure  # noqa: E402
from assessments.dashboards.statistics import Bucket, exact  # noqa: E402

GRID = [units * 100 / 32 for units in range(33)]  # a dimension's possible scores
BANDS = [(0, 20), (20, 40), (40, 60), (60, 80), (80, 101)]
Shown = Callable[[Sequence[float], int], tuple]


def _exact(scores: Sequence[float]):
    buckets: dict[int, list[float]] = {}
    for value in scores:
        buckets.setdefault(min(100, math.floor(value)), []).append(value)
    return exact(
        [
            Bucket(len(values), sum(values), sum(v * v for v in values))
            for _, values in sorted(buckets.items())
        ]
    )


def current(scores: Sequence[float], k: int) -> tuple:
    """What the app shows now (dashboards.disclosure): the mean alone."""
    measure = shown_measure(_exact(scores), k)
    assert measure is not None
    return (measure.mean,)


def earlier(scores: Sequence[float], k: int) -> tuple:
    """The rule before 2026-12-05, for comparison: from 2k people the mean to
    the point, the SD to the point (at least 5), the quartiles to 5 points,
    and people per band with cells under k hidden."""
    stats = _exact(scores)
    if len(scores) < 2 * k:
        return (round_to(stats.mean, 5),)
    counts = [sum(1 for s in scores if low <= math.floor(s) < high) for low, high in BANDS]
    return (
        round_to(stats.mean, 1),
        max(round(stats.sd), 5),
        round_to(stats.q1, 5),
        round_to(stats.median, 5),
        round_to(stats.q3, 5),
        tuple(count if count >= k else None for count in counts),
    )


def no_quartiles(scores: Sequence[float], k: int) -> tuple:
    shown = earlier(scores, k)
    return shown[:2] + shown[5:]


def no_bands(scores: Sequence[float], k: int) -> tuple:
    return earlier(scores, k)[:5]


POLICIES: dict[str, Shown] = {
    "current": current,
    "earlier": earlier,
    "no-quartiles": no_quartiles,
    "no-bands": no_bands,
}


def candidates(
    k: int, colluders: list[float], victim: float, others: list[list[float]], shown: Shown
) -> list[float]:
    """Every value of the victim that fits every publication read."""
    first = round_to((sum(colluders) + victim) / k, 5)
    readings = []
    people = [*colluders, victim]
    for batch in others:
        people = [*people, *batch]
        readings.append(shown(people, k))
    multisets = list(itertools.combinations_with_replacement(GRID, k))
    fits = []
    for value in GRID:
        if round_to((sum(colluders) + value) / k, 5) != first:
            continue
        if _fits(k, [*colluders, value], readings, multisets, shown):
            fits.append(value)
    return fits


def _fits(k, known, readings, multisets, shown) -> bool:
    """Whether some scores of the later batches reproduce every reading."""
    if not readings:
        return True
    target_mean = readings[0][0]
    for batch in multisets:
        people = [*known, *batch]
        if round_to(sum(people) / len(people), 1) != target_mean:
            continue  # the cheap test first: the mean
        if shown(people, k) == readings[0] and _fits(k, people, readings[1:], multisets, shown):
            return True
    return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--k", type=int, default=3)
    parser.add_argument("--teams", type=int, default=20)
    parser.add_argument("--policy", choices=POLICIES, default="current")
    parser.add_argument("--third", action="store_true", help="also read the 3k publication")
    args = parser.parse_args()
    k, shown = args.k, POLICIES[args.policy]
    kinds = {
        "all 0": [0.0] * (k - 1),
        "all 100": [100.0] * (k - 1),
        "mixed": [0.0] + [100.0] * (k - 2),
    }
    started = time.perf_counter()
    pinned = total = 0
    for seed in range(args.teams):
        rng = random.Random(seed)  # noqa: S311 (a simulation, not a secret)
        victim = rng.choice(GRID)
        batches = [[rng.choice(GRID) for _ in range(k)] for _ in range(2 if args.third else 1)]
        for name, colluders in kinds.items():
            fits = candidates(k, colluders, victim, batches, shown)
            assert victim in fits
            total += 1
            if max(fits) - min(fits) <= 4:
                pinned += 1
                print(f"  pinned: team {seed}, colluders {name}, V = {victim} -> {fits}")
    print(
        f"k = {k}, policy {args.policy}, read at {'2k and 3k' if args.third else '2k'}: "
        f"{pinned} of {total} victims pinned to within 2 points "
        f"({time.perf_counter() - started:.0f} s)"
    )


if __name__ == "__main__":
    main()
