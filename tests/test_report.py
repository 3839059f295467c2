"""The result page as a report: a summary first, the differences to open,
the private link to copy and print, and a word for cohort participants."""

import json
import re

from django.urls import reverse

from assessments.accounts.exports import ABOUT
from assessments.content import article
from tests.helpers import add_people, complete, found, submitted_result


def finish_by_link(client, person):
    """Follow the invitation link in this browser and finish."""
    client.post(reverse("links:invitation", args=[person.token]))
    return complete(person)


def test_the_summary_comes_first_with_a_picture_of_each_position(client, bank_version):
    # Answers that can be read (the same answer throughout draws no marker).
    result = submitted_result(bank_version, value=lambda item: 1 + item.pk % 5)
    assert result.unclear == ""
    text = client.get(reverse("taking:result_detail", args=[result.token])).text
    summary = text.index('class="result-summary')
    assert summary < text.index('data-figure="result-figure"')
    # Overall and one per difference, drawn by the page itself.
    assert text[summary : text.index('data-figure="result-figure"')].count("spectrum-bar") == 4
    scores = {score.dimension.key: score for score in result.scores.all()}
    for key, score in scores.items():
        assert f'<a href="#dimension-{key}" class="glance-name">' in text
        assert f'<details class="guidance dimension" id="dimension-{key}">' in text
        line = f'x1="{score.score:.2f}"'
        assert line in text


def test_the_private_link_has_a_copy_button_and_is_printed(client, bank_version):
    result = submitted_result(bank_version)
    url = reverse("taking:result_detail", args=[result.token])
    text = client.get(url).text
    assert 'data-copy="permalink"' in text
    assert re.search(
        rf'<p class="print-only small mb-2">Your private link: http://testserver{url}</p>', text
    )


def test_a_cohort_participant_is_told_their_answers_are_recorded(client, cohort):
    team = cohort.teams.first()
    person = add_people(cohort, team, 1)[0]
    result = finish_by_link(client, person)
    text = client.get(reverse("taking:result_detail", args=[result.token])).text
    assert f"Your answers are recorded for <strong>{cohort.name}</strong>" in text
    assert f"groups of at least {cohort.min_group_size}" in text
    # Their one cohort attempt is done: no second, anonymous one on offer.
    assert "Take it again" not in text
    assert "to keep this result with your history" not in text


def test_someone_else_holding_the_link_sees_no_cohort_notice(client, cohort):
    team = cohort.teams.first()
    person = add_people(cohort, team, 1)[0]
    result = finish_by_link(client, person)
    client.cookies.clear()
    text = client.get(reverse("taking:result_detail", args=[result.token])).text
    assert "Your answers are recorded" not in text


def test_the_data_export_credits_the_article_once():
    assert ABOUT.count("Based on") == 1
    assert "based on Based on" not in ABOUT
    assert ABOUT.endswith(article.CREDIT)


def test_the_chart_numbers_equal_the_table_numbers(client, bank_version):
    # 62.5 is where the two rounding rules used to disagree.
    def half(item):
        return 5 if item.pole == "leader" and item.order % 4 else 3

    result = submitted_result(bank_version, value=half)
    assert any(score.score % 1 == 0.5 for score in result.scores.all()) or result.overall % 1 == 0.5
    text = client.get(reverse("taking:result_detail", args=[result.token])).text
    figure = json.loads(
        found(r'<script id="result-figure" type="application/json">(.*?)</script>', text)[1]
    )
    table = re.findall(r'<tr><th scope="row">([^<]+)</th><td>(\d+)</td>', text)
    points = figure["data"][-1]  # after the bands, drawn over them
    assert [(label, value) for label, value in table] == list(
        zip(points["y"], points["text"], strict=True)
    )


def without_per_request_values(html: str) -> str:
    return re.sub(r'(nonce|value)="[^"]+"', "", html)


def test_a_results_report_is_rendered_once_then_served_from_the_cache(
    client, bank_version, django_assert_num_queries
):
    result = submitted_result(bank_version)
    url = reverse("taking:result_detail", args=[result.token])
    first = client.get(url).text
    # The result by its token; not its scores again (nor whether it is
    # shared: only its taker is asked, and this browser did not take it).
    with django_assert_num_queries(1):
        second = client.get(url).text
    assert without_per_request_values(first) == without_per_request_values(second)


def test_a_new_template_or_text_draws_the_report_anew(monkeypatch, client, bank_version):
    from assessments.taking import results

    result = submitted_result(bank_version)
    url = reverse("taking:result_detail", args=[result.token])
    drawn: list[int] = []
    read_result = results.presentation.read_result

    def counted(result):
        drawn.append(result.pk)
        return read_result(result)

    monkeypatch.setattr(results.presentation, "read_result", counted)
    client.get(url)
    client.get(url)
    assert drawn == [result.pk]
    monkeypatch.setattr(results, "report_version", lambda: "another deploy")
    client.get(url)
    assert drawn == [result.pk, result.pk]


def test_a_history_draws_its_trend_once_until_a_new_result(
    monkeypatch, client, bank_version, participant, django_assert_num_queries
):
    from assessments.accounts import views

    for value in (2, 4):
        submitted_result(bank_version, user=participant, value=value)
    client.force_login(participant)
    drawn: list[int] = []
    trend = views.presentation.trend

    def counted(results):
        drawn.append(len(results))
        return trend(results)

    monkeypatch.setattr(views.presentation, "trend", counted)
    url = reverse("accounts:history")
    first = client.get(url).text
    # The session, the person, their permissions, which results they have
    # and any unfinished attempt: not the results' scores again.
    with django_assert_num_queries(5):
        second = client.get(url).text
    assert drawn == [2]
    assert 'id="trend-overall"' in first and 'id="trend-overall"' in second
    assert first.count("/results/") == second.count("/results/") == 2
    submitted_result(bank_version, user=participant, value=3)
    assert client.get(url).text.count("/results/") == 3
    assert drawn == [2, 3]
