"""Charts about groups: completion for HR, and means for the dashboards."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from assessments.charts.style import (
    GROUP_COLOURS,
    GROUP_SYMBOLS,
    TREND_COLOURS,
    FigureJSON,
    band_labels,
    band_stripes,
    figure,
    narrow_band_label_room,
    narrow_layout,
    row_labels,
    rows_axis,
    spectrum_axis,
    title,
    vertical_spectrum_axis,
    whole_step,
    wrap,
)
from assessments.content.scoring import shown

# Each stage's name in the legend, its hover text (%(team)s and %(count)s
# become plotly's placeholders) and its colour.
COMPLETION_STAGES = (
    (
        pgettext_lazy("people", "Completed"),
        gettext_lazy("%(team)s: %(count)s completed"),
        "#1b6f64",
    ),
    (
        pgettext_lazy("people", "Started"),
        gettext_lazy("%(team)s: %(count)s started"),
        "#6a4c93",
    ),
    (
        pgettext_lazy("people", "Not started"),
        gettext_lazy("%(team)s: %(count)s not started"),
        "#6c757d",
    ),
)
LEGEND_BELOW = {"orientation": "h", "x": 0, "y": -0.2, "yanchor": "top"}
# At the figure's foot, below an axis title, whatever the plot's height: the
# margin below the plot keeps room for the ticks, the title and the legend.
LEGEND_AT_FOOT = {"orientation": "h", "x": 0, "yref": "container", "y": 0, "yanchor": "bottom"}


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
    """Stacked bars per team: completed, started, not started; whole people."""
    teams = [row.team for row in rows]
    data = [
        {
            "type": "bar",
            "y": teams,
            "x": [row.counts()[index] for row in rows],
            "name": str(label),
            "orientation": "h",
            "marker": {"color": colour},
            "hovertemplate": hover % {"team": "%{y}", "count": "%{x}"} + "<extra></extra>",
        }
        for index, (label, hover, colour) in enumerate(COMPLETION_STAGES)
    ]
    layout = {
        "title": title(heading),
        "barmode": "stack",
        "yaxis": {**rows_axis(len(rows)), "showgrid": False},
        "xaxis": _people_axis(max((sum(row.counts()) for row in rows), default=0)),
        "legend": LEGEND_AT_FOOT,
        "height": 215 + 40 * len(rows),
        "margin": {"l": 10, "r": 20, "t": 50, "b": 85},
    }
    fit = narrow_layout(heading, below=10, body=150 + 60 * len(rows))
    narrow = {
        "title": fit["title"],
        "yaxis": {**rows_axis(len(rows), narrow=True), "showgrid": False},
        "annotations": [fit["heading"], *row_labels(teams)],
        "bargap": 0.45,
        # Room for the legend on two lines.
        "height": fit["height"] + 65,
        "margin": {"l": 12, "r": 20, "t": fit["top"], "b": 105},
    }
    return figure(data, layout, narrow)


@dataclass(frozen=True)
class GroupMeans:
    """One group's mean (as shown) on each measure, keyed by the measure's label."""

    group: str
    means: dict[str, float]


def spread_figure(groups: Sequence[GroupMeans], *, heading: str) -> FigureJSON:
    """Each group's mean of each measure, one row per measure, one colour
    and marker per group, named in a legend even when there is one group."""
    data = [_group_trace(index, group) for index, group in enumerate(groups)]
    measures = list(groups[0].means) if groups else []
    layout = {
        "title": title(heading),
        "shapes": band_stripes("x"),
        "annotations": band_labels(),
        "xaxis": spectrum_axis(),
        "yaxis": rows_axis(len(measures)),
        "scattermode": "group",
        "showlegend": True,
        "legend": LEGEND_BELOW,
        "height": 190 + 75 * len(measures),
        "margin": {"l": 10, "r": 40, "t": 70, "b": 50},
    }
    fit = narrow_layout(
        heading,
        below=narrow_band_label_room() + 4,
        body=170 + 90 * len(measures) + 22 * len(groups),
    )
    narrow = {
        "title": fit["title"],
        "annotations": [fit["heading"], *band_labels(narrow=True), *row_labels(measures)],
        "yaxis": rows_axis(len(measures), narrow=True),
        "height": fit["height"],
        "margin": {"l": 24, "r": 30, "t": fit["top"], "b": 50},
    }
    names = [{"name": wrap(group.group, 36)} for group in groups]
    return figure(data, layout, narrow, names)


@dataclass(frozen=True)
class TrendLine:
    """One measure's mean in each cohort; None where it is withheld."""

    measure: str
    values: Sequence[float | None]


def team_trend_figure(
    cohorts: Sequence[str], lines: Sequence[TrendLine], *, heading: str
) -> FigureJSON:
    """Means across cohorts, one line per measure; a withheld point is a gap.
    Lines sharing a point stand side by side rather than on top of each other."""
    data = [_trend_line(index, line, cohorts) for index, line in enumerate(lines)]
    axis = {"type": "category", "fixedrange": True, "automargin": True, "tickangle": 0}
    layout = {
        "title": title(heading),
        "yaxis": vertical_spectrum_axis(),
        "xaxis": axis,
        "scattermode": "group",
        "showlegend": True,
        "legend": LEGEND_BELOW,
        "height": 400,
        "margin": {"l": 10, "r": 20, "t": 50, "b": 40},
    }
    fit = narrow_layout(heading, below=10, body=420)
    narrow = {
        "title": fit["title"],
        "annotations": [fit["heading"]],
        "yaxis": vertical_spectrum_axis(narrow=True),
        "xaxis": {
            **axis,
            "tickmode": "array",
            "tickvals": list(cohorts),
            "ticktext": [wrap(name, 14) for name in cohorts],
            "tickfont": {"size": 11},
        },
        "height": fit["height"],
        "margin": {"l": 10, "r": 12, "t": fit["top"], "b": 40},
    }
    return figure(data, layout, narrow)


def _trend_line(index: int, line: TrendLine, cohorts: Sequence[str]) -> dict:
    return {
        "type": "scatter",
        "x": list(cohorts),
        "y": list(line.values),
        "text": [None if value is None else str(shown(value)) for value in line.values],
        "name": line.measure,
        "mode": "lines+markers",
        "connectgaps": False,
        "line": {"color": TREND_COLOURS[index % len(TREND_COLOURS)], "width": 2},
        "marker": {"size": 9, "symbol": ("circle", "diamond", "square", "triangle-up")[index % 4]},
        "hovertemplate": f"{line.measure}, %{{x}}: %{{text}}<extra></extra>",
    }


def _people_axis(highest: int) -> dict:
    """Whole people, about eight ticks, from 0."""
    return {
        "title": {"text": _("People")},
        "fixedrange": True,
        "rangemode": "tozero",
        "tick0": 0,
        "dtick": whole_step(highest),
        "tickformat": "d",
    }


def _group_trace(index: int, group: GroupMeans) -> dict:
    return {
        "type": "scatter",
        "x": list(group.means.values()),
        "y": list(group.means),
        "text": [str(shown(mean)) for mean in group.means.values()],
        "name": group.group,
        "mode": "markers",
        "marker": {
            "size": 13,
            "color": GROUP_COLOURS[index % len(GROUP_COLOURS)],
            "symbol": GROUP_SYMBOLS[index % len(GROUP_SYMBOLS)],
            "line": {"color": "white", "width": 1},
        },
        "hovertemplate": _("%(group)s, %(measure)s: mean %(mean)s")
        % {"group": group.group, "measure": "%{y}", "mean": "%{text}"}
        + "<extra></extra>",
    }
