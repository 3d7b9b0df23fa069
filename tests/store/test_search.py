"""Words search over claims on both databases: SQLite's FTS5 index and PostgreSQL's
tsvector index find the same claims (every word, as a word or the start of one, any
case, accents ignored), and the index answers (marked `postgres` for PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from claimledger.models import Claim, Document, Quantity
from claimledger.publish import queries
from claimledger.store import open_ledger, schema

SENTENCES = {
    "a": "About 100 North Korean soldiers were killed near Kursk in the Storm Shadow strike",
    "b": "The governor of Donetsk said 12 civilians were wounded in Pokrovsk",
    "c": "Officials in Kyïv said 40 troops were captured near Kurakhove",
    "d": "A 2,000-strong brigade was deployed to the Zaporizhzhia front",
}


def _claim(doc: str, sentence: str) -> Claim:
    return Claim(id=f"{doc}-1", doc=doc, outlet="Harbor Wire", published="2024-12-16", sentence=sentence + ".",
                 text=sentence, start=0, end=len(sentence), kind="figure", event="killed",
                 quantity=Quantity(100.0, 100.0, 100.0, False, "100"), subject=None)


def _filled(url: str):
    ledger = open_ledger(url)
    for doc, sentence in SENTENCES.items():
        ledger.store(Document(id=doc, text=sentence + ".", outlet="Harbor Wire", published="2024-12-16"),
                     [_claim(doc, sentence)])
    return ledger


@pytest.fixture()
def ledger(ledger_url):
    ledger = _filled(ledger_url)
    yield ledger
    ledger.engine.dispose()


@pytest.mark.parametrize("q, expected", [
    ("Kursk", {"a"}), ("kurs", {"a"}), ("KU", {"a", "c"}), ("storm shadow", {"a"}), ("shadow storm", {"a"}),
    ("donetsk wounded", {"b"}), ("kyiv", {"c"}), ("KYÏV", {"c"}), ("harbor", {"a", "b", "c", "d"}),
    ("2", {"d"}), ("zaporizhzhia brigade", {"d"}), ("kursk donetsk", set()), ("\"Kursk\" (*) --", {"a"}),
])
def test_words_search_finds_the_same_claims_on_both_databases(ledger, q, expected):
    with ledger.engine.connect() as conn:
        page = queries.list_claims(conn, 50, 0, q=q)
        found = {c["doc"] for c in page.items}
    assert found == expected and page.total == len(expected)


@pytest.mark.postgres
def test_postgresql_answers_a_search_from_its_tsvector_index(postgres):
    ledger = _filled(postgres.create_database())
    c = schema.claims
    with ledger.engine.connect() as conn:
        conn.execute(text("SET enable_seqscan = off"))
        query = select(c.c.id).where(queries.claims_matching(conn, "kursk storm"))
        compiled = query.compile(conn, compile_kwargs={"literal_binds": True})
        plan = "\n".join(conn.execute(text(f"EXPLAIN {compiled}")).scalars())
    assert "ix_claims_tsvector" in plan
