"""Sources resolved in their document's context.

A name the registry does not know on its own is resolved the way a reader resolves it:
- a description of a state body ("Iran's health ministry", "Pakistani officials", "the
  Russian ministry") is an organ of that state: its party, even where the registry has no
  entry for it;
- a person is who the sentence says they are ("Iran's Health Minister Mohammad-Reza
  Zafarghandi", "Hossein Kermanpour, the ministry's spokesperson"): a spokesperson speaks
  for their institution's party;
- a description that names nobody ("the ministry", "the spy agency", "the MOD", "the
  statement", "the country's spy agency") is the source of that kind the document names
  nearest before it (else anywhere in it);
- a person resolved in one report is the same party wherever the same name appears.
A dateline is never a source (extraction leaves it out), and neither is "neither Moscow"
or "nobody outside Kyiv": a chain that ends in no one is the writer's.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import replace
from functools import cache

from ..extract import lexicon
from ..models import Claim, Hop
from .corroboration import NOBODY, Origin, anonymous_origin, resolve_origin, sides_of, writer_name
from .frames import sentence_start
from .places import gazetteer
from .registry import UNREGISTERED_GRADE, Entry, Registry

_WORD = re.compile(r"[\w'’.-]+")
_CLAUSE = re.compile(r"[,;:()\"“”]")
_COUNTRY_S = re.compile(r"\b(?:the\s+)?(?:country|nation)['’]s\b", re.IGNORECASE)


@cache
def _generic() -> dict[str, frozenset[str]]:
    """Head word of a description that names nobody -> the kinds of source it can be."""
    table = lexicon.load("assess")["generic_sources"]
    return {word: frozenset(kinds) for kinds_words in table for kinds, word in _pairs(kinds_words)}


def _pairs(row: dict):
    kinds = tuple(row["kinds"]) or ("any",)
    for word in row["words"]:
        yield kinds, word.lower()


@cache
def _local() -> tuple[str, ...]:
    """Descriptions of a body of the place a report is about ("the health ministry")."""
    table = lexicon.load("assess")["generic_sources"]
    return tuple(word.lower() for row in table if row.get("local") for word in row["words"])


@cache
def _place_names() -> dict[str, str]:
    """Gazetteer place id -> its first name ("ps-gaza" -> "Gaza")."""
    names: dict[str, str] = {}
    for key, place in gazetteer().names.items():
        names.setdefault(place, " ".join(key))
    return names


@cache
def _fillers() -> frozenset[str]:
    return frozenset(lexicon.load("assess")["generic_fillers"])


def generic_kinds(name: str) -> frozenset[str] | None:
    """The kinds of source a description that names nobody can be ("the ministry" ->
    ministry, military, government), or None when the name says who it is."""
    words = [w.lower().strip("'’.") for w in _WORD.findall(name)]
    words = [w.removesuffix("'s").removesuffix("’s") for w in words
             if w not in _fillers() and not w.endswith("-based")]  # "the UK-based monitor"
    if not words:
        return None
    table = _generic()
    kinds: set[str] = set()
    i = 0
    while i < len(words):
        two = " ".join(words[i:i + 2])
        if two in table:
            kinds |= table[two]
            i += 2
        elif words[i] in table:
            kinds |= table[words[i]]
            i += 1
        else:
            return None
    return frozenset(kinds)


def _fits(entry: Entry | None, origin: Origin, kinds: frozenset[str]) -> bool:
    if "any" in kinds:
        return True
    if entry is None:
        return origin.party.startswith("state-") and bool(kinds & {"government", "ministry", "military"})
    return entry.kind in kinds


class _Document:
    """The sources one document names, in order, resolved on their own."""

    def __init__(self, claims: list[Claim], resolve):
        self.mentions: list[tuple[int, Origin]] = []
        self.figure_places = [place for claim in claims if claim.kind == "figure" and claim.location
                              for place in gazetteer().find(claim.location)]
        for claim in claims:
            for chain in claim.chains:
                for hop in chain:
                    origin = resolve(hop.name)
                    if origin is not None:
                        self.mentions.append((hop.start if hop.start is not None else claim.start, origin))
        self.mentions.sort(key=lambda m: m[0])

    def nearest(self, at: int, kinds: frozenset[str], registry: Registry, own: frozenset[str] = frozenset()
                ) -> Origin | None:
        """The fitting source named nearest before `at` (else the one source named after
        it); one whose name shares the description's own words ("health") first."""
        fitting = [(pos, o) for pos, o in self.mentions
                   if _fits(registry.get(o.registry_id) if o.registry_id else None, o, kinds)]
        alike = [m for m in fitting if own & _name_words(m[1].name)]
        for candidates in (alike, fitting):
            before = [m for m in candidates if m[0] < at]
            if before:
                return before[-1][1]
            if len({o.party for _, o in candidates}) == 1:
                return candidates[0][1]
        return None

    def places(self) -> list[str]:
        """The places this document's figures happened in, the most named first, each
        with the places it lies in after it (Rafah, then Gaza, then Palestine)."""
        g = gazetteer()
        counted: dict[str, int] = defaultdict(int)
        for place in self.figure_places:
            for up in g.ancestors.get(place, ()):
                counted[up] += 1
        return sorted(counted, key=lambda p: (-counted[p], -len(g.ancestors.get(p, ())), p))

    def speaks_from(self) -> frozenset[str]:
        """The side of each war that this document's sources all stand on (a war whose
        two sides it names says nothing)."""
        sides: dict[str, set[str]] = defaultdict(set)
        for _, origin in self.mentions:
            for held in sides_of(origin):
                conflict, side = held.split(":", 1)
                sides[conflict].add(side)
        return frozenset(f"{conflict}:{side}" for conflict, held in sides.items() if len(held) == 1 for side in held)

    def countries(self, registry: Registry) -> list[str]:
        counted: dict[str, int] = defaultdict(int)
        for _, origin in self.mentions:
            if origin.party.startswith("state-"):
                counted[origin.party.removeprefix("state-").upper()] += 1
        return sorted(counted, key=lambda c: -counted[c])


def origins_in_context(claims: list[Claim], registry: Registry, reliability: dict[str, str] | None = None
                       ) -> dict[str, list[Origin]]:
    """The origins of each claim (one per chain; the outlet where the writer asserts it),
    resolved with what each claim's document and the whole ledger say."""
    reliability = reliability or {}
    resolved: dict[str, Origin | None] = {}

    def alone(name: str) -> Origin | None:
        """A name resolved by itself: the registry, else a state's description."""
        if name not in resolved:
            origin = resolve_origin(name, registry, reliability)
            if origin.registry_id is None:
                origin = state_origin(name, registry, reliability)
            resolved[name] = origin
        return resolved[name]

    by_doc: dict[str, list[Claim]] = defaultdict(list)
    for claim in claims:
        by_doc[claim.doc].append(claim)
    docs = {doc: _Document(members, alone) for doc, members in by_doc.items()}
    people: dict[str, Origin] = {}
    pending: list[tuple[Claim, int, Hop]] = []
    result: dict[str, list[Origin]] = {}
    for claim in claims:
        found: list[Origin] = []
        for i, chain in enumerate(claim.chains):
            last = chain[-1]
            if NOBODY.match(last.name):
                continue
            if last.kind == "anonymous":
                found.append(anonymous_origin(claim, chain, registry, reliability))
                continue
            origin = alone(last.name) or _in_sentence(claim, last, alone) or _in_document(
                claim, last, docs[claim.doc], registry, reliability)
            if origin is None:
                origin = resolve_origin(last.name, registry, reliability)
                pending.append((claim, len(found), last))
            elif last.kind == "person":
                people.setdefault(person_key(last.name), origin)
            found.append(origin)
        if not found:
            writer = resolve_origin(writer_name(claim), registry, reliability)
            found = [replace(writer, speaks_from=docs[claim.doc].speaks_from())]
        result[claim.id] = found
    for claim, index, hop in pending:  # a person another report says who they are
        known = people.get(person_key(hop.name))
        if known is not None:
            result[claim.id][index] = known
    return result


def state_origin(name: str, registry: Registry, reliability: dict[str, str]) -> Origin | None:
    """ "Iran's health ministry", "the Russian ministry", "Pakistani officials": an organ
    of a state the registry names no entry for, in that state's party."""
    country = registry.state_of(name)
    if country is None:
        return None
    key = "unregistered:" + " ".join(name.lower().split()).removeprefix("the ")
    return Origin(name, None, f"state-{country.lower()}", reliability.get(key, UNREGISTERED_GRADE))


def person_key(name: str) -> str:
    """What one person's name is known by across reports ("John  Kirby", "john kirby"):
    a person resolved in one report is resolved so wherever this key appears (and the
    incremental assessment re-reads every report naming it)."""
    return " ".join(name.lower().replace("’", "'").split())


def _in_sentence(claim: Claim, hop: Hop, alone) -> Origin | None:
    """Who the sentence says a person is: the words right before the name ("Iran's
    Health Minister X"), or an apposition right after it ("X, the ministry's
    spokesperson,") or before it ("the head of ISPR, X")."""
    sentence = claim.sentence
    start = sentence_start(claim)
    at = hop.start - start if start is not None and hop.start is not None else sentence.find(hop.name)
    if at is None or at < 0 or at > len(sentence):
        return None
    if hop.end is not None and hop.start is not None:  # the hop's span holds its title too
        inner = sentence[at:at + hop.end - hop.start].find(hop.name)  # "Ukraine's President X"
        at += max(inner, 0)
    end = at + len(hop.name)
    candidates = []
    before = _CLAUSE.split(sentence[:at])
    words = before[-1].split()
    candidates.extend(" ".join(words[i:]) for i in range(max(0, len(words) - 8), len(words)))
    after = sentence[end:]
    if after.startswith(","):
        candidates.append(_CLAUSE.split(after[1:])[0])
    if len(before) > 1 and not before[-1].strip() and sentence[:at].rstrip().endswith(","):
        candidates.append(before[-2])  # not "one of its Red Cross (ICRC) delegates"
    for phrase in candidates:
        phrase = phrase.strip()
        if phrase and generic_kinds(phrase) is None:
            origin = alone(phrase)
            if origin is not None:
                return origin
    return None


def _in_document(claim: Claim, hop: Hop, doc: _Document, registry: Registry,
                 reliability: dict[str, str]) -> Origin | None:
    """A description that names nobody: the fitting source its document names nearest."""
    name = hop.name
    if _COUNTRY_S.search(name):  # "the country's spy agency": the state the document is about
        for country in doc.countries(registry):
            word = registry.place_word(country)
            meant = _COUNTRY_S.sub(f"{word}'s", name) if word else None
            if meant:
                entry = registry.resolve(meant)
                origin = resolve_origin(entry.id, registry, reliability) if entry else state_origin(
                    meant, registry, reliability)
                if origin is not None:
                    return origin
    kinds = generic_kinds(name)
    if kinds is None:
        return None
    own = _name_words(name) - _head_words()
    found = doc.nearest(hop.start if hop.start is not None else claim.start, kinds, registry, own)
    if found is None and any(word in name.lower() for word in _local()):
        found = _of_place(name, doc, registry, reliability)  # "the health ministry" of Gaza
    if found is None and "any" not in kinds:  # "lawmakers" in a report about South Korea
        for country in doc.countries(registry)[:1]:
            found = state_origin(f"{registry.place_word(country)} {name.removeprefix('the ')}", registry, reliability)
    return found


def _name_words(name: str) -> frozenset[str]:
    return frozenset(w.lower().strip("'’.") for w in _WORD.findall(name)) - _fillers() - {"of", "the"}


@cache
def _head_words() -> frozenset[str]:
    """The words that say what kind of body a description names ("ministry", "agency")."""
    return frozenset(w for key in _generic() for w in key.split() if " " not in key)


def _of_place(name: str, doc: _Document, registry: Registry, reliability: dict[str, str]) -> Origin | None:
    """A local body ("the health ministry") of the place where the report's figures
    happened: the registry's body of that place ("Gaza health ministry"), else an organ
    of its state."""
    description = " ".join(w for w in name.split() if w.lower() not in _fillers())
    g = gazetteer()
    for place in doc.places():
        word = registry.place_word(place) if place in g.countries else _place_names().get(place)
        if not word:
            continue
        entry = registry.resolve(f"{word} {description}")
        if entry is not None:
            return resolve_origin(entry.id, registry, reliability)
        if place in g.countries:
            return state_origin(f"{word} {description}", registry, reliability)
    return None
