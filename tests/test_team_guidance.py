"""Content checks for the team guidance shown on the manager dashboard (no database)."""

import re

from assessments.content import article, guidance, team_guidance
from assessments.content.article import PASSAGES
from assessments.content.guidance import (
    BAND_KEYS,
    DIMENSION_GUIDANCE,
    OVERALL_GUIDANCE,
    Guidance,
)
from assessments.content.team_guidance import (
    TEAM_DIMENSION_GUIDANCE,
    TEAM_NUANCES,
    TEAM_OVERALL_GUIDANCE,
)

DIMENSION_KEYS = ["status_quo", "commitment", "disapproval"]
ALL_NEAR_ANGRY = re.compile(r"\ball\b[^.;]{0,40}\bangry\b", re.IGNORECASE)
SENTENCE_END = re.compile(r"(?<=[.?])\s+(?=[A-Z])")
BRITISH_SPELLINGS = re.compile(
    r"\b(organisation|behaviour|colour|favour|centre|recognis|realis|prioritis|judgement|"
    r"practise|analys(e|ing))",
    re.IGNORECASE,
)


def team_entries() -> list[Guidance]:
    entries = [g for bands in TEAM_DIMENSION_GUIDANCE.values() for g in bands.values()]
    return entries + list(TEAM_OVERALL_GUIDANCE.values())


def individual_entries() -> list[Guidance]:
    entries = [g for bands in DIMENSION_GUIDANCE.values() for g in bands.values()]
    return entries + list(OVERALL_GUIDANCE.values())


def fields(g: Guidance) -> list[str]:
    return [g.headline, g.meaning, g.suggestion]


def all_team_texts() -> list[str]:
    texts = [t for g in team_entries() for t in fields(g)]
    return [*texts, *TEAM_NUANCES]


def sentences(text: str) -> list[str]:
    return [s for s in SENTENCE_END.split(text.strip()) if s]


def test_reuses_the_individual_passages_and_dataclass() -> None:
    assert team_guidance.PASSAGES is article.PASSAGES
    assert team_guidance.Guidance is guidance.Guidance
    assert team_guidance.BAND_KEYS is guidance.BAND_KEYS


def test_dimension_guidance_covers_every_dimension_and_band() -> None:
    assert set(TEAM_DIMENSION_GUIDANCE) == set(DIMENSION_KEYS)
    for key in DIMENSION_KEYS:
        assert set(TEAM_DIMENSION_GUIDANCE[key]) == set(BAND_KEYS), key


def test_overall_guidance_covers_every_band() -> None:
    assert set(TEAM_OVERALL_GUIDANCE) == set(BAND_KEYS)


def test_guidance_fields_are_non_empty() -> None:
    for g in team_entries():
        assert isinstance(g, Guidance)
        assert g.headline.strip()
        assert g.meaning.strip()
        assert g.suggestion.strip()


def test_meaning_and_suggestion_lengths() -> None:
    for g in team_entries():
        assert 2 <= len(sentences(g.meaning)) <= 3, g.headline
        assert 2 <= len(sentences(g.suggestion)) <= 4, g.headline


def test_passages_are_none_or_known_keys() -> None:
    for g in team_entries():
        assert g.passage is None or g.passage in PASSAGES, g.headline


def test_leader_band_warns_when_all_of_the_people_are_angry() -> None:
    for key in ("status_quo", "disapproval"):
        g = TEAM_DIMENSION_GUIDANCE[key]["leader"]
        assert ALL_NEAR_ANGRY.search(f"{g.meaning} {g.suggestion}"), key


def test_dimension_meanings_speak_about_the_team() -> None:
    for key, bands in TEAM_DIMENSION_GUIDANCE.items():
        for band, g in bands.items():
            assert "team" in g.meaning.lower(), (key, band)
            assert "your team" in f"{g.headline} {g.meaning}".lower(), (key, band)


def test_no_text_repeats_the_individual_guidance() -> None:
    individual = [t for g in individual_entries() for t in fields(g)]
    individual_sentences = {s for t in individual for s in sentences(t)}
    for text in all_team_texts():
        assert text not in individual, text
        for sentence in sentences(text):
            assert sentence not in individual_sentences, sentence
    assert not set(TEAM_NUANCES) & set(guidance.NUANCES)


def test_nuances_are_three_non_empty_paragraphs() -> None:
    assert len(TEAM_NUANCES) == 3
    assert all(n.strip() for n in TEAM_NUANCES)


def test_nuances_keep_the_article_nuances_and_the_group_reminder() -> None:
    joined = " ".join(TEAM_NUANCES)
    assert ALL_NEAR_ANGRY.search(joined)
    assert "persuasion" in joined.lower()
    assert "customer-facing" in joined.lower()
    assert "who answered what" in joined.lower()


def test_style_no_exclamation_marks_and_american_spelling() -> None:
    for text in all_team_texts():
        assert "!" not in text, text
        assert not BRITISH_SPELLINGS.search(text), text
