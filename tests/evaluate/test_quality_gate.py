"""Quality gate: extraction scores on the team's gold and on PolNeAR must not fall.

Floors sit just under the numbers recorded in benchmarks/RESULTS.md. Raise them when the
extractor improves; never lower one to make a change pass.
"""

from __future__ import annotations

import pytest

from claimledger.evaluate.gold import evaluate_gold
from claimledger.evaluate.polnear import evaluate_polnear

GOLD_FLOORS = {
    "demo": {"figure_recall": 0.92, "figure_precision": 0.98, "bound_accuracy": 0.98, "origin_accuracy": 0.89,
             "chain_accuracy": 0.88, "statement_recall": 0.94, "stance_accuracy": 0.96},
    "dev": {"figure_recall": 0.97, "figure_precision": 0.96, "bound_accuracy": 0.98, "origin_accuracy": 0.95,
            "chain_accuracy": 0.94, "statement_recall": 0.95, "stance_accuracy": 0.94},
    "dev2": {"figure_recall": 0.98, "figure_precision": 0.98, "bound_accuracy": 0.98, "origin_accuracy": 0.93,
             "chain_accuracy": 0.93, "statement_recall": 0.98, "stance_accuracy": 0.98},
    "dev3": {"figure_recall": 0.95, "figure_precision": 0.98, "bound_accuracy": 0.97, "origin_accuracy": 0.92,
             "chain_accuracy": 0.90, "statement_recall": 0.98, "stance_accuracy": 0.97},
    "dev4": {"figure_recall": 0.92, "figure_precision": 0.98, "bound_accuracy": 0.98, "origin_accuracy": 0.93,
             "chain_accuracy": 0.90, "statement_recall": 0.93, "stance_accuracy": 0.92},
    "test": {"figure_recall": 0.90, "figure_precision": 0.97, "bound_accuracy": 0.98, "origin_accuracy": 0.90,
             "chain_accuracy": 0.86, "statement_recall": 0.95, "stance_accuracy": 0.95},
}


@pytest.fixture(scope="module")
def gold(extractor):
    return evaluate_gold(extractor=extractor)


@pytest.mark.parametrize("which", sorted(GOLD_FLOORS))
def test_gold_floors(gold, which):
    scores = gold["sets"][which]
    below = {k: (scores[k], floor) for k, floor in GOLD_FLOORS[which].items() if scores[k] < floor}
    assert not below, f"{which}: scores under their floors: {below}"


POLNEAR_FLOORS = {"source": 0.58, "cue": 0.60, "content": 0.51, "relation": 0.39}


@pytest.mark.slow
def test_polnear_dev_floors(data_dir, extractor):
    folder = data_dir / "polnear"
    if not (folder / "dev").is_dir():
        pytest.skip(f"PolNeAR not found at {folder}")
    scores = evaluate_polnear(folder, "dev", extractor=extractor)
    below = {k: (scores[k]["f1"], f) for k, f in POLNEAR_FLOORS.items() if scores[k]["f1"] < f}
    assert not below, f"PolNeAR dev overlap F1 under floors: {below}"
