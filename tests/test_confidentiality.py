"""Small groups are merged so that no one can be singled out."""

from hypothesis import given
from hypothesis import strategies as st

from assessments.dashboards.confidentiality import groups_to_merge


def test_groups_below_the_minimum_are_merged():
    assert groups_to_merge({"A": 7, "B": 2, "C": 3, "D": 9}, 5) == {"B", "C"}


def test_a_lone_small_group_takes_the_next_smallest_with_it():
    # "Other" holding only B would simply be B under another name.
    assert groups_to_merge({"A": 7, "B": 2, "D": 9}, 5) == {"B", "A"}


def test_nothing_is_merged_when_every_group_is_big_enough():
    assert groups_to_merge({"A": 5, "B": 6}, 5) == set()


def test_everything_merges_when_nothing_else_reaches_the_minimum():
    assert groups_to_merge({"A": 1, "B": 1}, 5) == {"A", "B"}


@given(st.dictionaries(st.text(min_size=1, max_size=3), st.integers(0, 30)), st.integers(3, 10))
def test_what_stays_visible_is_big_enough_and_the_merged_group_too(counts, minimum):
    merged = groups_to_merge(counts, minimum)
    visible = set(counts) - merged
    assert all(counts[key] >= minimum for key in visible)
    merged_total = sum(counts[key] for key in merged)
    assert merged_total == 0 or merged_total >= minimum or not visible


def test_an_empty_group_is_hidden_without_taking_others_with_it():
    assert groups_to_merge({"A": 7, "B": 0}, 5) == {"B"}
