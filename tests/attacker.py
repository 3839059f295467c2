"""An insider who writes down every number they may read and solves for people.

The attacker is given more than any role has: for every reading, exactly
which people it covers (as if they knew who completed when, and who took
what action). From each reading's rounded mean they know the group's sum to
within an interval; they know their colluders' scores exactly. They then
subtract readings of nested groups (the differencing attack) and tighten
each person's bounds from every sum (interval propagation) until nothing
changes. What is left is what the readings reveal.

The product's promise, as tests check it: no person outside the colluders
is pinned to within 2 points (a band 4 points wide), and no group of fewer
than the minimum unknown people has its mean pinned to within 2 points.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

PINNED_WIDTH = 4.0  # "determined to within 2 points"


@dataclass(frozen=True)
class Reading:
    """A group's shown mean: ``mean`` rounded to the nearest ``step``."""

    members: frozenset
    mean: float
    step: float

    @property
    def sum_bounds(self) -> tuple[float, float]:
        n = len(self.members)
        low = max(0.0, self.mean - self.step / 2)
        high = min(100.0, self.mean + self.step / 2)
        return n * low, n * high


@dataclass
class Knowledge:
    sums: dict[frozenset, tuple[float, float]] = field(default_factory=dict)
    bounds: dict = field(default_factory=dict)

    def add_sum(self, members: frozenset, low: float, high: float) -> bool:
        if not members:
            return False
        old = self.sums.get(members)
        new = (low, high) if old is None else (max(old[0], low), min(old[1], high))
        if old == new:
            return False
        self.sums[members] = new
        return True


def solve(readings: Iterable[Reading], known: dict, *, rounds: int = 6) -> Knowledge:
    """Everything that follows from the readings and the colluders' scores."""
    knowledge = Knowledge()
    for reading in readings:
        knowledge.add_sum(reading.members, *reading.sum_bounds)
    people = set().union(*knowledge.sums) | set(known)
    knowledge.bounds = {person: (0.0, 100.0) for person in people}
    for person, score in known.items():
        knowledge.bounds[person] = (score, score)
        knowledge.add_sum(frozenset([person]), score, score)
    for _ in range(rounds):
        changed = False
        sums = list(knowledge.sums.items())
        # Differencing: a group inside another leaves the rest's sum.
        for inner, (inner_low, inner_high) in sums:
            for outer, (outer_low, outer_high) in sums:
                if inner < outer:
                    changed |= knowledge.add_sum(
                        outer - inner, outer_low - inner_high, outer_high - inner_low
                    )
        # Propagation: a sum bounds each member by the others' bounds.
        for members, (low, high) in list(knowledge.sums.items()):
            for person in members:
                others = [knowledge.bounds[other] for other in members if other != person]
                person_low = low - sum(b[1] for b in others)
                person_high = high - sum(b[0] for b in others)
                old_low, old_high = knowledge.bounds[person]
                new = (max(old_low, person_low), min(old_high, person_high))
                if new != (old_low, old_high):
                    knowledge.bounds[person] = new
                    changed = True
        if not changed:
            break
    return knowledge


def pinned_people(knowledge: Knowledge, known: dict) -> dict:
    """People outside the colluders whose score is pinned to within 2 points."""
    return {
        person: bounds
        for person, bounds in knowledge.bounds.items()
        if person not in known and bounds[1] - bounds[0] <= PINNED_WIDTH
    }


def exposed_groups(knowledge: Knowledge, known: dict, minimum: int) -> dict:
    """Groups of fewer than ``minimum`` unknown people whose mean is pinned to
    within 2 points, once the colluders' known scores are taken out."""
    exposed = {}
    for members, (low, high) in knowledge.sums.items():
        unknown = members - set(known)
        if not unknown or len(unknown) >= minimum:
            continue
        taken = sum(known[person] for person in members & set(known))
        width = (high - taken - (low - taken)) / len(unknown)
        if width <= PINNED_WIDTH:
            exposed[members] = (low, high)
    return exposed
