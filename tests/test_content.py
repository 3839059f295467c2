"""Content checks for the default question bank and the guidance module (no database)."""

import json
import re
from collections import Counter
from pathlib import Path

from assessments.content.article import PASSAGES, passage_text
from assessments.content.guidance import (
    BAND_KEYS,
    DIMENSION_GUIDANCE,
    NUANCES,
    OVERALL_GUIDANCE,
    Guidance,
)

BANK_PATH = Path(__file__).resolve().parents[1] / "assessments" / "data" / "default_bank.json"
DIMENSION_KEYS = ["status_quo", "commitment", "disapproval"]
ALL_NEAR_ANGRY = re.compile(r"\ball\b[^.;]{0,40}\bangry\b", re.IGNORECASE)


def load_bank() -> dict:
    return json.loads(BANK_PATH.read_text(encoding="utf-8"))


def all_guidance() -> list[Guidance]:
    entries = [g for bands in DIMENSION_GUIDANCE.values() for g in bands.values()]
    return entries + list(OVERALL_GUIDANCE.values())


def test_bank_has_the_three_dimensions_in_order() -> None:
    bank = load_bank()
    assert [d["key"] for d in bank["dimensions"]] == DIMENSION_KEYS


def test_every_item_belongs_to_a_known_dimension() -> None:
    bank = load_bank()
    unknown = [i["dimension"] for i in bank["items"] if i["dimension"] not in DIMENSION_KEYS]
    assert unknown == []


def test_each_dimension_has_at_least_six_items_balanced_between_poles() -> None:
    bank = load_bank()
    for key in DIMENSION_KEYS:
        poles = Counter(i["pole"] for i in bank["items"] if i["dimension"] == key)
        assert sum(poles.values()) >= 6, key
        assert poles["leader"] == poles["seller"], (key, poles)


def test_every_item_pole_is_leader_or_seller() -> None:
    bank = load_bank()
    assert {i["pole"] for i in bank["items"]} <= {"leader", "seller"}


def test_item_texts_are_unique_non_empty_and_short() -> None:
    texts = [i["text"] for i in load_bank()["items"]]
    assert all(t.strip() for t in texts)
    assert all(len(t) < 160 for t in texts)
    assert len(set(texts)) == len(texts)


def test_every_item_passage_is_a_known_passage() -> None:
    missing = [i["passage"] for i in load_bank()["items"] if i["passage"] not in PASSAGES]
    assert missing == []


def test_every_passage_is_at_most_35_words() -> None:
    too_long = {k: len(v.split()) for k, v in PASSAGES.items() if len(v.split()) > 35}
    assert too_long == {}


def test_passage_text_returns_the_stored_quote() -> None:
    for key, text in PASSAGES.items():
        assert passage_text(key) == text


def test_dimension_guidance_covers_every_dimension_and_band() -> None:
    assert set(DIMENSION_GUIDANCE) == set(DIMENSION_KEYS)
    for key in DIMENSION_KEYS:
        assert set(DIMENSION_GUIDANCE[key]) == set(BAND_KEYS), key


def test_overall_guidance_covers_every_band() -> None:
    assert set(OVERALL_GUIDANCE) == set(BAND_KEYS)


def test_guidance_fields_are_non_empty() -> None:
    for g in all_guidance():
        assert g.headline.strip()
        assert g.meaning.strip()
        assert g.suggestion.strip()


def test_guidance_passages_are_none_or_known_keys() -> None:
    for g in all_guidance():
        assert g.passage is None or g.passage in PASSAGES, g.headline


def test_leader_band_warns_when_all_of_the_people_are_angry() -> None:
    for key in ("status_quo", "disapproval"):
        g = DIMENSION_GUIDANCE[key]["leader"]
        assert ALL_NEAR_ANGRY.search(f"{g.meaning} {g.suggestion}"), key


def test_nuances_are_three_non_empty_paragraphs() -> None:
    assert len(NUANCES) == 3
    assert all(n.strip() for n in NUANCES)


def test_no_template_comment_spans_lines():
    """Django's {# #} comment ends at the line's end: one that spans lines is
    shown to the reader as text (it was, beside the question page's buttons)."""
    templates = Path(__file__).resolve().parents[1] / "templates"
    open_comments = [
        f"{path.relative_to(templates)}:{number}"
        for path in sorted(templates.rglob("*.html"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "{#" in line and "#}" not in line.split("{#", 1)[1]
    ]
    assert open_comments == []
