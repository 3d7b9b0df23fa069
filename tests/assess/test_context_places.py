"""Sources resolved in their report's context, on constructed cases both ways: a local
body ("the health ministry") is that of the place the report's figures happened in, not
of a state the report quotes; a description takes the source that shares its own words;
figures that rival sources give in one sentence may be one claim. Every sentence here
was written for these tests."""

from __future__ import annotations

from claimledger.assess.context import origins_in_context
from test_matching import REGISTRY, apart, said, together

HEADLINE = "At least 30 killed near Rafah aid site, health ministry says"
MILITARY = "The Israeli military said its troops fired warning shots near the site in Rafah."


def parties(claims, claim):
    return [o.party for o in origins_in_context(claims, REGISTRY)[claim.id]]


def test_a_health_ministry_in_a_report_on_rafah_is_gazas_not_that_of_the_state_it_quotes():
    claims = [
        said("g", HEADLINE, "At least 30", 30, bound="lower", location="Rafah", sources=[["health ministry"]]),
        said("g", MILITARY, sources=[["The Israeli military"]], event=None, at=len(HEADLINE) + 1),
    ]
    assert parties(claims, claims[0]) == ["hamas"]


def test_a_health_ministry_in_a_report_on_tel_aviv_is_israels():
    headline = "At least 8 killed in Tel Aviv, health ministry says"
    claims = [
        said("t", headline, "At least 8", 8, bound="lower", location="Tel Aviv", sources=[["health ministry"]]),
        said("t", "Iran's military said it had fired missiles at the city.", sources=[["Iran's military"]],
             event=None, at=len(headline) + 1),
    ]
    assert parties(claims, claims[0]) == ["state-il"]


def test_a_description_takes_the_named_source_that_shares_its_words():
    later = "The health ministry in the Hamas-run territory said 200 people were wounded near the site."
    claims = [
        said("h", HEADLINE, "At least 30", 30, bound="lower", sources=[["health ministry"]]),
        said("h", MILITARY, sources=[["The Israeli military"]], event=None, at=len(HEADLINE) + 1),
        said("h", later, "200", 200, event="wounded", subject="people",
             sources=[["The health ministry in the Hamas-run territory"]], at=len(HEADLINE) + len(MILITARY) + 2),
    ]
    assert parties(claims, claims[0]) == ["hamas"]


def test_rival_sources_in_one_sentence_give_one_claim():
    group = together([
        said("x", "Russia's Defence Ministry said 150 Ukrainian soldiers were freed on Monday, while Ukraine's President "
                  "Volodymyr Zelensky said 189 Ukrainian soldiers came home.", "150", 150, event="other",
             subject="Ukrainian soldiers", sources=[["Russia's Defence Ministry"]], published="2024-12-30",
             when="2024-12-30"),
        said("x", "Russia's Defence Ministry said 150 Ukrainian soldiers were freed on Monday, while Ukraine's President "
                  "Volodymyr Zelensky said 189 Ukrainian soldiers came home.", "189", 189, event="other",
             subject="Ukrainian soldiers", sources=[["Ukraine's President Volodymyr Zelensky"]], at=1,
             published="2024-12-30", when="2024-12-30"),
    ])
    assert group["contradiction"] and group["independent_origins"] == 2


def test_two_numbers_one_source_gives_in_one_sentence_stay_apart():
    sentence = "Ukraine's General Staff said 150 Russian soldiers were killed near Pokrovsk and 189 near Toretsk."
    apart([
        said("y", sentence, "150", 150, subject="Russian soldiers", sources=[["Ukraine's General Staff"]]),
        said("y", sentence, "189", 189, subject="Russian soldiers", sources=[["Ukraine's General Staff"]], at=1),
    ])
