"""What the incremental assessment keeps of each claim between assessments: derived
from the claim in its document's context (its frame and origins), with no I/O. The
orchestrator stores these (`store/matching.py`) and reads them back to find the groups a
change can touch (`claimledger.incremental`)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, fields
from datetime import date
from functools import cache, lru_cache
from importlib import resources

from ..models import Claim, content_hash
from .context import person_key
from .corroboration import Origin, _normal, resolve_origin
from .frames import Frame
from .groups import _is_matched, blocking_keys, statement_words, time_order
from .registry import Registry


@dataclass(frozen=True, slots=True)
class ClaimState:
    claim_id: str
    doc_id: str
    matched: bool
    at: str  # its date in the buckets' time order
    keys: tuple[str, ...]  # its buckets, when matched
    words: frozenset[str]  # its content words, when a statement
    persons: frozenset[str]  # the people its chains end at
    sources: frozenset[str]  # what a reliability setting can be keyed by
    derived: dict  # its frame and origins (`derived_record`)


def claim_state(claim: Claim, frame: Frame, origins: list[Origin], split: bool, registry: Registry) -> ClaimState:
    matched = not split and _is_matched(claim, frame)
    parties = frozenset(o.party for o in origins)
    persons = frozenset(person_key(chain[-1].name) for chain in claim.chains if chain[-1].kind == "person")
    # A reliability setting is keyed by a registry id or an unregistered source's key
    # (`publish.sources.unregistered_key`, or its name as written): those of every name
    # the claim's resolution reads.
    names = {hop.name for chain in claim.chains for hop in chain} | ({claim.outlet} if claim.outlet else set())
    sources = set()
    for name in names:
        registry_id = resolve_origin(name, registry, {}).registry_id
        sources.update({registry_id} if registry_id else {name, "unregistered:" + _normal(name)})
    for origin in origins:
        sources.update({origin.registry_id} if origin.registry_id else {
            "unregistered:" + _normal(origin.name), "unregistered:" + " ".join(origin.name.lower().split()).removeprefix("the ")})
    return ClaimState(
        claim.id, claim.doc, matched, time_order(claim)[0].isoformat(),
        tuple(blocking_keys(claim, frame, parties)) if matched else (),
        statement_words(claim.text) if not split and not matched else frozenset(),
        persons, frozenset(s[:500] for s in sources), derived_record(frame, origins),
    )


def derived_record(frame: Frame, origins: list[Origin]) -> dict:
    """A claim's frame and origins as JSON (`derived_from` reads them back)."""
    return {
        "frame": {name: sorted(value) if isinstance(value, frozenset) else
                  value.isoformat() if isinstance(value, date) else value for name, value in frame.__dict__.items()},
        "origins": origins_record(origins),
    }


def origins_record(origins: list[Origin]) -> list[list]:
    """A claim's origins as JSON: [name, registry id, party, reliability, anonymous, speaks from]."""
    return [[o.name, o.registry_id, o.party, o.reliability, o.anonymous, sorted(o.speaks_from)] for o in origins]


def derived_from(record: dict, registry: Registry) -> tuple[Frame, list[Origin]]:
    frame = Frame(**{name: value if convert is None or value is None else convert(value)
                     for name, value in record["frame"].items() for convert in (_FRAME_CONVERT[name],)})
    return frame, origins_from(record["origins"], registry)


def origins_from(record: list[list], registry: Registry) -> list[Origin]:
    """The origins of an `origins_record`."""
    return [_origin(name, registry_id, party, reliability, anonymous, tuple(speaks_from[0]) if speaks_from else (),
                    registry=registry)
            for name, registry_id, party, reliability, anonymous, *speaks_from in record]


@lru_cache(maxsize=65536)  # a ledger's claims share a few thousand origins: a group of thousands reads them often
def _origin(name: str, registry_id: str | None, party: str, reliability: str, anonymous: bool,
            speaks_from: tuple[str, ...], registry: Registry) -> Origin:
    return Origin(name, registry_id, party, reliability, registry.get(registry_id) if registry_id else None, anonymous,
                  frozenset(speaks_from))


_FRAME_CONVERT = {f.name: frozenset if str(f.type).startswith("frozenset") else
                  date.fromisoformat if str(f.type).startswith("date") else None for f in fields(Frame)}


def rules_fingerprint(registry: Registry) -> str:
    """Changes whenever the code or data of the assessment or the registry change: the
    stored matching state is then rebuilt by a full assessment."""
    return _rules_fingerprint(registry.entries, tuple(sorted(registry.conflicts)))


@lru_cache(maxsize=8)
def _rules_fingerprint(entries: tuple, conflicts: tuple) -> str:
    return content_hash(_code_fingerprint(), [repr(e) for e in entries], conflicts)


@cache
def _code_fingerprint() -> str:
    digest = hashlib.sha256()
    package = resources.files("claimledger")
    for folder, suffix in (("assess", ".py"), ("data", ".yaml"), ("data/lexicons", ".yaml")):
        for item in sorted(package.joinpath(folder).iterdir(), key=lambda p: p.name):
            if item.name.endswith(suffix):
                digest.update(item.name.encode() + b"\0" + item.read_bytes())
    return digest.hexdigest()[:24]
