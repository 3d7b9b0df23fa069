"""Quality gate: extraction scores on the team's gold and on PolNeAR, and claim groups on
real reporting, must not fall.

Floors sit just under the numbers recorded in benchmarks/RESULTS.md. Raise them when the
extractor improves; never lower one to make a change pass.
"""

from __future__ import annotations

import pytest

from claimledger.evaluate.gold import evaluate_gold
from claimledger.evaluate.polnear import evaluate_polnear

# Strict scoring (names match only a gold name or a listed alternative; a figure needs the
# gold event): pinned 2026-12-04 at the strict scores of the code of that day, just under
# them (benchmarks/RESULTS.md keeps the earlier loose-scoring numbers beside them).
GOLD_FLOORS = {
    "demo": {"figure_recall": 0.92, "figure_precision": 0.99, "bound_accuracy": 0.98, "origin_accuracy": 0.64,
             "chain_accuracy": 0.64, "statement_recall": 0.95, "stance_accuracy": 0.98},
    "dev": {"figure_recall": 0.88, "figure_precision": 0.90, "bound_accuracy": 0.98, "origin_accuracy": 0.85,
            "chain_accuracy": 0.85, "statement_recall": 0.96, "stance_accuracy": 0.96},
    "dev2": {"figure_recall": 0.97, "figure_precision": 0.98, "bound_accuracy": 0.98, "origin_accuracy": 0.79,
             "chain_accuracy": 0.75, "statement_recall": 0.99, "stance_accuracy": 0.99},
    "dev3": {"figure_recall": 0.87, "figure_precision": 0.96, "bound_accuracy": 0.98, "origin_accuracy": 0.88,
             "chain_accuracy": 0.85, "statement_recall": 0.99, "stance_accuracy": 0.98},
    "dev4": {"figure_recall": 0.86, "figure_precision": 0.98, "bound_accuracy": 0.98, "origin_accuracy": 0.86,
             "chain_accuracy": 0.83, "statement_recall": 0.94, "stance_accuracy": 0.94},
}
# The held-out set: scored here only, its numbers never printed (not even on failure).
# Stance accuracy is over matched claims: when the event rules (2026-12-04) found 5 more
# held-out figures, 3 of them with the right stance, correct stances rose (117 -> 120) and
# the rate fell (0.975 -> 0.960); its floor was re-pinned under the new rate then, the
# others raised. benchmarks/RESULTS.md records it.
HELD_OUT_FLOORS = {"figure_recall": 0.78, "figure_precision": 0.88, "bound_accuracy": 0.98, "origin_accuracy": 0.84,
                   "chain_accuracy": 0.77, "statement_recall": 0.97, "stance_accuracy": 0.955}


@pytest.fixture(scope="module")
def gold(extractor):
    return evaluate_gold(extractor=extractor)


def test_held_out_floors(extractor):
    scores = evaluate_gold(["test"], extractor=extractor)
    below = sorted(k for k, floor in HELD_OUT_FLOORS.items() if scores[k] < floor)
    assert not below, f"held-out set: under the floor for {below}"


@pytest.mark.parametrize("which", sorted(GOLD_FLOORS))
def test_gold_floors(gold, which):
    scores = gold["sets"][which]
    below = {k: (scores[k], floor) for k, floor in GOLD_FLOORS[which].items() if scores[k] < floor}
    assert not below, f"{which}: scores under their floors: {below}"


POLNEAR_FLOORS = {"source": 0.58, "cue": 0.61, "content": 0.52, "relation": 0.40}


@pytest.mark.slow
def test_polnear_dev_floors(data_dir, extractor):
    folder = data_dir / "polnear"
    if not (folder / "dev").is_dir():
        pytest.skip(f"PolNeAR not found at {folder}")
    scores = evaluate_polnear(folder, "dev", extractor=extractor)
    below = {k: (scores[k]["f1"], f) for k, f in POLNEAR_FLOORS.items() if scores[k]["f1"] < f}
    assert not below, f"PolNeAR dev overlap F1 under floors: {below}"


# Real published reporting (../shared/data/realnews, other people's writing, read at run time).
REALNEWS_FLOORS = {
    "dev_a": {"figure_recall": 0.85, "figure_precision": 0.90, "origin_accuracy": 0.90, "chain_accuracy": 0.81,
              "statement_recall": 0.88, "stance_accuracy": 0.92},
    "dev_b": {"figure_recall": 0.85, "figure_precision": 0.95, "origin_accuracy": 0.90, "chain_accuracy": 0.86,
              "statement_recall": 0.86, "stance_accuracy": 0.95},
}


@pytest.mark.parametrize("which", sorted(REALNEWS_FLOORS))
def test_realnews_floors(data_dir, extractor, which):
    path = data_dir / "realnews" / f"{which}.yaml"
    if not path.is_file():
        pytest.skip(f"real passages not found at {path}")
    scores = evaluate_gold(file=path, extractor=extractor)
    below = {k: (scores[k], f) for k, f in REALNEWS_FLOORS[which].items() if scores[k] < f}
    assert not below, f"{which}: scores under their floors: {below}"


# Claim groups on the real passages (`claimledger eval groups`): issue 10's targets, met
# on both sets on 2026-12-05 (benchmarks/RESULTS.md, "Claim groups").
GROUP_FLOORS = {"group_b3_f1": 0.90, "echo_sets_one_group": 0.90, "echo_sets_origins_right": 0.85}


@pytest.mark.slow
@pytest.mark.parametrize("which", sorted(REALNEWS_FLOORS))
def test_realnews_group_floors(data_dir, extractor, which):
    from claimledger.evaluate.groups import evaluate_groups

    path = data_dir / "realnews" / f"{which}.yaml"
    if not path.is_file():
        pytest.skip(f"real passages not found at {path}")
    scores = evaluate_groups(path, extractor)
    below = {k: (scores[k], f) for k, f in GROUP_FLOORS.items() if scores[k] < f}
    assert not below, f"{which}: claim groups under their floors: {below}"
