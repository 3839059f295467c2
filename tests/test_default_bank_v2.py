"""The default bank's version 2 (assessments/data/default_bank_v2.json): its
shape, its content rules, and how simulated people answer it. No database:
the file is read as it ships, and points are worked out here from the file,
as the scoring gives them (docs/psychometrics.md)."""

import json
import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from assessments.banks import rules
from assessments.content import psychometrics, simulation
from assessments.content.article import PASSAGES

DATA = Path(__file__).resolve().parent.parent / "assessments" / "data"
DIMENSIONS = ("status_quo", "commitment", "disapproval")
WEAK = {
    "I make a point of telling people what is already working well.": ("status_quo", "seller"),
    "It matters to me that people leave a conversation with me feeling good.": (
        "status_quo",
        "seller",
    ),
    "I would rather see a new approach done clumsily at first than an old one done perfectly.": (
        "commitment",
        "leader",
    ),
    "When I ask for a difficult change, I look for real commitment, not just going along.": (
        "commitment",
        "leader",
    ),
    "When a decision upsets people, I give them time instead of rushing to win them back.": (
        "disapproval",
        "leader",
    ),
}
STATEMENT_KEYS = {"kind", "dimension", "pole", "text", "passage"}
SCENARIO_KEYS = {"kind", "dimension", "text", "passage", "options"}


def load(name: str) -> dict[str, Any]:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


V1 = load("default_bank.json")
V2 = load("default_bank_v2.json")


def plain(text: str) -> str:
    """As the publishing rules compare texts: NFKC, casefolded, words only."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def statements(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [item for item in data["items"] if item.get("kind", "statement") == "statement"]


def scenarios(data: dict[str, Any], dimension: str | None = None) -> list[dict[str, Any]]:
    return [
        item
        for item in data["items"]
        if item.get("kind") == "scenario" and dimension in (None, item["dimension"])
    ]


def item_specs(data: dict[str, Any]) -> list[simulation.ItemSpec]:
    specs = []
    for number, item in enumerate(data["items"], start=1):
        if item["kind"] == "scenario":
            positions = tuple(option["position"] for option in item["options"])
            specs.append(simulation.ItemSpec(number, item["dimension"], "", positions))
        else:
            specs.append(simulation.ItemSpec(number, item["dimension"], item["pole"]))
    return specs


def points(item: dict[str, Any], answer: int) -> float:
    """A statement: 0..1 from the 1-5 answer, reversed when seller-keyed; a
    scenario: the chosen option's (1-based, as listed) position / 100."""
    if item["kind"] == "scenario":
        return item["options"][answer - 1]["position"] / 100
    return (answer - 1) / 4 if item["pole"] == "leader" else (5 - answer) / 4


def point_matrix(dimension: str, people: list[simulation.SimulatedPerson]) -> np.ndarray:
    """People by the dimension's items, each answer as its points."""
    numbered = [
        (number, item)
        for number, item in enumerate(V2["items"], start=1)
        if item["dimension"] == dimension
    ]
    return np.array(
        [[points(item, person.answers[number]) for number, item in numbered] for person in people]
    )


@pytest.fixture(scope="module")
def people() -> list[simulation.SimulatedPerson]:
    return simulation.simulate(item_specs(V2), 1200, simulation.Population(), seed=10)


# --- The file ---------------------------------------------------------------------


def test_it_is_version_2_of_the_default_bank_in_format_2_or_3_with_translations():
    # Format 3 once it carries its translations (banks/rules.py), 2 before.
    translated = V2["version"].get("languages", ["en"]) != ["en"]
    assert V2["format"] == (3 if translated else 2)
    assert V2["version"]["number"] == 2
    assert V2["version"]["shuffle_items"] is True
    assert "rewritten or replaced" in V2["version"]["notes"]
    assert "scenario" in V2["version"]["notes"]
    assert V2["bank"] == V1["bank"]
    assert V2["dimensions"] == V1["dimensions"]
    assert [dimension["key"] for dimension in V2["dimensions"]] == list(DIMENSIONS)


def test_the_bank_file_rules_read_it_as_the_newest_default_version():
    assert rules.DEFAULT_BANK_PATHS[-1] == DATA / "default_bank_v2.json"
    assert rules.read_bank_file(rules.DEFAULT_BANK_PATHS[-1]) == V2


def test_every_item_is_a_whole_statement_or_scenario():
    for item in V2["items"]:
        assert item["kind"] in ("statement", "scenario")
        assert item["dimension"] in DIMENSIONS
        assert item["text"].strip() == item["text"] != ""
        assert len(item["text"]) <= 300
        # Translations, where the file carries them, are checked by the bank rules.
        if item["kind"] == "statement":
            assert set(item) - {"translations"} == STATEMENT_KEYS, item["text"]
            assert item["pole"] in ("seller", "leader")
        else:
            assert set(item) - {"translations"} == SCENARIO_KEYS, item["text"]
            for option in item["options"]:
                assert set(option) - {"translations"} == {"text", "position"}
                assert option["text"].strip() == option["text"] != ""
                assert len(option["text"]) <= 200


def test_the_five_weak_statements_are_gone_and_replaced_at_their_poles():
    texts = {plain(item["text"]) for item in V2["items"]}
    for weak in WEAK:
        assert plain(weak) not in texts
    kept = [item for item in statements(V1) if item["text"] not in WEAK]
    assert len(kept) == 24 - 5
    v2_statements = {(item["dimension"], item["pole"], item["text"]) for item in statements(V2)}
    for item in kept:  # every other statement of version 1 is kept as it was
        assert (item["dimension"], item["pole"], item["text"]) in v2_statements
    new = Counter(
        (item["dimension"], item["pole"])
        for item in statements(V2)
        if item["text"] not in {old["text"] for old in statements(V1)}
    )
    assert new == Counter(WEAK.values())


def test_every_item_cites_a_passage_of_the_article():
    for item in V2["items"]:
        assert item["passage"] in PASSAGES, item["text"]


def test_each_dimension_has_two_or_three_scenarios():
    for dimension in DIMENSIONS:
        assert 2 <= len(scenarios(V2, dimension)) <= 3


def test_scenario_options_follow_the_rules():
    for item in scenarios(V2):
        options = item["options"]
        positions = [option["position"] for option in options]
        assert 2 <= len(options) <= 4
        assert all(type(position) is int and 0 <= position <= 100 for position in positions)
        assert len(set(positions)) == len(positions)
        assert max(positions) - min(positions) >= 50
        # Listed out of position order, so the order gives no hint.
        assert positions not in (sorted(positions), sorted(positions, reverse=True))
        texts = [plain(option["text"]) for option in options]
        for text in texts:
            assert sum(other == text or other in text for other in texts) == 1, text


def test_each_dimension_is_balanced_and_has_six_items_or_more():
    for dimension in DIMENSIONS:
        own = [item for item in V2["items"] if item["dimension"] == dimension]
        poles = Counter(item["pole"] for item in statements(V2) if item["dimension"] == dimension)
        assert len(own) >= 6
        assert poles["seller"] == poles["leader"] >= 3


def test_no_item_repeats_or_holds_another():
    texts = [plain(item["text"]) for item in V2["items"]]
    for index, text in enumerate(texts):
        others = texts[:index] + texts[index + 1 :]
        assert not [other for other in others if other in text], text


def test_no_word_mixes_alphabets():
    every_text = [item["text"] for item in V2["items"]] + [
        option["text"] for item in scenarios(V2) for option in item["options"]
    ]
    for text in every_text:
        for word in plain(text).split():
            scripts = {unicodedata.name(ch).split()[0] for ch in word if ch.isalpha()}
            assert len(scripts) <= 1, word


# --- Simulated people ---------------------------------------------------------------


def test_scoring_finds_attentive_people_where_the_model_puts_them(people):
    attentive = [person for person in people if person.kind == simulation.ATTENTIVE]
    assert len(attentive) > 1000
    for dimension in DIMENSIONS:
        scores = 100 * point_matrix(dimension, attentive).mean(axis=1)
        true = [person.true_positions[dimension] for person in attentive]
        assert np.corrcoef(scores, true)[0, 1] >= 0.90, dimension


def test_each_dimension_is_reliable_over_the_default_mix(people):
    for dimension in DIMENSIONS:
        alpha = psychometrics.cronbach_alpha(point_matrix(dimension, people))
        assert alpha is not None and alpha >= 0.70, dimension


def test_each_scenario_goes_with_the_rest_of_its_dimension(people):
    """Every option is chosen by someone, and a scenario's points rise with
    the other items of its dimension (a corrected item-total r of .30 or more)."""
    for dimension in DIMENSIONS:
        own = [item for item in V2["items"] if item["dimension"] == dimension]
        correlations = psychometrics.item_total_correlations(point_matrix(dimension, people))
        for item, correlation in zip(own, correlations, strict=True):
            assert correlation is not None and correlation >= 0.30, item["text"]
    for number, item in enumerate(V2["items"], start=1):
        if item["kind"] == "scenario":
            chosen = Counter(person.answers[number] for person in people)
            assert set(chosen) == set(range(1, len(item["options"]) + 1))
