"""The store: named migrations (full-text index, precomputed sources, filter indexes),
the full-text index kept in step with the claims, and analysts' verdicts."""

from __future__ import annotations

import sqlite3

import pytest

from claimledger.models import Claim, Document, Hop, Quantity
from claimledger.store import open_ledger
from claimledger.store.migrations import FTS_TABLE, MIGRATIONS


def _claim(doc: str, n: int, text: str, *, subject: str | None = None, outlet: str = "Test Daily",
           chains=(), sentence: str | None = None) -> Claim:
    sentence = sentence or f"Officials said {text}."
    return Claim(
        id=f"{doc}-{n}", doc=doc, outlet=outlet, published="2024-12-16", sentence=sentence, text=text,
        start=0, end=len(text), kind="figure", event="killed",
        quantity=Quantity(100.0, 100.0, 100.0, False, "100"), subject=subject, chains=chains,
    )


def _store(ledger, doc_id: str, text: str, claims: list[Claim]):
    return ledger.store(Document(id=doc_id, text=text, outlet="Test Daily", published="2024-12-16"), claims)


def _match(db: str, query: str) -> set[str]:
    conn = sqlite3.connect(db)
    rows = conn.execute(
        f"SELECT claims.id FROM claims JOIN {FTS_TABLE} ON {FTS_TABLE}.rowid = claims.rowid "
        f"WHERE {FTS_TABLE} MATCH ?", (query,)
    ).fetchall()
    conn.close()
    return {r[0] for r in rows}


@pytest.fixture()
def db(tmp_path) -> str:
    return str(tmp_path / "ledger.db")


def test_migrations_are_named_applied_once_and_in_order(db):
    ledger = open_ledger(db)
    conn = sqlite3.connect(db)
    names = [r[0] for r in conn.execute("SELECT name FROM migrations ORDER BY name")]
    assert names == [name for name, _ in MIGRATIONS]
    assert names[2:6] == ["0003_claims_fts", "0004_source_counts", "0005_filter_indexes", "0006_claim_rowids"]
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert {FTS_TABLE, "source_claims", "cluster_summaries", "ledger_state", "ix_claims_order",
            "ix_claim_grades_rowid", "ix_documents_words", "claims_fts_insert", "claims_fts_delete"} <= tables
    conn.close()
    ledger.engine.dispose()
    from claimledger.store.migrations import migrate

    ledger = open_ledger(db)  # opening again applies nothing
    with ledger.engine.begin() as connection:
        assert migrate(connection) == []


def test_full_text_index_follows_inserts_replacements_and_deletes(db):
    ledger = open_ledger(db)
    _store(ledger, "a", "Storm Shadow strike near Kursk.",
                   [_claim("a", 1, "100 soldiers were killed in the Storm Shadow strike", subject="North Korean soldiers"),
                    _claim("a", 2, "dozens were wounded", sentence="Medics near Kursk said dozens were wounded.")])
    _store(ledger, "b", "Another report.", [_claim("b", 1, "40 troops were captured", outlet="Han River Times")])
    assert _match(db, '"storm"* "shadow"*') == {"a-1"}
    assert _match(db, '"kursk"') == {"a-2"}  # from the sentence
    assert _match(db, '"korean"') == {"a-1"}  # from the subject
    assert _match(db, '"han"* "river"*') == {"b-1"}  # from the outlet
    # An edited document (same id, new text) replaces claims that keep their ids.
    _store(ledger, "b", "Another report, corrected.", [_claim("b", 1, "45 troops were captured near Bakhmut")])
    assert _match(db, '"bakhmut"') == {"b-1"} and _match(db, '"captured"') == {"b-1"}
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("DELETE FROM hops")
    conn.execute("DELETE FROM claim_grades")
    conn.execute("DELETE FROM claims WHERE id IN ('a-1', 'a-2')")
    conn.commit()
    assert _match(db, '"storm"*') == set() and _match(db, '"kursk"') == set()
    assert _match(db, '"bakhmut"') == {"b-1"}
    assert conn.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('integrity-check', 0)")
    conn.close()


def test_the_migration_backfills_claims_stored_before_it(db):
    ledger = open_ledger(db)
    _store(ledger, "a", "Text.", [_claim("a", 1, "300 fighters were killed in Rafah")])
    ledger.engine.dispose()
    conn = sqlite3.connect(db)  # back to a ledger from before the full-text index
    for trigger in ("claims_fts_insert", "claims_fts_delete", "claims_fts_update"):
        conn.execute(f"DROP TRIGGER {trigger}")
    conn.execute(f"DROP TABLE {FTS_TABLE}")
    conn.execute("DELETE FROM migrations WHERE name >= '0003'")
    conn.commit()
    conn.close()
    ledger = open_ledger(db)
    assert _match(db, '"rafah"') == {"a-1"}
    assert ledger.rebuild_search_index() and _match(db, '"fighters"') == {"a-1"}


def test_a_verdict_replaces_the_opposite_verdict_on_the_same_target(db):
    ledger = open_ledger(db)
    _store(ledger, "a", "Text.", [_claim("a", 1, "300 fighters were killed")])
    first = ledger.add_override("claim", "a-1", "confirm", None, "ana", "matches the satellite imagery")
    second = ledger.add_override("claim", "a-1", "refute", None, "bo", "the imagery was from 2022")
    active = ledger.overrides()
    assert [(o["id"], o["action"]) for o in active] == [(second, "refute")]
    every = ledger.overrides(active_only=False)
    assert [(o["id"], o["action"], o["active"]) for o in every] == [(first, "confirm", False), (second, "refute", True)]
    # Back again: the refutation gives way, both earlier rows stay as the audit trail.
    third = ledger.add_override("claim", "a-1", "confirm", None, "ana", "a second source confirms")
    assert [(o["id"], o["action"]) for o in ledger.overrides()] == [(third, "confirm")]
    assert len(ledger.overrides(active_only=False)) == 3
    # Other actions and other targets are untouched.
    split = ledger.add_override("claim", "a-1", "split", None, "ana", "a different incident")
    ledger.add_override("claim", "other", "refute", None, "ana", "wrong place")
    assert {(o["target_id"], o["action"]) for o in ledger.overrides()} == {
        ("a-1", "confirm"), ("a-1", "split"), ("other", "refute")}
    assert split in {o["id"] for o in ledger.overrides()}


def test_store_assessment_swaps_everything_at_once_with_its_stamp(db):
    ledger = open_ledger(db)
    hop = Hop("Reuters", "outlet", "reported")
    _store(ledger, "a", "Text.", [_claim("a", 1, "300 fighters were killed", chains=((hop,),))])
    stamp = ledger.content_fingerprint()
    cluster = {"id": "g1", "event": "killed", "subject": None, "location": None, "grade": "F6",
               "contradiction": False, "independent_origins": 1, "reports": 1, "latest": "2024-12-16",
               "record": {"id": "g1", "claims": ["a-1"]}}
    ledger.store_assessment(
        [cluster], [{"claim_id": "a-1", "cluster_id": "g1", "grade": "F6", "explanation": "one origin"}],
        [{"cluster_id": "g1", "summary": {"id": "g1", "claims": ["a-1"]}}],
        [{"name": "unregistered:reuters", "claims": 1, "originated": 1}],
        [{"source": "unregistered:reuters", "role": "originated", "claim_id": "a-1", "published": "2024-12-16"}],
        stamp,
    )
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT claim_rowid FROM claim_grades").fetchone()[0] == conn.execute(
        "SELECT rowid FROM claims WHERE id = 'a-1'").fetchone()[0]
    assert conn.execute("SELECT count(*) FROM source_claims").fetchone()[0] == 1
    conn.close()
    _store(ledger, "b", "More.", [_claim("b", 1, "12 were wounded")])
    assert ledger.content_fingerprint() != stamp  # new claims: the counted sources are stale


@pytest.mark.postgres
def test_a_postgresql_url_as_the_readme_writes_it_opens_the_ledger(postgres):
    url = postgres.create_database().replace("postgresql+psycopg://", "postgresql://")
    ledger = open_ledger(url)
    assert ledger.engine.dialect.driver == "psycopg"
    _store(ledger, "a", "Text.", [_claim("a", 1, "300 fighters were killed in Rafah")])
    assert ledger.counts()["claims"] == 1
    ledger.engine.dispose()


@pytest.mark.postgres
def test_a_postgresql_ledger_made_before_code_point_order_sorts_its_claims_so_once_migrated(postgres):
    from sqlalchemy import text

    from claimledger.store.migrations import CODE_POINT_ORDER

    url = postgres.create_database("old", icu_locale="en-US")
    ledger = open_ledger(url)
    with ledger.engine.begin() as conn:  # as a ledger made before the migration was
        for table, column in CODE_POINT_ORDER:
            conn.execute(text(f"ALTER TABLE {table} ALTER COLUMN {column} TYPE varchar(2000) COLLATE \"default\""))
        conn.execute(text("DELETE FROM migrations WHERE name = '0010_code_point_order'"))
    for doc in ("b-doc", "B-doc", "a_doc", "Adoc"):
        _store(ledger, doc, f"Text of {doc}.", [_claim(doc, 1, "300 fighters were killed in Rafah")])
    assert [c.doc for c in ledger.claims()] == ["a_doc", "Adoc", "b-doc", "B-doc"]  # the language's order
    ledger.engine.dispose()
    ledger = open_ledger(url)
    assert [c.doc for c in ledger.claims()] == ["Adoc", "B-doc", "a_doc", "b-doc"]
    ledger.engine.dispose()
    postgres.drop_database(url)
