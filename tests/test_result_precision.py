"""Every result carries its error band and says when its answers cannot be
read as a position (issue 10, part 3; docs/psychometrics.md)."""

import json

import pytest
from django.urls import reverse

from assessments import presentation
from assessments.content import measurement, scoring
from assessments.models import DimensionScore, Result
from tests.helpers import found, submitted_result


def mixed(item) -> int:
    return 1 + item.pk % 5


def both_poles_on(dimension: str):
    """Agreeing with everything on one difference, a clear lean elsewhere."""

    def value(item) -> int:
        if item.dimension.key == dimension:
            return 5
        return 5 if item.pole == scoring.LEADER else 2

    return value


def figure_of(text: str) -> dict:
    return json.loads(
        found(r'<script id="result-figure" type="application/json">(.*?)</script>', text)[1]
    )


def test_a_result_keeps_the_band_it_was_given_with(client, bank_version, monkeypatch):
    result = submitted_result(bank_version, value=mixed)
    overall = measurement.of_mean(measurement.PRIOR, 3).margin
    assert result.margin == pytest.approx(overall)
    assert result.precision_source == "prior" and result.unclear == ""
    margins = list(DimensionScore.objects.filter(result=result).values_list("margin", flat=True))
    assert margins == [pytest.approx(measurement.PRIOR.margin)] * 3
    # A later estimate of the precision never changes a result given.
    monkeypatch.setattr(measurement, "PRIOR", measurement.Precision(0.5, 30, "prior"))
    reading = presentation.read_result(Result.objects.get(pk=result.pk))
    assert reading.likely == pytest.approx(
        (max(0, result.overall - overall), min(100, result.overall + overall))
    )


def test_the_page_gives_each_scores_likely_range_in_the_table_and_the_chart(client, bank_version):
    result = submitted_result(bank_version, value=mixed)
    text = client.get(reverse("taking:result_detail", args=[result.token])).text
    reading = presentation.read_result(result)
    ranges = [reading.likely, *(dimension.likely for dimension in reading.dimensions)]
    for likely in ranges:
        assert likely is not None
        low, high = (scoring.shown(end) for end in likely)
        assert f"{low}–{high}" in text
    assert "your true overall position most likely lies between" in text
    bands, points = figure_of(text)["data"]
    assert bands["mode"] == "lines" and points["mode"] == "markers+text"
    drawn = [x for x in bands["x"] if x is not None]
    assert reading.likely is not None
    assert drawn[0:2] == pytest.approx(list(reading.likely))


def test_the_same_answer_to_everything_is_shown_as_unclear(client, bank_version):
    result = submitted_result(bank_version, value=3)
    assert result.unclear == "same_answer"
    assert all(result.scores.values_list("unclear", flat=True))
    text = client.get(reverse("taking:result_detail", args=[result.token])).text
    assert "Your answers cannot be read as a position." in text
    assert "You gave the same answer to every statement." in text
    assert "your true overall position most likely lies between" not in text
    bands, points = figure_of(text)["data"]
    assert points["text"] == ["unclear"] * 4 and points["marker"]["size"] == [0] * 4
    assert [x for x in bands["x"] if x is not None] == []  # no band for an unclear row
    assert text.count("<td>unclear</td>") == 4


def test_both_poles_of_one_difference_make_it_and_the_overall_unclear(client, bank_version):
    result = submitted_result(bank_version, value=both_poles_on("commitment"))
    assert result.unclear == "both_poles"
    unclear = dict(result.scores.values_list("dimension__key", "unclear"))
    assert unclear == {"commitment": True, "disapproval": False, "status_quo": False}
    text = client.get(reverse("taking:result_detail", args=[result.token])).text
    reading = presentation.read_result(result)
    name = next(d.name for d in reading.dimensions if d.key == "commitment")
    assert f"Your answers cannot be read as a position on {name}." in text
    _, points = figure_of(text)["data"]
    assert points["text"][0] == "unclear"  # the overall
    assert points["text"].count("unclear") == 2


def test_a_result_given_before_bands_shows_none(client, bank_version):
    stored = submitted_result(bank_version, value=mixed)
    # As a result stored before the migration: no margin (the rows are
    # frozen, so the test changes the copies read into memory).
    result = Result.objects.prefetch_related("scores__dimension").get(pk=stored.pk)
    result.margin = None
    for score in result.scores.all():
        score.margin = None
    reading = presentation.read_result(result)
    assert reading.likely is None and all(d.likely is None for d in reading.dimensions)


def test_an_unclear_score_has_no_marker_and_no_guidance_for_a_position(client, bank_version):
    result = submitted_result(bank_version, value=both_poles_on("commitment"))
    text = client.get(reverse("taking:result_detail", args=[result.token])).text
    summary = text[text.index('class="result-summary') : text.index('id="overall-heading"')]
    # The overall and commitment unclear: two bars of the four have no marker.
    assert summary.count("spectrum-bar") == 4 and summary.count('stroke="#1d3557"') == 2
    assert "Your answers here cannot be read as a position" in text
    assert "the guidance for a position would not fit you" in text


def test_an_export_says_an_older_result_was_never_checked(bank_version):
    from assessments.accounts.exports import _attempt

    stored = submitted_result(bank_version, value=mixed)
    result = Result.objects.prefetch_related("scores__dimension").get(pk=stored.pk)
    result.margin = None
    for score in result.scores.all():
        score.margin = None
    attempt = result.attempt
    attempt.result = result
    exported = _attempt(attempt)["result"]
    assert exported["unclear"] is None
    assert all(d["unclear"] is None for d in exported["dimensions"].values())


def test_the_rows_keep_their_order_when_the_overall_is_unclear(client, bank_version):
    """The bands, drawn first, leave out unclear rows: the axis still lists
    Overall first, then each difference (it once put the clear rows first)."""
    result = submitted_result(bank_version, value=both_poles_on("commitment"))
    text = client.get(reverse("taking:result_detail", args=[result.token])).text
    figure = figure_of(text)
    labels = figure["data"][1]["y"]
    assert labels[0] == "Overall"
    assert figure["layout"]["yaxis"]["categoryarray"] == labels
    assert figure["narrow"]["yaxis"]["categoryarray"] == labels
