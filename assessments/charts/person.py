"""A person's own charts: where they stand, and how that moved over time."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import plotly.graph_objects as go

from assessments.charts.style import (
    BASE_LAYOUT,
    MARKER_COLOUR,
    TEXT_COLOUR,
    TREND_COLOURS,
    FigureJSON,
    as_json,
    band_labels,
    band_stripes,
    spectrum_axis,
    title,
    vertical_spectrum_axis,
)


@dataclass(frozen=True)
class Position:
    label: str
    score: float


@dataclass(frozen=True)
class TrendSeries:
    label: str
    points: Sequence[tuple[datetime, float]]


def spectrum_figure(positions: Sequence[Position], *, heading: str) -> FigureJSON:
    """Positions on the 0 (seller) to 100 (leader) axis, one row each."""
    labels = [position.label for position in positions]
    figure = go.Figure(
        go.Scatter(
            x=[position.score for position in positions],
            y=labels,
            mode="markers+text",
            marker={"size": 18, "color": MARKER_COLOUR, "line": {"color": "white", "width": 2}},
            text=[f"{position.score:.0f}" for position in positions],
            textposition="top center",
            textfont={"color": TEXT_COLOUR, "size": 14},
            hovertemplate="%{y}: %{x:.0f}<extra></extra>",
            cliponaxis=False,
        )
    )
    figure.update_layout(
        title=title(heading),
        shapes=band_stripes("x"),
        annotations=band_labels(),
        xaxis=spectrum_axis(),
        yaxis={
            "autorange": "reversed",
            "fixedrange": True,
            "automargin": True,
            "showgrid": True,
            "gridcolor": "#adb5bd",
        },
        height=140 + 70 * len(positions),
        margin={"l": 10, "r": 40, "t": 70, "b": 50},
        **BASE_LAYOUT,
        showlegend=False,
    )
    return as_json(figure)


def trend_figure(series: TrendSeries, *, colour: str = TREND_COLOURS[0]) -> FigureJSON:
    """One score over time, on the seller-to-leader scale with its bands."""
    figure = go.Figure(
        go.Scatter(
            x=[when.isoformat() for when, _ in series.points],
            y=[score for _, score in series.points],
            name=series.label,
            mode="lines+markers+text",
            text=[f"{score:.0f}" for _, score in series.points],
            textposition="top center",
            line={"color": colour, "width": 2},
            marker={"size": 9},
            hovertemplate=f"{series.label}: %{{y:.0f}}<extra></extra>",
            cliponaxis=False,
        )
    )
    figure.update_layout(
        title=title(series.label, size=15),
        shapes=band_stripes("y"),
        yaxis=vertical_spectrum_axis(),
        xaxis={"type": "date", "fixedrange": True, "automargin": True},
        showlegend=False,
        height=280,
        margin={"l": 10, "r": 20, "t": 40, "b": 30},
        **BASE_LAYOUT,
    )
    return as_json(figure)
