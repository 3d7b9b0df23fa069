"""Estimates, contradictions and the Admiralty grade of a claim group, with a plain
explanation. The rules are written down in docs/assessment.md; their thresholds are
data (data/lexicons/assess.yaml)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

from .. import settings
from ..extract import lexicon
from ..models import Claim
from .corroboration import Origin, counted_origins, independent_parties, interested
from .groups import claim_date


@cache
def rules() -> dict:
    return lexicon.load("assess")["grading"]


def interval(claim: Claim) -> tuple[float, float] | None:
    """The range a figure allows: exact within a tolerance, open bounds to infinity."""
    q = claim.quantity
    if q is None:
        return None
    exact, approx = float(rules()["exact_tolerance"]), float(rules()["approx_tolerance"])
    if q.bound in {"lower", "upper", "range", "vague"} or (q.low is not None or q.high is not None):
        low = q.low if q.low is not None else (0.0 if q.bound == "upper" else None)
        high = q.high if q.high is not None else (float("inf") if q.bound == "lower" else None)
        if low is not None and high is not None:
            return low, high
    if q.value is None:
        return None
    width = approx if q.approx or q.bound == "approx" else exact
    return q.value * (1 - width), q.value * (1 + width)


def _when(claim: Claim) -> date:
    return claim_date(claim) or date.min


@dataclass
class Assessment:
    estimate: dict | None
    contradiction: bool
    conflicts: list[tuple[str, str]]  # claim id pairs whose figures are disjoint
    reliability: str
    credibility: int
    explanation: str
    supporters: list[Origin]
    deniers: list[Origin]
    interested: list[str]
    timeline: list[dict] = field(default_factory=list)


def figure_period(claim: Claim) -> tuple[date, date] | None:
    """The days a figure holds for: its own date; a month or a year it names that ended
    before its report was published, that whole month or year (a roundup's "in October
    the agency said 1,500 had been sent" is October's figure, not the roundup's); else
    its report's date."""
    when = claim_date(claim)
    own = claim.time.date if claim.time else None
    if when is not None and own and len(own) in (4, 7):
        try:
            year, month = int(own[:4]), int(own[5:7]) if len(own) == 7 else None
            start = date(year, month or 1, 1)
            end = date(year, 12, 31) if month is None else date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
        except ValueError:
            return when, when
        if end < when:
            return start, end
    return (when, when) if when is not None else None


def _apart(a: tuple[date, date], b: tuple[date, date]) -> int:
    """Days between two periods (0 when they overlap)."""
    return max(0, (b[0] - a[1]).days, (a[0] - b[1]).days)


def _figure_conflicts(figures: list[tuple[Claim, Origin]]) -> list[tuple[str, str]]:
    """Pairs of figures from different parties, at the same time (periods at most
    `same_time_days` apart), with disjoint ranges. Sorted by the start of their period,
    each figure is compared only with those inside its time window."""
    days = int(rules()["same_time_days"])
    dated = sorted(((figure_period(c), c, o) for c, o in figures if figure_period(c) is not None),
                   key=lambda t: (t[0][0], t[1].id))
    pairs = []
    for i, (pa, a, oa) in enumerate(dated):
        ia = interval(a)
        for pb, b, ob in dated[i + 1 :]:
            if (pb[0] - pa[1]).days > days:
                break
            if oa.party == ob.party:
                continue
            ib = interval(b)
            if ia and ib and (ia[1] < ib[0] or ib[1] < ia[0]):
                pairs.append((a.id, b.id))
    return pairs


def estimate(figures: list[tuple[Claim, Origin]]) -> tuple[dict | None, list[dict]]:
    """Low, best and high from independent origins (each origin's latest figure), and
    the timeline of every figure."""
    timeline = []
    for claim, origin in figures:
        q = claim.quantity
        when = claim_date(claim)
        timeline.append({
            "date": (claim.time.date if claim.time and claim.time.date else None) or (when.isoformat() if when else None),
            "origin": origin.name, "party": origin.party, "low": q.low, "best": q.value, "high": q.high,
            "bound": q.bound, "claim": claim.id,
        })
    timeline.sort(key=lambda t: (t["date"] or "9999", t["origin"]))
    # Echoes give the same figure from the same origin, whenever they were published: one
    # point, at the earliest date, counted.
    merged: dict[tuple, dict] = {}
    for point in timeline:
        key = (point["origin"], point["low"], point["best"], point["high"], point["bound"])
        if key in merged:
            merged[key]["reports"] += 1
        else:
            merged[key] = {**point, "reports": 1}
    timeline = sorted(merged.values(), key=lambda t: (t["date"] or "", t["origin"]))
    latest: dict[str, tuple[Claim, Origin]] = {}
    for claim, origin in figures:
        current = latest.get(origin.party)
        if current is None or _when(claim) > _when(current[0]):
            latest[origin.party] = (claim, origin)
    points = [(c, o) for c, o in latest.values() if c.quantity and (c.quantity.value is not None or c.quantity.low is not None)]
    if not points:
        return None, timeline

    def best_of(c: Claim) -> float:
        q = c.quantity
        return q.value if q.value is not None else (q.low + q.high) / 2 if q.high is not None else q.low

    lows = [(c.quantity.low if c.quantity.low is not None else best_of(c), c) for c, _ in points]
    highs = [(c.quantity.high if c.quantity.high is not None else best_of(c), c) for c, _ in points]
    low, low_claim = min(lows, key=lambda x: x[0])
    high, high_claim = max(highs, key=lambda x: x[0])
    rule = settings.get("estimate_rule")
    if rule == "median":
        best = statistics.median(best_of(c) for c, _ in points)
        best_claims = [c.id for c, _ in points if best_of(c) == best]
    elif rule == "max":
        best, best_claim = max(((best_of(c), c) for c, _ in points), key=lambda x: x[0])
        best_claims = [best_claim.id]
    else:  # ucdp: the most reliable origin's figure, the most recent on a tie
        claim, _ = min(points, key=lambda p: (p[1].reliability, -_when(p[0]).toordinal()))
        best, best_claims = best_of(claim), [claim.id]
    return {
        "low": low, "best": best, "high": high, "rule": rule,
        "low_claims": [low_claim.id], "best_claims": best_claims, "high_claims": [high_claim.id],
    }, timeline


def assess_group(members: list[Claim], origins: dict[str, list[Origin]], reports: int,
                 core: dict[str, bool] | None = None) -> Assessment:
    """The grade of a group, resting on its core members only (those the matching joined
    strongly); `core` None means all members."""
    counted = [c for c in members if core is None or core.get(c.id, True)]
    weak = len(members) - len(counted)
    backing = [o for c in counted if c.stance != "denied" for o in origins[c.id]]
    supporters = counted_origins(backing)
    deniers = counted_origins([o for c in counted if c.stance == "denied" for o in origins[c.id]])
    # Unnamed reports that echo what others back neither confirm nor contradict it.
    echoing = {o.party for o in backing} - {o.party for o in supporters}
    figures = [(c, origins[c.id][0]) for c in counted
               if c.kind == "figure" and c.stance != "denied" and c.quantity and origins[c.id]]
    conflicts = _figure_conflicts([(c, o) for c, o in figures if o.party not in echoing])
    independent = independent_parties(supporters)
    against = independent_parties(deniers)
    # Confirmation needs origins that assert: one that hedges, or has "not acknowledged" it, does not agree.
    asserting = [o for c in counted if c.stance == "asserted" for o in origins[c.id] if o.party not in echoing]
    agreeing = _agreeing([(c, o) for c, o in figures if c.stance == "asserted" and o.party not in echoing]) \
        if figures else len(independent_parties(asserting))
    contradiction = bool(conflicts) or bool(deniers and supporters)
    flagged = sorted({o.name for c in counted if c.stance != "denied" for o in origins[c.id] if interested(o, c)})
    est, timeline = estimate(figures)
    pool = independent or against
    reliability = min((o.reliability for o in pool), default="F")
    r = rules()
    if conflicts and len(independent) <= 1 or deniers and len(against) >= len(independent):
        credibility = 5
    elif agreeing >= int(r["confirm_origins"]):
        credibility = 1 if not contradiction else 2
    elif len(independent) >= int(r["confirm_origins"]):
        credibility = 2  # several origins, but no figure that two of them agree on
    elif not independent:
        credibility = 6
    else:
        only = independent[0]
        if only.name in flagged or only.reliability in {"D", "E"}:
            credibility = 4
        elif only.reliability in r["probable_reliability"]:
            credibility = 2
        elif only.reliability in r["possible_reliability"]:
            credibility = 3
        else:
            credibility = 6
    explanation = explain(independent, against, reports, flagged, conflicts, counted, credibility,
                          agreeing, weak)
    return Assessment(est, contradiction, conflicts, reliability, credibility, explanation,
                      supporters, deniers, flagged, timeline)


def _agreeing(figures: list[tuple[Claim, Origin]]) -> int:
    """The most independent parties that agree on one figure: whose ranges hold it at
    about the same time."""
    days = int(rules()["same_time_days"])
    best = 0
    dated = [(figure_period(c), interval(c), o.party) for c, o in figures]
    for when, span, _ in dated:
        if span is None:
            continue
        parties = {party for other_when, other, party in dated
                   if other is not None and other[0] <= span[1] and span[0] <= other[1]
                   and (when is None or other_when is None or _apart(when, other_when) <= days)}
        best = max(best, len(parties))
    return best


def _names(origins: list[Origin], limit: int = 4) -> str:
    names = [o.name for o in origins]
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def explain(independent, against, reports, flagged, conflicts, members, credibility, agreeing=None, weak=0) -> str:
    sentences = []
    others = reports - 1
    if len(independent) == 1:
        echo = f", repeated by {others} other report{'s' if others != 1 else ''}" if others > 0 else ""
        sentences.append(f"One origin, {independent[0].name}{echo}; no independent confirmation.")
    elif independent:
        sentences.append(
            f"{len(independent)} independent origins ({_names(independent)}) across {reports} report{'s' if reports != 1 else ''}."
        )
        if agreeing is not None and agreeing < 2:
            sentences.append("They give different figures: no figure is confirmed by two of them.")
    else:
        sentences.append("No origin asserts it.")
    if flagged:
        parties = [o for o in independent if o.name in flagged] or independent[:1]
        verb = "is a party" if len(parties) == 1 else "are parties"
        sentences.append(f"{_names(parties).replace(', ', ' and ', 1) if len(parties) == 2 else _names(parties)} {verb} to the war, reporting enemy losses.")
    if against:
        sentences.append(f"Denied by {_names(against)}.")
    if conflicts:
        sentences.append(f"{len(conflicts)} pair{'s' if len(conflicts) != 1 else ''} of figures disagree for the same time.")
    if credibility == 6 and independent:
        sentences.append("Its origin is not in the source registry, so it cannot be judged.")
    hedged = sum(1 for c in members if c.stance in {"hedged", "questioned"})
    if hedged:
        sentences.append(f"{hedged} report hedges or questions it." if hedged == 1 else f"{hedged} reports hedge or question it.")
    text = " ".join(sentences[:3])
    if weak:
        text += (f" {weak} claim{'s' if weak != 1 else ''} joined only by what {'their reports say' if weak != 1 else 'its report says'}"
                 f" (a place or side the claim does not name) {'are' if weak != 1 else 'is'} not counted.")
    return text
