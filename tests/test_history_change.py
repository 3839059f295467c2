"""A person's history marks a change only when it exceeds measurement error
(content/measurement.py, docs/psychometrics.md)."""

import pytest
from django.urls import reverse

from assessments import presentation
from assessments.content import measurement, scoring
from tests.helpers import submitted_result


def toward(end: str):
    """Answers that put every difference at one end of the scale."""
    leader = end == scoring.LEADER
    return lambda item: 5 if (item.pole == scoring.LEADER) == leader else 1


@pytest.fixture
def history(client, participant, bank_version):
    for end in (scoring.SELLER, scoring.LEADER, scoring.LEADER):
        submitted_result(bank_version, user=participant, value=toward(end))
    client.force_login(participant)
    return client.get(reverse("accounts:history"))


def test_the_thresholds_are_the_reliable_change_of_the_prior():
    one, overall = presentation.change_thresholds(3)
    assert one == pytest.approx(1.959963984540054 * 2**0.5 * measurement.PRIOR.sem)
    assert overall == pytest.approx(one / 3**0.5)
    readings = [
        presentation.Reading(score, None, False) for score in (50, 50 + one - 0.01, 50 + 2 * one)
    ]
    found = presentation.changes(readings, measurement.PRIOR)
    assert found[0] is None
    assert found[1] is not None and not found[1].real
    assert found[2] is not None and found[2].real


def test_the_table_marks_the_real_change_and_not_the_repeat(history):
    rows = history.context["rows"]
    newest, middle, oldest = rows
    assert all(cell.change is not None and not cell.change.real for cell in newest.cells)
    assert all(cell.change is not None and cell.change.real for cell in middle.cells)
    assert all(cell.change is None for cell in oldest.cells)
    assert history.text.count("▲ up 100") == len(middle.cells)
    assert "▼" not in history.text.split("<tbody>")[1]
    assert "22 points on one difference, 13 overall" in history.text


def test_the_trend_charts_ring_the_real_change(history):
    for chart in history.context["trend"]:
        (trace,) = chart.figure["data"]
        assert trace["marker"]["size"] == [9, 14, 9]
        assert trace["customdata"][1].endswith(", a real change")
        assert not trace["customdata"][2].endswith(", a real change")


def test_an_unclear_result_is_shown_so_and_changes_skip_it(client, participant, bank_version):
    """Seller end, then the same answer to everything (unclear), then the
    leader end: the last is compared with the first, the middle with none."""
    submitted_result(bank_version, user=participant, value=toward(scoring.SELLER))
    submitted_result(bank_version, user=participant, value=3)
    submitted_result(bank_version, user=participant, value=toward(scoring.LEADER))
    client.force_login(participant)
    response = client.get(reverse("accounts:history"))
    newest, unclear, oldest = response.context["rows"]
    assert all(cell.unclear and cell.change is None for cell in unclear.cells)
    assert all(c.change is not None and c.change.size == 100 for c in newest.cells)
    assert response.text.count("<td>unclear") == len(unclear.cells)
    for chart in response.context["trend"]:
        (trace,) = chart.figure["data"]
        assert trace["text"][1] == "unclear"
        assert trace["marker"]["size"] == [9, 9, 14]


def test_marks_use_the_margins_the_results_were_given_with(monkeypatch):
    """A later prior never changes a mark: each result's stored margin decides."""
    readings = [presentation.Reading(40, 5.0, False), presentation.Reading(50, 5.0, False)]
    wide = measurement.Precision(0.2, 40, "prior")
    (_, change) = presentation.changes(readings, wide)
    assert change is not None and change.threshold == pytest.approx(50**0.5) and change.real
