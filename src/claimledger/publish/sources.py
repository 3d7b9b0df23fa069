"""The sources view: every name the reports cite, resolved against the source registry,
with how many claims each originated (last hop of a chain, or the outlet of a claim the
document asserts itself), relayed (an earlier hop) and published (as the outlet).

Building the ledger (`pipeline.assess_ledger`) counts all of this once, with each
source's track record, into the `sources` table and lists the claims each originated or
relayed in `source_claims` (`precompute_sources`); the pages read those. When the claims
have changed since that build (documents ingested without rebuilding), or on a ledger
built before those tables existed, the index is built from a few grouped queries
instead (`build_index`, resolving each distinct name once). Either way it is kept until
the ledger changes (its documents, claims, groups or overrides).
"""

from __future__ import annotations

import threading
import weakref
from collections import Counter, OrderedDict
from dataclasses import dataclass, field
from functools import lru_cache

import yaml
from sqlalchemy import Connection, and_, exists, func, literal_column, select, union

from ..assess.corroboration import resolve_origin
from ..assess.registry import UNREGISTERED_GRADE, Entry, Registry
from ..store import schema
from ..store.db import SOURCES_TRACK_STALE, content_fingerprint
from . import queries

c, d, h, g, o = schema.claims, schema.documents, schema.hops, schema.claim_grades, schema.overrides
sr, sc, st = schema.sources, schema.source_claims, schema.ledger_state


def resolve_source(name: str, registry: Registry) -> tuple[str, str, Entry | None]:
    """(key, display name, registry entry) of a cited name, as the assessment resolves
    origins ("the defense publisher Global Defense Corp." is Global Defense Corp.): the one
    place where publishing asks which source a name stands for."""
    origin = resolve_origin(name, registry, {})
    if origin.registry_id:
        return origin.registry_id, origin.name, origin.entry
    return unregistered_key(name), name, None


@lru_cache(maxsize=8)
def country_names(files: tuple[str, ...]) -> dict[str, str]:
    """ISO code -> country name: the first word of each place in the registry's lexicon."""
    names: dict[str, str] = {}
    for path in files:
        with open(path, encoding="utf-8") as handle:
            data = yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
        for code, words in ((data.get("lexicon") or {}).get("places") or {}).items():
            if words:
                names[str(code).upper()] = str(words[0])
    return names


def unregistered_key(name: str) -> str:
    """How the assessment names a source the registry does not know (and how an analyst's
    reliability override for it is keyed)."""
    normal = " ".join(name.lower().replace("\u2019", "'").split()).removeprefix("the ")
    return f"unregistered:{normal}"


@dataclass
class Source:
    key: str  # registry id, or "unregistered:<name>"
    name: str
    entry: Entry | None = None
    names: set[str] = field(default_factory=set)  # the spellings the reports use
    kinds: Counter = field(default_factory=Counter)
    originated: int = 0
    relayed: int = 0
    published: int = 0
    reliability_override: str | None = None
    # Counted when the ledger was built (None when the index was built from the claims,
    # or decisions were made since): claims, groups, confirmed, refuted, credibility.
    track: dict | None = None
    listed: bool = False  # its claims listed when the ledger was built (`source_claims`)

    @property
    def reliability(self) -> str:
        if self.reliability_override:
            return self.reliability_override
        return self.entry.reliability if self.entry else UNREGISTERED_GRADE

    @property
    def kind(self) -> str | None:
        if self.entry:
            return self.entry.kind
        return self.kinds.most_common(1)[0][0] if self.kinds else None

    def as_dict(self, registry: Registry | None = None) -> dict:
        entry = self.entry
        return {
            "key": self.key,
            "name": self.name,
            "registry_id": entry.id if entry else None,
            "kind": self.kind,
            "country": entry.country if entry else None,
            "party": (registry.party_of(entry) if registry else entry.party) if entry else None,
            "conflicts": [{"conflict": cid, "side": side} for cid, side in entry.conflicts] if entry else [],
            "reliability": self.reliability,
            "registry_reliability": entry.reliability if entry else None,
            "reliability_override": self.reliability_override,
            "reason": entry.reason if entry else None,
            "aliases": list(entry.aliases) if entry else [],
            "url": entry.url if entry else None,
            "names": sorted(self.names),
            "originated": self.originated,
            "relayed": self.relayed,
            "published": self.published,
        }


class SourceIndex:
    """All sources of the ledger, by key, and each cited spelling's key."""

    def __init__(self, registry: Registry):
        self.registry = registry
        self.sources: dict[str, Source] = {}
        self.key_of: dict[str, str] = {}
        self._spellings: dict[str, str] | None = None

    def source_for(self, name: str) -> Source:
        key = self.key_of.get(name)
        if key is None:
            key, display, entry = resolve_source(name, self.registry)
            self.key_of[name] = key
            if key not in self.sources:
                self.sources[key] = Source(key, display, entry)
        source = self.sources[key]
        source.names.add(name)
        return source

    def get(self, key: str) -> Source | None:
        return self.sources.get(key)

    def lookup(self, key: str) -> Source | None:
        """The source `key` for its own page: one the reports cite; else an anonymous
        origin as the assessment names it after the outlet that quotes it ("officials
        (via Harbor Wire)"), whose page is that of the phrase ("officials") or else of
        the outlet; else an entry of the registry they do not cite by that name (nothing
        counted for it); else None."""
        found = self.sources.get(key)
        if found is None and key.startswith("unregistered:") and key.endswith(")") and " (via " in key:
            at = key.rindex(" (via ")
            for phrase in (key[:at], "unregistered:" + key[at + len(" (via "):-1]):
                found = self.sources.get(self._spelled().get(phrase, ""))
                if found is not None:
                    break
        if found is None and (entry := self.registry.get(key)) is not None:
            found = Source(key, entry.name, entry)
        return found

    def _spelled(self) -> dict[str, str]:
        """Each cited spelling, normalized as `unregistered_key` does, mapped to its key."""
        if self._spellings is None:
            self._spellings = {unregistered_key(name): key for name, key in self.key_of.items()}
        return self._spellings

    def find(self, text: str, limit: int = 20) -> list[Source]:
        needle = text.casefold()
        hits = [s for s in self.sources.values()
                if needle in s.name.casefold() or any(needle in n.casefold() for n in s.names)]
        return sorted(hits, key=lambda s: -(s.originated + s.relayed + s.published))[:limit]

    def ranked(self, kind: str | None = None) -> list[Source]:
        items = [s for s in self.sources.values() if kind is None or s.kind == kind]
        return sorted(items, key=lambda s: (-s.originated, -s.relayed, -s.published, s.name.casefold()))


def _last_hops():
    return (
        select(h.c.claim_id, h.c.chain, func.max(h.c.position).label("last"))
        .group_by(h.c.claim_id, h.c.chain)
        .subquery()
    )


def _current_ids():
    return select(c.c.id).select_from(queries._current_claims())


def build_index(conn: Connection, registry: Registry) -> SourceIndex:
    index = SourceIndex(registry)
    last = _last_hops()
    is_origin = (h.c.position == last.c.last).label("is_origin")
    rows = conn.execute(
        select(h.c.name, h.c.kind, is_origin, func.count(func.distinct(h.c.claim_id)))
        .select_from(h.join(last, and_(last.c.claim_id == h.c.claim_id, last.c.chain == h.c.chain)))
        .where(h.c.claim_id.in_(_current_ids()))
        .group_by(h.c.name, h.c.kind, is_origin)
    )
    for name, kind, origin, count in rows:
        source = index.source_for(name)
        source.kinds[kind] += count
        if origin:
            source.originated += count
        else:
            source.relayed += count
    own = conn.execute(
        select(c.c.outlet, func.count())
        .select_from(queries._current_claims())
        .where(c.c.outlet.is_not(None), ~exists().where(h.c.claim_id == c.c.id))
        .group_by(c.c.outlet)
    )
    for outlet, count in own:
        index.source_for(outlet).originated += count
    published = conn.execute(
        select(c.c.outlet, func.count()).select_from(queries._current_claims())
        .where(c.c.outlet.is_not(None)).group_by(c.c.outlet)
    )
    for outlet, count in published:
        index.source_for(outlet).published += count
    _apply_reliability(conn, index)
    return index


def precompute_sources(claims: list[dict], clusters: list[dict], registry: Registry) -> tuple[list[dict], list[dict]]:
    """The rows of the `sources` and `source_claims` tables for the ledger's `claims`
    (its records, with `cluster` and `grade`) and `clusters` (whose `overrides` hold the
    analysts' active decisions, already following their groups)."""
    index = SourceIndex(registry)
    roles: dict[tuple[str, str], dict[str, str | None]] = {}
    kinds: dict[str, dict[str, set]] = {}

    def add(source: Source, role: str, claim: dict) -> None:
        roles.setdefault((source.key, role), {})[claim["id"]] = claim.get("published")

    for claim in claims:
        chains = claim.get("chains") or []
        for chain in chains:
            for position, hop in enumerate(chain):
                source = index.source_for(hop["name"])
                add(source, "originated" if position == len(chain) - 1 else "relayed", claim)
                kinds.setdefault(source.key, {}).setdefault(hop.get("kind"), set()).add(claim["id"])
        outlet = claim.get("outlet")
        if outlet:
            source = index.source_for(outlet)
            source.published += 1
            if not chains:
                add(source, "originated", claim)
    by_id = {claim["id"]: claim for claim in claims}
    verdicts = {}
    for cluster in clusters:
        for o in cluster.get("overrides") or []:
            if o.get("action") in ("confirm", "refute") and o.get("active", True):
                verdicts[o.get("id") or (o["target"], o["target_id"], o["action"])] = o
    source_rows, claim_rows = [], []
    for source in index.sources.values():
        originated = roles.get((source.key, "originated"), {})
        relayed = roles.get((source.key, "relayed"), {})
        source.originated, source.relayed = len(originated), len(relayed)
        for kind, ids in kinds.get(source.key, {}).items():
            source.kinds[kind] = len(ids)
        credibility: Counter = Counter()
        groups: set[str] = set()
        for claim_id in originated:
            claim = by_id[claim_id]
            credibility[(claim.get("grade") or "")[-1:]] += 1
            if claim.get("cluster"):
                groups.add(claim["cluster"])
        counted: Counter = Counter()
        for o in verdicts.values():
            if (o["target"] == "claim" and o["target_id"] in originated) or (
                o["target"] == "cluster" and o["target_id"] in groups
            ):
                counted[o["action"]] += 1
        source_rows.append({
            "name": source.key, "registry_id": source.entry.id if source.entry else None, "kind": source.kind,
            "claims": source.originated, "display_name": source.name, "names": sorted(source.names),
            "kinds": {str(k): n for k, n in source.kinds.items()}, "originated": source.originated,
            "relayed": source.relayed, "published": source.published, "confirmed": counted["confirm"],
            "refuted": counted["refute"], "groups": len(groups),
            "credibility": {str(n): credibility.get(str(n), 0) for n in range(1, 7)},
            "group_ids": sorted(groups),
        })
        for role, ids in (("originated", originated), ("relayed", relayed)):
            claim_rows.extend({"source": source.key, "role": role, "claim_id": claim_id, "published": published}
                              for claim_id, published in ids.items())
    return source_rows, claim_rows


def load_index(conn: Connection, registry: Registry) -> SourceIndex | None:
    """The index as counted when the ledger was built; None when there is no such count
    or the claims have changed since. After analysts' decisions (the claims unchanged)
    the counts hold but the track records do not: those are read from the grades."""
    states = dict(conn.execute(select(st.c.name, st.c.value).where(st.c.name.in_(("sources", SOURCES_TRACK_STALE)))).all())
    stamp = states.get("sources")
    if stamp is None or list(stamp) != content_fingerprint(conn):
        return None
    tracked = not states.get(SOURCES_TRACK_STALE)
    index = SourceIndex(registry)
    columns = [sr.c[name] for name in ("name", "registry_id", "display_name", "names", "kinds", "originated",
                                      "relayed", "published", "confirmed", "refuted", "groups", "credibility")]
    for row in conn.execute(select(*columns)):
        entry = registry.get(row.registry_id) if row.registry_id else None
        source = Source(
            row.name, row.display_name or (entry.name if entry else row.name), entry, set(row.names or []),
            Counter(row.kinds or {}), row.originated or 0, row.relayed or 0, row.published or 0,
            track={"claims": row.originated or 0, "groups": row.groups or 0, "confirmed": row.confirmed or 0,
                   "refuted": row.refuted or 0, "credibility": dict(row.credibility or {})} if tracked else None,
            listed=True,
        )
        index.sources[source.key] = source
        for name in source.names:
            index.key_of[name] = source.key
    _apply_reliability(conn, index)
    return index


def _apply_reliability(conn: Connection, index: SourceIndex) -> None:
    for target_id, value in conn.execute(
        select(o.c.target_id, o.c.value).where(
            o.c.target == "source", o.c.action == "reliability", o.c.active.is_(True)
        ).order_by(o.c.id)
    ):
        source = index.sources.get(target_id)
        if source is not None:
            source.reliability_override = value


ANSWERS = 64  # the answers of searches and big pages kept per state of the ledger


class SourceCache:
    """The sources index and other whole-ledger summaries (counts, facets), and the
    most recently asked ANSWERS answers of the costly reads (a search, a big group's
    page), kept until the ledger's documents, claims, groups or overrides change."""

    def __init__(self, registry: Registry):
        self.registry = registry
        self._lock = threading.Lock()
        self._fingerprint: tuple | None = None
        self._memo: dict = {}
        self._answers: OrderedDict = OrderedDict()
        self._checked: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # connection: fingerprint

    @staticmethod
    def fingerprint(conn: Connection) -> tuple:
        # The newest row: SQLite's rowid is free to read, a scan of ingested_at is not.
        # One statement, each part on its own: a max beside a count would scan an index.
        newest = literal_column("max(rowid)") if conn.dialect.name == "sqlite" else func.max(d.c.ingested_at)
        parts = (select(func.count()).select_from(d), select(newest).select_from(d), select(func.count()).select_from(c),
                 select(func.count()).select_from(schema.clusters), select(func.max(schema.clusters.c.latest)),
                 select(func.max(o.c.id)))
        return tuple(conn.execute(select(*(part.scalar_subquery() for part in parts))).one())

    def _state(self, conn: Connection) -> tuple:
        """The ledger's state as this connection sees it (read once per connection: a
        page asking for several summaries checks it once). Returns with the lock held,
        what was kept for an earlier state dropped."""
        with self._lock:
            fingerprint = self._checked.get(conn)
        if fingerprint is None:
            fingerprint = self.fingerprint(conn)
        self._lock.acquire()
        self._checked[conn] = fingerprint
        if fingerprint != self._fingerprint:
            self._memo = {}
            self._answers = OrderedDict()
            self._fingerprint = fingerprint
        return fingerprint

    def memo(self, conn: Connection, name: str, compute):
        """`compute(conn)`, computed once per state of the ledger."""
        self._state(conn)
        try:
            if name not in self._memo:
                self._memo[name] = compute(conn)
            return self._memo[name]
        finally:
            self._lock.release()

    def answer(self, conn: Connection, key: tuple, compute):
        """`compute(conn)`, kept for this state of the ledger under `key` (the route and
        its parameters) among the ANSWERS most recently asked. Computed outside the lock:
        two requests for the same answer may both compute it. What it returns is shared
        by every request that asks: never change it."""
        fingerprint = self._state(conn)
        try:
            if key in self._answers:
                self._answers.move_to_end(key)
                return self._answers[key]
        finally:
            self._lock.release()
        value = compute(conn)
        with self._lock:
            if self._fingerprint == fingerprint:
                self._answers[key] = value
                while len(self._answers) > ANSWERS:
                    self._answers.popitem(last=False)
        return value

    def get(self, conn: Connection) -> SourceIndex:
        return self.memo(conn, "sources", lambda connection: (
            load_index(connection, self.registry) or build_index(connection, self.registry)
        ))


def _claims_of(source: Source, role: str):
    """A condition on claims: this source originated them (it is the last hop of a chain,
    or the outlet of a claim without chains) or relayed them (an earlier hop)."""
    later = h.alias("later")
    is_last = ~exists().where(later.c.claim_id == h.c.claim_id, later.c.chain == h.c.chain,
                              later.c.position > h.c.position)
    names = sorted(source.names)
    position = is_last if role == "originated" else ~is_last
    via_hops = select(h.c.claim_id).where(h.c.name.in_(names), position)
    if role != "originated":
        return c.c.id.in_(via_hops)
    # A union, not an OR: each half uses its own index.
    own = select(c.c.id).where(c.c.outlet.in_(names), ~exists().where(h.c.claim_id == c.c.id))
    return c.c.id.in_(union(via_hops, own))


def source_claims(conn: Connection, source: Source, role: str, limit: int = 50, offset: int = 0) -> queries.Page:
    if source.listed:  # listed when the ledger was built: read the page of ids
        ids = list(conn.execute(
            select(sc.c.claim_id).where(sc.c.source == source.key, sc.c.role == role)
            .order_by(sc.c.published.desc(), sc.c.claim_id).limit(limit).offset(offset)
        ).scalars())
        total = source.originated if role == "originated" else source.relayed
        return queries.Page(queries._claims_in_order(conn, ids), total, limit, offset)
    query = queries._claims_select().where(_claims_of(source, role))
    total = source.originated if role == "originated" else source.relayed  # counted by the index
    rows = conn.execute(query.order_by(c.c.published.desc(), c.c.id).limit(limit).offset(offset))
    return queries.Page([queries.claim_dict(r) for r in rows], total, limit, offset)


def track_record(conn: Connection, source: Source) -> dict:
    """How the claims this source originated have fared: their grades' credibility, and
    the analysts' confirmations and refutations of them or of their groups."""
    if source.track is not None:  # counted when the ledger was built
        group_ids = conn.execute(select(sr.c.group_ids).where(sr.c.name == source.key)).scalar()
        return {**source.track, "credibility": dict(source.track["credibility"]), "group_ids": list(group_ids or [])}
    ids = list(conn.execute(
        select(c.c.id).select_from(queries._current_claims()).where(_claims_of(source, "originated"))
    ).scalars())
    credibility: Counter = Counter()
    clusters: set[str] = set()
    for start in range(0, len(ids), 500):
        for grade, cluster_id in conn.execute(
            select(g.c.grade, g.c.cluster_id).where(g.c.claim_id.in_(ids[start : start + 500]))
        ):
            credibility[grade[-1:]] += 1
            clusters.add(cluster_id)
    verdicts: Counter = Counter()
    claim_ids = set(ids)
    for target, target_id, action in conn.execute(  # the active verdicts are few: read them all
        select(o.c.target, o.c.target_id, o.c.action)
        .where(o.c.active.is_(True), o.c.action.in_(("confirm", "refute")))
    ):
        if (target == "claim" and target_id in claim_ids) or (target == "cluster" and target_id in clusters):
            verdicts[action] += 1
    return {
        "claims": len(ids),
        "groups": len(clusters),
        "confirmed": verdicts["confirm"],
        "refuted": verdicts["refute"],
        "credibility": {str(n): credibility.get(str(n), 0) for n in range(1, 7)},
        "group_ids": sorted(clusters),
    }
