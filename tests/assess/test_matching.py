"""Claim identity on constructed cases, both ways: echoes and one quantity told in other
words join; unrelated figures stay apart; sources are resolved in their report's context;
the grade of a group means what it says. Every sentence here was written for these tests."""

from __future__ import annotations

from dataclasses import replace

from claimledger.assess.context import origins_in_context
from claimledger.assess.ledger import assess
from claimledger.assess.registry import load_registry
from claimledger.models import Claim, Hop, Quantity, TimeRef, claim_id

REGISTRY = load_registry()


def said(doc: str, sentence: str, number: str | None = None, value: float | None = None, *, sources=(),
         event: str | None = "killed", subject: str | None = None, location: str | None = None,
         published: str = "2025-04-05", when: str | None = None, bound: str = "exact",
         stance: str = "asserted", outlet: str = "Test Daily", at: int = 0) -> Claim:
    """A claim whose sentence starts at offset `at` of its document; `sources` are chains of
    names found in the sentence (nearest first)."""
    chains = []
    for chain in sources:
        hops = []
        for name in chain:
            where = sentence.find(name)
            hops.append(Hop(name, "organization", "said", start=at + where if where >= 0 else None,
                            end=at + where + len(name) if where >= 0 else None))
        chains.append(tuple(hops))
    quantity = None
    if number is not None:
        low = value if bound == "lower" else None
        quantity = Quantity(value, low, None, bound == "approx", number, bound)
    kind = "figure" if quantity else "statement"
    return Claim(
        id=claim_id(doc, at, at + len(sentence), kind, f"{sentence}{number}"), doc=doc, outlet=outlet,
        published=published, sentence=sentence, text=sentence, start=at, end=at + len(sentence), kind=kind,
        event=event if quantity or stance == "denied" else None, quantity=quantity, subject=subject,
        location=location, time=TimeRef(when, when) if when else None, chains=tuple(chains), stance=stance,
    )


def groups_of(claims: list[Claim]) -> tuple[dict, dict]:
    result = assess(claims, {}, [], REGISTRY)
    home = {c["id"]: c["cluster"] for c in result["claims"]}
    return home, {g["id"]: g for g in result["clusters"]}


def together(claims: list[Claim]) -> dict:
    home, clusters = groups_of(claims)
    assert len({home[c.id] for c in claims}) == 1, [c.sentence for c in claims]
    return clusters[home[claims[0].id]]


def apart(claims: list[Claim]) -> None:
    home, _ = groups_of(claims)
    assert len({home[c.id] for c in claims}) == len(claims), [c.sentence for c in claims]


# ---------------------------------------------------------------- echoes join


def test_one_story_told_of_soldiers_and_of_troops_is_one_claim_with_one_origin():
    group = together([
        said("a", "About 500 North Korean soldiers were killed in a Storm Shadow strike on the Kursk region, "
                  "RBC Ukraine reported, citing Global Defense Corp.", "About 500", 500, bound="approx",
             subject="North Korean soldiers", sources=[["RBC Ukraine", "Global Defense Corp."]], published="2024-11-24"),
        said("b", "Some 500 North Korean troops died when Storm Shadow missiles hit Kursk Oblast, Yonhap said, "
                  "citing RBC Ukraine.", "Some 500", 500, bound="approx", subject="North Korean troops",
             sources=[["Yonhap", "RBC Ukraine"]], published="2024-11-25"),
    ])
    assert group["independent_origins"] == 1
    assert [o["name"] for o in group["origins"]] == ["Global Defense Corp."]
    assert "number" in group["matching"]["links"][0]["features"]


def test_fighters_and_servicemen_of_one_side_in_one_incident_are_one_claim():
    group = together([
        said("a", "North Korean soldiers opened fire on a Chechen unit by mistake in the Kursk region and killed "
                  "eight of its fighters, Ukraine's military intelligence said.", "eight", 8,
             subject="fighters", sources=[["Ukraine's military intelligence"]], published="2024-12-15"),
        said("b", "Bild, citing the Main Intelligence Directorate (GUR), wrote that eight Chechen servicemen were "
                  "killed by friendly fire in Kursk Oblast.", "eight", 8, subject="Chechen servicemen",
             sources=[["Bild", "the Main Intelligence Directorate (GUR)"]], published="2024-12-16"),
    ])
    assert group["independent_origins"] == 1


def test_two_spellings_of_one_town_are_one_place():
    together([
        said("a", "Paramilitary shelling killed 74 civilians in El Fasher on Saturday, the army said.", "74", 74,
             subject="civilians", sources=[["the army"]], when="2025-04-12", published="2025-04-12"),
        said("b", "In al-Fashir, 74 civilians died in shelling, according to the army.", "74", 74,
             subject="civilians", sources=[["the army"]], published="2025-04-13"),
    ])


def test_a_running_total_stays_one_quantity_over_time():
    text = "South Korea's National Intelligence Service said {} North Korean soldiers had been killed in the Kursk region."
    nis = [["South Korea's National Intelligence Service"]]
    group = together([
        said("a", text.format("at least 100"), "at least 100", 100, bound="lower", subject="North Korean soldiers",
             sources=nis, published="2024-12-19"),
        said("b", text.format("about 300"), "about 300", 300, bound="approx", subject="North Korean soldiers",
             sources=nis, published="2025-01-13"),
        said("c", text.format("about 600"), "about 600", 600, bound="approx", subject="North Korean soldiers",
             sources=nis, published="2025-04-30"),
    ])
    assert not group["contradiction"]
    assert [t["best"] for t in group["timeline"]] == [100, 300, 600]


def test_a_toll_of_people_and_of_civilians_rising_over_two_days_is_one_quantity():
    together([
        said("a", "A missile strike on Kryvyi Rih killed 14 people, the city's mayor said.", "14", 14,
             subject="people", sources=[["the city's mayor"]], published="2025-04-04"),
        said("b", "The missile strike on Kryvyi Rih has killed 18 civilians, officials said on Saturday.", "18", 18,
             subject="civilians", sources=[["officials"]], published="2025-04-05"),
    ])


def test_freed_ukrainians_and_freed_ukrainian_prisoners_of_one_exchange_are_one_claim():
    together([
        said("a", "Kyiv said 189 Ukrainians came home in the exchange on Monday.", "189", 189, event="other",
             subject="Ukrainians", published="2024-12-30"),
        said("b", "In Monday's exchange 189 Ukrainian prisoners were freed, Kyiv said.", "189", 189, event="other",
             subject="Ukrainian prisoners", published="2024-12-30"),
    ])


# ---------------------------------------------------------------- unrelated figures stay apart


def test_a_days_toll_is_not_the_cumulative_total():
    apart([
        said("a", "In the last 24 hours, strikes across Gaza killed 17 people, the health ministry said.", "17", 17,
             subject="people", sources=[["the health ministry"]], published="2025-07-29"),
        said("b", "The health ministry said the total death toll in Gaza had reached 60,034 people.", "60,034", 60034,
             subject="people", sources=[["The health ministry"]], published="2025-07-29"),
    ])


def test_two_children_killed_are_not_the_children_killed_in_all():
    apart([
        said("a", "Two children were killed in an air strike on Khan Younis on Tuesday, medics said.", "Two", 2,
             subject="children", sources=[["medics"]], published="2025-07-29"),
        said("b", "Since the war began, 18,592 children in Gaza have been killed in all, the ministry said.",
             "18,592", 18592, subject="children", sources=[["the ministry"]], published="2025-07-29"),
    ])


def test_a_video_in_syria_and_a_hospital_in_sudan_count_different_things():
    apart([
        said("a", "A video filmed in Idlib showed two men killed by a drone.", "two", 2, subject="men",
             published="2025-04-10"),
        said("b", "About 500 people were sheltering in the hospital in El Fasher when it was shelled.", "About 500", 500,
             event="other", subject="people", bound="approx", published="2025-04-10"),
    ])


def test_a_denial_of_one_story_is_no_contradiction_of_another():
    home, clusters = groups_of([
        said("a", "A video filmed in Idlib showed two fighters killed by a drone.", "two", 2, subject="fighters",
             published="2025-01-12"),
        said("b", "Budanov dismissed reports that North Korean troops had left the Kursk region.", event="deployed",
             subject="North Korean troops", stance="denied", sources=[["Budanov"]], published="2025-01-12"),
    ])
    assert len(set(home.values())) == 2
    assert not any(g["contradiction"] for g in clusters.values())


def test_the_same_number_in_two_cities_is_two_claims():
    apart([
        said("a", "A missile strike on Sumy killed 34 people on Sunday, officials said.", "34", 34, subject="people",
             sources=[["officials"]], published="2025-04-13"),
        said("b", "A missile strike on Kryvyi Rih killed 34 people on Sunday, officials said.", "34", 34,
             subject="people", sources=[["officials"]], published="2025-04-13"),
    ])


def test_a_plan_is_not_a_count():
    apart([
        said("a", "North Korea is preparing to send 10,000 troops to Russia, Kyiv said.", "10,000", 10000,
             event="deployed", subject="troops", published="2024-10-17"),
        said("b", "North Korea has sent 10,000 troops to Russia, Seoul said.", "10,000", 10000, event="deployed",
             subject="troops", published="2024-10-18"),
    ])


def test_militants_and_civilians_are_different_people():
    apart([
        said("a", "An air strike near Jenin killed 12 militants on Friday.", "12", 12, subject="militants",
             published="2025-02-07"),
        said("b", "An air strike near Jenin killed 12 civilians on Friday.", "12", 12, subject="civilians",
             published="2025-02-07"),
    ])


def test_children_are_a_part_of_the_dead_not_the_same_claim():
    apart([
        said("a", "The strike on Kryvyi Rih killed 14 people.", "14", 14, subject="people", published="2025-04-04"),
        said("b", "Six children were among the dead in Kryvyi Rih.", "Six", 6, subject="children",
             published="2025-04-04"),
    ])


# ---------------------------------------------------------------- sources in context


def origins_of_claim(claims: list[Claim], claim: Claim) -> list:
    return origins_in_context(claims, REGISTRY)[claim.id]


def test_the_countrys_spy_agency_in_a_report_about_south_korea_is_the_nis():
    first = "South Korean lawmakers said on Thursday that the briefing was closed to the press."
    second = "The country's spy agency put the number of North Korean soldiers killed at 100."
    claims = [said("a", first, sources=[["South Korean lawmakers"]], event=None),
              said("a", second, "100", 100, subject="North Korean soldiers", sources=[["The country's spy agency"]],
                   at=len(first) + 1)]
    assert [o.registry_id for o in origins_of_claim(claims, claims[1])] == ["kr-nis"]


def test_the_monitor_and_the_observatory_after_sohr_is_sohr():
    first = "The Syrian Observatory for Human Rights said 40 people were killed in Latakia."
    second = "The UK-based monitor said 12 of them were fighters."
    third = "The Observatory said it had counted the dead by name."
    claims = [said("s", first, "40", 40, subject="people", sources=[["The Syrian Observatory for Human Rights"]]),
              said("s", second, "12", 12, subject="fighters", sources=[["The UK-based monitor"]], at=len(first) + 1),
              said("s", third, sources=[["The Observatory"]], event=None, at=len(first) + len(second) + 2)]
    found = origins_in_context(claims, REGISTRY)
    assert {o.registry_id for c in claims for o in found[c.id]} == {"sohr"}


def test_a_spokesperson_and_the_pentagon_are_one_party():
    group = together([
        said("a", "Pentagon press secretary Maj. Gen. Pat Ryder said some 10,000 North Korean troops were in Russia.",
             "some 10,000", 10000, event="deployed", bound="approx", subject="North Korean troops",
             sources=[["Pentagon press secretary Maj. Gen. Pat Ryder"]], published="2024-10-28"),
        said("b", "The Pentagon said some 10,000 North Korean troops were in Russia.", "some 10,000", 10000,
             event="deployed", bound="approx", subject="North Korean troops", sources=[["The Pentagon"]],
             published="2024-10-29"),
    ])
    assert group["independent_origins"] == 1


def test_a_description_is_the_source_its_report_names_before_it():
    first = "Russia's Defence Ministry said its forces had shot down 20 drones over Belgorod."
    second = "The ministry said 3 people were wounded."
    claims = [said("m", first, "20", 20, event="other", subject="drones", sources=[["Russia's Defence Ministry"]]),
              said("m", second, "3", 3, event="wounded", subject="people", sources=[["The ministry"]],
                   at=len(first) + 1)]
    assert [o.registry_id for o in origins_of_claim(claims, claims[1])] == ["ru-mod"]


def test_a_person_is_who_the_sentence_says_they_are():
    claim = said("p", "Maria Testova, a spokeswoman for Russia's Defence Ministry, said 12 soldiers were captured.",
                 "12", 12, event="captured", subject="soldiers", sources=[["Maria Testova"]])
    assert [o.registry_id for o in origins_of_claim([claim], claim)] == ["ru-mod"]




def test_a_person_whose_mention_holds_their_title_is_who_the_title_says():
    sentence = "The ministry said 40 were freed, while Ukraine's President Ivan Testenko said 52 Ukrainians were home."
    mention = "Ukraine's President Ivan Testenko"
    at = sentence.find(mention)
    claim = said("t", sentence, "52", 52, event="other", subject="Ukrainians", sources=[["Ivan Testenko"]])
    titled = Hop("Ivan Testenko", "person", "said", start=at, end=at + len(mention))
    claim = replace(claim, chains=((titled,),))
    assert [o.party for o in origins_of_claim([claim], claim)] == ["state-ua"]
    untitled = said("u", "The ministry said 40 were freed, while Ivan Testenko said 52 Ukrainians were home.", "52", 52,
                    event="other", subject="Ukrainians", sources=[["Ivan Testenko"]])
    assert [o.party for o in origins_of_claim([untitled], untitled)] == ["unregistered:ivan testenko"]

def test_a_body_in_apposition_before_a_person_is_theirs_but_not_one_in_brackets():
    claim = said("h", "The spokesman of the Pentagon, Tom Hale, said 300 soldiers were moving to the front.", "300", 300,
                 event="deployed", subject="soldiers", sources=[["Tom Hale"]])
    assert [o.registry_id for o in origins_of_claim([claim], claim)] == ["us-dod"]
    claim = said("u", "Pyongyang sent no troops to Russia, two of the country's United Nations (UN) representatives said.",
                 sources=[["representatives"]], event="deployed", stance="denied")
    assert [o.registry_id for o in origins_of_claim([claim], claim)] == [None]  # not the UN

def test_a_chain_that_ends_in_no_one_is_the_writers():
    claim = said("n", "Neither Moscow nor Pyongyang has acknowledged the 200 dead.", "200", 200,
                 sources=[["Neither Moscow"]], outlet="Harbor Wire")
    assert [o.name for o in origins_of_claim([claim], claim)] == ["Harbor Wire"]


def test_officials_of_a_state_are_that_state():
    claim = said("o", "Pakistani officials said 31 people were killed in Bahawalpur.", "31", 31, subject="people",
                 sources=[["Pakistani officials"]])
    assert [o.party for o in origins_of_claim([claim], claim)] == ["state-pk"]



def _missiles(writer_cites: str, source: list[str]) -> dict:
    """Russia's ministry gives two missiles; another report states two missiles as its own
    words, and cites `source` for a toll."""
    russian = said("ru", "Russia's Defence Ministry said it fired two missiles at a command post in Lutsk.", "two", 2,
                   event="strike", subject="missiles", location="Lutsk", sources=[["Russia's Defence Ministry"]],
                   published="2025-03-02", outlet="Test Wire")
    sentence = "Two Russian missiles struck the centre of Lutsk on Sunday."
    writer = said("ua", sentence, "Two", 2, event="strike", subject="Russian missiles", location="Lutsk",
                  published="2025-03-02", outlet="Kyiv Test Ledger")
    toll = said("ua", writer_cites, "40", 40, event="wounded", subject="people", location="Lutsk", sources=[source],
                published="2025-03-02", outlet="Kyiv Test Ledger", at=len(sentence) + 1)
    home, clusters = groups_of([russian, writer, toll])
    assert home[russian.id] == home[writer.id]
    return clusters[home[writer.id]]


def test_a_writers_figure_is_not_the_enemys_claim_when_its_report_speaks_for_the_other_side():
    group = _missiles("Ukrainian officials said 40 people were wounded.", ["Ukrainian officials"])
    assert group["independent_origins"] == 2  # Russia's ministry, and the report's own account


def test_a_writers_figure_relays_the_source_others_credit_it_to():
    group = _missiles("Witnesses said 40 people were wounded.", ["Witnesses"])
    assert group["independent_origins"] == 1
    assert [o["name"] for o in group["origins"]] == ["Ministry of Defence of the Russian Federation"]

# ---------------------------------------------------------------- grades


def test_confirmed_needs_two_independent_origins_agreeing_on_the_figure():
    base = "{} said more than 10,000 North Korean troops were sent to Russia."
    group = together([
        said("a", base.format("South Korea's National Intelligence Service"), "more than 10,000", 10000,
             event="deployed", bound="lower", subject="North Korean troops",
             sources=[["South Korea's National Intelligence Service"]], published="2024-11-01"),
        said("b", base.format("The Pentagon"), "more than 10,000", 10000, event="deployed", bound="lower",
             subject="North Korean troops", sources=[["The Pentagon"]], published="2024-11-02"),
    ])
    assert group["grade"].endswith("1")


def test_two_origins_that_give_different_figures_confirm_nothing():
    group = together([
        said("a", "South Korea's National Intelligence Service said about 1,500 North Korean troops were in "
                  "Russia's Far East.", "about 1,500", 1500, event="deployed", bound="approx",
             subject="North Korean troops", sources=[["South Korea's National Intelligence Service"]],
             published="2024-10-18"),
        said("b", "The Pentagon said about 3,000 North Korean troops were in Russia's Far East.", "about 3,000", 3000,
             event="deployed", bound="approx", subject="North Korean troops", sources=[["The Pentagon"]],
             published="2024-10-28"),
    ])
    assert group["independent_origins"] == 2
    assert not group["grade"].endswith("1")
    assert "no figure is confirmed by two" in group["explanation"]


def test_a_grade_never_rests_on_a_member_joined_only_by_its_reports_place():
    rafah = "The Palestine Red Crescent said 31 people were killed near an aid site in Rafah on Sunday."
    other_first = "Fighting went on in Rafah on Sunday, and 20 homes were hit in Rafah."
    other = "Another 12 people were killed, WAFA said."
    claims = [
        said("r", rafah, "31", 31, subject="people", sources=[["The Palestine Red Crescent"]], published="2025-06-01"),
        said("w", other_first, "20", 20, event="strike", subject="homes", published="2025-06-01"),
        said("w", other, "12", 12, subject="people", sources=[["WAFA"]], published="2025-06-01",
             at=len(other_first) + 1),
    ]
    home, clusters = groups_of(claims)
    group = clusters[home[claims[0].id]]
    if home[claims[2].id] == home[claims[0].id]:  # joined: only weakly, and not counted
        assert group["matching"]["weak_claims"] == [claims[2].id]
        assert group["independent_origins"] == 1
        assert "not counted" in group["explanation"]
