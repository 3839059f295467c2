"""What a result page shows: scores joined with the article's guidance."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from . import charts, guidance, scoring
from .models import OVERALL, DimensionScore, Result

OVERALL_LABEL = "Overall"


def measure_labels(dimensions) -> dict[str, str]:
    """Each measure's key and the name a page, chart or download gives it."""
    return {OVERALL: OVERALL_LABEL} | {d.key: d.name for d in dimensions}


@dataclass(frozen=True)
class DimensionReading:
    key: str
    name: str
    seller_pole: str
    leader_pole: str
    score: float
    band: scoring.Band
    guidance: guidance.Guidance

    @property
    def quote(self) -> str | None:
        return guidance.passage_text(self.guidance.passage) if self.guidance.passage else None


@dataclass(frozen=True)
class ResultReading:
    overall: float
    band: scoring.Band
    guidance: guidance.Guidance
    dimensions: Sequence[DimensionReading]
    figure: dict[str, Any]

    @property
    def quote(self) -> str | None:
        return guidance.passage_text(self.guidance.passage) if self.guidance.passage else None


def _reading(score: DimensionScore) -> DimensionReading:
    band = scoring.BANDS_BY_KEY[score.band]
    return DimensionReading(
        key=score.dimension.key,
        name=score.dimension.name,
        seller_pole=score.dimension.seller_pole,
        leader_pole=score.dimension.leader_pole,
        score=score.score,
        band=band,
        guidance=guidance.DIMENSION_GUIDANCE[score.dimension.key][band.key],
    )


def read_result(result: Result) -> ResultReading:
    """The result's numbers, bands, guidance and chart; expects scores prefetched."""
    dimensions = [_reading(score) for score in result.scores.all()]
    band = scoring.BANDS_BY_KEY[result.band]
    positions = [charts.Position(OVERALL_LABEL, result.overall)] + [
        charts.Position(reading.name, reading.score) for reading in dimensions
    ]
    return ResultReading(
        overall=result.overall,
        band=band,
        guidance=guidance.OVERALL_GUIDANCE[band.key],
        dimensions=dimensions,
        figure=charts.spectrum_figure(
            positions, title="Where you stand, from seller (0) to leader (100)"
        ),
    )


@dataclass(frozen=True)
class TrendChart:
    key: str
    label: str
    figure: dict[str, Any]

    @property
    def figure_id(self) -> str:
        return f"trend-{self.key}"


def trend(results: Iterable[Result]) -> list[TrendChart]:
    """One chart overall and one per dimension, across a person's results."""
    lines: dict[str, tuple[str, list]] = {"overall": (OVERALL_LABEL, [])}
    for result in results:
        when = result.created_at
        lines["overall"][1].append((when, result.overall))
        for score in result.scores.all():
            lines.setdefault(score.dimension.key, (score.dimension.name, []))[1].append(
                (when, score.score)
            )
    return [
        TrendChart(
            key,
            label,
            charts.trend_figure(
                charts.TrendSeries(label, points),
                colour=charts.TREND_COLOURS[index % len(charts.TREND_COLOURS)],
            ),
        )
        for index, (key, (label, points)) in enumerate(lines.items())
    ]


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
    from . import team_guidance as texts

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
