"""Bad input gets a clear 4xx (or the form again, with its message) and stores nothing.

Among it: a NUL byte in a link's token, which PostgreSQL refuses in a query;
emails longer than their column; a NUL in free text HR types; a question
answered twice in one body; and a method a page does not take. The final
submit racing a close, or racing itself, is in test_submit_races.py.
"""

import json
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.cohorts import services as cohort_services
from assessments.models import (
    Attempt,
    ManagerInvitation,
    Participant,
    ParticipantImport,
    Response,
    Result,
)
from tests.helpers import add_people, counts, page_answers, submitted_result

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
