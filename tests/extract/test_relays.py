"""Relays across a document (sentences and documents we wrote)."""

from __future__ import annotations

from claimledger.extract.relays import source_line
from claimledger.models import Document


def chains_of(claim):
    return [[hop.name for hop in chain] for chain in claim.chains]


def test_as_cited_by_an_outlet_is_the_nearer_hop(extract):
    claims = extract("The coast guard said 14 sailors were rescued, as cited by Reuters.")
    assert chains_of(claims[0]) == [["Reuters", "The coast guard"]]


def test_as_per_names_the_source(extract):
    claims = extract("As per the Oslo-based group Nordic Monitors, 90 people were detained in the raids.")
    assert chains_of(claims[0]) == [["Nordic Monitors"]]
    assert [c.quantity.value for c in claims if c.kind == "figure"] == [90]


def test_per_day_is_not_a_source(extract):
    claims = extract("The ministry said losses ran at 300 per day.")
    assert chains_of(claims[0]) == [["The ministry"]]


def test_wire_copy_lead_makes_the_rest_of_the_document_relayed(extractor):
    text = (
        "The port of Varna was closed after a drone struck a tanker, Reuters reported, BTA reported.\n\n"
        "The harbour master said 11 crew members were hurt. Two boats were destroyed in the blast."
    )
    claims = extractor.extract(Document(id="w", text=text, outlet="Black Sea Daily"))
    by_number = {c.quantity.value: c for c in claims if c.kind == "figure"}
    assert chains_of(by_number[11]) == [["BTA", "Reuters", "The harbour master"]]
    assert chains_of(by_number[2]) == [["BTA", "Reuters"]]  # the writer's own words, from the wire


def test_one_outlet_in_the_lead_is_not_wire_copy(extractor):
    text = (
        "Yonhap reported on Monday that the drills had ended.\n\n"
        "The ministry said 40 aircraft took part."
    )
    claims = extractor.extract(Document(id="y", text=text, outlet="Seoul Weekly"))
    figure = next(c for c in claims if c.kind == "figure")
    assert chains_of(figure) == [["The ministry"]]


def test_a_source_line_relays_the_report_up_to_the_background(extractor):
    text = (
        "Lithuania's border guard says 60 migrants were pushed back overnight.\n"
        "Source: Rokas Vaitkus in an interview with Baltic Ledger\n"
        "Details: The commander said 12 of them needed medical help.\n"
        "Background:\n"
        "- Last week the interior ministry said 200 people had tried to cross."
    )
    claims = extractor.extract(Document(id="s", text=text, outlet="Kyiv Herald"))
    by_number = {c.quantity.value: c for c in claims if c.kind == "figure"}
    assert chains_of(by_number[12])[0][0] == "Baltic Ledger"
    assert chains_of(by_number[200]) == [["the interior ministry"]]  # the background is not the report's


def test_source_line_shapes():
    assert [h.name for h in source_line("Lead.\nSource: Nordic Wire, a Finnish news agency\n")[0]] == ["Nordic Wire"]
    assert [h.name for h in source_line("Source: the General Staff on Facebook\n")[0]] == ["the General Staff"]
    assert [h.name for h in source_line("Sources: Baltic Ledger, citing the coast guard\n")[0]] == ["Baltic Ledger", "the coast guard"]
    assert source_line("No source line here.") is None


def test_the_documents_own_outlet_is_not_a_hop(extractor):
    text = "Rebels shelled the airport, killing 9 people, the governor said, Danube Post reports."
    claims = extractor.extract(Document(id="o", text=text, outlet="Danube Post"))
    assert all("Danube Post" not in name for c in claims for chain in chains_of(c) for name in chain)


def test_a_registered_news_agency_is_an_outlet(extract):
    claims = extract("Police detained 30 protesters, Reuters reported.")
    assert claims[0].chains[0][0].kind == "outlet"


def test_an_inverted_source_after_the_reported_clause(extract):
    claims = extract("At least 80 people were killed in the raids, claimed a Latvian rights group on Monday.")
    assert chains_of(claims[0]) == [["a Latvian rights group"]]


def test_reports_from_a_source_that_put_a_figure(extract):
    claims = extract("Early reports from a local monitoring group put the toll at 41, with 30 civilians killed in the market.")
    assert {c.quantity.value for c in claims if c.kind == "figure"} >= {41, 30}
    assert all(chains_of(c) == [["a local monitoring group"]] for c in claims if c.kind == "figure")


def test_a_counter_is_the_source_of_its_count(extract):
    claims = extract("The regional health office documented 1,240 hospital admissions over the week.")
    assert chains_of(next(c for c in claims if c.kind == "figure")) == [["The regional health office"]]


def test_a_sentence_going_on_about_what_the_source_said(extract):
    claims = extract(
        "The ambulance service said 12 people were killed in the blast. "
        "It treated 40 people with burns and 9 with shrapnel wounds."
    )
    figures = {c.quantity.value: c for c in claims if c.kind == "figure"}
    assert chains_of(figures[40]) == [["The ambulance service"]]
    assert chains_of(figures[9]) == [["The ambulance service"]]


def test_this_is_the_writers_own(extract):
    claims = extract(
        "The ministry said 12 drones were shot down. This is the first attack since 300 troops were sent to the border."
    )
    figure = next(c for c in claims if c.kind == "figure" and c.quantity.value == 300)
    assert figure.chains == ()


def test_a_post_with_a_qualifier_is_the_person_named_with_it(extract):
    claims = extract(
        "The country's prime minister said 20 soldiers were killed. "
        "Defence Minister Arvo Tamm visited the base. Prime Minister Kaja Lind met the families."
    )
    assert chains_of(claims[0]) == [["Kaja Lind"]]


def test_a_headline_names_its_source_at_its_end(extractor):
    text = (
        "Russia Loses 14 Drones Over Narva - Defence Ministry\n\n"
        "The ministry gave no further details.\n\n"
    )
    claims = extractor.extract(Document(id="h", text=text, outlet="Tallinn Post"))
    figure = next(c for c in claims if c.kind == "figure")
    assert figure.quantity.value == 14 and chains_of(figure) == [["Defence Ministry"]]


def test_a_headline_with_the_source_after_a_colon(extractor):
    claims = extractor.extract(Document(id="h2", text="Over 60 feared dead in ferry fire near Tartu: UN\n\nMore follows.\n"))
    figure = next(c for c in claims if c.kind == "figure")
    assert chains_of(figure) == [["UN"]] and figure.event == "killed"


def test_more_of_the_same_count_goes_on_with_the_source(extract):
    claims = extract(
        "Two pensioners were among the dead, the emergency service said in a statement. "
        "A further 15 pensioners were also hurt."
    )
    figure = next(c for c in claims if c.kind == "figure" and c.quantity.value == 15)
    assert chains_of(figure) == [["the emergency service"]]


def test_the_statement_read_is_its_issuers(extract):
    claims = extract(
        "The Estonian ministry released a statement on Thursday, saying the strike had hit a depot. "
        '"The attackers lost as many as 40 fighters," the statement read.'
    )
    figure = next(c for c in claims if c.kind == "figure")
    assert chains_of(figure) == [["The Estonian ministry"]]


def test_as_per_reports_is_a_hedge_not_a_source(extract):
    claims = extract("The blast, as per reports, injured 60 commuters at the depot.")
    figure = next(c for c in claims if c.kind == "figure")
    assert figure.chains == () and figure.stance == "hedged"


def test_a_where_clause_is_the_writers_background(extract):
    claims = extract(
        "The army denied any role in the attack near the market, where at least 17 people were killed on Sunday."
    )
    figure = next(c for c in claims if c.kind == "figure")
    assert figure.chains == ()


def test_the_statement_of_a_relayed_body_keeps_the_relay(extract):
    claims = extract(
        "The border guard wrote this on Facebook, according to Baltic Wire. "
        '"Since Monday, 41 people have been detained," the statement reads.'
    )
    figure = next(c for c in claims if c.kind == "figure")
    assert chains_of(figure) == [["Baltic Wire", "The border guard"]]


def test_a_source_after_a_conjoined_cue(extract):
    claims = extract(
        "At least 90 people have been killed in the shelling of the port this week, claimed a rights group on Friday (May 2)."
    )
    figure = next(c for c in claims if c.kind == "figure")
    assert chains_of(figure) == [["a rights group"]]
    claims = extract("He has often accused the council of stalling, questioning their seriousness about 40 detainees.")
    assert not any(name == "their seriousness" for c in claims for chain in chains_of(c) for name in chain)


def test_another_goes_on_with_the_source_before(extract):
    claims = extract(
        "According to the border service, 300 people crossed on Monday. "
        "Over the past day alone, guards turned back another 120 people."
    )
    figure = next(c for c in claims if c.kind == "figure" and c.quantity.value == 120)
    assert chains_of(figure) == [["the border service"]]


def test_a_source_line_surname_is_the_person_the_text_names_in_full(extractor):
    text = (
        "Moldova's border chief says 400 people crossed overnight.\n"
        "Oleh Marchuk, Head of the Border Guard Service, has confirmed that 400 people crossed overnight.\n"
        "Source: Marchuk in an interview with Baltic Ledger\n"
        "Details: 30 of them were children."
    )
    claims = extractor.extract(Document(id="m", text=text, outlet="Kyiv Herald"))
    by_number = {c.quantity.value: c for c in claims if c.kind == "figure"}
    assert chains_of(by_number[30]) == [["Baltic Ledger", "Oleh Marchuk"]]
