"""Rules that keep small groups from being singled out. Pure functions."""

from collections.abc import Mapping


def groups_to_merge[Key](counts: Mapping[Key, int], minimum: int) -> set[Key]:
    """Groups whose identity must be hidden by merging them into one "other" group.

    Every group with fewer than ``minimum`` members is merged. If the merged
    group itself holds someone but fewer than ``minimum`` (one small team
    alone would be recognisable as "other"), the next-smallest groups join it
    until it reaches the minimum or nothing is left to add. Empty groups are
    hidden too but reveal nothing, so they need no company.
    """
    merged = {key for key, count in counts.items() if count < minimum}
    visible = sorted(
        (key for key in counts if key not in merged), key=lambda key: (counts[key], str(key))
    )
    while 0 < sum(counts[key] for key in merged) < minimum and visible:
        merged.add(visible.pop(0))
    return merged
