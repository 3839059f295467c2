"""A bank version may show its statements in a random order, drawn once per
attempt and kept for the whole of it: reload, Back and resume show the same
statements on the same pages, and scoring does not depend on the order.

The journey by keyboard in real Chromium is in tests/browser/test_item_order.py.
"""

import copy
import json
import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from assessments.banks import services as bank_services
from assessments.banks.rules import BankFormatError, validate_bank_data
from assessments.banks.selectors import bank_export
from assessments.banks.services import bank_import, bank_version_copy
from assessments.cohorts.participants import participant_attempt
from assessments.models import Attempt, BankVersion, Item, Result
from assessments.taking import services
from assessments.taking.selectors import (
    PAGE_SIZE,
    attempt_items,
    page_count,
    page_number_of,
    page_of_items,
)
from tests import cast
from tests.bank_helpers import stored_state
from tests.helpers import add_people, page_answers

# Two seeds whose orders differ from each other and from the listed one
# (checked in the tests that use them, not assumed).
SEED = 20261206
OTHER_SEED = 7
QUESTION = re.compile(
    r'<fieldset class="question[^"]*" id="q(\d+)"[^>]*>\s*'
    r'<legend class="question-text"><span class="question-number">(\d+)\.</span>'
)


@pytest.fixture
def shuffled(db, bank_data) -> BankVersion:
    """Version 2 of the default bank, published with its statements shuffled per
    attempt, as a later default bank would come with the product: the current
    version, whether or not version 1 is there too."""
    data = copy.deepcopy(bank_data)
    data["version"] |= {"number": 2, "shuffle_items": True}
    version, _ = bank_import(data=data, shipped=True)
    return version


@pytest.fixture
def started(client, shuffled) -> Attempt:
    """An attempt of the shuffled version started in the browser, with a known seed."""
    client.post(reverse("taking:attempt_start"))
    attempt = Attempt.objects.get()
    assert attempt.order_seed is not None
    Attempt.objects.filter(pk=attempt.pk).update(order_seed=SEED)
    attempt.refresh_from_db()
    return attempt


def page_url(attempt: Attempt, number: int) -> str:
    return reverse("taking:attempt_page", args=[attempt.pk, number])


def shown(client, attempt: Attempt, number: int) -> list[tuple[int, int]]:
    """(item id, question number) of each question the page shows, top to bottom."""
    response = client.get(page_url(attempt, number))
    assert response.status_code == 200
    return [(int(pk), int(n)) for pk, n in QUESTION.findall(response.text)]


def shown_ids(client, attempt: Attempt, number: int) -> list[int]:
    return [pk for pk, _ in shown(client, attempt, number)]


def listed(version: BankVersion) -> list[int]:
    return list(version.items.order_by("order").values_list("pk", flat=True))


def value_for(item: Item) -> int:
    """A varied answer that depends on the statement, not on where it is shown."""
    return (item.order * 2) % 5 + 1


def take_through_the_pages(client, attempt: Attempt) -> Result:
    """Answer every page with ``value_for`` and submit, as the browser would."""
    last = page_count(attempt.bank_version)
    for number in range(1, last + 1):
        page = page_of_items(attempt, number)
        assert page is not None
        answers = {f"item_{item.pk}": value_for(item) for item in page.items}
        response = client.post(page_url(attempt, number), {**answers, "direction": "next"})
        assert response.status_code == 302
    result = Result.objects.get(attempt=attempt)
    assert response.url == reverse("taking:result_detail", args=[result.token])
    return result


# Which attempts shuffle ------------------------------------------------------------


def test_an_attempt_of_a_shuffling_version_gets_a_seed_that_never_changes(client, shuffled):
    client.post(reverse("taking:attempt_start"))
    attempt = Attempt.objects.get()
    seed = attempt.order_seed
    assert seed is not None
    client.post(page_url(attempt, 1), {**page_answers(attempt, 1), "direction": "next"})
    client.post(page_url(attempt, 2), {"direction": "back"})
    client.get(reverse("taking:attempt_resume", args=[attempt.pk]))
    attempt.refresh_from_db()
    assert attempt.order_seed == seed


def test_an_attempt_of_a_listed_version_has_no_seed(client, bank_version):
    client.post(reverse("taking:attempt_start"))
    assert Attempt.objects.get().order_seed is None


def test_a_cohort_attempt_of_a_shuffling_version_gets_a_seed(shuffled, hr_admin):
    (team,) = cast.teams("Sales")
    cohort = cast.open_cohort(bank_version=shuffled, created_by=hr_admin, teams=[team])
    (person,) = add_people(cohort, team, 1)
    attempt = participant_attempt(participant=person)
    assert attempt.order_seed is not None
    # The link opened again is the same attempt, in the same order.
    assert participant_attempt(participant=person).order_seed == attempt.order_seed


def test_two_attempts_of_a_shuffling_version_get_different_orders(shuffled):
    first, second = (services.attempt_start(bank_version=shuffled, user=None) for _ in range(2))
    Attempt.objects.filter(pk=first.pk).update(order_seed=SEED)
    Attempt.objects.filter(pk=second.pk).update(order_seed=OTHER_SEED)
    first.refresh_from_db()
    second.refresh_from_db()
    orders = [[item.pk for item in attempt_items(attempt)] for attempt in (first, second)]
    assert orders[0] != orders[1]
    assert listed(shuffled) not in orders


def test_a_seed_gives_the_same_order_on_every_python(started):
    # Pinned: an order that changed with the interpreter would move a person's
    # statements to other pages in the middle of their attempt.
    assert [item.order for item in attempt_items(started)] == [
        9, 13, 5, 3, 8, 21, 10, 11, 23, 24, 19, 6, 1, 12, 18, 4, 20, 22, 16, 7, 14, 17, 2, 15,
    ]  # fmt: skip


def test_attempts_started_with_their_own_seeds_do_not_all_share_one_order(shuffled):
    attempts = [services.attempt_start(bank_version=shuffled, user=None) for _ in range(5)]
    orders = {tuple(item.pk for item in attempt_items(attempt)) for attempt in attempts}
    # Five random orders of 24 statements all alike: about one chance in 10^94.
    assert len(orders) > 1


def test_a_listed_version_keeps_the_listed_order(client, bank_version):
    client.post(reverse("taking:attempt_start"))
    attempt = Attempt.objects.get()
    pages = [shown_ids(client, attempt, n) for n in range(1, page_count(bank_version) + 1)]
    assert [pk for page in pages for pk in page] == listed(bank_version)


# The pages ------------------------------------------------------------------------


def test_every_statement_appears_exactly_once_across_the_pages(client, started, shuffled):
    pages = [shown_ids(client, started, n) for n in range(1, page_count(shuffled) + 1)]
    assert all(len(page) == PAGE_SIZE for page in pages)
    everything = [pk for page in pages for pk in page]
    assert sorted(everything) == sorted(listed(shuffled))
    assert everything == [item.pk for item in attempt_items(started)]
    assert everything != listed(shuffled)


def test_question_numbers_run_from_1_in_the_order_shown(client, started, shuffled):
    numbers = [n for page in range(1, 5) for _, n in shown(client, started, page)]
    assert numbers == list(range(1, shuffled.items.count() + 1))


def test_a_reload_shows_the_same_statements_in_the_same_places(client, started):
    for number in (1, 2):
        assert shown(client, started, number) == shown(client, started, number)


def test_back_returns_to_the_same_statements_with_their_answers(client, started):
    first = shown(client, started, 1)
    second = shown(client, started, 2)
    client.post(page_url(started, 1), {**page_answers(started, 1, value=5), "direction": "next"})
    partial = dict(list(page_answers(started, 2, value=2).items())[:2])

    response = client.post(page_url(started, 2), {**partial, "direction": "back"})

    assert response.url == page_url(started, 1)
    assert shown(client, started, 1) == first
    html = client.get(page_url(started, 1)).text
    for pk, _ in first:
        assert re.search(rf'name="item_{pk}" value="5"\s+id="id_item_{pk}_4" checked', html)
    assert shown(client, started, 2) == second
    # The two answers given before going back were the first two shown on page 2.
    assert set(started.responses.filter(value=2).values_list("item_id", flat=True)) == {
        pk for pk, _ in second[:2]
    }


@pytest.mark.parametrize("method", ["get", "post"])
def test_resume_goes_to_the_page_showing_the_first_unanswered_statement(
    client, started, shuffled, method
):
    ordered = attempt_items(started)
    # A statement shown on page 3 whose listed position is on another page, so
    # resuming by the listed order would land elsewhere.
    position = {pk: index for index, pk in enumerate(listed(shuffled))}
    gap = next(
        item
        for item in ordered[2 * PAGE_SIZE : 3 * PAGE_SIZE]
        if position[item.pk] // PAGE_SIZE + 1 != 3
    )
    services.responses_save(
        attempt=started, answers={item.pk: 4 for item in ordered if item.pk != gap.pk}
    )
    before = shown(client, started, 3)

    response = getattr(client, method)(reverse("taking:attempt_resume", args=[started.pk]))

    assert response.url == page_url(started, 3)
    assert shown(client, started, 3) == before
    assert gap.pk in shown_ids(client, started, 3)


def test_resume_with_every_statement_answered_goes_to_the_last_page(client, started):
    services.responses_save(
        attempt=started, answers={item.pk: 3 for item in attempt_items(started)}
    )
    response = client.get(reverse("taking:attempt_resume", args=[started.pk]))
    assert response.url == page_url(started, 4)


def test_a_missed_statement_sends_the_person_to_the_page_that_shows_it(client, started, shuffled):
    ordered = attempt_items(started)
    position = {pk: index for index, pk in enumerate(listed(shuffled))}
    missed = next(
        item for item in ordered[PAGE_SIZE : 2 * PAGE_SIZE] if position[item.pk] >= 2 * PAGE_SIZE
    )
    earlier = {item.pk: 4 for item in ordered[: 3 * PAGE_SIZE] if item.pk != missed.pk}
    services.responses_save(attempt=started, answers=earlier)

    response = client.post(page_url(started, 4), {**page_answers(started, 4), "direction": "next"})

    assert response.url == page_url(started, 2)
    assert page_number_of(started, [missed]) == 2
    assert "1 question still needs an answer" in " ".join(
        str(message) for message in get_messages(response.wsgi_request)
    )
    assert missed.pk in shown_ids(client, started, 2)
    assert not Result.objects.exists()


# Scoring ------------------------------------------------------------------------


def test_a_shuffled_attempt_scores_exactly_as_the_same_answers_in_the_listed_order(
    client, shuffled, participant
):
    client.force_login(participant)
    in_random_order = services.attempt_start(bank_version=shuffled, user=participant)
    in_listed_order = Attempt.objects.create(bank_version=shuffled, user=participant)
    assert in_listed_order.order_seed is None
    assert page_of_items(in_random_order, 1) != page_of_items(in_listed_order, 1)

    results = [take_through_the_pages(client, a) for a in (in_random_order, in_listed_order)]

    def scores(result: Result) -> tuple:
        dimensions = list(result.scores.values_list("dimension__key", "score", "band"))
        return result.overall, result.band, dimensions

    assert scores(results[0]) == scores(results[1])
    assert dict(in_random_order.responses.values_list("item_id", "value")) == dict(
        in_listed_order.responses.values_list("item_id", "value")
    )


# The bank editor --------------------------------------------------------------------


def notes_url(version: BankVersion) -> str:
    return reverse("banks:version_notes", args=[version.pk])


def test_the_editor_sets_and_clears_the_random_order_on_a_draft(hr_client, draft):
    page = hr_client.get(reverse("banks:version_detail", args=[draft.pk])).text
    assert "Show the statements in a random order, fixed for each person&#x27;s attempt" in page
    assert not re.search(r'name="shuffle_items"[^>]*checked', page)

    response = hr_client.post(notes_url(draft), {"notes": "Shuffled.", "shuffle_items": "on"})

    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.notes, draft.shuffle_items) == ("Shuffled.", True)
    page = hr_client.get(reverse("banks:version_detail", args=[draft.pk])).text
    assert re.search(r'name="shuffle_items"[^>]*checked', page)

    # An unticked box is not sent at all: the form means "in the listed order".
    hr_client.post(notes_url(draft), {"notes": "Listed again."})
    draft.refresh_from_db()
    assert (draft.notes, draft.shuffle_items) == ("Listed again.", False)


def test_a_published_version_refuses_the_change_and_changes_nothing(hr_client, bank_version):
    before = stored_state()
    response = hr_client.post(notes_url(bank_version), {"notes": "", "shuffle_items": "on"})
    assert response.status_code == 409
    assert "is published, so it cannot be changed" in response.text
    assert stored_state() == before
    bank_version.refresh_from_db()
    assert bank_version.shuffle_items is False


def test_the_service_refuses_a_published_version_before_the_database_has_to(bank_version):
    before = stored_state()
    with pytest.raises(bank_services.VersionNotDraft):
        bank_services.bank_version_notes_update(
            version=bank_version, notes=bank_version.notes, shuffle_items=True
        )
    assert stored_state() == before


def test_a_read_only_version_shows_its_order_in_its_details(hr_client, bank_version, shuffled):
    def details(version: BankVersion) -> str:
        html = hr_client.get(reverse("banks:version_detail", args=[version.pk])).text
        return html.split('<dl class="row">')[1].split("</dl>")[0]

    assert re.search(r"Statement order</dt>\s*<dd[^>]*>As listed below<", details(bank_version))
    shuffled_details = details(shuffled)
    assert "Random, fixed for each person's attempt" in shuffled_details


def test_a_new_draft_keeps_the_versions_order_setting(shuffled):
    assert bank_version_copy(source=shuffled).shuffle_items is True


def test_a_new_draft_of_a_listed_version_stays_listed(bank_version):
    assert bank_version_copy(source=bank_version).shuffle_items is False


# Bank files -----------------------------------------------------------------------


def upload(data: dict):
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = json.dumps(data).encode("utf-8")
    return SimpleUploadedFile("bank.json", content, content_type="application/json")


def test_export_then_import_keeps_the_order_setting(hr_client, shuffled):
    response = hr_client.get(reverse("banks:version_export", args=[shuffled.pk]))
    data = json.loads(response.content)
    assert data["version"]["shuffle_items"] is True
    data["version"]["number"] = 3

    hr_client.post(reverse("banks:import"), {"file": upload(data)})

    imported = BankVersion.objects.get(bank=shuffled.bank, number=3)
    assert imported.shuffle_items is True
    assert bank_export(imported)["version"]["shuffle_items"] is True


def test_a_file_without_the_setting_imports_in_the_listed_order(hr_client, bank_version, bank_data):
    data = copy.deepcopy(bank_data)
    data["version"] = {"number": 2}
    hr_client.post(reverse("banks:import"), {"file": upload(data)})
    assert BankVersion.objects.get(number=2).shuffle_items is False


@pytest.mark.parametrize("value", ["true", 1, 0, None, [], {}])
def test_a_setting_that_is_not_true_or_false_is_refused_and_nothing_is_stored(
    hr_client, bank_version, bank_data, value
):
    data = copy.deepcopy(bank_data)
    data["version"] = {"number": 2, "shuffle_items": value}
    before = stored_state()

    response = hr_client.post(reverse("banks:import"), {"file": upload(data)})

    assert response.status_code == 200
    assert "version: &#x27;shuffle_items&#x27; must be true or false." in response.text
    assert stored_state() == before
    with pytest.raises(BankFormatError, match="'shuffle_items' must be true or false"):
        validate_bank_data(data)
