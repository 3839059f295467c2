"""The dashboards' charts and guidance, drawn only from what the rules let through."""

from collections.abc import Iterable
from typing import Any

from assessments import charts
from assessments.models import OVERALL
from assessments.presentation import OVERALL_LABEL, measure_labels


def _shown(summaries: Iterable) -> list:
    return [summary for summary in summaries if summary.shown]


def _spread_title(groups: list) -> str:
    """Says how finely the markers are rounded."""
    if all(m.precise for summary in groups for m in summary.measures.values()):
        return "Mean of each group, 0 (seller) to 100 (leader)"
    return "Mean of each group (to the nearest 5 points for small groups), 0 to 100"


def _spread_figure(groups: list, labels: dict[str, str]) -> dict[str, Any] | None:
    """Each shown group's mean, per measure."""
    if not groups:
        return None
    return charts.spread_figure(
        [
            (
                summary.label,
                [
                    charts.Spread(labels[key], measure.position)
                    for key in labels
                    if (measure := summary.measures.get(key)) is not None
                ],
            )
            for summary in groups
        ],
        title=_spread_title(groups),
    )


def _trend_figure(board, labels: dict[str, str]) -> dict[str, Any] | None:
    """The team's centre in each cohort it took part in; a gap where a point
    is withheld. Drawn from two cohorts with something shown."""
    points = [summary for _, summary in board.trend]
    if len(points) < 2 or not any(summary.shown for summary in points):
        return None
    return charts.team_trend_figure(
        [cohort.name for cohort, _ in board.trend],
        [
            (
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
        title=f"{board.team.name} across cohorts (means)",
    )


def dashboard_figures(board) -> dict[str, Any]:
    """The team dashboard's charts, drawn only from what the rules let through."""
    shown = _shown([board.team_summary, board.cohort_summary, board.organisation_summary])
    labels = measure_labels(board.dimensions)
    return {"spread": _spread_figure(shown, labels), "trend": _trend_figure(board, labels)}


def team_guidance(summary, dimensions) -> list[tuple[str, str, Any]]:
    """(label, band label, guidance) for the team's overall and each dimension,
    read from the band of the team's mean."""
    from assessments.content import team_guidance as texts

    if not summary.shown:
        return []
    rows = []
    overall = summary.measures.get(OVERALL)
    if overall is not None:
        rows.append(
            (OVERALL_LABEL, overall.band.label, texts.TEAM_OVERALL_GUIDANCE[overall.band.key])
        )
    for dimension in dimensions:
        measure = summary.measures.get(dimension.key)
        if measure is not None:
            guidance_text = texts.TEAM_DIMENSION_GUIDANCE[dimension.key][measure.band.key]
            rows.append((dimension.name, measure.band.label, guidance_text))
    return rows


def cohort_figures(board) -> dict[str, dict[str, Any] | None]:
    """The cohort dashboard's chart: the mean of the cohort and of each team shown."""
    groups = _shown([board.cohort_summary, *board.teams])
    return {"spread": _spread_figure(groups, measure_labels(board.dimensions))}
