"""The assessment stage: group every claim, count independent origins, find
contradictions, grade, apply the analysts' decisions. A pure function of the claims, the
near-copy roots of their documents, the decisions and the registry; storing the result is
the orchestrator's (`claimledger.pipeline.assess_ledger`)."""

from __future__ import annotations

import gc
import threading
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NamedTuple

from ..models import Claim
from .context import origins_in_context
from .corroboration import Origin, complete_upstream, registrable
from .frames import frames_of
from .grading import Assessment, assess_group
from .groups import Grouping, group_claims, merge_groups
from .registry import Registry
from .verdicts import (
    PAST,
    all_refuted_note,
    apply_group_verdict,
    refuted_note,
    reliability_note,
    without_setting,
)

CONFLICT_SAMPLE = 50
LINK_SAMPLE = 200  # the matches that joined a group, up to a sample (a group may join thousands)


def _label(members: list[Claim]) -> tuple[str | None, str | None, str | None]:
    figures = [c for c in members if c.kind == "figure"] or members
    def common(values):
        counted = defaultdict(int)
        for v in values:
            if v:
                counted[v] += 1
        return max(counted, key=lambda k: (counted[k], -len(k))) if counted else None
    return (
        common(c.event for c in figures) or members[0].event,
        common(c.subject for c in figures),
        common(c.location for c in figures),
    )


def _cluster_record(gid: str, members: list[Claim], a: Assessment, origins: dict[str, list[Origin]], reports: int, audit: list[dict]) -> dict:
    event, subject, location = _label(members)
    by_origin: dict[str, dict] = {}
    listed: set[tuple[str, str]] = set()  # (origin, claim): a list's `in` is quadratic in a group of thousands
    for claim in members:
        for origin in origins[claim.id]:
            entry = by_origin.get(origin.name)
            if entry is None:
                entry = by_origin[origin.name] = {
                    "name": origin.name, "registry_id": origin.registry_id, "claims": [], "party": origin.party,
                    "reliability": origin.reliability, "denies": claim.stance == "denied",
                    "anonymous": origin.anonymous,
                }
            if (origin.name, claim.id) not in listed:
                listed.add((origin.name, claim.id))
                entry["claims"].append(claim.id)
    # Each party that asserts or denies the claim has its own say; a group that no one
    # asserts counts none (it is a denial of nothing this ledger holds).
    parties = {o.party for o in a.supporters}
    if parties:
        parties |= {o.party for o in a.deniers}
    latest = max((c.published or "" for c in members), default="")
    return {
        "id": gid,
        "event": event,
        "subject": subject,
        "location": location,
        "claims": [c.id for c in members],
        "estimate": a.estimate,
        "origins": sorted(by_origin.values(), key=lambda o: o["name"]),
        "independent_origins": len(parties),
        "reports": reports,
        "contradiction": a.contradiction,
        "grade": f"{a.reliability}{a.credibility}",
        "explanation": a.explanation,
        "timeline": a.timeline,
        "interested": a.interested,
        # The disagreeing pairs, up to a sample: a group of thousands of reports can hold
        # millions of them; the count says how many there are.
        "conflicting_claims": [list(p) for p in a.conflicts[:CONFLICT_SAMPLE]],
        "conflicting_pairs": len(a.conflicts),
        "latest": latest or None,
        "overrides": audit,
    }


def assess(claims: list[Claim], roots: dict[str, str], overrides: list[dict], registry: Registry,
           records: bool = True, workers: int = 1) -> dict:
    """The ledger object (`claimledger ledger --format json`) of these claims: a function
    of the claims, the near-copy roots of their documents, the analysts' decisions and the
    registry, with no I/O. Without `records`, each claim is a `Graded` tuple rather than
    its whole record (a million claims' records hold gigabytes). With `workers` > 1, the
    frames of a large ledger are read in that many processes (`frames_of`)."""
    with collector_paused():
        origins = origins_in_context(claims, registry, source_settings(overrides))
        grouping, overrides, _ = group_with_decisions(claims, origins, frames_of(claims, workers), overrides)
        clusters, out_claims = assess_groups(grouping, origins, roots, overrides, registry, records)
    unregistered = sorted({o.name for os in origins.values() for o in os if registrable(o)})
    return {"claims": out_claims, "clusters": clusters, "unregistered_sources": unregistered}


class _CollectorPause:
    """Python's cycle collector paused while a ledger or a region of it is assessed: the
    stage makes millions of small records that live until it ends (frames, origins,
    matches, groups) and no cycles to speak of, and the collector would walk them all
    again each time their number grows by a quarter (half the stage's time at 100,000
    claims, a third of an update's on a group of 17,500: benchmarks/RESULTS.md). Their
    memory is freed as usual. Overlapping pauses (the web app's threads, an update that
    falls back to a full assessment) resume it when the last one ends."""

    def __init__(self):
        self.lock, self.depth, self.was_enabled = threading.Lock(), 0, False

    @contextmanager
    def __call__(self) -> Iterator[None]:
        with self.lock:
            if self.depth == 0:
                self.was_enabled = gc.isenabled()
                gc.disable()
            self.depth += 1
        try:
            yield
        finally:
            with self.lock:
                self.depth -= 1
                if self.depth == 0 and self.was_enabled:
                    gc.enable()


collector_paused = _CollectorPause()


def source_settings(overrides: list[dict]) -> dict[str, str]:
    """The analysts' reliability grades of sources (registry id or unregistered key)."""
    return {o["target_id"]: o["value"] for o in overrides if o["target"] == "source"}


def split_claims(overrides: list[dict]) -> list[str]:
    return [o["target_id"] for o in overrides if o["target"] == "claim" and o["action"] == "split"]


def group_with_decisions(claims: list[Claim], origins: dict[str, list[Origin]], frames: dict,
                         overrides: list[dict], pairs=None, statement_pairs=None
                         ) -> tuple[Grouping, list[dict], dict[str, str]]:
    """The groups with the analysts' splits and merges, the decisions with each one on a
    group following that group (`_follow_groups`), and each claim's group before the
    merges. `pairs` and `statement_pairs` as `group_claims` takes them."""
    parties = {cid: frozenset(o.party for o in found) for cid, found in origins.items()}
    grouping = group_claims(claims, {}, split_claims(overrides), parties, frames, pairs, statement_pairs)
    overrides = _follow_groups(overrides, grouping.groups)
    before_merges = {c.id: gid for gid, members in grouping.groups.items() for c in members}
    merges = {o["target_id"]: o["value"] for o in overrides if o["target"] == "cluster" and o["action"] == "merge"}
    merge_groups(grouping.groups, merges)
    return grouping, overrides, before_merges


class Graded(NamedTuple):
    """A claim's group and grade, without its record."""

    id: str
    cluster: str
    grade: str
    explanation: str


def assess_groups(grouping: Grouping, origins: dict[str, list[Origin]], roots: dict[str, str],
                  overrides: list[dict], registry: Registry, records: bool = True) -> tuple[list[dict], list]:
    """The records of the groups and of their claims (or `Graded` tuples, without
    `records`; `origins` completed upstream in place), with the analysts' decisions
    (already following their groups) applied."""
    reliability = source_settings(overrides)
    settings_by_target = {o["target_id"]: o for o in overrides if o["target"] == "source" and o["action"] == "reliability"}
    refutations = {o["target_id"]: o for o in overrides if o["target"] == "claim" and o["action"] == "refute"}
    links = defaultdict(list)
    home = {c.id: gid for gid, members in grouping.groups.items() for c in members}
    for a, b, match in grouping.links:
        links[home[a]].append({"claims": [a, b], "features": list(match.features), "strong": match.strong})
    verdicts = {(o["target"], o["target_id"]): o for o in overrides if o["action"] in {"confirm", "refute"}}
    clusters, out_claims = [], []
    for gid, members in sorted(grouping.groups.items()):
        reports = len({roots.get(c.doc, c.doc) for c in members})
        origins.update(complete_upstream(members, origins, registry, reliability))
        out = [refutations[c.id] for c in members if c.id in refutations]
        counted = {c.id: grouping.core.get(c.id, True) for c in members}
        audit = [o for o in overrides if (o["target"], o["target_id"]) in {("cluster", gid)} | {("claim", c.id) for c in members}]
        record, result = _group(gid, members, origins, reports, counted, audit, verdicts.get(("cluster", gid)), out,
                                links[gid], settings_by_target, registry)
        clusters.append(record)
        for claim in members:
            own = min((o.reliability for o in origins[claim.id]), default="F")
            credibility, explanation = result.credibility, result.explanation
            claim_verdict = verdicts.get(("claim", claim.id))
            if claim_verdict:
                credibility = 1 if claim_verdict["action"] == "confirm" else 5
                explanation += f" An analyst ({claim_verdict['who']}) marked this claim {PAST[claim_verdict['action']]}: {claim_verdict['why']}"
            if not records:
                out_claims.append(Graded(claim.id, gid, f"{own}{credibility}", explanation))
                continue
            record_claim = claim.to_json()
            record_claim.update(cluster=gid, grade=f"{own}{credibility}", explanation=explanation,
                                computed_grade=f"{own}{result.credibility}" if claim_verdict else None)
            out_claims.append(record_claim)
    return clusters, out_claims


def _group(gid: str, members: list[Claim], origins: dict[str, list[Origin]], reports: int, counted: dict[str, bool],
           audit: list[dict], verdict: dict | None, out: list[dict], links: list[dict],
           settings_by_target: dict[str, dict], registry: Registry) -> tuple[dict, Assessment]:
    """One group's record and assessment, resting on its counted members (those the
    matching joined strongly, and not refuted), with the analysts' decisions applied."""
    refuted = {o["target_id"] for o in out}
    kept = [c for c in members if c.id not in refuted]
    if not any(counted[c.id] for c in kept):
        counted = None  # only weakly joined members left: they are all there is
    result = assess_group(kept or members, origins, reports, counted)
    apply_group_verdict(result, verdict)
    record = _cluster_record(gid, kept or members, result, origins, reports, audit)
    record["claims"] = [c.id for c in members]
    record["matching"] = {"links": links[:LINK_SAMPLE],
                          "weak_claims": sorted(c.id for c in kept if counted is not None and not counted[c.id])}
    if out:
        record["refuted"] = [o["target_id"] for o in out]
        if not kept:
            record.update(estimate=None, origins=[], independent_origins=0, contradiction=False, timeline=[],
                          conflicting_claims=[], conflicting_pairs=0, grade=f"{record['grade'][0]}5",
                          explanation=all_refuted_note(out))
            result.credibility, result.explanation = 5, record["explanation"]
            return record, result
        record["explanation"] = result.explanation = f"{record['explanation']} {refuted_note(out)}"
    keys = {key for c in kept for o in origins[c.id] for key in (o.registry_id, o.party) if key}
    for key in sorted(keys & settings_by_target.keys()):
        setting = settings_by_target[key]
        theirs = {c.id: origins[c.id] for c in kept}  # (not every claim's: a ledger has many groups)
        before = assess_group(kept, without_setting(theirs, setting, registry), reports, counted)
        apply_group_verdict(before, verdict)
        grade_before = f"{before.reliability}{before.credibility}"
        if grade_before != record["grade"]:
            note = reliability_note(setting, registry, record["grade"], grade_before)
            record["explanation"] = result.explanation = f"{record['explanation']} {note}"
            if setting not in record["overrides"]:
                record["overrides"] = [*record["overrides"], setting]
    return record, result


def _follow_groups(overrides: list[dict], groups: dict[str, list[Claim]]) -> list[dict]:
    """A group's id may change as reports arrive; an analyst's decision on a group follows
    the group now holding most of the claims it held when the decision was made."""
    home = {c.id: gid for gid, members in groups.items() for c in members}

    def follow(gid: str, members) -> str:
        if gid in groups or not members:
            return gid
        votes = defaultdict(int)
        for claim_id in members:
            if claim_id in home:
                votes[home[claim_id]] += 1
        return max(votes, key=votes.get) if votes else gid

    result = []
    for o in overrides:
        if o["target"] == "cluster":
            o = dict(o, target_id=follow(o["target_id"], o.get("members")))
        result.append(o)
    return result
