"""Item statistics released with noise whose effect of any one person is
bounded: the Gaussian mechanism under zero-concentrated differential privacy.

Pure Python and numpy, no database, like psychometrics.py. docs/psychometrics.md
gives the reasoning and the figures; in short:

- A block holds a fixed number of results, n (banks/statistics.BLOCK_SIZE),
  and is released once. Each person's answers to a difference's K items are
  a vector x of item points in [0, 1] (content/scoring.answer_points).
- What is released per difference is enough to work out every figure the
  page shows, and nothing else: the item means m = mean(x) and the centred
  second moments C = mean((x - 1/2)(x - 1/2)ᵀ), each with Gaussian noise.
  Alpha, its range, the item–total correlations and the item means are all
  worked out afterwards from those noisy figures alone.
- Changing one person's answers, to anything at all, moves m by at most
  sqrt(K)/n and C (its upper triangle) by at most sqrt(2)·K/(4n) (L2), however
  the other n - 1 results were chosen: the bound holds for the attacker who
  supplies every other result, which is what broke every rounding scheme.
- Noise of standard deviation sigma on a figure that one person moves by at
  most Delta costs rho = Delta² / (2 sigma²); the costs of a block's figures
  add up to ``BLOCK_RHO``. Two datasets that differ in one person then give
  outputs no more than sqrt(2 rho) noise deviations apart, so whatever the
  attacker does with the figures, choosing between any two sets of answers
  of that person, equally likely beforehand, is right at most
  Phi(sqrt(2 rho) / 2) of the time (``best_guess_right``): with the item
  statistics and the histogram of overall scores together (``TOTAL_RHO``),
  56.9%, where a coin toss is right 50%.

Each result is in one block and each block is released once, so a person's
loss is one block's, whatever else is released.
"""

import math
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from assessments.content.psychometrics import alpha_interval

FloatArray = npt.NDArray[np.float64]

METHOD = "gaussian-zcdp-1"
# Each block's item statistics cost this much, shared equally between the
# differences, and within one between its means and its second moments.
BLOCK_RHO = 0.05
MEANS_SHARE = 0.2
# Each block's histogram of overall scores, for percentiles, costs this much
# more: a person is in one block, so their whole cost is the two together.
HISTOGRAM_RHO = 0.01
TOTAL_RHO = BLOCK_RHO + HISTOGRAM_RHO
# The histogram's bins: 5 points wide, the last one holding 100.
BINS = 20
# Released figures are kept to this many decimals; the noise is far larger.
DECIMALS = 6
# Draws of the noise, seeded from the released figures, that say how far the
# noise alone moves each figure shown (post-processing: it reads nothing else).
NOISE_DRAWS = 400
Z95 = 1.959963984540054


def mean_sensitivity(items: int, people: int) -> float:
    """How far one person's answers move the item means (L2), at most."""
    return math.sqrt(items) / people


def moment_sensitivity(items: int, people: int) -> float:
    """How far one person's answers move the upper triangle of C (L2), at
    most: ||uuᵀ - vvᵀ||_F² = |u|⁴ + |v|⁴ - 2(u·v)² <= 2 (K/4)² for u, v in
    [-1/2, 1/2]^K, and the upper triangle is part of the matrix."""
    return math.sqrt(2) * items / (4 * people)


def sigma_for(sensitivity: float, rho: float) -> float:
    """The noise that costs ``rho`` for a figure with this sensitivity."""
    return sensitivity / math.sqrt(2 * rho)


def best_guess_right(rho: float = TOTAL_RHO) -> float:
    """How often anyone reading one release, choosing between two sets of
    one person's answers equally likely beforehand, can be right at most:
    the best test between two Gaussians sqrt(2 rho) deviations apart (the
    likelihood ratio, cut half way) is right Phi(sqrt(2 rho) / 2) of the time."""
    return 0.5 * (1 + math.erf(math.sqrt(2 * rho) / 2 / math.sqrt(2)))


def epsilon(rho: float = TOTAL_RHO, delta: float = 1e-6) -> float:
    """The (epsilon, delta) guarantee rho-zCDP implies (Bun and Steinke, 2016)."""
    return rho + 2 * math.sqrt(rho * math.log(1 / delta))


def _upper(matrix: FloatArray) -> FloatArray:
    return matrix[np.triu_indices(matrix.shape[0])]


def _symmetric(upper: FloatArray, size: int) -> FloatArray:
    matrix = np.zeros((size, size))
    matrix[np.triu_indices(size)] = upper
    return matrix + np.triu(matrix, 1).T


def exact_figures(points: FloatArray) -> tuple[FloatArray, FloatArray]:
    """The item means and the upper triangle of C, before any noise."""
    people = points.shape[0]
    centred = points - 0.5
    return points.mean(axis=0), _upper(centred.T @ centred / people)


def release(
    points: Mapping[str, FloatArray],
    rho: float = BLOCK_RHO,
    rng: np.random.Generator | None = None,
) -> dict:
    """One block's release: per difference (people by items, points in
    [0, 1]), the noisy item means and second moments and the noise used.
    The same people answer every difference, so n is the rows of any."""
    if not points:
        raise ValueError("There is nothing to release.")
    rng = rng or np.random.default_rng(secrets.randbits(128))
    share = rho / len(points)
    released = {}
    for key, matrix in points.items():
        people, items = matrix.shape
        if people < 2 or items < 2:
            raise ValueError("A release needs at least two people and two items.")
        if np.any(matrix < 0) or np.any(matrix > 1):
            raise ValueError("Item points must lie between 0 and 1.")
        means, moments = exact_figures(matrix)
        sigma_means = sigma_for(mean_sensitivity(items, people), share * MEANS_SHARE)
        sigma_moments = sigma_for(moment_sensitivity(items, people), share * (1 - MEANS_SHARE))
        released[key] = {
            "people": people,
            "means": np.round(means + rng.normal(0, sigma_means, means.shape), DECIMALS).tolist(),
            "moments": np.round(
                moments + rng.normal(0, sigma_moments, moments.shape), DECIMALS
            ).tolist(),
            "sigma_means": sigma_means,
            "sigma_moments": sigma_moments,
        }
    return {"method": METHOD, "rho": rho, "dimensions": released}


# Figures worked out from releases alone ------------------------------------------


@dataclass(frozen=True)
class Figures:
    """What the page shows for one difference, with the uncertainty of each
    figure from sampling and from the noise together."""

    people: int
    alpha: float | None
    alpha_low: float | None
    alpha_high: float | None
    means: list[float]  # item points, 0..1
    means_margin: float  # 95%, from the noise
    item_totals: list[float | None]
    item_total_margins: list[float | None]  # 95%, sampling and noise


def _alpha(cov: FloatArray) -> float | None:
    items = cov.shape[0]
    total = cov.sum()
    if total <= 0:
        return None
    return float(items / (items - 1) * (1 - np.trace(cov) / total))


def _item_totals(cov: FloatArray) -> list[float | None]:
    total = cov.sum()
    rows = cov.sum(axis=1)
    figures: list[float | None] = []
    for index in range(cov.shape[0]):
        own = cov[index, index]
        rest = total - 2 * rows[index] + own
        if own <= 0 or rest <= 0:
            figures.append(None)
            continue
        figures.append(float(np.clip((rows[index] - own) / math.sqrt(own * rest), -1, 1)))
    return figures


def _covariance(means: FloatArray, upper: FloatArray) -> FloatArray:
    items = len(means)
    shifted = means - 0.5
    return _symmetric(upper, items) - np.outer(shifted, shifted)


def combined(releases: Sequence[Mapping]) -> tuple[int, FloatArray, FloatArray, float, float]:
    """Several blocks' releases of one difference as one: the means of their
    figures weighted by people (post-processing), and the noise that mean
    carries."""
    people = sum(part["people"] for part in releases)
    weights = [part["people"] / people for part in releases]
    means = sum(w * np.asarray(part["means"]) for w, part in zip(weights, releases, strict=True))
    upper = sum(w * np.asarray(part["moments"]) for w, part in zip(weights, releases, strict=True))
    sigma_means = math.sqrt(
        sum((w * part["sigma_means"]) ** 2 for w, part in zip(weights, releases, strict=True))
    )
    sigma_moments = math.sqrt(
        sum((w * part["sigma_moments"]) ** 2 for w, part in zip(weights, releases, strict=True))
    )
    return people, np.asarray(means), np.asarray(upper), sigma_means, sigma_moments


def figures(releases: Sequence[Mapping]) -> Figures:
    """A difference's figures from its blocks' releases. Ranges combine the
    sampling error (Feldt's interval for alpha, Fisher's for a correlation)
    with the noise's, found by drawing the noise again around the released
    figures with a generator seeded from them, so that a page shows the
    same ranges every time it is read."""
    people, means, upper, sigma_means, sigma_moments = combined(releases)
    cov = _covariance(means, upper)
    items = len(means)
    alpha = _alpha(cov)
    totals = _item_totals(cov)
    seed = int.from_bytes(np.asarray([people, *means, *upper]).tobytes()[-16:], "little")
    rng = np.random.default_rng(seed)
    draws_alpha, draws_totals = [], []
    for _ in range(NOISE_DRAWS):
        again = _covariance(
            means + rng.normal(0, sigma_means, means.shape),
            upper + rng.normal(0, sigma_moments, upper.shape),
        )
        draws_alpha.append(_alpha(again))
        draws_totals.append(_item_totals(again))
    alpha_low = alpha_high = None
    if alpha is not None:
        noise = _spread([a for a in draws_alpha if a is not None])
        low, high = alpha_interval(alpha, people, items)
        alpha_low = alpha - math.hypot(alpha - low, Z95 * noise)
        alpha_high = min(1.0, alpha + math.hypot(high - alpha, Z95 * noise))
    margins: list[float | None] = []
    for index, value in enumerate(totals):
        if value is None:
            margins.append(None)
            continue
        noise = _spread([d[index] for d in draws_totals if d[index] is not None])
        sampling = (1 - value**2) / math.sqrt(max(people - 3, 1))
        margins.append(math.hypot(Z95 * sampling, Z95 * noise))
    return Figures(
        people=people,
        alpha=alpha,
        alpha_low=alpha_low,
        alpha_high=alpha_high,
        means=[float(m) for m in np.clip(means, 0, 1)],
        means_margin=Z95 * sigma_means,
        item_totals=totals,
        item_total_margins=margins,
    )


def _spread(values: list) -> float:
    return float(np.std(values)) if len(values) > 1 else math.inf


# Percentiles: a noisy histogram of overall scores per block -------------------------


def histogram_sensitivity() -> float:
    """One person's score, changed to any other, leaves one bin and joins
    another: two counts move by one each (L2 sqrt 2)."""
    return math.sqrt(2)


def _bin(score: float) -> int:
    return min(BINS - 1, int(score // (100 / BINS)))


def release_histogram(
    scores: Sequence[float], rho: float = HISTOGRAM_RHO, rng: np.random.Generator | None = None
) -> dict:
    """A block's overall scores (0..100) as counts per 5-point bin, each
    with Gaussian noise, released once."""
    rng = rng or np.random.default_rng(secrets.randbits(128))
    counts = np.zeros(BINS)
    for score in scores:
        if not 0 <= score <= 100:
            raise ValueError(f"A score must lie between 0 and 100, not {score}.")
        counts[_bin(score)] += 1
    sigma = sigma_for(histogram_sensitivity(), rho)
    noisy = np.round(counts + rng.normal(0, sigma, BINS), 2)
    return {"people": len(scores), "counts": noisy.tolist(), "sigma": sigma}


def share_below(histograms: Sequence[Mapping], score: float) -> float:
    """The share of the histograms' people whose score is below ``score``,
    from the noisy counts alone (negative counts read as none), spread
    evenly within a bin."""
    counts = np.clip(np.sum([part["counts"] for part in histograms], axis=0), 0, None)
    total = counts.sum()
    if total <= 0:
        return 0.5
    width = 100 / BINS
    index = _bin(score)
    within = (score - index * width) / width
    return float((counts[:index].sum() + within * counts[index]) / total)
