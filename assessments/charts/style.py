"""What every chart shares: colours, fonts, the bands drawn behind the
seller-to-leader scale, and its axes."""

import json
from typing import Any, Literal

import plotly.graph_objects as go

from assessments.content.scoring import BANDS

# A figure as plotly.js takes it: the JSON of a plotly figure.
FigureJSON = dict[str, Any]

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
# What every figure shares: no plotly template (it would add 7 KB of JSON to
# each figure), the site's fonts, white paper.
BASE_LAYOUT = {
    "font": {**FONT, "color": TEXT_COLOUR},
    "template": "none",
    "paper_bgcolor": "white",
    "plot_bgcolor": "white",
}


def title(text: str, size: int = 16) -> dict[str, Any]:
    return {"text": text, "x": 0, "xanchor": "left", "font": {"size": size}}


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


def band_labels() -> list[dict[str, Any]]:
    """Each band's name above its stripe."""
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


def spectrum_axis() -> dict[str, Any]:
    """0 (seller) on the left to 100 (leader) on the right."""
    return {
        "range": [0, 100],
        "tickvals": [0, 20, 40, 60, 80, 100],
        "ticktext": ["0<br>Seller", "20", "40", "60", "80", "100<br>Leader"],
        "fixedrange": True,
        "showgrid": False,
        "zeroline": False,
        "automargin": True,
    }


def vertical_spectrum_axis() -> dict[str, Any]:
    """0 (seller) at the bottom to 100 (leader) at the top."""
    return {
        "range": [0, 100],
        "tickvals": [0, 20, 40, 60, 80, 100],
        "ticktext": ["0 Seller", "20", "40", "60", "80", "100 Leader"],
        "fixedrange": True,
        "automargin": True,
    }


def as_json(figure: go.Figure) -> FigureJSON:
    return json.loads(figure.to_json())
