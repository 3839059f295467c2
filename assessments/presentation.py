"""What a result page shows: scores joined with the article's guidance."""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format

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
        figure=charts.spectrum_figure(positions),
    )


@dataclass(frozen=True)
class TrendChart:
    key: str
    label: str
    figure: charts.FigureJSON

    @property
    def figure_id(self) -> str:
        return f"trend-{self.key}"


def moments(times: Sequence[datetime]) -> list[str]:
    """How a reader names each result: by its day, and by the time of day
    too when another result was taken the same day."""
    local = [timezone.localtime(when) for when in times]
    days = Counter(when.date() for when in local)
    return [
        date_format(when, "j M Y")
        + ("<br>" + date_format(when, "H:i") if days[when.date()] > 1 else "")
        for when in local
    ]


def trend(results: Sequence[Result]) -> list[TrendChart]:
    """One chart overall and one per dimension, across a person's results,
    oldest first; expects scores prefetched."""
    when = moments([result.created_at for result in results])
    lines: dict[str, tuple[str, list[float]]] = {"overall": (OVERALL_LABEL, [])}
    for result in results:
        lines["overall"][1].append(result.overall)
        for score in result.scores.all():
            lines.setdefault(score.dimension.key, (score.dimension.name, []))[1].append(score.score)
    return [
        TrendChart(
            key,
            label,
            charts.trend_figure(
                charts.TrendSeries(label, when, scores),
                colour=charts.TREND_COLOURS[index % len(charts.TREND_COLOURS)],
            ),
        )
        for index, (key, (label, scores)) in enumerate(lines.items())
    ]
