"""Taking the assessment: pages, saving as you go, and bad input storing nothing."""

import uuid

import pytest
from django.urls import reverse

from assessments.models import Attempt, Response, Result
from assessments.taking.selectors import PAGE_SIZE
from tests.helpers import page_answers


@pytest.fixture
def started(client, bank_version) -> Attempt:
    response = client.post(reverse("taking:attempt_start"))
    attempt = Attempt.objects.get()
    assert response.url == reverse("taking:attempt_page", args=[attempt.pk, 1])
    return attempt


def page_url(attempt: Attempt, number: int) -> str:
    return reverse("taking:attempt_page", args=[attempt.pk, number])


def test_the_intro_says_what_is_measured_and_who_sees_answers(client, bank_version):
    response = client.get(reverse("taking:home"))
    assert response.status_code == 200
    for text in ("The way things are", "about five minutes", "Who sees your answers"):
        assert text in response.text
    assert "Start the assessment" in response.text


def test_the_intro_says_so_when_no_bank_is_published(client, db):
    response = client.get(reverse("taking:home"))
    assert "no question bank has been published" in response.text
    assert client.post(reverse("taking:attempt_start")).url == reverse("taking:home")
    assert not Attempt.objects.exists()


def test_starting_needs_a_post(client, bank_version):
    assert client.get(reverse("taking:attempt_start")).status_code == 405
    assert not Attempt.objects.exists()


def test_a_page_shows_its_questions_as_fieldsets_with_progress(client, started):
    response = client.get(page_url(started, 1))
    assert response.status_code == 200
    assert response.text.count("<fieldset") == PAGE_SIZE
    assert response.text.count("<legend") == PAGE_SIZE
    assert 'aria-valuemax="24"' in response.text
    assert "Page 1 of 4" in response.text


def test_next_saves_the_page_and_moves_on(client, started):
    response = client.post(page_url(started, 1), {**page_answers(started, 1), "direction": "next"})
    assert response.url == page_url(started, 2)
    assert started.responses.count() == PAGE_SIZE


def test_missing_answers_get_an_error_summary_and_nothing_is_stored(client, started):
    answers = page_answers(started, 1)
    answers.pop(next(iter(answers)))
    response = client.post(page_url(started, 1), {**answers, "direction": "next"})
    assert response.status_code == 200
    assert 'id="error-summary"' in response.text
    assert "Question 1: Choose an answer to this question." in response.text
    assert started.responses.count() == 0


def test_a_page_with_nothing_answered_gets_one_line_in_the_summary(client, started):
    response = client.post(page_url(started, 1), {"direction": "next"})
    assert response.status_code == 200
    summary = response.text.split('id="error-summary"')[1].split("</div>")[0]
    assert f"Answer all {PAGE_SIZE} questions on this page to go on." in summary
    assert "Question 1:" not in summary
    # Each question still says what it lacks.
    assert response.text.count('class="question-error"') == PAGE_SIZE
    assert started.responses.count() == 0


def test_back_keeps_partial_answers_without_asking_for_the_rest(client, started):
    client.post(page_url(started, 1), {**page_answers(started, 1), "direction": "next"})
    partial = dict(list(page_answers(started, 2, value=2).items())[:2])
    response = client.post(page_url(started, 2), {**partial, "direction": "back"})
    assert response.url == page_url(started, 1)
    assert started.responses.filter(value=2).count() == 2


def test_saved_answers_are_shown_again_after_a_reload(client, started):
    answers = page_answers(started, 1, value=5)
    client.post(page_url(started, 1), {**answers, "direction": "next"})
    response = client.get(page_url(started, 1))
    for name in answers:
        assert f'name="{name}" value="5"\n                       id="id_{name}_4" checked' in (
            response.text
        )


@pytest.mark.parametrize("value", ["0", "6", "-1", "4.5", "four", ""])
def test_an_out_of_range_answer_is_refused_and_nothing_is_stored(client, started, value):
    answers = page_answers(started, 1)
    answers[next(iter(answers))] = value
    response = client.post(page_url(started, 1), {**answers, "direction": "next"})
    assert response.status_code == 200
    assert "error-summary" in response.text
    assert started.responses.count() == 0


def test_an_answer_to_a_question_from_another_page_is_refused(client, started):
    answers = {**page_answers(started, 1), **dict(list(page_answers(started, 2).items())[:1])}
    response = client.post(page_url(started, 1), {**answers, "direction": "next"})
    assert "not on this page" in response.text
    assert started.responses.count() == 0


def test_an_answer_to_an_item_of_another_bank_is_refused(client, started, bank_data):
    import copy

    from assessments.banks.services import bank_import

    data = copy.deepcopy(bank_data)
    data["version"]["number"] = 2
    other, _ = bank_import(data=data)
    foreign = other.items.first()
    assert foreign is not None
    response = client.post(
        page_url(started, 1),
        {**page_answers(started, 1), f"item_{foreign.pk}": "4", "direction": "next"},
    )
    assert "not on this page" in response.text
    assert not Response.objects.exists()


def test_a_forged_attempt_id_gets_404_and_stores_nothing(client, started):
    forged = uuid.uuid4()
    response = client.post(
        reverse("taking:attempt_page", args=[forged, 1]), {**page_answers(started, 1)}
    )
    assert response.status_code == 404
    assert client.post(reverse("taking:attempt_autosave", args=[forged]), {}).status_code == 404
    assert not Response.objects.exists()


def test_someone_elses_attempt_gets_404(client, started):
    from django.test import Client

    stranger = Client()
    assert stranger.get(page_url(started, 1)).status_code == 404
    assert stranger.post(page_url(started, 1), page_answers(started, 1)).status_code == 404
    assert stranger.post(reverse("taking:attempt_resume", args=[started.pk])).status_code == 404
    assert not Response.objects.exists()


def test_an_oversized_body_is_refused_and_stores_nothing(client, started):
    answers = {**page_answers(started, 1), "padding": "x" * 200_000, "direction": "next"}
    response = client.post(page_url(started, 1), answers)
    assert response.status_code == 400
    assert "too large" in response.text.lower()
    assert not Response.objects.exists()


def test_a_page_past_the_end_leads_back_to_the_first(client, started):
    assert client.get(page_url(started, 9)).url == page_url(started, 1)


class TestAutosave:
    def url(self, attempt):
        return reverse("taking:attempt_autosave", args=[attempt.pk])

    def test_it_saves_one_answer_and_reports_progress(self, client, started):
        name = next(iter(page_answers(started, 1)))
        response = client.post(self.url(started), {name: "2"})
        assert response.status_code == 200
        assert response.json() == {"answered": 1, "total": 24}
        assert started.responses.get().value == 2

    def test_changing_an_answer_keeps_one_response(self, client, started):
        name = next(iter(page_answers(started, 1)))
        client.post(self.url(started), {name: "2"})
        client.post(self.url(started), {name: "5"})
        assert started.responses.get().value == 5

    @pytest.mark.parametrize(
        "body",
        [{}, {"item_999999": "3"}, {"item_abc": "3"}, {"unrelated": "1"}],
    )
    def test_it_refuses_unknown_items(self, client, started, body):
        response = client.post(self.url(started), body)
        assert response.status_code == 400
        assert "could not be saved" in response.json()["error"]
        assert not Response.objects.exists()

    def test_it_refuses_an_out_of_range_value(self, client, started):
        name = next(iter(page_answers(started, 1)))
        assert client.post(self.url(started), {name: "9"}).status_code == 400
        assert not Response.objects.exists()

    def test_it_refuses_a_get(self, client, started):
        assert client.get(self.url(started)).status_code == 405


def test_resume_goes_to_the_first_page_with_an_unanswered_question(client, started):
    client.post(page_url(started, 1), {**page_answers(started, 1), "direction": "next"})
    response = client.post(reverse("taking:attempt_resume", args=[started.pk]))
    assert response.url == page_url(started, 2)


def test_the_intro_offers_to_continue_an_unfinished_attempt(client, started):
    response = client.get(reverse("taking:home"))
    assert "Continue where you left off" in response.text
    assert reverse("taking:attempt_resume", args=[started.pk]) in response.text


def test_the_last_page_submits_and_shows_the_result(client, started):
    for number in range(1, 5):
        response = client.post(page_url(started, number), {**page_answers(started, number)})
    result = Result.objects.get()
    assert response.url == reverse("taking:result_detail", args=[result.token])
    started.refresh_from_db()
    assert started.status == Attempt.Status.SUBMITTED


def test_finishing_with_gaps_on_earlier_pages_leads_back_to_them(client, started):
    # Page 2 was skipped with Back, so the last page cannot submit yet.
    client.post(page_url(started, 1), {**page_answers(started, 1)})
    for number in (3, 4):
        client.post(page_url(started, number), {**page_answers(started, number)})
    response = client.post(page_url(started, 4), {**page_answers(started, 4)})
    assert response.url == page_url(started, 2)
    assert not Result.objects.exists()
    follow = client.get(response.url)
    assert "6 questions still need an answer" in follow.text


def test_pages_of_a_submitted_attempt_lead_to_its_result(client, started):
    for number in range(1, 5):
        client.post(page_url(started, number), {**page_answers(started, number)})
    result = Result.objects.get()
    response = client.post(page_url(started, 2), {**page_answers(started, 2, value=1)})
    assert response.url == reverse("taking:result_detail", args=[result.token])
    assert not started.responses.filter(value=1).exists()
