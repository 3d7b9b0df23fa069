"""Origins of claims and how independent they are.

The origin of a claim is the last hop of each of its chains, resolved against the source
registry; a claim the document asserts itself has the document's outlet as origin.
Independence is counted in parties: two organs of one state (its intelligence service
and its president) are one party; echoes of one origin add reports, never origins.
An anonymous source is an origin of its own; unnamed sources described alike ("Western
officials") count as one party, whichever outlet cites them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ..extract import lexicon
from ..models import Claim
from .registry import UNREGISTERED_GRADE, Entry, Registry
from .subjects import country_of

_GRADES = "ABCDEF"


@dataclass(frozen=True)
class Origin:
    name: str
    registry_id: str | None
    party: str
    reliability: str
    entry: Entry | None = None
    anonymous: bool = False


def _normal(name: str) -> str:
    return " ".join(name.lower().replace("’", "'").split()).removeprefix("the ")


_PROPER_TAIL = re.compile(r"((?:[A-Z][\w.&'’-]*\s?)+)$")


def _resolve(name: str, registry: Registry) -> Entry | None:
    """The registry entry, also for "the Ukrainian portal RBC-Ukraine" and
    "information of South Korean agency Yonhap": a trailing proper name is tried."""
    entry = registry.resolve(name)
    if entry is None:
        tail = _PROPER_TAIL.search(name.strip())
        if tail and tail.group(1).strip() != name.strip():
            entry = registry.resolve(tail.group(1).strip())
    return entry


def resolve_origin(name: str, registry: Registry, reliability: dict[str, str]) -> Origin:
    entry = _resolve(name, registry)
    if entry is None:
        key = "unregistered:" + _normal(name)
        return Origin(name, None, key, reliability.get(key, reliability.get(name, UNREGISTERED_GRADE)))
    grade = reliability.get(entry.id, entry.reliability)
    return Origin(entry.name, entry.id, registry.party_of(entry), grade, entry)


def origins_of(claim: Claim, registry: Registry, reliability: dict[str, str] | None = None) -> list[Origin]:
    """One origin per chain (the outlet when the document asserts the claim)."""
    reliability = reliability or {}
    if not claim.chains:
        return [resolve_origin(claim.outlet or claim.doc, registry, reliability)]
    result = []
    for chain in claim.chains:
        last = chain[-1]
        if last.kind == "anonymous":
            # "a Western official" cited by The Wall Street Journal: the official is an
            # origin of its own, judged one grade below the outlet that vouches for it.
            via_hop = chain[-2] if len(chain) > 1 else None
            via = resolve_origin(via_hop.name, registry, reliability) if via_hop else (
                resolve_origin(claim.outlet, registry, reliability) if claim.outlet else None
            )
            via_name = via.name if via else "unknown outlet"
            grade = _GRADES[min(_GRADES.index(via.reliability) + 1, 4)] if via else UNREGISTERED_GRADE
            # Conservatively, unnamed sources described alike ("Western officials") are one
            # party whichever outlet cites them: they may well be the same people.
            result.append(
                Origin(f"{last.name} (via {via_name})", None, f"anonymous:{_normal(last.name)}", grade, None, True)
            )
        else:
            result.append(resolve_origin(last.name, registry, reliability))
    return result


@cache
def _sides() -> dict[str, dict[str, str]]:
    """conflict -> country -> side."""
    table: dict[str, dict[str, str]] = {}
    for conflict, sides in lexicon.load("assess")["sides"].items():
        table[conflict] = {country: side for side, countries in sides.items() for country in countries}
    return table


def interested(origin: Origin, claim: Claim) -> bool:
    """A party to the conflict reporting its enemy's losses."""
    if origin.entry is None or claim.event not in lexicon.load("assess")["loss_events"]:
        return False
    counted = country_of(claim.subject) or country_of(claim.text)
    if counted is None:
        return False
    for conflict, side in origin.entry.conflicts:
        counted_side = _sides().get(conflict, {}).get(counted)
        if counted_side is not None and counted_side != side:
            return True
    return False


def complete_upstream(members: list[Claim], origins: dict[str, list[Origin]], registry: Registry,
                      reliability: dict[str, str]) -> dict[str, list[Origin]]:
    """Across the reports of one group: when one report shows that X cited Y, X is not an
    origin of its own elsewhere in the group ("RBC Ukraine said 500 were killed" relays
    "citing Global Defense Corp." in another report). A report the writer asserts takes
    the origin its document gives for the same group."""
    upstream: dict[str, Origin] = {}
    for claim in members:
        for chain in claim.chains:
            for near, far in zip(chain, chain[1:]):
                near_o = resolve_origin(near.name, registry, reliability)
                if far.kind != "anonymous":
                    upstream.setdefault(near_o.party, resolve_origin(far.name, registry, reliability))
    by_doc: dict[str, list[Origin]] = {}
    for claim in members:
        if claim.chains:
            by_doc.setdefault(claim.doc, origins[claim.id])
    result = {}
    for claim in members:
        found = origins[claim.id] if claim.chains else by_doc.get(claim.doc, origins[claim.id])
        completed = []
        for origin in found:
            seen = set()
            while origin.party in upstream and origin.party not in seen:
                seen.add(origin.party)
                origin = upstream[origin.party]
            completed.append(origin)
        result[claim.id] = completed
    return result


def independent_parties(origins: list[Origin]) -> list[Origin]:
    """One origin per party, the most reliable of each."""
    best: dict[str, Origin] = {}
    for origin in origins:
        current = best.get(origin.party)
        if current is None or origin.reliability < current.reliability:
            best[origin.party] = origin
    return sorted(best.values(), key=lambda o: (o.reliability, o.name))
