"""Accounts: signing up keeps results, history, and a person's own data."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from assessments.content import measurement
from assessments.models import Attempt, Response, Result
from tests.cast import PASSWORD
from tests.helpers import page_answers, submitted_result

OWN_DATA_URLS = ["accounts:history", "accounts:data_export", "accounts:data_delete"]


def finish_anonymously(client) -> Result:
    client.post(reverse("taking:attempt_start"))
    attempt = Attempt.objects.latest("started_at")
    for number in range(1, 5):
        client.post(
            reverse("taking:attempt_page", args=[attempt.pk, number]), page_answers(attempt, number)
        )
    return Result.objects.get(attempt=attempt)


@pytest.mark.parametrize("name", OWN_DATA_URLS)
def test_anonymous_people_are_sent_to_sign_in(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next={reverse(name)}"


@pytest.mark.parametrize("name", OWN_DATA_URLS)
def test_signed_in_people_reach_their_own_data_pages(client, participant, name):
    client.force_login(participant)
    assert client.get(reverse(name)).status_code == 200


def test_signing_up_right_after_an_attempt_keeps_the_result(client, bank_version):
    result = finish_anonymously(client)
    response = client.post(
        reverse("accounts:signup"),
        {"username": "newcomer", "email": "", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.url == reverse("accounts:history")
    user = get_user_model().objects.get(username="newcomer")
    assert Attempt.objects.get(pk=result.attempt_id).user == user
    history = client.get(reverse("accounts:history"))
    assert reverse("taking:result_detail", args=[result.token]) in history.text
    assert "1 result from this browser is now saved to your account." in history.text


def test_signing_in_after_an_attempt_keeps_the_result(client, bank_version, participant):
    result = finish_anonymously(client)
    response = client.post(reverse("accounts:login"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    assert Attempt.objects.get(pk=result.attempt_id).user == participant


def test_a_bad_sign_up_gets_clear_messages_and_creates_no_one(client, db):
    response = client.post(
        reverse("accounts:signup"),
        {"username": "x", "email": "not-an-email", "password1": "short", "password2": "other"},
    )
    assert response.status_code == 200
    assert "Enter a valid email address." in response.text
    assert "The two password fields didn" in response.text
    assert not get_user_model().objects.filter(username="x").exists()


def test_history_lists_results_and_draws_a_trend_from_two(client, bank_version, participant):
    client.force_login(participant)
    first = submitted_result(bank_version, user=participant)
    response = client.get(reverse("accounts:history"))
    assert 'id="trend-overall"' not in response.text
    second = submitted_result(bank_version, user=participant, value=2)
    response = client.get(reverse("accounts:history"))
    for key in ("overall", "status_quo", "commitment", "disapproval"):
        assert f'<script id="trend-{key}" type="application/json">' in response.text
    for result in (first, second):
        assert reverse("taking:result_detail", args=[result.token]) in response.text


def test_history_shows_no_one_elses_results(client, bank_version, participant, outsider):
    theirs = submitted_result(bank_version, user=outsider)
    client.force_login(participant)
    assert theirs.token not in client.get(reverse("accounts:history")).text


def test_history_offers_to_continue_an_unfinished_attempt(client, bank_version, participant):
    client.force_login(participant)
    client.post(reverse("taking:attempt_start"))
    attempt = Attempt.objects.get(user=participant)
    assert (
        reverse("taking:attempt_resume", args=[attempt.pk])
        in client.get(reverse("accounts:history")).text
    )


def test_the_export_holds_the_persons_answers_and_results_only(
    client, bank_version, participant, outsider
):
    mine = submitted_result(bank_version, user=participant)
    submitted_result(bank_version, user=outsider)
    client.force_login(participant)
    response = client.get(reverse("accounts:data_export"))
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["username"] == "alice"
    assert [a["id"] for a in data["attempts"]] == [str(mine.attempt_id)]
    attempt = data["attempts"][0]
    assert len(attempt["answers"]) == 24
    assert attempt["result"]["overall"] == mine.overall
    assert set(attempt["result"]["dimensions"]) == {"status_quo", "commitment", "disapproval"}
    # What the result keeps about its precision is the person's data too.
    assert attempt["result"]["margin"] == mine.margin
    assert attempt["result"]["unclear"] == "same_answer"  # the same answer to every item
    assert all(
        d["margin"] == pytest.approx(measurement.PRIOR.margin) and d["unclear"] is True
        for d in attempt["result"]["dimensions"].values()
    )


def test_delete_counts_every_assessment_started_finished_or_not(client, bank_version, participant):
    submitted_result(bank_version, user=participant)
    client.force_login(participant)
    client.post(reverse("taking:attempt_start"))  # unfinished: deleted too
    page = client.get(reverse("accounts:data_delete")).text
    assert "the 2 assessments you started (finished or not)" in page


def test_delete_needs_the_confirmation_word(client, bank_version, participant):
    submitted_result(bank_version, user=participant)
    client.force_login(participant)
    response = client.post(reverse("accounts:data_delete"), {"confirm": "yes"})
    assert response.status_code == 200
    assert "Type the word" in response.text
    assert get_user_model().objects.filter(pk=participant.pk).exists()
    assert Result.objects.count() == 1


def test_delete_removes_the_account_attempts_and_answers(
    client, bank_version, participant, outsider
):
    submitted_result(bank_version, user=participant)
    theirs = submitted_result(bank_version, user=outsider)
    client.force_login(participant)
    response = client.post(reverse("accounts:data_delete"), {"confirm": "delete"})
    assert response.url == reverse("taking:home")
    assert not get_user_model().objects.filter(pk=participant.pk).exists()
    assert list(Attempt.objects.all()) == [theirs.attempt]
    assert Response.objects.filter(attempt__user__isnull=True).count() == 0
    assert Result.objects.count() == 1
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_a_link_by_email(client, participant):
    response = client.post(reverse("accounts:password_reset"), {"email": participant.email})
    assert response.url == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    assert "/accounts/reset/" in mail.outbox[0].body
    assert mail.outbox[0].to == [participant.email]


def test_a_used_or_bad_reset_link_says_it_no_longer_works(client, participant):
    url = reverse("accounts:password_reset_confirm", args=["MQ", "bad-token"])
    page = client.get(url).text
    assert "<h1>This link no longer works</h1>" in page
    assert reverse("accounts:password_reset") in page


def test_check_your_email_leads_back_to_sign_in_and_to_try_again(client, db):
    page = client.get(reverse("accounts:password_reset_done")).text
    assert f'<a href="{reverse("accounts:login")}">Back to sign in</a>' in page
    assert f'href="{reverse("accounts:password_reset")}"' in page


def test_signing_out_needs_a_post(client, participant):
    client.force_login(participant)
    assert client.get(reverse("accounts:logout")).status_code == 405
    client.post(reverse("accounts:logout"))
    assert "_auth_user_id" not in client.session


def test_permissions_come_from_the_person_and_their_groups_in_one_query(
    participant, django_assert_num_queries
):
    from django.contrib.auth.models import Permission

    from assessments.roles import MANAGE_COHORTS, VIEW_TEAM_DASHBOARD, grant_role, is_hr_admin

    grant_role(participant, "manager")  # a group's permission
    participant.user_permissions.add(Permission.objects.get(codename="manage_cohorts"))  # own
    user = get_user_model().objects.get(pk=participant.pk)
    with django_assert_num_queries(1):
        assert user.has_perm(VIEW_TEAM_DASHBOARD) and user.has_perm(MANAGE_COHORTS)
        assert is_hr_admin(user)
    participant.user_permissions.clear()
    assert not is_hr_admin(get_user_model().objects.get(pk=participant.pk))
    participant.is_active = False
    participant.save()
    assert not get_user_model().objects.get(pk=participant.pk).has_perm(VIEW_TEAM_DASHBOARD)
