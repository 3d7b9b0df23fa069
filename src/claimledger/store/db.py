"""The ledger: store documents with their claims, record analysts' decisions, read them
back (opening the database: `engine.py`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import (
    Connection,
    Engine,
    String,
    cast,
    func,
    literal_column,
    select,
    update,
)
from sqlalchemy.exc import SQLAlchemyError

from .. import settings
from ..errors import StoreError
from ..models import Claim, Document, QuotedBlock
from . import schema
from .engine import connect, failure, lock_for_writing
from .migrations import fill_claim_rowids

# What an analyst may decide, per target. merge: value is the cluster id to merge into;
# split: the claim leaves its group for a group of its own; reliability: value A-F.
OVERRIDE_ACTIONS = {
    "source": {"reliability"},
    "claim": {"confirm", "refute", "split"},
    "cluster": {"merge", "confirm", "refute"},
}
# The actions that answer "is it true?": one replaces the other on the same target.
VERDICTS = ("confirm", "refute")
# The longest metadata a document may carry, by column (PostgreSQL enforces the lengths
# of schema.documents; SQLite would not, so the ledger checks them for both).
METADATA_LIMITS = {"id": 2000, "outlet": 500, "language": 20, "published": 40, "input_kind": 20}


def _too_long(doc: Document) -> str | None:
    for name, limit in METADATA_LIMITS.items():
        value = getattr(doc, name)
        if value is not None and len(value) > limit:
            return f"the document's {name} is {len(value):,} characters long, above the ledger's limit of {limit:,}"
    return None


def _clip(value: str | None, limit: int) -> str | None:
    """A lookup column's copy of a name the extraction found (the record keeps it whole)."""
    return value[:limit] if value and len(value) > limit else value


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class StoreResult:
    status: str  # stored, unchanged, new_version
    version_id: str
    near_copy_of: str | None = None


class Ledger:
    """One ledger database. Each document is stored in one transaction with its claims."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self._near = None  # nearcopy.NearCopyIndex, built at the first store

    # -- documents -----------------------------------------------------------------

    def _near_index(self):
        # Imported here: MinHash (datasketch, scipy) costs 60 MB and half a second, which
        # the web app and the exports, never storing a document, need not pay.
        from . import nearcopy

        if self._near is None:
            index = nearcopy.NearCopyIndex(float(settings.get("near_copy_threshold")))
            query = select(schema.documents.c.version_id, schema.documents.c.minhash).where(
                schema.documents.c.current.is_(True), schema.documents.c.minhash.is_not(None)
            )
            with self.engine.connect() as conn:
                for version_id, blob in conn.execute(query):
                    index.add(version_id, nearcopy.from_bytes(blob))
            self._near = index
        return self._near

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """A transaction holding the write lock (`lock_for_writing`) from its start."""
        with self.engine.begin() as conn:
            lock_for_writing(conn)
            yield conn

    def store(self, doc: Document, claims: Iterable[Claim]) -> StoreResult:
        """Store one document version and its claims, atomically; idempotent.

        Whatever goes wrong is this document's failure (a StoreError naming its file):
        its transaction is rolled back and the ledger is as it was.
        """
        from . import nearcopy  # see _near_index

        t = schema.documents
        version_id = doc.content_hash
        claims = list(claims)
        problem = _too_long(doc)
        if problem:
            raise StoreError.of_document(problem, doc.source_path, doc.input_kind)
        try:
            with self.writing() as conn:
                if conn.execute(select(t.c.version_id).where(t.c.version_id == version_id)).first():
                    return StoreResult("unchanged", version_id)
                previous = conn.execute(
                    select(func.max(t.c.version)).where(t.c.doc_id == doc.id)
                ).scalar()
                signature = nearcopy.signature(doc.text)
                same_doc = set(
                    conn.execute(select(t.c.version_id).where(t.c.doc_id == doc.id)).scalars()
                )
                match = self._near_index().best_match(signature, exclude=same_doc)
                if previous is not None:
                    conn.execute(update(t).where(t.c.doc_id == doc.id).values(current=False))
                conn.execute(
                    t.insert().values(
                        version_id=version_id,
                        doc_id=doc.id,
                        version=(previous or 0) + 1,
                        current=True,
                        text=doc.text,
                        source_path=doc.source_path,
                        input_kind=doc.input_kind,
                        url=doc.url,
                        outlet=doc.outlet,
                        published=doc.published,
                        title=doc.title,
                        language=doc.language,
                        quoted=[[q.start, q.end, q.cite] for q in doc.quoted],
                        minhash=nearcopy.to_bytes(signature),
                        near_copy_of=match[0] if match else None,
                        near_copy_similarity=match[1] if match else None,
                        ingested_at=_now(),
                    )
                )
                self._insert_claims(conn, version_id, claims)
        except (SQLAlchemyError, UnicodeError, ValueError) as exc:
            raise StoreError.of_document(f"cannot store this document: {failure(exc)}", doc.source_path,
                                         doc.input_kind) from exc
        self._near_index().add(version_id, signature)
        status = "new_version" if previous is not None else "stored"
        return StoreResult(status, version_id, match[0] if match else None)

    def _insert_claims(self, conn, version_id: str, claims: Iterable[Claim]) -> None:
        claim_rows, hop_rows = [], []
        for claim in claims:
            origin = _clip(claim.chains[0][-1].name if claim.chains else claim.outlet, 500)
            quantity = claim.quantity
            claim_rows.append(
                {
                    "id": claim.id,
                    "version_id": version_id,
                    "doc_id": claim.doc,
                    "kind": claim.kind,
                    "event": claim.event,
                    "stance": claim.stance,
                    "value": quantity.value if quantity else None,
                    "low": quantity.low if quantity else None,
                    "high": quantity.high if quantity else None,
                    "subject": claim.subject,
                    "location": claim.location,
                    "time_date": claim.time.date if claim.time else None,
                    "outlet": claim.outlet,
                    "published": claim.published,
                    "origin": origin,
                    "text": claim.text,
                    "record": claim.to_json(),
                }
            )
            for c, chain in enumerate(claim.chains):
                for p, hop in enumerate(chain):
                    hop_rows.append(
                        {"claim_id": claim.id, "chain": c, "position": p, "name": _clip(hop.name, 500),
                         "kind": hop.kind, "cue": _clip(hop.cue, 200), "quote": hop.quote}
                    )
        if claim_rows:
            # A claim id hashes the document id, so an edited version re-uses ids: replace.
            ids = [row["id"] for row in claim_rows]
            conn.execute(schema.hops.delete().where(schema.hops.c.claim_id.in_(ids)))
            conn.execute(schema.claim_grades.delete().where(schema.claim_grades.c.claim_id.in_(ids)))
            conn.execute(schema.claims.delete().where(schema.claims.c.id.in_(ids)))
            conn.execute(schema.claims.insert(), claim_rows)
        if hop_rows:
            conn.execute(schema.hops.insert(), hop_rows)

    # -- analyst overrides -------------------------------------------------------------

    def add_override(
        self, target: str, target_id: str, action: str, value: str | None, who: str, why: str,
        members: list[str] | None = None,
    ) -> int:
        """Record an analyst's decision; it is applied at every rebuild and never lost.

        A new override of the same target and action replaces the previous one, which
        stays in the table (inactive) as the audit trail. Confirm and refute are two
        answers to one question: a new verdict on a target replaces an earlier verdict of
        either kind, so that one target never carries both.
        """
        if target not in OVERRIDE_ACTIONS or action not in OVERRIDE_ACTIONS[target]:
            raise StoreError(f"unknown override {target}/{action}")
        if not who.strip() or not why.strip():
            raise StoreError("an override needs who made it and why")
        if any("\x00" in text for text in (target_id, value or "", who, why, *(members or ()))):
            raise StoreError("an override cannot hold a NUL character")
        if len(target_id) > METADATA_LIMITS["id"] or len(who) > 200:
            raise StoreError("an override's target id is limited to 2,000 characters, who made it to 200")
        t = schema.overrides
        members = members or self._members(target, target_id)
        with self.writing() as conn:
            replaces = VERDICTS if action in VERDICTS else (action,)
            conn.execute(
                update(t)
                .where(t.c.target == target, t.c.target_id == target_id, t.c.action.in_(replaces),
                       t.c.active.is_(True))
                .values(active=False)
            )
            result = conn.execute(
                t.insert().values(
                    target=target, target_id=target_id, action=action, value=value,
                    who=who, why=why, at=_now(), active=True, members=members,
                )
            )
            return result.inserted_primary_key[0]

    def undo_override(self, override_id: int, who: str, why: str) -> int:
        """Reverse a decision in force with a new one, kept in the audit trail (action
        "undo", value the reversed decision's id, never itself in force): the decision
        stops applying and the one it had replaced, if any, applies again."""
        if not who.strip() or not why.strip():
            raise StoreError("an undo needs who made it and why")
        if "\x00" in who + why:
            raise StoreError("an undo cannot hold a NUL character")
        t = schema.overrides
        with self.writing() as conn:
            row = conn.execute(select(t).where(t.c.id == override_id)).first()
            if row is None or row.action == "undo":
                raise StoreError(f"no decision #{override_id} to undo")
            if not row.active:
                raise StoreError(f"decision #{override_id} is no longer in force")
            undone = select(t.c.value).where(t.c.action == "undo")
            replaced = conn.execute(
                select(t.c.id).where(
                    t.c.target == row.target, t.c.target_id == row.target_id, t.c.id < override_id,
                    t.c.action.in_(VERDICTS if row.action in VERDICTS else (row.action,)),
                    t.c.active.is_(False), cast(t.c.id, String).not_in(undone),
                ).order_by(t.c.id.desc()).limit(1)
            ).scalar()
            conn.execute(update(t).where(t.c.id == override_id).values(active=False))
            if replaced is not None:
                conn.execute(update(t).where(t.c.id == replaced).values(active=True))
            result = conn.execute(t.insert().values(
                target=row.target, target_id=row.target_id, action="undo", value=str(override_id),
                who=who, why=why, at=_now(), active=False, members=row.members,
            ))
            return result.inserted_primary_key[0]

    def _members(self, target: str, target_id: str) -> list[str] | None:
        if target != "cluster":
            return None
        t = schema.claim_grades
        with self.engine.connect() as conn:
            return list(conn.execute(select(t.c.claim_id).where(t.c.cluster_id == target_id)).scalars()) or None

    def overrides(self, active_only: bool = True) -> list[dict]:
        t = schema.overrides
        query = select(t).order_by(t.c.id)
        if active_only:
            query = query.where(t.c.active.is_(True))
        with self.engine.connect() as conn:
            return [dict(row._mapping) for row in conn.execute(query)]

    # -- reading -------------------------------------------------------------------

    def has_version(self, version_id: str) -> bool:
        t = schema.documents
        with self.engine.connect() as conn:
            return conn.execute(select(t.c.version_id).where(t.c.version_id == version_id)).first() is not None

    def documents(self, current_only: bool = True) -> Iterator[Document]:
        t = schema.documents
        query = select(t).order_by(t.c.doc_id, t.c.version)
        if current_only:
            query = query.where(t.c.current.is_(True))
        with self.engine.connect() as conn:
            for row in conn.execute(query):
                yield _document(row)

    def document(self, doc_id: str) -> Document | None:
        t = schema.documents
        query = select(t).where(t.c.doc_id == doc_id, t.c.current.is_(True))
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        return _document(row) if row else None

    def claims(self, current_only: bool = True) -> Iterator[Claim]:
        c, d = schema.claims, schema.documents
        query = select(c.c.record).order_by(c.c.doc_id, c.c.id)
        if current_only:
            query = query.join(d, d.c.version_id == c.c.version_id).where(d.c.current.is_(True))
        with self.engine.connect() as conn:
            for (record,) in conn.execute(query):
                yield Claim.from_json(record)

    def replace_assessment(self, cluster_rows: list[dict], grade_rows: list[dict]) -> None:
        """Swap in freshly computed groups and grades, in one transaction. (What is
        counted from them is dropped, to be read from the claims until the next
        `store_assessment`.)"""
        with self.writing() as conn:
            conn.execute(schema.cluster_summaries.delete())
            conn.execute(schema.ledger_state.delete().where(schema.ledger_state.c.name == "sources"))
            conn.execute(schema.claim_grades.delete())
            conn.execute(schema.clusters.delete())
            for start in range(0, len(cluster_rows), 5000):
                conn.execute(schema.clusters.insert(), cluster_rows[start : start + 5000])
            for start in range(0, len(grade_rows), 5000):
                conn.execute(schema.claim_grades.insert(), grade_rows[start : start + 5000])

    def store_assessment(
        self, cluster_rows: list[dict], grade_rows: list[dict], summary_rows: list[dict] = (),
        source_rows: list[dict] = (), source_claim_rows: list[dict] = (), stamp: list | None = None,
        then: Callable[[Connection], None] | None = None,
    ) -> None:
        """Swap in groups, grades and what is counted from them (group summaries, the
        sources and the claims each originated or relayed) in one transaction; `stamp`
        (`content_fingerprint()` taken before the claims were read) records which state
        of the claims the sources were counted from; `then(conn)` stores more in the same
        transaction (the matching state)."""
        tables = (
            (schema.claim_grades, grade_rows), (schema.clusters, cluster_rows),
            (schema.cluster_summaries, summary_rows), (schema.source_claims, source_claim_rows),
            (schema.sources, source_rows),
        )
        with self.writing() as conn:
            for table, _ in tables:
                conn.execute(table.delete())
            conn.execute(schema.ledger_state.delete().where(
                schema.ledger_state.c.name.in_(("sources", SOURCES_TRACK_STALE))))
            for table, rows in reversed(tables):
                rows = list(rows)
                for start in range(0, len(rows), 5000):
                    conn.execute(table.insert(), rows[start : start + 5000])
            if conn.dialect.name == "sqlite":
                fill_claim_rowids(conn)
            if stamp is not None:
                conn.execute(schema.ledger_state.insert().values(name="sources", value=stamp))
            if then is not None:
                then(conn)

    def assessed_stamp(self) -> list | None:
        """The `content_fingerprint()` the stored assessment was made from (None if none):
        "assessed", kept by every assessment, else (a ledger assessed by an older version)
        "sources", kept by the full one with the sources it counted."""
        with self.engine.connect() as conn:
            value = state_value(conn, "assessed")
            if value is None:
                value = state_value(conn, "sources")
        return list(value) if value is not None else None

    def story_roots(self) -> dict[str, str]:
        """Each current document's id mapped to the id of the story it copies (itself when
        it is no near-copy), so that syndicated copies count as one report."""
        with self.engine.connect() as conn:
            return story_roots(conn)

    def claim_versions(self) -> dict[str, str]:
        """Claim id -> version id of every current claim."""
        c, d = schema.claims, schema.documents
        query = select(c.c.id, c.c.version_id).join(d, d.c.version_id == c.c.version_id).where(d.c.current.is_(True))
        with self.engine.connect() as conn:
            return dict(conn.execute(query).all())

    def content_fingerprint(self) -> list:
        with self.engine.connect() as conn:
            return content_fingerprint(conn)

    def rebuild_search_index(self) -> bool:
        """Index every claim for full-text search again; False where there is no index
        (PostgreSQL, or SQLite without FTS5)."""
        from .migrations import FTS_TABLE, rebuild_claims_fts

        with self.writing() as conn:
            if conn.dialect.name != "sqlite" or not conn.exec_driver_sql(
                "SELECT 1 FROM sqlite_master WHERE name = ?", (FTS_TABLE,)
            ).first():
                return False
            rebuild_claims_fts(conn)
        return True

    def counts(self) -> dict[str, int]:
        d, c = schema.documents, schema.claims
        with self.engine.connect() as conn:
            return {
                "documents": conn.execute(
                    select(func.count()).select_from(d).where(d.c.current.is_(True))
                ).scalar_one(),
                "versions": conn.execute(select(func.count()).select_from(d)).scalar_one(),
                "near_copies": conn.execute(
                    select(func.count()).select_from(d).where(
                        d.c.current.is_(True), d.c.near_copy_of.is_not(None)
                    )
                ).scalar_one(),
                "claims": conn.execute(
                    select(func.count())
                    .select_from(c.join(d, d.c.version_id == c.c.version_id))
                    .where(d.c.current.is_(True))
                ).scalar_one(),
            }


def story_roots(conn) -> dict[str, str]:
    """Each current document's id mapped to the id of the story it copies (itself when it
    is no near-copy), so that syndicated copies count as one report."""
    t = schema.documents
    rows = conn.execute(select(t.c.version_id, t.c.doc_id, t.c.near_copy_of, t.c.current)).all()
    doc_of = {version: doc for version, doc, _, _ in rows}
    parent = {doc: doc_of.get(copy, doc) if copy else doc for _, doc, copy, current in rows if current}
    roots = {}
    for doc in parent:
        seen, root = set(), doc
        while parent.get(root, root) != root and root not in seen:
            seen.add(root)
            root = parent[root]
        roots[doc] = root
    return roots


# A `ledger_state` fact: analysts' decisions since the sources were counted, whose track
# records (grades, verdicts) are then read from the grades (`publish.sources.load_index`).
SOURCES_TRACK_STALE = "sources_track_stale"


def state_value(conn, name: str):
    """A fact about the stored assessment (`ledger_state`), or None."""
    st = schema.ledger_state
    return conn.execute(select(st.c.value).where(st.c.name == name)).scalar()


def set_state_values(conn, values: dict) -> None:
    st = schema.ledger_state
    conn.execute(st.delete().where(st.c.name.in_(list(values))))
    conn.execute(st.insert(), [{"name": name, "value": value} for name, value in values.items() if value is not None])


def content_fingerprint(conn) -> list:
    """What changes whenever documents or claims are stored or replaced: their counts
    and newest rows (SQLite's rowid is free to read; elsewhere the newest ingestion)."""
    d, c = schema.documents, schema.claims
    if conn.dialect.name == "sqlite":
        newest_doc, newest_claim = literal_column("max(rowid)"), literal_column("max(rowid)")
    else:
        newest_doc, newest_claim = func.max(d.c.ingested_at), func.max(c.c.id)
    docs = conn.execute(select(func.count(), newest_doc).select_from(d)).one()
    claims = conn.execute(select(func.count(), newest_claim).select_from(c)).one()
    return [*docs, *claims]


def _document(row) -> Document:
    return Document(
        id=row.doc_id,
        text=row.text,
        source_path=row.source_path,
        input_kind=row.input_kind,
        url=row.url,
        outlet=row.outlet,
        published=row.published,
        title=row.title,
        language=row.language,
        quoted=tuple(QuotedBlock(s, e, cite) for s, e, cite in row.quoted),
    )


def open_ledger(db: str | None = None) -> Ledger:
    """Open (creating and migrating as needed) the ledger at a path or SQLAlchemy URL."""
    return Ledger(connect(db or settings.get("db")))
