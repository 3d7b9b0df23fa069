"""The gold scorer on a passages file written for the test: matching, metrics, misses."""

from __future__ import annotations

import textwrap

import pytest

from claimledger.errors import ClaimledgerError
from claimledger.evaluate.gold import evaluate_gold, same_source

PASSAGES = textwrap.dedent(
    """
    passages:
      - id: t1
        outlet: Test Daily
        published: 2025-03-03
        text: |
          The rebels said they had seized 12 trucks near Goma, a version the army disputed. Officials said 30 people fled.
        claims:
          - kind: figure
            sentence: "they had seized 12 trucks near Goma"
            quantity: {value: 12, low: null, high: null, bound: exact}
            chains: [[rebels]]
            stance: asserted
          - kind: statement
            sentence: "a version the army disputed"
            chains: [[army]]
            stance: denied
          - kind: figure
            sentence: "Officials said 30 people fled"
            quantity: {value: 30, low: null, high: null, bound: exact}
            chains: [[a ministry]]
            stance: asserted
          - kind: figure
            sentence: "they had seized 12 trucks near Goma"
            quantity: {value: 99, low: null, high: null, bound: exact}
            chains: [[rebels]]
            stance: asserted
      - id: t2
        outlet: Test Daily
        published: 2025-03-03
        text: |
          Rebel spokesman Ali Musa said the town had fallen. He claimed that the garrison had surrendered without a fight, a version the army disputed.
        claims:
          - kind: statement
            sentence: "Rebel spokesman Ali Musa said the town had fallen"
            chains: [[Ali Musa]]
            stance: asserted
          - kind: statement
            sentence: "He claimed that the garrison had surrendered"
            chains: [[Ali Musa]]
            stance: hedged
          - kind: statement
            sentence: "a version the army disputed"
            chains: [[army]]
            stance: denied
    """
)


@pytest.fixture(scope="module")
def scores(tmp_path_factory, extractor):
    path = tmp_path_factory.mktemp("gold") / "passages.yaml"
    path.write_text(PASSAGES, encoding="utf-8")
    return evaluate_gold(file=path, extractor=extractor)


def test_metrics_count_what_was_found(scores):
    assert scores["gold_figures"] == 3 and scores["gold_statements"] == 4
    assert scores["figure_recall"] == round(2 / 3, 4)  # the 99 is not in the text
    assert scores["figure_precision"] == 1.0
    assert scores["statement_recall"] == 1.0
    # six matched claims; the 30 is the officials', not "a ministry"
    assert scores["chain_accuracy"] == round(5 / 6, 4) and scores["origin_accuracy"] == round(5 / 6, 4)
    assert scores["stance_accuracy"] == 1.0


def test_the_reacting_source_is_matched_by_its_cue(scores):
    wrong = [m for m in scores["misses"] if m[1] in ("chain", "stance")]
    assert len(wrong) == 1 and "30 people" in wrong[0][2]


def test_misses_name_what_was_not_found(scores):
    kinds = [m[1] for m in scores["misses"]]
    assert kinds.count("figure") == 1 and "extra figure" not in kinds


def test_names_compare_strictly():
    assert same_source("the Kremlin's spokesman", "Kremlin's spokesman")  # a leading article
    assert same_source("RBC-Ukraine", "RBC Ukraine")  # punctuation
    assert same_source(["National Intelligence Service", "NIS"], "the NIS")  # a listed alternative
    assert not same_source("Lee Seong-kweun", "Rep. Lee Seong-kweun")  # a title is more words
    assert not same_source("Syria Now", "Syria")  # a substring is not the name
    assert not same_source("South Korean officials", "officials")
    assert not same_source("HUR", "Ukraine's military intelligence")  # never through our registry
    assert not same_source("Reuters", "Yonhap")


def test_a_figure_needs_the_gold_event(tmp_path, extractor):
    path = tmp_path / "events.yaml"
    path.write_text(textwrap.dedent(
        """
        passages:
          - id: e1
            text: |
              The ministry said 40 soldiers were killed.
            claims:
              - kind: figure
                sentence: "40 soldiers were killed"
                event: wounded
                quantity: {value: 40, low: null, high: null, bound: exact}
                chains: [[ministry]]
        """
    ), encoding="utf-8")
    assert evaluate_gold(file=path, extractor=extractor)["figure_recall"] == 0.0


def test_an_unreadable_gold_file_is_a_claimledger_error(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("passages: [unclosed", encoding="utf-8")
    with pytest.raises(ClaimledgerError):
        evaluate_gold(file=bad)


def test_a_vague_gold_without_numbers_matches_a_vague_figure(tmp_path, extractor):
    path = tmp_path / "vague.yaml"
    path.write_text(textwrap.dedent(
        """
        passages:
          - id: v1
            text: |
              The ministry said thousands of soldiers were sent to the border.
            claims:
              - kind: figure
                sentence: "thousands of soldiers were sent"
                event: deployed
                quantity: {value: null, low: null, high: null, bound: vague}
                chains: [[ministry]]
        """
    ), encoding="utf-8")
    assert evaluate_gold(file=path, extractor=extractor)["figure_recall"] == 1.0
