"""Claim groups: claims about the same thing, matched as an analyst matches them.

Two figures are one claim when they count the same thing: the same event, compatible
people or things, a compatible place, the same time scope, and enough in common beyond
that (the same number, the same place, the same source, the same date, the incident's
name). Each decision names the features that matched; some differences forbid a match
whatever else agrees (cannot-links: different places, time scopes, sides, kinds of people
or things, a plan against a count, two numbers of one sentence). Matches are made
strongest first, and a group takes a member only if it stays consistent as a whole (a
group of Kursk figures never takes one from the Far East through a figure that only says
"Russia"). A running total stays one group over time (the same place, people and side:
the NIS's 100, then 300, then 600 killed). Statements group by shared content words; a
denial joins the figures it denies. Analyst overrides merge and split groups.
The weights and thresholds are data (assess.yaml `matching`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache

from ..extract import lexicon
from ..models import Claim, content_hash
from .frames import Frame, frames_of
from .places import gazetteer

_CONTENT = re.compile(r"[a-z][a-z'-]{2,}")
_STOP = frozenset(
    "the and that this with from were was have has had been for are its their they said says "
    "told would could about more than into over also which who what when where after before "
    "while there some said, not but his her our your them than then said.".split()
)


@cache
def _rules() -> dict:
    return lexicon.load("assess")["matching"]


@cache
def _with_people() -> frozenset[str]:
    return frozenset(lexicon.load("assess")["counted_with_people"]) | {"people"}


@cache
def _loss_events() -> frozenset[str]:
    return frozenset(lexicon.load("assess")["loss_events"])


@cache
def _stock_events() -> frozenset[str]:
    return frozenset(_rules()["stock_events"])


@cache
def _things() -> frozenset[str]:
    counted = lexicon.load("assess")["counted"]
    return frozenset(counted) - _with_people() - _parts() - {"troops", "workers"}


@cache
def _parts() -> frozenset[str]:
    return frozenset(lexicon.load("assess")["parts_of_people"])


def claim_date(claim: Claim) -> date | None:
    """When the figure holds: its own full date, else the publication date."""
    return _first_date(claim.time.date if claim.time else None, claim.published)


@lru_cache(maxsize=65536)
def _first_date(*texts: str | None) -> date | None:
    for text in texts:
        if text and len(text) >= 10:
            try:
                return date.fromisoformat(text[:10])
            except ValueError:
                continue
    return None


# ---------------------------------------------------------------- one pair

@dataclass(frozen=True)
class Match:
    """Why two claims are one: the features that matched, and how strongly."""

    score: float
    features: tuple[str, ...]
    strong: bool


def _classes_compatible(a: str | None, b: str | None, same_number: bool = False) -> bool:
    if a is None or b is None or a == b or {a, b} <= _with_people():
        return True
    # With one number: a part of the people and the whole ("189 Ukrainians", "189 Ukrainian
    # prisoners"), or people and soldiers ("25,200 killed", "25,200 personnel killed").
    return same_number and ((bool({a, b} & _parts()) and bool({a, b} & _with_people())) or {a, b} == {"people", "troops"})


def conflict(a: Claim, b: Claim, fa: Frame, fb: Frame, parties: dict[str, frozenset[str]] | None = None,
             same_number: bool | None = None) -> str | None:
    """Why two claims can never be one (a cannot-link), or None. (`same_number`: whether
    their numbers are one, when the caller knows.)"""
    parties = parties or {}
    if same_number is None:
        same_number = _same_number(a, b)
    if fa.event != fb.event:
        losses = {fa.event, fb.event} <= _loss_events() and "casualties" in (fa.event, fb.event)
        vague = "vague" in (a.quantity.bound if a.quantity else None, b.quantity.bound if b.quantity else None)
        if not (same_number and losses and not vague):
            return "different events"  # "losses" of 85 may be reported as 85 killed; "hundreds" are no number
    if not _classes_compatible(fa.counted, fb.counted, same_number):
        return "different people or things"
    if fa.kind != fb.kind and (fa.kind and fb.kind or not same_number):
        return "a part and the whole" if not (fa.kind and fb.kind) else "different types"
    if fa.sides and fb.sides and fa.sides != fb.sides and not (same_number and (fa.sides <= fb.sides or fb.sides <= fa.sides)):
        return "different sides"
    denial = a.quantity is None or b.quantity is None  # a denial of "troops in Russia" covers all of Russia
    stages = same_number and _stages_of_one_figure(a, b, fa, fb, parties)
    if not denial and not stages and not gazetteer().compatible(fa.places, fb.places):
        return "different places"  # as the claims name them: a report's main place is only a guess
    if not denial and not same_number and not gazetteer().compatible(fa.all_places, fb.all_places):
        return "different places (from the reports)"  # yet two reports on two cities and two tolls
    if fa.scope and fb.scope and (fa.scope != fb.scope or fa.period != fb.period):
        return "different time scopes"
    if fa.incident != fb.incident and (fb.scope if fa.incident else fa.scope) in {"cumulative", "average", "period"}:
        return "an incident and a total"
    if fa.planned != fb.planned and not stages:
        return "a plan and a count"
    if a.doc == b.doc and a.sentence == b.sentence and a.kind == b.kind == "figure" and not same_number and not (
            _other_parties(parties.get(a.id), parties.get(b.id))):
        # a sentence's numbers count different things ("18 in Varnitsa and 12 in Kolmar"),
        # unless two sources give them: "X says 60 were handed over, while Y says 75" sets
        # two accounts of one count side by side
        return "two numbers of one sentence"
    if (fa.part or fb.part) and not same_number:
        return "a part of a breakdown"  # "18 dead in Varnitsa" of 30 is not another source's 25
    if fa.part != fb.part and not (fa.by_place or fb.by_place) and a.doc != b.doc:
        # "1,100 buried and 400 unidentified" of 1,500 dead in one city are not another
        # report's "1,100 identified" there, nor its "400 killed": only an echo of the
        # breakdown repeats a part; a part that is its own place's toll ("12 in Kolmar" of 30)
        # is that place's whole toll
        return "a part of a breakdown and a whole"
    da, db = fa.when or claim_date(a), fb.when or claim_date(b)
    apart = abs((da - db).days) if da and db else None
    if fa.incident and fb.incident and not same_number and apart is not None and apart > int(_rules()["same_days"]):
        return "two incidents"
    if apart is not None and apart <= int(_rules()["same_days"]) and _far_apart(a, b) and not (
            fa.sides and fa.sides == fb.sides):
        # "25 killed on Friday" and "400 killed" in one camp days later count different
        # things; a side's losses are what belligerents dispute by tenfold (100 or 3,000)
        return "sizes far apart at one time"
    one_source = a.doc == b.doc or bool(parties.get(a.id, frozenset()) & parties.get(b.id, frozenset()))
    if one_source and _published_within_weeks(a, b) and _far_apart(a, b):
        return "one source, sizes far apart at one time"  # "17 killed" that day, "60,034" in all
    return None


def _stages_of_one_figure(a: Claim, b: Claim, fa: Frame, fb: Frame, parties: dict[str, frozenset[str]]) -> bool:
    """A plan and a count of one number (not a small one) from one named party (organs of
    one state are one) within weeks: one figure at two stages ("intends to send 4,000
    engineers", "4,000 engineers are already at the border camps", both one ministry's that
    week); the plan's place is where they are headed.
    Not a writer's: outlets restate plans and counts of others."""
    if fa.planned == fb.planned or not (a.chains and b.chains) or not (
            parties.get(a.id, frozenset()) & parties.get(b.id, frozenset())):
        return False
    q = a.quantity
    if q is None or q.bound == "vague" or q.value is None or q.value < float(_rules()["small_number"]):
        return False
    return _published_within_weeks(a, b)


def _published_within_weeks(a: Claim, b: Claim) -> bool:
    """Whether two claims were published within `series_days` of each other."""
    published = _first_date(a.published), _first_date(b.published)
    return None not in published and abs((published[0] - published[1]).days) <= int(_rules()["series_days"])


def _other_parties(a: frozenset[str] | None, b: frozenset[str] | None) -> bool:
    """Whether two claims come from different sources: each has one, and none in common."""
    return bool(a) and bool(b) and not a & b


def _side_in(sides: frozenset[str], places: frozenset[str]) -> bool:
    g = gazetteer()
    return len(sides) == 1 and bool(places) and all(next(iter(sides)) in g.ancestors.get(p, ()) for p in places)


def _close(a: Claim, b: Claim) -> bool:
    """Different numbers within `close` of each other ("nearly 3,000", "about 2,900"),
    neither small nor vague."""
    qa, qb = a.quantity, b.quantity
    if qa is None or qb is None or "vague" in (qa.bound, qb.bound) or not qa.value or not qb.value:
        return False
    low, high = sorted((qa.value, qb.value))
    return low >= float(_rules()["small_number"]) and (high - low) / high <= float(_rules()["close"])


def _comparable(a: Claim, b: Claim) -> bool:
    """Numbers within `comparable` of each other (the larger at most that many times the
    smaller); a vague number or none is comparable with any."""
    va = a.quantity.value if a.quantity else None
    vb = b.quantity.value if b.quantity else None
    return not va or not vb or max(va, vb) / min(va, vb) <= float(_rules()["comparable"])


def _far_apart(a: Claim, b: Claim) -> bool:
    va = a.quantity.value if a.quantity else None
    vb = b.quantity.value if b.quantity else None
    if not va or not vb:
        return False
    return max(va, vb) / min(va, vb) > float(_rules()["magnitude"])


def _same_number(a: Claim, b: Claim) -> bool:
    qa, qb = a.quantity, b.quantity
    if qa is None or qb is None:
        return False
    if "range" in (qa.bound, qb.bound):  # "10,000-12,000" is not "11,000", its middle
        return qa.bound == qb.bound and (qa.low, qa.high) == (qb.low, qb.high)
    if qa.value is not None and qb.value is not None:
        return qa.value == qb.value or abs(qa.value - qb.value) <= 1e-9 * max(1.0, abs(qa.value))
    return qa.value is None and qb.value is None and (qa.low, qa.high) == (qb.low, qb.high)


def compare(a: Claim, b: Claim, fa: Frame, fb: Frame, parties: dict[str, frozenset[str]],
            companions: bool = False) -> Match | None:
    """The match of two claims, or None when they are not one (a cannot-link, or too
    little in common). Strong when their own words carry it, weak when it needs what
    their documents say (a place or side the claim itself does not name). With
    `companions`, the figures their sentences give with them are one claim (below)."""
    same_number = _same_number(a, b)
    if conflict(a, b, fa, fb, parties, same_number):
        return None
    rules = _rules()
    weights = rules["weights"]
    own: list[str] = []
    borrowed: list[str] = []
    if same_number:
        q = a.quantity
        small = q.bound == "vague" or (q.value is not None and q.value < float(rules["small_number"]))
        own.append("small number" if small else "number")
    elif _close(a, b):
        own.append("close number")
    g = gazetteer()
    place = "place" if g.same(fa.places, fb.places, below_country=True) else "country" if g.same(fa.places, fb.places) else None
    if place:
        own.append(place)
    elif (fa.places or fb.places) and g.same(fa.all_places, fb.all_places, below_country=True):
        borrowed.append("place")
    if fa.counted and fb.counted and _classes_compatible(fa.counted, fb.counted, True):
        own.append("things" if fa.counted in _things() else "people")
    if fa.sides and fa.sides == fb.sides:
        own.append("side")
    elif fa.all_sides and fa.all_sides == fb.all_sides:
        borrowed.append("side")
    elif not place and (_side_in(fa.sides, fb.places) or _side_in(fb.sides, fa.places)):
        own.append("country")  # "Iranians killed" and "killed in Iran"
    if fa.scope and fa.scope == fb.scope:
        own.append("time scope")
    # The event's dates; publication dates only across reports (one report's figures
    # share its date whatever they count).
    da, db = (fa.when, fb.when) if a.doc == b.doc else (fa.when or claim_date(a), fb.when or claim_date(b))
    if da and db:
        days = abs((da - db).days)
        if days <= int(rules["same_days"]):
            own.append("date")
        elif days <= int(rules["series_days"]):
            own.append("weeks")
    if companions and "date" in own:
        own.append("companions")  # one incident's tolls: at one date
    if parties.get(a.id, frozenset()) & parties.get(b.id, frozenset()) and not (
            a.doc == b.doc and not a.chains and not b.chains):
        own.append("source")  # not a report's writer twice: it states all the background it recaps
    if len(fa.names & fb.names) >= 2:
        own.append("incident name")
    if a.doc == b.doc and a.sentence == b.sentence and _other_parties(parties.get(a.id), parties.get(b.id)):
        own.append("one sentence")  # "X says more than 10,000, while Y puts the figure at 10,000-12,000"
    score_own = sum(float(weights[f]) for f in own)
    score = score_own + sum(float(weights[f]) for f in borrowed)
    if a.quantity is None or b.quantity is None:
        # A denial gives no number: it is the figures' claim when it names the same event,
        # people and side ("dismissed reports of North Korean troops in Russia as fake").
        return Match(score, tuple(own), True) if {"people", "side"} <= set(own) else None
    # People, side, country, time scope and weeks say two figures may count the same
    # thing; at least one feature must say they do. A shared place does so within weeks
    # (or from one source), and not between an incident's toll and a figure that names
    # no incident.
    identity = {"incident name", "companions", "one sentence"}
    echo_window = {"date", "source", "place", "incident name"}
    if not (fa.when and fb.when):
        # echoes come within weeks; but two figures that each date their event in their own
        # words, days apart, count two events ("an attack on April 22 that killed 26" is no
        # echo of "26 killed on Tuesday", May 6)
        echo_window.add("weeks")
    if a.doc == b.doc or echo_window & set(own + borrowed):
        identity.add("number")  # echoes come within weeks, or say more
    if a.doc == b.doc or {"date", "source", "incident name"} & set(own):
        identity.add("close number")  # a rounder number: from its source, or at about its time
    if a.doc == b.doc or {"date", "source", "place", "incident name"} & set(own):
        identity.add("small number")  # "2 killed" is common: within weeks is not enough
    if fa.incident == fb.incident:  # between an incident's toll and a figure naming none, only these
        identity |= {"source", "date"}
        if {"date", "source"} & set(own) or ("weeks" in own and fa.sides and fa.sides == fb.sides):
            identity.add("place")  # within weeks, only a side's count over time (troops sent to Russia)
    if fa.scope in {"average", "day"}:
        identity.add("time scope")
    if fa.event in _stock_events() and not {"number", "small number", "source", "place", "country"} & set(own):
        # troops sent or present are counted whenever asked, for all of a country or one
        # region: two sources' different counts of one date count the same troops only
        # where both say where ("more than 11,000 in Kursk", "more than 10,000 sent")
        identity -= {"date", "close number"}
    if score < float(rules["join"]) or not identity & set(own):
        return None
    says_whose = "side" in own and fa.event in _loss_events() and not (fa.counted and fb.counted)
    if not {"number", "small number", "close number", "source", "people", "things"} & set(own) and not says_whose:
        # two sources' different numbers: one claim only if both say what they count, or
        # whose losses ("North Korean casualties" and "North Korean soldiers killed or wounded")
        return None
    if not {"number", "small number", "close number", "source", "incident name", "companions"} & set(own) and not _comparable(
            a, b) and not (fa.sides and fa.sides == fb.sides):
        # two sources' tolls far apart at one place and time count different things (74 in the
        # town, 100 in the town and its camps); a source's own running total may grow (773, then
        # 2,000), and a side's losses are what belligerents dispute (Seoul's 100, Kyiv's 3,000)
        return None
    strong = score_own >= float(rules["join"])  # its own words carry it: no place or side borrowed
    return Match(score, tuple(own + [f"{f} (from the report)" for f in borrowed]), strong)


# ---------------------------------------------------------------- groups

@dataclass
class _Signature:
    """What a group's members say, to keep a group consistent as it grows."""

    counted: set[str] = field(default_factory=set)
    kinds: set[str] = field(default_factory=set)
    sides: set[frozenset[str]] = field(default_factory=set)
    places: set[frozenset[str]] = field(default_factory=set)  # each member's own places
    scopes: set[tuple[str, str | None]] = field(default_factory=set)
    planned: set[bool] = field(default_factory=set)
    plan_places: set[frozenset[str]] = field(default_factory=set)  # where its plans send people
    stated: set[tuple[str, float]] = field(default_factory=set)  # (source, number) of its figures
    sentences: dict[tuple[str, str], dict] = field(default_factory=dict)  # each number of a sentence -> its sources
    values: set = field(default_factory=set)
    by_class: dict[str, set] = field(default_factory=dict)  # the numbers given for each class of people
    by_side: dict[frozenset[str], set] = field(default_factory=dict)  # and for each side

    @classmethod
    def of(cls, claim: Claim, f: Frame, parties: frozenset[str] = frozenset()) -> _Signature:
        s = cls()
        if f.counted:
            s.counted.add(f.counted)
        if f.kind:
            s.kinds.add(f.kind)
        if f.sides:
            s.sides.add(f.sides)
        if f.places:  # its own: a place taken from its report is only a guess
            (s.plan_places if f.planned else s.places).add(f.places)
        if f.scope:
            s.scopes.add((f.scope, f.period))
        s.planned.add(f.planned)
        if claim.kind == "figure" and claim.quantity:
            s.sentences[(claim.doc, claim.sentence)] = {
                (claim.quantity.value, claim.quantity.low, claim.quantity.high): frozenset(parties)}
            s.values.add(claim.quantity.value)
            s.stated |= {(party, claim.quantity.value) for party in parties}
            if f.counted:
                s.by_class[f.counted] = {claim.quantity.value}
            if f.sides:
                s.by_side[f.sides] = {claim.quantity.value}
        return s

    def fits(self, other: _Signature) -> bool:
        counted = self.counted | other.counted
        kinds_of_people = counted - _with_people()
        one_number = len(self.values | other.values) == 1
        if len(kinds_of_people) > 1 or (kinds_of_people and counted & _with_people() and not (
                (one_number and kinds_of_people <= _parts()) or self._whole_given_for_part(other)
                or self._people_are_troops(other))):
            return False  # a part of the people joins the whole only on its numbers
        if len(self.kinds | other.kinds) > 1:
            return False
        if not self._sides_fit(other):
            return False
        # a plan joins a count only as one source's same number (`_stages_of_one_figure`),
        # and then wherever it sends them
        stages = bool(self.stated & other.stated)
        if len(self.scopes | other.scopes) > 1 or (len(self.planned | other.planned) > 1 and not stages):
            return False
        g = gazetteer()
        pairs = [(self.places, other.places), (self.plan_places, other.plan_places)]
        if not stages:
            pairs += [(self.places, other.plan_places), (self.plan_places, other.places)]
        if not all(g.compatible(x, y) for mine, theirs in pairs for x in mine for y in theirs):
            return False
        # two numbers of one sentence only as two sources' accounts ("X says 150, while Y says 189")
        return all(x == y or _other_parties(self.sentences[k][x], other.sentences[k][y])
                   for k in self.sentences.keys() & other.sentences.keys()
                   for x in self.sentences[k] for y in other.sentences[k])

    def _whole_given_for_part(self, other: _Signature) -> bool:
        """ "189 Ukrainians" freed, "189 Ukrainian prisoners" and Moscow's "150 prisoners":
        the people and a part of them are one group when every number given for the people
        is given for the part too (the people counted are that part)."""
        part = (self.counted | other.counted) - _with_people()
        if len(part) != 1 or not part <= _parts():
            return False
        given = {k: self.by_class.get(k, set()) | other.by_class.get(k, set()) for k in _with_people() | part}
        return set().union(*(given[k] for k in _with_people())) <= given[next(iter(part))]

    def _people_are_troops(self, other: _Signature) -> bool:
        """ "62,400 people" and "62,400 personnel" (then "more than 62,000 soldiers"): people
        and soldiers are one group when every number given for either is given for the
        other too (the numbers of one side among those of the other)."""
        if (self.counted | other.counted) - {"people", "troops"}:
            return False
        people = self.by_class.get("people", set()) | other.by_class.get("people", set())
        troops = self.by_class.get("troops", set()) | other.by_class.get("troops", set())
        return people <= troops or troops <= people

    def _sides_fit(self, other: _Signature) -> bool:
        """One side, or a side and the side with its allies ("Russian", "Russian and North
        Korean") where every number given for the wider one is given for the narrower one."""
        sides = self.sides | other.sides
        if len(sides) <= 1:
            return True
        narrowest = min(sides, key=len)
        if not all(narrowest <= s for s in sides):
            return False
        values = {s: self.by_side.get(s, set()) | other.by_side.get(s, set()) for s in sides}
        return all(values[s] <= values[narrowest] for s in sides)

    def absorb(self, other: _Signature) -> None:
        for sides, values in other.by_side.items():
            self.by_side.setdefault(sides, set()).update(values)
        for klass, values in other.by_class.items():
            self.by_class.setdefault(klass, set()).update(values)
        self.counted |= other.counted
        self.values |= other.values
        self.kinds |= other.kinds
        self.sides |= other.sides
        self.places |= other.places
        self.plan_places |= other.plan_places
        self.stated |= other.stated
        self.scopes |= other.scopes
        self.planned |= other.planned
        for key, values in other.sentences.items():
            numbers = self.sentences.setdefault(key, {})
            for value, sources in values.items():
                numbers[value] = numbers.get(value, frozenset()) | sources


class _Groups:
    """Union-find over claims, each root holding its group's signature: `signature_of`
    gives a claim's own (None: joins without checks), read only once it is joined."""

    def __init__(self, signature_of: Callable[[str], _Signature | None] | None = None):
        self.parent: dict[str, str] = {}
        self.signature: dict[str, _Signature] = {}
        self.signature_of = signature_of

    def add(self, claim_id: str) -> None:
        self.parent[claim_id] = claim_id

    def _signature(self, root: str) -> _Signature | None:
        found = self.signature.get(root)
        if found is None and self.signature_of is not None:
            found = self.signature_of(root)  # a claim still alone: most are, and stay so
        return found

    def find(self, x: str) -> str:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str, check: bool = True) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        sa, sb = self._signature(ra), self._signature(rb)
        if check and sa is not None and sb is not None and not sa.fits(sb):
            return False
        keep, drop = min(ra, rb), max(ra, rb)
        self.parent[drop] = keep
        if sa is not None and sb is not None:
            kept, dropped = (sa, sb) if keep == ra else (sb, sa)
            kept.absorb(dropped)
            self.signature[keep] = kept
            self.signature.pop(drop, None)
        elif sa is not None or sb is not None:
            self.signature[keep] = sa or sb
            self.signature.pop(drop, None)
        return True


@dataclass(frozen=True)
class Grouping:
    """Groups (id -> members); the matches that joined them (claim, claim, match); for
    each claim whether its group's grade may rest on it; each claim's component (the
    smallest claim id of those its matches reach, whether or not they joined: what a
    change to one claim can regroup); the denials that joined a figure of their report
    (not grouped by their words)."""

    groups: dict[str, list[Claim]]
    links: list[tuple[str, str, Match]]
    core: dict[str, bool]
    components: dict[str, str] = field(default_factory=dict)
    joined: frozenset[str] = frozenset()


def time_order(claim: Claim) -> tuple[date, str]:
    """The order of the candidate buckets: the figure's date, then its id."""
    return claim_date(claim) or date.min, claim.id


def blocking_keys(claim: Claim, f: Frame, parties: frozenset[str]) -> list[str]:
    """The buckets a matched claim is compared in with its neighbours in time: the same
    number, the same place and people, the same incident names, the same source."""
    keys = []
    q = claim.quantity
    if q is not None:  # "85 killed" and "losses of 85" may be one figure
        numbers = (q.value,) if q.value is not None else (q.low, q.high)
        keys.append(_key("v", *(repr(float(n)) if n is not None else "-" for n in numbers)))
    counted = f.counted if f.counted in _things() else "people"
    g = gazetteer()
    around = {up for place in f.all_places for up in g.ancestors.get(place, ())}  # Rafah with Gaza
    if not f.places:
        around.add("")  # a place its report lends is a guess: also among figures naming none
        around |= {side for side in f.sides if side in g.countries}  # "Pakistani civilians": in Pakistan
    keys.extend(_key("p", f.event, counted, place) for place in sorted(around))
    names = sorted(f.names)
    keys.extend(_key("n", f.event, first, second) for i, first in enumerate(names) for second in names[i + 1:])
    keys.extend(_key("s", f.event, party) for party in sorted(parties))
    return keys


def _key(*parts) -> str:
    return "\x1f".join("" if p is None else str(p) for p in parts)


DOC_PAIRS = 60  # a report with more figures than this is compared through the buckets only


def _candidates(claims: list[Claim], frames: dict[str, Frame], parties: dict[str, frozenset[str]]
                ) -> Iterable[tuple[Claim, Claim]]:
    """Pairs worth comparing, the earlier first: figures of one report (of at most
    `DOC_PAIRS`), and each claim with its `neighbours` next in time in each bucket
    (`blocking_keys`)."""
    near = int(_rules()["neighbours"])
    by_doc: dict[str, list[Claim]] = defaultdict(list)
    buckets: dict[str, list[Claim]] = defaultdict(list)
    for claim in sorted(claims, key=time_order):  # each bucket in time order
        by_doc[claim.doc].append(claim)
        for key in blocking_keys(claim, frames[claim.id], parties.get(claim.id, frozenset())):
            buckets[key].append(claim)
    for members in by_doc.values():
        if len(members) <= DOC_PAIRS:
            for i, a in enumerate(members):
                for b in members[i + 1:]:
                    yield a, b
    for members in buckets.values():
        for i, a in enumerate(members):
            for b in members[i + 1:i + 1 + near]:
                yield a, b


def group_claims(claims: list[Claim], merges: dict[str, str] | None = None, splits: Iterable[str] = (),
                 parties: dict[str, frozenset[str]] | None = None,
                 frames: dict[str, Frame] | None = None,
                 pairs: Iterable[tuple[Claim, Claim]] | None = None,
                 statement_pairs: Iterable[tuple[Claim, Claim, int | None]] | None = None) -> Grouping:
    """Group the claims; group ids are stable (a hash of the group's first claim).

    `pairs` (the earlier first) and `statement_pairs` default to the candidates among
    `claims`; the incremental assessment gives those the whole ledger gives a region of
    it."""
    frames = frames or frames_of(claims)
    parties = parties or {}
    split = set(splits)
    matched = [c for c in claims if c.id not in split and _is_matched(c, frames[c.id])]
    matched_ids = {c.id for c in matched}
    by_id = {c.id: c for c in matched}

    def signature_of(claim_id: str) -> _Signature | None:
        claim = by_id.get(claim_id)
        return None if claim is None else _Signature.of(claim, frames[claim_id], parties.get(claim_id, frozenset()))

    uf, strong, reach = _Groups(signature_of), _Groups(), _Groups()
    for claim in claims:
        uf.add(claim.id)
        strong.add(claim.id)
        reach.add(claim.id)
    edges: dict[tuple[str, str], tuple[Match, Claim, Claim]] = {}
    for a, b in (_candidates(matched, frames, parties) if pairs is None else pairs):
        key = (a.id, b.id) if a.id < b.id else (b.id, a.id)
        if key not in edges:
            match = compare(a, b, frames[a.id], frames[b.id], parties)
            if match is not None:
                edges[key] = (match, a, b)
                reach.union(a.id, b.id)
    links: list[tuple[str, str, Match]] = []

    def join(found: Iterable[tuple[Match, Claim, Claim]]) -> None:
        for match, a, b in sorted(found, key=lambda e: (-e[0].score, -e[0].strong, e[1].id, e[2].id)):
            if uf.find(a.id) != uf.find(b.id) and uf.union(a.id, b.id):
                links.append((a.id, b.id, match))
            if match.strong and uf.find(a.id) == uf.find(b.id):
                strong.union(a.id, b.id, check=False)

    join(edges.values())
    mates = _sentence_mates(matched)
    for group in mates.values():
        for other in group[1:]:
            reach.union(group[0].id, other.id)  # a figure's companions are in its component
    companions = []
    for a, b, strongly in _companion_pairs(mates, uf, strong):
        match = compare(a, b, frames[a.id], frames[b.id], parties, companions=True)
        if match is not None and not strongly and "companions" in match.features:
            # companions joined only weakly make no strong match either
            match = Match(match.score, tuple("companions (joined weakly)" if f == "companions" else f
                                             for f in match.features), False)
        if match is not None:
            companions.append((match, a, b))
    join(companions)
    statements = [c for c in claims if c.id not in split and c.id not in matched_ids]
    left = _join_denials(statements, matched, frames, parties, (uf, strong, reach))
    _group_statements(left, (uf, strong, reach), float(lexicon.load("assess")["grading"]["statement_similarity"]),
                      statement_pairs)
    joined = frozenset(c.id for c in statements) - {c.id for c in left}
    groups: dict[str, list[Claim]] = defaultdict(list)
    for claim in claims:
        groups[uf.find(claim.id)].append(claim)
    result: dict[str, list[Claim]] = {}
    core: dict[str, bool] = {}
    for members in groups.values():
        members.sort(key=lambda c: c.id)
        first = min(members, key=lambda c: (c.published or "", c.id))
        f = frames[first.id]
        kind = ("split",) if first.id in split else ("figure", f.event, f.counted) if first.id in matched_ids else ("statement",)
        gid = content_hash("group", kind, first.id)
        result[gid] = members
        core.update(_core(members, strong, frames))
    components = {claim.id: reach.find(claim.id) for claim in claims}
    return Grouping(merge_groups(result, merges or {}), links, core, components, joined)


def _sentence_mates(matched: list[Claim]) -> dict[tuple[str, str], list[Claim]]:
    """The figures of each sentence that gives figures of two or more events ("31 killed
    and 57 injured")."""
    by_sentence: dict[tuple[str, str], list[Claim]] = defaultdict(list)
    for claim in matched:
        if claim.kind == "figure":
            by_sentence[(claim.doc, claim.sentence)].append(claim)
    return {key: sorted(group, key=lambda c: c.id) for key, group in by_sentence.items()
            if len({c.event for c in group}) > 1}


def _companion_pairs(mates: dict[tuple[str, str], list[Claim]], uf: _Groups, strong: _Groups
                     ) -> list[tuple[Claim, Claim, bool]]:
    """Figures of two reports that each come with a figure of another event, those two of
    one group: two reports' "31 killed and 57 injured" and "26 killed and 46 injured",
    once their killed are one claim, give the same incident's injured. Such a pair is
    compared with `companions` as a shared feature that identifies the claim, as an
    incident's name does (the numbers may differ: a toll rises); every other rule holds.
    Pairs already in one group are given too: companions joined strongly make their match
    strong (the third of each pair says whether they are)."""
    by_group: dict[tuple[str, str], dict[str, Claim]] = defaultdict(dict)  # (group of a companion, event) -> figures
    mates_of: dict[tuple[str, str], set[str]] = defaultdict(set)  # (claim, group) -> its companions' strong parts
    for group in mates.values():
        for claim in group:
            for mate in group:
                if mate.event != claim.event:
                    root = uf.find(mate.id)
                    by_group[(root, claim.event)][claim.id] = claim
                    mates_of[(claim.id, root)].add(strong.find(mate.id))
    near = int(_rules()["neighbours"])  # as the buckets: linear in a group of thousands
    pairs = {}
    for (root, _), figures in by_group.items():
        ordered = sorted(figures.values(), key=time_order)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1:i + 1 + near]:
                if a.doc != b.doc:
                    strongly = bool(mates_of[(a.id, root)] & mates_of[(b.id, root)])
                    pairs[(a.id, b.id)] = (a, b, pairs.get((a.id, b.id), (a, b, False))[2] or strongly)
    return [pairs[key] for key in sorted(pairs)]


def merge_groups(groups: dict[str, list[Claim]], merges: dict[str, str]) -> dict[str, list[Claim]]:
    """The analysts' merges, in the order they were made: each group's members join the
    group it was merged into."""
    for source, target in merges.items():
        if source in groups and target in groups and source != target:
            groups[target].extend(groups.pop(source))
    return groups


def _core(members: list[Claim], strong: _Groups, frames: dict[str, Frame]) -> dict[str, bool]:
    """The members a group's grade rests on: its largest set joined by strong matches
    (the one whose members name their place and side themselves, then the earliest, on a
    tie); the others joined it only weakly."""
    parts: dict[str, list[Claim]] = defaultdict(list)
    for claim in sorted(members, key=lambda c: (c.published or "", c.id)):
        parts[strong.find(claim.id)].append(claim)
    if len(parts) == 1:
        return {c.id: True for c in members}
    best = max(parts.values(), key=lambda part: (
        len(part), sum(bool(frames[c.id].places) + bool(frames[c.id].sides) for c in part)))
    chosen = {c.id for c in best}
    return {c.id: c.id in chosen for c in members}


def _is_matched(claim: Claim, f: Frame) -> bool:
    """Figures, and denials that say what they deny (an event and whose people or what)."""
    return claim.kind == "figure" or (claim.stance == "denied" and f.event is not None
                                      and bool(f.sides or f.counted))


def _join_denials(statements: list[Claim], matched: list[Claim], frames: dict[str, Frame],
                  parties: dict[str, frozenset[str]], ufs: tuple[_Groups, ...]) -> list[Claim]:
    """A denial that names no event denies a figure of its own report: the one group of
    its figures that count what it names ("did not lose any jet"), else, when it speaks of
    figures or claims ("rejected the U.N. figures"), its report's one group of figures;
    never a figure of its own source's. The statements left to group by their words are
    returned."""
    figures: dict[str, list[Claim]] = defaultdict(list)
    for claim in matched:
        if claim.kind == "figure":
            figures[claim.doc].append(claim)
    refers = frozenset(lexicon.load("assess")["denied_figures"])
    uf = ufs[0]
    left = []
    for claim in statements:
        mine = figures.get(claim.doc) if claim.stance == "denied" else None
        target = None
        if mine:
            counted = frames[claim.id].counted
            same = {uf.find(c.id) for c in mine if counted and frames[c.id].counted == counted}
            if len(same) == 1:
                target = next(iter(same))
            elif not same and statement_words(claim.sentence) & refers and len({uf.find(c.id) for c in mine}) == 1:
                target = uf.find(mine[0].id)
        own = parties.get(claim.id, frozenset())
        if target is not None and any(parties.get(c.id, frozenset()) & own for c in mine if uf.find(c.id) == target):
            target = None  # a source does not deny its own figure: it denies another's claim
        if target is None:
            left.append(claim)
            continue
        for groups in ufs:
            groups.union(claim.id, target, check=False)
    return left


def statement_words(text: str) -> frozenset[str]:
    """The content words a statement is compared by."""
    return frozenset(w for w in _CONTENT.findall(text.lower()) if w not in _STOP)


STATEMENT_INDEX = 50  # a word indexes its first statements only: very common words do not make candidates


def _statement_candidates(statements: list[Claim], threshold: float) -> Iterable[tuple[Claim, Claim, int]]:
    """(statement, earlier statement, words they share among those that index the earlier
    one): the earlier is among the first `STATEMENT_INDEX` statements of each word counted.
    Pairs that share fewer than `threshold` of the larger one's words cannot reach the
    threshold and are left out."""
    index: dict[str, list[Claim]] = defaultdict(list)
    sizes: dict[str, int] = {}
    for claim in statements:
        shared: dict[str, int] = defaultdict(int)
        others: dict[str, Claim] = {}
        mine = statement_words(claim.text)
        sizes[claim.id] = len(mine)
        for word in mine:
            for other in index[word]:
                shared[other.id] += 1
                others[other.id] = other
        for other_id, count in shared.items():
            if count >= threshold * max(len(mine), sizes[other_id]):
                yield claim, others[other_id], count
        for word in mine:
            if len(index[word]) < STATEMENT_INDEX:
                index[word].append(claim)


def _group_statements(statements: list[Claim], ufs: tuple[_Groups, ...], threshold: float,
                      pairs: Iterable[tuple[Claim, Claim, int]] | None = None) -> None:
    """Statements sharing most content words are one claim (a strong match: their own
    words). A pair given with `shared` None is known to be one claim."""
    words: dict[str, frozenset[str]] = {}
    taking_part = {c.id for c in statements}
    for claim, other, shared in (_statement_candidates(statements, threshold) if pairs is None else pairs):
        if claim.id not in taking_part or other.id not in taking_part:
            continue
        if shared is None:
            for uf in ufs:
                uf.union(claim.id, other.id)
            continue
        for c in (claim, other):
            if c.id not in words:
                words[c.id] = statement_words(c.text)
        mine, theirs = words[claim.id], words[other.id]
        if shared < threshold * max(len(mine), len(theirs)):
            continue  # (their union is at least the larger: most pairs share a word or two)
        union = len(mine | theirs)
        if union and shared / union >= threshold:
            for uf in ufs:
                uf.union(claim.id, other.id)
