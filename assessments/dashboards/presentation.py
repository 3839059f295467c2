"""The dashboards' charts and guidance, drawn only from what the rules let through."""

from collections.abc import Iterable, Sequence
from typing import NamedTuple, TypedDict

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from assessments import charts
from assessments.content import team_guidance as texts
from assessments.content.guidance import Guidance
from assessments.content.scoring import Band
from assessments.dashboards.boards import CohortDashboard, TeamDashboard
from assessments.dashboards.summaries import Summary
from assessments.models import OVERALL, Dimension


class DashboardFigures(TypedDict):
    spread: charts.FigureJSON | None
    trend: charts.FigureJSON | None


class CohortFigures(TypedDict):
    spread: charts.FigureJSON | None


# A band's name after a measure's, as in "Overall: seller-leaning". Its own
# words rather than the band's label in lower case, which would be wrong in
# German, where nouns keep their capital.
BAND_AFTER_MEASURE = {
    "seller": pgettext_lazy("band, after a measure's name", "seller"),
    "seller_leaning": pgettext_lazy("band, after a measure's name", "seller-leaning"),
    "balanced": pgettext_lazy("band, after a measure's name", "balanced"),
    "leader_leaning": pgettext_lazy("band, after a measure's name", "leader-leaning"),
    "leader": pgettext_lazy("band, after a measure's name", "leader"),
}


class TeamGuidance(NamedTuple):
    """What the article suggests for a team on one measure, read from the
    band of the team's mean."""

    measure: str
    band: Band
    text: Guidance

    @property
    def band_name(self) -> str:
        return str(BAND_AFTER_MEASURE[self.band.key])


def measure_labels(dimensions: Iterable[Dimension]) -> dict[str, str]:
    """Each measure's key and the name the dashboards' tables, charts and
    downloads give it, in the reader's language."""
    return {OVERALL: _("Overall")} | {d.key: d.local_name for d in dimensions}


def _shown(summaries: Iterable[Summary]) -> list[Summary]:
    return [summary for summary in summaries if summary.shown]


def _spread_title(groups: list[Summary]) -> str:
    """Says how finely the markers are rounded."""
    if all(m.precise for summary in groups for m in summary.measures.values()):
        return _("Mean of each group, 0 (seller) to 100 (leader)")
    return _("Mean of each group (to the nearest 5 points for small groups), 0 to 100")


def _spread_figure(groups: list[Summary], labels: dict[str, str]) -> charts.FigureJSON | None:
    """Each shown group's mean, per measure."""
    if not groups:
        return None
    return charts.spread_figure(
        [
            charts.GroupMeans(
                summary.label,
                {
                    label: measure.position
                    for key, label in labels.items()
                    if (measure := summary.measures.get(key)) is not None
                },
            )
            for summary in groups
        ],
        heading=_spread_title(groups),
    )


def _trend_figure(board: TeamDashboard, labels: dict[str, str]) -> charts.FigureJSON | None:
    """The team's centre in each cohort it took part in; a gap where a point
    is withheld. Drawn from two cohorts with something shown."""
    points = [point.summary for point in board.trend]
    if len(points) < 2 or not any(summary.shown for summary in points):
        return None
    return charts.team_trend_figure(
        [point.cohort.name for point in board.trend],
        [
            charts.TrendLine(
                label,
                [
                    summary.measures[key].position
                    if summary.shown and key in summary.measures
                    else None
                    for summary in points
                ],
            )
            for key, label in labels.items()
        ],
        heading=_("%(team)s across cohorts (means)") % {"team": board.team.name},
    )


def dashboard_figures(board: TeamDashboard) -> DashboardFigures:
    """The team dashboard's charts, drawn only from what the rules let through."""
    shown = _shown(board.summaries)
    labels = measure_labels(board.dimensions)
    return {"spread": _spread_figure(shown, labels), "trend": _trend_figure(board, labels)}


def team_guidance(summary: Summary, dimensions: Sequence[Dimension]) -> list[TeamGuidance]:
    """The article's suggestions for the team's overall and each dimension,
    read from the band of the team's mean; none while the team is withheld."""
    if not summary.shown:
        return []
    rows = []
    overall = summary.measures.get(OVERALL)
    if overall is not None:
        rows.append(
            TeamGuidance(_("Overall"), overall.band, texts.TEAM_OVERALL_GUIDANCE[overall.band.key])
        )
    for dimension in dimensions:
        measure = summary.measures.get(dimension.key)
        if measure is not None:
            text = texts.TEAM_DIMENSION_GUIDANCE[dimension.key][measure.band.key]
            rows.append(TeamGuidance(dimension.local_name, measure.band, text))
    return rows


def cohort_figures(board: CohortDashboard) -> CohortFigures:
    """The cohort dashboard's chart: the mean of the cohort and of each team shown."""
    groups = _shown([board.cohort_summary, *board.teams])
    return {"spread": _spread_figure(groups, measure_labels(board.dimensions))}
