"""Origins of claims and how independent they are.

The origin of a claim is the last hop of each of its chains, resolved against the source
registry; a claim the document asserts itself has the document's outlet as origin.
Independence is counted in parties: two organs of one state (its intelligence service
and its president) are one party; echoes of one origin add reports, never origins.
An anonymous source is an origin of its own; unnamed sources described alike ("Western
officials") count as one party, whichever outlet cites them.
"""

from __future__ import annotations

import difflib
import itertools
import re
import unicodedata
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from pathlib import PurePath
from urllib.parse import urlsplit

from ..extract import lexicon
from ..models import Claim
from .frames import sides_in
from .registry import UNREGISTERED_GRADE, Entry, Registry

_GRADES = "ABCDEF"


@dataclass(frozen=True)
class Origin:
    name: str
    registry_id: str | None
    party: str
    reliability: str
    entry: Entry | None = None
    anonymous: bool = False
    # For a writer's origin (the outlet where its document asserts a claim): the sides of
    # a war ("russia-ukraine:ukraine") its document's named sources all stand on.
    speaks_from: frozenset[str] = frozenset()


def _normal(name: str) -> str:
    return " ".join(name.lower().replace("’", "'").split()).removeprefix("the ")


# A chain that ends in no one ("Neither Moscow nor Pyongyang has acknowledged", "nobody
# outside Kyiv has confirmed") names no source: the writer asserts the claim.
NOBODY = re.compile(r"^\s*(?:neither|nor|nobody|no one|none|no)\b", re.IGNORECASE)


def by_writer(claim: Claim) -> bool:
    """Whether the document asserts the claim itself (no chain names a source)."""
    return all(NOBODY.match(chain[-1].name) for chain in claim.chains)


_TO = re.compile(r"\b(?:to|at|in|from|with|against)\s+(?:the\s+)?$", re.IGNORECASE)
_PROPER_TAIL = re.compile(r"((?:[A-Z][\w.&'’-]*\s?)+)$")


def _resolve(name: str, registry: Registry) -> Entry | None:
    """The registry entry, also for "the Ukrainian portal RBC-Ukraine" and
    "information of South Korean agency Yonhap" (a trailing proper name is tried) and "a
    senior U.N. official in the DRC" (the words before "in")."""
    entry = registry.resolve(name)
    if entry is None:
        tail = _PROPER_TAIL.search(name.strip())
        before = name.strip()[:tail.start()] if tail else ""
        # "North Korea's envoy to the United Nations" is not the United Nations
        if tail and tail.group(1).strip() != name.strip() and not _TO.search(before):
            entry = registry.resolve(tail.group(1).strip())
    if entry is None:
        head, sep, _ = name.partition(" in ")  # "a senior U.N. official in the DRC"
        if sep and head.strip():
            entry = registry.resolve(head.strip())
    return entry


def resolve_origin(name: str, registry: Registry, reliability: dict[str, str]) -> Origin:
    entry = _resolve(name, registry)
    if entry is None:
        key = "unregistered:" + _normal(name)
        return Origin(name, None, key, reliability.get(key, reliability.get(name, UNREGISTERED_GRADE)))
    grade = reliability.get(entry.id, entry.reliability)
    return Origin(entry.name, entry.id, registry.party_of(entry), grade, entry)


WRITER_OF = "the writer of "


def writer_name(claim: Claim) -> str:
    """Who asserts what a document asserts itself: its outlet; a document with no outlet
    given, the site at its address ("kyivdaily.example"), else "the writer of" its file
    (a report of its own: never a path, never a source to register)."""
    if claim.outlet:
        return claim.outlet
    host = urlsplit(claim.doc).hostname if "://" in claim.doc else None
    return host.removeprefix("www.") if host else WRITER_OF + PurePath(claim.doc).name


def registrable(origin: Origin) -> bool:
    """An origin the registry could know but does not (not a described unnamed source, not
    the writer of a file that names no outlet)."""
    return origin.registry_id is None and not origin.anonymous and not origin.name.startswith(WRITER_OF)


def origins_of(claim: Claim, registry: Registry, reliability: dict[str, str] | None = None) -> list[Origin]:
    """One origin per chain (the outlet when the document asserts the claim), each name
    resolved on its own (`context.origins_in_context` also reads the document)."""
    reliability = reliability or {}
    if by_writer(claim):
        return [resolve_origin(writer_name(claim), registry, reliability)]
    return [anonymous_origin(claim, chain, registry, reliability) if chain[-1].kind == "anonymous"
            else resolve_origin(chain[-1].name, registry, reliability)
            for chain in claim.chains if not NOBODY.match(chain[-1].name)]


def anonymous_origin(claim: Claim, chain: tuple, registry: Registry, reliability: dict[str, str]) -> Origin:
    """ "a Western official" cited by The Wall Street Journal: the official is an origin of
    its own, judged one grade below the outlet that vouches for it. Officials of a state
    ("Pakistani officials") are that state's party; unnamed sources described alike
    ("Western officials") are one party whichever outlet cites them: they may well be the
    same people."""
    last = chain[-1]
    via_hop = chain[-2] if len(chain) > 1 else None
    via = resolve_origin(via_hop.name if via_hop else writer_name(claim), registry, reliability)
    grade = _GRADES[min(_GRADES.index(via.reliability) + 1, 4)] if via_hop or claim.outlet else UNREGISTERED_GRADE
    country = registry.state_of(last.name)
    party = f"state-{country.lower()}" if country else f"anonymous:{_normal(last.name)}"
    return Origin(f"{last.name} (via {via.name})", None, party, grade, None, True)


def sides_of(origin: Origin) -> frozenset[str]:
    """The sides of wars an origin stands on ("russia-ukraine:ukraine"): its registry
    entry's, else those of the state whose party it is."""
    if origin.entry is not None and origin.entry.conflicts:
        return frozenset(f"{conflict}:{side}" for conflict, side in origin.entry.conflicts)
    if origin.party.startswith("state-"):
        country = origin.party.removeprefix("state-").upper()
        return frozenset(f"{conflict}:{side}" for conflict, sides in _sides().items()
                         for code, side in sides.items() if code == country)
    return frozenset()


def opposed(sides: frozenset[str], others: frozenset[str]) -> bool:
    """Whether two sets of sides hold the two sides of one war."""
    ours = dict(s.split(":", 1) for s in sides)
    return any(ours.get(conflict, side) != side for conflict, side in (s.split(":", 1) for s in others))


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
    counted = sides_in(claim.subject) or sides_in(claim.text)
    for conflict, side in origin.entry.conflicts:
        for country in counted:
            counted_side = _sides().get(conflict, {}).get(country)
            if counted_side is not None and counted_side != side:
                return True
    return False


def complete_upstream(members: list[Claim], origins: dict[str, list[Origin]], registry: Registry,
                      reliability: dict[str, str]) -> dict[str, list[Origin]]:
    """Across the reports of one group: when one report shows that X cited Y, X is not an
    origin of its own elsewhere in the group ("RBC Ukraine said 500 were killed" relays
    "citing Global Defense Corp." in another report). A report the writer asserts takes
    the origin its document gives for the same group; else, where other reports attribute
    the same figure, theirs: an outlet stating a figure that others credit to a source is
    relaying it, not confirming it (unless that source is the enemy, in a war, of every
    source the writer's document names: it does not silently relay the other side). Bare "officials" are the group's one kind of described
    unnamed sources ("Western officials"), if it has one. Only relays are completed so: an
    intelligence service, an army, a ministry or an international body that cites another
    once may speak from its own information elsewhere (lawmakers relay a briefing)."""
    upstream: dict[str, Origin] = {}
    for claim in members:
        for chain, last in zip(claim.chains, origins[claim.id]):
            for i, (near, far) in enumerate(itertools.pairwise(chain)):
                near_o = resolve_origin(near.name, registry, reliability)
                if far.kind != "anonymous" and not (near_o.entry and near_o.entry.kind in _PRIMARY):
                    far_o = last if i == len(chain) - 2 else resolve_origin(far.name, registry, reliability)
                    upstream.setdefault(near_o.party, far_o)
    unnamed = _unnamed_party(members, origins)
    own = {c.id: [replace(o, party=unnamed) if unnamed and o.registry_id is None and _unqualified(o) else o
                  for o in origins[c.id]] for c in members}
    by_doc: dict[str, list[Origin]] = {}
    by_figure: dict[tuple, list[Origin]] = {}
    for claim in sorted(members, key=lambda c: (c.published or "", c.id)):
        if not by_writer(claim):
            by_doc.setdefault(claim.doc, own[claim.id])
            if claim.quantity is not None:
                by_figure.setdefault(_figure(claim), own[claim.id])
    result = {}
    for claim in members:
        found = own[claim.id]
        if by_writer(claim):
            credited = by_figure.get(_figure(claim)) if claim.quantity else None
            if credited and found and any(opposed(found[0].speaks_from, sides_of(o)) for o in credited):
                credited = None  # a report whose sources are all Ukraine's does not relay Russia's ministry
            found = by_doc.get(claim.doc) or credited or found
        completed = []
        for origin in found:
            seen = set()
            while origin.party in upstream and origin.party not in seen:
                seen.add(origin.party)
                origin = upstream[origin.party]
            completed.append(origin)
        result[claim.id] = completed
    return one_person_spelled_apart(result)


def _name_word(word: str) -> bool:
    """A capitalised word of letters ("Kravets", "Müller", "O'Neill")."""
    return len(word) >= 2 and word[0].isupper() and all(ch.islower() or ch in "’'-" for ch in word[1:])


@lru_cache(maxsize=65536)  # asked for every origin of every group
def _person_words(name: str) -> tuple[str, ...] | None:
    """The words of a name that looks like a person's ("Bohdan Kravets"), folded to plain
    lower-case letters ("Müller" as "muller"); None for anything else."""
    words = name.split()
    if not 2 <= len(words) <= 3 or not all(_name_word(w) for w in words):
        return None
    folded = unicodedata.normalize("NFKD", name.lower())
    return tuple("".join(ch for ch in folded if not unicodedata.combining(ch)).split())


def _same_person(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Two spellings of one name, as a transliteration or a typo gives them: "Bohdan
    Kravets" and "Bogdan Kravetz"; not "Ivan Petrenko" and "Oleh Petrenko", nor "John
    Smith" and "Joan Smith" (a short given name is compared as it is written). A surname
    of six letters or more may differ by about one letter in seven (`SequenceMatcher`
    ratio 0.85), a given name of five or more by about one in four (0.75)."""
    if len(a) != len(b) or a == b:
        return False
    close = lambda x, y: difflib.SequenceMatcher(None, x, y).ratio()
    surname = a[-1] == b[-1] or (min(len(a[-1]), len(b[-1])) >= 6 and close(a[-1], b[-1]) >= 0.85)
    return surname and all(x == y or (min(len(x), len(y)) >= 5 and close(x, y) >= 0.75)
                           for x, y in zip(a[:-1], b[:-1]))


def one_person_spelled_apart(found: dict[str, list[Origin]]) -> dict[str, list[Origin]]:
    """Within one group, unregistered people whose names are one name in other letters (a
    transliteration or a typo of a person, or of a registered body's spokesperson) are one
    party: the registered body's when exactly one is among them, else the first of their
    party keys in order (whatever the order of the reports)."""
    # Names by the first letters of their surname: only those can be spellings of one name
    # (a group of thousands of reports compares few pairs).
    known: dict[str, dict[tuple[str, ...], set[str]]] = {}
    distinct = {(o.name, o.registry_id, o.party): o for origins in found.values() for o in origins}
    for origin in distinct.values():
        for name in ([origin.name] if origin.registry_id is None else [p for p, _ in origin.entry.people]
                     if origin.entry else []):
            words = _person_words(name)
            if words is not None:
                known.setdefault(words[-1][:3], {}).setdefault(words, set()).add(origin.party)
    parent: dict[str, str] = {}

    def root(party: str) -> str:
        while parent.get(party, party) != party:
            party = parent[party]
        return party

    for names in known.values():
        spelled = sorted(names)
        for i, words in enumerate(spelled):
            for other in spelled[i + 1:]:
                if _same_person(words, other):
                    for x in names[words]:
                        for y in names[other]:
                            if x != y and (x.startswith("unregistered:") or y.startswith("unregistered:")):
                                parent[root(x)] = root(y)
    if not parent:
        return found
    members: dict[str, set[str]] = {}
    for party in set(parent) | set(parent.values()):
        members.setdefault(root(party), set()).add(party)
    moved: dict[str, str] = {}
    for parties in members.values():
        registered = sorted(p for p in parties if not p.startswith("unregistered:"))
        if len(registered) > 1:
            continue  # two bodies' people alike: which one is meant, the names do not say
        target = registered[0] if registered else min(parties)
        moved.update({p: target for p in parties if p != target and p.startswith("unregistered:")})
    if not moved:
        return found
    return {cid: [replace(o, party=moved[o.party]) if o.party in moved and not o.anonymous else o for o in origins]
            for cid, origins in found.items()}


# Bodies that gather their own information: one that cites another once ("the NIS,
# citing Kyiv") is not taken to relay it wherever it speaks alone; an outlet is.
_PRIMARY = frozenset({"intelligence", "military", "ministry", "international"})

_UNQUALIFIED = frozenset("a an the some several two three unnamed anonymous senior officials official sources "
                         "source people person insiders".split())


def _unqualified(origin: Origin) -> bool:
    """ "officials", "a senior official", "sources": nothing says whose."""
    return _unqualified_name(origin.name)


@lru_cache(maxsize=65536)  # asked for every origin of every member when a group's origins are counted
def _unqualified_name(name: str) -> bool:
    words = name.split(" (via ")[0].lower().split()
    return all(w in _UNQUALIFIED for w in words)


def _unnamed_party(members: list[Claim], origins: dict[str, list[Origin]]) -> str | None:
    """The one party of the described unnamed sources of a group ("Western officials"),
    which its bare "officials" may well be: counting them apart would make an echo a
    confirmation."""
    described = {o.party for c in members for o in origins[c.id] if o.anonymous and not _unqualified(o)}
    return next(iter(described)) if len(described) == 1 else None


def _figure(claim: Claim) -> tuple:
    q = claim.quantity
    return (q.value,) if q.value is not None else (q.low, q.high)


@cache
def _unnamed_report_words() -> tuple[frozenset[str], frozenset[str]]:
    table = lexicon.load("assess")["unnamed_reports"]
    return frozenset(table["heads"]), frozenset(table["qualifiers"])


def unnamed_report(origin: Origin) -> bool:
    """ "Several media reports", "earlier reports": reports that say neither whose they
    are nor where their figure comes from."""
    if origin.registry_id is not None or origin.party.startswith("state-"):
        return False
    heads, qualifiers = _unnamed_report_words()
    words = _normal(origin.name.split(" (via ")[0]).split()
    return bool(words) and words[-1] in heads and all(w in heads or w in qualifiers for w in words)


def counted_origins(origins: list[Origin]) -> list[Origin]:
    """The origins that count towards a group's independent origins: unnamed reports
    only where nothing else backs it (they most likely echo an origin already counted)."""
    named = [o for o in origins if not unnamed_report(o)]
    return named or origins


def independent_parties(origins: list[Origin]) -> list[Origin]:
    """One origin per party, the most reliable of each (one that says who it is, before
    bare "officials")."""
    best: dict[str, Origin] = {}
    for origin in origins:
        current = best.get(origin.party)
        if current is None or (origin.reliability, _unqualified(origin), origin.name) < (
                current.reliability, _unqualified(current), current.name):
            best[origin.party] = origin
    return sorted(best.values(), key=lambda o: (o.reliability, o.name))
