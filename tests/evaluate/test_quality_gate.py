"""Quality gate: extraction scores on the team's gold and on PolNeAR must not fall.

Floors sit just under the numbers recorded in benchmarks/RESULTS.md. Raise them when the
extractor improves; never lower one to make a change pass.
"""

from __future__ import annotations

import pytest

from claimledger.evaluate.gold import evaluate_gold
from claimledger.evaluate.polnear import evaluate_polnear

GOLD_FLOORS = {
    "demo": {"figure_recall": 0.84, "figure_precision": 0.97, "bound_accuracy": 0.98, "origin_accuracy": 0.74,
             "chain_accuracy": 0.68, "statement_recall": 0.92, "stance_accuracy": 0.94},
    "dev": {"figure_recall": 0.91, "figure_precision": 0.96, "bound_accuracy": 0.98, "origin_accuracy": 0.78,
            "chain_accuracy": 0.76, "statement_recall": 0.88, "stance_accuracy": 0.91},
    "test": {"figure_recall": 0.85, "figure_precision": 0.97, "bound_accuracy": 0.98, "origin_accuracy": 0.75,
             "chain_accuracy": 0.71, "statement_recall": 0.95, "stance_accuracy": 0.93},
}


@pytest.fixture(scope="module")
def gold(extractor):
    return evaluate_gold(extractor=extractor)


@pytest.mark.parametrize("which", sorted(GOLD_FLOORS))
def test_gold_floors(gold, which):
    scores = gold["sets"][which]
    below = {k: (scores[k], floor) for k, floor in GOLD_FLOORS[which].items() if scores[k] < floor}
    assert not below, f"{which}: scores under their floors: {below}"


POLNEAR_FLOORS = {"source": 0.58, "cue": 0.59, "content": 0.50, "relation": 0.38}


@pytest.mark.slow
def test_polnear_dev_floors(data_dir, extractor):
    folder = data_dir / "polnear"
    if not (folder / "dev").is_dir():
        pytest.skip(f"PolNeAR not found at {folder}")
    scores = evaluate_polnear(folder, "dev", extractor=extractor)
    below = {k: (scores[k]["f1"], f) for k, f in POLNEAR_FLOORS.items() if scores[k]["f1"] < f}
    assert not below, f"PolNeAR dev overlap F1 under floors: {below}"
