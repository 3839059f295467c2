"""Exact statistics of a group from its tallies' buckets. Pure functions.

Nothing here decides what may be shown: see ``disclosure``.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Bucket:
    """One whole-point bucket of a measure: how many scores, their sum and
    the sum of their squares."""

    n: int
    total: float
    total_sq: float


@dataclass(frozen=True)
class Exact:
    """A measure's exact statistics over a group; never shown as they are."""

    n: int
    mean: float
    sd: float
    q1: float
    median: float
    q3: float


def quantile(buckets: Sequence[Bucket], p: float) -> float:
    """The p-quantile read from buckets in order: the mean of the bucket that
    holds it (exact when a bucket holds one score value, as it does for a
    dimension's scores; within a point otherwise)."""
    n = sum(bucket.n for bucket in buckets)
    target = p * n
    seen = 0
    for bucket in buckets:
        seen += bucket.n
        if bucket.n and seen >= target:
            return bucket.total / bucket.n
    return 0.0


def exact(buckets: Sequence[Bucket]) -> Exact:
    n = sum(bucket.n for bucket in buckets)
    total = sum(bucket.total for bucket in buckets)
    total_sq = sum(bucket.total_sq for bucket in buckets)
    mean = total / n
    variance = max(0.0, (total_sq - n * mean * mean) / (n - 1)) if n > 1 else 0.0
    return Exact(
        n=n,
        mean=mean,
        sd=math.sqrt(variance),
        q1=quantile(buckets, 0.25),
        median=quantile(buckets, 0.5),
        q3=quantile(buckets, 0.75),
    )
