"""The assessment stage: group every claim, count independent origins, find
contradictions, grade, apply the analysts' decisions. A pure function of the claims, the
near-copy roots of their documents, the decisions and the registry; storing the result is
the orchestrator's (`claimledger.pipeline.assess_ledger`)."""

from __future__ import annotations

import gc
import threading
from collections import defaultdict
from collections.abc import Container, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import NamedTuple

from ..models import Claim
from .context import origins_in_context
from .corroboration import Origin, complete_upstream, registrable
from .frames import frames_of
from .grading import Assessment, assess_group
from .groups import Grouping, group_claims, merge_groups
from .registry import Registry
from .verdicts import (
    all_refuted_note,
    claim_verdict_note,
    group_verdict_note,
    refuted_note,
    reliability_note,
    verdict_credibility,
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
        clusters, out_claims, _ = assess_groups(grouping, origins, roots, overrides, registry, records)
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


@dataclass(frozen=True)
class Decisions:
    """The analysts' decisions in force (those on groups following their groups), as
    grading reads them."""

    overrides: list[dict]
    reliability: dict[str, str]  # the grades set, by source
    settings: dict[str, dict]  # the reliability settings, by source
    refutations: dict[str, dict]  # of claims, by claim
    verdicts: dict[tuple[str, str], dict]  # confirmations and refutations by (target, target id): the last holds

    @classmethod
    def of(cls, overrides: list[dict]) -> Decisions:
        return cls(overrides, source_settings(overrides),
                   {o["target_id"]: o for o in overrides if o["target"] == "source" and o["action"] == "reliability"},
                   {o["target_id"]: o for o in overrides if o["target"] == "claim" and o["action"] == "refute"},
                   {(o["target"], o["target_id"]): o for o in overrides if o["action"] in {"confirm", "refute"}})


def assess_groups(grouping: Grouping, origins: dict[str, list[Origin]], roots: dict[str, str],
                  overrides: list[dict], registry: Registry, records: bool = True
                  ) -> tuple[list[dict], list, dict[str, dict]]:
    """The records of the groups and of their claims (or `Graded` tuples, without
    `records`; `origins` completed upstream in place), with the analysts' decisions
    (already following their groups) applied; and each group's basis (`decide_group`)."""
    decisions = Decisions.of(overrides)
    links = defaultdict(list)
    home = {c.id: gid for gid, members in grouping.groups.items() for c in members}
    for a, b, match in grouping.links:
        links[home[a]].append({"claims": [a, b], "features": list(match.features), "strong": match.strong})
    clusters, out_claims, bases = [], [], {}
    for gid, members in sorted(grouping.groups.items()):
        counted = {c.id: grouping.core.get(c.id, True) for c in members}
        record, bases[gid], graded = grade_group(gid, members, counted, links[gid], origins, roots, decisions,
                                                 registry, records)
        clusters.append(record)
        out_claims.extend(graded)
    return clusters, out_claims, bases


def grade_group(gid: str, members: list[Claim], counted: dict[str, bool], links: list[dict],
                origins: dict[str, list[Origin]], roots: dict[str, str], decisions: Decisions, registry: Registry,
                records: bool = True) -> tuple[dict, dict, list]:
    """One group of the grouping (its members as grouped, which of them the matching
    joined strongly, the matches that joined them): its record, its basis and its claims'
    records (or `Graded` tuples)."""
    reports = len({roots.get(c.doc, c.doc) for c in members})
    origins.update(complete_upstream(members, origins, registry, decisions.reliability))
    out = [decisions.refutations[c.id] for c in members if c.id in decisions.refutations]
    record, basis = _group(gid, members, origins, reports, counted, out, links, decisions.settings, registry)
    decide_group(record, basis, group_audit(gid, [c.id for c in members], decisions.overrides),
                 decisions.verdicts.get(("cluster", gid)), out, decisions.settings, registry)
    graded = []
    for claim in members:
        own = min((o.reliability for o in origins[claim.id]), default="F")
        claim_verdict = decisions.verdicts.get(("claim", claim.id))
        grade, explanation = claim_grade(own, record, claim_verdict)
        if not records:
            graded.append(Graded(claim.id, gid, grade, explanation))
            continue
        record_claim = claim.to_json()
        record_claim.update(cluster=gid, grade=grade, explanation=explanation,
                            computed_grade=f"{own}{record['grade'][1:]}" if claim_verdict else None)
        graded.append(record_claim)
    return record, basis, graded


def group_audit(gid: str, members: list[str], overrides: list[dict]) -> list[dict]:
    """The decisions (following their groups) on this group or on its claims."""
    targets = {("cluster", gid)} | {("claim", claim_id) for claim_id in members}
    return [o for o in overrides if (o["target"], o["target_id"]) in targets]


def claim_grade(own: str, record: dict, verdict: dict | None) -> tuple[str, str]:
    """A claim's grade and explanation: its own origins' reliability, its group's
    credibility and explanation, unless an analyst confirmed or refuted the claim itself."""
    if verdict is None:
        return f"{own}{record['grade'][1:]}", record["explanation"]
    return f"{own}{verdict_credibility(verdict)}", f"{record['explanation']} {claim_verdict_note(verdict)}"


def _group(gid: str, members: list[Claim], origins: dict[str, list[Origin]], reports: int, counted: dict[str, bool],
           out: list[dict], links: list[dict], settings_by_target: dict[str, dict], registry: Registry
           ) -> tuple[dict, dict]:
    """One group's record, resting on its counted members (those the matching joined
    strongly, and not refuted), before the verdicts on it (`decide_group`); and its
    basis: the grade and explanation worked out from the claims, for each source whose
    reliability an analyst set the grade the group would have without that setting, and
    the members the matching joined only weakly (`weak`: a group graded again without
    grouping it again reads them there)."""
    refuted = {o["target_id"] for o in out}
    kept = [c for c in members if c.id not in refuted]
    counted_as_grouped = counted
    if not any(counted[c.id] for c in kept):
        counted = None  # only weakly joined members left: they are all there is
    result = assess_group(kept or members, origins, reports, counted)
    record = _cluster_record(gid, kept or members, result, origins, reports, [])
    record["claims"] = [c.id for c in members]
    record["matching"] = {"links": links[:LINK_SAMPLE],
                          "weak_claims": sorted(c.id for c in kept if counted is not None and not counted[c.id])}
    basis = {"grade": record["grade"], "explanation": result.explanation, "settings": {},
             "weak": sorted(cid for cid, strong in counted_as_grouped.items() if not strong)}
    if out:
        record["refuted"] = [o["target_id"] for o in out]
        if not kept:
            record.update(estimate=None, origins=[], independent_origins=0, contradiction=False, timeline=[],
                          conflicting_claims=[], conflicting_pairs=0)
            return record, basis
    keys = {key for c in kept for o in origins[c.id] for key in (o.registry_id, o.party) if key}
    for key in sorted(keys & settings_by_target.keys()):
        theirs = {c.id: origins[c.id] for c in kept}  # (not every claim's: a ledger has many groups)
        before = assess_group(kept, without_setting(theirs, settings_by_target[key], registry), reports, counted)
        basis["settings"][key] = f"{before.reliability}{before.credibility}"
    return record, basis


def decide_group(record: dict, basis: dict, audit: list[dict], verdict: dict | None, out: list[dict],
                 settings_by_target: dict[str, dict], registry: Registry) -> None:
    """Apply the analysts' decisions to a group's record, in place, from its basis (as
    `_group` worked it out): a verdict on the group sets its credibility, refuted claims
    and reliability settings that change its grade are named in its explanation. A
    verdict made or undone later needs only this, not the group's claims."""
    record["overrides"] = list(audit)
    if out and len(out) == len(record["claims"]):
        record.update(grade=f"{basis['grade'][0]}5", explanation=all_refuted_note(out))
        return
    grade = basis["grade"][0] + str(verdict_credibility(verdict) if verdict else basis["grade"][1:])
    explanation = basis["explanation"] + (f" {group_verdict_note(verdict)}" if verdict else "")
    if out:
        explanation += f" {refuted_note(out)}"
    for key in sorted(basis["settings"]):
        before = basis["settings"][key]
        before = before[0] + str(verdict_credibility(verdict) if verdict else before[1:])
        if before != grade:
            setting = settings_by_target[key]
            explanation += f" {reliability_note(setting, registry, grade, before)}"
            if setting not in record["overrides"]:
                record["overrides"].append(setting)
    record.update(grade=grade, explanation=explanation)


def _follow_groups(overrides: list[dict], groups: dict[str, list[Claim]]) -> list[dict]:
    home = {c.id: gid for gid, members in groups.items() for c in members}
    return follow_decisions(overrides, groups.keys(), home)


def follow_decisions(overrides: list[dict], groups: Container[str], home: Mapping[str, str]) -> list[dict]:
    """A group's id may change as reports arrive; an analyst's decision on a group follows
    the group now holding most of the claims it held when the decision was made. `groups`:
    the ids of the groups before merges; `home`: the group (before merges) of the claims
    the decisions on groups that are gone held."""

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
