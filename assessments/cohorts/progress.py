"""How far each team's people have got, kept as they move.

HR's completion page shows, per team, the people still taking part and how
many were invited, started and completed. Counting them from the people on
every visit costs 8-10 ms of database time at 5,000 people, on either
engine; so each change counts its own teams again, from the people
themselves, and stores the figures in ``TeamProgress``.

Counting again (rather than adding one) keeps the figures right whatever
the change was. Every service that changes who is in a team, whether they
were invited, or how far they got calls ``progress_recount`` after its
change: adding, importing, joining and removing people, sending a link,
starting, submitting, and deleting one's data. ``progress_rebuild``
(``manage.py rebuild_progress``) counts everything again after a change
made by hand.
"""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, Q

from assessments.cohorts.selectors import invited
from assessments.models import Attempt, Participant, TeamProgress

FIGURES = ["people", "invited", "started", "completed"]


def counted_by_team(participants) -> dict[int, dict[str, int]]:
    """People still taking part, invited, started and completed, by team id,
    counted from the people by the database."""
    rows = (
        participants.present()
        .values("team")
        .annotate(
            people=Count("pk"),
            invited=Count("pk", filter=invited()),
            started=Count("pk", filter=Q(attempt__status=Attempt.Status.IN_PROGRESS)),
            completed=Count("pk", filter=Q(attempt__status=Attempt.Status.SUBMITTED)),
        )
        .order_by()
    )
    return {row["team"]: {name: row[name] for name in FIGURES} for row in rows}


def progress_recount(cohort_id: int, team_ids: Iterable[int]) -> None:
    """Count these teams of the cohort again, after a change to them.

    Each team's row is locked before it is counted. A change committed by
    another transaction meanwhile either comes first (its recount holds the
    lock, and this count, a statement run after the lock is granted, sees
    it) or waits for this one to commit and then counts it in: the stored
    figures never lose a change. SQLite runs one writer at a time anyway.
    """
    teams = sorted(set(team_ids))
    if not teams:
        return
    with transaction.atomic():
        TeamProgress.objects.bulk_create(
            [TeamProgress(cohort_id=cohort_id, team_id=team) for team in teams],
            ignore_conflicts=True,
        )
        rows = list(
            TeamProgress.objects.select_for_update()
            .filter(cohort_id=cohort_id, team_id__in=teams)
            .order_by("team_id")
        )
        counts = counted_by_team(Participant.objects.filter(cohort_id=cohort_id, team__in=teams))
        for row in rows:
            for name, value in counts.get(row.team_id, dict.fromkeys(FIGURES, 0)).items():
                setattr(row, name, value)
        TeamProgress.objects.bulk_update(rows, FIGURES)


def progress_recount_people(participant_ids: Iterable[int]) -> None:
    """Count again the teams of these people (say, those an email just reached)."""
    _recount_teams_of(Participant.objects.filter(pk__in=list(participant_ids)))


def _recount_teams_of(people) -> None:
    """Count again every team these people are in."""
    progress_recount_teams(people.values_list("cohort_id", "team_id").order_by().distinct())


def progress_recount_teams(pairs: Iterable[tuple[int, int]]) -> None:
    """Count again these (cohort id, team id) pairs, cohort by cohort."""
    teams: dict[int, set[int]] = {}
    for cohort_id, team_id in pairs:
        teams.setdefault(cohort_id, set()).add(team_id)
    for cohort_id, team_ids in sorted(teams.items()):
        progress_recount(cohort_id, team_ids)


@transaction.atomic
def progress_rebuild() -> int:
    """Count every team of every cohort again; the rows written."""
    TeamProgress.objects.all().delete()
    _recount_teams_of(Participant.objects.all())
    return TeamProgress.objects.count()
