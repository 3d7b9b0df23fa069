"""What a figure counts and how far a group may stretch, on constructed cases both ways:
the time scope a sentence opens with, a period's start date, whose losses a figure
counts, people and soldiers with one number, a side with its allies. Every sentence
here was written for these tests."""

from __future__ import annotations

from dataclasses import replace

from test_matching import apart, groups_of, said, together

from claimledger.assess.frames import frames_of
from claimledger.models import TimeRef

OPENING = "Since the start of the offensive, Russia's toll in the Kursk region has come to 48,700 personnel."


def frame(claim):
    return frames_of([claim])[claim.id]


def test_a_running_total_the_sentence_opens_with_scopes_its_numbers():
    claim = said("a", OPENING, "62,400", 62400, event="casualties", subject="personnel")
    assert frame(claim).scope == "cumulative"
    credited = said("b", "HARBOR WIRE - Agency) Since the launch of the offensive, the toll has come to 48,700 personnel.",
                    "62,400", 62400, event="casualties", subject="personnel")
    assert frame(credited).scope == "cumulative"
    plain = said("c", "Russia's toll in the Kursk region has come to 48,700 personnel.", "62,400", 62400,
                 event="casualties", subject="personnel")
    assert frame(plain).scope is None


def test_a_date_given_as_the_start_of_a_count_is_not_its_date():
    day = TimeRef("2 September 2024", "2024-09-02")
    since = replace(said("a", "Since the push opened on 2 September 2024, Russia has lost 48,700 personnel.",
                         "62,400", 62400, event="casualties", subject="Russian personnel", published="2025-04-26"),
                    time=day)
    assert frame(since).when.isoformat() == "2025-04-26" and frame(since).scope == "cumulative"
    on = replace(said("b", "On 2 September 2024, Russia lost 260 personnel.", "260", 260, event="casualties",
                      subject="Russian personnel", published="2025-04-26"), time=day)
    assert frame(on).when.isoformat() == "2024-09-02" and frame(on).scope is None


def test_a_running_total_is_not_a_months_total():
    apart([
        said("a", OPENING, "62,400", 62400, event="casualties", subject="personnel",
             sources=[["Ukraine's General Staff"]], published="2025-04-26"),
        said("b", "Over the month of April, Russia's toll in the Kursk region came to 27,000 personnel, "
                  "Ukraine's General Staff said.", "27,000", 27000, event="casualties", subject="personnel",
             sources=[["Ukraine's General Staff"]], published="2025-04-30"),
    ])


def test_whose_losses_is_the_loser_named_before_the_number():
    sentence = ("The Russian army has lost 48,700 personnel in the Kursk region, and North Korean units "
                "have taken 3,200 casualties.")
    russian = said("a", sentence, "62,400", 62400, event="casualties")
    north_korean = said("a", sentence, "3,200", 3200, event="casualties", at=1)
    frames = frames_of([russian, north_korean])
    assert frames[russian.id].sides == {"RU"}
    assert frames[north_korean.id].sides == {"KP"}


def test_people_and_soldiers_given_one_number_then_a_close_one_are_one_group():
    general_staff = [["Ukraine's General Staff"]]
    together([
        said("a", "Ukraine's General Staff said 48,700 people were lost by Russia in the Kursk region.", "62,400",
             62400, event="casualties", subject="people", sources=general_staff, published="2025-04-26"),
        said("b", "Russia lost 48,700 personnel in the Kursk region, Ukraine's General Staff said.", "62,400", 62400,
             event="casualties", subject="personnel", sources=general_staff, published="2025-04-26"),
        said("c", "More than 48,000 Russian soldiers have been lost in the Kursk region, Ukraine's General Staff said.",
             "More than 48,000", 48000, bound="lower", event="casualties", subject="soldiers",
             sources=general_staff, published="2025-04-26"),
    ])


def test_people_and_soldiers_with_different_numbers_stay_apart():
    apart([
        said("a", "Shelling of the Kursk region killed 40 people on Monday, the governor said.", "40", 40,
             subject="people", sources=[["the governor"]], published="2025-04-26"),
        said("b", "Shelling of the Kursk region killed 12 soldiers on Monday, the governor said.", "12", 12,
             subject="soldiers", sources=[["the governor"]], published="2025-04-26"),
    ])


def test_a_side_and_the_side_with_its_allies_given_one_number_are_one_group():
    together([
        said("a", "In the Kursk region, Russia's troop losses came to 48,700, Kyiv said.", "62,400", 62400,
             event="casualties", subject="Russian troops", published="2025-04-26"),
        said("b", "In the Kursk region, Russian and North Korean troop losses came to 48,700, Kyiv said.", "62,400",
             62400, event="casualties", subject="Russian and North Korean troops", published="2025-04-26"),
        said("c", "Kyiv said Russia had lost more than 48,000 troops in the Kursk region.", "more than 48,000", 48000,
             bound="lower", event="casualties", subject="Russian troops", published="2025-04-26"),
    ])


def test_two_sides_stay_apart():
    apart([
        said("a", "In the Kursk region, Russia's troop losses came to 48,700, Kyiv said.", "62,400", 62400,
             event="casualties", subject="Russian troops", published="2025-04-26"),
        said("b", "In the Kursk region, North Korean troop losses came to 3,200, Kyiv said.", "3,200", 3200,
             event="casualties", subject="North Korean troops", published="2025-04-26"),
    ])


def test_figures_two_reports_place_in_two_cities_with_different_numbers_stay_apart():
    officials = [["Ukrainian officials"]]
    apart([
        said("k", "Ukrainian officials said 17 people died when a missile hit Kryvyi Rih.", "17", 17,
             subject="people", location="Kryvyi Rih", sources=officials, published="2025-04-04"),
        said("k", "Five of those who died were children, Ukrainian officials said.", "Five", 5, subject="children",
             sources=officials, published="2025-04-04", at=1),
        said("s", "Ukrainian officials said 41 people died when a missile hit Sumy.", "41", 41,
             subject="people", location="Sumy", sources=officials, published="2025-04-13"),
        said("s", "Three of those who died were children, Ukrainian officials said.", "Three", 3, subject="children",
             sources=officials, published="2025-04-13", at=1),
    ])


def test_one_small_number_weeks_apart_is_no_echo_but_on_one_date_from_one_source_it_is():
    apart([
        said("a", "In Sumy, the emergency service said, two of the victims were children.", "Two", 2,
             subject="children", sources=[["the emergency service"]], published="2025-04-13"),
        said("b", "Friday's shelling left two people dead, the governor said.", "two", 2, subject="people",
             sources=[["the governor"]], published="2025-04-04"),
    ])
    together([
        said("a", "Two of the victims were children, Ukraine's State Emergency Service said.", "Two", 2,
             subject="children", sources=[["Ukraine's State Emergency Service"]], published="2025-04-13"),
        said("b", "Ukraine's State Emergency Service said two children were among the victims.", "two", 2,
             subject="children", sources=[["Ukraine's State Emergency Service"]], published="2025-04-13"),
    ])


def test_a_days_toll_and_a_tenfold_toll_days_later_in_one_camp_stay_apart():
    apart([
        said("a", "Friday's raid on the camp outside El Fasher left 18 civilians dead, a local committee said.",
             "18", 18,
             subject="civilians", location="El Fasher", sources=[["a local committee"]], when="2025-04-11",
             published="2025-04-11"),
        said("b", "More than 180 civilians died in the raid on the camp outside El Fasher, the UN said.",
             "More than 180", 180, bound="lower", subject="civilians", location="El Fasher",
             sources=[["the UN"]], published="2025-04-14"),
    ])


def test_a_sides_losses_disputed_tenfold_at_one_time_stay_one_claim():
    group = together([
        said("a", "Seoul's spy agency put the North Korean soldiers dead in the Kursk region at about 120.",
             "about 120", 120, bound="approx", subject="North Korean soldiers",
             sources=[["Seoul's spy agency"]], published="2024-12-19"),
        said("b", "Ukraine's president said 1,400 North Korean soldiers had died in the Kursk region.",
             "1,400", 1400, subject="North Korean soldiers", sources=[["Ukraine's president"]],
             published="2024-12-20"),
    ])
    assert group["contradiction"]


def test_a_close_number_from_another_source_weeks_later_is_another_claim():
    apart([
        said("a", "The Pentagon estimated that around 8,000 North Korean soldiers had reached drill grounds in eastern Russia.",
             "around 8,000", 8000, bound="approx", event="deployed", subject="North Korean soldiers",
             location="eastern Russia", sources=[["The Pentagon"]], published="2024-10-28"),
        said("b", "Some 8,800 North Korean soldiers had reached drill grounds in eastern Russia, Kyiv's intelligence said.",
             "Some 8,800", 8800, bound="approx", event="deployed", subject="North Korean soldiers",
             location="eastern Russia", sources=[["Kyiv's intelligence"]], published="2024-11-25"),
    ])


def test_a_close_number_from_one_source_within_weeks_is_one_claim():
    together([
        said("a", "The Pentagon estimated that around 8,000 North Korean soldiers had reached drill grounds in eastern Russia.",
             "around 8,000", 8000, bound="approx", event="deployed", subject="North Korean soldiers",
             location="eastern Russia", sources=[["The Pentagon"]], published="2024-10-28"),
        said("b", "Some 8,400 North Korean soldiers had reached drill grounds in eastern Russia, the Pentagon said.",
             "Some 8,400", 8400, bound="approx", event="deployed", subject="North Korean soldiers",
             location="eastern Russia", sources=[["the Pentagon"]], published="2024-11-05"),
    ])


def test_close_tolls_of_two_sources_days_apart_are_two_counts_but_on_one_day_one_claim():
    apart([
        said("a", "A rights group counted 700 people dead across Iran since the strikes started.", "700", 700,
             subject="people", location="Iran", sources=[["A rights group"]], published="2025-06-20"),
        said("b", "Since the strikes started, 646 people have died across Iran, Iran's health ministry said.",
             "646", 646, subject="people", location="Iran", sources=[["Iran's health ministry"]],
             published="2025-06-24"),
    ])
    together([
        said("a", "A rights group counted 700 people dead across Iran since the strikes started.", "700", 700,
             subject="people", location="Iran", sources=[["A rights group"]], published="2025-06-24"),
        said("b", "Since the strikes started, 668 people have died across Iran, Iran's health ministry said.",
             "668", 668, subject="people", location="Iran", sources=[["Iran's health ministry"]],
             published="2025-06-24"),
    ])


def test_russias_east_is_the_far_east_and_not_kursk():
    east = said("a", "Roughly 7,000 troops sent by Pyongyang are stationed in Russia's east.", "Roughly 7,000", 7000,
                bound="approx", event="deployed", subject="North Korean troops", location="Russia's east")
    far = said("b", "Roughly 7,000 troops sent by Pyongyang are stationed in eastern Russia.", "Roughly 7,000", 7000,
               bound="approx", event="deployed", subject="North Korean troops", location="eastern Russia")
    kursk = said("c", "Roughly 7,000 troops sent by Pyongyang are in the Kursk region.", "Roughly 7,000", 7000,
                 bound="approx", event="deployed", subject="North Korean troops", location="the Kursk region")
    frames = frames_of([east, far, kursk])
    assert frames[east.id].places == frames[far.id].places == {"ru-far-east"}
    assert frames[kursk.id].places == {"ru-kursk"}


def test_a_count_over_the_whole_war_is_a_running_total():
    claim = said("a", "The two sides have held dozens of prisoner exchanges during the three-year war.", "dozens",
                 None, bound="vague", event="other", subject="prisoner exchanges")
    assert frame(claim).scope == "cumulative"
    one_year = said("b", "The two sides held 12 prisoner exchanges in the first year of the war.", "12", 12,
                    event="other", subject="prisoner exchanges")
    assert frame(one_year).scope is None


def test_a_figure_whose_report_lends_a_place_is_still_compared_with_figures_naming_none():
    lent = [
        said("a", "A missile hit Mariupol on Monday, killing 4 people.", "4", 4, subject="people",
             location="Mariupol", published="2024-12-30"),
        said("a", "Another strike on Mariupol wounded 11 people.", "11", 11, event="wounded", subject="people",
             location="Mariupol", published="2024-12-30", at=1),
        said("a", "Shelling of Mariupol killed 2 more people overnight.", "2", 2, subject="people",
             location="Mariupol", published="2024-12-30", at=2),
        said("a", "Kyiv said 47 exchanges of prisoners had taken place since the war began.", "47", 47, event="other",
             subject="prisoner exchanges", published="2024-12-30", at=3),
    ]
    none = said("b", "Kyiv said the sides had held 45 exchanges of prisoners since the war began.", "45", 45,
                event="other", subject="prisoner exchanges", published="2024-12-31", outlet="Harbor Wire")
    home, _ = groups_of([*lent, none])
    assert home[lent[3].id] == home[none.id]


def test_others_after_a_count_are_of_its_kind():
    civilians = "At least 19 civilians died and 44 others were injured in the raids."
    soldiers = "Nine soldiers died and 35 others were wounded in the bombardment."
    others = said("a", civilians, "44", 44, event="wounded", subject="others")
    troops = said("b", soldiers, "35", 35, event="wounded", subject="others")
    assert frame(others).counted == "civilians"
    assert frame(troops).counted == "troops"
    # An aside on a part of them names no kind of the others.
    aside = said("d", "Thirty-one people, including four children, died and 52 others were injured.", "52",
                 52, event="wounded", subject="others")
    assert frame(aside).counted == "people"
    children = said("e", "Three children died and 15 others were injured.", "15", 15, event="wounded",
                    subject="others")
    assert frame(children).counted == "children"
    apart([
        others,
        said("c", "At least 44 soldiers were wounded in the raids.", "44", 44, event="wounded",
             subject="soldiers", published="2025-04-05"),
    ])


def test_a_figure_that_points_back_counts_what_its_own_sentence_says():
    # The extractor gives "238 have died" the subject of a figure two sentences up;
    # the sentence itself names no soldiers, so the echo of the toll joins.
    ministry = [["the health ministry"]]
    toll = said("a", "The health ministry said 238 Iranian citizens had died over three days.", "238", 238,
                subject="Iranian citizens", sources=ministry, published="2025-06-16")
    pointing_back = said("b", "The health ministry said on Monday that 238 have died so far.", "238", 238,
                         subject="security force personnel", sources=ministry, published="2025-06-16")
    assert frame(pointing_back).counted is None
    together([toll, pointing_back])
    # A sentence that names soldiers keeps them: soldiers and citizens stay apart.
    soldiers = said("c", "The health ministry said on Monday that 238 security force personnel have died so far.",
                    "238", 238, subject="security force personnel", sources=ministry, published="2025-06-16")
    assert frame(soldiers).counted == "troops"
    apart([toll, soldiers])
    # A figure whose words point back ("300 of them") counts those named before.
    of_them = said("d", '"We have killed 300 of them," the spokesman said.', "300", 300,
                   subject="North Korean soldiers", published="2025-06-16")
    assert frame(of_them).counted == "troops" and frame(of_them).sides == frozenset({"KP"})


def test_two_sources_different_numbers_join_only_when_both_say_what_they_count():
    # Two estimates of one day's wounded in one town: a contradiction to show in one group.
    together([
        said("a", "Shots fired near an aid handout site in Rafah hurt 150 people on Sunday, the health ministry said.",
             "150", 150, event="wounded", subject="people", location="Rafah", sources=[["the health ministry"]],
             published="2025-06-01"),
        said("b", "A charity said more than 180 people were hurt in Rafah on Sunday.", "more than 180", 180,
             bound="lower", event="wounded", subject="people", location="Rafah", sources=[["a charity"]],
             published="2025-06-01", outlet="Harbor Wire"),
    ])
    # A day's toll that names no one and seven medics killed there the same day: the place and
    # the date are all they share, and the numbers differ.
    apart([
        said("c", "The count of Friday's dead in Zamzam rose to 63, an aid group said.", "63", 63, location="Zamzam",
             sources=[["an aid group"]], published="2025-04-12"),
        said("d", "A charity said seven of its medics died in Zamzam on Friday.", "seven", 7, subject="medics",
             location="Zamzam", sources=[["a charity"]], published="2025-04-12", outlet="Harbor Wire"),
    ])


def test_two_sources_tolls_far_apart_at_one_place_and_time_are_two_counts():
    committee = said("a", "A residents' committee counted 20 civilians dead in Zamzam on Friday.", "20", 20,
                     subject="civilians", location="Zamzam", sources=[["A residents' committee"]],
                     published="2025-04-12")
    activists = said("b", "Activists said at least 38 civilians had died in Zamzam.", "at least 38", 38,
                     bound="lower", subject="civilians", location="Zamzam", sources=[["activists"]],
                     published="2025-04-13", outlet="Harbor Wire")
    apart([committee, activists])
    # Within half as much again, they are two estimates of one toll: one claim, contradicted.
    estimate = said("c", "Some 24 civilians died in Zamzam on Friday, a charity said.", "Some 24", 24,
                    bound="approx", subject="civilians", location="Zamzam", sources=[["a charity"]],
                    published="2025-04-12", outlet="Coast Post")
    together([committee, estimate])


BREAKDOWN = "An aid group said Friday's dead numbered 63, 41 civilians in Fasher and 22 in Zamzam."


def test_the_parts_of_a_breakdown_join_only_on_their_own_number():
    group = [["an aid group"]]
    total = said("a", BREAKDOWN, "63", 63, sources=group, published="2025-04-12")
    town = said("a", BREAKDOWN, "41", 41, subject="civilians", location="Fasher", sources=group,
                published="2025-04-12")
    camp = said("a", BREAKDOWN, "22", 22, location="Zamzam", sources=group, published="2025-04-12")
    frames = frames_of([total, town, camp])
    assert frames[town.id].part and frames[camp.id].part and not frames[total.id].part
    others = said("b", "Activists said at least 55 civilians died in Fasher on Friday.", "at least 55",
                  55, bound="lower", subject="civilians", location="Fasher", sources=[["activists"]],
                  published="2025-04-12", outlet="Harbor Wire")
    home, _ = groups_of([total, town, camp, others])
    assert home[town.id] != home[others.id]
    echo = said("c", "The aid group said 41 civilians died in Fasher on Friday.", "41", 41,
                subject="civilians", location="Fasher", sources=[["The aid group"]], published="2025-04-12",
                outlet="Coast Post")
    home, _ = groups_of([total, town, camp, echo])
    assert home[town.id] == home[echo.id]


def test_hundreds_dead_or_wounded_and_hundreds_killed_are_no_number_in_common():
    # "losses" of 85 may be reported as 85 killed; two vague counts agree on no number.
    apart([
        said("a", "The foreign ministry said hundreds were killed or hurt when the camp was stormed.", "hundreds",
             None, bound="vague", event="casualties", location="Zamzam", sources=[["the foreign ministry"]],
             published="2025-04-12"),
        said("b", "A UN official said hundreds of people died in the camp.", "hundreds", None,
             bound="vague", subject="people", location="Zamzam", sources=[["a UN official"]],
             published="2025-04-13", outlet="Harbor Wire"),
    ])
    together([
        said("c", "The general staff put Russia's losses at 85 soldiers.", "85", 85, event="casualties",
             subject="Russian soldiers", sources=[["the general staff"]], published="2025-04-12"),
        said("d", "The general staff said 85 Russian soldiers died.", "85", 85, subject="Russian soldiers",
             sources=[["The general staff"]], published="2025-04-12", outlet="Harbor Wire"),
    ])


def test_a_dateline_with_its_date_and_agency_names_no_place():
    claim = said("a", "LAHORE, Thursday, May 08, 2025 (KNA): Overnight shelling left at least 19 civilians dead.",
                 "at least 19", 19, bound="lower", subject="civilians", published="2025-05-07")
    assert frame(claim).places == frozenset()
    named = said("b", "Overnight shelling in Lahore left at least 19 civilians dead.", "at least 19", 19,
                 bound="lower", subject="civilians", published="2025-05-07")
    assert frame(named).places == frozenset({"pk-punjab"})


def test_people_freed_in_an_exchange_are_prisoners():
    freed = said("a", "Zelensky said 164 Ukrainians had been released in Monday's exchange.", "164", 164,
                 event="other", subject="Ukrainians", sources=[["Zelensky"]], published="2024-12-30")
    assert frame(freed).counted == "prisoners"
    # Moscow's figure for the same exchange: one claim, contradicted.
    together([
        freed,
        said("b", "Russia's Defence Ministry said it returned 130 Ukrainian prisoners on Monday.", "130", 130,
             event="other", subject="Ukrainian prisoners", sources=[["Russia's Defence Ministry"]],
             published="2024-12-30", outlet="Harbor Wire"),
    ])
    back = said("c", "Once the fighting ended, thousands of people went back to the town.", "thousands", None,
                bound="vague", event="other", subject="people", published="2024-12-30")
    assert frame(back).counted == "people"



def test_a_figure_naming_its_side_is_compared_with_figures_in_that_country():
    side = said("a", "A news agency said 22 Pakistani civilians died in the strikes.", "22", 22,
                subject="Pakistani civilians", sources=[["a news agency"]], published="2025-05-07")
    country = said("b", "Missiles struck homes in four districts of Pakistan, killing 19 people, "
                        "an official said.", "19", 19, subject="people", sources=[["an official"]],
                   published="2025-05-07", outlet="Harbor Wire")
    assert frame(country).places == frozenset({"PK"})
    together([side, country])
    elsewhere = said("c", "Shells struck homes in four districts of India, killing 19 people, "
                          "an official said.", "19", 19, subject="people", sources=[["an official"]],
                     published="2025-05-07", outlet="Coast Post")
    apart([side, elsewhere])
    speaker = said("d", "Pakistan said 19 people died overnight.", "19", 19, subject="people",
                   published="2025-05-07")
    assert frame(speaker).places == frozenset()


def test_two_sources_numbers_in_one_place_weeks_apart_are_two_counts():
    kyiv = said("a", "About 8,800 soldiers were being drilled near Vladivostok, Kyiv's intelligence chief said.",
                "About 8,800", 8800, bound="approx", event="deployed", subject="soldiers",
                location="Vladivostok", sources=[["Kyiv's intelligence chief"]], published="2024-10-18")
    later = said("b", "The Pentagon put the soldiers near Vladivostok at around 8,000.", "around 8,000", 8000,
                 bound="approx", event="deployed", subject="soldiers", location="Vladivostok",
                 sources=[["The Pentagon"]], published="2024-10-28", outlet="Harbor Wire")
    apart([kyiv, later])
    # Within days of each other, the two estimates are one claim (and disagree).
    together([kyiv, replace(later, published="2024-10-20")])


SWAP = ("Russia's Defence Ministry reported handing back 130 Ukrainian prisoners on Monday, while Kyiv said "
        "165 Ukrainians had returned.")


def test_two_sources_numbers_set_side_by_side_in_one_sentence_are_one_claim():
    moscow = said("a", SWAP, "130", 130, event="other", subject="Ukrainian prisoners",
                  sources=[["Russia's Defence Ministry"]], published="2024-12-30")
    kyiv = said("a", SWAP, "165", 165, event="other", subject="Ukrainians", sources=[["Kyiv"]],
                published="2024-12-30")
    echo = said("b", "Kyiv said 165 Ukrainian prisoners came back in Monday's exchange.", "165", 165,
                event="other", subject="Ukrainian prisoners", sources=[["Kyiv"]], published="2024-12-30",
                outlet="Harbor Wire")
    relay = said("c", "Moscow said it released 130 Ukrainian prisoners in the exchange on Monday.", "130", 130,
                 event="other", subject="Ukrainian prisoners", sources=[["Moscow"]], published="2024-12-30",
                 outlet="Coast Post")
    group = together([moscow, kyiv, echo, relay])  # the people are the prisoners: 165 is given for both
    assert group["independent_origins"] == 2
    # One source's two numbers of one sentence still count two things.
    both = "Kyiv said 130 Ukrainian prisoners came back on Monday and 165 on Tuesday."
    apart([said("d", both, "130", 130, event="other", subject="Ukrainian prisoners", sources=[["Kyiv"]],
                published="2024-12-30"),
           said("d", both, "165", 165, event="other", subject="Ukrainian prisoners", sources=[["Kyiv"]],
                published="2024-12-30")])


def test_people_and_a_part_with_a_number_only_the_people_have_stay_apart():
    # 165 is given for the people only: they need not be the 130 prisoners.
    apart([
        said("a", "Kyiv said 165 Ukrainians returned on Monday.", "165", 165, event="other",
             subject="Ukrainians", sources=[["Kyiv"]], published="2024-12-30"),
        said("b", "Moscow said it released 130 Ukrainian prisoners on Monday.", "130", 130, event="other",
             subject="Ukrainian prisoners", sources=[["Moscow"]], published="2024-12-30", outlet="Harbor Wire"),
    ])


def test_a_writers_background_figures_in_one_report_share_no_source():
    swapped = said("a", "Moscow said it released 130 Ukrainian prisoners on Monday.", "130", 130, event="other",
                   subject="Ukrainian prisoners", sources=[["Moscow"]], published="2024-12-30")
    writer = said("a", "Moscow and Kyiv traded 130 prisoners in the exchange.", "130", 130, event="other",
                  subject="prisoners", published="2024-12-30", at=200)
    earlier = said("a", "An earlier swap, in late September, brought 70 POWs home.",
                   "70", 70, event="other", subject="POWs", published="2024-12-30", at=400)
    home, _ = groups_of([swapped, writer, earlier])
    assert home[swapped.id] == home[writer.id] != home[earlier.id]


def test_one_sources_plan_and_count_of_one_number_within_weeks_are_one_figure():
    plan = said("a", "Kyiv's envoy said North Korea plans to send 8,000 troops to the front in Ukraine.", "8,000",
                8000, event="deployed", subject="troops", sources=[["Kyiv's envoy"]], published="2024-10-21")
    count = said("b", "Kyiv's intelligence chief said 8,000 North Korean troops are now stationed in Russia's east.",
                 "8,000", 8000, event="deployed", subject="North Korean troops",
                 sources=[["Kyiv's intelligence chief"]], published="2024-10-18", outlet="Harbor Wire")
    assert frame(plan).planned and not frame(count).planned
    assert frame(plan).places == frozenset({"UA"}) and frame(count).places == frozenset({"ru-far-east"})
    together([plan, count])
    # Another source's plan, another number, or months later: a plan is not a count.
    apart([replace(plan, chains=(), outlet="Coast Post"), count])
    apart([plan, replace(count, published="2025-01-18")])
    fewer = said("c", "Kyiv's intelligence chief said 6,500 North Korean troops are now stationed in Russia's east.",
                 "6,500", 6500, event="deployed", subject="North Korean troops",
                 sources=[["Kyiv's intelligence chief"]], published="2024-10-18", outlet="Harbor Wire")
    apart([plan, fewer])


def _cued(claim, cue: str):
    """The claim with its one hop's cue located in its sentence."""
    hop = claim.chains[0][0]
    at = claim.sentence.find(cue)
    return replace(claim, chains=((replace(hop, cue=cue, cue_start=at, cue_end=at + len(cue)),),))


def test_when_and_where_a_source_spoke_is_not_what_its_figure_counts():
    reported = _cued(said("a", "Seoul's spy agency reported last week that Pyongyang had shipped 1,200 troops.", "1,200",
                          1200, event="deployed", subject="troops", sources=[["Seoul's spy agency"]],
                          published="2024-10-22"), "reported")
    assert frame(reported).scope is None
    told = _cued(said("b", "The agency told lawmakers in Vladivostok on Friday that Pyongyang had shipped 1,200 troops.",
                      "1,200", 1200, event="deployed", subject="troops", sources=[["The agency"]],
                      published="2024-10-22"), "told")
    assert frame(told).places == frozenset()
    # The figure's own words still count: a week's arrivals, in the port they arrived at.
    week = _cued(said("c", "The agency said that 1,200 troops landed in Vladivostok last week.", "1,200", 1200,
                      event="deployed", subject="troops", sources=[["The agency"]], published="2024-10-22"), "said")
    assert frame(week).scope == "period" and frame(week).places == frozenset({"ru-vladivostok"})


def test_a_war_named_by_its_place_is_not_where_a_figure_happened():
    war = said("a", "Pyongyang has agreed to dispatch 9,000 troops to join Russia's war in Ukraine.", "9,000", 9000,
               event="deployed", subject="troops", published="2024-10-22")
    assert frame(war).places == frozenset()
    there = said("b", "Overnight attacks killed at least 9 civilians in Ukraine.", "at least 9", 9, bound="lower",
                 subject="civilians", published="2024-10-22")
    assert frame(there).places == frozenset({"UA"})
    # The dead of a war died where it is fought.
    dead = said("c", "Russia's war in Ukraine has cost at least 11,000 civilians their lives.", "at least 11,000",
                11000, bound="lower", subject="civilians", published="2024-10-22")
    assert frame(dead).places == frozenset({"UA"})


def test_one_number_dated_days_apart_in_each_figures_own_words_is_two_events():
    earlier = said("a", "A bomb at a market in Northtown killed 17 people on 2 March, the police said.", "17", 17,
                   subject="people", sources=[["the police"]], when="2025-03-02", published="2025-03-03")
    apart([
        earlier,
        said("b", "Seventeen people died when shells landed on the border villages on Sunday, officials said.",
             "Seventeen", 17, subject="people", sources=[["officials"]], when="2025-03-16", published="2025-03-17"),
    ])
    # an echo that dates nothing, or the same day, within weeks is still the same toll
    together([
        earlier,
        said("c", "Officials recalled the market bombing that killed 17 people.", "17", 17, subject="people",
             sources=[["Officials"]], published="2025-03-14"),
    ])
    together([
        earlier,
        said("d", "Sunday's bomb at the market killed 17 people, a hospital said.", "17", 17, subject="people",
             sources=[["a hospital"]], when="2025-03-02", published="2025-03-12"),
    ])


UN_TOTAL = "Roughly 2,400 people died in the battle for the city, a UN official said on Wednesday."
UN_PARTS = ("Recovery teams have taken 1,700 bodies off the streets, while 700 are still lying in hospital "
            "morgues, the UN official said.")


def _un_report(doc: str) -> list:
    return [
        said(doc, UN_TOTAL, "Roughly 2,400", 2400, bound="approx", subject="people", sources=[["a UN official"]]),
        said(doc, UN_PARTS, "1,700", 1700, subject="bodies", sources=[["the UN official"]], at=100),
        said(doc, UN_PARTS, "700", 700, subject="bodies", sources=[["the UN official"]], at=100),
    ]


def test_numbers_of_one_sentence_that_add_up_to_a_total_of_their_report_are_its_parts():
    report = _un_report("a")
    frames = frames_of(report)
    assert [frames[c.id].part for c in report] == [False, True, True]
    other = _un_report("b")[:1] + [said("b", UN_PARTS.replace("700", "400"), "400", 400, subject="bodies",
                                        sources=[["the UN official"]], at=100)]
    assert not frames_of(other)[other[1].id].part  # 400 adds up to nothing


def test_a_part_of_a_breakdown_is_not_another_sources_whole_of_the_same_number():
    un = _un_report("a")
    buried = said("g", "More than 1,700 people who died in the battle have been buried, the government spokesman said.",
                  "More than 1,700", 1700, bound="lower", subject="people", sources=[["the government spokesman"]])
    home, _ = groups_of(un + [buried])
    assert home[buried.id] != home[un[1].id]
    # an echo of the breakdown repeats its part
    echo = _un_report("e")
    home, _ = groups_of(un + echo)
    assert home[un[1].id] == home[echo[1].id] and home[un[2].id] == home[echo[2].id]


def test_a_part_that_is_its_own_places_toll_is_that_places_whole_toll():
    sentence = "A volunteer group said Friday's dead numbered 48, 29 civilians in El Fasher and 19 in Zamzam."
    parts = [said("a", sentence, "48", 48, subject="civilians", sources=[["A volunteer group"]], when="2025-04-11"),
             said("a", sentence, "29", 29, subject="civilians", sources=[["A volunteer group"]], when="2025-04-11"),
             said("a", sentence, "19", 19, sources=[["A volunteer group"]], location="Zamzam", when="2025-04-11")]
    zamzam = said("b", "A local committee said 19 civilians died in Zamzam on Friday.", "19", 19,
                  subject="civilians", location="Zamzam", sources=[["A local committee"]], when="2025-04-11")
    assert frames_of(parts + [zamzam])[parts[2].id].part
    home, _ = groups_of(parts + [zamzam])
    assert home[zamzam.id] == home[parts[2].id]


def _toll(doc: str, sentence: str, killed: tuple[str, float], wounded: tuple[str, float], source: str,
          published: str, location: str | None = None) -> list:
    return [said(doc, sentence, killed[0], killed[1], subject="people", sources=[[source]], published=published,
                 location=location),
            said(doc, sentence, wounded[0], wounded[1], event="wounded", subject="people", sources=[[source]],
                 published=published, location=location)]


def test_the_injured_given_with_one_killed_toll_at_one_date_are_one_claim():
    first = _toll("a", "Twelve people were killed and 30 wounded in the shelling of Sumy, the governor said.",
                  ("Twelve", 12), ("30", 30), "the governor", "2025-04-13", location="Sumy")
    later = _toll("b", "The shelling killed 12 people and injured 48 others, a hospital said.",
                  ("12", 12), ("48", 48), "a hospital", "2025-04-14")
    home, clusters = groups_of(first + later)
    assert home[first[0].id] == home[later[0].id]
    assert home[first[1].id] == home[later[1].id]  # 30 and 48 injured: the same incident's, a toll that rose
    assert "companions" in {f for link in clusters[home[first[1].id]]["matching"]["links"] for f in link["features"]}


def test_the_injured_given_with_one_killed_toll_weeks_apart_stay_apart():
    first = _toll("a", "Twelve people were killed and 30 wounded in the shelling of Sumy, the governor said.",
                  ("Twelve", 12), ("30", 30), "the governor", "2025-04-13", location="Sumy")
    later = _toll("b", "The shelling killed 12 people and injured 48 others, a hospital said.",
                  ("12", 12), ("48", 48), "a hospital", "2025-04-23")
    home, _ = groups_of(first + later)
    assert home[first[0].id] == home[later[0].id]
    assert home[first[1].id] != home[later[1].id]
    # and with two killed tolls that are two claims, their injured are too
    other = _toll("c", "The shelling killed 40 people and injured 48 others, a hospital said.",
                  ("40", 40), ("48", 48), "a hospital", "2025-04-14")
    home, _ = groups_of(first + other)
    assert home[first[0].id] != home[other[0].id] and home[first[1].id] != home[other[1].id]


def test_lives_lost_are_the_dead():
    lost = said("a", "The rebels denied that 2,000 civilian lives had been lost, a figure the UN gave.", "2,000", 2000,
                event="casualties", subject="civilian lives")
    assert frame(lost).event == "killed"
    both = said("b", "The UN said some 2,000 civilians were killed or hurt.", "2,000", 2000, event="casualties",
                subject="civilians")
    assert frame(both).event == "casualties"


def _two_tolls(killed_b: float) -> tuple[list, list]:
    governor = "The governor said 12 were killed and 30 injured in Sumy."
    hospital = f"A hospital said {killed_b:.0f} were killed and 31 injured."
    a = [said("a", governor, "12", 12, sources=[["The governor"]], location="Sumy",
              published="2025-04-13"),
         said("a", governor, "30", 30, event="wounded", sources=[["The governor"]], location="Sumy",
              published="2025-04-13")]
    b = [said("b", hospital, f"{killed_b:.0f}", killed_b, sources=[["A hospital"]], published="2025-04-13"),
         said("b", hospital, "31", 31, event="wounded", sources=[["A hospital"]], published="2025-04-13"),
         said("b", "Shelling also damaged 40 buildings in Sumy, the city council said.", "40", 40, event="other",
              subject="buildings", location="Sumy", sources=[["the city council"]], published="2025-04-13", at=200)]
    return a, b


def test_injured_joined_through_a_lent_place_count_when_their_killed_are_one_claim_by_their_own_words():
    a, b = _two_tolls(12)  # the hospital's injured name no place: its report lends Sumy
    home, clusters = groups_of(a + b)
    assert home[a[0].id] == home[b[0].id]
    injured = clusters[home[a[1].id]]
    assert home[b[1].id] == home[a[1].id]
    assert injured["matching"]["weak_claims"] == [] and injured["independent_origins"] == 2
    # killed tolls joined only through the lent place lend their injured no strength
    a, b = _two_tolls(13)
    home, clusters = groups_of(a + b)
    assert home[a[0].id] == home[b[0].id] and home[b[1].id] == home[a[1].id]
    assert clusters[home[a[1].id]]["matching"]["weak_claims"] != []


def test_a_sides_losses_without_a_class_are_that_sides_people_whoever_counts_them():
    """"North Korean casualties at about 1,300" (Seoul) and "more than 3,600 North Korean
    soldiers killed or injured" (Kyiv) days apart are one disputed claim; without a side
    named, or with another side, two sources' different numbers stay apart."""
    seoul = said("a", "The spy agency estimated North Korean casualties in the Kursk region at about 1,300.", "about 1,300",
                 1300, bound="approx", event="casualties", subject="North Korean casualties",
                 sources=[["South Korea's National Intelligence Service"]], published="2024-12-19")
    kyiv = said("b", "President Volodymyr Zelensky said North Korean soldiers killed or injured in the Kursk "
                     "region numbered more than 3,600.", "more than 3,600", 3600, bound="lower", event="casualties",
                subject="North Korean soldiers", sources=[["President Volodymyr Zelensky"]], published="2024-12-23")
    group = together([seoul, kyiv])
    assert group["contradiction"] and group["independent_origins"] == 2
    nameless = said("c", "The agency estimated casualties in the Kursk region at about 1,300.", "about 1,300", 1300,
                    bound="approx", event="casualties", subject="casualties",
                    sources=[["South Korea's National Intelligence Service"]], published="2024-12-19")
    apart([nameless, kyiv])
    russian = said("d", "The agency estimated Russian casualties in the Kursk region at about 1,300.", "about 1,300", 1300,
                   bound="approx", event="casualties", subject="Russian casualties",
                   sources=[["South Korea's National Intelligence Service"]], published="2024-12-19")
    apart([russian, kyiv])


def test_two_sources_troop_counts_of_one_date_are_one_claim_only_where_both_say_where():
    def count(doc, sentence, number, value, source, where=""):
        return said(doc, sentence.format(where), number, value, bound="lower", event="deployed", subject="soldiers",
                    sources=[[source]], published="2024-11-25", outlet=f"Outlet {doc}")
    kyiv = "Kyiv's top general said more than 8,800 North Korean soldiers are in combat{}."
    seoul = "Seoul said Pyongyang had dispatched more than 8,000 soldiers{}."
    # Where neither says where, one may count those in one region, the other all sent.
    apart([count("a", kyiv, "more than 8,800", 8800, "Kyiv's top general"),
           count("b", seoul, "more than 8,000", 8000, "Seoul")])
    # Both in Russia, that day: two estimates of one count.
    together([count("a", kyiv, "more than 8,800", 8800, "Kyiv's top general", " in Russia"),
              count("b", seoul, "more than 8,000", 8000, "Seoul", " to Russia")])
    # A day's toll is another matter: two sources' close tolls of one day are one claim.
    together([said("e", "Some 40 civilians died on Monday, the governor said.", "Some 40", 40,
                   bound="approx", subject="civilians", sources=[["the governor"]], published="2024-11-25"),
              said("f", "At least 37 civilians died on Monday, the UN said.", "At least 37", 37, bound="lower",
                   subject="civilians", sources=[["the UN"]], published="2024-11-25", outlet="Harbor Wire")])


def test_a_range_is_not_the_number_in_its_middle():
    range_ = said("a", "Several media reports estimated the soldiers at 7,000-9,000.", "7,000-9,000", 8000,
                  event="deployed", subject="soldiers", sources=[["Several media reports"]], published="2024-11-25")
    range_ = replace(range_, quantity=replace(range_.quantity, low=7000, high=9000, bound="range"))
    exact = said("b", "Kyiv said 8,000 soldiers were in the Kursk region.", "8,000", 8000, event="deployed",
                 subject="soldiers", sources=[["Kyiv"]], published="2024-11-25", outlet="Harbor Wire")
    from claimledger.assess.groups import _same_number
    assert not _same_number(range_, exact)
    assert _same_number(range_, replace(exact, quantity=range_.quantity))


SIDE_BY_SIDE = "Seoul said Pyongyang had dispatched more than 8,000 soldiers, whereas several media reports gave {}."


def test_two_sources_numbers_of_one_sentence_identify_one_count():
    def figure(source, number, value, words):
        return said("a", SIDE_BY_SIDE.format(words), number, value, bound="lower", event="deployed",
                    subject="soldiers", sources=[[source]], published="2024-11-25")
    together([figure("Seoul", "more than 8,000", 8000, "some 8,400"),
              figure("several media reports", "some 8,400", 8400, "some 8,400")])
    # Not numbers far apart: "more than 8,000" and 32,000 count different things.
    apart([figure("Seoul", "more than 8,000", 8000, "32,000"),
           figure("several media reports", "32,000", 32000, "32,000")])
