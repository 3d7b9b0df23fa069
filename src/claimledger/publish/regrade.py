"""What the analysts' decisions change in a group, beyond the grade the assessment gives.

`rebuild` builds the ledger (`assess.ledger.build_ledger`), then, for every group that a
decision touches:

- a claim an analyst refuted is left out of its group's count: the estimate, the origins
  and the grade are worked out again from the other claims (the refuted claim stays a
  member, listed as refuted, with its own grade);
- a source reliability set by an analyst that changes the group's grade is named in the
  group's explanation and kept in its audit list.

The groups are worked out again with the assessment's own functions, called here only
(`_assess`), so that this can follow the assessment when it changes; the web UI's
decisions and `claimledger ledger` both go through `rebuild`.
"""

from __future__ import annotations

from sqlalchemy import update

from ..assess.corroboration import complete_upstream, origins_of
from ..assess.grading import assess_group
from ..assess.ledger import _cluster_record, build_ledger
from ..assess.registry import Registry
from ..models import Claim
from ..store import Ledger, schema
from .queries import cluster_summary

_PAST = {"confirm": "confirmed", "refute": "refuted"}


def rebuild(ledger: Ledger, registry: Registry | None = None) -> dict:
    """Build the ledger and apply what `build_ledger` leaves to publishing; returns the
    ledger object (`claimledger ledger --format json`)."""
    result = build_ledger(ledger, registry)
    overrides = ledger.overrides()
    refuted = {o["target_id"]: o for o in overrides if o["target"] == "claim" and o["action"] == "refute"}
    settings = {o["target_id"]: o for o in overrides if o["target"] == "source" and o["action"] == "reliability"}
    if not refuted and not settings:
        return result
    if registry is None:
        from ..assess.registry import registry_from_settings

        registry = registry_from_settings()
    claims = {c["id"]: c for c in result["claims"]}
    roots = ledger.story_roots()
    reliability = {key: o["value"] for key, o in settings.items()}
    changed = []
    for index, record in enumerate(result["clusters"]):
        out = [refuted[i] for i in record["claims"] if i in refuted]
        keys = {o.get("registry_id") or o.get("party") for o in record.get("origins") or []}
        touched = [settings[k] for k in sorted(keys & settings.keys())]
        if not out and not touched:
            continue
        members = [Claim.from_json(claims[i]) for i in record["claims"] if i in claims]
        kept = [c for c in members if c.id not in refuted]
        new = _regraded(record, kept, out, roots, registry, reliability) if out else dict(record)
        notes = _reliability_notes(new, kept, roots, registry, reliability, touched)
        if notes:
            new["explanation"] = f"{new['explanation']} {' '.join(notes)}"
            new["overrides"] = list(new.get("overrides") or []) + [
                o for o in touched if o["id"] not in {a.get("id") for a in new.get("overrides") or []}]
        if new != record:
            result["clusters"][index] = new
            changed.append((new, kept))
    if changed:
        _store(ledger, changed, claims, refuted)
    return result


def _assess(members: list[Claim], roots: dict, registry: Registry, reliability: dict, record: dict):
    """The assessment of these claims as one group (with the group's verdict, if any)."""
    origins = {c.id: origins_of(c, registry, reliability) for c in members}
    origins.update(complete_upstream(members, origins, registry, reliability))
    reports = len({roots.get(c.doc, c.doc) for c in members})
    result = assess_group(members, origins, reports)
    verdict = next((o for o in record.get("overrides") or [] if o.get("target") == "cluster"
                    and o.get("action") in _PAST and o.get("active", True)), None)
    if verdict:
        result.credibility = 1 if verdict["action"] == "confirm" else 5
        result.explanation += f" An analyst ({verdict['who']}) marked it {_PAST[verdict['action']]}: {verdict['why']}"
    return result, origins, reports


def _regraded(record: dict, kept: list[Claim], out: list[dict], roots, registry, reliability) -> dict:
    """The group worked out again without its refuted claims."""
    who = ", ".join(dict.fromkeys(o["who"] for o in out))
    left_out = (f"{len(out)} claim{'s' if len(out) != 1 else ''} refuted by an analyst ({who}) "
                f"{'are' if len(out) != 1 else 'is'} left out of the estimate, origins and grade: {out[0]['why']}")
    if not kept:
        return dict(record, estimate=None, origins=[], independent_origins=0, contradiction=False, timeline=[],
                    conflicting_claims=[], conflicting_pairs=0, grade=f"{record['grade'][0]}5",
                    explanation=f"Every claim of this group was refuted by an analyst ({who}): {out[0]['why']}",
                    refuted=[o["target_id"] for o in out])
    assessment, origins, reports = _assess(kept, roots, registry, reliability, record)
    new = _cluster_record(record["id"], kept, assessment, origins, reports, record.get("overrides") or [])
    new.update(claims=record["claims"], refuted=[o["target_id"] for o in out],
               explanation=f"{new['explanation']} {left_out}")
    return new


def _reliability_notes(record: dict, kept: list[Claim], roots, registry, reliability, touched) -> list[str]:
    """A sentence for each analyst's reliability setting that changes the group's grade."""
    notes = []
    for o in touched:
        without = {k: v for k, v in reliability.items() if k != o["target_id"]}
        before, _, _ = _assess(kept, roots, registry, without, record)
        grade_before = f"{before.reliability}{before.credibility}"
        if grade_before == record["grade"]:
            continue
        entry = registry.get(o["target_id"])
        name = entry.name if entry else o["target_id"].removeprefix("unregistered:")
        registry_grade = entry.reliability if entry else "F"
        notes.append(f"An analyst ({o['who']}) set the reliability of {name} to {o['value']} (the registry says "
                     f"{registry_grade}), which makes this group {record['grade']} rather than {grade_before}: {o['why']}")
    return notes


def _store(ledger: Ledger, changed: list[tuple[dict, list[Claim]]], claims: dict, refuted: dict) -> None:
    k, ks, g = schema.clusters, schema.cluster_summaries, schema.claim_grades
    with ledger.engine.begin() as conn:
        for record, kept in changed:
            conn.execute(update(k).where(k.c.id == record["id"]).values(
                grade=record["grade"], contradiction=record["contradiction"],
                independent_origins=record["independent_origins"], reports=record["reports"], record=record))
            conn.execute(update(ks).where(ks.c.cluster_id == record["id"]).values(summary=cluster_summary(record)))
            own = {}
            for origin in record.get("origins") or []:
                for claim_id in origin["claims"]:
                    own[claim_id] = min(own.get(claim_id, "F"), origin.get("reliability") or "F")
            for claim in kept:
                if claim.id in refuted:
                    continue
                stored = claims[claim.id]
                grade = f"{own.get(claim.id, (stored.get('grade') or 'F')[0])}{record['grade'][1:]}"
                verdict = stored.get("computed_grade")  # an analyst's decision on the claim keeps its credibility
                if verdict:
                    continue
                stored.update(grade=grade, explanation=record["explanation"])
                conn.execute(update(g).where(g.c.claim_id == claim.id).values(grade=grade, explanation=record["explanation"]))
