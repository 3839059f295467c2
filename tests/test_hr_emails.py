"""Invitations and reminders: queued at once, sent by the task engine in
batches, each one recorded; retries with back-off; what a worker that stops
leaves behind. tests/test_worker.py runs the same with real worker processes."""

import smtplib
from datetime import timedelta

from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from assessments.cohorts import outbox
from assessments.models import Cohort, OutboundEmail, TeamProgress
from tests.helpers import add_people, complete

Status = OutboundEmail.Status
UNREACHABLE = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2},  # nothing listens there
    }
}


class RefusingBackend(LocmemBackend):
    """A mail server that says no such mailbox to every address."""

    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused({m.to[0]: (550, b"No such user") for m in messages})


def queue(cohort, hr_admin, kind: str = "invitation") -> int:
    return outbox.emails_queue(
        cohort=cohort, kind=kind, queued_by=hr_admin, link_for=lambda p: f"http://x/{p.pk}/"
    )


def test_queuing_writes_rows_and_the_engine_sends_them_once_committed(client, hr_admin, cohort):
    add_people(cohort, cohort.teams.first(), 7)
    client.force_login(hr_admin)
    with TestCase.captureOnCommitCallbacks() as enqueued:
        response = client.post(reverse("cohorts:emails_queue", args=[cohort.pk, "invitations"]))
    assert response.url == reverse("cohorts:outbox", args=[cohort.pk])
    # The request queued them and sent nothing itself.
    assert cohort.emails.filter(status=Status.QUEUED).count() == 7
    assert len(mail.outbox) == 0
    assert len(enqueued) == 1  # the sending task, enqueued once the queuing commits

    enqueued[0]()  # the task engine runs it (in tests, at once)
    assert cohort.emails.filter(status=Status.SENT).count() == 7
    assert len(mail.outbox) == 7
    message = mail.outbox[0]
    person = cohort.participants.get(email=message.to[0])
    assert f"/invite/{person.token}/" in message.body
    assert cohort.name in message.subject
    # A person the link reached counts as invited at once.
    assert TeamProgress.objects.get(cohort=cohort).invited == 7


def test_the_engine_sends_in_batches_and_says_what_is_left(hr_admin, cohort, monkeypatch):
    add_people(cohort, cohort.teams.first(), 7)
    queue(cohort, hr_admin)
    assert outbox.emails_send_batch(cohort=cohort, limit=3) == 4
    assert len(mail.outbox) == 3
    handed, more = outbox.outbox_send()
    assert (handed, more) == (4, False)
    assert sorted(m.to[0] for m in mail.outbox) == [f"person{i}@example.com" for i in range(7)]
    assert outbox.emails_send_batch(cohort=cohort) == 0  # nothing twice


def test_a_cohorts_thousands_are_shared_by_several_runs(hr_admin, cohort, monkeypatch):
    """One run of the sending job per EMAILS_PER_RUN, up to PARALLEL_RUNS:
    as many workers as there are runs send at once."""
    add_people(cohort, cohort.teams.first(), 7)
    monkeypatch.setattr(outbox, "EMAILS_PER_RUN", 2)
    with TestCase.captureOnCommitCallbacks() as enqueued:
        queue(cohort, hr_admin)
    assert len(enqueued) == outbox.PARALLEL_RUNS == 4
    for run in enqueued:
        run()
    assert sorted(m.to[0] for m in mail.outbox) == [f"person{i}@example.com" for i in range(7)]


def test_a_long_run_stops_and_leaves_the_rest_for_the_next(hr_admin, cohort, monkeypatch):
    add_people(cohort, cohort.teams.first(), 5)
    queue(cohort, hr_admin)
    monkeypatch.setattr(outbox, "BATCH_SIZE", 2)
    assert outbox.outbox_send(seconds=0) == (2, True)
    assert outbox.outbox_send() == (3, False)


def test_inviting_again_only_reaches_people_not_yet_invited(client, hr_admin, cohort):
    people = add_people(cohort, cohort.teams.first(), 2)
    client.force_login(hr_admin)
    client.post(reverse("cohorts:emails_queue", args=[cohort.pk, "invitations"]))
    add_people(cohort, cohort.teams.first(), 1, prefix="late")
    client.post(reverse("cohorts:emails_queue", args=[cohort.pk, "invitations"]))
    invited = list(cohort.emails.values_list("to", flat=True))
    assert sorted(invited) == sorted([p.email for p in people] + ["late0@example.com"])


def test_reminders_go_only_to_people_who_have_not_completed(client, hr_admin, cohort):
    done, pending, fresh = add_people(cohort, cohort.teams.first(), 3)
    complete(done)
    client.force_login(hr_admin)
    client.post(reverse("cohorts:emails_queue", args=[cohort.pk, "reminders"]))
    outbox.emails_send_batch(cohort=cohort)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([pending.email, fresh.email])
    assert all("reminder" in m.subject.lower() for m in mail.outbox)


def test_nobody_gets_more_reminders_than_the_cohorts_limit(hr_admin, cohort):
    ann, bob = add_people(cohort, cohort.teams.first(), 2)
    Cohort.objects.filter(pk=cohort.pk).update(reminder_limit=2)
    cohort.refresh_from_db()
    assert queue(cohort, hr_admin, "reminder") == 2
    # One of Bob's failed: it never reached him, so it does not count.
    cohort.emails.filter(participant=bob).update(status=Status.FAILED)
    assert queue(cohort, hr_admin, "reminder") == 2
    assert queue(cohort, hr_admin, "reminder") == 1  # Ann has had two
    assert queue(cohort, hr_admin, "reminder") == 0
    counts = {p.email: p.emails.exclude(status=Status.FAILED).count() for p in (ann, bob)}
    assert counts == {ann.email: 2, bob.email: 2}


def test_the_cohorts_own_reminder_text_goes_out(hr_admin, cohort):
    (ann,) = add_people(cohort, cohort.teams.first(), 1)
    Cohort.objects.filter(pk=cohort.pk).update(
        reminder_subject="{cohort}: {name}, a nudge",
        reminder_body="Dear {name} of {team},\n{link}\n{closing}\n{unknown} stays",
    )
    cohort.refresh_from_db()
    queue(cohort, hr_admin, "reminder")
    outbox.emails_send_batch()
    (message,) = mail.outbox
    assert message.subject == f"{cohort.name}: {ann.name}, a nudge"
    assert message.body.startswith(f"Dear {ann.name} of {ann.team.name},\nhttp://x/{ann.pk}/\n")
    assert "{unknown} stays" in message.body


def test_the_record_says_what_went_to_whom_and_when(hr_admin, cohort):
    person = add_people(cohort, cohort.teams.first(), 1)[0]
    queue(cohort, hr_admin)
    outbox.emails_send_batch(cohort=cohort)
    record = OutboundEmail.objects.get()
    assert (record.to, record.participant, record.kind) == (person.email, person, "invitation")
    assert record.status == Status.SENT and record.sent_at is not None
    assert record.queued_by == hr_admin
    assert record.attempts == 1
    # The message id is the email's own: a second sending would carry the same.
    assert mail.outbox[0].extra_headers["Message-ID"].startswith(f"<outbox-{record.pk}-")


def test_an_unreachable_server_is_tried_again_later_then_the_email_fails(
    client, hr_admin, cohort, settings
):
    add_people(cohort, cohort.teams.first(), 2)
    queue(cohort, hr_admin)
    settings.MAILERS = UNREACHABLE
    for attempt, delay in enumerate(settings.OUTBOX_RETRY_DELAYS, start=1):
        before = timezone.now()
        outbox.emails_send_batch(cohort=cohort)
        for email in cohort.emails.all():
            assert (email.status, email.attempts) == (Status.QUEUED, attempt)
            assert "Error" in email.error
            assert before + delay <= email.next_attempt_at <= timezone.now() + delay
        # Not before its time: no worker takes it now.
        assert outbox.emails_send_batch(cohort=cohort) == 0
        assert cohort.emails.filter(attempts=attempt + 1).count() == 0
        cohort.emails.update(next_attempt_at=timezone.now())  # the wait is over
    outbox.emails_send_batch(cohort=cohort)
    assert cohort.emails.filter(status=Status.FAILED).count() == 2
    assert len(mail.outbox) == 0

    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    client.force_login(hr_admin)
    response = client.post(reverse("cohorts:outbox_retry", args=[cohort.pk]), follow=True)
    assert "2 failed emails are queued again." in response.text
    assert cohort.emails.filter(status=Status.QUEUED, attempts=0, error="").count() == 2
    outbox.emails_send_batch(cohort=cohort)
    assert len(mail.outbox) == 2


def test_a_refused_address_fails_at_once(hr_admin, cohort, settings):
    add_people(cohort, cohort.teams.first(), 1)
    queue(cohort, hr_admin)
    settings.MAILERS = {"default": {"BACKEND": "tests.test_hr_emails.RefusingBackend"}}
    outbox.emails_send_batch(cohort=cohort)
    email = cohort.emails.get()
    assert (email.status, email.attempts) == (Status.FAILED, 1)
    assert "No such user" in email.error


def test_what_a_stopped_worker_left_is_settled_and_nothing_goes_twice(client, hr_admin, cohort):
    """A worker claimed five emails, sent one, was handing the second to the
    mail server, and died: its lease runs out."""
    add_people(cohort, cohort.teams.first(), 5)
    queue(cohort, hr_admin)
    past = timezone.now() - timedelta(seconds=1)
    sent, in_flight, *claimed = cohort.emails.order_by("pk")
    cohort.emails.update(claimed_by="dead", claimed_at=past, claimed_until=past)
    # Sent, and its person's team not yet counted again when it died.
    OutboundEmail.objects.filter(pk=sent.pk).update(
        status=Status.SENT, sent_at=past, attempts=1, progress_counted=False
    )
    OutboundEmail.objects.filter(pk=in_flight.pk).update(status=Status.SENDING, attempts=1)
    # Before the lease runs out, nobody touches them.
    cohort.emails.update(claimed_until=timezone.now() + timedelta(minutes=1))
    assert outbox.outbox_recover() == {"requeued": 0, "interrupted": 0}
    assert outbox.emails_send_batch() == 0
    cohort.emails.update(claimed_until=past)

    assert outbox.outbox_recover() == {"requeued": 3, "interrupted": 1}
    assert outbox.outbox_send() == (3, False)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(e.to for e in claimed)
    # The one sent before the death counts as invited too, though its worker
    # died before counting it.
    assert TeamProgress.objects.get(cohort=cohort).invited == 4
    in_flight.refresh_from_db()
    assert in_flight.status == Status.INTERRUPTED and "may or may not" in in_flight.error

    # HR decides to send it again.
    client.force_login(hr_admin)
    client.post(reverse("cohorts:outbox_retry", args=[cohort.pk]), {"emails": "interrupted"})
    outbox.emails_send_batch()
    assert [m.to[0] for m in mail.outbox].count(in_flight.to) == 1
    assert cohort.emails.filter(status=Status.SENT).count() == 5


def test_someone_waiting_for_their_link_goes_before_a_cohorts_thousands(hr_admin, cohort):
    add_people(cohort, cohort.teams.first(), 3)
    queue(cohort, hr_admin)
    (late,) = add_people(cohort, cohort.teams.first(), 1, prefix="joiner")
    outbox.participant_link_send(participant=late, link="http://x/late/")
    outbox.emails_send_batch(limit=1)
    assert [m.to for m in mail.outbox] == [[late.email]]


def test_nothing_is_queued_while_the_cohort_is_a_draft(client, hr_admin, cohort):
    Cohort.objects.filter(pk=cohort.pk).update(status=Cohort.Status.DRAFT)
    add_people(cohort, cohort.teams.first(), 2)
    client.force_login(hr_admin)
    response = client.post(
        reverse("cohorts:emails_queue", args=[cohort.pk, "invitations"]), follow=True
    )
    assert "only while the cohort is open" in response.text
    assert not OutboundEmail.objects.exists()
