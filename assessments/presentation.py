"""What a result page shows: scores joined with the article's guidance."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from assessments import charts
from assessments.content import guidance, scoring
from assessments.content.article import passage_text
from assessments.models import OVERALL, DimensionScore, Result

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
        return passage_text(self.guidance.passage) if self.guidance.passage else None


@dataclass(frozen=True)
class ResultReading:
    overall: float
    band: scoring.Band
    guidance: guidance.Guidance
    dimensions: Sequence[DimensionReading]
    figure: charts.FigureJSON

    @property
    def quote(self) -> str | None:
        return passage_text(self.guidance.passage) if self.guidance.passage else None


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
            positions, heading="Where you stand, from seller (0) to leader (100)"
        ),
    )


@dataclass(frozen=True)
class TrendChart:
    key: str
    label: str
    figure: charts.FigureJSON

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
