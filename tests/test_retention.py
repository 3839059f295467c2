"""Retention: months after a cohort ends, the task engine removes its
people's records (anonymising or deleting their answers and results as the
cohort's rule says), exactly those and nothing else, once, and records it in
the audit log."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import tasks
from assessments.cohorts import outbox, retention
from assessments.cohorts import services as cohort_services
from assessments.models import (
    Attempt,
    AuditEvent,
    Cohort,
    OutboundEmail,
    Participant,
    ParticipantImport,
    Release,
    ReleasedMean,
    Response,
    Result,
    ResultShare,
    ScoreTally,
    TeamProgress,
)
from tests import cast
from tests.helpers import add_people, submitted_result


def ended(cohort: Cohort, months_ago: int, **fields) -> Cohort:
    cohort = cohort_services.cohort_close(cohort=cohort)
    closed = retention.add_months(timezone.now(), -months_ago)
    Cohort.objects.filter(pk=cohort.pk).update(closed_at=closed, **fields)
    cohort.refresh_from_db()
    return cohort


def populated(bank_version, hr_admin, name: str) -> Cohort:
    """A cohort with a release of five, a shared result, someone who only got
    an invitation, and an import waiting: every kind of record about people."""
    team = cast.teams(f"{name} team")[0]
    cohort = cast.open_cohort(
        bank_version=bank_version, created_by=hr_admin, teams=[team], name=name
    )
    cast.completed(cohort, team, 5, prefix=f"{name}-done")
    cast.shared(cast.cohort_result(cohort, team, f"{name}-sharer"))
    add_people(cohort, team, 1, prefix=f"{name}-invited")
    outbox.emails_queue(
        cohort=cohort, kind="invitation", queued_by=hr_admin, link_for=lambda p: "http://x/"
    )
    outbox.emails_send_batch(cohort=cohort)
    cast.pending_import(cohort, hr_admin)
    return cohort


def snapshot(cohort: Cohort | None = None) -> dict[str, list]:
    """Every row about a cohort's people (or, without one, about nobody's cohort)."""
    if cohort is None:
        attempts = Attempt.objects.filter(participant__isnull=True)
    else:
        attempts = Attempt.objects.filter(participant__cohort=cohort)
    results = Result.objects.filter(attempt__in=attempts)
    of_cohort: dict[str, object] = {"cohort": cohort} if cohort is not None else {"pk__in": []}
    return {
        "participants": list(Participant.objects.filter(**of_cohort).values()),
        "attempts": list(attempts.values()),
        "responses": list(Response.objects.filter(attempt__in=attempts).values()),
        "results": list(results.values()),
        "shares": list(ResultShare.objects.filter(result__in=results).values()),
        "emails": list(OutboundEmail.objects.filter(**of_cohort).values()),
        "imports": list(ParticipantImport.objects.filter(**of_cohort).values()),
        "tallies": list(ScoreTally.objects.filter(**of_cohort).values()),
        "progress": list(TeamProgress.objects.filter(**of_cohort).values()),
        "releases": list(Release.objects.filter(**of_cohort).values()),
        "means": list(ReleasedMean.objects.filter(release__cohort__in=[cohort]).values()),
    }


@pytest.fixture
def world(bank_version, hr_admin, participant):
    due = ended(populated(bank_version, hr_admin, "anonymised"), 13)
    deleted = ended(
        populated(bank_version, hr_admin, "deleted"),
        7,
        retention_months=6,
        retention_action="delete",
    )
    recent = ended(populated(bank_version, hr_admin, "recent"), 11)
    still_open = populated(bank_version, hr_admin, "open")
    own = submitted_result(bank_version, user=participant)
    return {"due": due, "deleted": deleted, "recent": recent, "open": still_open, "own": own}


def test_retention_removes_what_it_says_and_nothing_else(world):
    due, deleted = world["due"], world["deleted"]
    before = {name: snapshot(world[name]) for name in ("due", "deleted", "recent", "open")}
    alone = snapshot()

    tasks.apply_retention.enqueue()  # what the scheduler does every hour

    # Anonymised: the people and everything that named them are gone; their
    # answers and results stay, tied to nobody; released figures stay.
    after = snapshot(due)
    for gone in ("participants", "attempts", "shares", "emails", "imports", "tallies", "progress"):
        assert after[gone] == [], gone
    assert (after["releases"], after["means"]) == (
        before["due"]["releases"],
        before["due"]["means"],
    )
    kept = [a["id"] for a in before["due"]["attempts"]]
    assert Attempt.objects.filter(pk__in=kept, participant__isnull=True).count() == len(kept) == 6
    assert Result.objects.filter(attempt__in=kept).count() == 6
    assert Response.objects.filter(attempt__in=kept).count() == len(before["due"]["responses"])
    assert not ResultShare.objects.filter(result__attempt__in=kept).exists()

    # Deleted: the answers and results go as well.
    deleted_ids = [a["id"] for a in before["deleted"]["attempts"]]
    assert not Attempt.objects.filter(pk__in=deleted_ids).exists()
    assert not Response.objects.filter(attempt__in=deleted_ids).exists()
    assert not Result.objects.filter(attempt__in=deleted_ids).exists()
    assert snapshot(deleted)["releases"] == before["deleted"]["releases"]

    # Not yet due, still open, and a result taken alone: untouched.
    assert snapshot(world["recent"]) == before["recent"]
    assert snapshot(world["open"]) == before["open"]
    alone_after = snapshot()
    assert [a for a in alone_after["attempts"] if a["id"] not in kept] == alone["attempts"]

    events = AuditEvent.objects.filter(action=AuditEvent.Action.RETENTION_RUN).order_by("target")
    assert [(e.target, e.actor_id, e.detail) for e in events] == [
        (
            f"cohort:{due.pk}",
            None,
            {
                "retention": "anonymise",
                "months": 12,
                "participants": 7,
                "attempts": 6,
                "results": 6,
            },
        ),
        (
            f"cohort:{deleted.pk}",
            None,
            {"retention": "delete", "months": 6, "participants": 7, "attempts": 6, "results": 6},
        ),
    ]
    due.refresh_from_db()
    assert due.retained_at is not None


def test_retention_runs_once(world):
    assert sorted(retention.retention_apply_due()) == [world["due"].pk, world["deleted"].pk]
    assert retention.retention_apply_due() == []
    assert AuditEvent.objects.filter(action=AuditEvent.Action.RETENTION_RUN).count() == 2


def test_a_cohort_left_open_past_its_close_is_closed_then_retained(cohort, hr_admin):
    closes = retention.add_months(timezone.now(), -13)
    Cohort.objects.filter(pk=cohort.pk).update(closes_at=closes)
    add_people(cohort, cohort.teams.first(), 1)
    assert retention.retention_apply_due() == [cohort.pk]
    cohort.refresh_from_db()
    assert (cohort.status, cohort.closed_at) == (Cohort.Status.CLOSED, closes)
    assert not cohort.participants.exists()


def test_the_pages_of_a_retained_cohort_still_answer(world, hr_client):
    retention.retention_apply_due()
    for name in ("cohorts:detail", "cohorts:outbox", "cohorts:participants", "cohorts:schedule"):
        response = hr_client.get(reverse(name, args=[world["due"].pk]))
        assert response.status_code == 200, name
    assert (
        "the retention rule removed"
        in hr_client.get(reverse("cohorts:detail", args=[world["due"].pk])).text
    )
    dashboard = hr_client.get(reverse("dashboards:cohort", args=[world["due"].pk]))
    assert dashboard.status_code == 200
    # Its settings are final now.
    response = hr_client.post(
        reverse("cohorts:schedule", args=[world["due"].pk]),
        {
            "retention_months": "24",
            "retention_action": "delete",
            "reminder_time": "09:00",
            "reminder_limit": "3",
            "reminder_subject": "x",
            "reminder_body": "{link}",
        },
    )
    assert "nothing changes now" in response.text


def test_the_default_rule_is_to_anonymise_twelve_months_after_the_end(cohort):
    assert (cohort.retention_months, cohort.retention_action) == (12, "anonymise")
    closed = ended(cohort, 0)
    assert closed.closed_at is not None
    assert retention.retention_due_at(closed) == retention.add_months(closed.closed_at, 12)
    assert retention.retention_due_at(Cohort(status=Cohort.Status.DRAFT)) is None


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (datetime(2027, 1, 31, tzinfo=UTC), 1, datetime(2027, 2, 28, tzinfo=UTC)),
        (datetime(2028, 1, 31, tzinfo=UTC), 1, datetime(2028, 2, 29, tzinfo=UTC)),
        (datetime(2027, 11, 15, tzinfo=UTC), 14, datetime(2029, 1, 15, tzinfo=UTC)),
        (datetime(2027, 3, 31, tzinfo=UTC), -1, datetime(2027, 2, 28, tzinfo=UTC)),
    ],
)
def test_months_are_calendar_months(start, months, end):
    assert retention.add_months(start, months) == end
