"""The content in German: every guidance and team-guidance text, every band and
answer name has a German translation of its own, the article's quotes stay in
English with a translation beside them marked as one, and the credit keeps the
article's English title (no database).

These read the compiled catalogue (assessments/locale/de), so they fail until
it carries the content's translations."""

import re
from collections.abc import Callable, Iterator
from functools import partial

import pytest
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape

from assessments.content import article, guidance, scoring, team_guidance
from assessments.content.article import ARTICLE_AUTHOR, ARTICLE_TITLE, PASSAGES

# German sentences that speak to the reader: formal "Sie", never "du".
INFORMAL = re.compile(r"\b(du|dich|dir|dein\w*)\b", re.IGNORECASE)
ALL_NEAR_ANGRY = re.compile(r"\balle\b[^.;]{0,60}\bwütend\b", re.IGNORECASE)


def texts() -> Iterator[tuple[str, Callable[[], str]]]:
    """Every text people read from the content modules, as (where, read it)."""
    for name, module in (("guidance", guidance), ("team", team_guidance)):
        prefix = "TEAM_" if name == "team" else ""
        by_dimension = getattr(module, f"{prefix}DIMENSION_GUIDANCE")
        overall = getattr(module, f"{prefix}OVERALL_GUIDANCE")
        entries = [
            (f"{name}.{dimension}.{band}", entry)
            for dimension, bands in by_dimension.items()
            for band, entry in bands.items()
        ] + [(f"{name}.overall.{band}", entry) for band, entry in overall.items()]
        for where, entry in entries:
            for field in ("headline", "meaning", "suggestion"):
                yield f"{where}.{field}", partial(getattr, entry, field)
        nuances = getattr(module, f"{prefix}NUANCES")
        for index in range(len(nuances)):
            yield f"{name}.nuance.{index}", partial(nuances.__getitem__, index)
    for band in scoring.BANDS:
        yield f"band.{band.key}", partial(getattr, band, "label")
    for value in scoring.LIKERT_LABELS:
        yield f"likert.{value}", partial(scoring.LIKERT_LABELS.__getitem__, value)


def read(language: str, text: Callable[[], str]) -> str:
    with translation.override(language):
        return text()


def test_every_content_text_has_a_german_translation_of_its_own():
    untranslated = [
        where
        for where, text in texts()
        if not read("de", text) or read("de", text) == read("en", text)
    ]
    assert untranslated == []


def test_german_texts_are_plain_strings_and_english_stays_the_source():
    for where, text in texts():
        assert type(read("de", text)) is str, where
    assert read("en", lambda: scoring.BANDS_BY_KEY["seller_leaning"].label) == "Seller-leaning"
    assert read("en", lambda: scoring.LIKERT_LABELS[1]) == "Strongly disagree"


def test_band_and_answer_names_follow_the_glossary():
    with translation.override("de"):
        assert [band.label for band in scoring.BANDS] == [
            "Verkäufer",
            "Eher Verkäufer",
            "Ausgewogen",
            "Eher Führungskraft",
            "Führungskraft",
        ]
        assert list(scoring.LIKERT_LABELS.values()) == [
            "Stimme überhaupt nicht zu",
            "Stimme eher nicht zu",
            "Weder noch",
            "Stimme eher zu",
            "Stimme voll und ganz zu",
        ]


def test_german_guidance_says_sie_not_du():
    informal = [where for where, text in texts() if INFORMAL.search(read("de", text))]
    assert informal == []


def test_german_guidance_keeps_the_warning_at_the_far_leader_end():
    # The article: some people angry may mean enough challenge; ALL of them is a warning.
    with translation.override("de"):
        for module, prefix in ((guidance, ""), (team_guidance, "TEAM_")):
            overall = getattr(module, f"{prefix}OVERALL_GUIDANCE")["leader"]
            assert ALL_NEAR_ANGRY.search(overall.suggestion), overall.suggestion
            assert ALL_NEAR_ANGRY.search(getattr(module, f"{prefix}NUANCES")[1])


@pytest.mark.parametrize("key", sorted(PASSAGES))
def test_every_quote_has_a_german_translation_and_stays_english(key):
    with translation.override("de"):
        quote = article.passage_text(key)
        german = article.passage_translation(key)
    assert quote == PASSAGES[key]
    assert german and german != quote
    assert quote.translation is None  # outside the override: English needs none
    with translation.override("en"):
        assert article.passage_translation(key) is None


def test_the_credit_is_german_around_the_english_title():
    with translation.override("en"):
        assert article.credit() == article.CREDIT
    with translation.override("de"):
        german = article.credit()
    assert german.startswith(f"Nach dem Artikel „{ARTICLE_TITLE}“ von {ARTICLE_AUTHOR}")
    assert article.ARTICLE_COPYRIGHT in german


def quote_block(key: str, language: str) -> str:
    with translation.override(language):
        return render_to_string(
            "assessments/_quote.html",
            {
                "quote": article.passage_text(key),
                "article_author": ARTICLE_AUTHOR,
                "article_title": ARTICLE_TITLE,
            },
        )


def test_the_quote_block_in_german_shows_the_english_words_then_a_marked_translation():
    key = "sales_fail"  # has an apostrophe, which the page escapes
    html = quote_block(key, "de")
    english = f'<blockquote class="blockquote mb-1" lang="en"><p>{escape(PASSAGES[key])}</p>'
    assert english in html
    assert f'<cite lang="en">{ARTICLE_TITLE}</cite>' in html
    with translation.override("de"):
        german = article.passage_translation(key)
    marked = f'<span class="fw-semibold">Übersetzung:</span> {escape(german)}</p>'
    assert marked in html
    assert html.index(english) < html.index("</figcaption>") < html.index(marked)


def test_the_quote_block_in_english_has_no_translation():
    html = quote_block("all_angry", "en")
    assert f'lang="en"><p>{escape(PASSAGES["all_angry"])}</p>' in html
    assert "article-quote-translation" not in html
