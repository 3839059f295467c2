"""Retention: what is kept about a cohort's people once it has been over
for a while (docs/operations.md, "Retention").

Each cohort has a rule: some months (``DEFAULT_RETENTION_MONTHS``, 12,
unless HR chose otherwise) after it ended, its people's records go. "Anonymise"
(the default) keeps their answers and results, cut loose from any person, team
or cohort, for the item statistics; "delete" deletes those too. Either way
the participants (names, email addresses, personal links), the emails sent to
them, the CSV imports that named them, shared results and the live tallies of
their scores go. What stays holds nobody: the cohort's settings, the figures
already released (rounded once, docs/confidentiality.md), item-statistics
blocks, the record of exports, and the audit log, which gets one event per
cohort.

A cohort ended when it was closed, or at its closing time if nobody closed
it; a cohort still open is closed first. The task engine applies the rules
every hour (``assessments.tasks.apply_retention``); each cohort's run is one
transaction that locks the cohort and marks it done, so it runs once.
"""

import calendar
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from assessments.audit.services import Action, audit_record
from assessments.models import (
    Attempt,
    Cohort,
    OutboundEmail,
    Participant,
    ParticipantImport,
    Result,
    ResultShare,
    ScoreTally,
    TeamProgress,
)


def add_months(moment: datetime, months: int) -> datetime:
    """The same day ``months`` later, or the month's last day if it is shorter."""
    month = moment.month - 1 + months
    year, month = moment.year + month // 12, month % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def cohort_ended_at(cohort: Cohort, now: datetime) -> datetime | None:
    if cohort.status == Cohort.Status.CLOSED:
        return cohort.closed_at
    if cohort.status == Cohort.Status.OPEN and cohort.closes_at and cohort.closes_at <= now:
        return cohort.closes_at
    return None


def retention_due_at(cohort: Cohort, now: datetime | None = None) -> datetime | None:
    """When the cohort's retention rule applies; None while it has not ended."""
    ended = cohort_ended_at(cohort, now or timezone.now())
    return add_months(ended, cohort.retention_months) if ended else None


def retention_apply_due(*, now: datetime | None = None) -> list[int]:
    """Apply every cohort's rule that is due; returns the cohorts' ids."""
    now = now or timezone.now()
    candidates = Cohort.objects.filter(retained_at__isnull=True).exclude(status=Cohort.Status.DRAFT)
    done = []
    for cohort in candidates.only("pk", "status", "closed_at", "closes_at", "retention_months"):
        due = retention_due_at(cohort, now)
        if due is not None and due <= now and cohort_retention_apply(cohort=cohort, now=now):
            done.append(cohort.pk)
    return done


@transaction.atomic
def cohort_retention_apply(*, cohort: Cohort, now: datetime) -> bool:
    """Apply the cohort's rule now; False if it had been applied already."""
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    if cohort.retained_at is not None:
        return False
    if cohort.status != Cohort.Status.CLOSED:
        cohort.closed_at = cohort_ended_at(cohort, now) or now
        cohort.status = Cohort.Status.CLOSED
        cohort.join_enabled = False
    attempts = Attempt.objects.filter(participant__cohort=cohort)
    results = Result.objects.filter(attempt__participant__cohort=cohort)
    people = Participant.objects.filter(cohort=cohort)
    counts = {
        "participants": people.count(),
        "attempts": attempts.count(),
        "results": results.count(),
    }
    ResultShare.objects.filter(result__in=results).delete()
    if cohort.retention_action == Cohort.Retention.DELETE:
        attempts.delete()  # their answers, results and scores with them
    else:
        attempts.update(participant=None)
    OutboundEmail.objects.filter(cohort=cohort).delete()
    ParticipantImport.objects.filter(cohort=cohort).delete()
    ScoreTally.objects.filter(cohort=cohort).delete()
    TeamProgress.objects.filter(cohort=cohort).delete()
    people.delete()
    cohort.retained_at = now
    cohort.figures_version += 1  # its pages' cached counts are gone
    cohort.save(
        update_fields=["status", "closed_at", "join_enabled", "retained_at", "figures_version"]
    )
    audit_record(
        action=Action.RETENTION_RUN,
        actor=None,
        target=cohort,
        detail={
            "retention": cohort.retention_action,
            "months": cohort.retention_months,
            **counts,
        },
    )
    return True
