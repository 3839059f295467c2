"""The result page: private link, charts as JSON, text alternatives and guidance."""

import json
import re

from django.urls import reverse
from django.utils.html import escape

from assessments.content import article, guidance
from tests.helpers import found, submitted_result


def leaning_leader(item) -> int:
    return 5 if item.pole == "leader" else 1


def test_the_private_link_shows_scores_bands_and_guidance(client, bank_version):
    result = submitted_result(bank_version, value=leaning_leader)
    response = client.get(reverse("taking:result_detail", args=[result.token]))
    assert response.status_code == 200
    text = response.text
    assert "Overall you stand at <strong>100</strong>" in text
    for key in ("status_quo", "commitment", "disapproval"):
        reading = guidance.DIMENSION_GUIDANCE[key]["leader"]
        assert reading.headline in text
    # The far leader end carries the article's warning about everyone being angry.
    assert "all of the people" in text.lower()
    assert article.ARTICLE_AUTHOR in text
    assert escape(article.CREDIT) in text


def test_the_chart_travels_as_json_with_a_table_as_its_text_alternative(client, bank_version):
    result = submitted_result(bank_version, value=leaning_leader)
    text = client.get(reverse("taking:result_detail", args=[result.token])).text
    figure = json.loads(
        found(r'<script id="result-figure" type="application/json">(.*?)</script>', text).group(1)
    )
    bands, points = figure["data"]
    assert points["x"] == [100, 100, 100, 100]
    assert bands["mode"] == "lines" and max(x for x in bands["x"] if x is not None) == 100
    assert 'data-figure="result-figure" role="img"' in text
    assert "<caption>Your positions, from 0 (seller) to 100 (leader)</caption>" in text
    assert text.count('<tr><th scope="row">') == 4


def test_no_inline_script_runs_on_the_result_page(client, bank_version):
    result = submitted_result(bank_version)
    text = client.get(reverse("taking:result_detail", args=[result.token])).text
    scripts = re.findall(r"<script([^>]*)>", text)
    assert scripts, "the page should load its scripts"
    for attributes in scripts:
        assert 'src="' in attributes or 'type="application/json"' in attributes


def test_the_page_loads_nothing_from_another_site(client, bank_version):
    result = submitted_result(bank_version)
    text = client.get(reverse("taking:result_detail", args=[result.token])).text
    assert not re.search(r'(src|href)="(https?:)?//', text)


def test_a_strict_content_security_policy_is_sent(client, bank_version):
    result = submitted_result(bank_version)
    response = client.get(reverse("taking:result_detail", args=[result.token]))
    policy = response["Content-Security-Policy"]
    script_src = found(r"script-src ([^;]*)", policy).group(1)
    assert "'self'" in script_src
    assert "unsafe-inline" not in script_src
    assert "unsafe-eval" not in policy


def test_the_result_is_not_cached_or_indexed(client, bank_version):
    result = submitted_result(bank_version)
    response = client.get(reverse("taking:result_detail", args=[result.token]))
    assert "no-store" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]


def test_a_wrong_token_gets_404(client, bank_version):
    result = submitted_result(bank_version)
    wrong = result.token[:-1] + ("x" if result.token[-1] != "x" else "y")
    assert client.get(reverse("taking:result_detail", args=[wrong])).status_code == 404
    assert client.get(reverse("taking:result_detail", args=["nothing"])).status_code == 404


def test_tokens_are_long_and_unguessable(bank_version):
    tokens = {submitted_result(bank_version).token for _ in range(3)}
    assert len(tokens) == 3
    assert all(len(token) >= 32 for token in tokens)


def test_an_anonymous_result_offers_to_sign_up_and_keep_it(client, bank_version):
    result = submitted_result(bank_version)
    text = client.get(reverse("taking:result_detail", args=[result.token])).text
    assert "to keep this result with your history" in text
    assert "Take it again" in text
    assert "data-print>Print</button>" in text


def test_what_next_offers_one_pdf_download_with_letter_paper_beside_it(client, bank_version):
    result = submitted_result(bank_version)
    text = client.get(reverse("taking:result_detail", args=[result.token])).text
    actions = text.split('class="result-next')[1].split("</section>")[0]
    pdf = reverse("taking:result_pdf", args=[result.token])
    assert f'<a class="btn btn-primary" href="{pdf}">Download PDF</a>' in actions
    assert f'<a href="{pdf}?paper=letter">US Letter' in actions
    # One primary action: the download.
    assert actions.count("btn-primary") == 1


def test_every_band_has_guidance_on_the_page(client, bank_version):
    # Answers of 1..5 on leader items and the reverse on seller items walk
    # the overall position through every band; the middle one alternates 2
    # and 4, since the same answer to everything cannot be read at all.
    seen = set()
    for value in range(1, 6):

        def answer(item, v=value) -> int:
            if v == 3:
                return 2 if item.pk % 2 else 4
            return v if item.pole == "leader" else 6 - v

        result = submitted_result(bank_version, value=answer)
        assert result.unclear == ""
        text = client.get(reverse("taking:result_detail", args=[result.token])).text
        assert guidance.OVERALL_GUIDANCE[result.band].headline in text
        seen.add(result.band)
    assert seen == {"seller", "seller_leaning", "balanced", "leader_leaning", "leader"}
