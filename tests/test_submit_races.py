"""The final submit racing a close of its cohort, or racing itself: one
result at most, and nothing stored by a submit that lost.

The rule for a cohort closing while someone submits: whichever takes the
cohort's lock first wins. Close first: the submit stores nothing (not even
the last page's answers) and the person sees the cohort's closed page.
Submit first: the close waits, and the result lands.
"""

import threading
from collections.abc import Callable
from unittest import mock

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from assessments.cohorts import services as cohort_services
from assessments.content import scoring
from assessments.models import Attempt, Cohort, DimensionScore, Response, Result
from assessments.taking import services
from assessments.taking.selectors import PAGE_SIZE, page_count
from tests.helpers import add_people, answer_all, counts, page_answers, someone_waits_for_a_lock

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="real row locks need PostgreSQL"
)


@pytest.fixture
def started(client, bank_version) -> Attempt:
    client.post(reverse("taking:attempt_start"))
    return Attempt.objects.get()


def _page(attempt: Attempt, number: int) -> str:
    return reverse("taking:attempt_page", args=[attempt.pk, number])


# --- The final submit racing a close ---------------------------------------------------


def _invited(cohort: Cohort) -> tuple[Client, Attempt]:
    """A participant who followed their invitation and answered all but the last page."""
    participant = add_people(cohort, cohort.teams.first(), 1)[0]
    client = Client()
    client.post(reverse("links:invitation", args=[participant.token]))
    attempt = Attempt.objects.get(participant=participant)
    last = page_count(attempt.bank_version)
    earlier = attempt.bank_version.items.order_by("order")[: (last - 1) * PAGE_SIZE]
    services.responses_save(attempt=attempt, answers={item.pk: 4 for item in earlier})
    return client, attempt


def _submit_last_page(client: Client, attempt: Attempt):
    last = page_count(attempt.bank_version)
    return client.post(_page(attempt, last), {**page_answers(attempt, last), "direction": "next"})


def _assert_closed_page_and_nothing_stored(response, before: dict) -> None:
    assert response.status_code == 410
    assert "Sales managers, Q1 2027 is not taking answers" in response.text
    assert counts() == before
    assert not Result.objects.exists()
    assert Attempt.objects.get().status == Attempt.Status.IN_PROGRESS


def test_it_shows_the_closed_page_when_the_cohort_closed_before_the_submit(cohort):
    client, attempt = _invited(cohort)
    assert client.get(_page(attempt, page_count(attempt.bank_version))).status_code == 200
    cohort_services.cohort_close(cohort=cohort)
    before = counts()
    response = _submit_last_page(client, attempt)
    _assert_closed_page_and_nothing_stored(response, before)
    assert "This cohort closed" in response.text


def test_it_stores_nothing_when_the_cohort_is_closed_at_the_submit(cohort):
    """Once a 500: the last page's answers were saved, then the submit found
    the cohort closed. Now the cohort is locked and checked once, before
    anything is stored, and stays locked until the result is: a close waits
    (the threaded tests below), and a closed cohort stores nothing."""
    client, attempt = _invited(cohort)
    before = counts()
    with mock.patch.object(Cohort, "is_accepting", return_value=False) as accepting:
        response = _submit_last_page(client, attempt)
    _assert_closed_page_and_nothing_stored(response, before)
    assert accepting.call_count == 1


def test_it_keeps_the_result_of_a_submit_that_got_in_before_the_close(cohort):
    client, attempt = _invited(cohort)
    response = _submit_last_page(client, attempt)
    result = Result.objects.get()
    assert response.url == reverse("taking:result_detail", args=[result.token])
    cohort_services.cohort_close(cohort=cohort)
    # The result page, and the same result on a resent form.
    assert client.get(response.url).status_code == 200
    assert _submit_last_page(client, attempt).url == response.url
    assert Result.objects.count() == 1


def _in_thread(target: Callable[[], object]) -> tuple[threading.Thread, list]:
    """Run ``target`` on its own connection; its return value (or error) lands in the list."""
    out: list = []

    def run() -> None:
        try:
            out.append(target())
        except BaseException as error:  # noqa: BLE001 (handed to the test to raise)
            out.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, out


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_it_stores_nothing_when_a_close_holds_the_lock_during_the_submit(cohort):
    from django.db import transaction

    client, attempt = _invited(cohort)
    before = counts()
    locked, release = threading.Event(), threading.Event()

    def close() -> None:
        with transaction.atomic():
            cohort_services.cohort_close(cohort=cohort)
            locked.set()
            release.wait(10)

    closer, closed = _in_thread(close)
    assert locked.wait(10)
    submitter, submitted = _in_thread(lambda: _submit_last_page(client, attempt))
    assert someone_waits_for_a_lock(), "Nobody waited for the lock"
    release.set()
    closer.join(10)
    submitter.join(10)
    assert closed == [None]
    _assert_closed_page_and_nothing_stored(submitted[0], before)
    assert "This cohort closed" in submitted[0].text


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_it_keeps_the_result_when_the_submit_holds_the_lock_during_a_close(cohort):
    client, attempt = _invited(cohort)
    scoring_started, release = threading.Event(), threading.Event()
    real_score = scoring.score

    def slow_score(*args, **kwargs):
        # The submit holds the cohort's lock by now.
        scoring_started.set()
        release.wait(10)
        return real_score(*args, **kwargs)

    with mock.patch.object(scoring, "score", side_effect=slow_score):
        submitter, submitted = _in_thread(lambda: _submit_last_page(client, attempt))
        assert scoring_started.wait(10)
        closer, closed = _in_thread(lambda: cohort_services.cohort_close(cohort=cohort))
        assert someone_waits_for_a_lock(), "Nobody waited for the lock"
        release.set()
        submitter.join(10)
        closer.join(10)
    result = Result.objects.get()
    assert submitted[0].status_code == 302
    assert submitted[0].url == reverse("taking:result_detail", args=[result.token])
    assert closed[0].status == Cohort.Status.CLOSED
    assert Response.objects.filter(attempt=attempt).count() == 24
    assert DimensionScore.objects.count() == 3


# --- Two final submits of one attempt at once ------------------------------------------


def _same_browser(client: Client) -> Client:
    other = Client()
    other.cookies[settings.SESSION_COOKIE_NAME] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return other


def test_it_sends_a_submit_that_lost_the_race_to_the_result(client, started):
    """The second request read the attempt before the first one submitted it."""
    last = page_count(started.bank_version)
    answer_all(started)
    stale = Attempt.objects.select_related("bank_version").get()
    result = services.attempt_submit(attempt=started)
    before = counts()
    with mock.patch("assessments.taking.views.get_attempt_for_request", return_value=stale):
        response = client.post(
            _page(started, last), {**page_answers(started, last, value=1), "direction": "next"}
        )
    assert response.status_code == 302
    assert response.url == reverse("taking:result_detail", args=[result.token])
    assert counts() == before
    assert set(Response.objects.values_list("value", flat=True)) == {4}


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_it_sends_two_simultaneous_submits_to_the_one_result(client, bank_version):
    """The second submit arrives while the first is scoring, holding the attempt's lock."""
    client.post(reverse("taking:attempt_start"))
    attempt = Attempt.objects.get()
    last = page_count(bank_version)
    earlier = bank_version.items.order_by("order")[: (last - 1) * PAGE_SIZE]
    services.responses_save(attempt=attempt, answers={item.pk: 4 for item in earlier})
    body = {**page_answers(attempt, last), "direction": "next"}
    scoring_started, release = threading.Event(), threading.Event()
    real_score = scoring.score

    def slow_score(*args, **kwargs):
        scoring_started.set()
        release.wait(10)
        return real_score(*args, **kwargs)

    with mock.patch.object(scoring, "score", side_effect=slow_score):
        first, first_out = _in_thread(lambda: client.post(_page(attempt, last), body))
        assert scoring_started.wait(10)
        other = _same_browser(client)
        second, second_out = _in_thread(lambda: other.post(_page(attempt, last), body))
        assert someone_waits_for_a_lock(), "Nobody waited for the lock"
        release.set()
        first.join(10)
        second.join(10)
    result = Result.objects.get()
    for out in (first_out, second_out):
        assert out[0].status_code == 302, out[0]
        assert out[0].url == reverse("taking:result_detail", args=[result.token])
    assert DimensionScore.objects.count() == 3
    assert Response.objects.count() == 24
