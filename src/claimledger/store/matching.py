"""The matching state of the stored assessment (`schema.match_*`, `assess.state`): written
by every assessment, read by the incremental one (`claimledger.incremental`). Each
function takes the connection of the caller's transaction."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import Connection, and_, delete, exists, select, update

from ..assess.state import ClaimState
from . import schema

m, k, w, p, s, md = (schema.match_claims, schema.match_keys, schema.statement_words, schema.match_persons,
                     schema.match_sources, schema.match_docs)
c, d, g = schema.claims, schema.documents, schema.claim_grades
CHUNK = 500
_AFTER = ("SELECT claim_id FROM match_keys WHERE key = ? AND (at, claim_id) > (?, ?) "
          "ORDER BY at, claim_id LIMIT ?")
_BEFORE = ("SELECT claim_id FROM match_keys WHERE key = ? AND (at, claim_id) < (?, ?) "
           "ORDER BY at DESC, claim_id DESC LIMIT ?")


def _chunks(values: Iterable) -> Iterable[list]:
    values = list(values)
    for start in range(0, len(values), CHUNK):
        yield values[start:start + CHUNK]


def _insert(conn: Connection, table, rows: list[dict]) -> None:
    for start in range(0, len(rows), 5000):
        conn.execute(table.insert(), rows[start:start + 5000])


def forget(conn: Connection, claim_ids: Iterable[str]) -> None:
    """Drop the state of these claims (before writing it again, or for good)."""
    for ids in _chunks(claim_ids):
        for table in (k, w, p, s, m):
            conn.execute(delete(table).where(table.c.claim_id.in_(ids)))


def write(conn: Connection, states: Iterable[ClaimState], versions: dict[str, str], components: dict[str, str],
          pre_groups: dict[str, str], unindexed: set[str] | frozenset[str] = frozenset()) -> None:
    """Store the state of these claims (whose old state is forgotten first); the words
    of the `unindexed` statements (denials joined to a figure) are not indexed."""
    states = list(states)
    forget(conn, [st.claim_id for st in states])
    _write(conn, states, versions, components, pre_groups, unindexed)


def replace_all(conn: Connection, states: Iterable[ClaimState], versions: dict[str, str],
                components: dict[str, str], pre_groups: dict[str, str], roots: dict[str, str],
                unindexed: frozenset[str]) -> None:
    """The whole state, after a full assessment."""
    for table in (k, w, p, s, m, md):
        conn.execute(delete(table))
    _write(conn, states, versions, components, pre_groups, unindexed)
    write_roots(conn, roots)


def index_words(conn: Connection, claim_id: str, doc_id: str, words: Iterable[str]) -> None:
    """Index a statement's words (none: it is not indexed)."""
    conn.execute(delete(w).where(w.c.claim_id == claim_id))
    _insert(conn, w, [{"word": word, "doc_id": doc_id, "claim_id": claim_id} for word in words])


def _write(conn: Connection, states: Iterable[ClaimState], versions: dict[str, str], components: dict[str, str],
           pre_groups: dict[str, str], unindexed: set[str] | frozenset[str]) -> None:
    claims, keys, words, persons, sources = [], [], [], [], []
    for st in states:
        claims.append({"claim_id": st.claim_id, "version_id": versions[st.claim_id], "doc_id": st.doc_id,
                       "matched": st.matched, "at": st.at, "component": components[st.claim_id],
                       "pre_group": pre_groups[st.claim_id], "derived": st.derived})
        keys.extend({"key": key, "at": st.at, "claim_id": st.claim_id} for key in st.keys)
        if st.claim_id not in unindexed:
            words.extend({"word": word, "doc_id": st.doc_id, "claim_id": st.claim_id} for word in st.words)
        persons.extend({"person": person, "claim_id": st.claim_id, "doc_id": st.doc_id} for person in st.persons)
        sources.extend({"source": source, "claim_id": st.claim_id} for source in st.sources)
    for table, rows in ((m, claims), (k, keys), (w, words), (p, persons), (s, sources)):
        _insert(conn, table, rows)


def write_groups(conn: Connection, components: dict[str, str], pre_groups: dict[str, str]) -> None:
    """A regrouped claim's component and group before merges."""
    for claim_id, component in components.items():
        conn.execute(update(m).where(m.c.claim_id == claim_id).values(component=component,
                                                                      pre_group=pre_groups[claim_id]))


def write_roots(conn: Connection, roots: dict[str, str]) -> None:
    for docs in _chunks(roots):
        conn.execute(delete(md).where(md.c.doc_id.in_(docs)))
    _insert(conn, md, [{"doc_id": doc, "root": root} for doc, root in roots.items()])


def stored_roots(conn: Connection) -> dict[str, str]:
    return dict(conn.execute(select(md.c.doc_id, md.c.root)).all())


def versions_of(conn: Connection, claim_ids: Iterable[str]) -> dict[str, str]:
    """The current version of each of these claims."""
    found = {}
    for ids in _chunks(claim_ids):
        query = select(c.c.id, c.c.version_id).join(d, and_(d.c.version_id == c.c.version_id, d.c.current.is_(True)))
        found.update(conn.execute(query.where(c.c.id.in_(ids))).all())
    return found


def changes(conn: Connection) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(claim id, document id) of the current claims not assessed in their version, and
    of the assessed claims no longer current in that version."""
    current = and_(d.c.version_id == c.c.version_id, d.c.current.is_(True))
    new = select(c.c.id, c.c.doc_id).join(d, current).where(
        ~exists().where(m.c.claim_id == c.c.id, m.c.version_id == c.c.version_id))
    gone = select(m.c.claim_id, m.c.doc_id).where(~exists().where(
        c.c.id == m.c.claim_id, c.c.version_id == m.c.version_id,
        exists().where(d.c.version_id == c.c.version_id, d.c.current.is_(True))))
    return [tuple(r) for r in conn.execute(new)], [tuple(r) for r in conn.execute(gone)]


def neighbours(conn: Connection, key: str, at: str, claim_id: str, near: int, after: bool = True) -> list[str]:
    """The `near` claims next to one in a bucket, after it (or before it) in time order."""
    return [row[0] for row in _driver_rows(conn, _AFTER if after else _BEFORE, (key, at, claim_id, near))]


def _driver_rows(conn: Connection, sql: str, params: tuple) -> list[tuple]:
    """The rows of a small query (`?` placeholders) sent to the driver as it is, in the
    caller's transaction: an update runs thousands of them, and SQLAlchemy's own work
    on each statement costs several times the query's (benchmarks/RESULTS.md)."""
    if conn.dialect.paramstyle != "qmark":
        sql = sql.replace("?", "%s")
    cursor = conn.connection.cursor()
    try:
        cursor.execute(sql, params)
        return cursor.fetchall()
    finally:
        cursor.close()


def first_statements(conn: Connection, word: str, limit: int) -> list[str]:
    """The first statements with this word, in the ledger's claim order."""
    return list(conn.execute(select(w.c.claim_id).where(w.c.word == word).order_by(w.c.doc_id, w.c.claim_id)
                             .limit(limit)).scalars())


def statements_with(conn: Connection, word: str) -> list[str]:
    return list(conn.execute(select(w.c.claim_id).where(w.c.word == word)).scalars())


def keys_of(conn: Connection, claim_ids: Iterable[str]) -> dict[str, list[tuple[str, str]]]:
    """Each claim's buckets, as (key, at)."""
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for claim_id, key, at in rows_in(conn, "SELECT claim_id, key, at FROM match_keys WHERE claim_id IN", claim_ids):
        found[claim_id].append((key, at))
    return found


def words_of(conn: Connection, claim_ids: Iterable[str]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for claim_id, word in rows_in(conn, "SELECT claim_id, word FROM statement_words WHERE claim_id IN", claim_ids):
        found[claim_id].add(word)
    return found


def indexed(conn: Connection, claim_ids: Iterable[str]) -> set[str]:
    """Those of these claims whose words are indexed (`words_of` without the words)."""
    return {row[0] for row in rows_in(conn, "SELECT DISTINCT claim_id FROM statement_words WHERE claim_id IN",
                                      claim_ids)}


_ROW = tuple(column.name for column in m.columns)


def rows_of(conn: Connection, claim_ids: Iterable[str], derived: bool = False) -> dict[str, dict]:
    """The stored state rows (`match_claims`) of these claims; their frames and origins
    (`derived`, the costly part to read) only when asked for."""
    columns = _ROW if derived else tuple(name for name in _ROW if name != "derived")
    found = {}
    for row in rows_in(conn, f"SELECT {', '.join(columns)} FROM match_claims WHERE claim_id IN", claim_ids):
        found[row[0]] = record = dict(zip(columns, row))
        record["matched"] = bool(record["matched"])
        if derived:
            record["derived"] = json_value(record["derived"])
    return found


def origins_of(conn: Connection, claim_ids: Iterable[str]) -> dict[str, list]:
    """The stored origins of these claims (`derived["origins"]`, read without their frames)."""
    field = "derived -> 'origins'" if conn.dialect.name == "postgresql" else "json_extract(derived, '$.origins')"
    return {claim_id: json_value(origins)
            for claim_id, origins in rows_in(conn, f"SELECT claim_id, {field} FROM match_claims WHERE claim_id IN",
                                             claim_ids)}


def records_of(conn: Connection, claim_ids: Iterable[str]) -> list[dict]:
    """The records (`claims.record`) of these claims."""
    return [json_value(record) for (record,) in rows_in(conn, "SELECT record FROM claims WHERE id IN", claim_ids)]


def json_value(value):
    """A JSON column as the driver gives it: text (SQLite) or already read (psycopg)."""
    return json.loads(value) if isinstance(value, str | bytes) else value


def rows_in(conn: Connection, query: str, values: Iterable) -> list[tuple]:
    """The rows of `query ... IN (values)`, the values a chunk at a time, sent to the
    driver as they are (a group of thousands reads thousands of rows)."""
    rows = []
    for chunk in _chunks(values):
        rows.extend(_driver_rows(conn, f"{query} ({', '.join('?' * len(chunk))})", tuple(chunk)))
    return rows


def component_members(conn: Connection, components: Iterable[str]) -> set[str]:
    return {row[0] for row in rows_in(conn, "SELECT claim_id FROM match_claims WHERE component IN", components)}


def group_members(conn: Connection, group_ids: Iterable[str]) -> set[str]:
    """The claims of these groups, before merges or as assessed (merged)."""
    group_ids = list(group_ids)
    return {row[0] for query in ("SELECT claim_id FROM match_claims WHERE pre_group IN",
                                 "SELECT claim_id FROM claim_grades WHERE cluster_id IN")
            for row in rows_in(conn, query, group_ids)}


def pre_groups_exist(conn: Connection, group_ids: Iterable[str]) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(group_ids):
        found.update(conn.execute(select(m.c.pre_group).where(m.c.pre_group.in_(chunk)).distinct()).scalars())
    return found


def docs_naming(conn: Connection, persons: Iterable[str]) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(persons):
        found.update(conn.execute(select(p.c.doc_id).where(p.c.person.in_(chunk)).distinct()).scalars())
    return found


def persons_in(conn: Connection, docs: Iterable[str]) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(docs):
        found.update(conn.execute(select(p.c.person).where(p.c.doc_id.in_(chunk)).distinct()).scalars())
    return found


def claims_citing(conn: Connection, source_keys: Iterable[str]) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(source_keys):
        found.update(conn.execute(select(s.c.claim_id).where(s.c.source.in_(chunk))).scalars())
    return found


def matched_in(conn: Connection, docs: Iterable[str]) -> dict[str, list[str]]:
    """The matched claims of each of these documents."""
    found: dict[str, list[str]] = defaultdict(list)
    for chunk in _chunks(docs):
        for doc, claim_id in conn.execute(select(m.c.doc_id, m.c.claim_id).where(m.c.doc_id.in_(chunk),
                                                                                  m.c.matched.is_(True))):
            found[doc].append(claim_id)
    return found


def denials_in(conn: Connection, claim_ids: Iterable[str]) -> set[str]:
    """The documents of those of these claims that are unmatched denials."""
    return {row[0] for row in rows_in(
        conn, "SELECT DISTINCT m.doc_id FROM match_claims m JOIN claims c ON c.id = m.claim_id "
              "WHERE NOT m.matched AND c.stance = 'denied' AND m.claim_id IN", claim_ids)}


def claims_in(conn: Connection, docs: Iterable[str]) -> set[str]:
    return {row[0] for row in rows_in(conn, "SELECT claim_id FROM match_claims WHERE doc_id IN", docs)}


def count(conn: Connection) -> int:
    from sqlalchemy import func

    return conn.execute(select(func.count()).select_from(m)).scalar_one()
