"""A person's own charts: where they stand, and how that moved over time."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from assessments.charts.style import (
    MARKER_COLOUR,
    TEXT_COLOUR,
    TREND_COLOURS,
    FigureJSON,
    band_labels,
    band_stripes,
    figure,
    narrow_band_label_room,
    row_labels,
    rows_axis,
    spectrum_axis,
    title,
    vertical_spectrum_axis,
)
from assessments.content.scoring import shown


@dataclass(frozen=True)
class Position:
    label: str
    score: float
    margin: float | None = None  # half the 95% band; None draws no band
    unclear: bool = False  # answers that contradict each other: no point is drawn


@dataclass(frozen=True)
class TrendSeries:
    """One measure's score in each of a person's results, oldest first,
    with the moment each was taken as a reader would name it."""

    label: str
    moments: Sequence[str]
    scores: Sequence[float]
    # Whether each result differs from the one before by more than
    # measurement error (content/measurement.py); the first never does.
    real: Sequence[bool] = ()
    # Whether each result's answers could not be read (shown as "unclear").
    unclear: Sequence[bool] = ()


def spectrum_figure(positions: Sequence[Position]) -> FigureJSON:
    """Positions on the 0 (seller) to 100 (leader) axis, one row each. On a
    phone each row's name sits above the row, so the scale keeps the width.

    No title: the page's heading and the table's caption beside the chart
    already say what it shows, and a third time only pushes the plot down."""
    labels = [position.label for position in positions]
    unclear = pgettext("score", "unclear")
    trace = {
        "type": "scatter",
        # An unclear row's word sits mid-scale, where it cannot run off the chart.
        "x": [50 if position.unclear else position.score for position in positions],
        "y": labels,
        "mode": "markers+text",
        # An unclear row has no point, only the word: its answers say no position.
        "marker": {
            "size": [0 if position.unclear else 18 for position in positions],
            "color": MARKER_COLOUR,
            "line": {"color": "white", "width": 2},
        },
        "text": [
            unclear if position.unclear else str(shown(position.score)) for position in positions
        ],
        "textposition": [
            "middle center" if position.unclear else "middle right" for position in positions
        ],
        # A white halo keeps the figure readable where it crosses its band.
        "textfont": {"color": TEXT_COLOUR, "size": 14, "shadow": TEXT_HALO},
        "hovertemplate": "%{y}: %{text}<extra></extra>",
        "cliponaxis": False,
    }
    # The bands first, so that the points and figures are drawn over them.
    traces = [trace]
    if any(position.margin is not None for position in positions):
        traces.insert(0, _bands_trace(positions))
    layout = {
        "shapes": band_stripes("x"),
        "annotations": band_labels(),
        "xaxis": spectrum_axis(),
        # Rows in the order given: the bands trace, drawn first, leaves out
        # unclear rows and would otherwise set the order of the categories.
        "yaxis": {**rows_axis(len(positions)), **_in_order(labels)},
        "height": 106 + 70 * len(positions),
        # Room above the plot for the band names.
        "margin": {"l": 10, "r": 40, "t": 36, "b": 50},
        "showlegend": False,
    }
    # A narrow chart's band names take two lines ("Seller-" over "leaning"),
    # or three in German.
    top = narrow_band_label_room() + 12
    narrow = {
        "annotations": [*band_labels(narrow=True), *row_labels(labels)],
        "yaxis": {**rows_axis(len(positions), narrow=True), **_in_order(labels)},
        "height": top + 90 + 85 * len(positions),
        "margin": {"l": 24, "r": 30, "t": top, "b": 50},
    }
    return figure(traces, layout, narrow)


def _in_order(labels: Sequence[str]) -> dict:
    return {"categoryorder": "array", "categoryarray": list(labels)}


TEXT_HALO = "-1px -1px 2px #fff, 1px 1px 2px #fff, 1px -1px 2px #fff, -1px 1px 2px #fff"
BAND_COLOUR = "rgba(31, 41, 51, 0.28)"


def _bands_trace(positions: Sequence[Position]) -> dict:
    """Each row's 95% band as a thick bar behind its point, cut at the
    scale's ends (content/measurement.py); none for an unclear row."""
    xs: list[float | None] = []
    ys: list[str | None] = []
    for position in positions:
        if position.margin is None or position.unclear:
            continue
        low = max(0.0, position.score - position.margin)
        high = min(100.0, position.score + position.margin)
        xs += [low, high, None]
        ys += [position.label, position.label, None]
    return {
        "type": "scatter",
        "x": xs,
        "y": ys,
        "mode": "lines",
        "line": {"color": BAND_COLOUR, "width": 8},
        "hoverinfo": "skip",
        "showlegend": False,
        "connectgaps": False,
    }


def trend_figure(series: TrendSeries, *, colour: str = TREND_COLOURS[0]) -> FigureJSON:
    """One score across a person's results, on the seller-to-leader scale
    with its bands. Results are evenly spaced, named by when they were
    taken: two taken minutes apart are still two readable points."""
    steps = list(range(len(series.scores)))
    real = [bool(flag) for flag in series.real] or [False] * len(steps)
    unclear = pgettext("score", "unclear")
    # Translators: hover text of a point on a trend chart; %(moment)s is its date.
    real_change = _("%(moment)s, a real change")
    trace = {
        "type": "scatter",
        "x": steps,
        "y": list(series.scores),
        "name": series.label,
        "mode": "lines+markers+text",
        "text": [
            unclear if index < len(series.unclear) and series.unclear[index] else str(shown(score))
            for index, score in enumerate(series.scores)
        ],
        "textposition": "top center",
        "line": {"color": colour, "width": 2},
        # A real change from the result before is a larger point in a dark ring.
        "marker": {
            "size": [14 if flag else 9 for flag in real],
            "line": {"color": TEXT_COLOUR, "width": [3 if flag else 0 for flag in real]},
        },
        "hovertemplate": "%{customdata}: %{text}<extra></extra>",
        "customdata": [
            real_change % {"moment": moment} if flag else moment
            for moment, flag in zip(series.moments, real, strict=True)
        ],
        "cliponaxis": False,
    }
    layout = {
        "title": title(series.label, size=15),
        "shapes": band_stripes("y"),
        "yaxis": vertical_spectrum_axis(),
        "xaxis": _moments_axis(series.moments, steps),
        "showlegend": False,
        "height": 280,
        "margin": {"l": 10, "r": 20, "t": 40, "b": 30},
    }
    # A phone has room for about four dates: label the first, the last and
    # evenly spaced ones between.
    every = max(1, -(-len(steps) // 4))
    kept = steps[::every]
    if kept[-1] != steps[-1]:
        # The latest is always named; it takes the place of a neighbour too
        # close to it, whose label would run into its own.
        kept = [*kept[:-1], steps[-1]] if steps[-1] - kept[-1] < every else [*kept, steps[-1]]
    narrow = {
        "xaxis": _moments_axis(series.moments, kept),
        "yaxis": vertical_spectrum_axis(narrow=True),
    }
    return figure([trace], layout, {**narrow, "height": 300})


def _moments_axis(moments: Sequence[str], labelled: list[int]) -> dict:
    """Results at 0, 1, 2...; those in ``labelled`` named by when they were taken."""
    return {
        "tickmode": "array",
        "tickvals": labelled,
        "ticktext": [moments[step] for step in labelled],
        "range": [-0.5, len(moments) - 0.5],
        "fixedrange": True,
        "automargin": True,
        "showgrid": False,
        # The first result sits at x = 0: its zero line read as a mark.
        "zeroline": False,
        "tickangle": 0,
        "tickfont": {"size": 11},
    }
