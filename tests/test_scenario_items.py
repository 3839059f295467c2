"""Scenario items end to end: the bank format, the database's freeze, the
question page, scoring under version 2, the HR editor, exports and copies."""

import copy

import pytest
from django.db import DatabaseError, transaction
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from assessments.accounts.exports import user_data
from assessments.banks import selectors, statistics
from assessments.banks.rules import BankFormatError, validate_bank_data
from assessments.banks.services import bank_import, bank_version_copy, scenario_create
from assessments.content import measurement, scoring
from assessments.models import Attempt, BankVersion, Item, ItemOption, Response, Result
from assessments.taking import services
from assessments.taking.selectors import page_count, page_of_items
from tests import cast
from tests.helpers import submitted_result


@pytest.fixture
def mixed(db) -> BankVersion:
    return cast.mixed_bank()


def scenario_points_of(item: Item, value: int) -> float:
    return item.options.get(order=value).position / 100


def expected_scores(version: BankVersion, answers: dict[int, int]) -> dict[str, float]:
    """The scores worked out here from the rule in docs/scoring.md, apart
    from the scoring module: each item's points, then each difference's mean."""
    points: dict[str, list[float]] = {}
    for item in version.items.select_related("dimension"):
        value = answers[item.pk]
        if item.is_scenario:
            got = scenario_points_of(item, value)
        elif item.pole == "leader":
            got = (value - 1) / 4
        else:
            got = (5 - value) / 4
        points.setdefault(item.dimension.key, []).append(got)
    return {key: round(100 * sum(p) / len(p), 2) for key, p in points.items()}


# Scoring -------------------------------------------------------------------------


def test_a_scenario_scores_its_chosen_response_position():
    answers = [
        scoring.Answer("d", "leader", 5),  # 1.0
        scoring.Answer("d", "", 2, position=30),  # 0.3
    ]
    scores = scoring.score(answers, ["d"])
    assert scores.dimensions == {"d": 65.0}
    assert scores.version == scoring.SCENARIO_SCORING_VERSION


@given(
    statements=st.lists(st.tuples(st.sampled_from(scoring.POLES), st.integers(1, 5)), max_size=8),
    scenarios=st.lists(st.integers(0, 100), min_size=1, max_size=4),
    raise_by=st.integers(0, 100),
)
def test_any_mixed_answers_score_inside_the_scale_and_a_higher_response_never_lowers_it(
    statements, scenarios, raise_by
):
    answers = [scoring.Answer("d", pole, value) for pole, value in statements]
    answers += [scoring.Answer("d", "", 1, position=position) for position in scenarios]
    scores = scoring.score(answers, ["d"])
    assert 0 <= scores.dimensions["d"] <= 100
    higher = min(100, scenarios[0] + raise_by)
    answers[len(statements)] = scoring.Answer("d", "", 1, position=higher)
    assert scoring.score(answers, ["d"]).dimensions["d"] >= scores.dimensions["d"]


def test_statements_alone_keep_scoring_version_1():
    scores = scoring.score([scoring.Answer("d", "leader", 4)], ["d"])
    assert scores.version == scoring.SCORING_VERSION == "1"


@pytest.mark.parametrize("position", [-1, 101, 50.5, True])
def test_a_position_off_the_spectrum_is_refused(position):
    with pytest.raises(scoring.ScoringError, match="position"):
        scoring.score([scoring.Answer("d", "", 1, position=position)], ["d"])


def test_scenarios_are_not_read_for_agreeing_with_everything():
    """The same answer to every statement is unreadable; scenario choices
    beside them do not make it readable, and never count as "the same"."""
    statements = [scoring.Answer("d", pole, 4) for pole in ("leader", "seller") * 4]
    scenarios = [scoring.Answer("d", "", 1, position=10), scoring.Answer("d", "", 1, position=90)]
    assert measurement.consistency(statements + scenarios).same_answer
    varied = [scoring.Answer("d", "leader", 5), scoring.Answer("d", "seller", 2)]
    assert measurement.consistency(varied + scenarios).clear


# The bank format -----------------------------------------------------------------


def test_a_mixed_bank_loads_with_its_responses_in_order(mixed):
    scenarios = mixed.items.filter(kind=Item.Kind.SCENARIO).order_by("order")
    assert scenarios.count() == len(cast.SCENARIOS)
    first = scenarios.first()
    assert first is not None and first.pole == ""
    assert list(first.options.values_list("order", "text", "position")) == [
        (1, "Leave it be: it works.", 10),
        (2, "Ask what steady is costing us.", 90),
    ]
    assert selectors.publish_problems(mixed) == []


def test_export_then_import_gives_the_same_items(mixed):
    exported = selectors.bank_export(mixed)
    assert exported["format"] == 2
    again = copy.deepcopy(exported)
    again["version"]["number"] = 3
    copy_version, created = bank_import(data=again, publish=False)
    assert created
    assert selectors.bank_export(copy_version)["items"] == exported["items"]


def test_a_bank_of_statements_still_exports_in_format_1(db, bank_data):
    data = copy.deepcopy(bank_data)
    data["format"] = 1  # English alone: a file in format 3 may carry translations
    version, _ = bank_import(data=data)
    assert selectors.bank_export(version)["format"] == 1


def _scenario(**changes):
    scenario = copy.deepcopy(cast.SCENARIOS[1])
    scenario.update(changes)
    return scenario


@pytest.mark.parametrize(
    ("item", "message"),
    [
        (_scenario(options=[{"text": "Alone", "position": 10}]), "needs 2 to 4 options, not 1"),
        (
            _scenario(options=[{"text": f"Way {n}", "position": n * 20} for n in range(5)]),
            "needs 2 to 4 options, not 5",
        ),
        (
            _scenario(options=[{"text": "A", "position": 40}, {"text": "B", "position": 60}]),
            "span 20 points; they need to span at least 50",
        ),
        (
            _scenario(options=[{"text": "A", "position": 10}, {"text": "B", "position": 10}]),
            "the same position",
        ),
        (
            _scenario(options=[{"text": "Same", "position": 0}, {"text": "same ", "position": 90}]),
            "the same text",
        ),
        (
            _scenario(options=[{"text": "A", "position": 0}, {"text": "B", "position": 101}]),
            "'position' must be a whole number from 0 to 100",
        ),
        (
            _scenario(options=[{"text": "A", "position": 0}, {"text": "B", "position": True}]),
            "'position' must be a whole number",
        ),
        (
            _scenario(options=[{"text": "A", "position": 0}, {"text": " ", "position": 90}]),
            "option 2: the text is empty",
        ),
        (_scenario(pole="leader"), "a scenario has no pole"),
        (_scenario(kind="vignette"), "kind must be one of"),
        (_scenario(options="two of them"), "'options' must be a list"),
    ],
)
def test_a_malformed_scenario_is_refused_with_where_and_why_and_stores_nothing(db, item, message):
    data = cast.mixed_bank_data()
    data["items"].append(item)
    with pytest.raises(BankFormatError, match=message):
        bank_import(data=data)
    assert not BankVersion.objects.exists()
    assert not ItemOption.objects.exists()


def test_a_statement_with_options_is_refused(db):
    data = cast.mixed_bank_data()
    data["items"][0]["options"] = [{"text": "A", "position": 0}]
    with pytest.raises(BankFormatError, match="item 1: only a scenario has options"):
        validate_bank_data(data)


def test_a_scenario_in_a_format_1_file_is_refused(db):
    data = cast.mixed_bank_data()
    data["format"] = 1
    with pytest.raises(BankFormatError, match="a scenario needs format 2; the file says 1"):
        validate_bank_data(data)


def test_an_unknown_format_is_refused(db):
    data = cast.mixed_bank_data()
    data["format"] = 4
    with pytest.raises(BankFormatError, match="format 4 is not one this product reads"):
        validate_bank_data(data)


# Frozen with their version -------------------------------------------------------


def frozen(action) -> None:
    with pytest.raises(DatabaseError), transaction.atomic():
        action()


def test_the_database_refuses_to_change_a_published_scenarios_responses(mixed):
    option = ItemOption.objects.filter(item__version=mixed).first()
    assert option is not None
    frozen(lambda: ItemOption.objects.filter(pk=option.pk).update(position=50))
    frozen(lambda: ItemOption.objects.filter(pk=option.pk).delete())
    frozen(lambda: ItemOption.objects.create(item=option.item, order=4, text="New", position=0))
    option.refresh_from_db()
    assert option.position == 10


def test_a_response_cannot_be_moved_into_a_published_scenario(mixed):
    draft = bank_version_copy(source=mixed)
    option = ItemOption.objects.filter(item__version=draft).first()
    published = mixed.items.filter(kind=Item.Kind.SCENARIO).first()
    assert option is not None and published is not None
    ItemOption.objects.filter(pk=option.pk).update(position=55)  # a draft's may change
    frozen(lambda: ItemOption.objects.filter(pk=option.pk).update(item=published))


def test_a_copy_of_a_version_copies_its_responses(mixed):
    draft = bank_version_copy(source=mixed)
    assert selectors.bank_export(draft)["items"] == selectors.bank_export(mixed)["items"]


# Taking a mixed bank -------------------------------------------------------------


def page_url(attempt: Attempt, number: int) -> str:
    return reverse("taking:attempt_page", args=[attempt.pk, number])


def chosen(item: Item) -> int:
    """A statement's answer by its position, a scenario's last response."""
    if item.is_scenario:
        return item.options.count()
    return item.order % 5 + 1


def test_a_person_answers_scenarios_on_the_pages_and_gets_version_2_scores(client, mixed):
    client.post(reverse("taking:attempt_start"))
    attempt = Attempt.objects.get()
    assert attempt.bank_version == mixed
    answers = {}
    saw_scenario = False
    for number in range(1, page_count(mixed) + 1):
        page = page_of_items(attempt, number)
        assert page is not None
        html = client.get(page_url(attempt, number)).content.decode()
        for item in page.items:
            if item.is_scenario:
                saw_scenario = True
                assert "What would you most likely do?" in html
                for option in item.options.all():
                    assert f'value="{option.order}"' in html
                    assert option.text.replace("'", "&#x27;") in html
        page_answers = {item.pk: chosen(item) for item in page.items}
        answers.update(page_answers)
        response = client.post(
            page_url(attempt, number),
            {**{f"item_{pk}": value for pk, value in page_answers.items()}, "direction": "next"},
        )
        assert response.status_code == 302
    assert saw_scenario
    result = Result.objects.get(attempt=attempt)
    assert result.scoring_version == "2"
    stored = {score.dimension.key: score.score for score in result.scores.all()}
    assert stored == expected_scores(mixed, answers)


def test_a_response_number_the_scenario_does_not_have_is_refused_and_nothing_stored(client, mixed):
    client.post(reverse("taking:attempt_start"))
    attempt = Attempt.objects.get()
    scenario = mixed.items.filter(kind=Item.Kind.SCENARIO, options__order=2).first()
    assert scenario is not None and scenario.options.count() == 2
    with pytest.raises(services.AttemptError, match="one of its 2 responses"):
        services.responses_save(attempt=attempt, answers={scenario.pk: 3})
    assert not Response.objects.exists()


def test_the_autosave_takes_a_scenarios_response_and_refuses_one_it_lacks(client, mixed):
    client.post(reverse("taking:attempt_start"))
    attempt = Attempt.objects.get()
    scenario = mixed.items.filter(kind=Item.Kind.SCENARIO).first()
    assert scenario is not None
    url = reverse("taking:attempt_autosave", args=[attempt.pk])
    assert client.post(url, {f"item_{scenario.pk}": 5}).status_code == 400
    assert not Response.objects.exists()
    assert client.post(url, {f"item_{scenario.pk}": 2}).status_code == 200
    assert Response.objects.get().value == 2


def test_a_scenario_left_unanswered_is_named_on_the_page(client, mixed):
    client.post(reverse("taking:attempt_start"))
    attempt = Attempt.objects.get()
    number = next(
        n
        for n in range(1, page_count(mixed) + 1)
        if any(item.is_scenario for item in page_of_items(attempt, n).items)  # type: ignore[union-attr]
    )
    page = page_of_items(attempt, number)
    assert page is not None
    answers = {f"item_{item.pk}": 3 for item in page.items if not item.is_scenario}
    response = client.post(page_url(attempt, number), {**answers, "direction": "next"})
    assert response.status_code == 200
    assert "Choose what you would most likely do." in response.content.decode()
    assert not Response.objects.filter(item__kind=Item.Kind.SCENARIO).exists()


def test_results_of_the_statement_version_stay_as_they_were_given(bank_version):
    """Version 1's results keep scoring version 1 and their scores once a
    mixed version becomes current and is scored under version 2."""
    before = submitted_result(bank_version, value=lambda item: item.order % 5 + 1)
    kept = (before.overall, before.scoring_version, [s.score for s in before.scores.all()])
    mixed = cast.mixed_bank()
    assert BankVersion.objects.current() == mixed
    after = submitted_result(mixed, value=lambda item: 1 if item.is_scenario else 4)
    assert after.scoring_version == "2"
    before.refresh_from_db()
    assert (before.overall, before.scoring_version, [s.score for s in before.scores.all()]) == kept
    assert kept[1] == "1"


def test_a_persons_data_download_names_the_response_they_chose(db):
    mixed = cast.mixed_bank()
    person = cast.make_user("chooser")
    submitted_result(mixed, user=person, value=lambda item: 2 if item.is_scenario else 3)
    answers = user_data(person)["attempts"][0]["answers"]
    scenario = next(answer for answer in answers if answer["kind"] == "scenario")
    item = Item.objects.get(version=mixed, text=scenario["item"])
    option = item.options.get(order=2)
    assert (scenario["response"], scenario["position"]) == (option.text, option.position)


# Item statistics over a scenario -------------------------------------------------


def test_statistics_read_a_scenario_by_its_responses_positions(mixed):
    import numpy as np

    scenario = mixed.items.filter(kind=Item.Kind.SCENARIO).order_by("order")[1]
    keyed = statistics._keyed(scenario, np.array([1.0, 2.0, 3.0]))
    assert list(keyed) == [0.85, 0.05, 0.5]


# The HR editor -------------------------------------------------------------------


@pytest.fixture
def hr_client(client, db):
    client.force_login(cast.hr_admin())
    return client


def scenario_post(**changes) -> dict:
    data = {
        "text": "A supplier you like keeps missing small deadlines.",
        "dimension": "",
        "passage": "",
        "order": 90,
        "response_1": "Say nothing: the relationship matters more.",
        "position_1": 10,
        "response_2": "Tell them plainly it has to change.",
        "position_2": 85,
        "response_3": "",
        "position_3": "",
        "response_4": "",
        "position_4": "",
    }
    data.update(changes)
    return data


def test_hr_adds_a_scenario_with_its_responses(hr_client, bank_version):
    draft = cast.draft_of(bank_version)
    dimension = draft.items.first().dimension  # type: ignore[union-attr]
    url = reverse("banks:scenario_create", args=[draft.pk])
    page = hr_client.get(url).content.decode()
    assert "Response 4" in page and "Where response 1 sits" in page
    response = hr_client.post(url, scenario_post(dimension=dimension.pk))
    assert response.status_code == 302
    item = draft.items.get(order=90)
    assert item.kind == Item.Kind.SCENARIO and item.pole == ""
    assert list(item.options.values_list("text", "position")) == [
        ("Say nothing: the relationship matters more.", 10),
        ("Tell them plainly it has to change.", 85),
    ]
    detail = hr_client.get(reverse("banks:version_detail", args=[draft.pk])).content.decode()
    assert "Tell them plainly it has to change." in detail and "(at 85)" in detail


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"position_2": ""}, "Say where response 2 sits."),
        ({"response_2": ""}, "Write response 2, or clear its place."),
        ({"response_2": "", "position_2": ""}, "Write at least 2 responses"),
        ({"position_2": 30}, "span 20 points"),
        ({"position_2": 10}, "the same position"),
        ({"position_2": 140}, "Choose a place from 0 (seller end) to 100 (leader end)."),
        ({"text": "   "}, "Describe the situation."),
    ],
)
def test_a_scenario_the_editor_cannot_take_says_why_and_stores_nothing(
    hr_client, bank_version, changes, message
):
    draft = cast.draft_of(bank_version)
    dimension = draft.items.first().dimension  # type: ignore[union-attr]
    before = Item.objects.count(), ItemOption.objects.count()
    response = hr_client.post(
        reverse("banks:scenario_create", args=[draft.pk]),
        scenario_post(dimension=dimension.pk, **changes),
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert (Item.objects.count(), ItemOption.objects.count()) == before


def test_editing_a_scenario_replaces_its_responses(hr_client, mixed):
    draft = bank_version_copy(source=mixed)
    item = draft.items.filter(kind=Item.Kind.SCENARIO).order_by("order").first()
    assert item is not None
    url = reverse("banks:item_edit", args=[item.pk])
    assert "Leave it be: it works." in hr_client.get(url).content.decode()
    response = hr_client.post(
        url,
        scenario_post(
            dimension=item.dimension_id,
            order=item.order,
            response_3="Ask the team first.",
            position_3=50,
        ),
    )
    assert response.status_code == 302
    assert list(item.options.values_list("order", "position")) == [(1, 10), (2, 85), (3, 50)]


def test_publishing_refuses_a_scenario_with_one_response(bank_version):
    draft = cast.draft_of(bank_version)
    dimension = draft.items.first().dimension  # type: ignore[union-attr]
    scenario_create(
        version=draft,
        dimension=dimension,
        text="A lone choice.",
        passage="",
        order=99,
        options=[("Only this.", 50)],
    )
    assert (
        "The scenario at position 99 has 1 response; it needs 2 to 4."
        in selectors.publish_problems(draft)
    )


def test_the_counts_name_scenarios_apart_from_keyed_statements(mixed):
    counts = selectors.dimension_counts([mixed])[mixed.pk]
    assert [(c.seller, c.leader, c.scenario) for c in counts] == [(4, 4, 2)] * 3


# The default bank's version 2 ------------------------------------------------------


def test_the_default_banks_version_2_is_current_and_passes_every_publishing_check(db):
    from django.core.management import call_command

    call_command("load_default_bank")
    first, second = BankVersion.objects.order_by("number")
    assert BankVersion.objects.current() == second
    assert second.shipped and second.shuffle_items and not first.shuffle_items
    assert selectors.publish_problems(second) == []
    counts = selectors.dimension_counts([second])[second.pk]
    assert all(count.scenario >= 2 and count.seller == count.leader for count in counts)
    assert all(item.passage for item in second.items.all())
    # Version 1 is whole beside it, for the results that used it.
    assert first.items.count() == 24 and not first.items.filter(kind=Item.Kind.SCENARIO)


def test_a_published_versions_items_are_read_once_per_process_a_drafts_every_time(client, mixed):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from assessments.taking.selectors import version_items

    client.post(reverse("taking:attempt_start"))
    attempt = Attempt.objects.get()
    client.get(page_url(attempt, 1))
    with CaptureQueriesContext(connection) as read:
        assert client.get(page_url(attempt, 5)).status_code == 200
    item_reads = [q["sql"] for q in read if 'FROM "assessments_item"' in q["sql"]]
    option_reads = [q["sql"] for q in read if 'FROM "assessments_itemoption"' in q["sql"]]
    assert item_reads == [] and option_reads == []
    draft = bank_version_copy(source=mixed)
    version_items(draft.pk)
    with CaptureQueriesContext(connection) as again:
        version_items(draft.pk)
    assert any('FROM "assessments_item"' in q["sql"] for q in again)
