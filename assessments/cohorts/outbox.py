"""Invitations and reminders by email, sent in batches from an outbox.

Queuing writes one row per email in a single transaction, which takes well
under a second for thousands of people. Sending happens in batches of
BATCH_SIZE, one web request each: the outbox page shows progress and asks for
the next batch until none is left (by itself when JavaScript runs, by a
button when it does not). So no request holds a connection for minutes, no
worker process has to be deployed and watched, and any app server can carry
on a batch another started: the outbox lives in the database, and on
PostgreSQL rows are claimed with SKIP LOCKED so two tabs never send the same
email twice.
"""

from datetime import timedelta

from django.contrib.auth.models import User
from django.core.mail import EmailMessage, mailers
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from assessments.cohorts.progress import progress_recount_people
from assessments.cohorts.selectors import LINK_KINDS, queued, recipients
from assessments.cohorts.services import CohortError
from assessments.models import Attempt, Cohort, ManagerInvitation, OutboundEmail, Participant

BATCH_SIZE = 50
CLAIM_TIMEOUT = timedelta(minutes=10)
Kind = OutboundEmail.Kind


def _participant_email(kind: str, participant: Participant, link: str) -> tuple[str, str]:
    context = {"participant": participant, "cohort": participant.cohort, "link": link}
    subject = render_to_string(f"emails/{kind}_subject.txt", context).strip()
    return subject, render_to_string(f"emails/{kind}.txt", context)


@transaction.atomic
def emails_queue(*, cohort: Cohort, kind: str, queued_by: User, link_for) -> int:
    """Queue invitations or reminders; ``link_for(participant)`` makes each link."""
    if not cohort.is_accepting():
        raise CohortError("Invitations and reminders go out only while the cohort is open.")
    Cohort.objects.select_for_update().get(pk=cohort.pk)  # one queuing at a time
    emails = []
    for participant in recipients(cohort, kind).select_related("cohort"):
        emails.append(_email(kind, participant, link_for(participant), queued_by))
    OutboundEmail.objects.bulk_create(emails, batch_size=500)
    return len(emails)


@transaction.atomic
def participant_invitation_queue(
    *, participant: Participant, queued_by: User, link: str
) -> OutboundEmail:
    """Queue one person's invitation again (or for the first time), for the
    outbox to send: HR's answer to "I never got it"."""
    # The cohort's lock first, as starting an attempt and deleting one's data take it.
    cohort = Cohort.objects.select_for_update().get(pk=participant.cohort_id)
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    _refuse_invitation(cohort, participant)
    email = _email(Kind.INVITATION, participant, link, queued_by)
    email.save()
    return email


def _email(kind: str, participant: Participant, link: str, queued_by: User) -> OutboundEmail:
    """One person's email with their link, not yet stored."""
    subject, body = _participant_email(kind, participant, link)
    return OutboundEmail(
        kind=kind,
        to=participant.email,
        subject=subject,
        body=body,
        cohort_id=participant.cohort_id,
        participant=participant,
        queued_by=queued_by,
    )


def _refuse_invitation(cohort: Cohort, participant: Participant) -> None:
    """Raise CohortError, with the person's reason, when no invitation may go out."""
    if participant.withdrawn_at is not None:
        raise CohortError(
            "This person deleted their data, and no email goes to them any more: "
            "nothing was queued."
        )
    if cohort.status == Cohort.Status.CLOSED:
        raise CohortError(
            "This cohort is closed and its links no longer work, so no invitation goes out."
        )
    if not cohort.is_accepting():
        raise CohortError("Invitations and reminders go out only while the cohort is open.")
    if Attempt.objects.filter(participant=participant, status=Attempt.Status.SUBMITTED).exists():
        raise CohortError(
            f"{participant.name} has completed the assessment: there is nothing to invite them "
            "to, and nothing was queued."
        )
    waiting = participant.emails.filter(
        kind=Kind.INVITATION, status__in=[OutboundEmail.Status.QUEUED, OutboundEmail.Status.SENDING]
    )
    if waiting.exists():
        raise CohortError(
            f"An invitation to {participant.name} is already waiting in the outbox: "
            "no second one was queued."
        )


def emails_send_batch(*, cohort: Cohort, limit: int = BATCH_SIZE) -> int:
    """Send up to ``limit`` queued emails of a cohort; returns how many are left.

    Emails are claimed in a short transaction and sent outside it, so a slow
    mail server holds no database lock; a claim older than CLAIM_TIMEOUT
    (a server that died mid-batch) goes back to the queue.
    """
    now = timezone.now()
    with transaction.atomic():
        cohort.emails.filter(
            status=OutboundEmail.Status.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT
        ).update(status=OutboundEmail.Status.QUEUED)
        batch = queued(cohort).order_by("pk")
        if connection.features.has_select_for_update_skip_locked:
            batch = batch.select_for_update(skip_locked=True)
        ids = list(batch.values_list("pk", flat=True)[:limit])
        OutboundEmail.objects.filter(pk__in=ids).update(
            status=OutboundEmail.Status.SENDING, claimed_at=now
        )
    if ids:
        _send(list(OutboundEmail.objects.filter(pk__in=ids).order_by("pk")))
    return queued(cohort).count()


def _failed(email: OutboundEmail, error: Exception) -> None:
    email.status = OutboundEmail.Status.FAILED
    email.error = f"{type(error).__name__}: {error}"[:2000]


def _send(emails: list[OutboundEmail]) -> None:
    """Send over one connection; every failure is recorded on its email, not raised."""
    mailer = mailers.default
    try:
        mailer.open()
    except Exception as error:  # noqa: BLE001 - the server is unreachable: all fail
        for email in emails:
            _failed(email, error)
    else:
        try:
            for email in emails:
                try:
                    mailer.send_messages([EmailMessage(email.subject, email.body, to=[email.to])])
                except Exception as error:  # noqa: BLE001
                    _failed(email, error)
                else:
                    email.status = OutboundEmail.Status.SENT
                    email.sent_at = timezone.now()
        finally:
            mailer.close()
    OutboundEmail.objects.bulk_update(emails, ["status", "sent_at", "error"])
    # A person's link reaching them makes them invited.
    progress_recount_people(
        email.participant_id
        for email in emails
        if email.status == OutboundEmail.Status.SENT
        and email.kind in LINK_KINDS
        and email.participant_id is not None
    )


@transaction.atomic
def emails_retry_failed(*, cohort: Cohort) -> int:
    return cohort.emails.filter(status=OutboundEmail.Status.FAILED).update(
        status=OutboundEmail.Status.QUEUED, error=""
    )


def participant_link_send(*, participant: Participant, link: str) -> OutboundEmail:
    """Send one person their personal link now (after joining by the open link)."""
    subject, body = _participant_email(Kind.INVITATION, participant, link)
    with transaction.atomic():
        email = OutboundEmail.objects.create(
            kind=Kind.INVITATION,
            to=participant.email,
            subject=subject,
            body=body,
            cohort=participant.cohort,
            participant=participant,
            status=OutboundEmail.Status.SENDING,
            claimed_at=timezone.now(),
        )
    _send([email])
    return email


def manager_invitation_send(
    *, invitation: ManagerInvitation, link: str, invited_by: User
) -> OutboundEmail:
    context = {"invitation": invitation, "link": link}
    with transaction.atomic():
        email = OutboundEmail.objects.create(
            status=OutboundEmail.Status.SENDING,
            claimed_at=timezone.now(),
            kind=Kind.MANAGER_INVITATION,
            to=invitation.email,
            subject=render_to_string("emails/manager_invitation_subject.txt", context).strip(),
            body=render_to_string("emails/manager_invitation.txt", context),
            queued_by=invited_by,
        )
    _send([email])
    return email
