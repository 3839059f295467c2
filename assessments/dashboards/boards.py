"""The team and cohort dashboards: what each may show, built from
``summaries`` under the rules of ``groups`` and ``disclosure``.

Every number a dashboard, chart or download shows comes through here, so the
rules live in one place: no aggregate of a group with fewer completed
results than its cohort's minimum group size, and no combination of what
is shown (a cohort minus its other teams, the organisation minus a cohort,
a trend point, results people chose to share, a reading before and after
someone finishes) that would reveal such a group.

Figures are worked out from releases alone: each holds at least the
minimum group size of people who completed since the last, with its means
rounded once (see tallies.publish_if_due), and each group's figure is then
coarsened by its size (see ``disclosure``).
"""

from dataclasses import dataclass
from typing import NamedTuple

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments.content import measurement
from assessments.dashboards.disclosure import rounding_note
from assessments.dashboards.groups import (
    cohort_precise,
    cohort_teams,
    completed_by_team,
    hidden_reason,
    hidden_teams,
    organisation,
    too_small,
)
from assessments.dashboards.summaries import (
    Summary,
    exact_by,
    group_summary,
    one_team_summary,
    shown_summary,
    withheld,
)
from assessments.models import Cohort, Dimension, Release, Team


class TrendPoint(NamedTuple):
    """A team's figures in one cohort it took part in, and, per measure,
    whether they differ from the last cohort shown before by more than
    chance would (content/measurement.py)."""

    cohort: Cohort
    summary: Summary
    real_changes: frozenset[str] = frozenset()


def with_real_changes(points: list[TrendPoint]) -> list[TrendPoint]:
    """Each shown point compared with the last shown point before it, from
    what both show: the rounded means, the numbers of results and the
    bank's spread of scores (the prior's), never the team's own spread,
    which no page shows. A flag therefore says nothing the figures don't."""
    marked, previous = [], None
    for point in points:
        real: set[str] = set()
        if point.summary.shown and previous is not None:
            for key, measure in point.summary.measures.items():
                before = previous.measures.get(key)
                if (
                    before is not None
                    and measurement.group_change(
                        before.position, before.n, measure.position, measure.n
                    ).real
                ):
                    real.add(key)
        marked.append(point._replace(real_changes=frozenset(real)))
        if point.summary.shown:
            previous = point.summary
    return marked


@dataclass(frozen=True)
class TeamDashboard:
    team: Team
    cohort: Cohort
    team_summary: Summary
    cohort_summary: Summary
    organisation_summary: Summary
    trend: list[TrendPoint]
    dimensions: list[Dimension]

    @property
    def summaries(self) -> list[Summary]:
        """The groups its table and download show, in order."""
        return [self.team_summary, self.cohort_summary, self.organisation_summary]

    @property
    def note(self) -> str:
        """The small print for every table on the page, printed once."""
        return rounding_note(self.cohort.min_group_size)


def all_teams(cohort: Cohort) -> str:
    """The label of a whole cohort beside its teams."""
    return _("%(cohort)s (all teams)") % {"cohort": cohort.name}


def _comparison(
    label: str, whole_n: int, part_n: int, k: int, releases, is_precise: bool
) -> Summary:
    """A larger group shown beside a smaller one, unless the difference
    between them is a group of fewer than k people."""
    if whole_n < k:
        return withheld(label, too_small(k))
    if 0 < whole_n - part_n < k:
        return withheld(
            label,
            ngettext(
                "Withheld: beside your team's figures it would reveal a group of fewer than "
                "%(k)s person.",
                "Withheld: beside your team's figures it would reveal a group of fewer than "
                "%(k)s people.",
                k,
            )
            % {"k": k},
        )
    return group_summary(label, releases, k, is_precise)


def team_dashboard(team: Team, cohort: Cohort) -> TeamDashboard:
    k = cohort.min_group_size
    counts = completed_by_team([cohort])
    hidden = hidden_teams(cohort, cohort_teams([cohort]).get(cohort.pk, []), counts)
    team_n = counts.get((cohort.pk, team.pk), 0)
    cohort_releases = Release.objects.filter(cohort=cohort)
    if team.pk in hidden:
        team_summary = withheld(team.name, hidden_reason(cohort, team_n))
        shown_n = 0
    else:
        team_summary = one_team_summary(team.name, cohort_releases.filter(team=team), k)
        shown_n = team_n
    cohort_n = sum(counts.values())
    cohort_summary = _comparison(
        all_teams(cohort),
        cohort_n,
        shown_n,
        k,
        cohort_releases,
        cohort_precise(cohort, counts),
    )
    org_n, org_releases, org_precise = organisation()
    organisation_summary = _comparison(
        _("Whole organisation"), org_n, cohort_n, k, org_releases, org_precise
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


def team_trend(team: Team) -> list[TrendPoint]:
    """The team's figures in each cohort it took part in, each point withheld
    under the same rules as on that cohort's own dashboard. A fixed number of
    queries, however many cohorts."""
    cohorts = list(team.cohorts.order_by("opens_at", "created_at", "pk"))
    counts = completed_by_team(cohorts)
    teams = cohort_teams(cohorts)
    exacts = exact_by(Release.objects.filter(cohort__in=cohorts, team=team), key="cohort_id")
    points = []
    for cohort in cohorts:
        n = counts.get((cohort.pk, team.pk), 0)
        if team.pk in hidden_teams(cohort, teams.get(cohort.pk, []), counts):
            points.append(TrendPoint(cohort, withheld(cohort.name, hidden_reason(cohort, n))))
        else:
            summary = shown_summary(
                cohort.name, exacts.get(cohort.pk, {}), n, cohort.min_group_size
            )
            points.append(TrendPoint(cohort, summary))
    return with_real_changes(points)


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

    @property
    def note(self) -> str:
        """The small print for every table on the page, printed once."""
        return rounding_note(self.cohort.min_group_size)


def cohort_dashboard(cohort: Cohort) -> CohortDashboard:
    """A whole cohort for HR admins: its aggregates and each team's, under the
    same rules as the managers' dashboards."""
    k = cohort.min_group_size
    counts = completed_by_team([cohort])
    team_ids = cohort_teams([cohort]).get(cohort.pk, [])
    hidden = hidden_teams(cohort, team_ids, counts)
    visible = [team_id for team_id in team_ids if team_id not in hidden]
    exacts = exact_by(Release.objects.filter(cohort=cohort, team_id__in=visible), key="team_id")
    teams = []
    for team in Team.objects.filter(pk__in=team_ids).order_by("name"):
        n = counts.get((cohort.pk, team.pk), 0)
        if team.pk in hidden:
            teams.append(withheld(team.name, hidden_reason(cohort, n)))
        else:
            teams.append(shown_summary(team.name, exacts.get(team.pk, {}), n, k))
    cohort_n = sum(counts.values())
    releases = Release.objects.filter(cohort=cohort)
    cohort_summary = (
        group_summary(all_teams(cohort), releases, k, cohort_precise(cohort, counts))
        if cohort_n >= k
        else withheld(cohort.name, too_small(k))
    )
    org_n, org_releases, org_precise = organisation()
    return CohortDashboard(
        cohort=cohort,
        cohort_summary=cohort_summary,
        teams=teams,
        organisation_summary=_comparison(
            _("Whole organisation"),
            org_n,
            cohort_n if cohort_n >= k else 0,
            k,
            org_releases,
            org_precise,
        ),
        dimensions=list(Dimension.objects.all()),
    )
