"""Rules that keep small groups from being singled out. Pure functions.

k is a cohort's minimum group size (``Cohort.min_group_size``), as in
docs/confidentiality.md.
"""

from collections.abc import Mapping


def groups_to_merge[Key](counts: Mapping[Key, int], k: int) -> set[Key]:
    """Groups whose identity must be hidden by merging them into one "other" group.

    Every group with fewer than k members is merged. If the merged
    group itself holds someone but fewer than k (one small team
    alone would be recognisable as "other"), the next-smallest groups join it
    until it reaches k or nothing is left to add. Empty groups are
    hidden too but reveal nothing, so they need no company.
    """
    merged = {key for key, count in counts.items() if count < k}
    visible = sorted(
        (key for key in counts if key not in merged), key=lambda key: (counts[key], str(key))
    )
    while 0 < sum(counts[key] for key in merged) < k and visible:
        merged.add(visible.pop(0))
    return merged
