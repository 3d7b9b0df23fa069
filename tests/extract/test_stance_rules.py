"""Stance on sentences we wrote: negation, hedges and the writer's asides."""

from __future__ import annotations

import pytest


def _claim(claims, words):
    return next(c for c in claims if words in c.text or words in (c.quantity.text if c.quantity else ""))


@pytest.mark.parametrize(
    ("text", "words", "stance"),
    [
        ("The foreign ministry has not denied that its jets crossed the border.", "jets crossed", "asserted"),
        ("The foreign ministry denied that its jets crossed the border.", "jets crossed", "denied"),
        ("The ministry said its air force did not lose any aircraft in the raid.", "did not lose", "denied"),
        ("The navy said there were no known casualties among the crew.", "no known casualties", "denied"),
        ("The spokesman declined to confirm that the convoy had been hit.", "convoy had been hit", "hedged"),
        ("The spokesman would not confirm that the convoy had been hit.", "convoy had been hit", "hedged"),
        ("Some 2,000 marines are expected to arrive next week, officials said.", "2,000", "hedged"),
        ("The governor said 30 people are feared dead.", "30", "hedged"),
        ("The rebels said the blast claimed the lives of 12 civilians.", "12", "asserted"),
        ("The army said it had killed 80 insurgents, though its tallies have often proved inflated.", "80", "questioned"),
    ],
)
def test_stance(extract, text, words, stance):
    assert _claim(extract(text), words).stance == stance


def test_neither_source_acknowledging_is_not_an_assertion(extract):
    claims = extract("Neither Riga nor Minsk has acknowledged any losses among the border guards.")
    assert [(c.stance, [[h.name for h in ch] for ch in c.chains]) for c in claims] == [("hedged", [["Riga"], ["Minsk"]])]
    claims = extract("Minsk has not disclosed its losses.")
    assert [c.stance for c in claims] == ["hedged"]
    claims = extract("No official has confirmed that 40 guards were killed.")
    assert [c.stance for c in claims] == ["hedged"]
    claims = extract("Neither Riga nor Minsk has said anything about losses.")
    assert [c.stance for c in claims] == ["hedged"]


def test_a_figure_a_source_sets_against_its_own_is_denied_and_the_cue_after_it_relays_nothing(extract):
    """ "the casualties were 300 gunmen, not 800 villagers killed as reported by the
    monitors": the council's figure stands, the monitors' is one the council denies; "as
    reported by" after the contrast names whose figure that was, not a relay of the
    council. Without a contrast the cue still relays the clause."""
    for contrast in ("not", "rather than the"):
        claims = extract(f"The Lumen council insists that the casualties were 300 gunmen, {contrast} 800 villagers "
                         "killed as reported by the monitors.")
        figures = {c.quantity.value: c for c in claims if c.kind == "figure"}
        assert figures[300].stance == "asserted" and figures[800].stance == "denied"
        for claim in figures.values():
            assert [[h.name for h in ch] for ch in claim.chains] == [["The Lumen council"]]
    relayed = extract("The village council said 300 gunmen were killed in the town, as reported by the monitors.")
    [figure] = [c for c in relayed if c.kind == "figure"]
    assert figure.stance == "asserted"
    assert [[h.name for h in ch] for ch in figure.chains] == [["the monitors", "The village council"]]
