"""Bad input gets a clear 4xx (or the form again, with its message) and stores nothing.

Among it: a NUL byte in a link's token, which PostgreSQL refuses in a query;
emails longer than their column; a NUL in free text HR types; a question
answered twice in one body; a method a page does not take; and the final
submit racing a close, or racing itself.

The rule for a cohort closing while someone submits: whichever takes the
cohort's lock first wins. Close first: the submit stores nothing (not even
the last page's answers) and the person sees the cohort's closed page.
Submit first: the close waits, and the result lands.
"""

import json
import threading
import time
from collections.abc import Callable
from unittest import mock

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from assessments.cohorts import services as cohort_services
from assessments.content import scoring
from assessments.models import (
    Attempt,
    Bank,
    BankVersion,
    Cohort,
    DimensionScore,
    ManagerInvitation,
    OutboundEmail,
    Participant,
    ParticipantImport,
    Response,
    Result,
    ResultShare,
    Team,
    TeamManager,
)
from assessments.taking import services
from assessments.taking.selectors import PAGE_SIZE, page_count
from tests.helpers import add_people, answer_all, page_answers, submitted_result

COUNTED = (
    Attempt,
    Bank,
    BankVersion,
    Cohort,
    DimensionScore,
    ManagerInvitation,
    OutboundEmail,
    Participant,
    ParticipantImport,
    Response,
    Result,
    ResultShare,
    Team,
    TeamManager,
)
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="real row locks need PostgreSQL"
)


def counts() -> dict[str, int]:
    """Rows of every table bad input could reach, to show it stored nothing."""
    return {model.__name__: model.objects.count() for model in COUNTED}


# A valid address, 260 characters long: the columns hold 254.
LONG_EMAIL = "a" * 64 + "@" + ".".join(["b" * 63] * 3) + ".com"
LONG_EMAIL_MESSAGE = "An email address can be at most 254 characters long; this one has 260."


# --- A NUL byte in a link's token ------------------------------------------------------


@pytest.fixture
def links(client, cohort, bank_version, hr_admin) -> dict[str, str]:
    """Real tokens of each kind of link, so a NUL can be added to a working one."""
    participant = add_people(cohort, cohort.teams.first(), 1)[0]
    invitation = ManagerInvitation.objects.create(
        team=cohort.teams.first(), email="boss@example.com", invited_by=hr_admin
    )
    cohort_services.cohort_join_link_set(cohort=cohort, enabled=True)
    return {
        "taking:result_detail": submitted_result(bank_version).token,
        "taking:result_share": Result.objects.get().token,
        "links:invitation": participant.token,
        "links:join": cohort.join_code,
        "links:manager_accept": invitation.token,
    }


@pytest.mark.parametrize(
    "name",
    [
        "taking:result_detail",
        "taking:result_share",
        "links:invitation",
        "links:join",
        "links:manager_accept",
    ],
)
@pytest.mark.parametrize("shape", ["{token}%00", "%00", "{token}%00x", "x" * 65])
def test_it_answers_404_to_a_nul_in_a_link_token(client, participant, links, name, shape):
    client.force_login(participant)  # manager links need a signed-in person
    real = reverse(name, args=[links[name]])
    url = real.replace(links[name], shape.format(token=links[name]))
    before = counts()
    for method in (client.get, client.post):
        response = method(url, {"shared": "on", "name": "Eve", "email": "eve@example.com"})
        assert response.status_code == 404, (method, url)
        assert "Page not found" in response.text
    assert counts() == before


def test_it_still_opens_the_links_with_their_real_tokens(client, participant, links):
    client.force_login(participant)
    for name in ("taking:result_detail", "links:invitation", "links:join", "links:manager_accept"):
        assert client.get(reverse(name, args=[links[name]])).status_code == 200, name


# --- Emails longer than the column -----------------------------------------------------


def test_it_refuses_an_over_long_email_on_the_join_link(client, cohort):
    cohort_services.cohort_join_link_set(cohort=cohort, enabled=True)
    before = counts()
    response = client.post(
        reverse("links:join", args=[cohort.join_code]),
        {"name": "Eve", "email": LONG_EMAIL, "team": cohort.teams.first().pk},
    )
    assert response.status_code == 200  # the form again, as for any invalid field
    assert LONG_EMAIL_MESSAGE in response.text
    assert counts() == before


def test_it_refuses_an_over_long_email_when_hr_adds_a_person(client, hr_admin, cohort):
    client.force_login(hr_admin)
    before = counts()
    response = client.post(
        reverse("cohorts:participant_add", args=[cohort.pk]),
        {"name": "Eve", "email": LONG_EMAIL, "team": cohort.teams.first().pk},
    )
    assert response.status_code == 200
    assert LONG_EMAIL_MESSAGE in response.text
    assert counts() == before


def test_it_refuses_an_over_long_email_when_hr_invites_a_manager(client, hr_admin, cohort):
    client.force_login(hr_admin)
    before = counts()
    response = client.post(
        reverse("cohorts:team_detail", args=[cohort.teams.first().pk]), {"email": LONG_EMAIL}
    )
    assert response.status_code == 200
    assert LONG_EMAIL_MESSAGE in response.text
    assert counts() == before


def test_it_rejects_the_csv_line_of_an_over_long_email(client, hr_admin, cohort):
    client.force_login(hr_admin)
    content = f"name,email,team\nEve,{LONG_EMAIL},EMEA sales\n".encode()
    response = client.post(
        reverse("cohorts:import", args=[cohort.pk]),
        {"file": SimpleUploadedFile("people.csv", content, content_type="text/csv")},
    )
    page = client.get(response.url)
    assert page.status_code == 200
    assert "The email is longer than 254 characters" in page.text
    assert ParticipantImport.objects.get().rows == []
    assert not Participant.objects.exists()


def test_it_refuses_an_over_long_email_on_sign_up(client, db):
    before = counts()
    response = client.post(
        reverse("accounts:signup"),
        {
            "username": "eve",
            "email": LONG_EMAIL,
            "password1": "a-long-pass-phrase",
            "password2": "a-long-pass-phrase",
        },
    )
    assert response.status_code == 200
    assert "at most 254 characters" in response.text
    assert counts() == before
    assert not Attempt.objects.filter(user__username="eve").exists()


# --- A NUL in free text of the HR pages ------------------------------------------------


def test_it_refuses_a_nul_in_a_new_teams_name_on_the_cohort_form(client, hr_admin, bank_version):
    client.force_login(hr_admin)
    before = counts()
    response = client.post(
        reverse("cohorts:create"),
        {
            "name": "Q3",
            "description": "",
            "bank_version": bank_version.pk,
            "opens_at": "",
            "closes_at": "",
            "min_group_size": "5",
            "new_teams": "EMEA sales\nAPAC\x00 sales",
        },
    )
    assert response.status_code == 200
    assert "A team name cannot contain a NUL character" in response.text
    assert counts() == before


def test_it_refuses_a_nul_in_a_teams_name_on_the_teams_page(client, hr_admin):
    client.force_login(hr_admin)
    before = counts()
    response = client.post(reverse("cohorts:team_list"), {"name": "APAC\x00 sales"})
    assert response.status_code == 200
    assert "Null characters are not allowed." in response.text
    assert counts() == before


@pytest.mark.parametrize(
    "spoil",
    [
        lambda data: data["items"][0].update(text="Agree\x00"),
        lambda data: data["bank"].update(description="A\x00B"),
        lambda data: data["version"].update(notes="\x00"),
        lambda data: data["dimensions"][0].update(summary="\x00"),
    ],
)
def test_it_refuses_a_nul_in_an_imported_bank_file(
    client, hr_admin, bank_version, bank_data, spoil: Callable
):
    client.force_login(hr_admin)
    bank_data["version"]["number"] = 2
    spoil(bank_data)
    before = counts()
    body = json.dumps(bank_data).encode()  # a NUL travels as \u0000
    response = client.post(
        reverse("banks:import"),
        {"file": SimpleUploadedFile("bank.json", body, content_type="application/json")},
    )
    assert response.status_code == 200
    assert "contains a NUL character" in response.text
    assert counts() == before


# --- A question answered twice in one body ---------------------------------------------


@pytest.fixture
def started(client, bank_version) -> Attempt:
    client.post(reverse("taking:attempt_start"))
    return Attempt.objects.get()


def _page(attempt: Attempt, number: int) -> str:
    return reverse("taking:attempt_page", args=[attempt.pk, number])


@pytest.mark.parametrize("second", [2, 4], ids=["two values", "the same value twice"])
def test_it_refuses_a_question_answered_twice(client, started, second):
    answers = page_answers(started, 1, value=4)
    repeated = next(iter(answers))
    body = [*answers.items(), (repeated, second), ("direction", "next")]
    before = counts()
    response = client.post(
        _page(started, 1),
        "&".join(f"{key}={value}" for key, value in body),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert "answered the same question more than once, so nothing was saved" in response.text
    assert counts() == before


def test_it_refuses_a_question_answered_twice_in_an_autosave(client, started):
    name = next(iter(page_answers(started, 1)))
    response = client.post(
        reverse("taking:attempt_autosave", args=[started.pk]),
        f"{name}=2&{name}=5",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert "could not be saved" in response.json()["error"]
    assert not Response.objects.exists()


# --- A method a page does not take -----------------------------------------------------


def test_it_explains_a_405_for_an_action(client, bank_version):
    before = counts()
    response = client.get(reverse("taking:attempt_start"))
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert "runs only from its button on a page of the site. Nothing was changed." in (
        response.text
    )
    assert counts() == before


def test_it_explains_a_405_for_a_page(client, started):
    response = client.put(_page(started, 1))
    assert response.status_code == 405
    assert response["Allow"] == "GET, POST"
    assert "does not take a PUT request, so nothing was changed. It takes GET, POST." in (
        response.text
    )
    assert not Response.objects.exists()


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


def test_it_stores_nothing_when_the_cohort_closes_between_saving_and_scoring(cohort):
    """Today's 500: the last page's answers were saved, then the submit found
    the cohort closed. Both checks now run in one transaction."""
    client, attempt = _invited(cohort)
    before = counts()
    # Open when the last page's answers are saved, closed when it is scored.
    with mock.patch.object(Cohort, "is_accepting", side_effect=[True, False]):
        response = _submit_last_page(client, attempt)
    _assert_closed_page_and_nothing_stored(response, before)


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


def _wait_for_a_lock_wait(timeout: float = 10) -> None:
    """Until another connection is waiting for a row lock: the race is on."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.02)
    pytest.fail("Nobody waited for the lock")


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
    _wait_for_a_lock_wait()
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
        _wait_for_a_lock_wait()
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
        _wait_for_a_lock_wait()
        release.set()
        first.join(10)
        second.join(10)
    result = Result.objects.get()
    for out in (first_out, second_out):
        assert out[0].status_code == 302, out[0]
        assert out[0].url == reverse("taking:result_detail", args=[result.token])
    assert DimensionScore.objects.count() == 3
    assert Response.objects.count() == 24
