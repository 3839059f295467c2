"""Invitations and reminders by email: queued at once, sent by the task engine.

Queuing writes one row per email in one transaction (20,000 in well under a
second: bench/outbox.py) and, once it commits, enqueues the sending task
(``assessments.tasks.send_emails``). A worker (``manage.py db_worker``) sends
them in batches of BATCH_SIZE; no web request sends, and nobody has to keep a
page open. The outbox page shows how far it got.

Sending is idempotent whatever stops a worker. A batch is claimed in one
short transaction: up to BATCH_SIZE ready emails get the batch's claim and a
lease (SKIP LOCKED on PostgreSQL; SQLite has one writer at a time). Then, one
email at a time, one commit marks it *sending* and renews the lease, just
before it is handed to the mail server; the commit after the server took it
marks it *sent* (the same commit that marks the next one sending). Where a
worker can die, and what follows:

1. After the claim, before an email is marked sending: the email is only
   claimed. Once the lease has run out, the next run puts it back in the
   queue (``outbox_recover``), and it is sent once.
2. While the mail server has it (sending, not yet sent): nobody can know
   whether the server took it; SMTP has no way to ask afterwards. It is
   marked *interrupted*, shown on the outbox page, and sent again only if HR
   asks: sending it by itself could make two.
3. After the server took it, before *sent* is committed: the same as 2; the
   window is one commit long.
4. After the commit: nothing is lost. The people an email reached count as
   invited once their teams are counted again (``progress_count_sent``,
   every few seconds while a worker sends): an email marked sent and not
   yet counted stays marked so until a run counts it.

So a kill sends no email twice and loses none without saying so: at most
one email per worker can be left interrupted, for HR to decide.

A server that refuses for now (unreachable, a timeout, a 4xx answer) puts
the email back with a growing wait (``settings.OUTBOX_RETRY_DELAYS``); after
the last try, or at once for a permanent refusal (5xx: no such mailbox), it
is failed. HR can queue failed and interrupted emails again.

Each email is written in its reader's language (cohorts/emails.py): a
cohort's text once per language its people read, a manager's invitation in
the language the account with that address chose.
"""

import contextlib
import logging
import smtplib
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMessage, mailers
from django.db import connection, transaction
from django.db.models import Count, F, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from assessments.cohorts.emails import CohortText, cohort_text, email_language, email_locale
from assessments.cohorts.progress import progress_recount_people
from assessments.cohorts.selectors import LINK_KINDS, recipients
from assessments.cohorts.services import CohortError
from assessments.models import (
    Attempt,
    Cohort,
    ManagerInvitation,
    OutboundEmail,
    Participant,
    Preference,
)

logger = logging.getLogger(__name__)

BATCH_SIZE = 50
# One run of the sending task stops after this long and enqueues the next
# run, so that a worker takes the other jobs (a reminder due, say) between
# batches of a cohort's thousands.
RUN_SECONDS = 20
# How many runs a queuing enqueues: a run per this many emails, at most
# PARALLEL_RUNS (so at most that many workers send at once).
EMAILS_PER_RUN = 2000
PARALLEL_RUNS = 4
# The people a batch reached count as invited once their teams are counted
# again (cohorts/progress.py), which reads every person of those teams: 0.6 s
# for 20 teams of 1,000 on PostgreSQL. Counted at most this often while a
# run sends, and at its end.
COUNT_EVERY_SECONDS = 5
Kind = OutboundEmail.Kind
Status = OutboundEmail.Status
Priority = OutboundEmail.Priority
# Stored in English, as the record of what happened; the outbox page shows
# it in its reader's language.
INTERRUPTED_ERROR = gettext_noop(
    "The worker stopped while the mail server had this email: it may or may not have "
    "reached them. It is not sent again unless you ask."
)


def enqueue_send(emails: int = 1) -> None:
    """Have workers send what is waiting, once the caller's transaction
    commits (a worker that looked before then would find nothing): one run
    of the sending job for every EMAILS_PER_RUN emails, up to PARALLEL_RUNS,
    so that that many workers share a cohort's thousands (each run enqueues
    itself again while emails are left). Were this lost (the process dying
    between the commit and the enqueue), the scheduler's run every minute
    sends the emails anyway."""
    from assessments.tasks import send_emails

    for _run in range(min(PARALLEL_RUNS, 1 + emails // EMAILS_PER_RUN)):
        transaction.on_commit(send_emails.enqueue)


def _lease() -> timedelta:
    return timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)


# Queuing ---------------------------------------------------------------------------


def _recipients(cohort: Cohort, kind: str) -> QuerySet[Participant]:
    """Who the email would go to now (``selectors.recipients``); a reminder
    only to people who got fewer than the cohort's limit of reminders, by
    hand or on schedule (one that failed never reached them)."""
    people = recipients(cohort, kind)
    if kind != Kind.REMINDER:
        return people
    reminders = (
        OutboundEmail.objects.filter(participant=OuterRef("pk"), kind=Kind.REMINDER)
        .exclude(status=Status.FAILED)
        .order_by()
        .values("participant")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return people.annotate(
        reminders=Coalesce(Subquery(reminders, output_field=IntegerField()), 0)
    ).filter(reminders__lt=cohort.reminder_limit)


class Recipient(NamedTuple):
    """A person an email is queued for, as ``link_for`` gets them."""

    pk: int
    name: str
    email: str
    token: str
    team_name: str
    language: str


# The columns emails_queue writes; the others are empty until a worker sends.
_QUEUED_COLUMNS = (
    "kind",
    "status",
    "priority",
    "to",
    "subject",
    "body",
    "cohort_id",
    "participant_id",
    "queued_by_id",
    "queued_at",
    "next_attempt_at",
    "attempts",
    "claimed_by",
    "progress_counted",
    "error",
)


def _insert_queued(rows: list[tuple]) -> None:
    """Insert rows of ``_QUEUED_COLUMNS``: COPY on PostgreSQL, one prepared
    INSERT run for each row on SQLite.

    ``bulk_create`` builds a model instance per email and prepares each of
    its fields in Python: 20,000 invitations took 1.9 s of the 2 s request
    that queues them on SQLite (bench/outbox.py); this takes 0.1 s there. On
    PostgreSQL, INSERTs took 0.9 s, COPY 0.1 s."""
    quote = connection.ops.quote_name
    table = quote(OutboundEmail._meta.db_table)
    columns = ", ".join(quote(column) for column in _QUEUED_COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(_QUEUED_COLUMNS))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)  # noqa: S608


@transaction.atomic
def emails_queue(
    *,
    cohort: Cohort,
    kind: str,
    queued_by: User | None,
    link_for: Callable[[Recipient], str],
) -> int:
    """Queue invitations or reminders; ``link_for(recipient)`` makes each
    link. ``queued_by`` is None for the engine's scheduled reminders."""
    if not cohort.is_accepting():
        raise CohortError(_("Invitations and reminders go out only while the cohort is open."))
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)  # one queuing at a time
    texts: dict[str, CohortText] = {}  # by language: one rendering for each
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    by = queued_by.pk if queued_by is not None else None
    people = _recipients(cohort, kind).values_list(
        "pk", "name", "email", "token", "team__name", "language"
    )
    rows = []
    for person in map(Recipient._make, people):
        language = email_language(person.language)
        if language not in texts:
            texts[language] = cohort_text(cohort, kind, language)
        subject, body = texts[language].fill(
            name=person.name, team=person.team_name, link=link_for(person)
        )
        rows.append(
            (kind, Status.QUEUED, Priority.BULK, person.email, subject, body)
            + (cohort.pk, person.pk, by, now, now, 0, "", True, "")
        )
    if rows:
        _insert_queued(rows)
        enqueue_send(len(rows))
    return len(rows)


@transaction.atomic
def participant_invitation_queue(
    *, participant: Participant, queued_by: User, link: str
) -> OutboundEmail:
    """Queue one person's invitation again (or for the first time), ahead of
    any cohort's thousands: HR's answer to "I never got it"."""
    # The cohort's lock first, as starting an attempt and deleting one's data take it.
    cohort = Cohort.objects.select_for_update().get(pk=participant.cohort_id)
    participant = (
        Participant.objects.select_related("team").select_for_update().get(pk=participant.pk)
    )
    _refuse_invitation(cohort, participant)
    return _personal_link_queue(cohort, participant, link, queued_by=queued_by)


def _personal_link_queue(
    cohort: Cohort, participant: Participant, link: str, queued_by: User | None = None
) -> OutboundEmail:
    """One person's invitation with their link, ahead of any cohort's
    thousands, and a worker asked to send it."""
    subject, body = cohort_text(cohort, Kind.INVITATION, participant.language).fill(
        name=participant.name, team=participant.team.name, link=link
    )
    email = OutboundEmail.objects.create(
        kind=Kind.INVITATION,
        to=participant.email,
        subject=subject,
        body=body,
        cohort=cohort,
        participant=participant,
        queued_by=queued_by,
        priority=Priority.WAITED_FOR,
    )
    enqueue_send()
    return email


def _refuse_invitation(cohort: Cohort, participant: Participant) -> None:
    """Raise CohortError, with the person's reason, when no invitation may go out."""
    if participant.withdrawn_at is not None:
        raise CohortError(
            _(
                "This person deleted their data, and no email goes to them any more: "
                "nothing was queued."
            )
        )
    if cohort.status == Cohort.Status.CLOSED:
        raise CohortError(
            _("This cohort is closed and its links no longer work, so no invitation goes out.")
        )
    if not cohort.is_accepting():
        raise CohortError(_("Invitations and reminders go out only while the cohort is open."))
    if Attempt.objects.filter(participant=participant, status=Attempt.Status.SUBMITTED).exists():
        raise CohortError(
            _(
                "%(name)s has completed the assessment: there is nothing to invite them "
                "to, and nothing was queued."
            )
            % {"name": participant.name}
        )
    waiting = participant.emails.filter(
        kind=Kind.INVITATION, status__in=[Status.QUEUED, Status.SENDING]
    )
    if waiting.exists():
        raise CohortError(
            _(
                "An invitation to %(name)s is already waiting in the outbox: "
                "no second one was queued."
            )
            % {"name": participant.name}
        )


@transaction.atomic
def participant_link_send(*, participant: Participant, link: str) -> OutboundEmail:
    """Send one person their personal link (after joining by the open link):
    queued ahead of everything else, so a worker sends it within seconds."""
    participant = Participant.objects.select_related("cohort", "team").get(pk=participant.pk)
    return _personal_link_queue(participant.cohort, participant, link)


def manager_language(email: str) -> str:
    """The language a manager's invitation to ``email`` is written in: the
    one the account with that address chose, else the organisation's."""
    chosen = (
        Preference.objects.filter(user__email__iexact=email)
        .exclude(language="")
        .order_by("user_id")
        .values_list("language", flat=True)
        .first()
    )
    return email_language(chosen or "")


@transaction.atomic
def manager_invitation_send(
    *, invitation: ManagerInvitation, link: str, invited_by: User
) -> OutboundEmail:
    context = {"invitation": invitation, "link": link}
    with email_locale(manager_language(invitation.email)):
        subject = render_to_string("emails/manager_invitation_subject.txt", context).strip()
        body = render_to_string("emails/manager_invitation.txt", context)
    email = OutboundEmail.objects.create(
        kind=Kind.MANAGER_INVITATION,
        to=invitation.email,
        subject=subject,
        body=body,
        queued_by=invited_by,
        priority=Priority.WAITED_FOR,
    )
    enqueue_send()
    return email


@transaction.atomic
def emails_retry_failed(*, cohort: Cohort) -> int:
    """Queue the cohort's failed emails again, with their tries counted afresh."""
    return _queue_again(cohort.emails.filter(status=Status.FAILED))


@transaction.atomic
def emails_retry_interrupted(*, cohort: Cohort) -> int:
    """Send the interrupted emails again: HR's decision, since each may have
    reached its reader already."""
    return _queue_again(cohort.emails.filter(status=Status.INTERRUPTED))


def _queue_again(emails: QuerySet[OutboundEmail]) -> int:
    count = emails.update(
        status=Status.QUEUED,
        error="",
        attempts=0,
        next_attempt_at=timezone.now(),
        claimed_by="",
        claimed_until=None,
    )
    if count:
        enqueue_send(count)
    return count


# Sending ---------------------------------------------------------------------------


def ready(now: datetime) -> QuerySet[OutboundEmail]:
    """Emails a worker may claim now."""
    return OutboundEmail.objects.filter(
        status=Status.QUEUED, next_attempt_at__lte=now, claimed_until__isnull=True
    )


def outbox_recover(now: datetime | None = None) -> dict[str, int]:
    """Settle the claims of workers that stopped (their lease ran out):
    emails only claimed go back to the queue; an email the mail server may
    have had is marked interrupted."""
    now = now or timezone.now()
    with transaction.atomic():
        expired = OutboundEmail.objects.filter(
            status__in=[Status.QUEUED, Status.SENDING], claimed_until__lt=now
        )
        interrupted = expired.filter(status=Status.SENDING).update(
            status=Status.INTERRUPTED, claimed_until=None, error=INTERRUPTED_ERROR
        )
        requeued = expired.filter(status=Status.QUEUED).update(claimed_until=None)
    if interrupted:
        logger.warning("outbox: %d email(s) interrupted by a worker that stopped", interrupted)
    return {"requeued": requeued, "interrupted": interrupted}


def _claim(limit: int, cohort: Cohort | None, now: datetime) -> tuple[str, list[OutboundEmail]]:
    claim = uuid.uuid4().hex
    with transaction.atomic():
        batch = ready(now).order_by("priority", "next_attempt_at", "pk")
        if cohort is not None:
            batch = batch.filter(cohort=cohort)
        if connection.features.has_select_for_update_skip_locked:
            batch = batch.select_for_update(skip_locked=True)
        ids = list(batch.values_list("pk", flat=True)[:limit])
        OutboundEmail.objects.filter(pk__in=ids).update(
            claimed_by=claim, claimed_at=now, claimed_until=now + _lease()
        )
    emails = list(OutboundEmail.objects.filter(pk__in=ids).order_by("priority", "pk"))
    return claim, emails


def progress_count_sent() -> int:
    """Count again the teams of the people that sent emails reached since
    the last count (``progress_counted``), and mark those emails counted,
    in one transaction. A worker that stops before it counts leaves them
    uncounted, and the next run counts them. Returns how many emails."""
    with transaction.atomic():
        uncounted = list(
            OutboundEmail.objects.filter(status=Status.SENT, progress_counted=False).values_list(
                "pk", "participant_id"
            )
        )
        if uncounted:
            progress_recount_people({person for _, person in uncounted if person is not None})
            OutboundEmail.objects.filter(pk__in=[pk for pk, _ in uncounted]).update(
                progress_counted=True
            )
    return len(uncounted)


def emails_send_batch(*, cohort: Cohort | None = None, limit: int = BATCH_SIZE) -> int:
    """Claim up to ``limit`` ready emails (of one cohort, or any), send them
    and count their people's teams; returns how many ready ones are left (of
    that cohort, or in all)."""
    now = timezone.now()
    claim, emails = _claim(limit, cohort, now)
    if emails:
        _Batch(claim, emails).send()
        progress_count_sent()
    left = ready(timezone.now())
    return (left.filter(cohort=cohort) if cohort is not None else left).count()


def outbox_send(*, seconds: float = RUN_SECONDS) -> tuple[int, bool]:
    """What the sending task does: settle stopped workers' claims, then send
    batch after batch until none is ready or ``seconds`` have passed.
    Returns how many were handed to the mail server, and whether some are
    still ready."""
    outbox_recover()
    progress_count_sent()  # what a run that stopped did not count
    started = counted = time.monotonic()
    handed = 0
    try:
        while True:
            claim, emails = _claim(BATCH_SIZE, None, timezone.now())
            if not emails:
                return handed, False
            handed += _Batch(claim, emails).send()
            if time.monotonic() - counted > COUNT_EVERY_SECONDS:
                progress_count_sent()
                counted = time.monotonic()
            if time.monotonic() - started > seconds:
                return handed, ready(timezone.now()).exists()
    finally:
        progress_count_sent()


def _permanent(error: Exception) -> bool:
    """Whether the server refused for good (5xx), so that trying again is pointless."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    return isinstance(error, ValueError)  # an address the mail library cannot use


def _connection_lost(error: Exception) -> bool:
    """Whether the connection itself failed (every SMTP error is an OSError too)."""
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return True
    return isinstance(error, OSError) and not isinstance(error, smtplib.SMTPException)


def _message(email: OutboundEmail) -> EmailMessage:
    message = EmailMessage(email.subject, email.body, to=[email.to])
    # The same id however often it is sent: mail systems that see it twice
    # (HR sending an interrupted email again) can tell it is one message.
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].rstrip(">") or "localhost"
    message.extra_headers["Message-ID"] = (
        f"<outbox-{email.pk}-{email.queued_at:%Y%m%d%H%M%S}@{domain}>"
    )
    return message


class _Batch:
    """One claimed batch on its way through one connection to the mail server."""

    def __init__(self, claim: str, emails: list[OutboundEmail]) -> None:
        self.claim = claim
        self.emails = emails
        self.ids = [email.pk for email in emails]
        self.renewed = time.monotonic()
        # The outcome of the email handed over last, written in the commit
        # that marks the next one sending (or in the batch's last commit).
        self.pending: tuple[OutboundEmail, Exception | None] | None = None

    def mine(self) -> QuerySet[OutboundEmail]:
        """The batch's emails still under its claim (by primary key: a query
        by claim alone would read the whole table)."""
        return OutboundEmail.objects.filter(pk__in=self.ids, claimed_by=self.claim)

    def send(self) -> int:
        """Hand each email to the server; returns how many were handed over."""
        mailer = mailers.default
        try:
            mailer.open()
        except Exception as error:  # noqa: BLE001 - unreachable: the whole batch waits
            with transaction.atomic():
                for email in self.emails:
                    self._retry_or_fail(email, error, counted=True)
            return 0
        handed = 0
        try:
            for email in self.emails:
                if not self._start(email):
                    continue  # the lease ran out and another worker has it
                handed += 1
                try:
                    mailer.send_messages([_message(email)])
                except Exception as error:  # noqa: BLE001 - recorded on the email
                    self.pending = (email, error)
                    if _connection_lost(error):
                        break
                else:
                    self.pending = (email, None)
        finally:
            # The emails' outcomes are known already; a failed goodbye changes none.
            with contextlib.suppress(Exception):
                mailer.close()
            self._finish()
        return handed

    def _start(self, email: OutboundEmail) -> bool:
        """Settle the last email and mark this one sending, in one commit."""
        now = timezone.now()
        with transaction.atomic():
            self._settle_pending()
            started = OutboundEmail.objects.filter(
                pk=email.pk, claimed_by=self.claim, status=Status.QUEUED
            ).update(status=Status.SENDING, attempts=F("attempts") + 1)
            # The lease is renewed as the batch makes progress; a quarter of
            # it at a time is enough, and spares a statement per email.
            if time.monotonic() - self.renewed > settings.OUTBOX_LEASE_SECONDS / 4:
                self.mine().filter(status__in=[Status.QUEUED, Status.SENDING]).update(
                    claimed_until=now + _lease()
                )
                self.renewed = time.monotonic()
        if started:
            email.attempts += 1
        return bool(started)

    def _settle_pending(self) -> None:
        if self.pending is None:
            return
        email, error = self.pending
        self.pending = None
        if error is None:
            # Sent, even if a recovery meanwhile took it for interrupted:
            # the server's answer is the truth.
            OutboundEmail.objects.filter(
                pk=email.pk, claimed_by=self.claim, status__in=[Status.SENDING, Status.INTERRUPTED]
            ).update(
                status=Status.SENT,
                sent_at=timezone.now(),
                error="",
                claimed_until=None,
                # Its person counts as invited once their team is counted again.
                progress_counted=not (email.kind in LINK_KINDS and email.participant_id),
            )
        else:
            self._retry_or_fail(email, error, counted=False)

    def _retry_or_fail(self, email: OutboundEmail, error: Exception, *, counted: bool) -> None:
        """Back in the queue after a wait, or failed for good. ``counted``:
        the email was never marked sending, so this try is counted here."""
        attempts = email.attempts + (1 if counted else 0)
        delays = settings.OUTBOX_RETRY_DELAYS
        text = f"{type(error).__name__}: {error}"[:2000]
        mine = OutboundEmail.objects.filter(
            pk=email.pk, claimed_by=self.claim, status__in=[Status.QUEUED, Status.SENDING]
        )
        if _permanent(error) or attempts > len(delays):
            mine.update(status=Status.FAILED, attempts=attempts, error=text, claimed_until=None)
        else:
            mine.update(
                status=Status.QUEUED,
                attempts=attempts,
                error=text,
                next_attempt_at=timezone.now() + delays[attempts - 1],
                claimed_until=None,
            )

    def _finish(self) -> None:
        """The batch's last commit: the last outcome, and the emails it did
        not get to back in the queue."""
        with transaction.atomic():
            self._settle_pending()
            self.mine().filter(status=Status.QUEUED).exclude(claimed_until=None).update(
                claimed_until=None
            )


def outbox_counts(emails: QuerySet[OutboundEmail], now: datetime | None = None) -> dict[str, int]:
    """Counts by status, and how many of the queued wait for a retry."""
    now = now or timezone.now()
    counts = dict(
        emails.order_by().values_list("status").annotate(n=Count("*")).values_list("status", "n")
    )
    result = {status.value: counts.get(status, 0) for status in Status}
    result["retrying"] = emails.filter(
        status=Status.QUEUED, attempts__gt=0, next_attempt_at__gt=now
    ).count()
    return result


def stalled(emails: QuerySet[OutboundEmail], now: datetime | None = None) -> bool:
    """Whether one of these emails has been ready to go for two minutes and
    no worker has taken it: no worker runs, or every one is stuck."""
    now = now or timezone.now()
    return ready(now - timedelta(minutes=2)).filter(pk__in=emails.values("pk")).exists()
