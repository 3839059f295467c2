"""What every chart shares: colours, fonts, the bands drawn behind the
seller-to-leader scale, its axes, and the shape of a figure.

A figure is plain JSON that plotly.js draws: ``data`` and ``layout``, plus
``narrow``, the layout changes for a container narrower than NARROW_WIDTH
(a phone). static/js/charts.js picks the layout for the container's width
and draws again when the width changes or the page is printed. Building
the JSON directly, rather than through plotly.py's figure objects, costs
microseconds instead of tens of milliseconds a request; the tests pass
every figure through plotly.py's validation instead (tests/test_charts.py).
"""

import textwrap
from typing import Any, Literal

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from assessments.content.scoring import BANDS

# A figure as plotly.js takes it, with its narrow layout.
FigureJSON = dict[str, Any]

# Below this container width (CSS px) a chart takes its narrow layout.
NARROW_WIDTH = 576

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
GROUP_COLOURS = ("#1d3557", "#6a4c93", "#1b6f64")
GROUP_SYMBOLS = ("circle", "diamond", "square")
BASE_LAYOUT = {
    "font": {**FONT, "color": TEXT_COLOUR},
    "paper_bgcolor": "white",
    "plot_bgcolor": "white",
    "autosize": False,
}


def figure(
    data: list[dict[str, Any]],
    layout: dict[str, Any],
    narrow: dict[str, Any],
    narrow_traces: list[dict[str, Any]] | None = None,
) -> FigureJSON:
    """The figure's JSON; ``narrow_traces`` holds changes to each trace
    (by position) on a narrow chart, such as a legend name wrapped."""
    return {
        "data": data,
        "layout": {**BASE_LAYOUT, **layout},
        "narrow": narrow,
        "narrow_traces": narrow_traces or [],
    }


def wrap(text: str, width: int) -> str:
    """``text`` in lines of at most about ``width`` characters, as plotly breaks them."""
    return "<br>".join(textwrap.wrap(text, width)) or text


def title(text: str, size: int = 16) -> dict[str, Any]:
    """A left-aligned title."""
    return {"text": text, "x": 0, "xanchor": "left", "font": {"size": size}}


NARROW_TITLE_WIDTH = 32


def narrow_layout(text: str, *, below: int, body: int) -> dict[str, Any]:
    """A phone's title, wrapped, standing ``below`` px above the plot (room
    for band names, say), with the top margin and height that hold it over
    ``body`` px of plot and bottom margin.

    The title is an annotation: plotly places a layout title of several
    lines by its first line, so the others would run into the plot."""
    lines = wrap(text, NARROW_TITLE_WIDTH)
    top = 16 + 20 * (lines.count("<br>") + 1) + below
    heading = {
        "text": lines,
        "x": 0,
        "xref": "paper",
        "xanchor": "left",
        "align": "left",
        "y": 1,
        "yref": "paper",
        "yanchor": "bottom",
        "yshift": below,
        "showarrow": False,
        "font": {"size": 15, "color": TEXT_COLOUR},
    }
    return {"title": {"text": ""}, "heading": heading, "height": top + body, "top": top}


def band_stripes(scale: Literal["x", "y"]) -> list[dict[str, Any]]:
    """The bands as stripes behind the chart, across the axis that carries
    the 0-100 scale ("x" for a horizontal scale, "y" for a vertical one)."""
    across = "y" if scale == "x" else "x"
    return [
        {
            "type": "rect",
            f"{scale}ref": scale,
            f"{across}ref": "paper",
            f"{scale}0": band.lower,
            f"{scale}1": band.upper,
            f"{across}0": 0,
            f"{across}1": 1,
            "fillcolor": BAND_COLOURS[band.key],
            "line": {"width": 0},
            "layer": "below",
        }
        for band in BANDS
    ]


# Each band's name on a phone-sized chart, where five sit side by side in
# about 60 px each: "|" breaks a line, so that each language can break its
# own long words where they break ("Führungs-|kraft").
NARROW_BAND_LABELS = {
    "seller": pgettext_lazy("band on a narrow chart; | breaks the line", "Seller"),
    "seller_leaning": pgettext_lazy("band on a narrow chart; | breaks the line", "Seller-|leaning"),
    "balanced": pgettext_lazy("band on a narrow chart; | breaks the line", "Balanced"),
    "leader_leaning": pgettext_lazy("band on a narrow chart; | breaks the line", "Leader-|leaning"),
    "leader": pgettext_lazy("band on a narrow chart; | breaks the line", "Leader"),
}


def _narrow_band_label(key: str) -> str:
    return str(NARROW_BAND_LABELS[key]).replace("|", "<br>")


def narrow_band_label_room() -> int:
    """The px a narrow chart's band names take above its plot, in the
    reader's language: two lines in English, three in German."""
    lines = max(str(label).count("|") + 1 for label in NARROW_BAND_LABELS.values())
    return 8 + 14 * lines


def band_labels(*, narrow: bool = False) -> list[dict[str, Any]]:
    """Each band's name above its stripe, in the reader's language; on a
    narrow chart a name of two words takes two lines, so five names fit
    side by side."""
    return [
        {
            "x": (band.lower + band.upper) / 2,
            "y": 1,
            "xref": "x",
            "yref": "paper",
            "yanchor": "bottom",
            "text": _narrow_band_label(band.key) if narrow else str(band.label),
            "showarrow": False,
            "font": {"size": 11 if narrow else 12, "color": TEXT_COLOUR},
        }
        for band in BANDS
    ]


def row_labels(labels: list[str]) -> list[dict[str, Any]]:
    """On a narrow chart, each row's name above its row, across the whole
    width, instead of beside it where it would squeeze the scale."""
    return [
        {
            "x": 0,
            "y": label,
            "xref": "paper",
            "yref": "y",
            "xanchor": "left",
            "yanchor": "bottom",
            "yshift": 14,
            "text": f"<b>{label}</b>",
            "showarrow": False,
            "font": {"size": 13, "color": TEXT_COLOUR},
        }
        for label in labels
    ]


def rows_axis(count: int, *, narrow: bool = False) -> dict[str, Any]:
    """One row per measure (or team), the first at the top. A narrow chart
    names each row above it, so it leaves room above the first row."""
    axis: dict[str, Any] = {
        "type": "category",
        "fixedrange": True,
        "automargin": True,
        "showgrid": True,
        "gridcolor": "#adb5bd",
    }
    if narrow:
        return {**axis, "showticklabels": False, "range": [count - 0.5, -0.9]}
    return {**axis, "autorange": "reversed", "showticklabels": True}


def spectrum_axis() -> dict[str, Any]:
    """0 (seller) on the left to 100 (leader) on the right."""
    seller, leader = _("Seller"), _("Leader")
    return {
        "range": [0, 100],
        "tickvals": [0, 20, 40, 60, 80, 100],
        "ticktext": [f"0<br>{seller}", "20", "40", "60", "80", f"100<br>{leader}"],
        "tickangle": 0,
        "fixedrange": True,
        "showgrid": False,
        "zeroline": False,
        "automargin": True,
    }


def vertical_spectrum_axis(*, narrow: bool = False) -> dict[str, Any]:
    """0 (seller) at the bottom to 100 (leader) at the top. On a phone the
    ends' names run up the axis as its title, so that a long one ("100
    Führungskraft") does not take a third of the chart's width."""
    seller, leader = _("Seller"), _("Leader")
    axis = {
        "range": [0, 100],
        "tickvals": [0, 20, 40, 60, 80, 100],
        "ticktext": [f"0 {seller}", "20", "40", "60", "80", f"100 {leader}"],
        "fixedrange": True,
        "automargin": True,
    }
    if narrow:
        axis["ticktext"] = ["0", "20", "40", "60", "80", "100"]
        axis["title"] = {"text": f"{seller} → {leader}", "font": {"size": 11}, "standoff": 4}
    return axis


def whole_step(highest: int) -> int:
    """A tick step for counting people: whole numbers, about eight ticks."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if highest / step <= 8:
            return step
    return max(1, highest // 8)
