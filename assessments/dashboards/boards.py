"""What a dashboard may show: aggregates read from the tallies, and the
confidentiality rules applied before anything leaves this module.

Every number a dashboard, chart or download shows comes from here, so the
rules live in one place: no aggregate of a group with fewer completed
responses than its cohort's minimum group size, and no combination of what
is shown (a cohort minus its other teams, the organisation minus a cohort,
a trend point, results people chose to share, a reading before and after
someone finishes) that would reveal such a group.

Figures come from the tallies' published columns, which change only when at
least the minimum group size of new people have completed (see
services.tallies.publish_if_due), and are coarsened by group size (see
``disclosure``).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from assessments.content import scoring
from assessments.dashboards.confidentiality import groups_to_merge
from assessments.dashboards.disclosure import (
    Measure,
    group_detailed,
    shown_bands,
    shown_measure,
    small_group_note,
)
from assessments.dashboards.statistics import Bucket, Exact, exact
from assessments.models import OVERALL, Cohort, Dimension, ResultShare, ScoreTally, Team


@dataclass(frozen=True)
class Summary:
    """A group's aggregates, or the reason they are withheld."""

    label: str
    n: int | None
    measures: dict[str, Measure] = field(default_factory=dict)
    bands: dict[str, int | None] = field(default_factory=dict)
    withheld: str = ""
    note: str = ""  # why only means are shown, when that is so

    @property
    def shown(self) -> bool:
        return not self.withheld

    @property
    def overall(self) -> Measure | None:
        return self.measures.get(OVERALL)


def _exact_by(tallies: QuerySet[ScoreTally], key: str | None = None) -> dict:
    """Per ``key`` (e.g. cohort) and measure, the exact statistics.

    The database sums the tallies into at most 101 rows per measure and key
    (one per whole-point bucket), whatever the number of responses.
    """
    fields = [key] if key else []
    rows = (
        tallies.values(*fields, "measure", "bucket")
        .annotate(
            n=Sum("published_count"),
            total=Sum("published_total"),
            total_sq=Sum("published_total_sq"),
        )
        .filter(n__gt=0)
        .order_by(*fields, "measure", "bucket")
    )
    grouped: dict[tuple, list[Bucket]] = defaultdict(list)
    for row in rows:
        grouped[(row[key] if key else None, row["measure"])].append(
            Bucket(row["n"], row["total"], row["total_sq"])
        )
    result: dict = defaultdict(dict)
    for (group, measure), buckets in grouped.items():
        result[group][measure] = exact(buckets)
    return result


def _shown(exacts: dict[str, Exact], k: int, detail: bool | None) -> dict[str, Measure]:
    measures = {key: shown_measure(value, k, detail) for key, value in exacts.items()}
    return {key: value for key, value in measures.items() if value is not None}


def _bands(tallies: QuerySet[ScoreTally]) -> dict[str, int]:
    """How many overall positions fall in each band, counted by the database."""
    counts = tallies.filter(measure=OVERALL).aggregate(
        **{
            band.key: Coalesce(
                Sum(
                    "published_count",
                    filter=Q(bucket__gte=band.lower)
                    & (Q(bucket__lt=band.upper) if band.upper < 100 else Q()),
                ),
                0,
            )
            for band in scoring.BANDS
        }
    )
    return counts


def _read(tallies: QuerySet[ScoreTally]) -> tuple[dict[str, Exact], int]:
    exacts = _exact_by(tallies).get(None, {})
    return exacts, exacts[OVERALL].n if OVERALL in exacts else 0


def _summary(label: str, n: int, measures: dict[str, Measure], k: int, **extra: Any) -> Summary:
    overall = measures.get(OVERALL)
    note = small_group_note(n, k) if overall is not None and not overall.detailed else ""
    return Summary(label=label, n=n, measures=measures, note=note, **extra)


def one_team_summary(label: str, tallies: QuerySet[ScoreTally], k: int) -> Summary:
    """One team's figures, with its people per band."""
    exacts, n = _read(tallies)
    bands = shown_bands(_bands(tallies), n, k)
    return _summary(label, n, _shown(exacts, k, None), k, bands=bands)


def group_summary(label: str, tallies: QuerySet[ScoreTally], k: int, detail: bool) -> Summary:
    """A group of several teams (a cohort, the organisation): no band counts."""
    exacts, n = _read(tallies)
    return _summary(label, n, _shown(exacts, k, detail), k)


def shown_summary(label: str, exacts: dict[str, Exact], n: int, k: int) -> Summary:
    """One team's summary from exact statistics read together with other
    teams' (no band counts: those are read one team at a time)."""
    return _summary(label, n, _shown(exacts, k, None), k)


def withheld(label: str, reason: str) -> Summary:
    return Summary(label=label, n=None, withheld=reason)


def completed_by_team(cohorts: QuerySet[Cohort] | list[Cohort]) -> dict[tuple[int, int], int]:
    """Published results per (cohort, team): the one count of "completed"
    that every dashboard, comparison and download reads.

    Shared results and those of people whose team HR has not confirmed are
    never in the tallies, so they never count towards anyone's anonymity.
    """
    rows = (
        ScoreTally.objects.filter(cohort__in=cohorts, measure=OVERALL)
        .values("cohort_id", "team_id")
        .annotate(n=Sum("published_count"))
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
        ScoreTally.objects.filter(cohort__in=cohorts).values_list("cohort_id", "team_id").distinct()
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
    return (
        f"Withheld: fewer than {k} people have completed. Results appear once {k} have, "
        "so that nobody's answers can be singled out."
    )


def hidden_for_others(k: int) -> str:
    return (
        "Withheld: another team in this cohort has fewer than "
        f"{k} completed responses, and showing this one would let that team's results "
        "be worked out from the cohort's total."
    )


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
        "invited": participants.count(),
        "completed": tallies.aggregate(n=Coalesce(Sum("count"), 0))["n"],
    }


@dataclass(frozen=True)
class TeamDashboard:
    team: Team
    cohort: Cohort
    team_summary: Summary
    cohort_summary: Summary
    organisation_summary: Summary
    trend: list[tuple[Cohort, Summary]]
    dimensions: list[Dimension]

    @property
    def summaries(self) -> list[Summary]:
        """The groups its table and download show, in order."""
        return [self.team_summary, self.cohort_summary, self.organisation_summary]


def _comparison(label: str, whole_n: int, part_n: int, k: int, tallies, detail: bool) -> Summary:
    """A larger group shown beside a smaller one, unless the difference
    between them is a group of fewer than k people."""
    if whole_n < k:
        return withheld(label, too_small(k))
    if 0 < whole_n - part_n < k:
        return withheld(
            label,
            f"Withheld: beside your team's figures it would reveal a group of fewer than {k} "
            "people.",
        )
    return group_summary(label, tallies, k, detail)


def organisation() -> tuple[int, QuerySet[ScoreTally], bool]:
    """The whole organisation: every cohort with at least its minimum group
    size of completed responses, and whether it may show spread and
    quartiles (only when every team of every cohort in it would show its
    own). A smaller cohort is left out, or the organisation minus the other
    cohorts would reveal it."""
    teams = (
        ScoreTally.objects.filter(measure=OVERALL)
        .values("cohort_id", "team_id", "cohort__min_group_size")
        .annotate(n=Sum("published_count"))
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
    detail = group_detailed(size for sizes in reportable.values() for size in sizes)
    return n, ScoreTally.objects.filter(cohort_id__in=list(reportable)), detail


def cohort_detailed(cohort: Cohort, counts: dict[tuple[int, int], int]) -> bool:
    """Whether a cohort's figures may show spread and quartiles: each of its
    teams would show its own."""
    k = cohort.min_group_size
    return group_detailed((n, k) for (cohort_id, _), n in counts.items() if cohort_id == cohort.pk)


def team_dashboard(team: Team, cohort: Cohort) -> TeamDashboard:
    k = cohort.min_group_size
    counts = completed_by_team([cohort])
    hidden = hidden_teams(cohort, cohort_teams([cohort]).get(cohort.pk, []), counts)
    team_n = counts.get((cohort.pk, team.pk), 0)
    cohort_tallies = ScoreTally.objects.filter(cohort=cohort)
    if team.pk in hidden:
        team_summary = withheld(team.name, hidden_reason(cohort, team_n))
        shown_n = 0
    else:
        team_summary = one_team_summary(team.name, cohort_tallies.filter(team=team), k)
        shown_n = team_n
    cohort_n = sum(counts.values())
    cohort_summary = _comparison(
        f"{cohort.name} (all teams)",
        cohort_n,
        shown_n,
        k,
        cohort_tallies,
        cohort_detailed(cohort, counts),
    )
    org_n, org_tallies, org_detailed = organisation()
    organisation_summary = _comparison(
        "Whole organisation", org_n, cohort_n, k, org_tallies, org_detailed
    )
    return TeamDashboard(
        team=team,
        cohort=cohort,
        team_summary=team_summary,
        cohort_summary=cohort_summary,
        organisation_summary=organisation_summary,
        trend=team_trend(team),
        dimensions=list(Dimension.objects.all()),
    )


def team_trend(team: Team) -> list[tuple[Cohort, Summary]]:
    """The team's figures in each cohort it took part in, each point withheld
    under the same rules as on that cohort's own dashboard. A fixed number of
    queries, however many cohorts."""
    cohorts = list(team.cohorts.order_by("opens_at", "created_at", "pk"))
    counts = completed_by_team(cohorts)
    teams = cohort_teams(cohorts)
    exacts = _exact_by(ScoreTally.objects.filter(cohort__in=cohorts, team=team), key="cohort_id")
    points = []
    for cohort in cohorts:
        n = counts.get((cohort.pk, team.pk), 0)
        if team.pk in hidden_teams(cohort, teams.get(cohort.pk, []), counts):
            points.append((cohort, withheld(cohort.name, hidden_reason(cohort, n))))
        else:
            summary = shown_summary(
                cohort.name, exacts.get(cohort.pk, {}), n, cohort.min_group_size
            )
            points.append((cohort, summary))
    return points


@dataclass(frozen=True)
class CohortDashboard:
    cohort: Cohort
    cohort_summary: Summary
    teams: list[Summary]
    organisation_summary: Summary
    dimensions: list[Dimension]

    @property
    def summaries(self) -> list[Summary]:
        """The groups its tables, its download and the cohort's export show, in order."""
        return [self.cohort_summary, *self.teams, self.organisation_summary]


def cohort_dashboard(cohort: Cohort) -> CohortDashboard:
    """A whole cohort for HR admins: its aggregates and each team's, under the
    same rules as the managers' dashboards."""
    k = cohort.min_group_size
    counts = completed_by_team([cohort])
    team_ids = cohort_teams([cohort]).get(cohort.pk, [])
    hidden = hidden_teams(cohort, team_ids, counts)
    visible = [team_id for team_id in team_ids if team_id not in hidden]
    exacts = _exact_by(ScoreTally.objects.filter(cohort=cohort, team_id__in=visible), key="team_id")
    teams = []
    for team in Team.objects.filter(pk__in=team_ids).order_by("name"):
        n = counts.get((cohort.pk, team.pk), 0)
        if team.pk in hidden:
            teams.append(withheld(team.name, hidden_reason(cohort, n)))
        else:
            teams.append(shown_summary(team.name, exacts.get(team.pk, {}), n, k))
    cohort_n = sum(counts.values())
    tallies = ScoreTally.objects.filter(cohort=cohort)
    cohort_summary = (
        group_summary(f"{cohort.name} (all teams)", tallies, k, cohort_detailed(cohort, counts))
        if cohort_n >= k
        else withheld(cohort.name, too_small(k))
    )
    org_n, org_tallies, org_detailed = organisation()
    return CohortDashboard(
        cohort=cohort,
        cohort_summary=cohort_summary,
        teams=teams,
        organisation_summary=_comparison(
            "Whole organisation",
            org_n,
            cohort_n if cohort_n >= k else 0,
            k,
            org_tallies,
            org_detailed,
        ),
        dimensions=list(Dimension.objects.all()),
    )


CSV_COLUMNS = ["group", "measure", "n", "mean", "sd", "q1", "median", "q3", "band", "note"]


def summary_rows(summaries: list[Summary], labels: dict[str, str]) -> list[dict]:
    """Exactly what the charts and tables show, row by row, for a download:
    blank where the group's size does not allow a statistic."""
    rows: list[dict[str, Any]] = []
    for summary in summaries:
        if not summary.shown:
            rows.append({"group": summary.label, "note": summary.withheld})
            continue
        for key, label in labels.items():
            measure = summary.measures.get(key)
            if measure is None:
                continue
            rows.append(
                {
                    "group": summary.label,
                    "measure": label,
                    "n": measure.n,
                    "mean": f"{measure.mean:.0f}",
                    "sd": measure.sd_text,
                    "q1": "" if measure.q1 is None else f"{measure.q1:.0f}",
                    "median": "" if measure.median is None else f"{measure.median:.0f}",
                    "q3": "" if measure.q3 is None else f"{measure.q3:.0f}",
                    "band": measure.band.label,
                    "note": "" if measure.detailed else summary.note,
                }
            )
        for band in scoring.BANDS:
            if band.key in summary.bands:
                count = summary.bands[band.key]
                rows.append(
                    {
                        "group": summary.label,
                        "measure": f"People in band: {band.label}",
                        "n": count if count is not None else "",
                        "note": "" if count is not None else "fewer than the minimum group size",
                    }
                )
    return rows


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
