"""The scorer of `claimledger eval groups` on hand-made groupings: B-cubed, echo sets held
in one group, their origins counted against the gold (also for a point of a series, and
for a story whose figures lie in two gold clusters)."""

from __future__ import annotations

import pytest

from claimledger.evaluate.groups import score_groups

STORIES = [
    {"id": "s1", "origins": [["Global Defense Corp.", "GDC"]]},
    {"id": "s2", "origins": [["NIS"], ["Pentagon"]]},
    {"id": "t1", "origins": [["NIS", "National Intelligence Service"]]},
    {"id": "t2", "origins": [["National Intelligence Service"], ["Zelensky"]]},
    {"id": "mixed", "origins": [["Ukrainian officials"], ["Russian Defence Ministry", "MoD"]]},
]


def gold(story: str, series: str | None = None, chains=None) -> dict:
    return {"kind": "figure", "story": story, "series": series, "chains": chains or []}


def test_perfect_groups_score_one():
    found = [("p1", gold("s1"), "g1"), ("p2", gold("s1"), "g1"), ("p3", gold("s2"), "g2")]
    m = score_groups(found, STORIES, {"g1": 1, "g2": 2})
    assert (m["group_b3_precision"], m["group_b3_recall"], m["group_b3_f1"]) == (1.0, 1.0, 1.0)
    assert m["echo_sets"] == 1 and m["echo_sets_one_group"] == 1.0 and m["echo_sets_origins_right"] == 1.0


def test_a_split_echo_set_lowers_recall_and_is_not_in_one_group():
    found = [("p1", gold("s1"), "g1"), ("p2", gold("s1"), "g2")]
    m = score_groups(found, STORIES, {"g1": 1, "g2": 1})
    assert m["group_b3_precision"] == 1.0 and m["group_b3_recall"] == 0.5
    assert m["echo_sets_one_group"] == 0.0 and m["echo_sets_split"] == ["s1"]


def test_a_merge_of_two_stories_lowers_precision():
    found = [("p1", gold("s1"), "g1"), ("p2", gold("s2"), "g1")]
    m = score_groups(found, STORIES, {"g1": 2})
    assert m["group_b3_precision"] == 0.5 and m["group_b3_recall"] == 1.0
    assert m["group_b3_f1"] == pytest.approx(2 / 3, abs=1e-4)


def test_echo_set_origins_counted_against_the_gold():
    found = [("p1", gold("s2"), "g1"), ("p2", gold("s2"), "g1")]
    assert score_groups(found, STORIES, {"g1": 2})["echo_sets_origins_right"] == 1.0
    assert score_groups(found, STORIES, {"g1": 3})["echo_sets_origins_right"] == 0.0


def test_a_point_of_a_series_takes_the_series_origins_and_shared_names_count_once():
    found = [("p1", gold("t1", "nis-total"), "g1"), ("p2", gold("t1", "nis-total"), "g1"),
             ("p3", gold("t2", "nis-total"), "g1")]
    m = score_groups(found, STORIES, {"g1": 2})  # NIS (named twice) and Zelensky
    assert m["echo_sets"] == 1 and m["echo_sets_origins_right"] == 1.0



def test_one_source_spelled_apart_by_two_stories_of_a_series_counts_once():
    stories = [{"id": "d1", "origins": [["Estland's health ministry", "Mara Kivi"]]},
               {"id": "d2", "origins": [["Health ministry officials"], ["United Nations"]]},
               {"id": "d3", "origins": [["United Nations mission in Estland"], ["Baltic Relief"]]},
               {"id": "d4", "origins": [["Estland"], ["Webnews Estland"]]}]
    found = [("p1", gold("d1", "toll"), "g1"), ("p2", gold("d1", "toll"), "g1"),
             ("p3", gold("d2", "toll"), "g1"), ("p4", gold("d3", "toll"), "g1"), ("p5", gold("d4", "toll"), "g1")]
    m = score_groups(found, stories, {"g1": 5})  # the ministry, the UN, Baltic Relief, Estland, Webnews Estland
    assert m["echo_sets_origins_right"] == 1.0
    assert score_groups(found, stories, {"g1": 7})["echo_sets_origins_right"] == 0.0
    assert score_groups(found, stories, {"g1": 4})["echo_sets_origins_right"] == 0.0


def test_within_one_story_the_golds_origins_stand_as_listed():
    stories = [{"id": "u1", "origins": [["United Nations"], ["United Nations rights office"]]}]
    found = [("p1", gold("u1"), "g1"), ("p2", gold("u1"), "g1")]
    assert score_groups(found, stories, {"g1": 2})["echo_sets_origins_right"] == 1.0

def test_a_story_across_two_gold_clusters_gives_one_echo_set_per_cluster():
    civilians = gold("mixed", "toll", chains=[["Ukrainian officials"]])
    soldiers = gold("mixed", chains=[["MoD"]])
    found = [("p1", civilians, "g1"), ("p2", civilians, "g1"), ("p1", soldiers, "g2"), ("p3", soldiers, "g2")]
    m = score_groups(found, STORIES, {"g1": 1, "g2": 1})
    assert m["echo_sets"] == 2 and m["echo_sets_one_group"] == 1.0 and m["echo_sets_origins_right"] == 1.0


PASSAGES = """
passages:
  - id: p1
    outlet: Harbor Wire
    published: 2024-11-24
    text: "About 500 North Korean soldiers were killed in a Storm Shadow strike on the Kursk region, RBC Ukraine reported, citing Global Defense Corp."
    claims:
      - {kind: figure, sentence: "About 500 North Korean soldiers were killed", event: killed,
         quantity: {value: 500, low: null, high: null, bound: approx}, story: ss500,
         chains: [["RBC Ukraine", "Global Defense Corp."]]}
  - id: p2
    outlet: Eastbridge Daily
    published: 2024-11-25
    text: "Some 500 North Korean troops died when Storm Shadow missiles hit Kursk Oblast, Yonhap said, citing RBC Ukraine."
    claims:
      - {kind: figure, sentence: "Some 500 North Korean troops died", event: killed,
         quantity: {value: 500, low: null, high: null, bound: approx}, story: ss500,
         chains: [["Yonhap", "RBC Ukraine"]]}
stories:
  - {id: ss500, origins: [["Global Defense Corp."]], contradiction: false}
"""


def test_eval_groups_scores_a_passages_file(tmp_path, extractor):
    from claimledger.evaluate.groups import evaluate_groups

    path = tmp_path / "passages.yaml"
    path.write_text(PASSAGES, encoding="utf-8")
    m = evaluate_groups(path, extractor)
    assert m["grouped_figures"] == 2 and m["group_b3_f1"] == 1.0
    assert m["echo_sets"] == 1 and m["echo_sets_one_group"] == 1.0 and m["echo_sets_origins_right"] == 1.0


def test_eval_groups_names_a_file_that_is_not_passages(tmp_path):
    from claimledger.errors import ClaimledgerError
    from claimledger.evaluate.groups import evaluate_groups

    path = tmp_path / "other.yaml"
    path.write_text("[1, 2]\n", encoding="utf-8")
    with pytest.raises(ClaimledgerError, match="not a passages file"):
        evaluate_groups(path)
