"""What HR sees of each person and may do to one: "invited" means the link
was sent; sending one person's invitation again; removing someone who has
not started; the bank version chosen for a new cohort."""

import csv
import io
import json
import logging
from datetime import datetime

import pytest
from django.core import mail
from django.template.defaultfilters import date
from django.test import Client
from django.urls import reverse
from django.utils.timezone import localtime

from assessments.accounts.services import participant_data_delete
from assessments.cohorts import outbox, selectors
from assessments.cohorts import participants as participant_services
from assessments.cohorts import services as cohort_services
from assessments.cohorts.teams import team_manager_add, teams_get_or_create
from assessments.models import Attempt, BankVersion, Cohort, OutboundEmail, Participant
from assessments.taking.services import AttemptError
from tests.helpers import add_people, complete

Status = OutboundEmail.Status


def detail(client, cohort):
    return client.get(reverse("cohorts:detail", args=[cohort.pk]))


def people_list(client, cohort, **query):
    return client.get(reverse("cohorts:participants", args=[cohort.pk]), query)


def invite_url(cohort, person) -> str:
    return reverse("cohorts:participant_invite", args=[cohort.pk, person.pk])


def remove_url(cohort, person) -> str:
    return reverse("cohorts:participant_remove", args=[cohort.pk, person.pk])


def send_invitations(cohort, hr_admin, people=None) -> None:
    """Queue invitations to everyone not yet invited, and send them all."""
    outbox.emails_queue(
        cohort=cohort, kind="invitation", queued_by=hr_admin, link_for=lambda p: "http://x/"
    )
    if people is not None:  # only these go out; the others' stay queued
        cohort.emails.exclude(participant__in=people).delete()
    outbox.emails_send_batch(cohort=cohort)


def status_of(response, person) -> str:
    people = {p.pk: p for p in response.context["people"]}
    return people[person.pk].stage


# "Invited" means the link went out ---------------------------------------------


def test_someone_only_added_is_not_invited_until_their_invitation_is_sent(client, hr_admin, cohort):
    team = cohort.teams.order_by("name").first()
    (ann,) = add_people(cohort, team, 1)
    client.force_login(hr_admin)

    listed = people_list(client, cohort)
    assert status_of(listed, ann) == "added"
    assert "Added, not yet invited" in listed.text
    page = detail(client, cohort)
    (row,) = page.context["rows"]
    assert (row.people, row.invited, row.not_invited, row.not_started) == (1, 0, 1, 0)
    assert row.rate is None
    assert page.context["figure"] is None
    assert "Nobody has been invited yet." in page.text

    outbox.emails_queue(
        cohort=cohort, kind="invitation", queued_by=hr_admin, link_for=lambda p: "http://x/"
    )
    listed = people_list(client, cohort)
    assert status_of(listed, ann) == "added"
    assert "Invitation waiting in the outbox" in listed.text
    assert detail(client, cohort).context["rows"][0].invited == 0

    outbox.emails_send_batch(cohort=cohort)
    listed = people_list(client, cohort)
    assert status_of(listed, ann) == "invited"
    assert "Invited on " in listed.text and "Added, not yet invited" not in listed.text
    page = detail(client, cohort)
    (row,) = page.context["rows"]
    assert (row.people, row.invited, row.not_started, row.rate) == (1, 1, 1, 0)
    assert page.context["figure"] is not None


def test_a_failed_invitation_does_not_count_as_invited(client, hr_admin, cohort, settings):
    (ann,) = add_people(cohort, cohort.teams.first(), 1)
    settings.OUTBOX_RETRY_DELAYS = []  # failed at the first try, not retried later
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2},
        }
    }
    send_invitations(cohort, hr_admin)
    assert OutboundEmail.objects.get().status == Status.FAILED
    client.force_login(hr_admin)
    listed = people_list(client, cohort)
    assert status_of(listed, ann) == "added"
    assert "The invitation failed" in listed.text
    assert detail(client, cohort).context["total"].invited == 0


def test_joining_by_the_open_link_a_reminder_or_starting_counts_as_invited(
    client, hr_admin, cohort
):
    team = cohort.teams.order_by("name").first()
    cohort = cohort_services.cohort_join_link_set(cohort=cohort, enabled=True)
    joiner = participant_services.participant_join(
        cohort=cohort, name="Joan", email="joan@example.com", team=team
    )
    reminded, starter, idle = add_people(cohort, team, 3)
    outbox.emails_queue(
        cohort=cohort, kind="reminder", queued_by=hr_admin, link_for=lambda p: "http://x/"
    )
    cohort.emails.exclude(participant=reminded).delete()
    outbox.emails_send_batch(cohort=cohort)
    participant_services.participant_attempt(participant=starter)  # HR gave them the link

    client.force_login(hr_admin)
    listed = people_list(client, cohort)
    assert {p.name: p.stage for p in listed.context["people"]} == {
        "Joan": "invited",
        reminded.name: "invited",
        starter.name: "started",
        idle.name: "added",
    }
    assert "Joined by the open link" in listed.text
    (row,) = detail(client, cohort).context["rows"]
    assert (row.people, row.invited, row.not_started, row.started, row.completed) == (4, 3, 2, 1, 0)
    # The bulk button reaches only the one person not yet invited.
    assert list(selectors.recipients(cohort, "invitation")) == [idle]
    assert joiner.pk in {p.pk for p in listed.context["people"]}


def test_completion_per_team_counts_people_invited_and_how_far_the_invited_got(
    client, hr_admin, cohort
):
    emea, us = cohort.teams.order_by("name")
    people = add_people(cohort, emea, 4, "emea") + add_people(cohort, us, 3, "us")
    send_invitations(cohort, hr_admin, people=[people[3], people[4]])
    complete(people[0])
    complete(people[1])
    participant_services.participant_attempt(participant=people[2])
    complete(people[5])
    gone = people[6]
    complete(gone)
    participant_data_delete(participant=gone)

    client.force_login(hr_admin)
    page = detail(client, cohort)
    rows = {
        row.team: (row.people, row.invited, row.not_started, row.started, row.completed, row.rate)
        for row in page.context["rows"]
    }
    # EMEA: 4 people, all invited (3 started, 1 emailed); US: the one who
    # deleted their data is no longer counted, one emailed, one completed.
    assert rows == {"EMEA sales": (4, 4, 1, 1, 2, 50), "US sales": (2, 2, 1, 0, 1, 50)}
    total = page.context["total"]
    assert (total.people, total.invited, total.completed, total.rate) == (6, 6, 3, 50)
    people_then_invited = (
        '<th scope="col" class="d-none d-md-table-cell">People</th><th scope="col">Invited</th>'
    )
    assert people_then_invited in page.text


def test_the_completion_rate_is_of_the_people_invited(client, hr_admin, cohort):
    team = cohort.teams.first()
    invited, *added = add_people(cohort, team, 4)
    complete(invited)
    client.force_login(hr_admin)
    (row,) = detail(client, cohort).context["rows"]
    # One completed of one invited; the three only added do not lower it.
    assert (row.people, row.invited, row.completed, row.rate) == (4, 1, 1, 100)


def test_the_cohort_list_counts_people_and_the_invited_apart(client, hr_admin, cohort):
    team = cohort.teams.first()
    emailed, done, added = add_people(cohort, team, 3)
    send_invitations(cohort, hr_admin, people=[emailed])
    complete(done)
    client.force_login(hr_admin)
    response = client.get(reverse("cohorts:list"))
    (listed,) = response.context["cohorts"]
    assert (listed.people, listed.invited, listed.started, listed.completed) == (3, 2, 0, 1)
    people_then_invited = (
        '<th scope="col" class="d-none d-lg-table-cell">People</th><th scope="col">Invited</th>'
    )
    assert people_then_invited in response.text


def test_the_chart_counts_whole_people_invited(client, hr_admin, cohort):
    emea, us = cohort.teams.order_by("name")
    people = add_people(cohort, emea, 3, "emea") + add_people(cohort, us, 2, "us")
    send_invitations(cohort, hr_admin)
    complete(people[0])
    client.force_login(hr_admin)
    figure = detail(client, cohort).context["figure"]
    traces = {
        trace["name"]: dict(zip(trace["y"], trace["x"], strict=True)) for trace in figure["data"]
    }
    assert traces["Completed"] == {"EMEA sales": 1, "US sales": 0}
    assert traces["Not started"] == {"EMEA sales": 2, "US sales": 2}
    axis = figure["layout"]["xaxis"]
    assert axis["tickformat"] == "d"
    assert isinstance(axis["dtick"], int) and axis["dtick"] >= 1


# Sending one person's invitation -------------------------------------------------


def test_hr_sends_one_persons_invitation_again(client, hr_admin, cohort):
    ann, bob = add_people(cohort, cohort.teams.first(), 2)
    send_invitations(cohort, hr_admin)
    mail.outbox.clear()
    client.force_login(hr_admin)

    response = client.post(invite_url(cohort, ann), follow=True)
    assert response.redirect_chain[-1][0] == reverse("cohorts:outbox", args=[cohort.pk])
    assert f"An invitation to {ann.name} is queued" in response.text
    email = cohort.emails.get(status=Status.QUEUED)
    assert (email.participant, email.to, email.kind) == (ann, ann.email, "invitation")
    assert email.queued_by == hr_admin  # the record of who sent what
    assert f"/invite/{ann.token}/" in email.body
    outbox.emails_send_batch(cohort=cohort)
    assert [message.to for message in mail.outbox] == [[ann.email]]


@pytest.mark.parametrize("case", ["deleted", "completed", "closed", "draft", "waiting"])
def test_sending_an_invitation_again_is_refused_with_a_reason(client, hr_admin, cohort, case):
    (ann,) = add_people(cohort, cohort.teams.first(), 1)
    expected = {
        "deleted": "deleted their data",
        "completed": "has completed the assessment",
        "closed": "This cohort is closed",
        "draft": "only while the cohort is open",
        "waiting": "already waiting in the outbox",
    }[case]
    if case == "deleted":
        participant_data_delete(participant=ann)
    elif case == "completed":
        complete(ann)
    elif case == "closed":
        cohort_services.cohort_close(cohort=cohort)
    elif case == "draft":
        Cohort.objects.filter(pk=cohort.pk).update(status=Cohort.Status.DRAFT)
    else:
        outbox.emails_queue(
            cohort=cohort, kind="invitation", queued_by=hr_admin, link_for=lambda p: "http://x/"
        )
    before = list(OutboundEmail.objects.values_list("pk", "status"))
    client.force_login(hr_admin)
    response = client.post(invite_url(cohort, ann), follow=True)
    assert response.redirect_chain[-1][0] == reverse("cohorts:participants", args=[cohort.pk])
    assert expected in response.text
    assert list(OutboundEmail.objects.values_list("pk", "status")) == before
    # The page does not offer what the server refuses.
    assert invite_url(cohort, ann) not in response.text


# Removing someone who has not started ---------------------------------------------


def test_hr_removes_someone_who_has_not_started(client, hr_admin, cohort):
    team = cohort.teams.first()
    ann, bob = add_people(cohort, team, 2)
    send_invitations(cohort, hr_admin)
    outbox.emails_queue(
        cohort=cohort, kind="reminder", queued_by=hr_admin, link_for=lambda p: "http://x/"
    )
    client.force_login(hr_admin)
    page = people_list(client, cohort)
    assert remove_url(cohort, ann) in page.text

    confirm = client.get(remove_url(cohort, ann))
    assert f"Remove {ann.name} from {cohort.name}?" in confirm.text
    assert Participant.objects.filter(pk=ann.pk).exists()  # asking removes nothing

    response = client.post(remove_url(cohort, ann), follow=True)
    assert f"{ann.name} was removed from {cohort.name}" in response.text
    assert not Participant.objects.filter(pk=ann.pk).exists()
    assert Participant.objects.filter(pk=bob.pk).exists()
    assert team in cohort.teams.all()
    # The invitation sent stays on record; the reminder not yet sent is dropped.
    to_ann = OutboundEmail.objects.filter(to=ann.email)
    assert list(to_ann.values_list("kind", "status", "participant")) == [
        ("invitation", Status.SENT, None)
    ]
    assert OutboundEmail.objects.filter(participant=bob).count() == 2
    # Their link now leads nowhere.
    assert client.get(reverse("links:invitation", args=[ann.token])).status_code == 404


def test_a_removal_is_logged_with_who_did_it(client, hr_admin, cohort, caplog):
    (ann,) = add_people(cohort, cohort.teams.first(), 1)
    client.force_login(hr_admin)
    with caplog.at_level(logging.INFO, logger="assessments.cohorts.participants"):
        client.post(remove_url(cohort, ann))
    (record,) = [r for r in caplog.records if r.name == "assessments.cohorts.participants"]
    assert record.getMessage() == "participant removed from cohort"
    assert (record.cohort_id, record.participant_id, record.removed_by) == (
        cohort.pk,
        ann.pk,
        hr_admin.pk,
    )
    assert ann.email not in str(vars(record))  # no personal data in the logs


@pytest.mark.parametrize("case", ["started", "completed", "deleted", "closed"])
def test_removing_is_refused_with_a_reason(client, hr_admin, cohort, case):
    (ann,) = add_people(cohort, cohort.teams.first(), 1)
    expected = {
        "started": "has started the assessment",
        "completed": "has started the assessment",
        "deleted": "deleted their data",
        "closed": "This cohort is closed",
    }[case]
    if case == "started":
        participant_services.participant_attempt(participant=ann)
    elif case == "completed":
        complete(ann)
    elif case == "deleted":
        participant_data_delete(participant=ann)
    else:
        cohort_services.cohort_close(cohort=cohort)
    client.force_login(hr_admin)

    confirm = client.get(remove_url(cohort, ann))
    assert expected in confirm.text
    assert "btn-danger" not in confirm.text  # no button to remove them

    response = client.post(remove_url(cohort, ann), follow=True)
    assert expected in response.text and "Nobody was removed." in response.text
    assert Participant.objects.filter(pk=ann.pk).exists()
    assert remove_url(cohort, ann) not in detail(client, cohort).text


def test_a_start_after_a_removal_finds_nobody(client, hr_admin, cohort):
    """The invitation page was open when HR removed the person; pressing
    Start then stores nothing and says the link leads nowhere."""
    (ann,) = add_people(cohort, cohort.teams.first(), 1)
    link = reverse("links:invitation", args=[ann.token])
    visitor = Client()
    assert visitor.get(link).status_code == 200
    participant_services.participant_remove(participant=ann, removed_by=hr_admin)
    assert visitor.post(link).status_code == 404
    with pytest.raises(AttemptError):
        participant_services.participant_attempt(participant=ann)
    assert not Attempt.objects.exists()


def test_removing_an_unstarted_person_changes_no_figure_and_no_setting(
    client, hr_admin, manager, cohort
):
    """docs/confidentiality.md: someone without an attempt is in no tally, so
    every figure HR and managers can read is the same after the removal, and
    the minimum group size stays fixed (cohort_has_answers)."""
    team_a, team_b = cohort.teams.order_by("name")
    team_manager_add(team=team_a, user=manager)
    a_people = add_people(cohort, team_a, 7, "a")
    for person in a_people[:5]:
        complete(person, value=(person.pk % 5) + 1)
    for person in add_people(cohort, team_b, 5, "b"):
        complete(person, value=2)
    client.force_login(hr_admin)
    reader = Client()
    reader.force_login(manager)

    def readings() -> list[bytes]:
        return [
            reader.get(reverse("dashboards:team_csv", args=[team_a.pk])).content,
            client.get(reverse("dashboards:cohort_csv", args=[cohort.pk])).content,
            client.get(reverse("cohorts:export", args=[cohort.pk, "csv"])).content,
        ]

    before = readings()
    assert any(row["mean"] for row in csv.DictReader(io.StringIO(before[0].decode()))), (
        "the team's figures are shown, so there is something to compare"
    )
    for person in a_people[5:]:
        response = client.post(remove_url(cohort, person))
        assert response.status_code == 302
    assert not Participant.objects.filter(pk__in=[p.pk for p in a_people[5:]]).exists()
    assert readings() == before
    assert selectors.cohort_has_answers(cohort)
    with pytest.raises(cohort_services.CohortError, match="fixed at 5"):
        cohort_services.cohort_update(cohort=cohort, teams=cohort.teams.all(), min_group_size=3)


def test_a_withdrawn_person_cannot_be_removed_to_unfix_the_minimum(hr_admin, cohort):
    """Their row is what keeps cohort_has_answers true after they deleted:
    removing it would let the minimum group size change again."""
    (ann,) = add_people(cohort, cohort.teams.first(), 1)
    complete(ann)
    participant_data_delete(participant=ann)
    with pytest.raises(cohort_services.CohortError, match="deleted their data"):
        participant_services.participant_remove(
            participant=Participant.objects.get(pk=ann.pk), removed_by=hr_admin
        )
    assert selectors.cohort_has_answers(cohort)


# Who may act, and how -------------------------------------------------------------


@pytest.mark.parametrize("action", ["invite", "remove"])
def test_only_hr_admins_act_on_people(client, cohort, participant, manager, action):
    (ann,) = add_people(cohort, cohort.teams.first(), 1)
    url = invite_url(cohort, ann) if action == "invite" else remove_url(cohort, ann)
    response = client.post(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    for user in (participant, manager):
        client.force_login(user)
        assert client.post(url).status_code == 403
    assert Participant.objects.filter(pk=ann.pk).exists()
    assert not OutboundEmail.objects.exists()


@pytest.mark.parametrize("action", ["invite", "remove"])
def test_someone_of_another_cohort_is_not_found(client, hr_admin, cohort, action):
    other = cohort_services.cohort_open(
        cohort=cohort_services.cohort_create(
            name="Other",
            bank_version=cohort.bank_version,
            teams=cohort.teams.all(),
            created_by=hr_admin,
        )
    )
    (stranger,) = add_people(other, other.teams.first(), 1)
    client.force_login(hr_admin)
    url = (invite_url if action == "invite" else remove_url)(cohort, stranger)
    assert client.post(url).status_code == 404
    assert client.get(url).status_code in (404, 405)
    assert Participant.objects.filter(pk=stranger.pk).exists()
    assert not OutboundEmail.objects.exists()


def test_sending_an_invitation_is_a_post(client, hr_admin, cohort):
    (ann,) = add_people(cohort, cohort.teams.first(), 1)
    client.force_login(hr_admin)
    assert client.get(invite_url(cohort, ann)).status_code == 405
    assert not OutboundEmail.objects.exists()


@pytest.mark.parametrize("action", ["invite", "remove"])
def test_a_post_without_the_csrf_token_is_refused(hr_admin, cohort, action):
    (ann,) = add_people(cohort, cohort.teams.first(), 1)
    client = Client(enforce_csrf_checks=True)
    client.force_login(hr_admin)
    url = invite_url(cohort, ann) if action == "invite" else remove_url(cohort, ann)
    assert client.post(url).status_code == 403
    assert Participant.objects.filter(pk=ann.pk).exists()
    assert not OutboundEmail.objects.exists()


def test_the_page_offers_each_person_only_the_actions_allowed(client, hr_admin, cohort):
    added, emailed, started, done, gone = add_people(cohort, cohort.teams.first(), 5)
    send_invitations(cohort, hr_admin, people=[emailed])
    participant_services.participant_attempt(participant=started)
    complete(done)
    participant_data_delete(participant=gone)
    client.force_login(hr_admin)
    page = people_list(client, cohort).text
    assert f'Send invitation<span class="visually-hidden"> to {added.name}' in page
    assert f'Send invitation again<span class="visually-hidden"> to {emailed.name}' in page
    assert f'Send invitation again<span class="visually-hidden"> to {started.name}' in page
    for person in (added, emailed, started):
        assert invite_url(cohort, person) in page
    for person in (added, emailed):
        assert remove_url(cohort, person) in page
    for person in (started, done, gone):
        assert remove_url(cohort, person) not in page
    for person in (done, gone):
        assert invite_url(cohort, person) not in page

    cohort_services.cohort_close(cohort=cohort)
    closed = people_list(client, cohort).text
    assert "/invite/" not in closed
    assert "/remove/" not in closed


def test_no_personal_link_is_shown_to_hr(client, hr_admin, cohort):
    """A personal link opens the person's answers and result: HR never sees it
    (see the report on the "copy their link" request)."""
    people = add_people(cohort, cohort.teams.first(), 3)
    complete(people[0])
    client.force_login(hr_admin)
    for page in (detail(client, cohort).text, people_list(client, cohort).text):
        for person in people:
            assert person.token not in page


def test_the_list_of_people_makes_as_many_queries_with_actions(
    client, hr_admin, cohort, django_assert_num_queries
):
    people = add_people(cohort, cohort.teams.first(), 30)
    send_invitations(cohort, hr_admin, people=people[:10])
    for person in people[10:13]:
        complete(person)
    client.force_login(hr_admin)
    # 1 session, 2 user, 3 permissions, 4 cohort, 5 its teams, 6 people
    # found, 7 which people are on the page, 8 their stage, emails and actions,
    # 9 the audit log's record of the read (names are shown)
    with django_assert_num_queries(9):
        people_list(client, cohort)


# The outbox shows its rows as the workers send them -----------------------------


def test_the_outbox_answers_with_the_latest_emails_as_they_now_stand(client, hr_admin, cohort):
    add_people(cohort, cohort.teams.first(), 3)
    client.force_login(hr_admin)
    client.post(reverse("cohorts:emails_queue", args=[cohort.pk, "invitations"]))
    page = client.get(reverse("cohorts:outbox", args=[cohort.pk])).text
    assert page.count('data-email-status="queued"') == 3
    assert "data-outbox-retry hidden" in page

    outbox.emails_send_batch(cohort=cohort)  # a worker sends them
    answer = client.get(
        reverse("cohorts:outbox_status", args=[cohort.pk]), HTTP_ACCEPT="application/json"
    ).json()
    assert (answer["sent"], answer["queued"], answer["in_flight"]) == (3, 0, 0)
    rows = answer["emails"]
    assert {row["to"] for row in rows} == {f"person{i}@example.com" for i in range(3)}
    for row in rows:
        email = OutboundEmail.objects.get(pk=row["id"])
        assert (row["status"], row["status_text"], row["kind"]) == ("sent", "Sent", "Invitation")
        assert email.sent_at is not None
        assert datetime.fromisoformat(row["sent_iso"]) == email.sent_at
        assert row["sent"] == date(localtime(email.sent_at), "j M Y H:i")
        assert row["queued"] == date(localtime(email.queued_at), "j M Y H:i")
    # The page as it loads shows the same words.
    page = client.get(reverse("cohorts:outbox", args=[cohort.pk])).text
    assert page.count('data-email-status="sent"') == 3
    assert rows[0]["sent"] in page


def test_a_failed_email_is_listed_with_its_error_and_the_retry(client, hr_admin, cohort, settings):
    add_people(cohort, cohort.teams.first(), 1)
    client.force_login(hr_admin)
    client.post(reverse("cohorts:emails_queue", args=[cohort.pk, "invitations"]))
    settings.OUTBOX_RETRY_DELAYS = []
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2},
        }
    }
    outbox.emails_send_batch(cohort=cohort)
    answer = client.get(reverse("cohorts:outbox_status", args=[cohort.pk])).json()
    (row,) = answer["problems"]
    assert answer["failed"] == 1
    assert row["status"] == "failed" and row["status_text"].startswith("Failed: ")
    assert row["sent"] == ""
    page = client.get(reverse("cohorts:outbox", args=[cohort.pk])).text
    assert "data-outbox-retry hidden" not in page
    assert "Try the <span data-outbox-failed>1</span> failed emails again" in page


def test_without_javascript_the_page_shows_how_things_stand(client, hr_admin, cohort):
    add_people(cohort, cohort.teams.first(), 2)
    client.force_login(hr_admin)
    response = client.post(
        reverse("cohorts:emails_queue", args=[cohort.pk, "invitations"]), follow=True
    )
    assert "you may close this page" in response.text
    assert response.text.count('data-email-status="queued"') == 2
    assert "Show the latest" in response.text
    outbox.emails_send_batch(cohort=cohort)
    response = client.get(reverse("cohorts:outbox", args=[cohort.pk]))
    assert response.text.count('data-email-status="sent"') == 2
    assert 'data-email-status="queued"' not in response.text
    assert "Nothing is waiting to be sent." in response.text


# A new cohort's bank version ---------------------------------------------------------


def _bank_select(response) -> str:
    html = response.text
    start = html.index('name="bank_version"')
    return html[start : html.index("</select>", start)]


def test_the_only_published_version_is_chosen_already(client, hr_admin, bank_version):
    client.force_login(hr_admin)
    response = client.get(reverse("cohorts:create"))
    assert f'<option value="{bank_version.pk}" selected>' in _bank_select(response)


def test_with_two_published_versions_none_is_chosen_for_you(
    client, hr_admin, bank_version, bank_data
):
    from assessments.banks.services import bank_import

    data = json.loads(json.dumps(bank_data))
    data["version"]["number"] += 1
    bank_import(data=data)
    assert BankVersion.objects.published().count() == 2
    client.force_login(hr_admin)
    select = _bank_select(client.get(reverse("cohorts:create")))
    assert '<option value="" selected>' in select
    for version in BankVersion.objects.all():
        assert f'<option value="{version.pk}">' in select


def test_a_new_cohort_can_be_made_with_the_preselected_version(client, hr_admin, bank_version):
    teams_get_or_create(["Field sales"])
    client.force_login(hr_admin)
    form = client.get(reverse("cohorts:create")).context["form"]
    assert form["bank_version"].value() == bank_version.pk
    response = client.post(
        reverse("cohorts:create"),
        {
            "name": "Q3",
            "bank_version": form["bank_version"].value(),
            "min_group_size": 5,
            "new_teams": "Field sales",
        },
    )
    assert response.status_code == 302
    assert Cohort.objects.get(name="Q3").bank_version == bank_version


def test_each_page_of_people_is_in_name_order_with_each_persons_own_progress(
    client, hr_admin, cohort
):
    team = cohort.teams.first()
    people = add_people(cohort, team, 120)  # "person 0" .. "person 119"
    by_name = sorted(people, key=lambda person: (person.name, person.pk))
    send_invitations(cohort, hr_admin, people=[by_name[60]])
    complete(by_name[61])
    client.force_login(hr_admin)
    pages = {
        number: people_list(client, cohort, page=number).text
        for number in ("1", "2", "3", "x", "99")
    }
    for number, (first, last) in {"1": (0, 49), "2": (50, 99), "3": (100, 119)}.items():
        table = pages[number].split("participants-table")[1].split("</table>")[0]
        # Each row's header is the name, then (shown below md) the email and team.
        names = [row.split(" <span")[0] for row in table.split('<th scope="row">')[1:]]
        assert names == [person.name for person in by_name[first : last + 1]]
    page_two = pages["2"]
    invited = page_two.split(f'<th scope="row">{by_name[60].name} <span')[1].split("</tr>")[0]
    assert "Invited on" in invited and "Send invitation again" in invited
    done = page_two.split(f'<th scope="row">{by_name[61].name} <span')[1].split("</tr>")[0]
    assert "Completed" in done and "Remove" not in done
    assert "page 2 of 3" in page_two
    assert "page 1 of 3" in pages["x"]
    assert "page 3 of 3" in pages["99"]
