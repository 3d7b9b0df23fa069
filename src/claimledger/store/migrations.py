"""Named migrations, applied in order and recorded in the `migrations` table."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import Connection, inspect, select, text
from sqlalchemy.exc import SQLAlchemyError

from . import schema


def _initial(conn: Connection) -> None:
    schema.metadata.create_all(conn, checkfirst=True)


def _override_members(conn: Connection) -> None:
    columns = {c["name"] for c in inspect(conn).get_columns("overrides")}
    if "members" not in columns:
        conn.execute(text("ALTER TABLE overrides ADD COLUMN members JSON"))


# -- full-text search over claims (SQLite FTS5) ---------------------------------------
#
# `claims_fts` is a contentless FTS5 table: it keeps only the index, keyed by the claims
# table's rowid, over each claim's text, sentence (from its record), subject and outlet.
# Triggers keep it in step with every insert, delete and update of a claim; a contentless
# table forgets a row when told the values it indexed, which the triggers read from the
# old row. On PostgreSQL the index is a tsvector (0007, below); on a SQLite built without
# FTS5 there is none and the search falls back to LIKE (publish/queries.py).

FTS_TABLE = "claims_fts"
_FTS_VALUES = "{row}.text, json_extract({row}.record, '$.sentence'), {row}.subject, {row}.outlet"
_FTS_COLUMNS = "text, sentence, subject, outlet"
_FTS_DDL = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5({_FTS_COLUMNS}, content='', "
    "tokenize='unicode61 remove_diacritics 2', prefix='2 3')"
)
_FTS_TRIGGERS = (
    f"""CREATE TRIGGER IF NOT EXISTS claims_fts_insert AFTER INSERT ON claims BEGIN
        INSERT INTO {FTS_TABLE}(rowid, {_FTS_COLUMNS}) VALUES (new.rowid, {_FTS_VALUES.format(row="new")});
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS claims_fts_delete AFTER DELETE ON claims BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {_FTS_COLUMNS})
        VALUES ('delete', old.rowid, {_FTS_VALUES.format(row="old")});
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS claims_fts_update AFTER UPDATE ON claims BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {_FTS_COLUMNS})
        VALUES ('delete', old.rowid, {_FTS_VALUES.format(row="old")});
        INSERT INTO {FTS_TABLE}(rowid, {_FTS_COLUMNS}) VALUES (new.rowid, {_FTS_VALUES.format(row="new")});
    END""",
)


def has_fts5(conn: Connection) -> bool:
    """SQLite with FTS5 and the JSON functions (the triggers read the sentence from the record)."""
    if conn.dialect.name != "sqlite":
        return False
    options = {row[0] for row in conn.exec_driver_sql("PRAGMA compile_options")}
    if "ENABLE_FTS5" not in options:
        return False
    try:
        conn.exec_driver_sql("""SELECT json_extract('{"a": 1}', '$.a')""")
    except Exception:  # noqa: BLE001 - a SQLite without JSON: no index, LIKE instead
        return False
    return True


def _claims_fts(conn: Connection) -> None:
    if not has_fts5(conn):
        return  # PostgreSQL, or SQLite without FTS5: the search uses LIKE
    conn.exec_driver_sql(_FTS_DDL)
    for trigger in _FTS_TRIGGERS:
        conn.exec_driver_sql(trigger)
    rebuild_claims_fts(conn)


def rebuild_claims_fts(conn: Connection) -> None:
    """Index every claim again (after a VACUUM that renumbered rowids, say)."""
    conn.exec_driver_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('delete-all')")
    conn.exec_driver_sql(
        f"INSERT INTO {FTS_TABLE}(rowid, {_FTS_COLUMNS}) SELECT rowid, {_FTS_VALUES.format(row='claims')} FROM claims"
    )


# -- precomputed sources, group summaries, filter indexes --------------------------------

def _add_columns(conn: Connection, table, names: list[str]) -> None:
    present = {c["name"] for c in inspect(conn).get_columns(table.name)}
    for name in names:
        if name not in present:
            column = table.c[name]
            kind = column.type.compile(dialect=conn.dialect)
            conn.execute(text(f"ALTER TABLE {table.name} ADD COLUMN {name} {kind}"))


def _source_counts(conn: Connection) -> None:
    _add_columns(conn, schema.sources, ["display_name", "names", "kinds", "originated", "relayed", "published",
                                        "confirmed", "refuted", "groups", "credibility", "group_ids"])
    for table in (schema.source_claims, schema.ledger_state, schema.cluster_summaries):
        table.create(conn, checkfirst=True)
    for index in schema.source_claims.indexes:
        index.create(conn, checkfirst=True)


_FILTER_INDEXES = (
    "ix_documents_current", "ix_claims_doc", "ix_claims_outlet", "ix_claims_stance", "ix_claims_origin",
    "ix_clusters_event", "ix_clusters_grade", "ix_clusters_contradiction", "ix_clusters_spread",
    "ix_claim_grades_grade", "ix_claim_grades_claim", "ix_claims_order",
)
# On SQLite only: what a words search reads with LIKE, so that it scans a narrow index
# rather than the rows (a document's row holds its text, a group's its whole record).
# Not on PostgreSQL, whose index entries are limited to about 2.7 kB and where a
# document id may be 2,000 characters long.
_SQLITE_INDEXES = (
    # (`current` last: first, SQLite would seek the current documents by it and then
    # sort them all, rather than walk the documents or claims in date order)
    "CREATE INDEX IF NOT EXISTS ix_documents_words ON documents (title, outlet, doc_id, current)",
    "CREATE INDEX IF NOT EXISTS ix_clusters_words ON clusters (subject, location, id)",
)


def _filter_indexes(conn: Connection) -> None:
    indexes = {index.name: index for table in schema.metadata.tables.values() for index in table.indexes}
    for name in _FILTER_INDEXES:
        indexes[name].create(conn, checkfirst=True)
    if conn.dialect.name == "sqlite":
        for statement in _SQLITE_INDEXES:
            conn.exec_driver_sql(statement)


def _claim_rowids(conn: Connection) -> None:
    _add_columns(conn, schema.claim_grades, ["claim_rowid"])
    for index in schema.claim_grades.indexes:
        if index.name == "ix_claim_grades_rowid":
            index.create(conn, checkfirst=True)
    if conn.dialect.name == "sqlite":
        fill_claim_rowids(conn)


def fill_claim_rowids(conn: Connection, claim_ids: list[str] | None = None) -> None:
    """Fill `claim_rowid` of every grade row, or of these claims' rows."""
    update = "UPDATE claim_grades SET claim_rowid = (SELECT rowid FROM claims WHERE claims.id = claim_grades.claim_id)"
    if claim_ids is None:
        conn.exec_driver_sql(update)
        return
    for start in range(0, len(claim_ids), 500):
        chunk = claim_ids[start:start + 500]
        conn.exec_driver_sql(f"{update} WHERE claim_id IN ({', '.join('?' * len(chunk))})", tuple(chunk))


# -- full-text search over claims (PostgreSQL) ------------------------------------------
#
# The same fields as SQLite's index, as one tsvector ('simple': no stemming, lower case)
# behind a GIN index on the expression; `claims_tsvector` below is the expression, which
# queries must repeat exactly for the index to answer. `claimledger_fold` lowers the case
# and, where the unaccent extension can be had (PostgreSQL's contrib, a trusted
# extension), drops accents; declared IMMUTABLE so that an index may use it.

PG_TSVECTOR = (
    "to_tsvector('simple'::regconfig, claimledger_fold(coalesce(claims.text, '') || ' ' || "
    "coalesce(claims.record ->> 'sentence', '') || ' ' || coalesce(claims.subject, '') || ' ' || "
    "coalesce(claims.outlet, '')))"
)
_PG_FOLD = "CREATE OR REPLACE FUNCTION claimledger_fold(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT {body} $$"


def _claims_tsvector(conn: Connection) -> None:
    if conn.dialect.name != "postgresql":
        return
    body = "lower($1)"
    try:
        with conn.begin_nested():
            conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS unaccent")
            schema_name = conn.exec_driver_sql(
                "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
                "WHERE e.extname = 'unaccent'"
            ).scalar_one()
        body = f"lower({schema_name}.unaccent('{schema_name}.unaccent'::regdictionary, $1))"
    except SQLAlchemyError:
        pass  # no unaccent here: case folded, accents kept
    conn.exec_driver_sql(_PG_FOLD.format(body=body))
    conn.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS ix_claims_tsvector ON claims USING gin ({PG_TSVECTOR})")


def _member_index(conn: Connection) -> None:
    """SQLite: what a group's page reads of its claims (their order, documents, currency)
    from an index, not from the claims' rows (each holds its whole record). Not on
    PostgreSQL, whose index entries are limited to about 2.7 kB: a document id may be
    2,000 characters long."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(
            "CREATE INDEX IF NOT EXISTS ix_claims_members ON claims (id, version_id, doc_id, published)"
        )


MATCH_STATE = ("match_claims", "match_keys", "statement_words", "match_persons", "match_sources", "match_docs")


def _match_state(conn: Connection) -> None:
    for name in MATCH_STATE:
        table = schema.metadata.tables[name]
        table.create(conn, checkfirst=True)
        for index in table.indexes:
            index.create(conn, checkfirst=True)


CODE_POINT_ORDER = (("claims", "id"), ("claims", "doc_id"), ("match_keys", "at"), ("match_keys", "claim_id"),
                    ("statement_words", "doc_id"), ("statement_words", "claim_id"))


def _code_point_order(conn: Connection) -> None:
    """PostgreSQL: the columns the assessment orders claims by sort by code point
    (`schema.in_code_point_order`), in a ledger created before they did."""
    if conn.dialect.name != "postgresql":
        return  # SQLite compares text by its bytes: code point order already
    for table, column in CODE_POINT_ORDER:
        length = schema.metadata.tables[table].c[column].type.length
        conn.exec_driver_sql(f'ALTER TABLE {table} ALTER COLUMN {column} TYPE varchar({length}) COLLATE "C"')


def _group_basis(conn: Connection) -> None:
    _add_columns(conn, schema.clusters, ["basis"])


def _group_explanation(conn: Connection) -> None:
    _add_columns(conn, schema.clusters, ["explanation"])


MIGRATIONS: tuple[tuple[str, Callable[[Connection], None]], ...] = (
    ("0001_initial", _initial),
    ("0002_override_members", _override_members),
    ("0003_claims_fts", _claims_fts),
    ("0004_source_counts", _source_counts),
    ("0005_filter_indexes", _filter_indexes),
    ("0006_claim_rowids", _claim_rowids),
    ("0007_claims_tsvector", _claims_tsvector),
    ("0008_member_index", _member_index),
    ("0009_match_state", _match_state),
    ("0010_code_point_order", _code_point_order),
    ("0011_group_basis", _group_basis),
    ("0012_group_explanation", _group_explanation),
)


def migrate(conn: Connection) -> list[str]:
    """Apply the migrations not yet applied; return their names."""
    schema.migrations.create(conn, checkfirst=True)
    done = set(conn.execute(select(schema.migrations.c.name)).scalars())
    applied = []
    for name, step in MIGRATIONS:
        if name in done:
            continue
        step(conn)
        conn.execute(
            schema.migrations.insert().values(
                name=name, applied_at=datetime.now(UTC).isoformat(timespec="seconds")
            )
        )
        applied.append(name)
    return applied
