"""Assessment rules on small constructed cases: echoes, parties, contradictions,
timelines, overrides and unregistered sources."""

from __future__ import annotations

from claimledger.assess.ledger import assess
from claimledger.assess.registry import load_registry
from claimledger.models import Claim, Hop, Quantity, TimeRef, claim_id
from claimledger.pipeline import assess_ledger, ingest_paths
from claimledger.store import open_ledger

REGISTRY = load_registry()


def figure(doc, chain, value, *, event="killed", bound="approx", subject="North Korean soldiers",
           text=None, published="2024-11-25", when=None, stance="asserted", outlet="Test Daily"):
    text = text or f"About {value} North Korean soldiers were killed in the Storm Shadow missile strike"
    low = value if bound == "lower" else None
    return Claim(
        id=claim_id(doc, 0, len(text), "figure", f"{value}{chain}"), doc=doc, outlet=outlet, published=published,
        sentence=text, text=text, start=0, end=len(text), kind="figure", event=event,
        quantity=Quantity(value, low, None, bound == "approx", str(value), bound), subject=subject,
        time=TimeRef(when, when) if when else None,
        chains=tuple(tuple(Hop(name, "organization", "said") for name in c) for c in chain), stance=stance,
    )


def only_cluster(result):
    assert len(result["clusters"]) == 1, [c["claims"] for c in result["clusters"]]
    return result["clusters"][0]


def test_echoes_never_corroborate():
    claims = [figure(f"d{i}", [["RBC Ukraine", "Global Defense Corp."]], 500) for i in range(5)]
    cluster = only_cluster(assess(claims, {}, [], REGISTRY))
    assert cluster["reports"] == 5
    assert cluster["independent_origins"] == 1
    assert cluster["grade"][1] != "1"
    assert "One origin, Global Defense Corp." in cluster["explanation"]


def test_a_relay_that_omits_the_origin_is_completed_from_other_reports():
    claims = [
        figure("a", [["RBC Ukraine", "Global Defense Corp."]], 500),
        figure("b", [["Yonhap", "RBC Ukraine"]], 500),
        figure("c", [["RBC Ukraine"]], 500),
    ]
    cluster = only_cluster(assess(claims, {}, [], REGISTRY))
    assert cluster["independent_origins"] == 1


def test_two_organs_of_one_state_are_one_party():
    text = "More than 11,000 North Korean troops are deployed in Kursk"
    claims = [
        figure("a", [["Ukraine's military intelligence"]], 11000, event="deployed", bound="lower", text=text),
        figure("b", [["President Volodymyr Zelensky"]], 11000, event="deployed", bound="lower", text=text),
    ]
    cluster = only_cluster(assess(claims, {}, [], REGISTRY))
    assert len(cluster["origins"]) == 2
    assert cluster["independent_origins"] == 1


def test_two_independent_origins_confirm():
    text = "More than 10,000 North Korean troops were sent to Russia"
    claims = [
        figure("a", [["South Korea's National Intelligence Service"]], 10000, event="deployed", bound="lower", text=text),
        figure("b", [["the Pentagon"]], 10000, event="deployed", bound="lower", text=text),
    ]
    cluster = only_cluster(assess(claims, {}, [], REGISTRY))
    assert cluster["independent_origins"] == 2
    assert cluster["grade"].endswith("1")
    assert not cluster["contradiction"]


def test_an_origin_that_only_hedges_does_not_confirm():
    text = "More than 10,000 North Korean troops were sent to Russia"
    claims = [
        figure("a", [["South Korea's National Intelligence Service"]], 10000, event="deployed", bound="lower", text=text),
        figure("b", [["the Pentagon"]], 10000, event="deployed", bound="lower", text=text, stance="hedged"),
    ]
    cluster = only_cluster(assess(claims, {}, [], REGISTRY))
    assert cluster["independent_origins"] == 2
    assert not cluster["grade"].endswith("1")


def test_totals_at_two_times_are_a_timeline_not_a_contradiction():
    text = "North Korean soldiers have been killed fighting for Russia"
    claims = [
        figure("a", [["South Korea's National Intelligence Service"]], 100, bound="lower", text=text, published="2024-12-19"),
        figure("b", [["South Korea's National Intelligence Service"]], 300, text=text, published="2025-01-13"),
        figure("c", [["the Pentagon"]], 300, text=text, published="2025-01-14"),
    ]
    cluster = only_cluster(assess(claims, {}, [], REGISTRY))
    assert not cluster["contradiction"]
    assert [t["best"] for t in cluster["timeline"]] == [100, 300, 300]
    assert cluster["estimate"]["best"] == 300


def test_disjoint_figures_at_the_same_time_contradict():
    text = "North Korean soldiers have been killed fighting for Russia"
    claims = [
        figure("a", [["South Korea's National Intelligence Service"]], 100, bound="exact", text=text, published="2024-12-19"),
        figure("b", [["President Volodymyr Zelensky"]], 3000, bound="exact", text=text, published="2024-12-21"),
    ]
    cluster = only_cluster(assess(claims, {}, [], REGISTRY))
    assert cluster["contradiction"]
    assert cluster["conflicting_claims"]


def test_a_months_figure_recalled_weeks_later_is_that_months_not_the_reports():
    """A roundup recalling "in October the agency said 1,500 had been sent" beside a
    figure of its own day gives October's figure and today's: a timeline, no contradiction;
    a figure of November recalled in December still meets one of mid-November."""
    from claimledger.assess.context import origins_in_context
    from claimledger.assess.grading import assess_group

    def graded(members):
        return assess_group(members, origins_in_context(members, REGISTRY, {}), len({c.doc for c in members}))

    text = "North Korean troops were sent to Russia"
    now = figure("b", [["the Pentagon"]], 10000, event="deployed", bound="lower", text=text + " by now",
                 published="2024-11-13")
    october = figure("a", [["South Korea's National Intelligence Service"]], 1500, event="deployed", text=text,
                     published="2024-11-13", when="2024-10")
    result = graded([october, now])
    assert not result.contradiction and not result.conflicts
    assert [t["date"] for t in result.timeline] == ["2024-10", "2024-11-13"]
    november = figure("a", [["South Korea's National Intelligence Service"]], 1500, event="deployed", text=text,
                      published="2024-12-05", when="2024-11")
    result = graded([november, now])
    assert result.contradiction and result.conflicts == [(november.id, now.id)]
    undated = figure("a", [["South Korea's National Intelligence Service"]], 1500, event="deployed", text=text,
                     published="2024-11-13")
    assert graded([undated, now]).contradiction


def test_a_denial_contradicts_the_claim_it_denies():
    claims = [
        figure("a", [["South Korea's National Intelligence Service"]], 3000, event="deployed",
               text="About 3,000 North Korean troops were sent to Russia"),
        Claim(id="deny", doc="b", outlet="Test Daily", published="2024-10-25",
              sentence="The Kremlin dismissed reports of North Korean troops in Russia as fake.",
              text="reports of North Korean troops in Russia", start=0, end=10, kind="statement",
              chains=((Hop("The Kremlin", "government", "dismissed"),),), stance="denied"),
    ]
    cluster = only_cluster(assess(claims, {}, [], REGISTRY))
    assert cluster["contradiction"]
    assert "Denied by" in cluster["explanation"]



def test_unnamed_reports_are_no_origin_of_a_figure_a_named_source_backs():
    text = "About 11,000 North Korean troops were sent to Russia"
    claims = [
        figure("a", [["South Korea's National Intelligence Service"]], 11000, event="deployed", text=text),
        figure("b", [["Several media reports"]], 11000, event="deployed", text=text),
        figure("c", [["earlier reports"]], 12000, event="deployed", text=text),
    ]
    cluster = only_cluster(assess(claims, {}, [], REGISTRY))
    assert cluster["independent_origins"] == 1
    assert {o["name"] for o in cluster["origins"]} >= {"Several media reports", "earlier reports"}  # still shown
    assert not cluster["grade"].endswith("1") and not cluster["contradiction"]
    assert "One origin, National Intelligence Service" in cluster["explanation"]


def test_unnamed_reports_alone_are_the_claims_one_origin():
    text = "About 11,000 North Korean troops were sent to Russia"
    claims = [figure(d, [["Several media reports"]], 11000, event="deployed", text=text) for d in ("a", "b")]
    assert only_cluster(assess(claims, {}, [], REGISTRY))["independent_origins"] == 1


def test_reports_that_say_whose_they_are_stay_an_origin():
    text = "About 11,000 North Korean troops were sent to Russia"
    claims = [
        figure("a", [["South Korea's National Intelligence Service"]], 11000, event="deployed", text=text),
        figure("b", [["Russian media reports"]], 11000, event="deployed", text=text),
        figure("c", [["The Kyiv Independent"]], 11000, event="deployed", text=text),
    ]
    assert only_cluster(assess(claims, {}, [], REGISTRY))["independent_origins"] == 3


def test_one_person_spelled_two_ways_is_one_origin():
    text = "About 40 people were wounded in the strike on the city"
    claims = [figure("a", [["Bohdan Kravets"]], 40, event="wounded", subject="people", text=text),
              figure("b", [["Bogdan Kravets"]], 40, event="wounded", subject="people", text=text)]
    cluster = only_cluster(assess(claims, {}, [], REGISTRY))
    assert cluster["independent_origins"] == 1 and len(cluster["origins"]) == 2


def test_three_spellings_of_one_person_are_one_origin_in_any_order():
    text = "About 40 people were wounded in the strike on the city"
    names = ["Bohdan Kravets", "Bogdan Kravets", "Bogdan Kravetz", "Bohdan Kravetz"]
    for shift in range(len(names)):
        order = names[shift:] + names[:shift]
        claims = [figure(f"d{i}", [[name]], 40, event="wounded", subject="people", text=text)
                  for i, name in enumerate(order)]
        assert only_cluster(assess(claims, {}, [], REGISTRY))["independent_origins"] == 1, order


def test_two_people_of_one_surname_are_two_origins():
    text = "About 40 people were wounded in the strike on the city"
    for first, second in (("Ivan Petrenko", "Oleh Petrenko"), ("John Smith", "Joan Smith"),
                          ("Mark Halloway", "Mary Halloway")):
        claims = [figure("a", [[first]], 40, event="wounded", subject="people", text=text),
                  figure("b", [[second]], 40, event="wounded", subject="people", text=text)]
        assert only_cluster(assess(claims, {}, [], REGISTRY))["independent_origins"] == 2, (first, second)

def test_interested_party_is_flagged():
    claims = [figure("a", [["Ukraine's military intelligence"]], 200, text="About 200 North Korean soldiers were killed")]
    cluster = only_cluster(assess(claims, {}, [], REGISTRY))
    assert cluster["interested"]
    assert cluster["grade"].endswith("4")


def test_unregistered_sources_are_listed_with_grade_f():
    claims = [figure("a", [["The Dnipro Pebble Gazette"]], 40, text="About 40 North Korean soldiers were killed")]
    result = assess(claims, {}, [], REGISTRY)
    assert result["unregistered_sources"] == ["The Dnipro Pebble Gazette"]
    assert result["clusters"][0]["grade"] == "F6"


def test_a_document_without_an_outlet_is_its_writers_never_a_path_to_register():
    """A report asserting a figure itself, stored with no outlet, is "the writer of" its
    file (or the site at its address); neither is listed as a source to register."""
    from dataclasses import replace

    text = "About 40 North Korean soldiers were killed"
    local = replace(figure("/home/analyst/inbox/report-7.txt", [], 40, text=text), outlet=None)
    web = replace(figure("https://www.dnipro-pebble.example/war/1", [], 40, text=text), outlet=None)
    result = assess([local, web], {}, [], REGISTRY)
    names = sorted(o["name"] for c in result["clusters"] for o in c["origins"])
    assert names == ["dnipro-pebble.example", "the writer of report-7.txt"]
    assert result["unregistered_sources"] == ["dnipro-pebble.example"]
    assert all("/" not in name for name in names)


def test_near_copies_count_as_one_report():
    claims = [figure(d, [["RBC Ukraine", "Global Defense Corp."]], 500) for d in ("a", "b", "c")]
    cluster = only_cluster(assess(claims, {"a": "a", "b": "a", "c": "c"}, [], REGISTRY))
    assert cluster["reports"] == 2


STORY = (
    "---\noutlet: Harbor Wire\npublished: 2024-11-25\n---\n"
    "About 500 North Korean soldiers were killed in the Storm Shadow missile strike on Kursk, "
    "the Ukrainian outlet RBC Ukraine reported, citing Global Defense Corp.\n"
)


def test_overrides_survive_reingest_and_rebuild(tmp_path, extractor, ledger_url):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(STORY, encoding="utf-8")
    db = ledger_url
    ingest_paths(open_ledger(db), [str(docs)], extractor=extractor)
    first = assess_ledger(open_ledger(db))
    cluster = next(c for c in first["clusters"] if c["event"] == "killed")
    ledger = open_ledger(db)
    ledger.add_override("source", "global-defense-corp", "reliability", "B", who="analyst", why="track record reviewed")
    ledger.add_override("cluster", cluster["id"], "refute", None, who="analyst", why="Kremlin video shows no losses")
    (docs / "b.txt").write_text(STORY.replace("Harbor Wire", "Eastbridge Daily").replace("About 500", "Some 500"), encoding="utf-8")
    ingest_paths(open_ledger(db), [str(docs)], extractor=extractor)
    second = assess_ledger(open_ledger(db))
    again = next(c for c in second["clusters"] if set(cluster["claims"]) & set(c["claims"]))
    assert again["grade"] == "B5"
    assert "marked it refuted" in again["explanation"]
    # The refutation, and the reliability setting that changes the group's grade (E5 -> B5).
    assert [o["why"] for o in again["overrides"]] == ["Kremlin video shows no losses", "track record reviewed"]
    assert "which makes this group B5 rather than E5" in again["explanation"]
    assert len(open_ledger(db).overrides()) == 2
