"""Figures (bounds, events, who, where, when), stance and blog structure, on sentences we
wrote."""

from __future__ import annotations

import pytest

from claimledger.models import Document, QuotedBlock


def figure(claims, value):
    return next(c for c in claims if c.kind == "figure" and c.quantity.value == value)


@pytest.mark.parametrize(
    "text,value,bound,low,high",
    [
        ("Officials said eight fighters were killed.", 8, "exact", 8, 8),
        ("Officials said about 500 soldiers were killed.", 500, "approx", None, None),
        ("Officials said more than 11,000 troops were deployed.", 11000, "lower", 11000, None),
        ("Officials said up to a dozen missiles were fired.", 12, "upper", None, 12),
        ("Officials said between 10,000 and 12,000 troops were sent.", 11000, "range", 10000, 12000),
    ],
)
def test_bounds(extract, text, value, bound, low, high):
    q = figure(extract(text), value).quantity
    assert (q.bound, q.low, q.high) == (bound, low, high)


def test_vague_amount_is_a_range(extract):
    claims = extract("Officials said dozens of fighters were killed in the raid.")
    q = next(c for c in claims if c.kind == "figure").quantity
    assert q.bound == "vague" and q.low == 24 and q.high == 99


@pytest.mark.parametrize(
    "text,value,event",
    [
        ("The ministry said 40 soldiers were killed.", 40, "killed"),
        ("The ministry said 40 soldiers died.", 40, "killed"),
        ("The ministry said 40 civilians lost their lives.", 40, "killed"),
        ("The ministry said 40 people were wounded.", 40, "wounded"),
        ("The ministry said 3,000 soldiers were killed or wounded.", 3000, "casualties"),
        ("The ministry said 12 soldiers were captured.", 12, "captured"),
        ("The ministry said 7 sailors are missing.", 7, "missing"),
        ("The ministry said 11,000 troops are stationed in the region.", 11000, "deployed"),
        ("The ministry said 6,000 engineers were sent to the region.", 6000, "deployed"),
        ("The ministry said 15 drones were launched at the city.", 15, "strike"),
    ],
)
def test_events(extract, text, value, event):
    assert figure(extract(text), value).event == event


def test_years_ages_money_and_percentages_are_not_figures(extract):
    claims = extract(
        "In 2010, a 19-year-old conscript said the army spent $2 billion, 40 percent of its budget."
    )
    assert not [c for c in claims if c.kind == "figure"]


def test_two_figures_in_one_sentence(extract):
    claims = extract("The agency said about 300 soldiers were killed and around 2,700 wounded.")
    assert figure(claims, 300).event == "killed"
    assert figure(claims, 2700).event == "wounded"


def test_subject_and_location(extract):
    c = figure(extract("Officials said about 500 North Korean soldiers were killed in the Kursk region."), 500)
    assert c.subject == "North Korean soldiers"
    assert "Kursk" in (c.location or "")


@pytest.mark.parametrize(
    "phrase,date",
    [
        ("on Saturday", "2024-12-14"),
        ("last week", "2024-12-09"),
        ("on the 20th", "2024-11-20"),
        ("on Dec. 14", "2024-12-14"),
    ],
)
def test_dates_resolve_against_publication(extract, phrase, date):
    c = figure(extract(f"Officials said 40 soldiers were killed {phrase}.", published="2024-12-16"), 40)
    assert c.time.date == date


@pytest.mark.parametrize(
    "text,stance",
    [
        ("The governor said 40 people were killed.", "asserted"),
        ("The governor estimated that 40 people were killed.", "hedged"),
        ("The governor said 40 people were reportedly killed.", "hedged"),
        ("The governor said 40 people were killed, a figure that could not be verified.", "hedged"),
        ("The Kremlin denied that 40 soldiers were killed.", "denied"),
        ("The Kremlin dismissed reports that 40 soldiers were killed as fake.", "denied"),
    ],
)
def test_stance(extract, text, stance):
    assert figure(extract(text), 40).stance == stance


def test_writer_lead_in_questions_the_quoted_passage(extract):
    text = (
        "Take this with a grain of salt:\n\n"
        "About 500 soldiers were killed in the strike, RBC Ukraine reported, citing Global Defense Corp.\n"
    )
    c = figure(extract(text), 500)
    assert c.stance == "questioned"
    assert [h.name for h in c.chains[0]] == ["RBC Ukraine", "Global Defense Corp."]


def test_blockquote_claims_belong_to_the_quoted_outlet(extractor):
    lead = "The usual caveats apply to this one:\n\n"
    quoted = "About 500 soldiers were killed in the strike, the outlet said."
    text = lead + quoted + "\n\nI doubt the figure."
    doc = Document(id="blog", text=text, outlet="Kursk Watch", published="2024-11-25",
                   quoted=(QuotedBlock(len(lead), len(lead) + len(quoted), "Harbor Wire"),))
    c = figure(extractor.extract(doc), 500)
    assert c.chains[0][0].name == "Harbor Wire"
    assert c.stance == "questioned"


@pytest.mark.parametrize(
    "text,chain",
    [
        ("Governor Ivan Sokol told reporters that 40 people were wounded.", ["Ivan Sokol"]),
        ("Eastbridge Daily, relaying a report by the Harbor Institute, said 40 people were wounded.",
         ["Eastbridge Daily", "the Harbor Institute"]),
        ("The ministry warned that 40 people were wounded.", ["The ministry"]),
        ("The report said 40 people were wounded.", ["The report"]),
    ],
)
def test_more_attribution_layouts(extract, text, chain):
    c = figure(extract(text), 40)
    assert [h.name for h in c.chains[0]] == chain


def test_the_newspaper_resolves_to_the_outlet_named_before(extract):
    text = ("The Kyiv Ledger, a daily newspaper, published the figures on Monday. "
            "The newspaper said 40 soldiers were wounded.")
    c = figure(extract(text), 40)
    assert c.chains[0][0].name == "The Kyiv Ledger"


def test_report_relayed_by_another_outlet(extract):
    c = figure(extract("RBC Ukraine's report, relayed by Yonhap, said 500 soldiers were killed."), 500)
    assert [h.name for h in c.chains[0]] == ["Yonhap", "RBC Ukraine"]


def test_quoted_by_as_telling(extract):
    c = figure(extract("Ryder was quoted by Reuters as telling reporters that 40 soldiers were wounded."), 40)
    assert [h.name for h in c.chains[0]] == ["Reuters", "Ryder"]


def test_a_bare_count_of_the_killed_is_a_figure(extract):
    claims = extract("The provincial governor said 230 were killed.")
    figure = next(c for c in claims if c.kind == "figure")
    assert figure.quantity.value == 230 and figure.event == "killed"


def test_a_hedge_about_something_else_in_the_sentence_does_not_hedge_the_claim(extract):
    claims = extract("The ministry said 14 sailors were rescued, among them a cook who may have been injured.")
    assert next(c for c in claims if c.kind == "figure").stance == "asserted"


def test_a_later_sentence_saying_the_toll_is_unverified_hedges_the_figure(extract):
    text = (
        "At least 35 people were killed in the market blast, the health ministry said. "
        "The army said it had arrested two suspects. The toll could not be independently verified."
    )
    claims = extract(text)
    toll = next(c for c in claims if c.quantity and c.quantity.value == 35)
    army = next(c for c in claims if c.chains and c.chains[0][0].name == "The army")
    assert toll.stance == "hedged" and "could not be independently verified" in toll.hedges
    assert army.stance == "asserted"


def test_a_source_answering_the_clause_before_denies_it_and_owns_no_figure(extract):
    claims = extract("The rebels said they had seized 40 trucks, a version the army disputed.")
    trucks = next(c for c in claims if c.kind == "figure")
    denial = next(c for c in claims if c.stance == "denied")
    assert [[h.name for h in ch] for ch in trucks.chains] == [["The rebels"]] and trucks.stance == "asserted"
    assert [[h.name for h in ch] for ch in denial.chains] == [["the army"]]


def test_measured_figures_in_awkward_parses(extract):
    text = (
        "Officials said 4,000 troops had crossed the river. Local media have put the total as high as 6,000. "
        "Aid workers say about 2,500 are already in the camps. The army said a second group of about 900 "
        "had been sent north. The governor said civilian casualties ran to dozens."
    )
    values = {c.quantity.value: c for c in extract(text) if c.kind == "figure"}
    assert {4000, 6000, 2500, 900} <= set(values)
    assert values[6000].quantity.bound == "upper" and values[6000].event == "deployed"
    assert values[900].event == "deployed"
    assert any(c.event == "casualties" and c.quantity.bound == "vague" for c in values.values())


def test_three_times_a_figure_is_not_a_count(extract):
    claims = extract("The new estimate is three times the figure the ministry gave in May, when it reported 40 dead.")
    assert [c.quantity.value for c in claims if c.kind == "figure"] == [40]


def test_vague_counts_partitives_and_bare_ranges(extract):
    text = (
        "The rebels said they had seized several armoured vehicles and captured a few scouts a few days ago. "
        "The army said there had been 40 clashes, 12 of them near the river. "
        "It said another 3,000-4,000 troops were on their way, and another 500-600 were expected."
    )
    figures = [c for c in extract(text) if c.kind == "figure"]
    vague = {(c.quantity.low, c.quantity.high) for c in figures if c.quantity.bound == "vague"}
    assert vague == {(3, 9), (2, 5)}  # several vehicles, a few scouts; not "a few days"
    values = {c.quantity.value for c in figures}
    assert {40, 12, 3500, 550} <= values
    assert next(c for c in figures if c.quantity.value == 12).event == "combat"


def test_put_with_the_figure_hung_lower_in_the_sentence(extract):
    text = (
        "The governor put the number killed or wounded at over 90. "
        "The ministry put the injured at about 40, and the families displaced, in two districts, at about 600."
    )
    figures = {c.quantity.value: c for c in extract(text) if c.kind == "figure"}
    assert figures[90].event == "casualties"
    assert figures[40].event == "wounded"
    assert figures[600].event != "wounded"


def test_ranges_that_a_measure_verb_puts_and_a_conjoined_bare_count(extract):
    text = (
        "Local sources put the toll at 50-60. Researchers had estimated the toll at between 385,000 and 600,000. "
        "The clashes have killed at least 80 people and driven more than 32,000 from their homes, officials said."
    )
    values = {(c.quantity.low, c.quantity.high) for c in extract(text) if c.kind == "figure" and c.quantity.bound == "range"}
    assert {(50, 60), (385000, 600000)} <= values
    assert any(c.quantity.value == 32000 for c in extract(text) if c.kind == "figure")


def test_an_attack_claimed_by_a_group_is_not_a_hedge(extract):
    claims = extract("The agency said the attack was claimed by an al-Qaeda affiliate.")
    assert claims[0].stance == "asserted"


def test_a_toll_that_passed_a_number_is_a_lower_bound(extract):
    claims = extract("The local priest said the toll had passed 40.")
    assert claims[0].quantity.bound == "lower" and claims[0].event == "killed"


def test_a_reaction_is_not_part_of_what_the_first_source_said(extract):
    claims = extract(
        "The agency quoted the mayor, Ana Ruiz, as saying that soldiers had looted the market, "
        "an account the army rejected."
    )
    mayor = next(c for c in claims if c.stance != "denied")
    army = next(c for c in claims if c.stance == "denied")
    assert "rejected" not in mayor.text and mayor.text.startswith("soldiers had looted")
    assert army.text.endswith("an account the army rejected")


def test_distancing_after_the_figure_and_other_figures_hedges(extract):
    text = (
        "The ministry says air defences destroyed 120 drones overnight. We cannot verify the figure. "
        "Half a million people, among them an estimated 6,000 children, have fled, the agency said. "
        "The spokesman called the report \"another fake\"."
    )
    claims = extract(text)
    by_value = {c.quantity.value: c for c in claims if c.quantity}
    assert by_value[120].stance == "hedged"
    assert by_value[500000].stance == "asserted" and by_value[6000].stance == "hedged"
    assert any(c.stance == "denied" for c in claims if c.kind == "statement")


def test_neither_sides_figures_could_be_verified_hedges_both(extract):
    text = (
        "The army said 23 of its soldiers had died. The rebels said 58 soldiers had been killed. "
        "Neither side's figures could be independently verified."
    )
    assert {c.stance for c in extract(text) if c.kind == "figure"} == {"hedged"}


def test_fact_check_claims_and_modal_hedges(extract):
    text = (
        "Claim: A post on Facebook says rescuers freed 3,500 prisoners from hidden cells.\n\n"
        "The ministry said the toll could reach 200."
    )
    figures = {c.quantity.value: c for c in extract(text) if c.kind == "figure"}
    assert figures[3500].stance == "questioned"
    assert figures[200].stance == "hedged"
