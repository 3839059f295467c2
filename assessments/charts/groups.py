"""Charts about groups: completion for HR, and means for the dashboards."""

from collections.abc import Sequence
from dataclasses import dataclass

import plotly.graph_objects as go

from assessments.charts.style import (
    BASE_LAYOUT,
    GROUP_COLOURS,
    GROUP_SYMBOLS,
    TREND_COLOURS,
    FigureJSON,
    as_json,
    band_labels,
    band_stripes,
    spectrum_axis,
    title,
    vertical_spectrum_axis,
)

COMPLETION_COLOURS = {"Completed": "#1b6f64", "Started": "#6a4c93", "Not started": "#adb5bd"}


@dataclass(frozen=True)
class Completion:
    """How far one team's people have got."""

    team: str
    completed: int
    started: int
    not_started: int

    def counts(self) -> tuple[int, int, int]:
        return (self.completed, self.started, self.not_started)


def completion_figure(rows: Sequence[Completion], *, heading: str) -> FigureJSON:
    """Stacked bars per team: completed, started, not started."""
    teams = [row.team for row in rows]
    figure = go.Figure()
    for index, label in enumerate(COMPLETION_COLOURS):
        figure.add_trace(
            go.Bar(
                y=teams,
                x=[row.counts()[index] for row in rows],
                name=label,
                orientation="h",
                marker={"color": COMPLETION_COLOURS[label]},
                hovertemplate=f"%{{y}}: %{{x}} {label.lower()}<extra></extra>",
            )
        )
    figure.update_layout(
        title=title(heading),
        barmode="stack",
        yaxis={"autorange": "reversed", "automargin": True, "fixedrange": True},
        xaxis={"title": {"text": "People"}, "fixedrange": True, "rangemode": "tozero"},
        legend={"orientation": "h", "y": -0.25},
        height=160 + 40 * len(rows),
        margin={"l": 10, "r": 20, "t": 50, "b": 40},
        **BASE_LAYOUT,
    )
    return as_json(figure)


@dataclass(frozen=True)
class GroupMeans:
    """One group's mean (as shown) on each measure, keyed by the measure's label."""

    group: str
    means: dict[str, float]


def spread_figure(groups: Sequence[GroupMeans], *, heading: str) -> FigureJSON:
    """Each group's mean of each measure, one row per measure, one colour
    and marker per group."""
    figure = go.Figure()
    for index, group in enumerate(groups):
        figure.add_trace(
            go.Scatter(
                x=list(group.means.values()),
                y=list(group.means),
                name=group.group,
                mode="markers",
                marker={
                    "size": 13,
                    "color": GROUP_COLOURS[index % len(GROUP_COLOURS)],
                    "symbol": GROUP_SYMBOLS[index % len(GROUP_SYMBOLS)],
                    "line": {"color": "white", "width": 1},
                },
                hovertemplate=f"{group.group}, %{{y}}: mean %{{x:.0f}}<extra></extra>",
            )
        )
    count = len(groups[0].means) if groups else 1
    figure.update_layout(
        title=title(heading),
        shapes=band_stripes("x"),
        annotations=band_labels(),
        xaxis=spectrum_axis(),
        yaxis={"autorange": "reversed", "fixedrange": True, "automargin": True},
        scattermode="group",
        legend={"orientation": "h", "y": -0.25},
        height=160 + 75 * count,
        margin={"l": 10, "r": 40, "t": 70, "b": 50},
        **BASE_LAYOUT,
    )
    return as_json(figure)


@dataclass(frozen=True)
class TrendLine:
    """One measure's mean in each cohort; None where it is withheld."""

    measure: str
    values: Sequence[float | None]


def team_trend_figure(
    cohorts: Sequence[str], lines: Sequence[TrendLine], *, heading: str
) -> FigureJSON:
    """Means across cohorts, one line per measure; a withheld point is a gap."""
    figure = go.Figure()
    for index, line in enumerate(lines):
        figure.add_trace(
            go.Scatter(
                x=list(cohorts),
                y=list(line.values),
                name=line.measure,
                mode="lines+markers",
                connectgaps=False,
                line={"color": TREND_COLOURS[index % len(TREND_COLOURS)], "width": 2},
                marker={"size": 9},
                hovertemplate=f"{line.measure}, %{{x}}: %{{y:.0f}}<extra></extra>",
            )
        )
    figure.update_layout(
        title=title(heading),
        yaxis=vertical_spectrum_axis(),
        xaxis={"type": "category", "fixedrange": True, "automargin": True},
        legend={"orientation": "h", "y": -0.25},
        height=380,
        margin={"l": 10, "r": 20, "t": 50, "b": 40},
        **BASE_LAYOUT,
    )
    return as_json(figure)
