"""What a figure counts: the event read from the words around the number (sentences we wrote)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("text", "number", "event"),
    [
        # losses reported by a war's parties are killed and wounded together
        ("The army said the enemy lost about 2,300 soldiers in the past month.", "2,300", "casualties"),
        ("Border guard losses amounted to up to 40 servicemen, the command said.", "40", "casualties"),
        ("The defence ministry said its forces eliminated 610 enemy troops on Monday.", "610", "casualties"),
        # a part of a larger count takes the larger count's event
        ("The shelling killed 27 people, including three children, officials said.", "three", "killed"),
        ("Among the dead were four medics, the regional governor said.", "four", "killed"),
        ("The dead included nine aid workers, the agency said.", "nine", "killed"),
        ("Rescuers recovered the bodies of 12 fishermen, the coast guard said.", "12", "killed"),
        ("The fire at the depot claimed the lives of 31 workers, the mayor said.", "31", "killed"),
        ("More than 60 villagers are feared dead after the raid, local officials said.", "60", "killed"),
        ("The clinic treated 14 people with burns and shrapnel injuries.", "14", "wounded"),
        ("A further 75 border guards have been taken prisoner, the ministry said.", "75", "captured"),
        # what happened to the counted says more than the noun
        ("The two sides swapped 120 prisoners of war on Friday.", "120", "other"),
        ("Air defences shot down 48 drones overnight, the ministry said.", "48", "other"),
        ("The army said it destroyed 16 tanks near the river.", "16", "other"),
        ("About 5,000 residents fled to the coast, aid groups said.", "5,000", "other"),
        # forces placed somewhere are deployed; attackers counted are not a strike
        ("Some 4,000 Belarusian troops are now in the Brest region, the agency said.", "4,000", "deployed"),
        ("Dozens of gunmen attacked a checkpoint near the lake, residents said.", "Dozens", "other"),
        ("Militants fired 30 rockets at the town, the army said.", "30", "strike"),
    ],
)
def test_event_of_a_figure(extract, text, number, event):
    figures = [c for c in extract(text) if c.kind == "figure" and c.quantity.text.endswith(number)]
    assert figures, f"no figure {number} in: {text}"
    assert figures[0].event == event


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("Between March 3 and 9, 400 people fled the valley, the agency said.", "9"),
        ("The broadcaster aired footage of the two sailors on stretchers, one with a bandaged leg.", "one"),
        ("The camps, which host over 300,000 displaced people, were shelled, officials said.", "300,000"),
        ("Hundreds of residents cheered as the convoy entered the town.", "Hundreds"),
    ],
)
def test_numbers_that_count_nothing_new(extract, text, number):
    assert not [c for c in extract(text) if c.kind == "figure" and c.quantity.text.endswith(number)]


@pytest.mark.parametrize(
    ("text", "number", "event"),
    [
        ("The monitor said it had verified 212 killings since May.", "212", "killed"),
        ("The army reported the wounding of 35 civilians in the shelling.", "35", "wounded"),
        ("Officials said 1,100 people had been admitted to hospital.", "1,100", "wounded"),
        ("Some 800 bodies were in hospital morgues, the ministry said.", "800", "killed"),
        ("Drone Strike Kills 12 Civilians In Border Village, Governor Says", "12", "killed"),
    ],
)
def test_more_events(extract, text, number, event):
    figures = [c for c in extract(text) if c.kind == "figure" and c.quantity.text.endswith(number)]
    assert figures and figures[0].event == event


@pytest.mark.parametrize(
    ("text", "number", "event"),
    [
        ("Thousands more have been displaced, the agency said.", "Thousands", "other"),
        ("The two sides have held 45 prisoner swaps since the fighting started.", "45", "other"),
        ("The shelling left 24 impacts across the district, the governor said.", "24", "strike"),
        ("Rescuers said 60 families were trapped in their homes.", "60", "other"),
    ],
)
def test_what_happened_to_them(extract, text, number, event):
    figures = [c for c in extract(text) if c.kind == "figure" and c.quantity.text.endswith(number)]
    assert figures and figures[0].event == event


@pytest.mark.parametrize(
    "text",
    [
        "Photos showed dozens of fishermen seated on a ferry deck, the agency said.",
        "Hundreds of residents ran and cheered as the convoy arrived.",
        "The channel aired footage of the two sailors lying on stretchers.",
    ],
)
def test_people_counted_with_nothing_happening_to_them_are_no_figure(extract, text):
    assert not [c for c in extract(text) if c.kind == "figure"]


@pytest.mark.parametrize(
    ("text", "number", "event"),
    [
        ("The mayor said 2,000 bodies had been recovered so far and 900 others lay in hospital morgues.", "900", "killed"),
        ("The strikes resulted in 40 deaths and 312 injuries, the ministry said.", "312", "wounded"),
        ("Fourteen people are dead, among them a child, and 43 are in hospital, he said.", "Fourteen", "killed"),
        ("The group said it had identified 63 civilians and 14 police officers among the dead.", "14", "killed"),
    ],
)
def test_events_in_lists_and_places(extract, text, number, event):
    figures = [c for c in extract(text) if c.kind == "figure" and c.quantity.text.endswith(number)]
    assert figures and figures[0].event == event
