"""Reads for the web UI, the API and the exports: SQLAlchemy Core against the tables of
`store/schema.py`.

Every query binds its values as parameters; text a person typed never becomes SQL. Only
current document versions count. Results are plain dicts, shaped like the contracts in
the shared docs, so pages, API and exports all say the same thing.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlalchemy import Connection, and_, func, or_, select

from ..store import schema

c, d, h = schema.claims, schema.documents, schema.hops
k, g, o = schema.clusters, schema.claim_grades, schema.overrides

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


def _like(column, text: str):
    # LIKE, not ILIKE: SQLite's LIKE ignores ASCII case already, and ILIKE's lower() on
    # every row doubles the cost of a scan. (On PostgreSQL this makes search case-sensitive.)
    return column.like(like_pattern(text), escape="\\")


def _current_claims():
    return c.join(d, and_(d.c.version_id == c.c.version_id, d.c.current.is_(True)))


def _count(conn: Connection, query) -> int:
    return conn.execute(select(func.count()).select_from(query.order_by(None).subquery())).scalar_one()


# ---------------------------------------------------------------- claims

_CLAIM_COLUMNS = (c.c.record, g.c.cluster_id, g.c.grade, g.c.explanation, d.c.title, d.c.url)


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
    return select(*_CLAIM_COLUMNS).select_from(_current_claims().outerjoin(g, g.c.claim_id == c.c.id))


def claim_conditions(*, q=None, event=None, kind=None, stance=None, outlet=None, origin=None,
                     origin_names=None, doc=None, cluster=None, grade=None, since=None, until=None) -> list:
    where = []
    if q:
        where.append(or_(_like(c.c.text, q), _like(c.c.subject, q)))
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
        where.append(g.c.grade == grade if len(grade) > 1 else g.c.grade.like(f"{grade}_"))
    if since:
        where.append(c.c.published >= since)
    if until:
        where.append(c.c.published <= until + "\uffff")
    return where


def list_claims(conn: Connection, limit: int = 50, offset: int = 0, **filters) -> Page:
    conditions = claim_conditions(**filters)
    query = _claims_select().where(*conditions)
    if filters.get("cluster") or filters.get("grade"):
        total = _count(conn, query)
    else:  # counting through the outer join to the grades costs three times as much
        total = conn.execute(select(func.count()).select_from(_current_claims()).where(*conditions)).scalar_one()
    rows = conn.execute(query.order_by(c.c.published.desc(), c.c.id).limit(limit).offset(offset))
    return Page([claim_dict(r) for r in rows], total, limit, offset)


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


def cluster_conditions(conn: Connection, *, q=None, event=None, location=None, origin_names=None,
                       grade=None, since=None, until=None, view=None) -> list:
    where = []
    if event:
        where.append(k.c.event == event)
    if location:
        where.append(_like(k.c.location, location))
    if grade:
        where.append(k.c.grade == grade if len(grade) > 1 else k.c.grade.like(f"{grade}_"))
    if since:
        where.append(k.c.latest >= since)
    if until:
        where.append(k.c.latest <= until + "\uffff")
    if view == "contradictions":
        where.append(k.c.contradiction.is_(True))
    elif view == "spreading":
        where.append(and_(k.c.independent_origins <= 1, k.c.reports >= 2))
    member_filters = []
    if q:
        member_filters.append(or_(_like(c.c.text, q), _like(c.c.subject, q)))
    if origin_names is not None:
        member_filters.append(c.c.origin.in_(origin_names))
    if member_filters:
        members = (
            select(g.c.cluster_id)
            .select_from(g.join(c, c.c.id == g.c.claim_id))
            .where(*member_filters)
        )
        clause = k.c.id.in_(members)
        if q and not origin_names:
            clause = or_(clause, _like(k.c.subject, q), _like(k.c.location, q))
        where.append(clause)
    return where


_ORDERS = {
    "reports": (k.c.reports.desc(), k.c.independent_origins.desc(), k.c.latest.desc()),
    "recent": (k.c.latest.desc(), k.c.reports.desc()),
    "contradictions": (k.c.reports.desc(), k.c.latest.desc()),
    "spreading": (k.c.reports.desc(), k.c.latest.desc()),
}


def list_clusters(conn: Connection, limit: int = 50, offset: int = 0, view: str = "reports", **filters) -> Page:
    query = select(k.c.record, k.c.latest).where(*cluster_conditions(conn, view=view, **filters))
    total = _count(conn, query)
    order = _ORDERS.get(view, _ORDERS["reports"]) + (k.c.id,)
    rows = conn.execute(query.order_by(*order).limit(limit).offset(offset))
    return Page([cluster_dict(r) for r in rows], total, limit, offset)


def get_cluster(conn: Connection, cluster_id: str) -> dict | None:
    row = conn.execute(select(k.c.record, k.c.latest).where(k.c.id == cluster_id)).first()
    return cluster_dict(row) if row else None


def cluster_members(conn: Connection, cluster: dict) -> list[dict]:
    """The member claims of a group, oldest first, with their document titles."""
    return claims_by_ids(conn, list(cluster.get("claims") or []))


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
    if q:
        where.append(or_(_like(d.c.title, q), _like(d.c.outlet, q), _like(d.c.doc_id, q)))
    if outlet:
        where.append(d.c.outlet == outlet)
    if since:
        where.append(d.c.published >= since)
    if until:
        where.append(d.c.published <= until + "\uffff")
    counted = select(func.count()).where(c.c.version_id == d.c.version_id).scalar_subquery()
    query = select(*_DOC_LIST_COLUMNS, counted.label("n_claims")).where(*where)
    total = _count(conn, select(d.c.version_id).where(*where))
    rows = conn.execute(query.order_by(d.c.published.desc(), d.c.doc_id).limit(limit).offset(offset))
    return Page([_doc_dict(r, r.n_claims) for r in rows], total, limit, offset)


def get_document(conn: Connection, doc_id: str) -> dict | None:
    row = conn.execute(
        select(*_DOC_LIST_COLUMNS, d.c.text, d.c.quoted, d.c.source_path, d.c.ingested_at)
        .where(d.c.doc_id == doc_id, d.c.current.is_(True))
    ).first()
    if row is None:
        return None
    out = _doc_dict(row)
    out.update(text=row.text, quoted=[list(q) for q in row.quoted or []], source_path=row.source_path,
               ingested_at=row.ingested_at)
    if row.near_copy_of:
        original = conn.execute(
            select(d.c.doc_id, d.c.title).where(d.c.version_id == row.near_copy_of)
        ).first()
        out["near_copy_of_doc"] = {"id": original.doc_id, "title": original.title} if original else None
    out["versions"] = conn.execute(select(func.count()).where(d.c.doc_id == doc_id)).scalar_one()
    return out


def document_claims(conn: Connection, version_id: str) -> list[dict]:
    rows = conn.execute(_claims_select().where(c.c.version_id == version_id).order_by(c.c.record))
    return sorted((claim_dict(r) for r in rows), key=lambda r: (r["start"], r["end"]))


# ---------------------------------------------------------------- overrides (the audit trail)

def overrides_for(conn: Connection, targets: list[tuple[str, str]]) -> list[dict]:
    """Every override (active and replaced) of these targets, newest first."""
    if not targets:
        return []
    clause = or_(*(and_(o.c.target == t, o.c.target_id == i) for t, i in targets[:400]))
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
    for row in conn.execution_options(yield_per=1000).execute(query):
        yield cluster_dict(row)


def ledger_claim(claim: dict) -> dict:
    """The claim as `claimledger ledger --format json` gives it (no page-only keys)."""
    return {key: value for key, value in claim.items() if key not in ("title", "url")}


def ledger_object(conn: Connection) -> dict:
    """The object of `claimledger ledger --format json`, read from the stored assessment."""
    clusters = list(iter_clusters(conn))
    unregistered = sorted({
        origin["name"] for cluster in clusters for origin in cluster.get("origins") or []
        if not origin.get("registry_id") and str(origin.get("party") or "").startswith("unregistered:")
    })
    return {
        "claims": [ledger_claim(claim) for claim in iter_claims(conn)],
        "clusters": clusters,
        "unregistered_sources": unregistered,
    }
