"""A group's figures as worked out from its releases. Pure.

Nothing here decides what may be shown: see ``disclosure``.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Exact:
    """A measure over a group, worked out from its releases: how many
    people, and the mean of the releases' rounded means weighted by their
    sizes. Never shown as it is: ``disclosure`` rounds it again."""

    n: int
    mean: float
