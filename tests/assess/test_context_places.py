"""Sources resolved in their report's context, on constructed cases both ways: a local
body ("the health ministry") is that of the place the report's figures happened in, not
of a state the report quotes; a description takes the source that shares its own words;
two numbers one source gives in one sentence are a breakdown; only relays are completed
from what other reports say they cite. Every sentence here was written for these tests."""

from __future__ import annotations

from test_matching import REGISTRY, apart, said, together

from claimledger.assess.context import origins_in_context

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


def test_two_numbers_one_source_gives_in_one_sentence_stay_apart():
    sentence = "Ukraine's General Staff said 150 Russian soldiers were killed near Pokrovsk and 189 near Toretsk."
    apart([
        said("y", sentence, "150", 150, subject="Russian soldiers", sources=[["Ukraine's General Staff"]]),
        said("y", sentence, "189", 189, subject="Russian soldiers", sources=[["Ukraine's General Staff"]], at=1),
    ])


def test_the_report_of_a_named_source_is_that_source():
    first = "Russia's Defence Ministry published its weekly report on Friday."
    second = "The report said 300 Ukrainian soldiers had been killed."
    claims = [said("r", first, sources=[["Russia's Defence Ministry"]], event=None),
              said("r", second, "300", 300, subject="Ukrainian soldiers", sources=[["The report"]],
                   at=len(first) + 1)]
    assert parties(claims, claims[1]) == ["state-ru"]


def _deployed(doc, sentence, sources, published):
    return said(doc, sentence, "about 10,000", 10000, bound="approx", event="deployed", subject="North Korean troops",
                sources=sources, published=published)


def test_an_outlet_that_cites_a_source_once_relays_it_where_it_speaks_alone():
    group = together([
        _deployed("a", "Harbor Wire, citing the White House, said about 10,000 North Korean troops were in Russia.",
                  [["Harbor Wire", "the White House"]], "2024-10-28"),
        _deployed("b", "About 10,000 North Korean troops are in Russia, Harbor Wire said.", [["Harbor Wire"]],
                  "2024-10-29"),
    ])
    assert [o["name"] for o in group["origins"]] == ["White House"]


def test_an_intelligence_service_that_cites_another_once_still_speaks_for_itself():
    group = together([
        _deployed("a", "Seoul's spy agency, citing Ukraine's president, said about 10,000 North Korean troops were "
                       "in Russia.", [["Seoul's spy agency", "Ukraine's president"]], "2024-10-28"),
        _deployed("b", "About 10,000 North Korean troops are in Russia, Seoul's spy agency said.",
                  [["Seoul's spy agency"]], "2024-10-29"),
    ])
    assert group["independent_origins"] == 2


def test_intended_to_send_is_a_plan():
    apart([
        said("a", "Kyiv said Moscow intended to bring about 10,000 North Korean soldiers into the fighting.",
             "about 10,000", 10000, bound="approx", event="deployed", subject="North Korean soldiers",
             published="2024-10-17"),
        said("b", "About 10,000 North Korean soldiers are in Russia, Kyiv said.", "About 10,000", 10000,
             bound="approx", event="deployed", subject="North Korean soldiers", published="2024-10-18"),
    ])
