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
