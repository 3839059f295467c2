"""What a result page shows: scores joined with the article's guidance."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from . import charts, guidance, scoring
from .models import DimensionScore, Result

OVERALL_LABEL = "Overall"


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


def trend(results: Iterable[Result]) -> dict[str, Any]:
    """One line per dimension and one overall, across a person's results."""
    results = list(results)
    lines: dict[str, list] = {OVERALL_LABEL: []}
    for result in results:
        when = result.created_at
        lines[OVERALL_LABEL].append((when, result.overall))
        for score in result.scores.all():
            lines.setdefault(score.dimension.name, []).append((when, score.score))
    series = [charts.TrendSeries(label, points) for label, points in lines.items()]
    return charts.trend_figure(series, title="Your results over time")
