"""What a result page shows: scores joined with the article's guidance."""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import get_text_list
from django.utils.translation import gettext_lazy, pgettext

from assessments import charts
from assessments.content import guidance, measurement, scoring
from assessments.content.article import passage_text
from assessments.models import OVERALL, DimensionScore, Result

OVERALL_LABEL = gettext_lazy("Overall")


def measure_labels(dimensions) -> dict[str, str]:
    """Each measure's key and the name a page, chart or download gives it,
    in the reader's language."""
    return {OVERALL: str(OVERALL_LABEL)} | {d.key: d.local_name for d in dimensions}


def likely_range(score: float, margin: float | None) -> tuple[float, float] | None:
    """A score's 95% band from the margin stored with it, cut at 0 and 100;
    None on results given before bands were kept."""
    if margin is None:
        return None
    return max(0.0, score - margin), min(100.0, score + margin)


@dataclass(frozen=True)
class DimensionReading:
    key: str
    name: str
    seller_pole: str
    leader_pole: str
    score: float
    band: scoring.Band
    guidance: guidance.Guidance
    margin: float | None = None
    unclear: bool = False

    @property
    def quote(self) -> str | None:
        return passage_text(self.guidance.passage) if self.guidance.passage else None

    @property
    def likely(self) -> tuple[float, float] | None:
        return likely_range(self.score, self.margin)


@dataclass(frozen=True)
class ResultReading:
    overall: float
    band: scoring.Band
    guidance: guidance.Guidance
    dimensions: Sequence[DimensionReading]
    figure: charts.FigureJSON
    margin: float | None = None
    unclear: str = ""  # "", "same_answer", "both_poles" or "careless"

    @property
    def likely(self) -> tuple[float, float] | None:
        return likely_range(self.overall, self.margin)

    @property
    def unclear_names(self) -> list[str]:
        return [dimension.name for dimension in self.dimensions if dimension.unclear]

    @property
    def unclear_list(self) -> str:
        """The unclear differences' names as a sentence lists them ("A and B")."""
        return get_text_list(
            self.unclear_names, pgettext("between the last two names of a list", "and")
        )

    @property
    def quote(self) -> str | None:
        return passage_text(self.guidance.passage) if self.guidance.passage else None


def _reading(score: DimensionScore) -> DimensionReading:
    band = scoring.BANDS_BY_KEY[score.band]
    return DimensionReading(
        key=score.dimension.key,
        name=score.dimension.local_name,
        seller_pole=score.dimension.local_seller_pole,
        leader_pole=score.dimension.local_leader_pole,
        score=score.score,
        band=band,
        guidance=guidance.DIMENSION_GUIDANCE[score.dimension.key][band.key],
        margin=score.margin,
        unclear=score.unclear,
    )


def read_result(result: Result) -> ResultReading:
    """The result's numbers, bands, guidance and chart; expects scores prefetched."""
    dimensions = [_reading(score) for score in result.scores.all()]
    band = scoring.BANDS_BY_KEY[result.band]
    overall = charts.Position(
        str(OVERALL_LABEL), result.overall, result.margin, bool(result.unclear)
    )
    positions = [overall] + [
        charts.Position(reading.name, reading.score, reading.margin, reading.unclear)
        for reading in dimensions
    ]
    return ResultReading(
        overall=result.overall,
        band=band,
        guidance=guidance.OVERALL_GUIDANCE[band.key],
        dimensions=dimensions,
        figure=charts.spectrum_figure(positions),
        margin=result.margin,
        unclear=result.unclear,
    )


@dataclass(frozen=True)
class TrendChart:
    key: str
    label: str
    figure: charts.FigureJSON

    @property
    def figure_id(self) -> str:
        return f"trend-{self.key}"


def day_format() -> str:
    """The short date a chart's axis and the history table name a result
    by, in the reader's language ("1 Dec 2026", "01.12.2026"): one short
    enough to stand under a chart's point, which Django's named formats are
    not in every language."""
    # Translators: a date format (Django's date filter letters): keep it short.
    return pgettext("short date format", "j M Y")


def moments(times: Sequence[datetime]) -> list[str]:
    """How a reader names each result: by its day, and by the time of day
    too when another result was taken the same day."""
    local = [timezone.localtime(when) for when in times]
    days = Counter(when.date() for when in local)
    day = day_format()
    return [
        date_format(when, day)
        + ("<br>" + date_format(when, "H:i") if days[when.date()] > 1 else "")
        for when in local
    ]


@dataclass(frozen=True)
class Reading:
    """One measure of one result, as stored: its score, the 95% margin it
    was given with (None before margins were kept) and whether it was unclear."""

    score: float
    margin: float | None
    unclear: bool


def _lines(results: Sequence[Result]) -> dict[str, tuple[str, list[Reading]]]:
    """Each measure's label and its reading in each result, oldest first."""
    lines: dict[str, tuple[str, list[Reading]]] = {OVERALL: (str(OVERALL_LABEL), [])}
    for result in results:
        lines[OVERALL][1].append(Reading(result.overall, result.margin, bool(result.unclear)))
        for score in result.scores.all():
            line = lines.setdefault(score.dimension.key, (score.dimension.local_name, []))
            line[1].append(Reading(score.score, score.margin, score.unclear))
    return lines


def precision_of(key: str, dimensions: int) -> measurement.Precision:
    """A measure's precision under the prior: a difference's, or the
    overall's, a mean of the differences, more precise."""
    if key == OVERALL:
        return measurement.of_mean(measurement.PRIOR, dimensions)
    return measurement.PRIOR


def changes(
    readings: Sequence[Reading], precision: measurement.Precision
) -> list[measurement.Change | None]:
    """Each reading's change from the last clear one before it, judged with
    the margins both were given with (the prior's for a result from before
    margins were kept); None for the first, for an unclear reading, and
    when no clear reading comes before."""
    found: list[measurement.Change | None] = []
    previous: Reading | None = None
    for reading in readings:
        if reading.unclear or previous is None:
            found.append(None)
        else:
            found.append(
                measurement.change_between(
                    previous.score,
                    precision.margin if previous.margin is None else previous.margin,
                    reading.score,
                    precision.margin if reading.margin is None else reading.margin,
                )
            )
        if not reading.unclear:
            previous = reading
    return found


def trend(results: Sequence[Result]) -> list[TrendChart]:
    """One chart overall and one per dimension, across a person's results,
    oldest first, with each real change marked; expects scores prefetched."""
    when = moments([result.created_at for result in results])
    lines = _lines(results)
    charts_out = []
    for index, (key, (label, readings)) in enumerate(lines.items()):
        found = changes(readings, precision_of(key, len(lines) - 1))
        series = charts.TrendSeries(
            label,
            when,
            [reading.score for reading in readings],
            [change is not None and change.real for change in found],
            [reading.unclear for reading in readings],
        )
        colour = charts.TREND_COLOURS[index % len(charts.TREND_COLOURS)]
        charts_out.append(TrendChart(key, label, charts.trend_figure(series, colour=colour)))
    return charts_out


@dataclass(frozen=True)
class HistoryCell:
    score: float
    change: measurement.Change | None  # from the last clear result before; None if none
    unclear: bool = False


@dataclass(frozen=True)
class HistoryRow:
    result: Result
    cells: list[HistoryCell]  # overall first, then each difference


def history_rows(results: Sequence[Result]) -> list[HistoryRow]:
    """The history table, newest first: each score with its change from the
    last clear result before and whether that change exceeds measurement error."""
    lines = _lines(results)
    found = {
        key: changes(readings, precision_of(key, len(lines) - 1))
        for key, (_, readings) in lines.items()
    }
    rows = [
        HistoryRow(
            result,
            [
                HistoryCell(
                    lines[key][1][index].score, found[key][index], lines[key][1][index].unclear
                )
                for key in lines
            ],
        )
        for index, result in enumerate(results)
    ]
    return list(reversed(rows))


def change_thresholds(dimensions: int) -> tuple[float, float]:
    """The smallest real change of one difference's score and of the overall."""
    one = measurement.reliable_change(0, 0, measurement.PRIOR).threshold
    overall = measurement.reliable_change(0, 0, precision_of(OVERALL, dimensions)).threshold
    return one, overall
