"""Invitations and reminders: queued at once, sent in batches, each one recorded."""

from django.core import mail
from django.urls import reverse

from assessments.cohorts import outbox
from assessments.models import OutboundEmail
from tests.helpers import add_people, complete


def test_invitations_are_queued_then_sent_in_batches(client, hr_admin, cohort, monkeypatch):
    add_people(cohort, cohort.teams.first(), 7)
    monkeypatch.setattr(outbox, "BATCH_SIZE", 3)
    monkeypatch.setattr(outbox.emails_send_batch, "__kwdefaults__", {"limit": 3})
    client.force_login(hr_admin)
    response = client.post(reverse("cohorts:emails_queue", args=[cohort.pk, "invitations"]))
    assert response.url == reverse("cohorts:outbox", args=[cohort.pk])
    assert cohort.emails.filter(status=OutboundEmail.Status.QUEUED).count() == 7
    assert len(mail.outbox) == 0

    send = reverse("cohorts:outbox_send", args=[cohort.pk])
    first = client.post(send, HTTP_ACCEPT="application/json").json()
    assert first["sent"] == 3 and first["left"] == 4
    client.post(send, HTTP_ACCEPT="application/json")
    last = client.post(send, HTTP_ACCEPT="application/json").json()
    counts = {key: last[key] for key in ("queued", "sent", "failed", "left")}
    assert counts == {"queued": 0, "sent": 7, "failed": 0, "left": 0}
    # The page redraws its table from the emails the answer carries.
    assert [row["status"] for row in last["emails"]] == ["sent"] * 7
    assert len(mail.outbox) == 7
    message = mail.outbox[0]
    person = cohort.participants.get(email=message.to[0])
    assert f"/invite/{person.token}/" in message.body
    assert cohort.name in message.subject


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


def test_the_record_says_what_went_to_whom_and_when(hr_admin, cohort):
    person = add_people(cohort, cohort.teams.first(), 1)[0]
    outbox.emails_queue(
        cohort=cohort, kind="invitation", queued_by=hr_admin, link_for=lambda p: "http://x/"
    )
    outbox.emails_send_batch(cohort=cohort)
    record = OutboundEmail.objects.get()
    assert (record.to, record.participant, record.kind) == (person.email, person, "invitation")
    assert record.status == OutboundEmail.Status.SENT and record.sent_at is not None
    assert record.queued_by == hr_admin


def test_a_failed_send_is_recorded_and_can_be_retried(client, hr_admin, cohort, settings):
    add_people(cohort, cohort.teams.first(), 2)
    outbox.emails_queue(
        cohort=cohort, kind="invitation", queued_by=hr_admin, link_for=lambda p: "http://x/"
    )
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2},
        }
    }
    outbox.emails_send_batch(cohort=cohort)
    assert cohort.emails.filter(status=OutboundEmail.Status.FAILED).count() == 2
    assert "Error" in cohort.emails.first().error
    client.force_login(hr_admin)
    client.post(reverse("cohorts:outbox_retry", args=[cohort.pk]))
    assert cohort.emails.filter(status=OutboundEmail.Status.QUEUED).count() == 2


def test_nothing_is_queued_while_the_cohort_is_a_draft(client, hr_admin, cohort):
    from assessments.models import Cohort

    Cohort.objects.filter(pk=cohort.pk).update(status=Cohort.Status.DRAFT)
    add_people(cohort, cohort.teams.first(), 2)
    client.force_login(hr_admin)
    response = client.post(
        reverse("cohorts:emails_queue", args=[cohort.pk, "invitations"]), follow=True
    )
    assert "only while the cohort is open" in response.text
    assert not OutboundEmail.objects.exists()
