"""Every attribution pattern the extraction issue names, on sentences we wrote."""

from __future__ import annotations

import pytest


def chains_of(claims, kind=None):
    return [
        [[hop.name for hop in chain] for chain in claim.chains]
        for claim in claims
        if kind is None or claim.kind == kind
    ]


CASES = [
    # direct quotes, every layout
    ('"We have no contact with the brigade," Colonel Petrenko said.', [["Colonel Petrenko"]]),
    ('Colonel Petrenko said: "We have no contact with the brigade."', [["Colonel Petrenko"]]),
    ('“The line is holding,” the commander said, “but the losses are heavy.”', [["the commander"]]),
    ('"The line is holding." - Defence Minister Oleksii Lenko', [["Oleksii Lenko"]]),
    # indirect speech
    ("The ministry said that the convoy had reached the border.", [["The ministry"]]),
    ("Governor Ivan Sokol told reporters the shelling had stopped.", [["Ivan Sokol"]]),
    ("Analysts at the institute assessed that the offensive had stalled.", [["Analysts at the institute"]]),
    ("The Kremlin denied that any foreign troops were fighting in the region.", [["The Kremlin"]]),
    ("According to the regional governor, the bridge was destroyed overnight.", [["the regional governor"]]),
    (
        "The United States has seen signs of heavy losses, Reuters reported on Monday, citing a Pentagon spokesperson.",
        [["Reuters", "a Pentagon spokesperson"]],
    ),
    (
        "Citing the Harbor Institute, a research group, Eastbridge Daily said the port had been mined.",
        [["Eastbridge Daily", "the Harbor Institute"]],
    ),
    (
        "Yonhap, which in turn cited RBC Ukraine, said the command post had been hit.",
        [["Yonhap", "RBC Ukraine"]],
    ),
    (
        "General Ortiz was quoted by El Nacional as saying that the rebels had withdrawn.",
        [["El Nacional", "General Ortiz"]],
    ),
    (
        "In a statement published on Saturday, the Coast Guard detailed how the ferry had capsized.",
        [["the Coast Guard"]],
    ),
    # several sources at once
    ("South Korean and U.S. officials said the launch had failed.", [["South Korean officials"], ["U.S. officials"]]),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_chain(extract, text, expected):
    claims = extract(text)
    assert claims, "no claim found"
    assert chains_of(claims)[0] == expected


def test_the_statement_read_is_the_issuer(extract):
    text = (
        "In a statement published on Saturday, the Coast Guard detailed the rescue. "
        '"All crew members were accounted for," the statement read.'
    )
    claims = extract(text)
    assert chains_of(claims)[-1] == [["the Coast Guard"]]


def test_pronoun_and_surname_resolve_to_the_full_mention(extract):
    text = (
        "Rep. Lee Seong-kweun briefed reporters after the closed session. "
        "Lee said the agency was still checking the reports. He added that more troops could follow."
    )
    names = {hop.name for claim in extract(text) for chain in claim.chains for hop in chain}
    assert "Lee" not in names and "He" not in names
    assert any("Lee Seong-kweun" in name for name in names)


def test_chain_across_sentences(extract):
    text = (
        "A Ukrainian media outlet has reported that about 500 soldiers were killed in a strike. "
        "Citing Global Defense Corp., RBC Ukraine said the soldiers were killed in the Kursk region."
    )
    first = extract(text)[0]
    assert first.kind == "figure"
    assert [[h.name for h in c] for c in first.chains] == [["RBC Ukraine", "Global Defense Corp."]]


def test_anonymous_source_kind(extract):
    claims = extract(
        "A Western official who spoke on condition of anonymity said the general was wounded."
    )
    hop = claims[0].chains[0][0]
    assert hop.name == "A Western official" and hop.kind == "anonymous"


def test_quote_flag_and_multi_paragraph_quote(extract):
    text = (
        '"We counted the losses twice. The numbers were much higher than expected.\n\n'
        '"At least 40 of our men were wounded," Captain Ruiz said.'
    )
    claims = extract(text)
    figure = next(c for c in claims if c.kind == "figure")
    assert figure.quantity.value == 40 and figure.event == "wounded"
    assert figure.chains[0][0].name == "Captain Ruiz" and figure.chains[0][0].quote


def test_odd_quote_marks_do_not_crash(extract):
    claims = extract('The mayor said "the water is safe. Nobody believed him.')
    assert claims[0].chains[0][0].name == "The mayor"


def test_offsets_point_into_the_text(extract):
    text = 'Residents said "dozens of drones" flew over the city, the regional governor said on Friday.'
    for claim in extract(text):
        assert text[claim.start : claim.end] == claim.text
        for chain in claim.chains:
            for hop in chain:
                if hop.start is not None:
                    assert text[hop.start : hop.end]
                    assert text[hop.cue_start : hop.cue_end] == hop.cue


def test_month_names_of_three_letters_resolve(extract):
    claims = extract("Officials said 40 soldiers were killed in May.", published="2025-06-02")
    assert claims[0].time.date == "2025-05"


def test_a_failing_document_is_an_error_and_the_batch_goes_on(extractor, monkeypatch):
    from claimledger.errors import ExtractionError
    from claimledger.extract import pipeline
    from claimledger.models import Document

    real = pipeline.build_claims

    def flaky(plan, spans):
        if plan.doc.id == "bad":
            raise ValueError("boom")
        return real(plan, spans)

    monkeypatch.setattr(pipeline, "build_claims", flaky)
    docs = [Document(id=i, text="Officials said 12 people were wounded.") for i in ("a", "bad", "c")]
    results = {doc.id: claims for doc, claims in extractor.extract_many(docs)}
    assert isinstance(results["bad"], ExtractionError) and "boom" in str(results["bad"])
    assert results["a"] and results["c"]


def test_a_national_institution_is_its_own_source_not_a_reference_back(extract):
    text = (
        "Twelve fishermen were detained off the coast, according to the Lagos harbour authority. "
        "The Nigerian navy said it had stopped a smuggling boat and was questioning the crew."
    )
    claims = extract(text)
    assert chains_of(claims)[-1] == [["The Nigerian navy"]]


def test_a_reference_to_the_report_takes_the_reports_whole_chain(extract):
    text = (
        "About 40 sailors died when the frigate sank, the Baltic outlet Merenranta reported, citing "
        "the Helsinki Naval Review. According to the report, six sailors were rescued. "
        "It put the wounded at 15."
    )
    claims = extract(text)
    rescued = next(c for c in claims if c.quantity and c.quantity.value == 6)
    crew = next(c for c in claims if c.quantity and c.quantity.value == 15)
    expected = [["Merenranta", "the Helsinki Naval Review"]]
    assert chains_of([rescued]) == [expected] and chains_of([crew]) == [expected]


def test_a_figure_put_at_a_number_lower_in_the_sentence_is_attributed(extract):
    text = "The coast guard said the ferry had capsized. It put the missing in the same accident at 14."
    claims = extract(text)
    missing = next(c for c in claims if c.quantity and c.quantity.value == 14)
    assert chains_of([missing]) == [[["The coast guard"]]]


def test_an_outlet_named_after_a_country_is_not_a_government(extract):
    hop = extract("Radio Moldova reported that 30 people were evacuated.")[0].chains[0][0]
    assert hop.kind in {"outlet", "organization"}


def test_a_role_with_a_name_in_apposition_is_the_named_person(extract):
    hop = extract("A spokesman for the rebels, Amadou Kone, said in a radio address that the road was cut.")[0].chains[0][0]
    assert (hop.name, hop.kind) == ("Amadou Kone", "person")


def test_an_unnamed_officer_is_anonymous_and_later_references_resolve_to_them(extract):
    text = (
        "A major in the border brigade, who asked not to be named, described the retreat. "
        '"We lost two trucks," the officer said. He said 12 soldiers were wounded.'
    )
    claims = extract(text)
    names = {hop.name for claim in claims for chain in claim.chains for hop in chain}
    assert names == {"A major in the border brigade"}
    assert claims[0].chains[0][0].kind == "anonymous"


def test_the_officials_after_two_groups_of_officials_are_both(extract):
    text = (
        "Some 300 families crossed the river, Malian and Nigerien officials said. "
        "About 90 more were waiting at the ferry, the officials said."
    )
    later = next(c for c in extract(text) if c.quantity and c.quantity.value == 90)
    assert chains_of([later]) == [[["Malian officials"], ["Nigerien officials"]]]


def test_an_outlet_quoting_a_person_keeps_relaying_them(extract):
    text = (
        "Radio Sahara quoted the governor of the province, Idriss Mahamat, as saying that 40 houses "
        "burned. He also said the fire had been set deliberately. "
        '"We will rebuild," Mahamat said.'
    )
    claims = extract(text)
    assert chains_of(claims) == [[["Radio Sahara", "Idriss Mahamat"]]] * 3


def test_a_source_telling_a_named_outlet_is_relayed_by_it(extract):
    claims = extract("A police officer told Radio Okapi that 18 prisoners had escaped.")
    assert chains_of(claims) == [[["Radio Okapi", "A police officer"]]]


def test_according_to_two_groups_of_officials_gives_two_chains(extract):
    claims = extract("About 700 refugees crossed the border last week, according to Kenyan and Somali officials.")
    assert chains_of(claims)[0] == [["Kenyan officials"], ["Somali officials"]]


def test_a_speaker_relaying_another_source_is_the_nearer_hop_not_a_claim_of_their_own(extract):
    claims = extract("The senator said the agency described the figure as an undercount.")
    assert chains_of(claims) == [[["The senator", "the agency"]]]


def test_said_after_a_briefing_by_a_source_cites_it(extract):
    claims = extract("About 90 fighters were captured, a deputy said after a closed-door briefing by the Interior Ministry.")
    assert chains_of(claims)[0] == [["a deputy", "the Interior Ministry"]]


def test_a_participle_inside_reported_words_belongs_to_the_speaker(extract):
    claims = extract("The ministry denied that its troops had burned the village, saying only empty barns were hit.")
    assert all(chain[0] == ["The ministry"] for chain in chains_of(claims))
    assert not any(len(chain[0]) > 1 for chain in chains_of(claims))


@pytest.mark.parametrize(
    "sourcing",
    [
        "Radio Dabanga's source was the Darfur Bar Association.",
        "The station is writing this on the basis of data of the Darfur Bar Association.",
        "Radio Dabanga based its report on figures from the Darfur Bar Association.",
    ],
)
def test_a_sentence_saying_where_a_report_came_from_completes_the_chain(extract, sourcing):
    text = f"About 60 people were killed in the raid on the market, the broadcaster Radio Dabanga reported. {sourcing}"
    claims = extract(text)
    assert chains_of(claims) == [[["Radio Dabanga", "the Darfur Bar Association"]]]


def test_which_attributed_the_figure_to_is_a_hop(extract):
    claims = extract(
        "Some 60 people were reportedly killed, according to Radio Dabanga, which attributed the figure to "
        "the Darfur Bar Association."
    )
    assert chains_of(claims) == [[["Radio Dabanga", "the Darfur Bar Association"]]]


def test_an_agentless_passive_report_takes_the_source_before(extract):
    text = "The ministry reported that 70 soldiers were killed in the ambush. Civilian losses were put at 12 dead."
    claims = extract(text)
    civilians = next(c for c in claims if c.quantity and c.quantity.value == 12)
    assert chains_of([civilians]) == [[["The ministry"]]]
    assert civilians.text.startswith("Civilian losses were put at 12 dead")


def test_and_a_new_source_inside_reported_words_is_not_relayed(extract):
    text = "The agency said 1,500 troops had moved east, and Seoul has warned that more are being readied."
    seoul = [c for c in extract(text) if c.kind == "statement"]
    assert seoul and chains_of(seoul) == [[["Seoul"]]]


def test_a_trailing_report_by_someone_names_them_and_the_report_refers_back(extract):
    text = (
        "Between 200 and 300 foreign fighters are in the province, a leaked report by UN monitors said. "
        "The governor denied it. The report said the fighters had crossed from the north."
    )
    claims = extract(text)
    assert chains_of(claims)[0] == [["UN monitors"]]
    assert chains_of([c for c in claims if "crossed" in c.text]) == [[["UN monitors"]]]


def test_the_report_relayed_by_an_outlet_keeps_its_relay(extract):
    text = (
        "The navy's daily report, relayed by Coastal Wire, said 14 boats had been stopped. "
        "The report also put the number of migrants detained at about 230."
    )
    claims = extract(text)
    detained = next(c for c in claims if c.quantity and c.quantity.value == 230)
    assert chains_of([detained]) == [[["Coastal Wire", "The navy"]]]


def test_a_trailing_citing_hung_on_the_reported_clause_is_a_hop(extract):
    claims = extract(
        "The outlet Sahel Watch reported that 14 soldiers were killed near Djibo on Sunday, citing the regional "
        "governor's office, which in turn cited village chiefs."
    )
    assert chains_of(claims) == [[["Sahel Watch", "the regional governor's office", "village chiefs"]]]
    assert "citing" not in claims[0].text


def test_a_signature_with_a_title_and_a_place(extract):
    claims = extract('"We lost four men." - Navy spokesman Capt. Ruben Ortiz, speaking on Radio Mar.')
    assert chains_of(claims)[0][0][0].endswith("Capt. Ruben Ortiz")


def test_physical_attacks_are_not_attributions(extract):
    claims = extract("Gunmen attacked a convoy near the border, the police said.")
    assert chains_of(claims) == [[["the police"]]]


def test_a_second_act_the_parser_put_inside_the_reported_clause(extract):
    claims = extract("The army said it had shelled rebel positions and denied hitting a market.")
    denial = [c for c in claims if c.stance == "denied"]
    assert len(denial) == 1 and chains_of(denial) == [[["The army"]]]
    assert all(c.stance == "asserted" for c in claims if c is not denial[0])


def test_the_nearest_subject_before_the_cue(extract):
    claims = extract("At least 40 people were killed, most of them women, the provincial health office said.")
    assert chains_of(claims) == [[["the provincial health office"]]]


def test_which_in_turn_cited_hung_on_the_last_noun(extract):
    claims = extract(
        "A rights group, Sahel Watch, put the toll at 58, citing its network of monitors in the region, "
        "which in turn cited hospital records."
    )
    assert chains_of(claims)[0][0][-1] == "hospital records"


def test_leading_citing_with_its_own_relay(extract):
    claims = extract(
        "Citing the district council, which in turn cited a local priest, the weekly Kivu Matin said 30 houses burned."
    )
    [[chain]] = chains_of(claims)
    assert chain[0].endswith("Kivu Matin") and chain[1:] == ["the district council", "a local priest"]


def test_its_source_was_and_an_appositive_name(extract):
    text = (
        "The weekly Sahel Matin reported that 19 soldiers were killed near Menaka. "
        "Its source was a local monitoring group, Menaka Veille. "
        "A rights group, Human Rights Activists, put the toll at 25."
    )
    claims = extract(text)
    assert chains_of(claims)[0] == [["Sahel Matin", "Menaka Veille"]]
    assert chains_of(claims)[1] == [["Human Rights Activists"]]


def test_a_lead_in_relaying_someones_statement_gives_the_passage_both_hops(extract):
    text = (
        "Another day, another unverifiable claim. Here is how the rebel-run Radio Tchad Libre relayed the "
        "latest statement by the group's spokesman, Ahmat Issa:\n\n"
        "> Our fighters destroyed four armoured vehicles near Abeche."
    )
    figure = next(c for c in extract(text) if c.kind == "figure")
    [[chain]] = [chains_of([figure])[0]]
    assert chain[0].endswith("Radio Tchad Libre") and chain[1] == "Ahmat Issa"
    assert figure.stance == "questioned"


def test_a_trailing_source_with_a_name_in_apposition(extract):
    text = (
        "Gunmen attacked a market in the town on Sunday, killing at least 12 traders, the UN mission in Mali, "
        "MINUSMA, said."
    )
    claims = extract(text)
    assert chains_of(claims) == [[["the UN mission in Mali"]]]


def test_two_cues_of_one_relayed_source_are_two_claims(extract):
    claims = extract(
        "The ministry, quoted by the agency Sputnik, confirmed the exchange and said 40 soldiers had been freed."
    )
    assert len(claims) == 2
    for [chain] in chains_of(claims):
        assert chain[0].endswith("Sputnik") and chain[1] == "The ministry"


def test_an_alias_after_or_is_one_source(extract):
    claims = extract("The Pakistani Taliban, or TTP, said in a message that its fighters had seized weapons.")
    assert chains_of(claims) == [[["The Pakistani Taliban"]]]


def test_live_blog_times_and_acts_that_are_not_words(extract):
    text = (
        "14:45 — The army denies targeting civilians and says its troops answered rebel fire.\n\n"
        "15:10 — A senior official told us the governor had ordered an investigation."
    )
    claims = extract(text)
    names = {hop.name for c in claims for chain in c.chains for hop in chain}
    assert names == {"The army", "A senior official"}


def test_a_described_institution_is_not_a_reference_back(extract):
    text = (
        "Drones hit two refineries overnight, the region's energy ministry said. "
        "The broadcaster Kurdistan Today reported, citing the region's counter-terrorism service, that three drones were used."
    )
    drones = next(c for c in extract(text) if c.quantity and c.quantity.value == 3)
    assert chains_of([drones])[0][0][-1] == "the region's counter-terrorism service"


def test_told_the_agency_and_speaking_to_an_outlet_are_relays(extract):
    text = (
        "A provincial official was quoted by the Bakhtar news agency as saying nine people died. "
        "The official told the agency that the bomber had posed as a patient. "
        "Two police officers, speaking to the newspaper El Comercio, said 12 inmates died. "
        "A commander told us 30 fighters were killed."
    )
    claims = extract(text)
    bomber = next(c for c in claims if "bomber" in c.text)
    assert chains_of([bomber]) == [[["the Bakhtar news agency", "A provincial official"]]]
    inmates = next(c for c in claims if c.quantity and c.quantity.value == 12)
    assert chains_of([inmates]) == [[["El Comercio", "Two police officers"]]]
    assert not any(c.quantity and c.quantity.value == 2 for c in claims)  # "Two police officers" is a source
    fighters = next(c for c in claims if c.quantity and c.quantity.value == 30)
    assert chains_of([fighters]) == [[["A commander"]]]  # told us: the writer's own outlet


def test_a_broadcast_transcript_and_the_writers_own_data(extract):
    text = (
        "ANCHOR: Our correspondent Lina Haddad is in Sidon.\n\n"
        "HADDAD: The state-run news agency NNA is reporting, citing rescue teams, that seven bodies have been recovered.\n\n"
        "Our data show that 40 people were killed in January."
    )
    claims = extract(text)
    seven = next(c for c in claims if c.quantity and c.quantity.value == 7)
    assert chains_of([seven])[0][0][-1] == "rescue teams" and "HADDAD" not in str(chains_of([seven]))
    forty = next(c for c in claims if c.quantity and c.quantity.value == 40)
    assert chains_of([forty]) == [[]]


def test_lead_ins_that_name_where_a_quoted_passage_comes_from(extract):
    text = (
        "Handle this one with care. Here is how the Libyan site Tripoli Times relayed the latest toll:\n\n"
        "> At least eight people were killed in clashes between the 444 Brigade and a rival force, "
        "the Emergency Medicine Centre said.\n\n"
        "This one comes from the Telegram channel Dvina Front:\n\n"
        '"Our source in the border group reports, citing radio intercepts, that 60 enemy fighters were killed."'
    )
    claims = [c for c in extract(text) if c.kind == "figure"]
    assert [c.quantity.value for c in claims] == [8, 60]  # not the 444 Brigade
    assert chains_of(claims[:1])[0][0][0].endswith("Tripoli Times") and claims[0].stance == "questioned"
    assert chains_of(claims[1:])[0][0][0].endswith("Dvina Front")


def test_it_cited_and_relied_on_complete_the_chain(extract):
    text = (
        "More than 100 people were killed in the assault on the town, the newsletter Sahel Hebdo reported. "
        "It cited a local aid worker, who in turn relied on accounts from the town's hospital."
    )
    claims = extract(text)
    assert chains_of(claims)[0][0][1:] == ["a local aid worker", "the town's hospital"]


def test_the_army_refers_back_to_the_military_and_the_group_not_to_an_outlet(extract):
    text = (
        "The Israeli military said it had struck a weapons depot, the radio station Kol Ha-Negev reported. "
        "The army said 12 gunmen were killed."
    )
    gunmen = next(c for c in extract(text) if c.quantity and c.quantity.value == 12)
    assert chains_of([gunmen]) == [[["The Israeli military"]]]


def test_a_clause_final_source_the_parser_joined_to_the_object(extract):
    text = (
        "Gunmen who raided a school in Kebbi before dawn abducted 120 pupils and 8 teachers, the Christian "
        "Association of Nigeria said on Saturday. Air strikes on the port killed three people and wounded 34, "
        "the state news agency SANA reported, citing the health ministry."
    )
    claims = extract(text)
    pupils = next(c for c in claims if c.quantity and c.quantity.value == 120)
    assert chains_of([pupils]) == [[["the Christian Association of Nigeria"]]]
    wounded = next(c for c in claims if c.quantity and c.quantity.value == 34)
    [[chain]] = chains_of([wounded])
    assert chain[0].endswith("SANA") and chain[1] == "the health ministry"


def test_a_states_belief_told_by_its_official_is_not_a_relay(extract):
    claims = extract("An Israeli official said Israel believed most of the hostages were alive. Eritrea has called up reservists.")
    assert chains_of(claims) == [[["An Israeli official"]]]


def test_fact_check_labels_are_not_speakers(extract):
    claims = extract("Claim: A post on Facebook says rescuers freed 3,500 prisoners from hidden cells.")
    assert all(chain[0][0] != "Claim" for chain in chains_of(claims) if chain)


def test_told_state_media_is_a_relay(extract):
    claims = extract("The governor told state media that 14 people had been rescued.")
    assert chains_of(claims) == [[["state media", "The governor"]]]


def test_its_account_was_based_on_and_a_relative_citing_on_an_appositive_name(extract):
    text = (
        "The Sudan Doctors Network said more than 460 patients were killed at the hospital. "
        "Its account was based on testimony from nurses who fled to Tawila. "
        "The Saudi-owned channel Al-Hadath, which cited sources in Sanaa, said nine ministers were killed."
    )
    claims = extract(text)
    patients = next(c for c in claims if c.quantity and c.quantity.value == 460)
    assert chains_of([patients]) == [[["The Sudan Doctors Network", "nurses"]]]
    ministers = next(c for c in claims if c.quantity and c.quantity.value == 9)
    assert chains_of([ministers])[0][0][-1] == "sources in Sanaa"


def test_while_another_source_said_is_not_the_first_ones_words(extract):
    claims = extract(
        "A local official put the toll at 150 to 200, while a police spokeswoman said that several suspects had been arrested."
    )
    toll = next(c for c in claims if c.quantity and c.quantity.value == 175)
    assert "suspects" not in toll.text


def test_a_standalone_quotation_after_a_speaker_is_theirs(extract):
    text = (
        "The spokesman said 21 passengers had been killed by the attackers. "
        '"Not a single hostage remains in their hands."\n\n'
        "The rebels claimed they were still holding 150 hostages."
    )
    claims = extract(text)
    quote = next(c for c in claims if "Not a single hostage" in c.text)
    assert chains_of([quote]) == [[["The spokesman"]]]


def test_two_cues_over_the_same_words_are_one_claim(extract):
    # The parser gives "blamed" and "saying" the same reported words: one claim, not one id twice.
    text = "The army blamed the rebels for the blast, saying the blast happened because the rebels stored mines in the school."
    claims = extract(text)
    ids = [c.id for c in claims]
    assert len(ids) == len(set(ids)) == 1


def test_a_figure_beside_a_while_clause_is_not_that_clauses_source(extract):
    claims = extract("While the border guard says 40 migrants were detained overnight, 52 were released by the "
                     "morning.")
    by_value = {c.quantity.value: chains_of([c]) for c in claims if c.kind == "figure"}
    assert by_value == {40: [[["the border guard"]]], 52: [[]]}
    claims = extract("While the talks went on, the Estonian army said 52 soldiers were wounded in the raid.")
    assert {c.quantity.value: chains_of([c]) for c in claims if c.kind == "figure"} == {52: [[["the Estonian army"]]]}


def test_a_subject_named_in_apposition_is_no_trailing_source_of_the_clause_before(extract):
    claims = extract("Medics at the clinic reported about 60 deaths, while a militia loyal to the mayor, Petar Ilic, "
                     "claimed that more than 250 had died.")
    by_value = {c.quantity.value: chains_of([c]) for c in claims if c.kind == "figure"}
    assert by_value[60] == [[["Medics at the clinic"]]]
    assert by_value[250] in ([[["a militia loyal to the mayor"]]], [[["Petar Ilic"]]])
    claims = extract("Forty people were killed in the shelling, the Ukrainian outlet Kyiv Test Ledger reported.")
    assert chains_of(claims, "figure") == [[["Kyiv Test Ledger"]]]


def test_a_sources_words_that_open_a_clause_of_its_own(extract):
    claims = extract("The reply followed the Kenyan envoy's words that Nairobi is preparing to send 900 police "
                     "officers to Haiti.")
    assert chains_of(claims) == [[["the Kenyan envoy"]]]
    claims = extract("The move came after earlier claims by Canada and other donors suggesting that some 4,000 "
                     "families had fled the valley.")
    assert chains_of(claims) == [[["Canada"], ["other donors"]]]


def test_a_noun_of_speech_without_its_source_or_clause_attributes_nothing(extract):
    claims = extract("The claims that 4,000 families had fled the valley were never checked.")
    assert chains_of(claims) == [[]]
    claims = extract("The envoy's words were echoed as 900 police officers landed in Haiti.")
    assert chains_of(claims) == [[]]
