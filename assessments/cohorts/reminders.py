"""Scheduled reminders: some days before a cohort closes, at a time of day
HR chooses, to everyone who has not completed.

A reminder's time is worked out from the cohort's closing time whenever it
is read, so moving the close moves the reminders. The task engine looks for
due reminders every minute (``assessments.tasks.send_due_reminders``) and
queues each one once: the reminder's row is locked and marked done in the
transaction that queues its emails, so two workers, or a run after a crash,
never queue it twice. A run that comes late (no worker for an hour) still
queues what became due meanwhile, but only the latest of a cohort's due
reminders: nobody gets two reminders at once.

What became of each reminder is recorded in English (``ScheduledReminder.outcome``),
as a record independent of who ran it; ``outcome_text`` shows it in the
reader's language.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from assessments.cohorts import outbox
from assessments.cohorts.services import CohortError
from assessments.models import Cohort, OutboundEmail, ScheduledReminder

MAX_REMINDERS = 5
MAX_DAYS_BEFORE = 90
# How a reminder that did not go is recorded: this, then the reason.
NOT_SENT = "Not sent: "
LATER_REMINDER_DUE = gettext_noop("a later reminder was due at the same time.")
NOT_OPEN_THEN = gettext_noop("the cohort was not open then.")
NOBODY_NEEDED = gettext_noop("Nobody needed a reminder.")


def reminder_due_at(cohort: Cohort, days_before: int) -> datetime | None:
    """When a reminder ``days_before`` the close goes: that many days before
    the cohort's last day (the day it closes, in the site's time zone), at
    its reminder time. None without a closing time."""
    if cohort.closes_at is None:
        return None
    zone = timezone.get_default_timezone()
    # A cohort that closes at midnight has the day before as its last day.
    last_day = timezone.localtime(cohort.closes_at - timedelta(microseconds=1), zone).date()
    return datetime.combine(last_day - timedelta(days=days_before), cohort.reminder_time, zone)


def reminder_problem(cohort: Cohort, days_before: int) -> str:
    """Why a reminder could never go, in the active language, or an empty string."""
    due = reminder_due_at(cohort, days_before)
    if due is None:
        return _("The cohort has no closing time, so no reminder can be timed before it.")
    if cohort.closes_at is not None and due >= cohort.closes_at:
        return _("It would come after the cohort closes.")
    if cohort.opens_at is not None and due < cohort.opens_at:
        return _("It would come before the cohort opens.")
    return ""


def outcome_text(outcome: str) -> str:
    """A reminder's outcome, recorded in English, in the active language."""
    reason = outcome.removeprefix(NOT_SENT)
    if not reason:
        return outcome
    if reason != outcome:
        return _("Not sent: %(reason)s") % {"reason": _(reason)}
    return _(outcome)


@transaction.atomic
def cohort_schedule_update(
    *,
    cohort: Cohort,
    days_before: Iterable[int],
    reminder_time: time,
    reminder_limit: int,
    reminder_subject: str,
    reminder_body: str,
    retention_months: int,
    retention_action: str,
) -> Cohort:
    """Change a cohort's reminders and retention rule.

    Reminders change until the cohort closes; reminders already sent stay
    as the record of what went. The retention rule changes until it has
    been applied, closed cohorts included."""
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    if cohort.retained_at is not None:
        raise CohortError(
            _("The retention rule has been applied to this cohort: nothing changes now.")
        )
    days = sorted(set(days_before), reverse=True)
    reminders_change = days != list(
        cohort.scheduled_reminders.filter(done_at__isnull=True).values_list(
            "days_before", flat=True
        )
    ) or (reminder_time, reminder_limit, reminder_subject, reminder_body) != (
        cohort.reminder_time,
        cohort.reminder_limit,
        cohort.reminder_subject,
        cohort.reminder_body,
    )
    if reminders_change and cohort.status == Cohort.Status.CLOSED:
        raise CohortError(_("This cohort is closed: its reminders can no longer change."))
    cohort.reminder_time = reminder_time
    cohort.reminder_limit = reminder_limit
    cohort.reminder_subject = reminder_subject
    cohort.reminder_body = reminder_body
    cohort.retention_months = retention_months
    cohort.retention_action = retention_action
    cohort.save(
        update_fields=[
            "reminder_time",
            "reminder_limit",
            "reminder_subject",
            "reminder_body",
            "retention_months",
            "retention_action",
        ]
    )
    done = set(
        cohort.scheduled_reminders.filter(done_at__isnull=False).values_list(
            "days_before", flat=True
        )
    )
    cohort.scheduled_reminders.filter(done_at__isnull=True).delete()
    ScheduledReminder.objects.bulk_create(
        [ScheduledReminder(cohort=cohort, days_before=day) for day in days if day not in done]
    )
    return cohort


def _link(person: outbox.Recipient) -> str:
    return settings.SITE_URL + reverse("links:invitation", args=[person.token])


def reminders_send_due(*, now: datetime | None = None) -> int:
    """Queue every scheduled reminder that is due; returns how many emails."""
    now = now or timezone.now()
    pending = ScheduledReminder.objects.filter(
        done_at__isnull=True, cohort__closes_at__isnull=False, cohort__retained_at__isnull=True
    ).select_related("cohort")
    due: dict[int, list[int]] = defaultdict(list)
    for reminder in pending:
        moment = reminder_due_at(reminder.cohort, reminder.days_before)
        if moment is not None and moment <= now:
            due[reminder.cohort_id].append(reminder.pk)
    return sum(_send(cohort_id, ids, now) for cohort_id, ids in sorted(due.items()))


@transaction.atomic
def _send(cohort_id: int, reminder_ids: list[int], now: datetime) -> int:
    """Queue the latest of a cohort's due reminders; mark the others done."""
    reminders = list(
        ScheduledReminder.objects.select_for_update()
        .filter(pk__in=reminder_ids, done_at__isnull=True)
        .order_by("days_before")
    )
    if not reminders:
        return 0  # another run got there first
    cohort = Cohort.objects.get(pk=cohort_id)
    latest, *earlier = reminders
    for reminder in earlier:
        _done(reminder, now, 0, NOT_SENT + LATER_REMINDER_DUE)
    with translation.override(None):  # the record is in English
        problem = reminder_problem(cohort, latest.days_before)
    if problem:
        _done(latest, now, 0, NOT_SENT + problem)
        return 0
    if not cohort.is_accepting(now):
        _done(latest, now, 0, NOT_SENT + NOT_OPEN_THEN)
        return 0
    if not settings.SITE_URL:
        # Left pending: it goes once the address is set.
        raise CohortError("Set DJANGO_SITE_URL: scheduled reminders carry links to the site.")
    count = outbox.emails_queue(
        cohort=cohort, kind=OutboundEmail.Kind.REMINDER, queued_by=None, link_for=_link
    )
    _done(latest, now, count, "" if count else NOBODY_NEEDED)
    return count


def _done(reminder: ScheduledReminder, now: datetime, queued: int, outcome: str) -> None:
    reminder.done_at = now
    reminder.queued = queued
    reminder.outcome = outcome
    reminder.save(update_fields=["done_at", "queued", "outcome"])
