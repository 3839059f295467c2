"""The scoring model: hand-worked examples and properties that must always hold."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments.content import scoring
from assessments.content.scoring import LEADER, SELLER, Answer, ScoringError, band_for, score

DIMENSIONS = ("status_quo", "commitment", "disapproval")


def test_a_hand_worked_example_matches_docs_scoring_md():
    # status_quo: leader items answered 5 and 4 (points 1.0, 0.75), seller items
    # answered 2 and 1 (points 0.75, 1.0): mean 0.875 -> 87.5.
    # commitment: every item answered 3 -> 50. disapproval: leader 1, 2 (0, 0.25),
    # seller 5, 4 (0, 0.25): mean 0.125 -> 12.5. Overall (87.5 + 50 + 12.5) / 3 = 50.
    answers = [
        Answer("status_quo", LEADER, 5),
        Answer("status_quo", LEADER, 4),
        Answer("status_quo", SELLER, 2),
        Answer("status_quo", SELLER, 1),
        *(Answer("commitment", pole, 3) for pole in (LEADER, LEADER, SELLER, SELLER)),
        Answer("disapproval", LEADER, 1),
        Answer("disapproval", LEADER, 2),
        Answer("disapproval", SELLER, 5),
        Answer("disapproval", SELLER, 4),
    ]
    result = score(answers, DIMENSIONS)
    assert result.dimensions == {"status_quo": 87.5, "commitment": 50.0, "disapproval": 12.5}
    assert result.overall == 50.0
    assert result.band("status_quo").key == "leader"
    assert result.band("disapproval").key == "seller"
    assert result.band().key == "balanced"


def test_overall_is_rounded_to_two_decimals():
    answers = [
        Answer("status_quo", LEADER, 5),
        Answer("status_quo", SELLER, 1),
        Answer("commitment", LEADER, 5),
        Answer("commitment", SELLER, 1),
        Answer("disapproval", LEADER, 4),
        Answer("disapproval", SELLER, 4),
    ]
    # 100, 100 and 50 -> 83.333... -> 83.33
    assert score(answers, DIMENSIONS).overall == 83.33


@pytest.mark.parametrize(
    ("value", "key"),
    [
        (0, "seller"),
        (19.99, "seller"),
        (20, "seller_leaning"),
        (39.99, "seller_leaning"),
        (40, "balanced"),
        (50, "balanced"),
        (60, "leader_leaning"),
        (80, "leader"),
        (100, "leader"),
    ],
)
def test_band_boundaries_include_the_lower_edge(value, key):
    assert band_for(value).key == key


@pytest.mark.parametrize("value", [-0.01, 100.01])
def test_a_score_off_the_scale_has_no_band(value):
    with pytest.raises(ScoringError):
        band_for(value)


@pytest.mark.parametrize("value", [0, 6, True, "3", 2.5])
def test_an_answer_off_the_scale_is_refused(value):
    with pytest.raises(ScoringError):
        score([Answer("status_quo", LEADER, value)], ["status_quo"])


def test_an_unknown_pole_or_dimension_is_refused():
    with pytest.raises(ScoringError, match="pole"):
        score([Answer("status_quo", "manager", 3)], ["status_quo"])
    with pytest.raises(ScoringError, match="Unknown dimension"):
        score([Answer("charisma", LEADER, 3)], ["status_quo"])


def test_a_dimension_without_answers_cannot_be_scored():
    with pytest.raises(ScoringError, match="No answers for commitment"):
        score([Answer("status_quo", LEADER, 3)], ["status_quo", "commitment"])


# A balanced bank: per dimension, pairs of (leader value, seller value).
pairs = st.lists(st.tuples(st.integers(1, 5), st.integers(1, 5)), min_size=1, max_size=6)
bank_answers = st.fixed_dictionaries({key: pairs for key in DIMENSIONS})


def to_answers(answers: dict[str, list[tuple[int, int]]], swap: bool = False) -> list[Answer]:
    leader, seller = (SELLER, LEADER) if swap else (LEADER, SELLER)
    return [
        answer
        for key, values in answers.items()
        for lead, sell in values
        for answer in (Answer(key, leader, lead), Answer(key, seller, sell))
    ]


@given(bank_answers)
def test_scores_stay_between_0_and_100(answers):
    result = score(to_answers(answers), DIMENSIONS)
    assert all(0 <= value <= 100 for value in result.dimensions.values())
    assert 0 <= result.overall <= 100


@given(bank_answers, st.sampled_from(DIMENSIONS), st.data())
def test_agreeing_more_with_a_leader_item_never_lowers_the_score(answers, key, data):
    index = data.draw(st.integers(0, len(answers[key]) - 1))
    lead, sell = answers[key][index]
    if lead == 5:
        return
    more = {**answers, key: list(answers[key])}
    more[key][index] = (lead + 1, sell)
    before = score(to_answers(answers), DIMENSIONS)
    after = score(to_answers(more), DIMENSIONS)
    assert after.dimensions[key] > before.dimensions[key]
    assert after.overall >= before.overall


@given(bank_answers)
def test_swapping_the_poles_mirrors_every_score(answers):
    result = score(to_answers(answers), DIMENSIONS)
    mirrored = score(to_answers(answers, swap=True), DIMENSIONS)
    for key in DIMENSIONS:
        assert mirrored.dimensions[key] == pytest.approx(100 - result.dimensions[key], abs=0.01)
    assert mirrored.overall == pytest.approx(100 - result.overall, abs=0.02)


@given(bank_answers, st.integers(1, 5))
def test_giving_every_item_the_same_answer_lands_in_the_middle(answers, value):
    same = {key: [(value, value)] * len(values) for key, values in answers.items()}
    result = score(to_answers(same), DIMENSIONS)
    assert result.dimensions == dict.fromkeys(DIMENSIONS, 50.0)
    assert result.overall == 50.0
    assert result.band().key == "balanced"


def test_the_ends_of_the_scale_are_reachable():
    leader = {key: [(5, 1)] for key in DIMENSIONS}
    seller = {key: [(1, 5)] for key in DIMENSIONS}
    assert score(to_answers(leader), DIMENSIONS).overall == 100
    assert score(to_answers(seller), DIMENSIONS).overall == 0


def test_the_scoring_version_is_recorded_as_text():
    assert isinstance(scoring.SCORING_VERSION, str) and scoring.SCORING_VERSION
