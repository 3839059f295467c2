"""Reads for the HR area: completion per cohort, team and person, counted by the database."""

from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from assessments.content.scoring import BAND_CHOICES
from assessments.models import Attempt, Cohort, OutboundEmail, Participant, Team, TeamManager

Kind = OutboundEmail.Kind


def _count(queryset: QuerySet) -> Subquery:
    """A correlated COUNT(*) subquery over ``queryset``."""
    return Subquery(
        queryset.order_by().values("cohort").annotate(n=Count("pk")).values("n")[:1],
        output_field=IntegerField(),
    )


def cohorts_with_completion(cohorts: QuerySet[Cohort]) -> QuerySet[Cohort]:
    """Each cohort with its invited, started and completed counts, in one query.

    Correlated subqueries rather than joins: joining participants and teams
    in one GROUP BY would multiply the rows (5,000 people x 20 teams).
    """
    people = Participant.objects.present().filter(cohort=OuterRef("pk"))
    return cohorts.select_related("bank_version__bank").annotate(
        invited=Coalesce(_count(people), 0),
        started=Coalesce(_count(people.filter(attempt__status=Attempt.Status.IN_PROGRESS)), 0),
        completed=Coalesce(_count(people.filter(attempt__status=Attempt.Status.SUBMITTED)), 0),
        team_count=Coalesce(_count(Cohort.teams.through.objects.filter(cohort=OuterRef("pk"))), 0),
    )


@dataclass(frozen=True)
class TeamCompletion:
    team: str
    invited: int
    started: int
    completed: int

    @property
    def not_started(self) -> int:
        return self.invited - self.started - self.completed

    @property
    def rate(self) -> int:
        return round(100 * self.completed / self.invited) if self.invited else 0


def team_completion(cohort: Cohort) -> list[TeamCompletion]:
    """Invited, started and completed per team, counted by the database in one query."""
    rows = (
        cohort.participants.present()
        .values("team__name")
        .annotate(
            invited=Count("pk"),
            started=Count("pk", filter=Q(attempt__status=Attempt.Status.IN_PROGRESS)),
            completed=Count("pk", filter=Q(attempt__status=Attempt.Status.SUBMITTED)),
        )
        .order_by("team__name")
    )
    return [
        TeamCompletion(row["team__name"], row["invited"], row["started"], row["completed"])
        for row in rows
    ]


def completion_total(rows: list[TeamCompletion]) -> TeamCompletion:
    return TeamCompletion(
        "All teams",
        sum(row.invited for row in rows),
        sum(row.started for row in rows),
        sum(row.completed for row in rows),
    )


def participants_with_progress(cohort: Cohort) -> QuerySet:
    people = cohort.participants.with_progress().select_related("team").order_by("name", "pk")
    if cohort.identified:
        # The band as its label, read from the stored key's choices.
        band = Case(
            *[When(attempt__result__band=key, then=Value(label)) for key, label in BAND_CHOICES],
            default=Value(""),
        )
        people = people.annotate(overall=F("attempt__result__overall"), band=band)
    return people


def cohort_has_answers(cohort: Cohort) -> bool:
    """Whether anyone has started answering, now or before deleting their
    data: a deleted result can still be in published figures, which a new
    minimum group size would re-draw."""
    return Participant.objects.filter(
        Q(attempt__isnull=False) | Q(withdrawn_at__isnull=False), cohort=cohort
    ).exists()


def manager_emails(team: Team) -> set[str]:
    """The email addresses of the team's managers, lower-cased."""
    return {
        email.lower()
        for email in TeamManager.objects.filter(team=team).values_list("user__email", flat=True)
        if email
    }


def recipients(cohort: Cohort, kind: str):
    """Who an invitation or reminder would go to now.

    Invitations go to people never invited (queued or sent); reminders to
    people who have not completed. Nothing goes to people who deleted their
    data.
    """
    people = cohort.participants.present().select_related("team")
    if kind == Kind.INVITATION:
        return people.exclude(
            emails__kind=Kind.INVITATION,
            emails__status__in=[OutboundEmail.Status.QUEUED, OutboundEmail.Status.SENT],
        )
    if kind == Kind.REMINDER:
        return people.exclude(attempt__status=Attempt.Status.SUBMITTED)
    raise ValueError(kind)


def queued(cohort: Cohort):
    return cohort.emails.filter(status=OutboundEmail.Status.QUEUED)


def outbox_counts(cohort: Cohort) -> dict[str, int]:
    return cohort.emails.aggregate(
        queued=Count("pk", filter=Q(status=OutboundEmail.Status.QUEUED)),
        sent=Count("pk", filter=Q(status=OutboundEmail.Status.SENT)),
        failed=Count("pk", filter=Q(status=OutboundEmail.Status.FAILED)),
    )
