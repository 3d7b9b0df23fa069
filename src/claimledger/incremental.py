"""The assessment kept current without redoing it: after an ingest or an analyst's
decision, only the groups the change can touch are grouped and graded again, with the
same result as assessing the whole ledger (`pipeline.assess_ledger`, which stays the
path for a ledger never assessed, changed rules or registry, or a change that touches a
large part of the ledger).

What a change can touch:
- matching compares each matched claim with the figures of its report and with its
  `neighbours` next in time in each of its buckets (`assess.groups.blocking_keys`), and
  groups form inside the components of those matches; so a group changes only when a
  claim of its component changes, or a claim enters or leaves a bucket within
  `neighbours` of one of its claims (the pairs around it shift);
- statements match through the first `STATEMENT_INDEX` statements of each word;
- a claim's frame reads its document; its origins read its document and, for a person,
  every report naming that person (the first to say who they are decides);
- a reliability setting changes the grades of the claims that cite that source;
- decisions on groups follow the claims those groups held, and merges join groups
  across components.
The region (whole components) is closed under all of these, grouped with the candidate
pairs the whole ledger gives its claims (read from the stored buckets) and graded; of
its old groups and grades, the rows that changed are rewritten. Decisions that change
grades only (verdicts, reliability settings) leave the grouping alone: they regrade the
groups they touch from their stored members, or apply to a group's stored basis
(`_decided_again`). After new or changed claims the sources' precomputed counts are
dropped (the web app counts them from the claims until the next full assessment); after
decisions only their track records are (read from the grades on each source's page).
"""

from __future__ import annotations

import itertools
import logging
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import Connection, bindparam, delete, exists, func, select, update

from . import settings
from .assess import groups
from .assess.context import origins_in_context, person_key
from .assess.frames import frames_of
from .assess.groups import DOC_PAIRS, _rules, compare, time_order
from .assess.ledger import (
    Decisions,
    assess_groups,
    claim_grade,
    collector_paused,
    decide_group,
    follow_decisions,
    grade_group,
    group_audit,
    group_with_decisions,
    source_settings,
    split_claims,
)
from .assess.registry import Registry, load_registry
from .assess.state import claim_state, derived_from, origins_from, origins_record, rules_fingerprint
from .extract import lexicon
from .models import Claim
from .store import Ledger, matching, schema
from .store.db import (
    SOURCES_TRACK_STALE,
    content_fingerprint,
    set_state_values,
    state_value,
    story_roots,
)
from .store.migrations import fill_claim_rowids

log = logging.getLogger(__name__)
BULK_UPDATE = 50  # claims given the same grade row at least this many: updated by chunks, not one by one
REGION_SHARE = 0.5  # above this share of the claims, a full assessment is as quick (measured: benchmarks/RESULTS.md)


@dataclass(frozen=True)
class Update:
    kind: str  # current (nothing to do), incremental, full
    claims: int = 0  # claims grouped and graded again
    groups: int = 0

    def as_dict(self) -> dict:
        return {"kind": self.kind, "claims": self.claims, "groups": self.groups}


class _TooLarge(Exception):
    """The region grew past REGION_SHARE: roll back, assess in full."""


def remember(conn: Connection, stamp: list, overrides: list[dict], registry: Registry) -> None:
    """Record what the stored assessment was made from: the claims' fingerprint, the
    decisions in force, the rules."""
    set_state_values(conn, {"assessed": stamp, "assessed_overrides": sorted(o["id"] for o in overrides),
                            "assessed_rules": rules_fingerprint(registry)})


def update_assessment(ledger: Ledger, registry: Registry | None = None) -> Update:
    """Bring the stored assessment up to date with the claims and the decisions in force:
    nothing when it is, the region a change touches when it can, else all of it."""
    registry = registry or load_registry(settings.get("registry_file") or None)
    try:
        with ledger.writing() as conn, collector_paused():
            result = _update(conn, registry)
    except _TooLarge:
        result = None
    if result is None:
        from .pipeline import assess_ledger  # (imports the extraction: only when needed)

        outcome = assess_ledger(ledger, registry)
        return Update("full", len(outcome["claims"]), len(outcome["clusters"]))
    return result


def _update(conn: Connection, registry: Registry) -> Update | None:
    if state_value(conn, "assessed_rules") != rules_fingerprint(registry) or state_value(conn, "assessed") is None:
        return None
    stamp = content_fingerprint(conn)
    overrides = _overrides(conn)
    before = set(state_value(conn, "assessed_overrides") or [])
    changed_overrides = [o for o in _overrides(conn, active=False) if (o["id"] in before) != o["active"]]
    claims_changed = stamp != list(state_value(conn, "assessed"))
    if not claims_changed and not changed_overrides:
        return Update("current")
    total = max(matching.count(conn), 1)
    roots = story_roots(conn)
    new, gone, changed_docs, rerooted = [], [], set(), set()
    if claims_changed:  # else only decisions changed: no need to look for new claims
        new, gone = matching.changes(conn)
        stored_roots = matching.stored_roots(conn)
        changed_docs = {doc for _, doc in new} | {doc for _, doc in gone}
        rerooted = {doc for doc, root in roots.items() if stored_roots.get(doc) != root}
        changed_docs |= rerooted
    if not claims_changed:
        update = _decided_again(conn, registry, overrides, changed_overrides, roots, total)
        if update is not None:
            _remember_decisions(conn, overrides)
            return update
    seeds: set[str] = set()
    for o in changed_overrides:
        touched = _touched_by(conn, o)
        if o["action"] in {"split", "reliability"}:  # what the claims are matched by, or their origins, change
            changed_docs |= {row["doc_id"] for row in matching.rows_of(conn, touched).values()}
        seeds |= touched
    region = _Region(conn, registry, overrides, total)
    region.derive_again(changed_docs, {claim_id for claim_id, _ in gone}, rerooted)
    region.grow(seeds)
    region.close()
    update = region.assess(roots)
    matching.write_roots(conn, {doc: roots[doc] for doc in changed_docs if doc in roots})
    gone_docs = [doc for doc in changed_docs if doc not in roots]
    if gone_docs:
        conn.execute(delete(schema.match_docs).where(schema.match_docs.c.doc_id.in_(gone_docs)))
    set_state_values(conn, {"assessed": stamp})
    _remember_decisions(conn, overrides)
    if claims_changed:  # the sources' counts are now read from the claims, until the next full assessment
        conn.execute(delete(schema.ledger_state).where(schema.ledger_state.c.name == "sources"))
    return update


def _remember_decisions(conn: Connection, overrides: list[dict]) -> None:
    """Record the decisions the stored assessment is made with. The sources' counts stay
    (they are counted from the claims), but not their track records (grades, verdicts):
    those are read from the grades on each source's page, until the next full assessment."""
    set_state_values(conn, {"assessed_overrides": sorted(o["id"] for o in overrides), SOURCES_TRACK_STALE: True})


def _decided_again(conn: Connection, registry: Registry, overrides: list[dict], changed: list[dict],
                   roots: dict[str, str], total: int) -> Update | None:
    """Decisions that leave every group's members as they are: a group or a claim
    confirmed or refuted, a source's reliability set (or one of these undone). A verdict
    on a group, or a claim confirmed, is applied to the group's stored basis
    (`decide_group`) without reading a claim; a claim refuted, or a reliability set,
    grades the groups holding those claims again from their stored members, weakly
    joined members and links (`grade_group`), after deriving again the origins of the
    claims citing that source. Members' grades are rewritten where they changed. None
    when a decision is of another kind, the ledger was assessed before bases were
    stored, or a setting would change more of an origin than its reliability: the region
    is then grouped again."""
    if any(o["action"] not in {"confirm", "refute", "reliability"} for o in changed):
        return None
    cl = schema.clusters
    targets = {o["target_id"] for o in overrides + changed if o["target"] == "cluster"}
    existing = matching.pre_groups_exist(conn, targets)
    strays = {cid for o in overrides + changed if o["target"] == "cluster" and o["target_id"] not in existing
              for cid in o.get("members") or ()}
    home = {cid: row["pre_group"] for cid, row in matching.rows_of(conn, strays).items()}
    decisions = Decisions.of(follow_decisions(overrides, existing, home))
    sources = [o["target_id"] for o in changed if o["target"] == "source"]
    citing = matching.claims_citing(conn, sources) if sources else set()
    origins_now = _origins_again(conn, registry, decisions.reliability, citing) if citing else {}
    if origins_now is None:
        return None
    claim_targets = {o["target_id"] for o in changed if o["target"] == "claim"}
    groups_of = dict(matching.rows_in(conn, "SELECT claim_id, cluster_id FROM claim_grades WHERE claim_id IN",
                                      claim_targets | citing | set(origins_now)))
    if not claim_targets <= groups_of.keys():
        return None
    regraded = {groups_of[cid] for cid in citing | set(origins_now) if cid in groups_of}
    regraded |= {groups_of[o["target_id"]] for o in changed if o["target"] == "claim" and o["action"] == "refute"}
    decided = {o["target_id"] for o in follow_decisions(changed, existing, home) if o["target"] == "cluster"}
    decided |= {groups_of[cid] for cid in claim_targets}
    stored = {}
    for chunk in matching._chunks(decided | regraded):
        stored.update((gid, (record, basis)) for gid, record, basis in conn.execute(
            select(cl.c.id, cl.c.record, cl.c.basis).where(cl.c.id.in_(chunk))))
    if any(basis is None for _, basis in stored.values()):
        return None
    for claim_id, derived in origins_now.items():
        conn.execute(update(matching.m).where(matching.m.c.claim_id == claim_id).values(derived=derived))
    regraded &= stored.keys()
    members = _grade_again(conn, registry, {gid: stored[gid] for gid in regraded}, roots, decisions, total)
    own_verdicts = {cid for (target, cid) in decisions.verdicts if target == "claim"} | claim_targets
    for gid in sorted(stored.keys() - regraded):
        members += _decide_again(conn, registry, gid, *stored[gid], decisions, own_verdicts)
    return Update("incremental", members, len(stored))


def _origins_again(conn: Connection, registry: Registry, reliability: dict[str, str],
                   citing: set[str]) -> dict[str, dict] | None:
    """The derived state (`assess.state.derived_record`) of the claims whose origins a
    reliability setting of a source these claims cite changes, as it is now (their
    reports' claims, and those of every report naming a person they name, read in
    context); None if more than their reliability would change (whom a claim's origins
    are: then it is grouped again)."""
    region = _Region(conn, registry, [], 1)
    docs = {row["doc_id"] for row in matching.rows_of(conn, citing).values()}
    claims = region._load(region._with_persons(docs))
    origins = origins_in_context(claims, registry, reliability)
    rows = matching.rows_of(conn, [c.id for c in claims], derived=True)
    found = {}
    for claim in claims:
        if claim.id not in rows:
            return None
        derived = rows[claim.id]["derived"]
        now = origins_record(origins[claim.id])
        if now == derived["origins"]:
            continue
        if [o[:3] + o[4:] for o in now] != [o[:3] + o[4:] for o in derived["origins"]]:
            return None
        found[claim.id] = {**derived, "origins": now}
    return found


def _grade_again(conn: Connection, registry: Registry, stored: dict[str, tuple[dict, dict]], roots: dict[str, str],
                 decisions: Decisions, total: int) -> int:
    """Grade these groups again from their stored members (as grouped: the basis keeps
    which of them were joined only weakly, the record the links); return how many claims."""
    if not stored:
        return 0
    ids = [cid for record, _ in stored.values() for cid in record["claims"]]
    region = _Region(conn, registry, decisions.overrides, total)
    by_id = {claim.id: claim for claim in map(Claim.from_json, matching.records_of(conn, ids))}
    origins = {cid: origins_from(found, registry) for cid, found in matching.origins_of(conn, ids).items()}
    clusters, graded, bases = [], [], {}
    for gid, (record, basis) in sorted(stored.items()):
        weak = set(basis["weak"])
        members = [by_id[cid] for cid in record["claims"]]
        cluster, bases[gid], claims = grade_group(gid, members, {cid: cid not in weak for cid in record["claims"]},
                                                  record["matching"]["links"], origins, roots, decisions, registry,
                                                  records=False)
        clusters.append(cluster)
        graded.extend(claims)
    region.claims = set(ids)
    region._store(clusters, graded, bases)
    return len(ids)


def _decide_again(conn: Connection, registry: Registry, gid: str, old: dict, basis: dict, decisions: Decisions,
                  own_verdicts: set[str]) -> int:
    """Apply the decisions in force to a group's stored record and basis, and rewrite its
    members' grades: a statement for those graded as the group is (when its credibility
    changes: their explanation is the group's), one for each member with a verdict of
    its own (or one undone, in `own_verdicts`); return how many claims."""
    from .publish.queries import cluster_summary

    cl, g = schema.clusters, schema.claim_grades
    record = dict(old)
    claim_ids = record["claims"]
    decide_group(record, basis, group_audit(gid, claim_ids, decisions.overrides), decisions.verdicts.get(("cluster", gid)),
                 [decisions.refutations[cid] for cid in claim_ids if cid in decisions.refutations],
                 decisions.settings, registry)
    if record != old:
        conn.execute(update(cl).where(cl.c.id == gid).values(grade=record["grade"], record=record,
                                                             explanation=record["explanation"]))
        conn.execute(update(schema.cluster_summaries).where(schema.cluster_summaries.c.cluster_id == gid)
                     .values(summary=cluster_summary(record)))
    apart = [cid for cid in claim_ids if cid in own_verdicts]
    plain = [g.c.cluster_id == gid, g.c.claim_id.not_in(apart)]
    if record["grade"][1:] != old["grade"][1:]:
        conn.execute(update(g).where(*plain).values(grade=func.substr(g.c.grade, 1, 1).concat(record["grade"][1:]),
                                                    explanation=""))
    elif record["explanation"] != old["explanation"]:  # (rows written out in full by an older version)
        conn.execute(update(g).where(*plain, g.c.explanation != "").values(explanation=""))
    for claim_id, grade, why in conn.execute(select(g.c.claim_id, g.c.grade, g.c.explanation)
                                             .where(g.c.claim_id.in_(apart))).all():
        now = claim_grade(grade[0], record, decisions.verdicts.get(("claim", claim_id)))
        now = (now[0], "" if now[1] == record["explanation"] else now[1])
        if now != (grade, why):
            conn.execute(update(g).where(g.c.claim_id == claim_id).values(grade=now[0], explanation=now[1]))
    return len(claim_ids)


def _overrides(conn: Connection, active: bool = True) -> list[dict]:
    t = schema.overrides
    query = select(t).order_by(t.c.id)
    if active:
        query = query.where(t.c.active.is_(True))
    return [dict(row._mapping) for row in conn.execute(query)]


def _touched_by(conn: Connection, o: dict) -> set[str]:
    """The claims whose groups a decision made or undone may change."""
    if o["target"] == "source":
        return matching.claims_citing(conn, [o["target_id"]])
    if o["target"] == "claim":
        return {o["target_id"]}
    touched = set(o.get("members") or []) | matching.group_members(conn, [o["target_id"]])
    if o["action"] == "merge" and o.get("value"):
        touched |= matching.group_members(conn, [o["value"]])
    return touched


def assessment_rows(clusters: list[dict], claims: list, bases: dict[str, dict]
                    ) -> tuple[list[dict], list[dict], list[dict]]:
    """The rows of the `clusters`, `claim_grades` and `cluster_summaries` tables (the
    claims as records or `Graded` tuples; each group's basis, `assess.ledger.decide_group`).
    A claim's explanation is stored empty where it is its group's."""
    from .publish.queries import cluster_summary

    cluster_rows = [
        {
            "id": c["id"], "event": c["event"], "subject": c["subject"], "location": c["location"],
            "grade": c["grade"], "contradiction": c["contradiction"],
            "independent_origins": c["independent_origins"], "reports": c["reports"],
            "latest": c["latest"], "record": c, "basis": bases[c["id"]], "explanation": c["explanation"],
        }
        for c in clusters
    ]
    grade_rows = grade_rows_of(claims, {c["id"]: c["explanation"] for c in clusters})
    summary_rows = [{"cluster_id": c["id"], "summary": cluster_summary(c)} for c in clusters]
    return cluster_rows, grade_rows, summary_rows


def grade_rows_of(claims: list, explanations: dict[str, str]) -> list[dict]:
    """The `claim_grades` rows of these claims (records or `Graded` tuples), an
    explanation stored empty where it is its group's (`explanations`, by group)."""
    rows = []
    for claim in claims:
        claim_id, cluster, grade, why = ((claim["id"], claim["cluster"], claim["grade"], claim["explanation"])
                                         if isinstance(claim, dict) else claim)
        rows.append({"claim_id": claim_id, "cluster_id": cluster, "grade": grade,
                     "explanation": "" if why == explanations.get(cluster) else why})
    return rows


class _Region:
    """The claims to group and grade again, grown until closed (see the module's doc)."""

    def __init__(self, conn: Connection, registry: Registry, overrides: list[dict], total: int):
        self.conn, self.registry, self.overrides, self.total = conn, registry, overrides, total
        self.claims: set[str] = set()
        self.old_components: dict[str, str] = {}  # of the claims derived again, before
        # Statements only gained candidates (none left, lost words or left a word's
        # first statements): their groups are their old ones joined by the new matches.
        self.statements_lost = False
        self.denials_checked: set[str] = set()  # claims whose report's denials are taken in
        self.statement_matches: set[tuple[str, str]] = set()
        self.near = int(_rules()["neighbours"])

    # -- claims derived again -------------------------------------------------------

    def derive_again(self, docs: set[str], gone: set[str], rerooted: set[str]) -> None:
        """Derive the state of the claims of `docs` again (and forget `gone` claims);
        the region takes those whose state changed (and every claim of the `rerooted`
        documents, now copies of another story or no longer), and the claims whose
        pairs their changes shift."""
        conn = self.conn
        if not docs and not gone:
            return
        docs = self._with_persons(docs)
        claims = self._load(docs)
        reliability = source_settings(self.overrides)
        splits = set(split_claims(self.overrides))
        frames = frames_of(claims)
        origins = origins_in_context(claims, self.registry, reliability)
        states = {c.id: claim_state(c, frames[c.id], origins[c.id], c.id in splits, self.registry) for c in claims}
        ids = set(states) | gone
        old_rows = matching.rows_of(conn, ids, derived=True)
        old_keys = matching.keys_of(conn, ids)
        old_words = matching.words_of(conn, ids)
        versions = matching.versions_of(conn, states)
        self.old_components = {cid: row["component"] for cid, row in old_rows.items()}

        def unchanged(cid: str) -> bool:
            old, new = old_rows.get(cid), states.get(cid)
            return (old is not None and new is not None and old["version_id"] == versions.get(cid)
                    and old["matched"] == new.matched and old["derived"] == new.derived
                    and set(old_keys.get(cid, ())) == {(key, new.at) for key in new.keys})

        kept = {cid for cid in states if unchanged(cid) and states[cid].doc_id not in rerooted}
        matched_before, matched_now = defaultdict(int), defaultdict(int)
        for cid in ids:
            if cid in old_rows and old_rows[cid]["matched"]:
                matched_before[old_rows[cid]["doc_id"]] += 1
            if cid in states and states[cid].matched:
                matched_now[states[cid].doc_id] += 1
        regrouped = {doc for doc in docs if (matched_before[doc] <= DOC_PAIRS) != (matched_now[doc] <= DOC_PAIRS)}
        kept = {cid for cid in kept if states[cid].doc_id not in regrouped}  # its report's pairs change
        ids -= kept
        states = {cid: st for cid, st in states.items() if cid not in kept}
        touched = set(ids)
        # the pairs around a claim leaving a bucket, read before it leaves
        added_keys, words = [], set()
        for cid in ids:
            new_keys = set(states[cid].keys) if cid in states else set()
            at = states[cid].at if cid in states else None
            for key, old_at in old_keys.get(cid, ()):
                if key not in new_keys or old_at != at:
                    touched |= self._around(key, old_at, cid)
            for key in new_keys:
                if (key, at) not in set(old_keys.get(cid, ())):
                    added_keys.append((key, at, cid))
            new_words = states[cid].words if cid in states else frozenset()
            words |= new_words ^ old_words.get(cid, set())
            self.statements_lost |= bool(old_words.get(cid, set()) - new_words)
        first_before = {word: matching.first_statements(conn, word, groups.STATEMENT_INDEX) for word in words}
        matching.forget(conn, gone)
        matching.write(conn, states.values(), versions,
                       {cid: self.old_components.get(cid, cid) for cid in states},
                       {cid: old_rows[cid]["pre_group"] if cid in old_rows else cid for cid in states})
        touched |= self._entering(added_keys, {c.id: c for c in claims}, frames, origins)
        touched |= self._statements_touched(first_before, {cid for cid, st in states.items() if st.words})
        self.grow(touched)

    def _entering(self, added: list[tuple[str, str, str]], claims: dict[str, Claim], frames: dict,
                  origins: dict) -> set[str]:
        """The claims whose pairs shift as claims enter buckets: a neighbour the entering
        claim matches, and a claim before it whose window loses a claim of its own
        component (the one pushed out of its `neighbours`)."""
        around = {}
        for key, at, cid in added:
            around[(key, cid)] = (matching.neighbours(self.conn, key, at, cid, self.near, after=False),
                                  matching.neighbours(self.conn, key, at, cid, self.near, after=True))
        others = {o for before, after in around.values() for o in before + after} - set(claims)
        loaded = {c.id: c for c in self._claims(others)}
        rows = matching.rows_of(self.conn, others, derived=True)
        derived = {cid: derived_from(rows[cid]["derived"], self.registry) for cid in loaded}
        frame = {**frames, **{cid: d[0] for cid, d in derived.items()}}
        parties = {cid: frozenset(o.party for o in found) for cid, found in origins.items()}
        parties.update({cid: frozenset(o.party for o in d[1]) for cid, d in derived.items()})
        component = {**self.old_components, **{cid: row["component"] for cid, row in rows.items()}}
        everything = {**claims, **loaded}
        touched: set[str] = set()

        def matches(a: str, b: str) -> bool:
            if a not in everything or b not in everything:
                return True  # not readable: take it
            x, y = everything[a], everything[b]
            if time_order(y) < time_order(x):
                x, y = y, x
            return compare(x, y, frame[x.id], frame[y.id], parties) is not None

        for (key, cid), (before, after) in around.items():
            pushed = {component.get(o, o) for o in after}
            touched.update(o for o in after if o in claims or matches(cid, o))
            touched.update(o for o in before if o in claims or component.get(o, o) in pushed or matches(o, cid))
        return touched

    def _around(self, key: str, at: str, claim_id: str) -> set[str]:
        return set(matching.neighbours(self.conn, key, at, claim_id, self.near, after=True)) | set(
            matching.neighbours(self.conn, key, at, claim_id, self.near, after=False))

    def _statements_touched(self, first_before: dict[str, list[str]], changed: set[str]) -> set[str]:
        """Statements whose candidates a change of statements shifts: those leaving a
        word's first statements, and those matching, now, a changed statement or one
        that entered a word's first statements."""
        touched: set[str] = set()
        first: dict[str, list[str]] = {}
        focus = set(changed)
        for word, before in first_before.items():
            now = self._first(word, first)
            touched |= set(before) - set(now)
            self.statements_lost |= bool(set(before) - set(now))
            focus |= set(now) - set(before)
        words = matching.words_of(self.conn, focus)
        candidates: dict[str, set[str]] = defaultdict(set)
        for claim_id in focus:
            for word in words.get(claim_id, ()):
                indexed = self._first(word, first)
                candidates[claim_id].update(indexed)
                if claim_id in indexed:  # the later statements this one is indexed for
                    candidates[claim_id].update(matching.statements_with(self.conn, word))
        everyone = set().union(*candidates.values()) if candidates else set()
        words.update(matching.words_of(self.conn, everyone - set(words)))
        order = {cid: (row["doc_id"], cid) for cid, row in matching.rows_of(self.conn, everyone | focus).items()}
        threshold = float(lexicon.load("assess")["grading"]["statement_similarity"])
        for claim_id in focus & set(order):
            for other in candidates[claim_id] & set(order):
                if other == claim_id:
                    continue
                later, earlier = (claim_id, other) if order[other] < order[claim_id] else (other, claim_id)
                mine, theirs = words.get(later, set()), words.get(earlier, set())
                shared = sum(1 for word in mine & theirs if earlier in self._first(word, first))
                union = len(mine | theirs)
                if union and shared and shared / union >= threshold:
                    touched |= {claim_id, other}
                    self.statement_matches.add((later, earlier))
        return touched

    def _first(self, word: str, cache: dict[str, list[str]]) -> list[str]:
        if word not in cache:
            cache[word] = matching.first_statements(self.conn, word, groups.STATEMENT_INDEX)
        return cache[word]

    # -- growing the region ---------------------------------------------------------

    def grow(self, claims: set[str]) -> None:
        """Add these claims, with their whole components (as assessed before)."""
        claims = set(claims) - self.claims
        if not claims:
            return
        components = {self.old_components[c] for c in claims if c in self.old_components}
        rows = matching.rows_of(self.conn, claims - set(self.old_components))
        components |= {row["component"] for row in rows.values()}
        members = matching.component_members(self.conn, components) | claims
        for cid in claims:  # a claim derived again stays with its old component's members
            if cid in self.old_components:
                members.add(cid)
        self.claims |= members
        if len(self.claims) > REGION_SHARE * self.total and len(self.claims) > 2000:
            raise _TooLarge

    def close(self) -> None:
        """Take in whole every group a decision in force on a group may involve with the
        region (a decision follows the claims its group held, a merge joins two groups),
        and every claim of a report whose denial the region holds (a denial joins a
        figure of its report: which, its report's figures say)."""
        decisions = [o for o in self.overrides if o["target"] == "cluster"]
        existing = matching.pre_groups_exist(self.conn, {o["target_id"] for o in decisions})
        done: set[int] = set()
        while True:
            size = len(self.claims)
            for o in decisions:
                if o["id"] in done:
                    continue
                targets = [o["target_id"]] + ([o["value"]] if o["action"] == "merge" and o.get("value") else [])
                involved = matching.group_members(self.conn, targets) | set(o.get("members") or [])
                if o["target_id"] not in existing or involved & self.claims:
                    done.add(o["id"])
                    self.grow(involved)
            unchecked = self.claims - self.denials_checked
            self.denials_checked |= unchecked
            self.grow(matching.claims_in(self.conn, matching.denials_in(self.conn, unchecked)))
            if len(self.claims) == size:
                return

    # -- grouping and grading -------------------------------------------------------

    def assess(self, roots: dict[str, str]) -> Update:
        """Group and grade the region; where the statements indexed by their words change
        (a denial now joins a figure, or no longer does), index them as they are now and
        take in the statements that shifts, until nothing changes."""
        conn = self.conn
        rows: dict[str, dict] = {}
        by_id: dict[str, Claim] = {}
        derived: dict[str, tuple] = {}
        read: set[str] = set()
        while True:
            if not self.claims:
                return Update("incremental")
            unread = self.claims - read  # (the region only grows: what was read stays as it is)
            read |= unread
            rows_now = matching.rows_of(conn, unread, derived=True)
            rows.update(rows_now)
            for claim in self._claims(rows_now):
                by_id[claim.id] = claim
                derived[claim.id] = derived_from(rows_now[claim.id]["derived"], self.registry)
            claims = sorted(by_id.values(), key=lambda claim: (claim.doc, claim.id))
            region_origins = {cid: d[1] for cid, d in derived.items()}
            grouping, followed, before_merges = group_with_decisions(
                claims, region_origins, {cid: d[0] for cid, d in derived.items()}, self.overrides,
                self._pairs(by_id, rows), self._statement_pairs(by_id, rows))
            if not self._reindex(by_id, rows, grouping.joined):
                break
        clusters, out_claims, bases = assess_groups(grouping, region_origins, roots, followed, self.registry,
                                                    records=False)
        self._store(clusters, out_claims, bases)
        changed = {cid for cid, component in grouping.components.items()
                   if (component, before_merges[cid]) != (rows[cid]["component"], rows[cid]["pre_group"])}
        matching.write_groups(conn, {cid: grouping.components[cid] for cid in changed}, before_merges)
        return Update("incremental", len(claims), len(clusters))

    def _reindex(self, by_id: dict[str, Claim], rows: dict[str, dict], joined: frozenset[str]) -> bool:
        """Index the words of the region's statements as the grouping says (a denial
        joined to a figure is not indexed, nor a claim split out: a split leaves its
        state as it was, its words included); True if that changed anything."""
        unindexed = set(joined) | set(split_claims(self.overrides))
        statements = [cid for cid in by_id if not rows[cid]["matched"]]
        indexed = matching.indexed(self.conn, statements)
        wrong = {cid for cid in statements if (cid in indexed) == (cid in unindexed)}
        wrong = {cid for cid in wrong if cid in unindexed or groups.statement_words(by_id[cid].text)}
        if not wrong:
            return False
        words = set().union(*(groups.statement_words(by_id[cid].text) for cid in wrong))
        first_before = {word: matching.first_statements(self.conn, word, groups.STATEMENT_INDEX) for word in words}
        self.statements_lost |= bool(wrong & unindexed)
        for cid in wrong:
            matching.index_words(self.conn, cid, rows[cid]["doc_id"],
                                 () if cid in unindexed else groups.statement_words(by_id[cid].text))
        self.grow(self._statements_touched(first_before, wrong - unindexed) | wrong)
        self.close()
        return True

    def _pairs(self, by_id: dict[str, Claim], rows: dict[str, dict]) -> list[tuple[Claim, Claim]]:
        """The candidate pairs of the whole ledger among the region's matched claims."""
        matched = {cid for cid in by_id if rows[cid]["matched"]}
        pairs: set[tuple[str, str]] = set()
        for cid, keys in matching.keys_of(self.conn, matched).items():
            for key, at in keys:
                for other in matching.neighbours(self.conn, key, at, cid, self.near, after=True):
                    if other in matched:
                        pairs.add((cid, other))
        for members in matching.matched_in(self.conn, {rows[cid]["doc_id"] for cid in matched}).values():
            if len(members) <= DOC_PAIRS:
                inside = [cid for cid in members if cid in matched]
                pairs.update((a, b) for i, a in enumerate(inside) for b in inside[i + 1:])
        oriented = []
        for a, b in pairs:
            first, second = (by_id[a], by_id[b]) if time_order(by_id[a]) < time_order(by_id[b]) else (by_id[b], by_id[a])
            oriented.append((first, second))
        return oriented

    def _statement_pairs(self, by_id: dict[str, Claim], rows: dict[str, dict]) -> list[tuple[Claim, Claim, int | None]]:
        """(statement, earlier statement, shared indexing words) among the region's; when
        statements only gained matches, each old group as a chain of known pairs (shared
        None) and the new matches."""
        unmatched = [cid for cid in by_id if not rows[cid]["matched"]]
        if not self.statements_lost:
            statements = matching.indexed(self.conn, unmatched)
            chains: dict[str, list[str]] = defaultdict(list)
            for cid in sorted(statements):
                chains[rows[cid]["component"]].append(cid)
            known = [(by_id[b], by_id[a], None) for members in chains.values() for a, b in itertools.pairwise(members)]
            return known + [(by_id[a], by_id[b], None) for a, b in self.statement_matches
                            if a in statements and b in statements]
        statements = matching.words_of(self.conn, unmatched)
        first: dict[str, list[str]] = {}
        result = []
        for cid, words in statements.items():
            shared: dict[str, int] = defaultdict(int)
            for word in words:
                indexed = self._first(word, first)
                earlier = indexed[:indexed.index(cid)] if cid in indexed else indexed
                for other in earlier:
                    shared[other] += 1
            result.extend((by_id[cid], by_id[other], n) for other, n in shared.items() if other in statements)
        return result

    def _store(self, clusters: list[dict], out_claims: list, bases: dict[str, dict]) -> None:
        """Replace the region's groups and grades, writing only the rows that changed (a
        group of thousands keeps most of its rows when a few members join it)."""
        conn = self.conn
        g, cl, cs = schema.claim_grades, schema.clusters, schema.cluster_summaries
        old_grades = {row[0]: tuple(row[1:]) for row in matching.rows_in(
            conn, "SELECT claim_id, cluster_id, grade, explanation FROM claim_grades WHERE claim_id IN", self.claims)}
        new_ids = {c["id"] for c in clusters}
        old_records: dict[str, tuple] = {}
        for chunk in matching._chunks({row[0] for row in old_grades.values()} | new_ids):
            old_records.update((gid, (record, basis)) for gid, record, basis in conn.execute(
                select(cl.c.id, cl.c.record, cl.c.basis).where(cl.c.id.in_(chunk))))
        cluster_rows, _, summary_rows = assessment_rows(
            [c for c in clusters if old_records.get(c["id"]) != (c, bases[c["id"]])], [], bases)
        grade_rows = grade_rows_of(out_claims, {c["id"]: c["explanation"] for c in clusters})
        changed_groups = [row["id"] for row in cluster_rows]
        for chunk in matching._chunks((set(old_records) - new_ids) | set(changed_groups)):
            conn.execute(delete(cl).where(cl.c.id.in_(chunk)))
            conn.execute(delete(cs).where(cs.c.cluster_id.in_(chunk)))
        matching._insert(conn, cl, cluster_rows)
        matching._insert(conn, cs, summary_rows)
        graded = {row["claim_id"] for row in grade_rows}
        for chunk in matching._chunks(set(old_grades) - graded):
            conn.execute(delete(g).where(g.c.claim_id.in_(chunk)))
        changed: dict[tuple, list[str]] = defaultdict(list)  # the claims given each (group, grade, explanation)
        for row in grade_rows:
            now = (row["cluster_id"], row["grade"], row["explanation"])
            if row["claim_id"] in old_grades and old_grades[row["claim_id"]] != now:
                changed[now].append(row["claim_id"])
        done = self._store_alike(old_grades, {row["claim_id"]: row for row in grade_rows}, changed)
        changed = {key: [cid for cid in claim_ids if cid not in done] for key, claim_ids in changed.items()}
        one_by_one = []
        for (cluster, grade, why), claim_ids in changed.items():
            if len(claim_ids) < BULK_UPDATE:
                one_by_one.extend({"claim": cid, "cluster": cluster, "grade_now": grade, "why": why} for cid in claim_ids)
                continue
            for chunk in matching._chunks(claim_ids):  # the members of a large group: a statement per chunk
                conn.execute(update(g).where(g.c.claim_id.in_(chunk)).values(cluster_id=cluster, grade=grade,
                                                                              explanation=why))
        if one_by_one:
            conn.execute(update(g).where(g.c.claim_id == bindparam("claim")).values(
                cluster_id=bindparam("cluster"), grade=bindparam("grade_now"), explanation=bindparam("why")), one_by_one)
        added = [row for row in grade_rows if row["claim_id"] not in old_grades]
        matching._insert(conn, g, added)
        if conn.dialect.name == "sqlite":
            fill_claim_rowids(conn, [row["claim_id"] for row in added])

    def _store_alike(self, old_grades: dict[str, tuple], new: dict[str, dict], changed: dict[tuple, list[str]]
                     ) -> set[str]:
        """The members of a large group that stay in it with their own origins' letter
        and all take its new credibility and explanation (a refuted member or a
        reliability setting changes the explanation of thousands): one statement per
        group, on the rows of the group but those that differ. Return the claims done."""
        g = schema.claim_grades
        alike: dict[tuple, list[str]] = defaultdict(list)  # (group, credibility, explanation): claims
        for (cluster, grade, why), claim_ids in changed.items():
            alike[(cluster, grade[1:], why)].extend(cid for cid in claim_ids if old_grades[cid][0] == cluster
                                                    and old_grades[cid][1][:1] == grade[:1])
        done: set[str] = set()
        largest: dict[str, tuple] = {}
        for key, claim_ids in alike.items():
            if len(claim_ids) >= BULK_UPDATE and len(claim_ids) > len(alike.get(largest.get(key[0]), ())):
                largest[key[0]] = key
        for cluster, credibility, why in largest.values():
            apart = [cid for cid, old in old_grades.items() if old[0] == cluster
                     and not (cid in new and (new[cid]["cluster_id"], new[cid]["grade"], new[cid]["explanation"])
                              == (cluster, old[1][:1] + credibility, why))]
            if len(apart) > matching.CHUNK:
                continue
            self.conn.execute(update(g).where(g.c.cluster_id == cluster, g.c.claim_id.not_in(apart)).values(
                grade=func.substr(g.c.grade, 1, 1).concat(credibility), explanation=why))
            done.update(alike[(cluster, credibility, why)])
        return done

    # -- reading ----------------------------------------------------------------------

    def _with_persons(self, docs: set[str]) -> set[str]:
        """The documents, and every document naming a person they name (whose origins
        read each other), until closed."""
        docs = set(docs)
        persons: set[str] = set()
        while True:
            named = matching.persons_in(self.conn, docs) | self._new_persons(docs)
            if named <= persons:
                return docs
            persons |= named
            docs |= matching.docs_naming(self.conn, persons)

    def _new_persons(self, docs: set[str]) -> set[str]:
        """The people named by claims of these documents not yet in the matching state."""
        found = set()
        for claim in self._load(docs, unassessed_only=True):
            found.update(person_key(chain[-1].name) for chain in claim.chains if chain[-1].kind == "person")
        return found

    def _claims(self, claim_ids) -> list[Claim]:
        """These claims (current), in the ledger's claim order."""
        claims = [Claim.from_json(record) for record in matching.records_of(self.conn, claim_ids)]
        claims.sort(key=lambda claim: (claim.doc, claim.id))
        return claims

    def _load(self, docs: set[str], unassessed_only: bool = False) -> list[Claim]:
        """The current claims of these documents, in the ledger's claim order."""
        c, d, m = schema.claims, schema.documents, schema.match_claims
        claims = []
        for chunk in matching._chunks(sorted(docs)):
            query = (select(c.c.record).join(d, d.c.version_id == c.c.version_id)
                     .where(d.c.current.is_(True), c.c.doc_id.in_(chunk)))
            if unassessed_only:
                query = query.where(~exists().where(m.c.claim_id == c.c.id, m.c.version_id == c.c.version_id))
            claims.extend(Claim.from_json(record) for (record,) in self.conn.execute(query))
        claims.sort(key=lambda claim: (claim.doc, claim.id))
        return claims
