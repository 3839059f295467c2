"""Plotly figures for the spectrum: pure functions from typed numbers to figure JSON.

The figures travel to the browser as JSON (``json_script``) and one static
script draws them, so no inline script is needed. ``style`` holds what every
chart shares; ``person`` a participant's own charts; ``groups`` HR's and the
dashboards' charts.
"""

from assessments.charts.groups import (
    Completion,
    GroupMeans,
    TrendLine,
    completion_figure,
    spread_figure,
    team_trend_figure,
)
from assessments.charts.person import Position, TrendSeries, spectrum_figure, trend_figure
from assessments.charts.style import TREND_COLOURS, FigureJSON

__all__ = [
    "TREND_COLOURS",
    "Completion",
    "FigureJSON",
    "GroupMeans",
    "Position",
    "TrendLine",
    "TrendSeries",
    "completion_figure",
    "spectrum_figure",
    "spread_figure",
    "team_trend_figure",
    "trend_figure",
]
