"""Plotly figures for the spectrum: pure functions from numbers to figure JSON.

The figures travel to the browser as JSON (``json_script``) and one static
script draws them, so no inline script is needed.
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import plotly.graph_objects as go

from assessments.content.scoring import BANDS

# One hue per end, light enough that dark text stays readable on every band.
# Neither end is coloured as "good": the spectrum is orientation, not worth.
BAND_COLOURS = {
    "seller": "#cfe8e4",
    "seller_leaning": "#e3f1ee",
    "balanced": "#f1f1f1",
    "leader_leaning": "#ebe5f4",
    "leader": "#dcd1ee",
}
MARKER_COLOUR = "#1d3557"
TEXT_COLOUR = "#212529"
FONT = {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 14}
TREND_COLOURS = ("#1b6f64", "#6a4c93", "#b5541b", "#1d3557")
# What every figure shares: no plotly template (it would add 7 KB of JSON to
# each figure), the site's fonts, white paper.
BASE_LAYOUT = {
    "font": {**FONT, "color": TEXT_COLOUR},
    "template": "none",
    "paper_bgcolor": "white",
    "plot_bgcolor": "white",
}


@dataclass(frozen=True)
class Position:
    label: str
    score: float


@dataclass(frozen=True)
class TrendSeries:
    label: str
    points: Sequence[tuple[datetime, float]]


def _band_shapes() -> list[dict[str, Any]]:
    return [
        {
            "type": "rect",
            "xref": "x",
            "yref": "paper",
            "x0": band.lower,
            "x1": band.upper,
            "y0": 0,
            "y1": 1,
            "fillcolor": BAND_COLOURS[band.key],
            "line": {"width": 0},
            "layer": "below",
        }
        for band in BANDS
    ]


def _band_labels() -> list[dict[str, Any]]:
    return [
        {
            "x": (band.lower + band.upper) / 2,
            "y": 1,
            "xref": "x",
            "yref": "paper",
            "yanchor": "bottom",
            "text": band.label,
            "showarrow": False,
            "font": {"size": 12, "color": TEXT_COLOUR},
        }
        for band in BANDS
    ]


def _spectrum_axis() -> dict[str, Any]:
    return {
        "range": [0, 100],
        "tickvals": [0, 20, 40, 60, 80, 100],
        "ticktext": ["0<br>Seller", "20", "40", "60", "80", "100<br>Leader"],
        "fixedrange": True,
        "showgrid": False,
        "zeroline": False,
        "automargin": True,
    }


def _as_json(figure: go.Figure) -> dict[str, Any]:
    return json.loads(figure.to_json())


def spectrum_figure(positions: Sequence[Position], *, title: str) -> dict[str, Any]:
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
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 16}},
        shapes=_band_shapes(),
        annotations=_band_labels(),
        xaxis=_spectrum_axis(),
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
    return _as_json(figure)


def trend_figure(series: TrendSeries, *, colour: str = TREND_COLOURS[0]) -> dict[str, Any]:
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
        title={"text": series.label, "x": 0, "xanchor": "left", "font": {"size": 15}},
        shapes=_band_rows(),
        yaxis=_vertical_spectrum_axis(),
        xaxis={"type": "date", "fixedrange": True, "automargin": True},
        showlegend=False,
        height=280,
        margin={"l": 10, "r": 20, "t": 40, "b": 30},
        **BASE_LAYOUT,
    )
    return _as_json(figure)


COMPLETION_COLOURS = {"Completed": "#1b6f64", "Started": "#6a4c93", "Not started": "#adb5bd"}


def completion_figure(rows: Sequence[tuple[str, int, int, int]], *, title: str) -> dict[str, Any]:
    """Stacked bars per team: (team, completed, started, not started)."""
    teams = [row[0] for row in rows]
    figure = go.Figure()
    for index, label in enumerate(COMPLETION_COLOURS, start=1):
        figure.add_trace(
            go.Bar(
                y=teams,
                x=[row[index] for row in rows],
                name=label,
                orientation="h",
                marker={"color": COMPLETION_COLOURS[label]},
                hovertemplate=f"%{{y}}: %{{x}} {label.lower()}<extra></extra>",
            )
        )
    figure.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 16}},
        barmode="stack",
        yaxis={"autorange": "reversed", "automargin": True, "fixedrange": True},
        xaxis={"title": {"text": "People"}, "fixedrange": True, "rangemode": "tozero"},
        legend={"orientation": "h", "y": -0.25},
        height=160 + 40 * len(rows),
        margin={"l": 10, "r": 20, "t": 50, "b": 40},
        **BASE_LAYOUT,
    )
    return _as_json(figure)


GROUP_COLOURS = ("#1d3557", "#6a4c93", "#1b6f64")
GROUP_SYMBOLS = ("circle", "diamond", "square")


@dataclass(frozen=True)
class Spread:
    """The centre (the mean, as shown) of one measure for one group."""

    measure: str
    centre: float


def band_distribution_figure(
    groups: Sequence[tuple[str, int, dict[str, int | None]]], *, title: str
) -> dict[str, Any]:
    """Per group of n people, the share whose overall position falls in each
    band; a band whose count is withheld (None) gets no bar, only a label."""
    figure = go.Figure()
    for index, (label, n, counts) in enumerate(groups):
        shares = [
            None if (count := counts.get(band.key)) is None else round(100 * count / (n or 1))
            for band in BANDS
        ]
        figure.add_trace(
            go.Bar(
                x=[band.label for band in BANDS],
                y=[share or 0 for share in shares],
                text=["few" if share is None else f"{share}%" for share in shares],
                name=label,
                marker={"color": GROUP_COLOURS[index % len(GROUP_COLOURS)]},
                textposition="outside",
                cliponaxis=False,
                hovertemplate=f"{label}, %{{x}}: %{{y}}%<extra></extra>",
            )
        )
    figure.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 16}},
        barmode="group",
        yaxis={
            "title": {"text": "% of people"},
            "range": [0, 110],
            "fixedrange": True,
            "automargin": True,
        },
        xaxis={"fixedrange": True},
        legend={"orientation": "h", "y": -0.2},
        height=360,
        margin={"l": 10, "r": 20, "t": 50, "b": 40},
        **BASE_LAYOUT,
    )
    return _as_json(figure)


def _vertical_spectrum_axis() -> dict[str, Any]:
    """0 (seller) at the bottom to 100 (leader) at the top."""
    return {
        "range": [0, 100],
        "tickvals": [0, 20, 40, 60, 80, 100],
        "ticktext": ["0 Seller", "20", "40", "60", "80", "100 Leader"],
        "fixedrange": True,
        "automargin": True,
    }


def _band_rows() -> list[dict[str, Any]]:
    """The bands as horizontal stripes behind a chart over time."""
    return [
        {
            "type": "rect",
            "xref": "paper",
            "yref": "y",
            "x0": 0,
            "x1": 1,
            "y0": band.lower,
            "y1": band.upper,
            "fillcolor": BAND_COLOURS[band.key],
            "line": {"width": 0},
            "layer": "below",
        }
        for band in BANDS
    ]


def spread_figure(groups: Sequence[tuple[str, Sequence[Spread]]], *, title: str) -> dict[str, Any]:
    """Each group's mean of each measure, one row per measure, one colour
    and marker per group."""
    figure = go.Figure()
    for index, (label, spreads) in enumerate(groups):
        figure.add_trace(
            go.Scatter(
                x=[spread.centre for spread in spreads],
                y=[spread.measure for spread in spreads],
                name=label,
                mode="markers",
                marker={
                    "size": 13,
                    "color": GROUP_COLOURS[index % len(GROUP_COLOURS)],
                    "symbol": GROUP_SYMBOLS[index % len(GROUP_SYMBOLS)],
                    "line": {"color": "white", "width": 1},
                },
                hovertemplate=f"{label}, %{{y}}: mean %{{x:.0f}}<extra></extra>",
            )
        )
    count = len(groups[0][1]) if groups else 1
    figure.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 16}},
        shapes=_band_shapes(),
        annotations=_band_labels(),
        xaxis=_spectrum_axis(),
        yaxis={"autorange": "reversed", "fixedrange": True, "automargin": True},
        scattermode="group",
        legend={"orientation": "h", "y": -0.25},
        height=160 + 75 * count,
        margin={"l": 10, "r": 40, "t": 70, "b": 50},
        **BASE_LAYOUT,
    )
    return _as_json(figure)


def team_trend_figure(
    cohorts: Sequence[str], lines: Sequence[tuple[str, Sequence[float | None]]], *, title: str
) -> dict[str, Any]:
    """Medians across cohorts, one line per measure; a withheld point is a gap."""
    figure = go.Figure()
    for index, (label, values) in enumerate(lines):
        figure.add_trace(
            go.Scatter(
                x=list(cohorts),
                y=list(values),
                name=label,
                mode="lines+markers",
                connectgaps=False,
                line={"color": TREND_COLOURS[index % len(TREND_COLOURS)], "width": 2},
                marker={"size": 9},
                hovertemplate=f"{label}, %{{x}}: %{{y:.0f}}<extra></extra>",
            )
        )
    figure.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 16}},
        yaxis=_vertical_spectrum_axis(),
        xaxis={"type": "category", "fixedrange": True, "automargin": True},
        legend={"orientation": "h", "y": -0.25},
        height=380,
        margin={"l": 10, "r": 20, "t": 50, "b": 40},
        **BASE_LAYOUT,
    )
    return _as_json(figure)
