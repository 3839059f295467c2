"""How often can k-1 colluders pin one person from a team's published figures?

An exhaustive attacker for one team (it prints figures; it is not a test). k - 1
colluders complete with answers they choose (all 0, all 100, or mixed) together with the
victim V: the first publication is them alone; then k more people (2k), and with --third
k more (3k). After each, the attacker reads what the app shows (dashboards.disclosure)
and tries every score the others could have on a dimension's grid (steps of 3.125); V is
"pinned" when the values of V that fit span 4 points or less. The rules it was compared
with before 2026-12-05 are in docs/performance.md and in git history.
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


def current(scores: Sequence[float], k: int) -> tuple[float, ...]:
    """What the app shows (dashboards.disclosure): the mean alone."""
    buckets: dict[int, list[float]] = {}
    for value in scores:
        buckets.setdefault(min(100, math.floor(value)), []).append(value)
    rows = [Bucket(len(v), sum(v), sum(x * x for x in v)) for _, v in sorted(buckets.items())]
    measure = shown_measure(exact(rows), k)
    assert measure is not None
    return (measure.mean,)


Shown = Callable[[Sequence[float], int], tuple[float, ...]]


def candidates(
    k: int, colluders: list[float], victim: float, others: list[list[float]], shown: Shown = current
) -> list[float]:
    """Every value of the victim that fits every publication read."""
    first = round_to((sum(colluders) + victim) / k, 5)
    readings = []
    people = [*colluders, victim]
    for batch in others:
        people = [*people, *batch]
        readings.append(shown(people, k))
    multisets = list(itertools.combinations_with_replacement(GRID, k))
    return [
        value
        for value in GRID
        if round_to((sum(colluders) + value) / k, 5) == first
        and _fits(k, [*colluders, value], readings, multisets, shown)
    ]


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
    parser.add_argument("--third", action="store_true", help="also read the 3k publication")
    args = parser.parse_args()
    k, started, pinned, total = args.k, time.perf_counter(), 0, 0
    kinds = {
        "all 0": [0.0] * (k - 1),
        "all 100": [100.0] * (k - 1),
        "mixed": [0.0] + [100.0] * (k - 2),
    }
    for seed in range(args.teams):
        rng = random.Random(seed)  # noqa: S311 (a simulation, not a secret)
        victim = rng.choice(GRID)
        batches = [[rng.choice(GRID) for _ in range(k)] for _ in range(2 if args.third else 1)]
        for name, colluders in kinds.items():
            fits = candidates(k, colluders, victim, batches)
            assert victim in fits
            total += 1
            if max(fits) - min(fits) <= 4:
                pinned += 1
                print(f"  pinned: team {seed}, colluders {name}, V = {victim} -> {fits}")
    print(
        f"k = {k}, read at {'2k and 3k' if args.third else '2k'}: {pinned} of {total} victims "
        f"pinned to within 2 points ({time.perf_counter() - started:.0f} s)"
    )


if __name__ == "__main__":
    main()
