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
    spread = (
        charts.spread_figure(
            [
                (
                    summary.label,
                    [
                        charts.Spread(labels[key], m.position, m.q1, m.q3)
                        for key, m in ((key, summary.measures.get(key)) for key in labels)
                        if m is not None
                    ],
                )
                for summary in shown
            ],
            title=_spread_title(shown),
        )
        if shown
        else None
    )
    points = [(cohort, summary) for cohort, summary in board.trend]
    trend = (
        charts.team_trend_figure(
            [cohort.name for cohort, _ in points],
            [
                (
                    label,
                    [
                        summary.measures[key].position
                        if summary.shown and key in summary.measures
                        else None
                        for _, summary in points
                    ],
                )
                for key, label in labels.items()
            ],
            title=f"{board.team.name} across cohorts (medians)",
        )
        if len(points) >= 2 and any(summary.shown for _, summary in points)
        else None
    )
    return {"bands": bands, "spread": spread, "trend": trend, "band_groups": band_groups}


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
    """The cohort dashboard's charts: the cohort and each team shown."""
    labels = measure_labels(board.dimensions)
    groups = _shown([board.cohort_summary, *board.teams])
    if not groups:
        return {"spread": None}
    spread = charts.spread_figure(
        [
            (
                summary.label,
                [
                    charts.Spread(
                        labels[key],
                        summary.measures[key].position,
                        summary.measures[key].q1,
                        summary.measures[key].q3,
                    )
                    for key in labels
                    if key in summary.measures
                ],
            )
            for summary in groups
        ],
        title=_spread_title(groups),
    )
    # No counts per band for a whole cohort: beside its teams' they would
    # give a withheld team's away (docs/confidentiality.md, rule 3).
    return {"spread": spread}
