"""Simulated responders from a stated latent model, with a known true position.

Pure Python and numpy with no database access, like scoring.py. It serves
the demo data, the ``simulate_responses`` command and the tests: because
each simulated person carries the position the model puts them at, a test
can check that scoring finds people where they are, and the item statistics
have realistic answers to work on. docs/psychometrics.md describes the model
next to the statistics it feeds; in short:

- each person has a latent position theta per dimension, drawn from
  N(lean, spread²) (lean 0 and spread 1 by default), and a kind: attentive,
  careless or acquiescent, drawn with the population's shares;
- an attentive person answers an item of sign s (+1 leader-keyed, -1
  seller-keyed) from y = s · loading · theta + e, e ~ N(0, noise²), cut at
  fixed thresholds into 1..5;
- a careless person answers uniformly from 1 to 5, whatever the item says;
- an acquiescent person agrees whatever the item says: y = acquiescence + e
  cut at the same thresholds, never below 4 (Agree), so that on a balanced
  dimension they land near the middle;
- a scenario (a work situation whose options each sit at a position from
  0, the seller end, to 100, the leader end) is answered from the same
  latent response as a leader-keyed statement, y = loading · theta + e: an
  attentive person takes the option whose position is nearest to
  100 · Φ(y / scale), where scale = sqrt(loading² + noise²), so that across
  the population (theta ~ N(0, 1)) that point is spread evenly from 0 to
  100. Put another way, the options are cut at the midpoints between
  neighbouring positions, as a statement's answers are cut at thresholds.
  The answer is the option's number, 1-based, in the order listed;
- a careless person picks one of a scenario's options uniformly;
- an acquiescent person answers a scenario as an attentive person at their
  theta would: acquiescence is agreeing whatever is said, and a forced
  choice between responses gives nothing to agree with (the reason such
  items are used against it);
- a person's true position on a dimension is the score an attentive person
  at their theta gets on average: the mean over the dimension's items
  (statements and scenarios alike) of 100 · E[item points | theta], where a
  scenario's points are its chosen option's position / 100; computed
  exactly from the normal CDF.

Scenarios draw their own randomness (careless people's picks) only when
there are scenarios, after every draw that statements make, so that a list
of statements alone gives the same people, seed for seed, as before
scenarios existed.
"""

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
import numpy.typing as npt

from assessments.content import scoring

ATTENTIVE = "attentive"
CARELESS = "careless"
ACQUIESCENT = "acquiescent"
KINDS = (ATTENTIVE, CARELESS, ACQUIESCENT)

_CATEGORIES = np.arange(scoring.LIKERT_MIN, scoring.LIKERT_MAX + 1)
_AGREE = 4
# Far enough out that the expected score is within 1e-9 of the pole it nears.
_THETA_LIMIT = 20.0

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class ItemSpec:
    """What the model needs of an item: an id to answer it by, its dimension
    and pole; for a scenario, its options' positions in the order listed
    (0 the seller end, 100 the leader end) and no pole."""

    key: int | str
    dimension: str
    pole: str
    positions: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        if not self.positions:
            return  # a statement: its pole is checked when it is answered
        if self.pole:
            raise ValueError(f"A scenario has no pole, but item {self.key!r} has {self.pole!r}.")
        if len(self.positions) < 2:
            raise ValueError(f"Scenario {self.key!r} needs at least two options to choose from.")
        if any(
            isinstance(position, bool) or not isinstance(position, int) or not 0 <= position <= 100
            for position in self.positions
        ):
            raise ValueError(
                f"Scenario {self.key!r}: each option's position must be a whole number "
                f"from 0 to 100, not {self.positions}."
            )
        if len(set(self.positions)) != len(self.positions):
            raise ValueError(f"Scenario {self.key!r}: two options share a position.")

    @property
    def is_scenario(self) -> bool:
        return bool(self.positions)


@dataclass(frozen=True)
class Population:
    """Who answers, and how.

    The defaults give a standardised loading of about .71 (loading 1 against
    noise 1), in the range real Likert items reach, so that an 8-item
    dimension has a Cronbach's alpha near .85 rather than a perfect one.
    Thresholds and acquiescence are in units of the latent response's
    standard deviation, sqrt(loading² + noise²), so the share of each answer
    stays the same when loading or noise change: at theta ~ N(0, 1) the
    thresholds (-1.5, -0.5, 0.5, 1.5) give the answers 1..5 about 7%, 24%,
    38%, 24% and 7% of the time. ``spread`` is the standard deviation of
    theta around the lean: 1 for a population, 0 for one person retaking.
    """

    careless: float = 0.05
    acquiescent: float = 0.05
    loading: float = 1.0
    noise: float = 1.0
    thresholds: tuple[float, float, float, float] = (-1.5, -0.5, 0.5, 1.5)
    acquiescence: float = 1.0  # an acquiescent answer is 5 about a quarter of the time
    spread: float = 1.0

    def __post_init__(self) -> None:
        for name in (CARELESS, ACQUIESCENT):
            share = getattr(self, name)
            if not 0 <= share <= 1:
                raise ValueError(
                    f"The share of {name} responders must lie between 0 and 1, not {share}."
                )
        if self.careless + self.acquiescent > 1 + 1e-9:  # 0.7 + 0.3 may round past 1
            raise ValueError(
                f"The shares of careless and acquiescent responders add up to "
                f"{self.careless + self.acquiescent:g}; they may add up to at most 1."
            )
        if self.loading <= 0 or self.noise <= 0:
            raise ValueError("Loading and noise must both be above 0.")
        if self.spread < 0:
            raise ValueError(f"The spread must not be negative, not {self.spread}.")
        if len(self.thresholds) != 4 or list(self.thresholds) != sorted(set(self.thresholds)):
            raise ValueError("The thresholds must be four numbers, each above the one before.")

    @property
    def attentive(self) -> float:
        return max(0.0, 1 - self.careless - self.acquiescent)

    @property
    def scale(self) -> float:
        """The latent response's standard deviation at theta ~ N(0, 1)."""
        return math.hypot(self.loading, self.noise)

    @property
    def cuts(self) -> FloatArray:
        """The thresholds on the latent response's own scale."""
        return np.asarray(self.thresholds, dtype=np.float64) * self.scale


@dataclass(frozen=True)
class SimulatedPerson:
    kind: str
    theta: dict[str, float]
    true_positions: dict[str, float]
    answers: dict[int | str, int]


def _sign(pole: str) -> int:
    if pole == scoring.LEADER:
        return 1
    if pole == scoring.SELLER:
        return -1
    raise ValueError(f"An item's pole must be {scoring.SELLER!r} or {scoring.LEADER!r}.")


def _dimensions(items: Sequence[ItemSpec]) -> list[str]:
    """The items' dimensions, in the order they first appear."""
    return list(dict.fromkeys(item.dimension for item in items))


_erf = np.vectorize(math.erf, otypes=[np.float64])


def _normal_cdf(x: FloatArray) -> FloatArray:
    return 0.5 * (1 + _erf(x / math.sqrt(2)))


def _expected_points(pole: str, theta: FloatArray, population: Population) -> FloatArray:
    """E[item points | theta] for an attentive person, exactly: each answer's
    probability is the normal CDF between its two thresholds."""
    centre = _sign(pole) * population.loading * theta
    # P(y <= cut) for each cut, with 0 below the first answer and 1 above the last.
    below = _normal_cdf((population.cuts[None, :] - centre[:, None]) / population.noise)
    edges = np.hstack([np.zeros((len(theta), 1)), below, np.ones((len(theta), 1))])
    probabilities = np.diff(edges, axis=1)
    points = np.array([scoring.item_points(pole, int(value)) for value in _CATEGORIES])
    return probabilities @ points


def _scenario_cuts(positions: Sequence[int], population: Population) -> FloatArray:
    """The latent responses at which a scenario's choice moves from one option
    to the next, its options taken in position order: y such that
    100 · Φ(y / scale) is the midpoint between two neighbouring positions."""
    ordered = sorted(positions)
    standard = NormalDist()
    return np.array(
        [
            population.scale * standard.inv_cdf((low + high) / 200)
            for low, high in zip(ordered, ordered[1:], strict=False)
        ],
        dtype=np.float64,
    )


def _expected_scenario_points(
    positions: Sequence[int], theta: FloatArray, population: Population
) -> FloatArray:
    """E[scenario points | theta] for an attentive person, exactly: each
    option's probability is the normal CDF between its two cuts."""
    centre = population.loading * theta
    cuts = _scenario_cuts(positions, population)
    below = _normal_cdf((cuts[None, :] - centre[:, None]) / population.noise)
    edges = np.hstack([np.zeros((len(theta), 1)), below, np.ones((len(theta), 1))])
    probabilities = np.diff(edges, axis=1)
    return probabilities @ (np.array(sorted(positions), dtype=np.float64) / 100)


def true_positions(
    items: Sequence[ItemSpec], theta: FloatArray, population: Population
) -> dict[str, FloatArray]:
    """Each dimension's expected score (0..100) for attentive people at
    ``theta`` (people by dimensions, columns in the items' dimension order)."""
    positions = {}
    for column, dimension in enumerate(_dimensions(items)):
        own = [item for item in items if item.dimension == dimension]
        poles = Counter(item.pole for item in own if not item.is_scenario)
        total = np.zeros(len(theta))
        for pole, count in poles.items():  # statements of one pole expect the same points
            total += count * _expected_points(pole, theta[:, column], population)
        for item in own:
            if item.is_scenario:
                total += _expected_scenario_points(item.positions, theta[:, column], population)
        positions[dimension] = 100 * total / len(own)
    return positions


def theta_at(position: float, population: Population = Population()) -> float:
    """The theta whose expected score on a balanced dimension is ``position``
    (0..100): how the demo data says "this team leans to 35"."""
    if not 0 < position < 100:
        raise ValueError(
            f"A position to lean to must lie strictly between 0 and 100, not {position}."
        )
    balanced = [ItemSpec(0, "d", scoring.LEADER), ItemSpec(1, "d", scoring.SELLER)]
    low, high = -_THETA_LIMIT, _THETA_LIMIT
    for _ in range(100):  # the expected score rises with theta, so bisection finds it
        middle = (low + high) / 2
        found = true_positions(balanced, np.array([[middle]]), population)["d"][0]
        low, high = (middle, high) if found < position else (low, middle)
    return (low + high) / 2


def _cut(latent: FloatArray, population: Population) -> npt.NDArray[np.int64]:
    """Latent responses to answers 1..5 at the population's thresholds."""
    return np.searchsorted(population.cuts, latent).astype(np.int64) + scoring.LIKERT_MIN


def _answers(
    kinds: npt.NDArray[np.str_],
    theta: FloatArray,
    items: Sequence[ItemSpec],
    population: Population,
    rng: np.random.Generator,
) -> npt.NDArray[np.int64]:
    """People by items. Every kind's noise is drawn for everyone, so that one
    person's answers do not depend on the kinds drawn for the others."""
    people = len(kinds)
    columns = [_dimensions(items).index(item.dimension) for item in items]
    # A scenario's options rise toward the leader end, as agreeing with a
    # leader-keyed statement does.
    signs = np.array([1 if item.is_scenario else _sign(item.pole) for item in items])
    noise = rng.normal(0, population.noise, size=(people, len(items)))
    latent = signs * population.loading * theta[:, columns] + noise
    attentive = _cut(latent, population)
    agreeing = _cut(population.acquiescence * population.scale + noise, population)
    acquiescent = np.maximum(agreeing, _AGREE)
    careless = rng.integers(scoring.LIKERT_MIN, scoring.LIKERT_MAX + 1, size=(people, len(items)))
    answers = np.select(
        [kinds[:, None] == CARELESS, kinds[:, None] == ACQUIESCENT],
        [careless, acquiescent],
        default=attentive,
    )
    scenarios = [index for index, item in enumerate(items) if item.is_scenario]
    if scenarios:  # drawn only now, so that statements alone draw as they always did
        counts = np.array([len(items[index].positions) for index in scenarios])
        picks = rng.integers(0, counts, size=(people, len(scenarios)))
        for column, index in enumerate(scenarios):
            chosen = _choose(items[index].positions, latent[:, index], population)
            picked = picks[:, column] + 1
            answers[:, index] = np.where(kinds == CARELESS, picked, chosen)
    return answers


def _choose(
    positions: Sequence[int], latent: FloatArray, population: Population
) -> npt.NDArray[np.int64]:
    """The option nearest to 100 · Φ(latent / scale), as its 1-based number in
    the order listed."""
    rank = np.searchsorted(_scenario_cuts(positions, population), latent)
    listed = np.argsort(np.array(positions), kind="stable") + 1  # rank -> number as listed
    return listed[rank].astype(np.int64)


def simulate(
    items: Sequence[ItemSpec],
    people: int,
    population: Population = Population(),
    seed: int = 0,
    lean: Mapping[str, float] | None = None,
) -> list[SimulatedPerson]:
    """``people`` simulated people answering every item; the same seed gives
    the same people. ``lean`` shifts theta per dimension (a dimension left
    out is not shifted), so a team can lean one way."""
    if not items:
        raise ValueError("There are no items to answer.")
    if people < 0:
        raise ValueError(f"The number of people must not be negative, not {people}.")
    dimensions = _dimensions(items)
    lean = dict(lean or {})
    unknown = set(lean) - set(dimensions)
    if unknown:
        raise ValueError(f"Unknown dimension to lean: {', '.join(sorted(unknown))}.")
    rng = np.random.default_rng(seed)
    shares = np.array([population.attentive, population.careless, population.acquiescent])
    kinds = rng.choice(np.array(KINDS), size=people, p=shares / shares.sum())
    shift = np.array([lean.get(dimension, 0.0) for dimension in dimensions])
    theta = shift + population.spread * rng.standard_normal((people, len(dimensions)))
    answers = _answers(kinds, theta, items, population, rng)
    positions = true_positions(items, theta, population)
    return [
        SimulatedPerson(
            kind=str(kinds[row]),
            theta={
                dimension: float(theta[row, column]) for column, dimension in enumerate(dimensions)
            },
            true_positions={
                dimension: float(positions[dimension][row]) for dimension in dimensions
            },
            answers={item.key: int(answers[row, index]) for index, item in enumerate(items)},
        )
        for row in range(people)
    ]
