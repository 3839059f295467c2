"""The dashboards' charts and guidance, drawn only from what the rules let through."""

from collections.abc import Iterable
from typing import Any

from assessments import charts
from assessments.models import OVERALL
from assessments.presentation import OVERALL_LABEL, measure_labels


def _shown(summaries: Iterable) -> list:
    return [summary for summary in summaries if summary.shown]


def _spread_title(groups: list) -> str:
    """Says what the markers are: small groups show a rounded mean only."""
    detailed = [m.detailed for summary in groups for m in summary.measures.values()]
    if all(detailed):
        centre = "Median and middle half of each group"
    elif any(detailed):
        centre = "Median and middle half of each group (the mean alone for small groups)"
    else:
        centre = "Mean of each group, to the nearest 5 points"
    return f"{centre}, 0 (seller) to 100 (leader)"


def _spread_figure(groups: list, labels: dict[str, str]) -> dict[str, Any] | None:
    """Each shown group's centre (the median, or the mean alone for a small
    group) and middle half, per measure."""
    if not groups:
        return None
    return charts.spread_figure(
        [
            (
                summary.label,
                [
                    charts.Spread(labels[key], measure.position, measure.q1, measure.q3)
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
        title=f"{board.team.name} across cohorts (medians; the mean for a small team)",
    )


def dashboard_figures(board) -> dict[str, Any]:
    """The team dashboard's charts, drawn only from what the rules let through."""
    shown = _shown([board.team_summary, board.cohort_summary, board.organisation_summary])
    labels = measure_labels(board.dimensions)
    band_groups = [summary for summary in shown if summary.bands]  # teams only
    bands = (
        charts.band_distribution_figure(
            [(summary.label, summary.n, summary.bands) for summary in band_groups],
            title="Overall positions by band",
        )
        if band_groups
        else None
    )
    return {
        "bands": bands,
        "spread": _spread_figure(shown, labels),
        "trend": _trend_figure(board, labels),
        "band_groups": band_groups,
    }


WIDE_SPREAD = 25  # points between the first and third quartile


def team_guidance(summary, dimensions) -> list[tuple[str, str, Any]]:
    """(label, band label, guidance) for the team's overall and each dimension,
    read from the band of the team's median."""
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


def widely_spread(summary) -> bool:
    return summary.shown and any(
        m.detailed and m.q3 - m.q1 >= WIDE_SPREAD for m in summary.measures.values()
    )


def cohort_figures(board) -> dict[str, dict[str, Any] | None]:
    """The cohort dashboard's chart: the cohort and each team shown. No
    counts per band for a whole cohort: beside its teams' they would give a
    withheld team's away (docs/confidentiality.md, rule 3)."""
    groups = _shown([board.cohort_summary, *board.teams])
    return {"spread": _spread_figure(groups, measure_labels(board.dimensions))}
