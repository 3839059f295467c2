"""Can insiders pin one person from a team's figures? Two searches, each
against the way figures were published until 6 December 2026 and the way
they are now (it prints figures; it is not a test).

``--attack colluders`` (the exhaustive search): k - 1 colluders complete with
answers they choose (all 0, all 100, or mixed) together with the victim V:
the first publication is them alone; then k more people (2k), and with
--third k more (3k). After each, the attacker reads what the app shows and
tries every score the others could have on a dimension's grid (steps of
3.125).

``--attack puppets`` (the hostile review of 6 December 2026): an HR admin
puts V in a team with people of their own, k - 1 to start with, then k more
before each publication, and chooses their answers so that the new figure's
rounding splits what V may still be in two, as evenly as it can. Every
person but V is the attacker's, so every figure is a window on V alone.

V is "pinned" when the values of V that fit span 4 points or less. The two
ways of publishing (``--rule``):

- ``cumulative`` (until 6 December 2026): each publication rounds the mean of
  everyone published so far, to 5 points under 2k people, to the point from
  2k;
- ``releases`` (now, ``dashboards.disclosure``): each publication rounds the
  mean of its new people once (``release_step``), and the team's figure is
  worked out from those rounded means, then rounded by size as before.
"""

import argparse
import itertools
import os
import random
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")

import django  # noqa: E402

django.setup()

from assessments.dashboards.disclosure import release_step, round_to, shown_measure  # noqa: E402
from assessments.dashboards.statistics import Exact  # noqa: E402

UNIT = 100 / 32
GRID = [units * UNIT for units in range(33)]  # a dimension's possible scores

Batches = Sequence[Sequence[float]]  # one list of scores per publication, in order
Rule = Callable[[Batches, int], float]


def _shown(n: int, mean: float, k: int) -> float:
    measure = shown_measure(Exact(n=n, mean=mean), k)
    assert measure is not None
    return measure.mean


def cumulative(batches: Batches, k: int) -> float:
    """The team's mean as shown until 6 December 2026: everyone's, rounded by size."""
    people = [score for batch in batches for score in batch]
    return _shown(len(people), sum(people) / len(people), k)


def releases(batches: Batches, k: int) -> float:
    """The team's mean as shown now: each publication's mean rounded once,
    pooled, then rounded by size (tallies.publish_if_due, summaries.exact_by)."""
    n = sum(len(batch) for batch in batches)
    pooled = sum(
        len(batch) * round_to(sum(batch) / len(batch), release_step(len(batch), k))
        for batch in batches
    )
    return _shown(n, pooled / n, k)


RULES: dict[str, Rule] = {"cumulative": cumulative, "releases": releases}


def candidates(
    k: int, colluders: list[float], victim: float, others: list[list[float]], rule: Rule
) -> list[float]:
    """Every value of the victim that fits every publication read, whatever
    the k people of each later publication scored."""
    batches: list[list[float]] = [[*colluders, victim]]
    readings = [rule(batches, k)]
    for batch in others:
        batches.append(batch)
        readings.append(rule(batches, k))
    multisets = list(itertools.combinations_with_replacement(GRID, k))
    return [
        value
        for value in GRID
        if rule([[*colluders, value]], k) == readings[0]
        and _fits(k, [[*colluders, value]], readings[1:], multisets, rule)
    ]


def _fits(k, batches, readings, multisets, rule) -> bool:
    """Whether some scores of the later publications reproduce every reading."""
    if not readings:
        return True
    for batch in multisets:
        tried = [*batches, list(batch)]
        if rule(tried, k) == readings[0] and _fits(k, tried, readings[1:], multisets, rule):
            return True
    return False


def spread(units: int, size: int) -> list[float]:
    """``size`` scores on the grid that add up to ``units`` steps of 3.125."""
    scores = []
    for _ in range(size):
        part = min(32, units)
        scores.append(part * UNIT)
        units -= part
    assert units == 0
    return scores


class Attack(NamedTuple):
    history: list[list[float]]  # what V may still be, after each publication
    puppets: list[list[float]]  # the attacker's people's scores, per publication


def puppet_attack(k: int, victim: float, rule: Rule, rounds: int) -> Attack:
    """What V may still be after the first publication (V and k - 1 of the
    attacker's people) and after each of ``rounds`` more (k of them), each
    batch of the attacker's chosen so that its reading splits what is left
    as evenly as it can."""
    possible = list(GRID)
    puppets: list[list[float]] = []  # the attacker's people, per publication
    history = []

    def reading(value: float, batches: list[list[float]]) -> float:
        """The team's figure if V scored ``value``: V is in the first publication."""
        return rule([[*batches[0], value], *batches[1:]], k)

    for size in [k - 1] + [k] * rounds:
        splits = []
        for units in range(32 * size + 1):
            tried = [*puppets, spread(units, size)]
            parts: dict[float, int] = {}
            for value in possible:
                shown = reading(value, tried)
                parts[shown] = parts.get(shown, 0) + 1
            splits.append((max(parts.values()), units))
        puppets.append(spread(min(splits)[1], size))
        seen = reading(victim, puppets)
        possible = [value for value in possible if reading(value, puppets) == seen]
        history.append(possible)
    return Attack(history, puppets)


def pinned(values: list[float]) -> bool:
    return max(values) - min(values) <= 4


def colluders_search(k: int, teams: int, third: bool, rule: Rule) -> None:
    started, caught, total = time.perf_counter(), 0, 0
    kinds = {
        "all 0": [0.0] * (k - 1),
        "all 100": [100.0] * (k - 1),
        "mixed": [0.0] + [100.0] * (k - 2),
    }
    for seed in range(teams):
        rng = random.Random(seed)  # noqa: S311 (a simulation, not a secret)
        victim = rng.choice(GRID)
        batches = [[rng.choice(GRID) for _ in range(k)] for _ in range(2 if third else 1)]
        for name, colluders in kinds.items():
            fits = candidates(k, colluders, victim, batches, rule)
            assert victim in fits
            total += 1
            if pinned(fits):
                caught += 1
                print(f"  pinned: team {seed}, colluders {name}, V = {victim} -> {fits}")
    print(
        f"k = {k}, read at {'2k and 3k' if third else '2k'}: {caught} of {total} victims "
        f"pinned to within 2 points ({time.perf_counter() - started:.0f} s)"
    )


def puppets_search(k: int, teams: int, rounds: int, rule: Rule) -> None:
    started, caught, after = time.perf_counter(), 0, []
    for seed in range(teams):
        victim = random.Random(seed).choice(GRID)  # noqa: S311
        history = puppet_attack(k, victim, rule, rounds).history
        assert all(victim in possible for possible in history)
        first = next((i for i, possible in enumerate(history) if pinned(possible)), None)
        if first is not None:
            caught += 1
            after.append(first)
            puppets = (k - 1) + k * first
            print(f"  pinned: V = {victim:.2f} after {first + 1} publications, {puppets} puppets")
        else:
            print(f"  not pinned: V = {victim:.2f}, still {len(history[-1])} values")
    print(
        f"k = {k}, {rounds + 1} publications: {caught} of {teams} victims pinned to within "
        f"2 points ({time.perf_counter() - started:.0f} s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attack", choices=["colluders", "puppets"], default="puppets")
    parser.add_argument("--rule", choices=list(RULES), default="releases")
    parser.add_argument("--k", type=int, default=3)
    parser.add_argument("--teams", type=int, default=20)
    parser.add_argument("--third", action="store_true", help="colluders: also read 3k")
    parser.add_argument(
        "--rounds", type=int, default=6, help="puppets: publications after the first"
    )
    args = parser.parse_args()
    rule = RULES[args.rule]
    print(f"rule: {args.rule}")
    if args.attack == "colluders":
        colluders_search(args.k, args.teams, args.third, rule)
    else:
        puppets_search(args.k, args.teams, args.rounds, rule)


if __name__ == "__main__":
    main()
