"""The default bank's version 2 (assessments/data/default_bank_v2.json) answered by
simulated people: per dimension, Cronbach's alpha and how well scoring finds the
people where the model puts them; per item, its corrected item-total correlation
and, for a scenario, how often each response is chosen. It prints figures; it is
not a test (tests/test_default_bank_v2.py asserts the floors).

Points are as the scoring gives them: a statement's answer (1-5) as
(answer - 1) / 4, reversed for a seller-keyed one; a scenario's chosen response's
position / 100. The model is assessments/content/simulation.py's
(docs/psychometrics.md). Reads the file directly; no database.

    .venv/bin/python bench/bank_v2_simulation.py              # 1,000 and 10,000 people
    .venv/bin/python bench/bank_v2_simulation.py --people 5000 --seed 7
"""

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assessments.content import psychometrics, simulation  # noqa: E402

BANK = Path(__file__).resolve().parent.parent / "assessments" / "data" / "default_bank_v2.json"
V1 = BANK.with_name("default_bank.json")


def item_specs(data: dict[str, Any]) -> list[simulation.ItemSpec]:
    specs = []
    for number, item in enumerate(data["items"], start=1):
        if item.get("kind") == "scenario":
            positions = tuple(option["position"] for option in item["options"])
            specs.append(simulation.ItemSpec(number, item["dimension"], "", positions))
        else:
            specs.append(simulation.ItemSpec(number, item["dimension"], item["pole"]))
    return specs


def points(item: simulation.ItemSpec, answer: int) -> float:
    if item.positions:
        return item.positions[answer - 1] / 100
    return (answer - 1) / 4 if item.pole == "leader" else (5 - answer) / 4


def matrix(items: list[simulation.ItemSpec], people: list[simulation.SimulatedPerson]):
    return np.array(
        [[points(item, person.answers[item.key]) for item in items] for person in people]
    )


def figures(data: dict[str, Any], people_count: int, seed: int, attentive_only: bool) -> None:
    items = item_specs(data)
    population = (
        simulation.Population(careless=0, acquiescent=0)
        if attentive_only
        else simulation.Population()
    )
    people = simulation.simulate(items, people_count, population, seed=seed)
    attentive = [person for person in people if person.kind == simulation.ATTENTIVE]
    label = "attentive only" if attentive_only else "default mix (5% careless, 5% acquiescent)"
    print(f"\nversion {data['version']['number']} · {people_count:,} people, {label}, seed {seed}")
    for dimension in dict.fromkeys(item.dimension for item in items):
        own = [item for item in items if item.dimension == dimension]
        everyone = matrix(own, people)
        alpha = psychometrics.cronbach_alpha(everyone)
        scores = 100 * everyone.mean(axis=1)
        true = np.array([person.true_positions[dimension] for person in people])
        r_all = np.corrcoef(scores, true)[0, 1]
        keep = np.array([person.kind == simulation.ATTENTIVE for person in people])
        r_attentive = np.corrcoef(scores[keep], true[keep])[0, 1]
        print(
            f"  {dimension:<12} items {len(own):>2}  alpha {alpha:.3f}  "
            f"r(score, true) attentive {r_attentive:.3f} (n {len(attentive):,})  "
            f"everyone {r_all:.3f}  SD {scores.std(ddof=1):.1f}"
        )
    if attentive_only:
        return
    print("  per item: corrected item-total r; for a scenario, the share choosing each response")
    for dimension in dict.fromkeys(item.dimension for item in items):
        own = [item for item in items if item.dimension == dimension]
        correlations = psychometrics.item_total_correlations(matrix(own, people))
        for item, correlation in zip(own, correlations, strict=True):
            text = data["items"][int(item.key) - 1]["text"]
            line = f"    {dimension:<12} {correlation:.2f}  {text[:60]}"
            if item.positions:
                chosen = np.array([person.answers[item.key] for person in people])
                shares = ", ".join(
                    f"{position}: {np.mean(chosen == number):.0%}"
                    for number, position in enumerate(item.positions, start=1)
                )
                line += f"\n{'':<22}positions (as listed) and shares: {shares}"
            print(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--seed", type=int, default=1)
    arguments = parser.parse_args()
    v2 = json.loads(BANK.read_text(encoding="utf-8"))
    v1 = json.loads(V1.read_text(encoding="utf-8"))
    for count in arguments.people:
        figures(v1, count, arguments.seed, attentive_only=True)
        figures(v2, count, arguments.seed, attentive_only=True)
        figures(v1, count, arguments.seed, attentive_only=False)
        figures(v2, count, arguments.seed, attentive_only=False)


if __name__ == "__main__":
    main()
