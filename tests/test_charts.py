"""The charts' figure JSON: valid for plotly, in both its wide and narrow
layouts, and showing every number by the one rounding rule."""

from datetime import UTC, datetime

import plotly.graph_objects as go
import pytest
from django.template import Context, Template

from assessments import charts
from assessments.content.scoring import shown
from assessments.presentation import moments

MEASURES = ["Overall", "Holding the status quo", "Gaining commitment", "Living with disapproval"]


def every_figure() -> dict[str, charts.FigureJSON]:
    return {
        "spectrum": charts.spectrum_figure(
            [
                charts.Position(label, score)
                for label, score in zip(MEASURES, [62.5, 0, 100, 37.5], strict=True)
            ]
        ),
        "trend": charts.trend_figure(
            charts.TrendSeries("Overall", ["1 Dec 2026", "5 Dec 2026<br>14:03"], [40.0, 62.5])
        ),
        "completion": charts.completion_figure(
            [charts.Completion("EMEA sales", 3, 1, 0), charts.Completion("US sales", 0, 0, 2)],
            heading="Completion by team",
        ),
        "spread": charts.spread_figure(
            [
                charts.GroupMeans("EMEA sales", dict.fromkeys(MEASURES, 55.0)),
                charts.GroupMeans("Cohort", dict.fromkeys(MEASURES, 60.0)),
            ],
            heading="Mean of each group, 0 (seller) to 100 (leader)",
        ),
        "team trend": charts.team_trend_figure(
            ["Sales managers, Q1 2027", "Q2"],
            [charts.TrendLine(label, [50.0, None]) for label in MEASURES],
            heading="EMEA sales across cohorts (means)",
        ),
    }


@pytest.mark.parametrize("name", list(every_figure()))
@pytest.mark.parametrize("width", ["wide", "narrow"])
def test_plotly_accepts_every_figure_in_both_layouts(name, width):
    """plotly.py validates each property name and value as it builds a
    figure: an unknown or misspelt one raises ValueError."""
    figure = every_figure()[name]
    layout = figure["layout"] | (figure["narrow"] if width == "narrow" else {})
    data = figure["data"]
    if width == "narrow" and figure["narrow_traces"]:
        data = [trace | change for trace, change in zip(data, figure["narrow_traces"], strict=True)]
    go.Figure(data=data, layout=layout)


def test_a_narrow_chart_puts_row_names_above_the_rows_and_breaks_band_names():
    figure = every_figure()["spectrum"]
    assert figure["layout"]["yaxis"]["showticklabels"] is True
    narrow = figure["narrow"]
    assert narrow["yaxis"]["showticklabels"] is False
    texts = [annotation["text"] for annotation in narrow["annotations"]]
    assert "Seller-<br>leaning" in texts and "Leader-<br>leaning" in texts
    assert [f"<b>{label}</b>" for label in MEASURES] == texts[5:]


def test_the_positions_chart_has_no_title_of_its_own():
    """The page's heading and the table's caption already name it."""
    figure = every_figure()["spectrum"]
    assert "title" not in figure["layout"]
    assert "title" not in figure["narrow"]


def test_halves_round_up_everywhere():
    assert [shown(value) for value in (62.5, 62.49, 37.5, 0, 99.5, 100)] == [
        63,
        62,
        38,
        0,
        100,
        100,
    ]
    figure = every_figure()["spectrum"]
    assert figure["data"][0]["text"] == ["63", "0", "100", "38"]
    rendered = Template("{% load spectrum %}{{ a|score }} {{ b|score }} {{ c|score|default:'—' }}")
    assert rendered.render(Context({"a": 62.5, "b": 0.0, "c": None})) == "63 0 —"


def test_people_are_counted_in_whole_steps():
    axis = every_figure()["completion"]["layout"]["xaxis"]
    assert (axis["dtick"], axis["tickformat"]) == (1, "d")
    many = charts.completion_figure([charts.Completion("Big", 4000, 500, 500)], heading="x")
    assert many["layout"]["xaxis"]["dtick"] == 1000


def test_every_group_is_named_in_a_legend_even_alone():
    alone = charts.spread_figure(
        [charts.GroupMeans("Organisation", {"Overall": 50.0})], heading="Means"
    )
    assert alone["layout"]["showlegend"] is True
    assert alone["data"][0]["name"] == "Organisation"


def test_results_taken_the_same_day_are_told_apart_by_the_time():
    times = [
        datetime(2026, 12, 1, 9, 0, tzinfo=UTC),
        datetime(2026, 12, 5, 14, 3, tzinfo=UTC),
        datetime(2026, 12, 5, 14, 9, tzinfo=UTC),
    ]
    assert moments(times) == ["1 Dec 2026", "5 Dec 2026<br>14:03", "5 Dec 2026<br>14:09"]


def test_a_long_trend_labels_about_four_moments_on_a_phone():
    labels = [f"{day} Dec 2026" for day in range(1, 11)]
    figure = charts.trend_figure(charts.TrendSeries("Overall", labels, [50.0] * 10))
    assert figure["layout"]["xaxis"]["ticktext"] == labels
    kept = figure["narrow"]["xaxis"]["tickvals"]
    assert kept[0] == 0 and kept[-1] == 9 and len(kept) <= 5
