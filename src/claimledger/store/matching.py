"""The matching state of the stored assessment (`schema.match_*`, `assess.state`): written
by every assessment, read by the incremental one (`claimledger.incremental`). Each
function takes the connection of the caller's transaction."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import Connection, and_, delete, exists, select, text, update

from ..assess.state import ClaimState
from . import schema

m, k, w, p, s, md = (schema.match_claims, schema.match_keys, schema.statement_words, schema.match_persons,
                     schema.match_sources, schema.match_docs)
c, d, g = schema.claims, schema.documents, schema.claim_grades
CHUNK = 500
_AFTER = text("SELECT claim_id FROM match_keys WHERE key = :key AND (at, claim_id) > (:at, :claim) "
              "ORDER BY at, claim_id LIMIT :near")
_BEFORE = text("SELECT claim_id FROM match_keys WHERE key = :key AND (at, claim_id) < (:at, :claim) "
               "ORDER BY at DESC, claim_id DESC LIMIT :near")


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
    query = _AFTER if after else _BEFORE
    return list(conn.execute(query, {"key": key, "at": at, "claim": claim_id, "near": near}).scalars())


def first_statements(conn: Connection, word: str, limit: int) -> list[str]:
    """The first statements with this word, in the ledger's claim order."""
    return list(conn.execute(select(w.c.claim_id).where(w.c.word == word).order_by(w.c.doc_id, w.c.claim_id)
                             .limit(limit)).scalars())


def statements_with(conn: Connection, word: str) -> list[str]:
    return list(conn.execute(select(w.c.claim_id).where(w.c.word == word)).scalars())


def keys_of(conn: Connection, claim_ids: Iterable[str]) -> dict[str, list[tuple[str, str]]]:
    """Each claim's buckets, as (key, at)."""
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for ids in _chunks(claim_ids):
        for claim_id, key, at in conn.execute(select(k.c.claim_id, k.c.key, k.c.at).where(k.c.claim_id.in_(ids))):
            found[claim_id].append((key, at))
    return found


def words_of(conn: Connection, claim_ids: Iterable[str]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for ids in _chunks(claim_ids):
        for claim_id, word in conn.execute(select(w.c.claim_id, w.c.word).where(w.c.claim_id.in_(ids))):
            found[claim_id].add(word)
    return found


def indexed(conn: Connection, claim_ids: Iterable[str]) -> set[str]:
    """Those of these claims whose words are indexed (`words_of` without the words)."""
    found: set[str] = set()
    for ids in _chunks(claim_ids):
        found.update(conn.execute(select(w.c.claim_id).where(w.c.claim_id.in_(ids)).distinct()).scalars())
    return found


def rows_of(conn: Connection, claim_ids: Iterable[str]) -> dict[str, dict]:
    """The stored state rows (`match_claims`) of these claims."""
    found = {}
    for ids in _chunks(claim_ids):
        for row in conn.execute(select(m).where(m.c.claim_id.in_(ids))):
            found[row.claim_id] = dict(row._mapping)
    return found


def component_members(conn: Connection, components: Iterable[str]) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(components):
        found.update(conn.execute(select(m.c.claim_id).where(m.c.component.in_(chunk))).scalars())
    return found


def group_members(conn: Connection, group_ids: Iterable[str]) -> set[str]:
    """The claims of these groups, before merges or as assessed (merged)."""
    found: set[str] = set()
    for chunk in _chunks(group_ids):
        found.update(conn.execute(select(m.c.claim_id).where(m.c.pre_group.in_(chunk))).scalars())
        found.update(conn.execute(select(g.c.claim_id).where(g.c.cluster_id.in_(chunk))).scalars())
    return found


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
    found: set[str] = set()
    for ids in _chunks(claim_ids):
        found.update(conn.execute(
            select(m.c.doc_id).join(c, c.c.id == m.c.claim_id)
            .where(m.c.claim_id.in_(ids), m.c.matched.is_(False), c.c.stance == "denied").distinct()).scalars())
    return found


def claims_in(conn: Connection, docs: Iterable[str]) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(docs):
        found.update(conn.execute(select(m.c.claim_id).where(m.c.doc_id.in_(chunk))).scalars())
    return found


def count(conn: Connection) -> int:
    from sqlalchemy import func

    return conn.execute(select(func.count()).select_from(m)).scalar_one()
