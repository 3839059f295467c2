"""Which groups a dashboard may show beside which: completed counts per
team, small teams and the teams withheld with them, the organisation, and
what may change a dashboard's figures."""

from collections import defaultdict

from django.db.models import QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import ngettext

from assessments.cohorts.selectors import invited
from assessments.dashboards.confidentiality import groups_to_merge
from assessments.dashboards.disclosure import (
    group_precise,
)
from assessments.models import OVERALL, Cohort, Release, ResultShare, ScoreTally, Team


def completed_by_team(cohorts: QuerySet[Cohort] | list[Cohort]) -> dict[tuple[int, int], int]:
    """Released results per (cohort, team): the one count of "completed"
    that every dashboard, comparison and download reads.

    Shared results and those of people whose team HR has not confirmed are
    never in a release, so they never count towards anyone's anonymity. A
    release keeps its count after one of its people deletes their data.
    """
    rows = (
        Release.objects.filter(cohort__in=cohorts)
        .values("cohort_id", "team_id")
        .annotate(n=Sum("count"))
        .order_by()
    )
    return {(row["cohort_id"], row["team_id"]): row["n"] for row in rows}


def cohort_teams(cohorts: QuerySet[Cohort] | list[Cohort]) -> dict[int, list[int]]:
    """The teams of each cohort: those taking part, and any that has results
    in it (a team taken off a cohort after people answered still counts
    towards the cohort's total, so it must still be protected)."""
    teams: dict[int, set[int]] = defaultdict(set)
    taking_part = Cohort.teams.through.objects.filter(cohort__in=cohorts).values_list(
        "cohort_id", "team_id"
    )
    with_results = (
        Release.objects.filter(cohort__in=cohorts)
        .values_list("cohort_id", "team_id")
        .distinct()
        .order_by()
    )
    for cohort_id, team_id in [*taking_part, *with_results]:
        teams[cohort_id].add(team_id)
    return {cohort_id: sorted(ids) for cohort_id, ids in teams.items()}


def hidden_teams(cohort: Cohort, team_ids: list[int], counts: dict[tuple[int, int], int]) -> set:
    """Teams of the cohort whose aggregates are withheld.

    Teams below the minimum and, if those together are still below it, the
    next-smallest teams too: otherwise the cohort's total minus the visible
    teams would give the small team away.
    """
    team_counts = {team_id: counts.get((cohort.pk, team_id), 0) for team_id in team_ids}
    return groups_to_merge(team_counts, cohort.min_group_size)


def hidden_reason(cohort: Cohort, n: int) -> str:
    k = cohort.min_group_size
    return too_small(k) if n < k else hidden_for_others(k)


def too_small(k: int) -> str:
    return ngettext(
        "Withheld: fewer than %(k)s person has completed. Results appear once %(k)s has, "
        "so that nobody's answers can be singled out.",
        "Withheld: fewer than %(k)s people have completed. Results appear once %(k)s have, "
        "so that nobody's answers can be singled out.",
        k,
    ) % {"k": k}


def hidden_for_others(k: int) -> str:
    return ngettext(
        "Withheld: another team in this cohort has fewer than %(k)s result, and showing "
        "this one would let that team's results be worked out from the cohort's total.",
        "Withheld: another team in this cohort has fewer than %(k)s results, and showing "
        "this one would let that team's results be worked out from the cohort's total.",
        k,
    ) % {"k": k}


def people(cohort: Cohort, team: Team | None = None) -> dict[str, int]:
    """How many were invited and how many completed: live counts, read on
    every request beside figures that may come from the cache. Completed
    comes from the tallies (at most 101 rows), not from the attempts, so it
    costs the same however many answered."""
    participants = cohort.participants.present()
    tallies = ScoreTally.objects.filter(cohort=cohort, measure=OVERALL)
    if team is not None:
        participants = participants.filter(team=team)
        tallies = tallies.filter(team=team)
    return {
        "invited": participants.filter(invited()).count(),
        "completed": tallies.aggregate(n=Coalesce(Sum("count"), 0))["n"],
    }


def organisation() -> tuple[int, QuerySet[Release], bool]:
    """The whole organisation: every cohort with at least its minimum group
    size of results, and whether it shows its means to the point (only
    when every team of every cohort in it would show its
    own). A smaller cohort is left out, or the organisation minus the other
    cohorts would reveal it."""
    teams = (
        Release.objects.values("cohort_id", "team_id", "cohort__min_group_size")
        .annotate(n=Sum("count"))
        .order_by()
    )
    by_cohort: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for row in teams:  # one row per team of each cohort
        by_cohort[row["cohort_id"]].append((row["n"], row["cohort__min_group_size"]))
    reportable = {
        cohort_id: sizes
        for cohort_id, sizes in by_cohort.items()
        if sum(n for n, _ in sizes) >= sizes[0][1]
    }
    n = sum(n for sizes in reportable.values() for n, _ in sizes)
    fine = group_precise(size for sizes in reportable.values() for size in sizes)
    return n, Release.objects.filter(cohort_id__in=list(reportable)), fine


def cohort_precise(cohort: Cohort, counts: dict[tuple[int, int], int]) -> bool:
    """Whether a cohort shows its means to the point: each of its
    teams would show its own."""
    k = cohort.min_group_size
    return group_precise((n, k) for (cohort_id, _), n in counts.items() if cohort_id == cohort.pk)


def shared_with(user) -> QuerySet:
    """Results people chose to share with the teams this person manages."""
    return (
        ResultShare.objects.for_manager(user)
        .select_related("team", "result__attempt__participant")
        .order_by("team__name", "-shared_at")
    )


def figures_version() -> int:
    """Changes whenever any dashboard figure may change: a publication, a
    share, a cohort's settings. Part of every cached dashboard's key."""
    return Cohort.objects.aggregate(v=Coalesce(Sum("figures_version"), 0))["v"]
