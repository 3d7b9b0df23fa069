"""A hop is named by the source's proper name, not the description around it."""

from __future__ import annotations

import pytest

from claimledger.extract.mentions import proper_name


@pytest.mark.parametrize(
    ("mention", "name"),
    [
        ("the Lithuanian news site Baltic Ledger", "Baltic Ledger"),
        ("Kremlin spokesman Dmitry Peskov", "Dmitry Peskov"),
        ("Finnish President Alexander Stubb", "Alexander Stubb"),
        ("President Stubb", "Stubb"),
        ("the EU foreign policy chief, Kaja Kallas", "Kaja Kallas"),
        ("Head of the Border Guard Service Andrii Demchenko", "Andrii Demchenko"),
        ("Lt Col Marta Novak", "Lt Col Marta Novak"),  # a rank stays with the officer's name
        ("the Moldovan Information and Security Service(SIS", "the Moldovan Information and Security Service"),
        ("the Defence Ministry of Estonia on Telegram", "the Defence Ministry of Estonia"),
        ("the OSCE mission in Georgia", "the OSCE mission in Georgia"),
        ("sources in Tbilisi", "sources in Tbilisi"),
        ("Norway's Police Security Service", "Norway's Police Security Service"),
        ("Chief of the Polish General Staff", "Chief of the Polish General Staff"),
        ("Polish officials", "Polish officials"),
        ("the ministry", "the ministry"),
    ],
)
def test_proper_name(mention, name):
    assert proper_name(mention) == name


def test_hops_carry_the_proper_name(extractor):
    from claimledger.models import Document

    text = "Kremlin spokesman Dmitry Peskov said 40 soldiers were killed near the border."
    claims = extractor.extract(Document(id="n1", text=text))
    hop = claims[0].chains[0][0]
    assert hop.name == "Dmitry Peskov"
    assert text[hop.start : hop.end] == "Kremlin spokesman Dmitry Peskov"  # the mention keeps its offsets


@pytest.mark.parametrize(
    ("mention", "name"),
    [
        ("Baltic envoy to the United Nations", "Baltic envoy to the United Nations"),
        ("analysts from the Nordic Security Institute", "Nordic Security Institute"),
    ],
)
def test_a_name_after_a_preposition(mention, name):
    assert proper_name(mention) == name


def _names(claims):
    return [[hop.name for hop in chain] for claim in claims for chain in claim.chains]


def test_a_surname_or_ranked_name_takes_the_fullest_name(extract):
    claims = extract(
        "Coast guard commander Rear Admiral Jonas Petraitis said 12 sailors were rescued. "
        "Petraitis said 3 more were missing."
    )
    assert _names(claims)[-1] == ["Rear Admiral Jonas Petraitis"]


def test_a_post_refers_to_the_person_named_with_it(extract):
    claims = extract(
        "Estonian President Lauri Kivi said the border would stay closed. "
        "The Estonian leader said 40 people had crossed illegally."
    )
    assert _names(claims)[-1] == ["Lauri Kivi"]


def test_two_holders_of_a_post_leave_the_description(extract):
    claims = extract(
        "Mayor Ana Lupu and Mayor Ion Rusu met on Monday. The mayor said 30 homes were destroyed."
    )
    assert _names(claims)[-1] == ["The mayor"]


def test_a_dateline_is_never_a_source(extract):
    claims = extract("TALLINN (Reuters) - Defence Minister Lauri Kivi dismissed the reports as fake.")
    assert _names(claims) == [["Lauri Kivi"]] and claims[0].stance == "denied"


def test_a_name_with_what_kind_of_body_it_is_after_it():
    assert proper_name("the Baltic Sea Rescue ambulance service") == "the Baltic Sea Rescue"
    assert proper_name("Latvia's Daugava Relief charity") == "Latvia's Daugava Relief"
    assert proper_name("the UN refugee agency") == "the UN refugee agency"
    assert proper_name("South Korea's spy service") == "South Korea's spy service"


def test_he_is_not_the_person_called_she(extract):
    claims = extract(
        'Spokesperson Marta Ilves said 12 people were hurt. "The toll will rise," she said. '
        'Her comments came after rights chief Peeter Saar decried the attacks in a statement. '
        '"At least 30 civilians were killed," he said.'
    )
    figure = next(c for c in claims if c.kind == "figure" and c.quantity.value == 30)
    assert _names([figure]) == [["Peeter Saar"]]


def test_a_post_named_by_its_abbreviation(extract):
    claims = extract(
        "Addressing reporters, Director General of the Border Guard Service (BGS) Colonel Jaan Tamm said "
        "the crossing was closed. The DG BGS said 40 people had been detained."
    )
    assert _names(claims)[-1] == ["Colonel Jaan Tamm"]


def test_a_dateline_of_several_places_and_a_page_label(extract):
    claims = extract("TALLINN/RIGA - Twelve people were killed in the storm, a Latvian official said.")
    figure = next(c for c in claims if c.kind == "figure")
    assert figure.quantity.value == 12 and _names([figure]) == [["a Latvian official"]]
    assert not [c for c in extract("Published: 09:14, June 3, 2025 | Updated: 16:02, June 3, 2025") if c.chains]


def test_an_institutions_name_with_of_is_one_name():
    assert proper_name("The Supreme Council of the Baltic Defence League") == "The Supreme Council of the Baltic Defence League"
    assert proper_name("Office of the Baltic Ombudsman spokesperson Liis Kask") == "Liis Kask"


def test_cited_as_saying_and_told_media(extract):
    claims = extract("The fighting was over by noon, the state agency ETA cited the commission as saying.")
    assert _names(claims) == [["ETA", "the commission"]]
    claims = extract(
        "Colonel Karl Ots, chief of the navy's press office, told media on Tuesday that 30 drones were downed."
    )
    assert _names([c for c in claims if c.kind == "figure"]) == [["Colonel Karl Ots"]]


def test_secretary_general_is_a_civil_title_not_a_rank(extract):
    claims = extract("The day before, Baltic Council Secretary General Ilse Marten confirmed that 300 troops had arrived.")
    assert _names([c for c in claims if c.kind == "figure"]) == [["Ilse Marten"]]
    assert proper_name("Council Secretary General Ilse Marten") == "Ilse Marten"
    claims = extract("General Arvo Kask, the army chief, said 300 troops had arrived.")
    assert _names([c for c in claims if c.kind == "figure"]) == [["General Arvo Kask"]]  # a rank stays


def test_a_post_in_apposition_names_who_holds_it(extract):
    claims = extract(
        "Oleh Marchuk, Head of the Border Guard Service of Moldova, visited the crossing on Monday. "
        "The Moldovan border chief noted that 30 people crossing were children."
    )
    assert _names(claims) == [["Oleh Marchuk"]]
    claims = extract(  # two people with such posts: the description stays as written
        "Oleh Marchuk, Head of the Border Guard Service, visited the crossing. Ana Rusu, head of the "
        "customs office, was there too. The border chief noted that 30 people crossing were children."
    )
    assert _names(claims)[-1] == ["The border chief"]


def test_a_post_and_its_holders_name_joined_by_the_parser_are_one_person(extract):
    claims = extract(
        "In Vienna, UN High Commissioner for Human Rights Ülle Kask warned Tuesday of a disaster for civilians. "
        "“Forty of them are children,” she said."
    )
    assert _names(claims) == [["Ülle Kask"], ["Ülle Kask"]]
    claims = extract("Latvia and Estonia said 300 people had fled.")  # a real coordination stays two sources
    assert _names(claims) == [["Latvia"], ["Estonia"]]


def test_a_statement_named_by_the_body_that_issued_it(extract):
    claims = extract("The strikes hit only depots, a Latvian military statement said.")
    assert _names(claims) == [["Latvian military"]]
    claims = extract("The insurgents named a new mayor, according to an insurgent group statement issued Monday.")
    assert _names(claims) == [["insurgent group"]]
    claims = extract("Twelve people died, according to a press statement.")  # no body: the document as written
    assert _names(claims) == [["a press statement"]]
    claims = extract("The Estonian army said 30 drones were downed. Twelve were shot down at night, a new army statement said.")
    assert _names(claims)[-1] == ["The Estonian army"]  # "an army statement": the army named before


def test_a_spokeswoman_is_not_the_defense_secretary(extract):
    claims = extract(
        "The warning came from Pentagon spokeswoman Ana Brook. She added that Defense Secretary Tom Hale had warned "
        "the troops would be targets. “We see 300 soldiers moving to the front line,” the Pentagon spokeswoman emphasized."
    )
    figure = next(c for c in claims if c.kind == "figure")
    assert _names([figure]) == [["Ana Brook"]]


def test_a_body_described_by_its_country_refers_back(extract):
    claims = extract(
        "The Danish-based Baltic Relief Foundation runs the sites. BRF denied that 30 people were hurt near its site. "
        "The Danish company accused the militia of fabricating reports."
    )
    assert _names(claims) == [["BRF"], ["BRF"]]


def test_the_foundation_is_the_one_named_before_even_unquoted(extract):
    claims = extract(
        "Guards fired near an aid site run by the Nordic Aid Foundation on Sunday, witnesses said. "
        "Estonian officials said 12 people were wounded. The foundation has denied that 40 people were hurt."
    )
    assert _names(claims)[-1] == ["the Nordic Aid Foundation"]


def test_a_spokesperson_of_another_body_is_not_the_one_named_before(extract):
    claims = extract(
        "OSCE spokesperson Lina Berg said 14 people were killed near the depot. "
        "The convoy had been escorted by OSCE monitors, a Baltic Aid Foundation spokesperson said on Tuesday."
    )
    assert _names(claims) == [["Lina Berg"], ["a Baltic Aid Foundation spokesperson"]]


def test_a_spokesperson_of_a_body_is_the_one_named_later_with_it(extract):
    claims = extract(
        "The convoy had been escorted by OSCE monitors, an OSCE spokesperson said on Tuesday. "
        "OSCE spokesperson Lina Berg said 14 people were killed near the depot."
    )
    assert _names(claims) == [["Lina Berg"], ["Lina Berg"]]


def test_two_posts_of_one_person_joined_by_and_are_one_source(extract):
    claims = extract("Nine aid workers were killed while running a clinic, UN Resident and Humanitarian Coordinator "
                     "Mara Lind said.")
    assert _names(claims) == [["Mara Lind"]]
    claims = extract("UN Resident and Humanitarian Coordinator for Estland Mara Lind condemned the killing of 9 nurses.")
    assert _names(claims) == [["Mara Lind"]]
    claims = extract("Nine soldiers were killed, Governor Oleh Kiper and Mayor Ivan Sokol said.")  # two people
    assert _names(claims) == [["Oleh Kiper"], ["Ivan Sokol"]]
