"""Attention checks: a statement that asks for one answer, never scored,
that marks a result as careless when answered otherwise."""

import copy

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from assessments.accounts.exports import user_data
from assessments.banks import selectors, statistics
from assessments.banks.rules import BankFormatError, validate_bank_data
from assessments.banks.services import bank_import, bank_version_copy
from assessments.models import BankVersion, Dimension, Item, StatisticsBlock
from tests import cast
from tests.helpers import bulk_results, submitted_result

CHECK = {
    "kind": "attention",
    "dimension": "commitment",
    "text": "To show you are reading each statement, choose Disagree here.",
    "expected": 2,
    "passage": "",
}


def checked_bank_data(number: int = 2) -> dict:
    data = cast.mixed_bank_data(number)
    data["items"].insert(5, dict(CHECK))
    return data


@pytest.fixture
def checked(db) -> BankVersion:
    version, _ = bank_import(data=checked_bank_data(), shipped=True)
    return version


def answer(item: Item) -> int:
    if item.is_attention:
        return 2  # as asked
    if item.is_scenario:
        return 1
    return len(item.text) % 5 + 1  # by the statement, not its place: the check moves places


def test_a_check_loads_exports_and_copies_with_its_expected_answer(checked):
    check = checked.items.get(kind=Item.Kind.ATTENTION)
    assert (check.expected, check.pole, check.expected_label) == (2, "", "Disagree")
    exported = selectors.bank_export(checked)
    assert exported["format"] == 2 and CHECK in exported["items"]
    draft = bank_version_copy(source=checked)
    assert selectors.bank_export(draft)["items"] == exported["items"]
    assert selectors.publish_problems(draft) == []
    # Listed with its difference, counted apart, never in the total a draft needs.
    counts = {c.dimension.key: c for c in selectors.dimension_counts([checked])[checked.pk]}
    assert (counts["commitment"].attention, counts["commitment"].total) == (1, 10)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"expected": None}, "needs 'expected', the answer it asks for, from 1 to 5"),
        ({"expected": 6}, "needs 'expected'"),
        ({"expected": True}, "needs 'expected'"),
        ({"pole": "leader"}, "an attention check has no pole"),
        ({"options": [{"text": "a", "position": 0}]}, "only a scenario has options"),
    ],
)
def test_a_malformed_check_is_refused_with_a_clear_message_and_stores_nothing(db, change, message):
    data = checked_bank_data()
    check = next(item for item in data["items"] if item.get("kind") == "attention")
    check.update(change)
    with pytest.raises(BankFormatError, match=message):
        bank_import(data=data)
    assert not BankVersion.objects.exists()


def test_a_check_needs_format_2_and_a_statement_no_expected_answer(db):
    data = checked_bank_data()
    data["format"] = 1
    data["items"] = [item for item in data["items"] if item.get("kind") != "scenario"]
    with pytest.raises(BankFormatError, match="an attention check needs format 2"):
        validate_bank_data(data)
    data = copy.deepcopy(cast.mixed_bank_data())
    data["items"][0]["expected"] = 3
    with pytest.raises(BankFormatError, match="only an attention check has an expected answer"):
        validate_bank_data(data)


def test_the_database_refuses_a_check_without_the_answer_it_asks_for(checked):
    draft = bank_version_copy(source=checked)
    with pytest.raises(IntegrityError), transaction.atomic():
        Item.objects.create(
            version=draft,
            dimension=Dimension.objects.get(key="commitment"),
            kind=Item.Kind.ATTENTION,
            text="Choose Agree.",
            order=99,
        )


def test_a_check_answered_as_asked_changes_no_score(checked):
    mixed = cast.mixed_bank(3)  # the same items without the check
    with_check = submitted_result(checked, value=answer)
    without = submitted_result(mixed, value=answer)
    assert with_check.unclear == ""
    assert with_check.overall == without.overall
    assert [s.score for s in with_check.scores.all()] == [s.score for s in without.scores.all()]


def test_a_check_answered_otherwise_marks_the_result_careless_and_says_why(client, checked):
    result = submitted_result(checked, value=lambda item: 4 if item.is_attention else answer(item))
    assert result.unclear == "careless"
    assert all(score.unclear for score in result.scores.all())
    page = client.get(reverse("taking:result_detail", args=[result.token])).text
    assert "Your answers cannot be read as a position." in page
    assert "You answered a check question" in page
    assert "have a lower overall score" not in page


def test_a_check_is_on_the_page_as_a_statement(client, checked):
    client.post(reverse("taking:attempt_start"))
    from assessments.models import Attempt
    from assessments.taking.selectors import page_count, page_of_items

    attempt = Attempt.objects.get()
    for number in range(1, page_count(checked) + 1):
        page = page_of_items(attempt, number)
        assert page is not None
        if any(item.is_attention for item in page.items):
            html = client.get(reverse("taking:attempt_page", args=[attempt.pk, number])).text
            assert CHECK["text"] in html and "Strongly disagree" in html
            return
    raise AssertionError("the check is on no page")


def test_statistics_leave_checks_out(checked, monkeypatch):
    monkeypatch.setattr(statistics, "BLOCK_SIZE", 30)
    bulk_results(checked, 30)
    statistics.blocks_form(checked)
    block = StatisticsBlock.objects.get()
    check = checked.items.get(kind=Item.Kind.ATTENTION)
    listed = [pk for part in block.figures["dimensions"].values() for pk in part["items"]]
    assert check.pk not in listed
    assert len(listed) == checked.items.exclude(kind=Item.Kind.ATTENTION).count()


def test_a_persons_data_download_gives_what_the_check_asked_for(checked):
    person = cast.make_user("reader")
    submitted_result(checked, user=person, value=answer)
    answers = user_data(person)["attempts"][0]["answers"]
    check = next(a for a in answers if a["kind"] == "attention")
    assert (check["value"], check["expected"]) == (2, 2)


@pytest.fixture
def hr_client(client, db):
    client.force_login(cast.hr_admin())
    return client


def test_hr_adds_a_check_and_sees_what_it_asks_for(hr_client, checked):
    draft = bank_version_copy(source=checked)
    url = reverse("banks:attention_create", args=[draft.pk])
    dimension = Dimension.objects.get(key="status_quo")
    missing = hr_client.post(
        url, {"text": "Choose Agree here.", "dimension": dimension.pk, "order": 80}
    )
    assert "Choose the answer the statement asks for." in missing.text
    assert not draft.items.filter(order=80).exists()
    response = hr_client.post(
        url, {"text": "Choose Agree here.", "dimension": dimension.pk, "expected": 4, "order": 80}
    )
    assert response.status_code == 302
    item = draft.items.get(order=80)
    assert (item.kind, item.expected, item.pole) == (Item.Kind.ATTENTION, 4, "")
    detail = hr_client.get(reverse("banks:version_detail", args=[draft.pk])).text
    assert "Asks for “Agree”; never scored." in detail
    edit = hr_client.post(
        reverse("banks:item_edit", args=[item.pk]),
        {"text": "Choose Agree here.", "dimension": dimension.pk, "expected": 5, "order": 80},
    )
    assert edit.status_code == 302
    item.refresh_from_db()
    assert item.expected == 5
