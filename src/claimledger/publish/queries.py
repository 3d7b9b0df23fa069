"""Reads for the web UI, the API and the exports: SQLAlchemy Core against the tables of
`store/schema.py`.

Every query binds its values as parameters; text a person typed never becomes SQL. Only
current document versions count. Results are plain dicts, shaped like the contracts in
the shared docs, so pages, API and exports all say the same thing.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlalchemy import (
    Boolean,
    Connection,
    Table,
    and_,
    bindparam,
    case,
    exists,
    func,
    literal_column,
    or_,
    select,
    table,
    union,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from ..store import schema
from ..store.migrations import FTS_TABLE, PG_TSVECTOR

c, d, h = schema.claims, schema.documents, schema.hops
k, g, o = schema.clusters, schema.claim_grades, schema.overrides
ks = schema.cluster_summaries

EVENTS = ("killed", "wounded", "casualties", "captured", "missing", "deployed", "strike", "combat", "other")
STANCES = ("asserted", "hedged", "questioned", "denied")
KINDS = ("figure", "statement")
# The overview's views of the claim groups: (label, filter, order).
VIEWS = {
    "reports": "Most reported",
    "recent": "Most recent",
    "contradictions": "Contradictions",
    "spreading": "Single origin, spreading",
}
MAX_LIMIT = 500


@dataclass
class Page:
    items: list
    total: int
    limit: int
    offset: int
    extra: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"items": self.items, "total": self.total, "limit": self.limit, "offset": self.offset}

    @property
    def next_offset(self) -> int | None:
        return self.offset + self.limit if self.offset + self.limit < self.total else None

    @property
    def prev_offset(self) -> int | None:
        return max(self.offset - self.limit, 0) if self.offset > 0 else None


def finite(value):
    """`value` with every infinite or NaN float (an open bound) replaced by None: JSON has no Infinity."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [finite(v) for v in value]
    return value


def like_pattern(text: str) -> str:
    """A LIKE pattern matching `text` anywhere, its wildcards taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class _LikeAnyCase(FunctionElement):
    """`column LIKE pattern`, ignoring case: SQLite's LIKE does already (ASCII), and
    ILIKE's lower() on every row would double the cost of a scan there; PostgreSQL's LIKE
    does not, so there it is ILIKE."""

    type = Boolean()
    inherit_cache = True


@compiles(_LikeAnyCase)
def _like_any_case(element, compiler, **kw):
    column, pattern = list(element.clauses)
    return f"{compiler.process(column, **kw)} LIKE {compiler.process(pattern, **kw)} ESCAPE '\\'"


@compiles(_LikeAnyCase, "postgresql")
def _ilike(element, compiler, **kw):
    column, pattern = list(element.clauses)
    return f"{compiler.process(column, **kw)} ILIKE {compiler.process(pattern, **kw)} ESCAPE '\\'"


def _like(column, text: str):
    return _LikeAnyCase(column, bindparam(None, like_pattern(text), unique=True))


def _current_claims():
    return c.join(d, and_(d.c.version_id == c.c.version_id, d.c.current.is_(True)))


@compiles(Table, "sqlite")
def _sqlite_table(element, compiler, **kw):
    """A table with SQLite's `INDEXED BY` when a select asks for it with
    `.with_hint(table, "INDEXED BY ...", "sqlite")` (SQLAlchemy writes table hints only
    for the dialects that define them; SQLite's is this one)."""
    text = compiler.visit_table(element, **kw)
    hint = (kw.get("fromhints") or {}).get(element)
    if hint and kw.get("asfrom") and not kw.get("ashint"):
        text += " " + hint
    return text


def _count(conn: Connection, query) -> int:
    return conn.execute(select(func.count()).select_from(query.order_by(None).subquery())).scalar_one()


# ---------------------------------------------------------------- words search
#
# A search is words, and a claim matches when every word appears in its text, sentence,
# subject or outlet: as a word or the start of one ("Kurs" finds "Kursk"), in any case,
# accents ignored. On SQLite the full-text index `claims_fts` (migration 0003) answers;
# elsewhere, LIKE on the same fields. Words are letters and digits: whatever else a person
# types (quotes, AND, OR, parentheses, *) separates words and never reaches the index's
# query syntax, where each word goes quoted. A search with no word at all ("%", "--")
# falls back to finding the text as typed, with LIKE.

_SEARCH_WORD = re.compile(r"[^\W_]+")
MAX_WORDS = 12


def search_words(text: str | None) -> list[str]:
    """The words of a search, cut as the full-text index cuts text (letters and digits)."""
    return _SEARCH_WORD.findall(text or "")[:MAX_WORDS]


def fts_query(words: list[str]) -> str:
    """An FTS5 query needing every word: each quoted (so that no word is syntax), and a
    word of two letters or more also as the start of a longer one."""
    return " ".join('"' + w.replace('"', '""') + ('"*' if len(w) > 1 else '"') for w in words)


def has_fts(conn: Connection) -> bool:
    """Whether this database has the claims' full-text index (cached per connection)."""
    if conn.dialect.name != "sqlite":
        return False
    found = conn.info.get("claimledger_fts")
    if found is None:
        found = conn.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (FTS_TABLE,)
        ).first() is not None
        conn.info["claimledger_fts"] = found
    return found


def _words_like(columns, words: list[str]):
    """Every word in one of the columns (LIKE, wildcards taken literally)."""
    return and_(*(or_(*(_like(column, w) for column in columns)) for w in words))


def _fts_hits(words: list[str]):
    """The rowids of the claims (any version) holding every word."""
    return select(literal_column("rowid")).select_from(table(FTS_TABLE)).where(
        literal_column(FTS_TABLE).op("MATCH")(bindparam(None, fts_query(words), unique=True))
    )


def _pg_words_query(words: list[str]):
    """A PostgreSQL tsquery needing every word, a word of two letters or more also as the
    start of a longer one. Each word is folded first and then quoted as one lexeme, so
    that no word is syntax, whatever folding makes of it (a letter such as 'ʼ' folds to
    a quote); a word the parser finds no lexeme in adds no condition."""
    query = None
    for word in words:
        folded = func.quote_literal(func.claimledger_fold(bindparam(None, word, unique=True)))
        term = func.to_tsquery(literal_column("'simple'::regconfig"),
                               func.concat(folded, ":*" if len(word) > 1 else ""))
        query = term if query is None else query.op("&&")(term)
    return query


def claims_matching(conn: Connection | None, q: str):
    """A condition on `claims`: the claim matches the search `q`."""
    words = search_words(q)
    if not words:
        return or_(_like(c.c.text, q), _like(c.c.subject, q))
    if conn is not None and has_fts(conn):
        return literal_column("claims.rowid").in_(_fts_hits(words))
    if conn is not None and conn.dialect.name == "postgresql":  # the tsvector index (0007)
        return literal_column(PG_TSVECTOR).op("@@")(_pg_words_query(words))
    return _words_like((c.c.text, c.c.record["sentence"].as_string(), c.c.subject, c.c.outlet), words)


def _grades_know_rowids(conn: Connection) -> bool:
    """SQLite, with every grade row carrying its claim's rowid (Ledger.store_assessment)."""
    if conn.dialect.name != "sqlite":
        return False
    return conn.execute(select(g.c.claim_id).where(g.c.claim_rowid.is_(None)).limit(1)).first() is None


def _member_clusters(conn: Connection, q: str | None, origin_names: list[str] | None):
    """The ids of the groups holding a claim that matches `q` and comes from one of
    `origin_names`. From the indexes alone where the grades know the claims' rowids:
    the full-text index and the origins' index give rowids, and the grades map them to
    groups, so that no claim's row is read (a common word matches a third of them)."""
    member_filters = []
    if q:
        member_filters.append(claims_matching(conn, q))
    if origin_names is not None:
        member_filters.append(c.c.origin.in_(origin_names))
    if _grades_know_rowids(conn):
        words = search_words(q)
        if words and origin_names is None and has_fts(conn):
            rowids = _fts_hits(words)
        else:
            rowids = select(literal_column("claims.rowid")).select_from(c).where(*member_filters)
        return select(g.c.cluster_id).where(g.c.claim_rowid.in_(rowids))
    return select(g.c.cluster_id).where(g.c.claim_id.in_(select(c.c.id).where(*member_filters)))


# ---------------------------------------------------------------- claims

# A claim's explanation: its own, or (stored empty) its group's.
_CLAIM_COLUMNS = (c.c.record, g.c.cluster_id, g.c.grade,
                  case((g.c.explanation == "", k.c.explanation), else_=g.c.explanation).label("explanation"),
                  d.c.title, d.c.url)


def claim_dict(row) -> dict:
    """A claim as the ledger contract gives it, with its group, grade and document title."""
    record = dict(row.record)
    record["cluster"] = row.cluster_id
    record["grade"] = row.grade
    record["explanation"] = row.explanation
    record["title"] = row.title
    record["url"] = row.url
    return record


def _claims_select():
    return select(*_CLAIM_COLUMNS).select_from(_current_claims().outerjoin(g, g.c.claim_id == c.c.id)
                                               .outerjoin(k, k.c.id == g.c.cluster_id))


def _grade_is(column, grade: str):
    # A letter alone is a range ("B" is B1-B6), which an index answers; LIKE "B_" is a scan.
    return column == grade if len(grade) > 1 else column.between(f"{grade}1", f"{grade}6")


def claim_conditions(*, q=None, event=None, kind=None, stance=None, outlet=None, origin=None,
                     origin_names=None, doc=None, cluster=None, grade=None, since=None, until=None,
                     conn: Connection | None = None) -> list:
    """Conditions on claims (and, for `cluster` and `grade`, their grades); with `conn`,
    a words search uses the database's full-text index when it has one."""
    where = []
    if q:
        where.append(claims_matching(conn, q))
    if event:
        where.append(c.c.event == event)
    if kind:
        where.append(c.c.kind == kind)
    if stance:
        where.append(c.c.stance == stance)
    if outlet:
        where.append(c.c.outlet == outlet)
    if origin:
        where.append(_like(c.c.origin, origin))
    if origin_names is not None:
        where.append(c.c.origin.in_(origin_names))
    if doc:
        where.append(c.c.doc_id == doc)
    if cluster:
        where.append(g.c.cluster_id == cluster)
    if grade:
        where.append(_grade_is(g.c.grade, grade))
    if since:
        where.append(c.c.published >= since)
    if until:
        where.append(c.c.published <= until + "\uffff")
    return where


def count_current_claims(conn: Connection, conditions: list, with_grades: bool = False,
                         everything: int | None = None) -> int:
    """The current claims meeting `conditions`: all that do (`everything`, when known),
    less those of replaced document versions. Both counts run on indexes; joining every
    claim to its document to ask whether it is current would read a document per claim."""
    claims = c.join(g, g.c.claim_id == c.c.id) if with_grades else c
    if everything is None:
        everything = conn.execute(select(func.count()).select_from(claims).where(*conditions)).scalar_one()
    if not everything:
        return 0
    replaced = _replaced_versions(conn)
    stale = 0
    for start in range(0, len(replaced), 500):  # usually none at all
        versions = replaced[start : start + 500]
        stale += conn.execute(
            select(func.count()).select_from(claims).where(c.c.version_id.in_(versions), *conditions)
        ).scalar_one()
    return everything - stale


def _replaced_versions(conn: Connection) -> list[str]:
    """The document versions an edit has replaced (few, or none): their claims are not current."""
    return list(conn.execute(select(d.c.version_id).where(d.c.current.is_(False))).scalars())


def _fts_count(conn: Connection, words: list[str]) -> int:
    """Claims (of any version) holding every word: the index has one row per claim."""
    return conn.exec_driver_sql(
        f"SELECT count(*) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ?", (fts_query(words),)
    ).scalar_one()


def _is_current():
    return exists().where(d.c.version_id == c.c.version_id, d.c.current.is_(True))


def list_claims(conn: Connection, limit: int = 50, offset: int = 0, **filters) -> Page:
    conditions = claim_conditions(conn=conn, **filters)
    with_grades = bool(filters.get("cluster") or filters.get("grade"))
    everything = None
    words = search_words(filters.get("q"))
    if words and has_fts(conn) and not any(v for key, v in filters.items() if key != "q"):
        everything = _fts_count(conn, words)
    total = count_current_claims(conn, conditions, with_grades, everything)
    if total <= offset:
        return Page([], total, limit, offset)
    # The page's ids first (claims in date order, nothing else read), then their rows.
    claims = c.join(g, g.c.claim_id == c.c.id) if with_grades else c
    replaced = _replaced_versions(conn)
    current = (_is_current(),) if len(replaced) > 500 else (c.c.version_id.not_in(replaced),) if replaced else ()
    query = (select(c.c.id).select_from(claims).where(*current, *conditions)
             .order_by(c.c.published.desc(), c.c.id).limit(limit).offset(offset))
    if _has_index(conn, "ix_claims_order") and (not conditions or _in_date_order_is_cheaper(conn, total, limit + offset)):
        query = query.with_hint(c, "INDEXED BY ix_claims_order", "sqlite")
    ids = list(conn.execute(query).scalars())
    return Page(_claims_in_order(conn, ids), total, limit, offset)


def _has_index(conn: Connection, name: str) -> bool:
    """Whether this SQLite database has the index `name` (cached per connection)."""
    if conn.dialect.name != "sqlite":
        return False
    key = f"claimledger_index_{name}"
    if key not in conn.info:
        conn.info[key] = conn.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?", (name,)
        ).first() is not None
    return conn.info[key]


def _in_date_order_is_cheaper(conn: Connection, matching: int, wanted: int) -> bool:
    """Whether to walk all claims newest first until `wanted` match, rather than gather
    the `matching` ones through the filter's index and sort them: walking reads about
    wanted * all / matching claims, gathering reads `matching`. SQLite's planner, without
    statistics, gathers even when most claims match ("killed", a common word)."""
    everything = conn.exec_driver_sql("SELECT max(rowid) FROM claims").scalar() or 0
    return wanted * everything < matching * matching


def _claims_in_order(conn: Connection, ids: list[str]) -> list[dict]:
    found = {}
    if ids:
        found = {r.record["id"]: claim_dict(r) for r in conn.execute(_claims_select().where(c.c.id.in_(ids)))}
    return [found[i] for i in ids if i in found]


def get_claim(conn: Connection, claim_id: str) -> dict | None:
    row = conn.execute(_claims_select().where(c.c.id == claim_id)).first()
    return claim_dict(row) if row else None


def claims_by_ids(conn: Connection, ids: list[str]) -> list[dict]:
    found = []
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        found.extend(claim_dict(r) for r in conn.execute(_claims_select().where(c.c.id.in_(chunk))))
    return sorted(found, key=lambda r: (r.get("published") or "", r["id"]))


# ---------------------------------------------------------------- claim groups

def cluster_dict(row) -> dict:
    record = dict(row.record)
    record.setdefault("latest", row.latest)
    return record


LIST_ITEMS = 100  # of a big group's claims, origins' claims and conflicts, in lists
TIMELINE_POINTS = 200  # the most a group's timeline shows; more are merged by period


def aggregate_timeline(points: list[dict], limit: int = TIMELINE_POINTS) -> list[dict]:
    """A group's estimates over time in at most `limit` points: as they are when they
    fit, else merged per origin and day, month or year (the finest that fits): low the
    lowest, best the median, high the highest, `reports` added up, `claim` the first;
    `merged` says how many points each stands for."""
    if len(points) <= limit:
        return points
    for width in (10, 7, 4):
        periods: dict[tuple, list[dict]] = {}
        for point in points:
            periods.setdefault(((point.get("date") or "")[:width], point.get("origin")), []).append(point)
        if len(periods) <= limit or width == 4:
            break
    merged = [_merged_point(period, origin, group) for (period, origin), group in periods.items()]
    merged.sort(key=lambda p: (p["date"] or "", str(p["origin"])))
    return merged[:limit]


def _merged_point(period: str, origin, points: list[dict]) -> dict:
    if len(points) == 1:
        return points[0]
    lows = [p["low"] for p in points if p.get("low") is not None]
    bests = sorted(p["best"] for p in points if p.get("best") is not None)
    highs = [p["high"] for p in points if p.get("high") is not None]
    return {
        **points[0], "date": period or None, "origin": origin, "low": min(lows) if lows else None,
        "best": bests[len(bests) // 2] if bests else None, "high": max(highs) if highs else None,
        "bound": "range", "reports": sum(p.get("reports") or 1 for p in points), "merged": len(points),
    }


def cluster_summary(record: dict) -> dict:
    """A group as lists and its own page show it: its record, with the long lists of a
    big group cut to their first LIST_ITEMS (each origin keeping its `claim_count`) and
    `truncated` and `claim_count` saying so, and its timeline aggregated
    (`aggregate_timeline`). A group of thousands of claims has a record of megabytes;
    its page and /api/groups/{id} list its members a page at a time, `ledger` and the
    exports give the whole record."""
    claims = record.get("claims") or []
    long_lists = len(claims) > LIST_ITEMS or len(record.get("conflicting_claims") or []) > LIST_ITEMS
    timeline = record.get("timeline") or []
    if not long_lists and len(timeline) <= TIMELINE_POINTS:
        return record
    summary = dict(record, timeline=aggregate_timeline(timeline))
    if not long_lists:
        return summary
    summary.update(claims=claims[:LIST_ITEMS], claim_count=len(claims), truncated=True)
    if record.get("conflicting_claims"):
        summary["conflicting_claims"] = record["conflicting_claims"][:LIST_ITEMS]
    summary["origins"] = [
        dict(origin, claims=(origin.get("claims") or [])[:LIST_ITEMS], claim_count=len(origin.get("claims") or []))
        for origin in record.get("origins") or []
    ]
    return summary


def cluster_conditions(conn: Connection, *, q=None, event=None, location=None, origin_names=None,
                       grade=None, since=None, until=None, view=None) -> list:
    where = []
    if event:
        where.append(k.c.event == event)
    if location:
        where.append(_like(k.c.location, location))
    if grade:
        where.append(_grade_is(k.c.grade, grade))
    if since:
        where.append(k.c.latest >= since)
    if until:
        where.append(k.c.latest <= until + "\uffff")
    if view == "contradictions":
        where.append(k.c.contradiction.is_(True))
    elif view == "spreading":
        where.append(and_(k.c.independent_origins <= 1, k.c.reports >= 2))
    if q or origin_names is not None:
        members = _member_clusters(conn, q, origin_names)
        if q and not origin_names:  # or whose own subject and place hold the words
            words = search_words(q)
            named = (_words_like((k.c.subject, k.c.location), words) if words
                     else or_(_like(k.c.subject, q), _like(k.c.location, q)))
            members = union(members, select(k.c.id).where(named))
        where.append(k.c.id.in_(members))
    return where


_ORDERS = {
    "reports": (k.c.reports.desc(), k.c.independent_origins.desc(), k.c.latest.desc()),
    "recent": (k.c.latest.desc(), k.c.reports.desc()),
    "contradictions": (k.c.reports.desc(), k.c.latest.desc()),
    "spreading": (k.c.reports.desc(), k.c.latest.desc()),
}


def list_clusters(conn: Connection, limit: int = 50, offset: int = 0, view: str = "reports",
                  summaries: bool = False, **filters) -> Page:
    """A page of groups. With `summaries`, each as `cluster_summary` gives it (stored by
    the assessment; a big group's long lists cut), else its whole record."""
    conditions = cluster_conditions(conn, view=view, **filters)
    order = _ORDERS.get(view, _ORDERS["reports"]) + (k.c.id,)
    # The page's ids first (read from the indexes), then their records.
    ids_query = select(k.c.id).where(*conditions).order_by(*order).limit(limit).offset(offset)
    if filters.get("q") or filters.get("origin_names") is not None:
        # Finding the groups of the matching claims is the costly part: do it once, and
        # count the groups found alongside the page.
        rows = conn.execute(ids_query.add_columns(func.count().over().label("total"))).all()
        ids = [row.id for row in rows]
        total = rows[0].total if rows else None
    else:
        ids, total = None, None
    if total is None:
        total = conn.execute(select(func.count()).select_from(k).where(*conditions)).scalar_one()
    if ids is None:
        ids = list(conn.execute(ids_query).scalars()) if total > offset else []
    return Page(clusters_by_ids(conn, ids, summaries), total, limit, offset)


def clusters_by_ids(conn: Connection, ids: list[str], summaries: bool = False) -> list[dict]:
    """These groups, in this order (summaries or whole records, as `list_clusters`)."""
    if not ids:
        return []
    if summaries:
        # A summary where the assessment stored one, else the record (an older ledger).
        record = func.coalesce(ks.c.summary, k.c.record).label("record")
        query = select(k.c.id, record, k.c.latest).select_from(k.outerjoin(ks, ks.c.cluster_id == k.c.id))
    else:
        query = select(k.c.id, k.c.record, k.c.latest)
    found = {}
    for start in range(0, len(ids), 500):
        for row in conn.execute(query.where(k.c.id.in_(ids[start : start + 500]))):
            found[row.id] = cluster_dict(row)
    return [found[i] for i in ids if i in found]


def get_cluster(conn: Connection, cluster_id: str) -> dict | None:
    row = conn.execute(select(k.c.record, k.c.latest).where(k.c.id == cluster_id)).first()
    return cluster_dict(row) if row else None


def cluster_members(conn: Connection, cluster: dict) -> list[dict]:
    """The member claims of a group (its whole record's), oldest first, with their
    document titles: for the exports; a page reads `group_members`."""
    return claims_by_ids(conn, list(cluster.get("claims") or []))


def get_cluster_summary(conn: Connection, cluster_id: str) -> dict | None:
    """A group as its own page and /api/groups/{id} show it: its stored summary
    (`cluster_summary`: bounded however big the group), else its record."""
    record = func.coalesce(ks.c.summary, k.c.record).label("record")
    row = conn.execute(
        select(record, k.c.latest).select_from(k.outerjoin(ks, ks.c.cluster_id == k.c.id)).where(k.c.id == cluster_id)
    ).first()
    if row is None:
        return None
    cluster = cluster_dict(row)
    cluster["timeline"] = aggregate_timeline(cluster.get("timeline") or [])
    return cluster


def _members(cluster_id: str):
    return _current_claims().join(g, and_(g.c.claim_id == c.c.id, g.c.cluster_id == cluster_id))


@dataclass
class Members:
    """What a group's page shows of its member claims (oldest first)."""

    count: int  # all of them
    documents: int  # the documents they come from
    page: list[dict]  # the page asked for
    graph: list[dict]  # those of the first `graph_documents` documents


def group_members(conn: Connection, cluster_id: str, limit: int, offset: int = 0,
                  graph_documents: int = 0) -> Members:
    """A page of a group's member claims, with their document titles, their counts, and
    the claims of its first `graph_documents` documents (for its provenance graph: all
    of them in a group of normal size). One walk over the members' ids in order (an
    index on SQLite), then only the claims shown are read."""
    ordered = conn.execute(
        select(c.c.id, c.c.doc_id).select_from(_members(cluster_id))
        .order_by(func.coalesce(c.c.published, ""), c.c.id)
    ).all()
    page_ids = [claim_id for claim_id, _ in ordered[offset : offset + limit]]
    graph_docs: set[str] = set()
    graph_ids = []
    for claim_id, doc_id in ordered:
        if doc_id in graph_docs or len(graph_docs) < graph_documents:
            graph_docs.add(doc_id)
            graph_ids.append(claim_id)
    documents = len({doc_id for _, doc_id in ordered})
    found = {claim["id"]: claim for claim in _claims_in_order(conn, list(dict.fromkeys(page_ids + graph_ids)))}
    return Members(len(ordered), documents, [found[i] for i in page_ids if i in found],
                   [found[i] for i in graph_ids if i in found])


def cluster_ids_of_claims(conn: Connection, claim_ids: list[str]) -> list[str]:
    found: set[str] = set()
    for start in range(0, len(claim_ids), 500):
        chunk = claim_ids[start : start + 500]
        found.update(conn.execute(select(g.c.cluster_id).where(g.c.claim_id.in_(chunk))).scalars())
    return sorted(found)


def facets(conn: Connection) -> dict:
    """What the overview's filters offer: events and grades present, with counts."""
    events = conn.execute(
        select(k.c.event, func.count()).where(k.c.event.is_not(None)).group_by(k.c.event).order_by(func.count().desc())
    ).all()
    grades = conn.execute(
        select(k.c.grade, func.count()).where(k.c.grade.is_not(None)).group_by(k.c.grade).order_by(k.c.grade)
    ).all()
    return {"events": [tuple(r) for r in events], "grades": [tuple(r) for r in grades]}


def timeline(cluster: dict, members: list[dict]) -> list[dict]:
    """The group's estimates over time: the assessment's timeline, else the members' figures."""
    if cluster.get("timeline"):
        return [dict(point) for point in cluster["timeline"]]
    points = []
    for claim in members:
        quantity = claim.get("quantity") or {}
        if quantity.get("value") is None and quantity.get("low") is None and quantity.get("high") is None:
            continue
        date = ((claim.get("time") or {}).get("date") or claim.get("published") or "")[:10]
        chains = claim.get("chains") or []
        origin = chains[0][-1]["name"] if chains else claim.get("outlet")
        points.append({"date": date, "origin": origin, "low": quantity.get("low"),
                       "best": quantity.get("value"), "high": quantity.get("high"), "claim": claim["id"]})
    return points


# ---------------------------------------------------------------- documents

_DOC_LIST_COLUMNS = (d.c.doc_id, d.c.version_id, d.c.version, d.c.title, d.c.outlet, d.c.published,
                     d.c.url, d.c.input_kind, d.c.language, d.c.near_copy_of)


def _doc_dict(row, claims: int | None = None) -> dict:
    out = {
        "id": row.doc_id, "version_id": row.version_id, "version": row.version, "title": row.title,
        "outlet": row.outlet, "published": row.published, "url": row.url, "input_kind": row.input_kind,
        "language": row.language, "near_copy_of": row.near_copy_of,
    }
    if claims is not None:
        out["claims"] = claims
    return out


def list_documents(conn: Connection, limit: int = 50, offset: int = 0, q=None, outlet=None,
                   since=None, until=None) -> Page:
    where = [d.c.current.is_(True)]
    if q:  # every word in the title, outlet or id (on SQLite, read from ix_documents_words)
        words = search_words(q)
        columns = (d.c.title, d.c.outlet, d.c.doc_id)
        where.append(_words_like(columns, words) if words else or_(*(_like(column, q) for column in columns)))
    if outlet:
        where.append(d.c.outlet == outlet)
    if since:
        where.append(d.c.published >= since)
    if until:
        where.append(d.c.published <= until + "\uffff")
    counted = select(func.count()).where(c.c.version_id == d.c.version_id).scalar_subquery()
    query = select(*_DOC_LIST_COLUMNS, counted.label("n_claims")).where(*where)
    total = conn.execute(select(func.count()).select_from(d).where(*where)).scalar_one()
    rows = conn.execute(query.order_by(d.c.published.desc(), d.c.doc_id).limit(limit).offset(offset))
    return Page([_doc_dict(r, r.n_claims) for r in rows], total, limit, offset)


def get_document(conn: Connection, doc_id: str) -> dict | None:
    row = conn.execute(
        select(*_DOC_LIST_COLUMNS, d.c.text, d.c.quoted, d.c.ingested_at)
        .where(d.c.doc_id == doc_id, d.c.current.is_(True))
    ).first()
    if row is None:
        return None
    out = _doc_dict(row)
    # Not source_path: where the file lay on the machine that ingested it is nobody's business.
    out.update(text=row.text, quoted=[list(q) for q in row.quoted or []], ingested_at=row.ingested_at)
    if row.near_copy_of:
        original = conn.execute(
            select(d.c.doc_id, d.c.title).where(d.c.version_id == row.near_copy_of)
        ).first()
        out["near_copy_of_doc"] = {"id": original.doc_id, "title": original.title} if original else None
    out["versions"] = conn.execute(select(func.count()).where(d.c.doc_id == doc_id)).scalar_one()
    return out


def document_claims(conn: Connection, version_id: str) -> list[dict]:
    rows = conn.execute(_claims_select().where(c.c.version_id == version_id))
    return sorted((claim_dict(r) for r in rows), key=lambda r: (r["start"], r["end"], r["id"]))


# ---------------------------------------------------------------- overrides (the audit trail)

def overrides_for(conn: Connection, targets: list[tuple[str, str]]) -> list[dict]:
    """Every override (active and replaced) of these targets, newest first."""
    if not targets:
        return []
    ids: dict[str, list[str]] = {}
    for target, target_id in targets[:400]:  # one IN per kind of target: building 400 ANDs costs more than the query
        ids.setdefault(target, []).append(target_id)
    clause = or_(*(and_(o.c.target == t, o.c.target_id.in_(i)) for t, i in ids.items()))
    return [dict(r._mapping) for r in conn.execute(select(o).where(clause).order_by(o.c.id.desc()))]


def list_overrides(conn: Connection, limit: int = 50, offset: int = 0, target=None, target_id=None,
                   active=None) -> Page:
    where = []
    if target:
        where.append(o.c.target == target)
    if target_id:
        where.append(o.c.target_id == target_id)
    if active is not None:
        where.append(o.c.active.is_(active))
    query = select(o).where(*where)
    total = _count(conn, query)
    rows = conn.execute(query.order_by(o.c.id.desc()).limit(limit).offset(offset))
    return Page([dict(r._mapping) for r in rows], total, limit, offset)


# ---------------------------------------------------------------- the whole ledger

def stats(conn: Connection) -> dict:
    return {
        "documents": conn.execute(select(func.count()).where(d.c.current.is_(True))).scalar_one(),
        "claims": conn.execute(select(func.count()).select_from(_current_claims())).scalar_one(),
        "groups": conn.execute(select(func.count()).select_from(k)).scalar_one(),
        "outlets": conn.execute(
            select(func.count(func.distinct(d.c.outlet))).where(d.c.current.is_(True))
        ).scalar_one(),
        "overrides": conn.execute(select(func.count()).select_from(o)).scalar_one(),
    }


def iter_claims(conn: Connection) -> Iterator[dict]:
    """Every current claim with its group and grade, in a stable order."""
    query = _claims_select().order_by(c.c.doc_id, c.c.id)
    for row in conn.execution_options(yield_per=2000).execute(query):
        yield claim_dict(row)


def iter_clusters(conn: Connection) -> Iterator[dict]:
    query = select(k.c.record, k.c.latest).order_by(k.c.reports.desc(), k.c.id)
    # A few at a time: the biggest groups come first, and one record can be megabytes.
    for row in conn.execution_options(yield_per=50).execute(query):
        yield cluster_dict(row)


def ledger_claim(claim: dict) -> dict:
    """The claim as `claimledger ledger --format json` gives it (no page-only keys)."""
    return {key: value for key, value in claim.items() if key not in ("title", "url")}


def unregistered_sources(clusters) -> list[str]:
    """The origins of these groups that the registry does not know, by name."""
    return sorted({
        origin["name"] for cluster in clusters for origin in cluster.get("origins") or []
        if not origin.get("registry_id") and str(origin.get("party") or "").startswith("unregistered:")
    })


CHUNK_CHARS = 256 * 1024


def _json(value) -> str:
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    except ValueError:  # an open bound stored as infinity
        return json.dumps(finite(value), ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def ledger_json_chunks(conn: Connection) -> Iterator[bytes]:
    """The object of `claimledger ledger --format json` (claims, clusters, unregistered
    sources), read from the stored assessment and written as JSON text a piece at a time
    (about CHUNK_CHARS each): the whole ledger is never in memory, whatever its size."""
    buffer: list[str] = []
    size = 0

    def put(text: str):
        nonlocal size
        buffer.append(text)
        size += len(text)

    def items(records) -> Iterator[bytes]:
        nonlocal size
        for n, record in enumerate(records):
            put(("," if n else "") + _json(record))
            if size >= CHUNK_CHARS:
                yield "".join(buffer).encode("utf-8")
                buffer.clear()
                size = 0

    unregistered: set[str] = set()

    def noting_origins(clusters):
        for cluster in clusters:
            unregistered.update(unregistered_sources([cluster]))
            yield cluster

    put('{"claims":[')
    yield from items(ledger_claim(claim) for claim in iter_claims(conn))
    put('],"clusters":[')
    yield from items(noting_origins(iter_clusters(conn)))
    put('],"unregistered_sources":' + _json(sorted(unregistered)) + "}")
    yield "".join(buffer).encode("utf-8")
