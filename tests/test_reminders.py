"""Scheduled reminders: the task engine sends them at the times HR chose,
only to people who have not completed, once; HR sets them, with their text
and a preview, on the cohort's reminders page. The clock is the test's."""

from datetime import UTC, datetime, time, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from assessments import tasks
from assessments.cohorts import reminders
from assessments.cohorts.emails import DEFAULT_REMINDER_BODY
from assessments.models import Cohort, OutboundEmail, ScheduledReminder
from tests.helpers import add_people, complete

CLOSES = datetime(2027, 3, 31, 18, 0, tzinfo=UTC)


@pytest.fixture
def clock(monkeypatch):
    """Sets the time everything reads (``timezone.now``) to what the test says."""

    def at(moment: datetime) -> None:
        monkeypatch.setattr(timezone, "now", lambda: moment)

    at(datetime(2027, 3, 1, 12, 0, tzinfo=UTC))
    return at


def schedule(cohort: Cohort, days: list[int], at: time = time(9, 0), **settings) -> Cohort:
    fields = {
        "reminder_limit": cohort.reminder_limit,
        "reminder_subject": "",
        "reminder_body": "",
        "retention_months": cohort.retention_months,
        "retention_action": cohort.retention_action,
        **settings,
    }
    return reminders.cohort_schedule_update(
        cohort=cohort, days_before=days, reminder_time=at, **fields
    )


def run_the_engine() -> None:
    """What the scheduler's minute does: both jobs, through the task engine."""
    tasks.send_due_reminders.enqueue()
    tasks.send_emails.enqueue()


def reminded() -> list[str]:
    return sorted(message.to[0] for message in mail.outbox)


@pytest.fixture
def closing(cohort) -> Cohort:
    Cohort.objects.filter(pk=cohort.pk).update(closes_at=CLOSES)
    cohort.refresh_from_db()
    return cohort


def test_reminders_go_at_the_chosen_times_only_to_people_who_have_not_completed(closing, clock):
    ann, bob, cy = add_people(closing, closing.teams.first(), 3)
    complete(cy)
    schedule(closing, [3, 0])

    clock(datetime(2027, 3, 28, 8, 59, tzinfo=UTC))
    run_the_engine()
    assert reminded() == []
    clock(datetime(2027, 3, 28, 9, 0, tzinfo=UTC))  # three days before the last day, at 9
    run_the_engine()
    assert reminded() == sorted([ann.email, bob.email])
    bodies = {message.to[0]: message.body for message in mail.outbox}
    assert all(f"/invite/{p.token}/" in bodies[p.email] for p in (ann, bob))
    clock(datetime(2027, 3, 28, 9, 1, tzinfo=UTC))
    run_the_engine()  # once only
    assert len(mail.outbox) == 2

    complete(bob)
    mail.outbox.clear()
    clock(datetime(2027, 3, 31, 8, 59, tzinfo=UTC))
    run_the_engine()
    assert reminded() == []
    clock(datetime(2027, 3, 31, 9, 0, tzinfo=UTC))  # the last day
    run_the_engine()
    assert reminded() == [ann.email]
    done = {r.days_before: (r.queued, r.outcome) for r in closing.scheduled_reminders.all()}
    assert done == {3: (2, ""), 0: (1, "")}
    assert OutboundEmail.objects.filter(kind="reminder", queued_by=None).count() == 3


def test_the_reminders_move_with_the_close(closing, clock):
    (ann,) = add_people(closing, closing.teams.first(), 1)
    schedule(closing, [1])
    Cohort.objects.filter(pk=closing.pk).update(closes_at=CLOSES + timedelta(days=7))
    clock(datetime(2027, 3, 30, 9, 0, tzinfo=UTC))  # one day before the old close
    run_the_engine()
    assert reminded() == []
    clock(datetime(2027, 4, 6, 9, 0, tzinfo=UTC))
    run_the_engine()
    assert reminded() == [ann.email]


def test_a_run_that_comes_late_sends_one_reminder_not_every_one_missed(closing, clock):
    (ann,) = add_people(closing, closing.teams.first(), 1)
    schedule(closing, [7, 3])
    clock(datetime(2027, 3, 28, 10, 0, tzinfo=UTC))  # no worker ran for a week
    run_the_engine()
    assert reminded() == [ann.email]
    outcomes = {r.days_before: r.outcome for r in closing.scheduled_reminders.all()}
    assert outcomes == {7: "Not sent: a later reminder was due at the same time.", 3: ""}


def test_a_cohort_that_is_not_open_when_a_reminder_comes_due_gets_none(closing, clock):
    add_people(closing, closing.teams.first(), 1)
    schedule(closing, [3])
    Cohort.objects.filter(pk=closing.pk).update(status=Cohort.Status.DRAFT)
    clock(datetime(2027, 3, 28, 9, 0, tzinfo=UTC))
    run_the_engine()
    assert reminded() == []
    (reminder,) = closing.scheduled_reminders.all()
    assert reminder.outcome == "Not sent: the cohort was not open then."


def test_the_last_day_of_a_cohort_closing_at_midnight_is_the_day_before(closing):
    closing.closes_at = datetime(2027, 4, 1, 0, 0, tzinfo=UTC)
    assert reminders.reminder_due_at(closing, 0) == datetime(2027, 3, 31, 9, 0, tzinfo=UTC)
    closing.closes_at = datetime(2027, 3, 31, 8, 0, tzinfo=UTC)
    assert reminders.reminder_problem(closing, 0) == "It would come after the cohort closes."
    closing.closes_at = None
    assert reminders.reminder_due_at(closing, 0) is None


def test_without_the_sites_address_a_due_reminder_waits(closing, clock, settings):
    add_people(closing, closing.teams.first(), 1)
    schedule(closing, [3])
    settings.SITE_URL = ""
    clock(datetime(2027, 3, 28, 9, 0, tzinfo=UTC))
    with pytest.raises(reminders.CohortError, match="DJANGO_SITE_URL"):
        reminders.reminders_send_due()
    assert closing.scheduled_reminders.get().done_at is None
    settings.SITE_URL = "https://spectrum.example.org"
    assert reminders.reminders_send_due() == 1
    assert "https://spectrum.example.org/invite/" in OutboundEmail.objects.get().body


# The reminders page ---------------------------------------------------------------


def page(cohort) -> str:
    return reverse("cohorts:schedule", args=[cohort.pk])


def form(cohort, **changes) -> dict[str, str]:
    return {
        "days_before": "3, 0",
        "reminder_time": "09:30",
        "reminder_limit": "2",
        "reminder_subject": "Still open: {cohort}",
        "reminder_body": "Hi {name}, {link} {closing}",
        "retention_months": "18",
        "retention_action": "delete",
        **changes,
    }


def test_hr_schedules_reminders_with_their_own_text(hr_client, closing):
    response = hr_client.get(page(closing))
    # The default text to start from, and a preview for a made-up person.
    assert DEFAULT_REMINDER_BODY.split("\n")[0] in response.text
    assert "Hello Alex Example," in response.context["preview"]["body"]

    response = hr_client.post(page(closing), form(closing))
    assert response.url == page(closing)
    closing.refresh_from_db()
    assert (closing.reminder_time, closing.reminder_limit) == (time(9, 30), 2)
    assert closing.reminder_subject == "Still open: {cohort}"
    assert (closing.retention_months, closing.retention_action) == (18, "delete")
    assert sorted(closing.scheduled_reminders.values_list("days_before", flat=True)) == [0, 3]
    text = hr_client.get(page(closing)).text
    assert "31 Mar 2027 09:30" in text and "28 Mar 2027 09:30" in text


def test_the_preview_shows_the_text_as_written_and_saves_nothing(hr_client, closing):
    response = hr_client.post(page(closing), {**form(closing), "preview": "1"})
    assert response.status_code == 200
    preview = response.context["preview"]
    assert preview["subject"] == f"Still open: {closing.name}"
    assert preview["body"].startswith("Hi Alex Example, http")
    assert "It closes on 31 March 2027, 18:00." in preview["body"]
    assert not ScheduledReminder.objects.exists()
    assert Cohort.objects.get(pk=closing.pk).reminder_subject == ""


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"reminder_body": "Hi {name}"}, "The text needs {link}"),
        ({"reminder_subject": "{surname}"}, "{surname} stands for nothing"),
        ({"days_before": "3, x"}, "is not a number of days"),
        ({"days_before": "1,2,3,4,5,6"}, "At most 5 scheduled reminders"),
        ({"reminder_time": "19:00", "days_before": "0"}, "after the cohort closes"),
        ({"retention_months": "0"}, "greater than or equal to 1"),
    ],
)
def test_the_page_refuses_what_could_not_work(hr_client, closing, changes, error):
    response = hr_client.post(page(closing), form(closing, **changes))
    assert response.status_code == 200
    assert error in response.text
    assert not ScheduledReminder.objects.exists()


def test_reminders_need_a_closing_time(hr_client, cohort):
    response = hr_client.post(page(cohort), form(cohort))
    assert "The cohort has no closing time" in response.text
    assert hr_client.post(page(cohort), form(cohort, days_before="")).status_code == 302


def test_a_closed_cohorts_reminders_stay_and_its_retention_can_change(hr_client, closing):
    schedule(closing, [3])
    Cohort.objects.filter(pk=closing.pk).update(status=Cohort.Status.CLOSED)
    response = hr_client.post(page(closing), form(closing, days_before="5"))
    assert response.status_code == 302  # the disabled fields keep their values
    closing.refresh_from_db()
    assert list(closing.scheduled_reminders.values_list("days_before", flat=True)) == [3]
    assert (closing.retention_months, closing.retention_action) == (18, "delete")
    with pytest.raises(reminders.CohortError, match="closed"):
        schedule(closing, [5])


def test_the_page_is_for_hr_admins_only(client, closing, participant, manager):
    assert client.get(page(closing)).status_code == 302  # to sign in
    for user in (participant, manager):
        client.force_login(user)
        assert client.get(page(closing)).status_code == 403
        assert client.post(page(closing), form(closing)).status_code == 403
    assert not ScheduledReminder.objects.exists()
