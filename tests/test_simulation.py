"""Simulated responders (assessments/content/simulation.py) and the
``simulate_responses`` command that stores their answers."""

from collections import Counter
from datetime import timedelta
from io import StringIO
from statistics import NormalDist

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from assessments.banks.rules import DEFAULT_BANK_PATHS, read_bank_file
from assessments.banks.services import bank_import
from assessments.cohorts import services as cohort_services
from assessments.content import scoring, simulation
from assessments.management.commands.simulate_responses import version_items
from assessments.models import (
    Attempt,
    BankVersion,
    Cohort,
    DimensionScore,
    Participant,
    Result,
)
from assessments.taking import services as taking_services
from assessments.taking.services import AttemptError
from tests import cast
from tests.helpers import counts

# --- The model --------------------------------------------------------------------


def scores_of(items: list[simulation.ItemSpec], person: simulation.SimulatedPerson):
    dimensions = list(dict.fromkeys(item.dimension for item in items))
    answers = [
        scoring.Answer(item.dimension, item.pole, person.answers[item.key]) for item in items
    ]
    return scoring.score(answers, dimensions)


def correlation(people, items, dimension: str) -> float:
    found = [scores_of(items, person).dimensions[dimension] for person in people]
    true = [person.true_positions[dimension] for person in people]
    return float(np.corrcoef(found, true)[0, 1])


@pytest.fixture
def items(bank_version: BankVersion) -> list[simulation.ItemSpec]:
    return version_items(bank_version)


def test_scoring_finds_attentive_people_where_the_model_puts_them(items):
    people = simulation.simulate(items, 1000, simulation.Population(), seed=1)
    attentive = [person for person in people if person.kind == simulation.ATTENTIVE]
    assert 850 < len(attentive) < 950  # the default mix: 5% careless, 5% acquiescent
    for dimension in ("status_quo", "commitment", "disapproval"):
        assert correlation(attentive, items, dimension) >= 0.9


def test_scoring_finds_a_purely_attentive_population(items):
    attentive_only = simulation.Population(careless=0, acquiescent=0)
    people = simulation.simulate(items, 1000, attentive_only, seed=2)
    assert {person.kind for person in people} == {simulation.ATTENTIVE}
    for dimension in ("status_quo", "commitment", "disapproval"):
        assert correlation(people, items, dimension) >= 0.9


def test_the_default_mix_still_tracks_true_positions(items):
    """Careless and acquiescent people answer whatever their position, so
    they cap the whole mix's correlation below the attentive people's."""
    people = simulation.simulate(items, 1000, simulation.Population(), seed=3)
    for dimension in ("status_quo", "commitment", "disapproval"):
        assert correlation(people, items, dimension) >= 0.85


def test_the_true_position_is_the_mean_score_of_attentive_people_at_that_theta(items):
    """The exact expectation agrees with the answers the model draws."""
    theta = 0.8
    fixed = simulation.Population(careless=0, acquiescent=0, spread=0)
    lean = {"status_quo": theta, "commitment": -theta, "disapproval": 0.0}
    people = simulation.simulate(items, 4000, fixed, seed=4, lean=lean)
    for dimension in lean:
        mean = np.mean([scores_of(items, person).dimensions[dimension] for person in people])
        assert people[0].true_positions[dimension] == pytest.approx(mean, abs=0.3)
    assert people[0].true_positions["status_quo"] > 60
    assert people[0].true_positions["commitment"] == pytest.approx(
        100 - people[0].true_positions["status_quo"]
    )
    assert people[0].true_positions["disapproval"] == pytest.approx(50)


def test_the_true_position_matches_an_independent_normal_cdf():
    population = simulation.Population(loading=1.3, noise=0.7)
    leader = [simulation.ItemSpec("a", "d", scoring.LEADER)]
    cuts = np.array(population.thresholds) * np.hypot(1.3, 0.7)
    below = [NormalDist(mu=1.3 * 0.4, sigma=0.7).cdf(cut) for cut in cuts]
    probabilities = np.diff(np.concatenate([[0.0], below, [1.0]]))
    expected = 100 * probabilities @ np.array([0, 0.25, 0.5, 0.75, 1])
    found = simulation.true_positions(leader, np.array([[0.4]]), population)["d"][0]
    assert found == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize("position", [5, 20, 35, 50, 70, 95])
def test_theta_at_is_where_the_true_position_is(items, position):
    theta = simulation.theta_at(position)
    fixed = simulation.Population(spread=0)
    (person,) = simulation.simulate(items, 1, fixed, lean={"status_quo": theta})
    assert person.true_positions["status_quo"] == pytest.approx(position, abs=1e-6)


def test_acquiescent_people_agree_and_land_in_the_middle(items):
    agreeing = simulation.Population(careless=0, acquiescent=1)
    people = simulation.simulate(items, 1000, agreeing, seed=5)
    assert {value for person in people for value in person.answers.values()} == {4, 5}
    overall = [scores_of(items, person).overall for person in people]
    assert 48 <= np.mean(overall) <= 52
    assert np.mean([45 <= score <= 55 for score in overall]) >= 0.9
    # Answering only 4s and 5s, nobody can get past 62.5 on a balanced bank.
    assert all(37.5 <= score <= 62.5 for score in overall)


def test_careless_answers_are_uniform_and_ignore_the_person(items):
    careless = simulation.Population(careless=1, acquiescent=0)
    people = simulation.simulate(items, 400, careless, seed=6)
    answers = [value for person in people for value in person.answers.values()]
    tally = Counter(answers)
    assert sorted(tally) == [1, 2, 3, 4, 5]
    expected = len(answers) / 5
    chi_square = sum((tally[value] - expected) ** 2 / expected for value in range(1, 6))
    assert chi_square < 13.28  # the chi-square distribution's 99th percentile at 4 df
    assert all(0.18 < tally[value] / len(answers) < 0.22 for value in range(1, 6))
    found = [scores_of(items, person).dimensions["status_quo"] for person in people]
    theta = [person.theta["status_quo"] for person in people]
    assert abs(np.corrcoef(found, theta)[0, 1]) < 0.15


def test_attentive_answers_use_every_category_and_the_middle_most(items):
    attentive_only = simulation.Population(careless=0, acquiescent=0)
    people = simulation.simulate(items, 500, attentive_only, seed=7)
    tally = Counter(value for person in people for value in person.answers.values())
    assert max(tally, key=lambda value: tally[value]) == 3
    assert min(tally.values()) > 0.03 * tally.total()


def test_a_lean_moves_people_toward_that_pole(items):
    people = simulation.simulate(items, 300, seed=8, lean={"commitment": 1.5})
    assert np.mean([person.theta["commitment"] for person in people]) > 1.2
    assert abs(np.mean([person.theta["status_quo"] for person in people])) < 0.2
    assert np.median([scores_of(items, person).dimensions["commitment"] for person in people]) > 65


def test_the_same_seed_gives_the_same_people_and_another_seed_others(items):
    first = simulation.simulate(items, 50, seed=9)
    assert simulation.simulate(items, 50, seed=9) == first
    other = simulation.simulate(items, 50, seed=10)
    assert [person.answers for person in other] != [person.answers for person in first]
    assert [person.theta for person in other] != [person.theta for person in first]


def test_answers_are_whole_numbers_on_the_scale_for_every_item(items):
    for person in simulation.simulate(items, 100, seed=11):
        assert set(person.answers) == {item.key for item in items}
        assert all(type(value) is int and 1 <= value <= 5 for value in person.answers.values())


@pytest.mark.parametrize(
    ("shares", "message"),
    [
        ({"careless": -0.1}, "careless responders must lie between 0 and 1"),
        ({"acquiescent": 1.5}, "acquiescent responders must lie between 0 and 1"),
        ({"careless": 0.6, "acquiescent": 0.6}, "add up to 1.2"),
        ({"noise": 0}, "above 0"),
        ({"spread": -1}, "must not be negative"),
        ({"thresholds": (0.5, -0.5, 1.0, 2.0)}, "each above the one before"),
    ],
)
def test_a_population_refuses_impossible_settings(shares, message):
    with pytest.raises(ValueError, match=message):
        simulation.Population(**shares)


def test_simulate_refuses_a_lean_on_an_unknown_dimension(items):
    with pytest.raises(ValueError, match="Unknown dimension to lean: charisma"):
        simulation.simulate(items, 1, lean={"charisma": 1.0})


def test_shares_may_leave_nobody_attentive(items):
    people = simulation.simulate(items, 200, simulation.Population(careless=0.7, acquiescent=0.3))
    kinds = Counter(person.kind for person in people)
    assert kinds[simulation.ATTENTIVE] == 0
    assert 100 < kinds[simulation.CARELESS] < 180


def test_simulate_refuses_what_it_cannot_simulate(items):
    with pytest.raises(ValueError, match="no items"):
        simulation.simulate([], 1)
    with pytest.raises(ValueError, match="must not be negative"):
        simulation.simulate(items, -1)
    with pytest.raises(ValueError, match="pole must be"):
        simulation.simulate([simulation.ItemSpec(1, "status_quo", "manager")], 1)
    with pytest.raises(ValueError, match="strictly between 0 and 100"):
        simulation.theta_at(100)
    assert simulation.simulate(items, 0) == []


# --- Statements alone draw as before scenarios ------------------------------------

# Version 1's pattern of dimensions and poles, six at a time, four times over.
V1_PATTERN = [
    ("status_quo", scoring.LEADER),
    ("commitment", scoring.SELLER),
    ("disapproval", scoring.SELLER),
    ("status_quo", scoring.SELLER),
    ("commitment", scoring.LEADER),
    ("disapproval", scoring.LEADER),
] * 4
STATEMENTS = [
    simulation.ItemSpec(number, dimension, pole)
    for number, (dimension, pole) in enumerate(V1_PATTERN, start=1)
]


def test_statements_alone_give_the_answers_they_gave_before_scenarios():
    """Pinned from the module as it was before scenarios (seed 2026): the demo
    data and every seeded figure depend on these draws staying the same."""
    people = simulation.simulate(STATEMENTS, 40, seed=2026)
    pinned = {
        0: (simulation.ATTENTIVE, "433542523334432432423444"),
        6: (simulation.CARELESS, "112451134531244232331153"),
        10: (simulation.ACQUIESCENT, "444444544544445454444545"),
        39: (simulation.ATTENTIVE, "134332244431225332144312"),
    }
    for row, (kind, answers) in pinned.items():
        assert people[row].kind == kind
        assert "".join(str(people[row].answers[number]) for number in range(1, 25)) == answers
    assert people[0].theta == {
        "status_quo": 0.5065370793987306,
        "commitment": 0.8767181724687065,
        "disapproval": 0.20442021540537625,
    }
    assert people[0].true_positions == {
        "status_quo": 58.92395608792238,
        "commitment": 65.40014332713342,
        "disapproval": 53.604813924306605,
    }
    assert simulation.theta_at(35) == -0.8537133465592694


# --- Scenarios --------------------------------------------------------------------


def scenario(key: int | str, dimension: str, *positions: int) -> simulation.ItemSpec:
    return simulation.ItemSpec(key, dimension, "", positions)


# Each dimension: version 1's eight statements and three scenarios, their
# options listed out of position order.
MIXED = STATEMENTS + [
    scenario("sq-a", "status_quo", 85, 15, 45),
    scenario("sq-b", "status_quo", 40, 5, 90, 60),
    scenario("sq-c", "status_quo", 90, 10),
    scenario("c-a", "commitment", 80, 5, 30),
    scenario("c-b", "commitment", 10, 90, 40),
    scenario("c-c", "commitment", 45, 85, 10),
    scenario("d-a", "disapproval", 55, 15, 90),
    scenario("d-b", "disapproval", 50, 15, 90),
    scenario("d-c", "disapproval", 40, 10, 90),
]


def points_of(item: simulation.ItemSpec, answer: int) -> float:
    """A scenario's points are its chosen option's position / 100 (the answer
    is the option's 1-based number as listed); a statement's as scored."""
    if item.positions:
        return item.positions[answer - 1] / 100
    return scoring.item_points(item.pole, answer)


def dimension_score(
    items: list[simulation.ItemSpec], person: simulation.SimulatedPerson, dimension: str
) -> float:
    own = [
        points_of(item, person.answers[item.key]) for item in items if item.dimension == dimension
    ]
    return 100 * float(np.mean(own))


def test_a_scenario_answer_is_the_number_of_an_option_as_listed():
    items = [scenario("s", "d", 60, 0, 100, 30)]
    fixed = simulation.Population(careless=0, acquiescent=0, spread=0)
    (leader,) = simulation.simulate(items, 1, fixed, lean={"d": 20.0})
    (seller,) = simulation.simulate(items, 1, fixed, lean={"d": -20.0})
    assert leader.answers["s"] == 3  # 100 is listed third
    assert seller.answers["s"] == 2  # 0 is listed second
    people = simulation.simulate(MIXED, 300, seed=12)
    for person in people:
        for item in MIXED:
            top = len(item.positions) if item.positions else 5
            assert type(person.answers[item.key]) is int
            assert 1 <= person.answers[item.key] <= top


def test_an_attentive_person_takes_the_option_nearest_their_latent_point():
    """With options at 40 and 100 the choice turns where 100 * Phi(y / scale)
    is 70, their midpoint. With almost no noise, y is theta itself."""
    items = [scenario("s", "d", 100, 40)]
    exact = simulation.Population(careless=0, acquiescent=0, spread=0, noise=1e-9)
    turn = exact.scale * NormalDist().inv_cdf(0.70)
    for theta, chosen in ((turn + 1e-3, 1), (turn - 1e-3, 2)):
        (person,) = simulation.simulate(items, 1, exact, lean={"d": theta})
        assert person.answers["s"] == chosen, theta
    found = simulation.true_positions(items, np.array([[turn + 1e-3], [turn - 1e-3]]), exact)
    assert found["d"] == pytest.approx([100, 40])


def test_careless_people_pick_a_scenarios_options_uniformly():
    items = [scenario("three", "d", 90, 10, 50), scenario("two", "d", 0, 100)]
    careless = simulation.Population(careless=1, acquiescent=0)
    people = simulation.simulate(items, 3000, careless, seed=13, lean={"d": 2.0})
    for item, quantile in ((items[0], 9.21), (items[1], 6.63)):  # chi-square's 99th percentile
        tally = Counter(person.answers[item.key] for person in people)
        options = len(item.positions)
        assert sorted(tally) == list(range(1, options + 1))
        expected = len(people) / options
        assert sum((tally[n] - expected) ** 2 / expected for n in tally) < quantile
    # Leaning hard to the leader end changes nothing for them.
    assert abs(np.mean([person.answers["two"] for person in people]) - 1.5) < 0.05


def test_acquiescent_people_choose_as_attentive_people_at_their_theta():
    """A forced choice gives nothing to agree with. With the same seed, the
    same thetas and noise are drawn whoever the people are."""
    attentive = simulation.simulate(
        MIXED, 200, simulation.Population(careless=0, acquiescent=0), seed=14
    )
    agreeing = simulation.simulate(
        MIXED, 200, simulation.Population(careless=0, acquiescent=1), seed=14
    )
    assert [person.theta for person in agreeing] == [person.theta for person in attentive]
    for item in MIXED:
        same = [
            a.answers[item.key] == b.answers[item.key]
            for a, b in zip(attentive, agreeing, strict=True)
        ]
        if item.positions:
            assert all(same), item.key
        else:
            assert not all(same), item.key  # on a statement they agree instead
    assert {agreeing[0].answers[item.key] for item in STATEMENTS} <= {4, 5}


def test_scenarios_draw_after_statements_so_kinds_and_thetas_stay():
    alone = simulation.simulate(STATEMENTS, 100, seed=15)
    mixed = simulation.simulate(MIXED, 100, seed=15)
    assert [(person.kind, person.theta) for person in mixed] == [
        (person.kind, person.theta) for person in alone
    ]


@pytest.mark.parametrize("theta", [-1.2, 0.0, 0.7])
def test_the_true_position_with_scenarios_is_the_mean_score_at_that_theta(theta):
    fixed = simulation.Population(careless=0, acquiescent=0, spread=0)
    lean = {"status_quo": theta, "commitment": theta, "disapproval": theta}
    only = [scenario("s", "only", 85, 15, 45), scenario("t", "only", 40, 5, 90, 60)]
    items = MIXED + only
    people = simulation.simulate(items, 6000, fixed, seed=16, lean=lean | {"only": theta})
    for dimension in (*lean, "only"):
        mean = np.mean([dimension_score(items, person, dimension) for person in people])
        assert people[0].true_positions[dimension] == pytest.approx(mean, abs=0.4)
    if theta == 0:  # statements alone would give exactly 50; the scenarios move it a little
        assert 45 < people[0].true_positions["status_quo"] < 55


def test_a_scenarios_true_position_matches_an_independent_normal_cdf():
    population = simulation.Population(loading=1.3, noise=0.7)
    positions = (70, 0, 25)
    scale = float(np.hypot(1.3, 0.7))
    theta = 0.4
    # The option nearest 100 * Phi(y / scale): 0 below 12.5, 25 up to 47.5, 70 above.
    chance_below = [
        NormalDist(mu=1.3 * theta, sigma=0.7).cdf(scale * NormalDist().inv_cdf(mid))
        for mid in (0.125, 0.475)
    ]
    chances = np.diff(np.concatenate([[0.0], chance_below, [1.0]]))
    expected = 100 * chances @ np.array([0, 0.25, 0.70])
    found = simulation.true_positions(
        [scenario("s", "d", *positions)], np.array([[theta]]), population
    )["d"][0]
    assert found == pytest.approx(expected, abs=1e-9)


def test_scoring_finds_people_where_the_model_puts_them_with_scenarios():
    people = simulation.simulate(MIXED, 1000, simulation.Population(), seed=17)
    attentive = [person for person in people if person.kind == simulation.ATTENTIVE]
    for dimension in ("status_quo", "commitment", "disapproval"):
        found = [dimension_score(MIXED, person, dimension) for person in attentive]
        true = [person.true_positions[dimension] for person in attentive]
        assert np.corrcoef(found, true)[0, 1] >= 0.9
    # Scenarios alone still follow theta.
    only = [item for item in MIXED if item.positions]
    people = simulation.simulate(
        only, 1000, simulation.Population(careless=0, acquiescent=0), seed=18
    )
    found = [dimension_score(only, person, "commitment") for person in people]
    true = [person.true_positions["commitment"] for person in people]
    assert np.corrcoef(found, true)[0, 1] >= 0.75


@pytest.mark.parametrize(
    ("item", "message"),
    [
        (lambda: simulation.ItemSpec(1, "d", scoring.LEADER, (0, 100)), "A scenario has no pole"),
        (lambda: scenario(1, "d", 50), "at least two options"),
        (lambda: scenario(1, "d", 0, 101), "from 0 to 100"),
        (lambda: scenario(1, "d", 0, 50.5), "whole number"),  # type: ignore[arg-type]
        (lambda: scenario(1, "d", 40, 40, 90), "share a position"),
    ],
)
def test_a_scenario_refuses_impossible_options(item, message):
    with pytest.raises(ValueError, match=message):
        item()


# --- The command ------------------------------------------------------------------


def simulate_responses(*args: str) -> str:
    out = StringIO()
    call_command("simulate_responses", *args, stdout=out)
    return out.getvalue()


def test_it_creates_n_submitted_anonymous_attempts_with_results(bank_version):
    output = simulate_responses("--people", "12", "--seed", "3")
    attempts = Attempt.objects.filter(user=None, participant=None)
    assert attempts.count() == 12
    assert attempts.filter(status=Attempt.Status.SUBMITTED).count() == 12
    assert Result.objects.filter(attempt__in=attempts, bank_version=bank_version).count() == 12
    assert DimensionScore.objects.count() == 12 * 3
    assert "Created 12 submitted anonymous attempts" in output
    assert "seed 3" in output


def test_it_stores_the_answers_the_model_gives_for_the_seed(bank_version):
    simulate_responses("--people", "2", "--seed", "21")
    expected = simulation.simulate(version_items(bank_version), 2, seed=21)
    stored = [
        dict(attempt.responses.values_list("item_id", "value")) for attempt in Attempt.objects.all()
    ]
    assert sorted(stored, key=str) == sorted((person.answers for person in expected), key=str)


def test_it_answers_version_2s_scenarios_and_the_stored_scores_follow_the_file(bank_version):
    """The whole chain: each scenario's options reach the simulation in the
    file's order, its answer is stored as that option's number, and the
    result scores it at that option's position."""
    data = read_bank_file(DEFAULT_BANK_PATHS[-1])
    version, _ = bank_import(data=data, shipped=True)
    assert version.number == 2
    specs = version_items(version)
    assert [spec.positions for spec in specs] == [
        tuple(option["position"] for option in item.get("options", [])) for item in data["items"]
    ]
    simulate_responses("--people", "6", "--seed", "22", "--version", str(version.pk))
    expected = simulation.simulate(specs, 6, seed=22)
    results = Result.objects.filter(bank_version=version).order_by("pk")
    assert results.count() == 6
    for person, result in zip(expected, results, strict=True):
        assert dict(result.attempt.responses.values_list("item_id", "value")) == person.answers
        for dimension, stored in result.scores.values_list("dimension__key", "score"):
            own = [spec for spec in specs if spec.dimension == dimension]
            mean = np.mean([points_of(spec, person.answers[spec.key]) for spec in own])
            assert stored == pytest.approx(100 * mean, abs=0.006)  # stored to two decimals


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--people", "0"], "--people must be from 1 to 100,000, not 0"),
        (["--people", "100001"], "--people must be from 1 to 100,000, not 100001"),
        (["--people", "5", "--careless", "1.5"], "careless responders must lie between 0"),
        (["--people", "5", "--acquiescent", "-0.2"], "acquiescent responders must lie between"),
        (
            ["--people", "5", "--careless", "0.7", "--acquiescent", "0.4"],
            "add up to 1.1; they may add up to at most 1",
        ),
        (["--people", "5", "--version", "999999"], "no bank version with id 999999"),
        (["--people", "5", "--cohort", "999999"], "no cohort with id 999999"),
        ([], "the following arguments are required: --people"),
    ],
)
def test_it_refuses_bad_arguments_and_stores_nothing(bank_version, args, message):
    before = counts()
    with pytest.raises(CommandError, match=message):
        simulate_responses(*args)
    assert counts() == before


def test_it_answers_on_the_version_named(draft, bank_version):
    output = simulate_responses("--people", "1", "--version", str(bank_version.pk))
    assert Result.objects.get().bank_version == bank_version
    assert "Created 1 submitted anonymous attempt with results" in output


def test_it_refuses_a_draft_version(draft):
    before = counts()
    with pytest.raises(CommandError, match="is not published"):
        simulate_responses("--people", "3", "--version", str(draft.pk))
    assert counts() == before


def test_it_needs_a_bank(db):
    with pytest.raises(CommandError, match="load_default_bank"):
        simulate_responses("--people", "3")


def test_a_failure_halfway_stores_nothing(bank_version, monkeypatch):
    submitted: list[Attempt] = []
    submit = taking_services.attempt_submit

    def submit_twice_then_fail(**kwargs):
        if len(submitted) == 2:
            raise AttemptError("The database went away.")
        submitted.append(kwargs["attempt"])
        return submit(**kwargs)

    monkeypatch.setattr(taking_services, "attempt_submit", submit_twice_then_fail)
    before = counts()
    with pytest.raises(CommandError, match="Nothing was stored: The database went away"):
        simulate_responses("--people", "5")
    assert len(submitted) == 2
    assert counts() == before


def test_it_adds_people_to_a_cohorts_teams_in_turn_and_they_complete(cohort):
    output = simulate_responses("--people", "5", "--cohort", str(cohort.pk), "--seed", "4")
    people = Participant.objects.filter(cohort=cohort)
    assert people.count() == 5
    assert Counter(people.values_list("team__name", flat=True)) == {
        "EMEA sales": 3,
        "US sales": 2,
    }
    assert Result.objects.filter(attempt__participant__cohort=cohort).count() == 5
    assert not Attempt.objects.exclude(status=Attempt.Status.SUBMITTED).exists()
    assert "Added 5 simulated people" in output
    assert "3 to EMEA sales, 2 to US sales" in output
    simulate_responses("--people", "2", "--cohort", str(cohort.pk))  # new addresses each run
    assert people.count() == 7


def test_it_refuses_a_cohort_that_is_not_open(cohort):
    cohort_services.cohort_close(cohort=cohort)
    before = counts()
    with pytest.raises(CommandError, match="is closed, not open"):
        simulate_responses("--people", "3", "--cohort", str(cohort.pk))
    assert counts() == before


def test_it_refuses_a_cohort_outside_its_dates(cohort):
    Cohort.objects.filter(pk=cohort.pk).update(opens_at=timezone.now() + timedelta(days=1))
    with pytest.raises(CommandError, match="open but outside its dates"):
        simulate_responses("--people", "3", "--cohort", str(cohort.pk))
    assert not Participant.objects.exists()


def test_it_refuses_a_cohort_without_teams(bank_version, hr_admin):
    cohort = cast.open_cohort(bank_version=bank_version, created_by=hr_admin, teams=[])
    with pytest.raises(CommandError, match="has no teams to add people to"):
        simulate_responses("--people", "3", "--cohort", str(cohort.pk))
    assert not Attempt.objects.exists()


def test_it_refuses_a_version_other_than_the_cohorts(cohort, draft):
    with pytest.raises(CommandError, match="leave --version out"):
        simulate_responses("--people", "3", "--cohort", str(cohort.pk), "--version", str(draft.pk))
    assert not Participant.objects.exists()
