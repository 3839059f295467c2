"""What a dashboard may show: aggregates read from the tallies, and the
confidentiality rules applied before anything leaves this module.

Every number a dashboard, chart or download shows comes from here, so the
rules live in one place: no aggregate of a group with fewer completed
responses than its cohort's minimum group size, and no combination of what
is shown (a cohort minus its other teams, the organisation minus a cohort,
a trend point, results people chose to share, a reading before and after
someone finishes) that would reveal such a group.

Figures come from the tallies' published columns, which move in steps of
the minimum group size (see ScoreTally).
"""

import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from . import scoring
from .confidentiality import groups_to_merge
from .models import OVERALL, Cohort, Dimension, ResultShare, ScoreTally, Team


@dataclass(frozen=True)
class Measure:
    """Centre and spread of one measure over a group, on the 0-100 scale."""

    n: int
    mean: float
    sd: float
    q1: float
    median: float
    q3: float

    @property
    def band(self) -> scoring.Band:
        return scoring.band_for(self.median)


@dataclass(frozen=True)
class Summary:
    """A group's aggregates, or the reason they are withheld."""

    label: str
    n: int | None
    measures: dict[str, Measure] = field(default_factory=dict)
    bands: dict[str, int] = field(default_factory=dict)
    withheld: str = ""

    @property
    def shown(self) -> bool:
        return not self.withheld

    @property
    def overall(self) -> Measure | None:
        return self.measures.get(OVERALL)


def _quantile(buckets: list[tuple[int, float]], n: int, p: float) -> float:
    """The p-quantile from (count, mean of the bucket) pairs in bucket order:
    the mean of the bucket that holds it, exact when a bucket holds one score
    value (as it does for a dimension's scores) and within a point otherwise."""
    target = p * n
    seen = 0
    for count, mean in buckets:
        seen += count
        if count and seen >= target:
            return mean
    return buckets[-1][1] if buckets else 0.0


def _measures_by(tallies: QuerySet[ScoreTally], key: str | None = None) -> dict:
    """Per measure (and per ``key``, e.g. cohort): n, mean, sd and quartiles.

    The database sums the tallies into at most 101 rows per measure and key
    (one per whole-point bucket), whatever the number of responses; the
    quartiles are then read from those rows.
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
    grouped: dict[tuple, list[dict]] = defaultdict(list)
    for row in rows:
        grouped[(row[key] if key else None, row["measure"])].append(row)
    result: dict = defaultdict(dict)
    for (group, measure), buckets in grouped.items():
        result[group][measure] = _measure(buckets)
    return result


def _measure(buckets: list[dict]) -> Measure:
    n = sum(row["n"] for row in buckets)
    total = sum(row["total"] for row in buckets)
    total_sq = sum(row["total_sq"] for row in buckets)
    mean = total / n
    variance = max(0.0, (total_sq - n * mean * mean) / (n - 1)) if n > 1 else 0.0
    pairs = [(row["n"], row["total"] / row["n"]) for row in buckets]
    return Measure(
        n=n,
        mean=round(mean, 2),
        sd=round(math.sqrt(variance), 2),
        q1=round(_quantile(pairs, n, 0.25), 1),
        median=round(_quantile(pairs, n, 0.5), 1),
        q3=round(_quantile(pairs, n, 0.75), 1),
    )


def _measures(tallies: QuerySet[ScoreTally]) -> dict[str, Measure]:
    return _measures_by(tallies).get(None, {})


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


def summarise(label: str, tallies: QuerySet[ScoreTally]) -> Summary:
    measures = _measures(tallies)
    n = measures[OVERALL].n if OVERALL in measures else 0
    return Summary(label=label, n=n, measures=measures, bands=_bands(tallies))


def withheld(label: str, reason: str) -> Summary:
    return Summary(label=label, n=None, withheld=reason)


def completed_by_team(cohorts: QuerySet[Cohort] | list[Cohort]) -> dict[tuple[int, int], int]:
    """Published responses per (cohort, team), less the results people chose
    to share: a shared result is known by name, so it must not count towards
    the anonymity of the rest."""
    rows = (
        ScoreTally.objects.filter(cohort__in=cohorts, measure=OVERALL)
        .values("cohort_id", "team_id")
        .annotate(n=Sum("published_count"))
    )
    counts = {(row["cohort_id"], row["team_id"]): row["n"] for row in rows}
    shared = (
        ResultShare.objects.filter(result__attempt__participant__cohort__in=cohorts)
        .values(cohort_id=F("result__attempt__participant__cohort"), t=F("team_id"))
        .annotate(n=Count("pk"))
    )
    for row in shared:
        key = (row["cohort_id"], row["t"])
        if key in counts:
            counts[key] = max(0, counts[key] - row["n"])
    return counts


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
    participants = cohort.participants.all()
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


def _comparison(label: str, whole_n: int, part_n: int, k: int, tallies) -> Summary:
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
    return summarise(label, tallies)


def organisation() -> tuple[int, QuerySet[ScoreTally]]:
    """The whole organisation: every cohort with at least its minimum group
    size of completed responses. A smaller cohort is left out, or the
    organisation minus the other cohorts would reveal it."""
    reportable = (
        ScoreTally.objects.filter(measure=OVERALL)
        .values("cohort_id", "cohort__min_group_size")
        .annotate(n=Sum("published_count"))
        .filter(n__gte=F("cohort__min_group_size"))
    )
    counts = {row["cohort_id"]: row["n"] for row in reportable}
    return sum(counts.values()), ScoreTally.objects.filter(cohort_id__in=list(counts))


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
        team_summary = summarise(team.name, cohort_tallies.filter(team=team))
        shown_n = team_n
    cohort_n = sum(counts.values())
    cohort_summary = _comparison(f"{cohort.name} (all teams)", cohort_n, shown_n, k, cohort_tallies)
    org_n, org_tallies = organisation()
    organisation_summary = _comparison("Whole organisation", org_n, cohort_n, k, org_tallies)
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
    measures = _measures_by(
        ScoreTally.objects.filter(cohort__in=cohorts, team=team), key="cohort_id"
    )
    points = []
    for cohort in cohorts:
        n = counts.get((cohort.pk, team.pk), 0)
        if team.pk in hidden_teams(cohort, teams.get(cohort.pk, []), counts):
            points.append((cohort, withheld(cohort.name, hidden_reason(cohort, n))))
        else:
            points.append((cohort, Summary(cohort.name, n, measures.get(cohort.pk, {}))))
    return points


@dataclass(frozen=True)
class CohortDashboard:
    cohort: Cohort
    cohort_summary: Summary
    teams: list[Summary]
    organisation_summary: Summary
    dimensions: list[Dimension]


def cohort_dashboard(cohort: Cohort) -> CohortDashboard:
    """A whole cohort for HR admins: its aggregates and each team's, under the
    same rules as the managers' dashboards."""
    k = cohort.min_group_size
    counts = completed_by_team([cohort])
    team_ids = cohort_teams([cohort]).get(cohort.pk, [])
    hidden = hidden_teams(cohort, team_ids, counts)
    visible = [team_id for team_id in team_ids if team_id not in hidden]
    measures = _measures_by(
        ScoreTally.objects.filter(cohort=cohort, team_id__in=visible), key="team_id"
    )
    teams = []
    for team in Team.objects.filter(pk__in=team_ids).order_by("name"):
        n = counts.get((cohort.pk, team.pk), 0)
        if team.pk in hidden:
            teams.append(withheld(team.name, hidden_reason(cohort, n)))
        else:
            teams.append(Summary(team.name, n, measures.get(team.pk, {})))
    cohort_n = sum(counts.values())
    tallies = ScoreTally.objects.filter(cohort=cohort)
    cohort_summary = (
        summarise(f"{cohort.name} (all teams)", tallies)
        if cohort_n >= k
        else withheld(cohort.name, too_small(k))
    )
    org_n, org_tallies = organisation()
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
        ),
        dimensions=list(Dimension.objects.all()),
    )


CSV_COLUMNS = ["group", "measure", "n", "mean", "sd", "q1", "median", "q3", "band", "note"]


def summary_rows(summaries: list[Summary], labels: dict[str, str]) -> list[dict]:
    """Exactly what the charts and tables show, row by row, for a download."""
    rows = []
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
                    "mean": measure.mean,
                    "sd": measure.sd,
                    "q1": measure.q1,
                    "median": measure.median,
                    "q3": measure.q3,
                    "band": measure.band.label,
                }
            )
        for band in scoring.BANDS:
            if band.key in summary.bands:
                rows.append(
                    {
                        "group": summary.label,
                        "measure": f"People in band: {band.label}",
                        "n": summary.bands[band.key],
                    }
                )
    return rows


def shared_with(user) -> QuerySet:
    """Results people chose to share with the teams this person manages."""
    from .models import ResultShare

    return (
        ResultShare.objects.filter(team__managers__user=user)
        .select_related("team", "result__attempt__participant")
        .order_by("team__name", "-shared_at")
    )


def figures_version() -> int:
    """Changes whenever any dashboard figure may change: a publication, a
    share, a cohort's settings. Part of every cached dashboard's key."""
    return Cohort.objects.aggregate(v=Coalesce(Sum("figures_version"), 0))["v"]


def bump_figures_version(cohort_id: int) -> None:
    Cohort.objects.filter(pk=cohort_id).update(figures_version=F("figures_version") + 1)
