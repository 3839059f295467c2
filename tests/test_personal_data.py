"""A cohort participant's own data: it stays with their personal link, never
goes to an account that signs in where the link was opened, and can be
downloaded and deleted through that link, with what HR holds about them."""

import importlib
import json

from django.apps import apps
from django.test import Client
from django.urls import reverse

from assessments.accounts.services import participant_data_delete, user_data_delete
from assessments.cohorts import outbox
from assessments.cohorts import selectors as cohort_selectors
from assessments.cohorts.services import cohort_close
from assessments.models import (
    OVERALL,
    Attempt,
    DimensionScore,
    OutboundEmail,
    Participant,
    Response,
    Result,
    ScoreTally,
)
from tests.cast import PASSWORD
from tests.helpers import add_people, answer_all, complete

Kind = OutboundEmail.Kind


def take_in_browser(client: Client, person: Participant) -> Result:
    """Open the personal link in this browser, start, and finish."""
    client.post(reverse("links:invitation", args=[person.token]))
    return complete(person)


def queue(cohort, kind: str, by) -> int:
    return outbox.emails_queue(
        cohort=cohort, kind=kind, queued_by=by, link_for=lambda person: f"/invite/{person.token}/"
    )


def delete_through_link(client: Client, person: Participant, word: str = "delete"):
    return client.post(reverse("links:delete", args=[person.token]), {"confirm": word})


def overall_count(person: Participant) -> int:
    tallies = ScoreTally.objects.filter(cohort=person.cohort, team=person.team, measure=OVERALL)
    return sum(tallies.values_list("count", flat=True))


# Nobody takes over another person's cohort attempt -----------------------


def test_signing_in_where_someone_opened_their_link_does_not_take_their_attempt(
    client, cohort, outsider
):
    bob = add_people(cohort, cohort.teams.first(), 1)[0]
    result = take_in_browser(client, bob)
    client.get(reverse("links:invitation", args=[bob.token]))  # Bob's link, in a shared browser

    client.post(reverse("accounts:login"), {"username": outsider.username, "password": PASSWORD})

    assert Attempt.objects.get(pk=result.attempt_id).user is None
    assert (
        reverse("taking:result_detail", args=[result.token])
        not in client.get(reverse("accounts:history")).text
    )
    export = json.loads(client.get(reverse("accounts:data_export")).content)
    assert export["attempts"] == [] and export["cohort_memberships"] == []
    client.post(reverse("accounts:data_delete"), {"confirm": "delete"})
    assert Result.objects.filter(pk=result.pk).exists()
    assert overall_count(bob) == 1


def test_signing_up_where_someone_opened_their_link_does_not_take_their_attempt(client, cohort):
    bob = add_people(cohort, cohort.teams.first(), 1)[0]
    client.post(reverse("links:invitation", args=[bob.token]))  # started, not finished
    attempt = Attempt.objects.get(participant=bob)

    client.post(
        reverse("accounts:signup"),
        {"username": "eve", "email": "", "password1": PASSWORD, "password2": PASSWORD},
    )

    assert Attempt.objects.get(pk=attempt.pk).user is None
    assert "now saved to your account" not in client.get(reverse("accounts:history")).text


def test_a_result_taken_alone_in_the_same_browser_is_still_kept(client, cohort, participant):
    bob = add_people(cohort, cohort.teams.first(), 1)[0]
    take_in_browser(client, bob)
    client.post(reverse("taking:attempt_start"))
    own = Attempt.objects.get(participant__isnull=True)
    answer_all(own)

    client.post(reverse("accounts:login"), {"username": participant.username, "password": PASSWORD})

    assert list(Attempt.objects.filter(user=participant)) == [own]


def test_a_cohort_result_does_not_offer_to_be_kept_in_an_account(client, cohort):
    bob = add_people(cohort, cohort.teams.first(), 1)[0]
    result = take_in_browser(client, bob)
    page = client.get(reverse("taking:result_detail", args=[result.token])).text
    assert "to keep this result with your history" not in page
    assert reverse("links:delete", args=[bob.token]) in page


def test_cohort_attempts_already_in_accounts_go_back_to_their_links(cohort, participant):
    migration = importlib.import_module("assessments.migrations.0010_participant_withdrawn")
    bob = add_people(cohort, cohort.teams.first(), 1)[0]
    result = complete(bob)
    Attempt.objects.filter(pk=result.attempt_id).update(user=participant)  # claimed before the fix
    solo = Attempt.objects.create(bank_version=cohort.bank_version, user=participant)

    migration.detach_cohort_attempts(apps, None)

    assert Attempt.objects.get(pk=result.attempt_id).user is None
    assert Attempt.objects.get(pk=solo.pk).user == participant


# Downloading one's data through the personal link ------------------------


def test_the_personal_link_downloads_what_hr_holds_the_emails_and_the_answers(
    client, cohort, hr_admin
):
    bob = add_people(cohort, cohort.teams.first(), 1)[0]
    queue(cohort, Kind.INVITATION, hr_admin)
    outbox.emails_send_batch(cohort=cohort)
    result = take_in_browser(client, bob)

    response = client.get(reverse("links:data_export", args=[bob.token]))

    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "private, no-store"
    data = json.loads(response.content)
    membership = data["cohort_membership"]
    assert (membership["name"], membership["email"]) == (bob.name, bob.email)
    assert membership["team"] == bob.team.name and membership["cohort"] == cohort.name
    [email] = data["emails_sent_to_you"]
    assert email["kind"] == "Invitation" and email["to"] == bob.email
    assert bob.token in email["body"] and email["sent_at"]
    answers = Response.objects.filter(attempt__participant=bob)
    assert len(data["attempt"]["answers"]) == answers.count() == 24
    assert data["attempt"]["result"]["overall"] == result.overall


def test_an_unknown_link_downloads_nothing(client, db):
    assert client.get(reverse("links:data_export", args=["nobody"])).status_code == 404
    assert client.get(reverse("links:delete", args=["nobody"])).status_code == 404


# Deleting one's data through the personal link ---------------------------


def test_deleting_needs_the_confirmation_word_and_stores_nothing_without_it(client, cohort):
    bob = add_people(cohort, cohort.teams.first(), 1)[0]
    result = take_in_browser(client, bob)
    response = delete_through_link(client, bob, word="yes")
    assert response.status_code == 200
    assert response.context["form"].errors["confirm"] == ['Type the word "delete" to confirm.']
    assert "Type the word &quot;delete&quot; to confirm." in response.text
    assert Result.objects.filter(pk=result.pk).exists()
    assert Participant.objects.get(pk=bob.pk).withdrawn_at is None


def test_deleting_removes_the_answers_the_result_and_what_hr_holds(client, cohort, hr_admin):
    bob, ann = add_people(cohort, cohort.teams.first(), 2)
    queue(cohort, Kind.INVITATION, hr_admin)
    outbox.emails_send_batch(cohort=cohort)
    result = take_in_browser(client, bob)
    complete(ann)
    assert overall_count(bob) == 2

    response = delete_through_link(client, bob)

    assert response.status_code == 200
    assert "Your data was deleted" in response.text
    assert not Attempt.objects.filter(participant=bob).exists()
    assert not Response.objects.filter(attempt_id=result.attempt_id).exists()
    assert not DimensionScore.objects.filter(result_id=result.pk).exists()
    assert overall_count(bob) == 1
    gone = Participant.objects.get(pk=bob.pk)
    assert gone.withdrawn_at is not None
    assert bob.name not in gone.name and bob.email != gone.email
    [email] = OutboundEmail.objects.filter(participant=bob)
    assert email.to == gone.email and email.body == "" and email.sent_at is not None
    assert bob.email not in str(list(OutboundEmail.objects.values_list("to", "body")))
    # Ann is untouched.
    assert Participant.objects.get(pk=ann.pk).name == ann.name
    assert Result.objects.filter(attempt__participant=ann).exists()


def test_the_link_then_says_what_happened_and_opens_nothing(client, cohort):
    bob = add_people(cohort, cohort.teams.first(), 1)[0]
    take_in_browser(client, bob)
    delete_through_link(client, bob)

    page = client.get(reverse("links:invitation", args=[bob.token]))
    assert page.status_code == 410
    assert "Your data was deleted" in page.text
    assert client.post(reverse("links:invitation", args=[bob.token])).status_code == 410
    assert not Attempt.objects.filter(participant=bob).exists()
    assert client.get(reverse("links:delete", args=[bob.token])).status_code == 410
    left = json.loads(client.get(reverse("links:data_export", args=[bob.token])).content)
    assert left["attempt"] is None
    assert left["cohort_membership"]["email"].endswith(".invalid")


def test_no_reminder_or_invitation_reaches_a_person_who_deleted(client, cohort, hr_admin):
    bob, ann = add_people(cohort, cohort.teams.first(), 2)
    queue(cohort, Kind.REMINDER, hr_admin)  # queued, not yet sent
    participant_data_delete(participant=bob)

    assert not OutboundEmail.objects.filter(participant=bob).exists()
    assert set(cohort_selectors.recipients(cohort, Kind.REMINDER)) == {ann}
    assert set(cohort_selectors.recipients(cohort, Kind.INVITATION)) == {ann}
    assert queue(cohort, Kind.REMINDER, hr_admin) == 1


def test_someone_who_never_started_can_delete_too(client, cohort):
    bob = add_people(cohort, cohort.teams.first(), 1)[0]
    assert client.get(reverse("links:delete", args=[bob.token])).status_code == 200
    delete_through_link(client, bob)
    assert Participant.objects.get(pk=bob.pk).withdrawn_at is not None


def test_deleting_works_after_the_cohort_closed(client, cohort):
    bob = add_people(cohort, cohort.teams.first(), 1)[0]
    result = take_in_browser(client, bob)
    cohort_close(cohort=cohort)
    closed_page = client.get(reverse("taking:result_detail", args=[result.token])).text
    assert reverse("links:delete", args=[bob.token]) in closed_page
    delete_through_link(client, bob)
    assert not Result.objects.filter(pk=result.pk).exists()


def test_hr_sees_only_that_someone_left_and_counts_them_no_more(client, cohort, hr_admin):
    team = cohort.teams.first()
    bob, ann = add_people(cohort, team, 2)
    complete(bob)
    participant_data_delete(participant=bob)

    client.force_login(hr_admin)
    for url in ("cohorts:detail", "cohorts:participants"):
        page = client.get(reverse(url, args=[cohort.pk])).text
        assert bob.name not in page and bob.email not in page
    assert "Deleted their data on" in page
    completion = client.get(reverse("cohorts:detail", args=[cohort.pk])).context["rows"]
    row = next(row for row in completion if row.team == team.name)
    assert (row.people, row.invited, row.completed) == (1, 0, 0)


def test_hr_cannot_confirm_the_team_of_someone_who_deleted(client, cohort, hr_admin):
    from assessments.cohorts import participants as participant_services
    from assessments.cohorts import services as cohort_services

    cohort = cohort_services.cohort_join_link_set(cohort=cohort, enabled=True)
    bob = participant_services.participant_join(
        cohort=cohort, name="Bob", email="bob@example.com", team=cohort.teams.first()
    )
    participant_data_delete(participant=bob)
    client.force_login(hr_admin)
    client.post(reverse("cohorts:participant_team_confirm", args=[cohort.pk, bob.pk]))
    assert not Participant.objects.get(pk=bob.pk).team_confirmed


def test_deleting_an_account_that_holds_a_cohort_attempt_leaves_the_cohort(cohort, participant):
    bob = add_people(cohort, cohort.teams.first(), 1)[0]
    result = complete(bob)
    Attempt.objects.filter(pk=result.attempt_id).update(user=participant)  # from before the fix
    user_data_delete(user=participant)
    gone = Participant.objects.get(pk=bob.pk)
    assert gone.withdrawn_at is not None and gone.email != bob.email
    assert overall_count(bob) == 0


def test_deleting_twice_changes_nothing_more(cohort):
    bob = add_people(cohort, cohort.teams.first(), 1)[0]
    complete(bob)
    first = participant_data_delete(participant=bob)
    again = participant_data_delete(participant=bob)
    assert again.withdrawn_at == first.withdrawn_at
    assert overall_count(bob) == 0


def test_the_delete_page_tells_the_price_for_published_figures(client, cohort):
    bob = add_people(cohort, cohort.teams.first(), 1)[0]
    page = client.get(reverse("links:delete", args=[bob.token])).text
    assert "it stays there, without your name" in page
    assert f"a group of at least {cohort.min_group_size} people" in page


def test_the_minimum_stays_fixed_after_everyone_who_answered_deleted(cohort):
    """Their results can still be in published figures, which a new minimum
    would re-draw."""
    import pytest

    from assessments.cohorts import services as cohort_services

    people = add_people(cohort, cohort.teams.first(), 5)
    for person in people:
        complete(person)
    for person in people:
        participant_data_delete(participant=person)
    with pytest.raises(cohort_services.CohortError, match="minimum group size is fixed"):
        cohort_services.cohort_update(
            cohort=cohort, teams=cohort.teams.all(), min_group_size=cohort.min_group_size + 1
        )
