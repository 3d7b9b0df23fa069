"""What a figure counts, as the features an analyst compares: the event, the people or
things counted (their class, a named type, whose side), where, over what time (a day, an
average, a period, a running total), whether it is a plan rather than a count, the
incident's names and the event's date. Read from the claim's own words first; where the
claim is silent on place or side, from the other figures of its document (marked as
taken from the document: weaker evidence)."""

from __future__ import annotations

import multiprocessing
import re
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, fields
from datetime import date
from functools import cache, lru_cache
from importlib import resources
from itertools import combinations

import yaml

from ..extract import lexicon
from ..models import Claim
from .places import gazetteer

_WORD = re.compile(r"[A-Za-z][\w'’-]*")
_NUMBER = re.compile(r"\d[\d,.]*")
# "KYIV (Reuters) - ", and "KOLMAR, Tuesday, March 04, 2025 (Test Wire): "
_DATELINE = re.compile(r"^\s*[A-Z][A-Z .,/'’-]+(?:\([^)]*\))?\s*[-–—]+\s"
                       r"|^\s*[A-Z][A-Z .'’/-]+,[\w ,]{0,40}\([^)]*\)\s*[:–—-]\s")
_WINDOW_BEFORE, _WINDOW_AFTER = 110, 60
_OTHERS = re.compile(r"^\s*(?:others|other|more|another)\s*$", re.IGNORECASE)
_VENUE = re.compile(r"\b(?:conference|briefing|reporters|journalists|meeting|summit|interview)\s+(?:held\s+)?"
                    r"(?:in|at)\s+(?:the\s+)?$", re.IGNORECASE)
# Words that end the modifiers of a counted noun, looking back from it.
_NOT_MODIFIERS = frozenset("killed wounded injured said says were was is are have has had lost strikes strike "
                           "attacks attack on in by at from to with for among".split())


@dataclass(frozen=True)
class Frame:
    event: str | None
    counted: str | None  # troops, civilians, people, children, missiles, ... (assess.yaml `counted`)
    kind: str | None  # a named type of the things counted ("storm shadow", "rafale")
    sides: frozenset[str]  # whose people (ISO codes), from the claim's own words
    places: frozenset[str]  # gazetteer ids named by the claim
    context_places: frozenset[str]  # its document's places, where the claim names none
    context_sides: frozenset[str]  # whose people its document's other figures count
    scope: str | None  # day, average, period, cumulative
    period: str | None  # the period named ("in april"), for scope period
    planned: bool
    incident: bool  # the toll of one incident ("killed in the strike")
    names: frozenset[str]  # capitalised words that may name the incident ("Storm Shadow")
    when: date | None  # the event's date, from the claim's own time
    part: bool = False  # a part of a breakdown its sentence gives ("30 killed, 18 in Varnitsa and 12 in Kolmar")
    by_place: bool = False  # a part that is its own place's toll (12 "in Kolmar" of 30, the rest elsewhere)

    @property
    def all_places(self) -> frozenset[str]:
        return self.places or self.context_places

    @property
    def all_sides(self) -> frozenset[str]:
        return self.sides or self.context_sides


# ---------------------------------------------------------------- lexicons

@cache
def _assess() -> dict:
    return lexicon.load("assess")


@cache
def _side_pairs() -> list[tuple[str, str]]:
    """Demonyms and place words -> country ("North Korean" -> KP), longest first."""
    path = resources.files("claimledger") / "data" / "registry.yaml"
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    places = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)["lexicon"]["places"]
    pairs = [(w, code) for table in (places, _assess()["peoples"]) for code, words in table.items() for w in words]
    return sorted(pairs, key=lambda p: len(p[0]), reverse=True)


@cache
def _side_words() -> dict[tuple[str, ...], str]:
    """Side words as token tuples, case kept ("US" is not "us")."""
    return {tuple(_SIDE_TOKEN.findall(word)): code for word, code in _side_pairs()}


_SIDE_TOKEN = re.compile(r"[^\W_]+")


@cache
def _side_tokens() -> frozenset[str]:
    return frozenset(w.lower() for word, _ in _side_pairs() for w in _WORD.findall(word))


@cache
def _counted() -> dict[tuple[str, ...], str]:
    return {tuple(word.lower().split()): klass for klass, words in _assess()["counted"].items() for word in words}


def _singular(word: str) -> tuple[str, ...]:
    forms = [word]
    if word.endswith("ies"):
        forms.append(word[:-3] + "y")
    if word.endswith("es"):
        forms.append(word[:-2])
    if word.endswith("s"):
        forms.append(word[:-1])
    return tuple(forms)


class _Cues:
    """Phrases of several kinds (assess.yaml lists), found by word: one pass over a text
    finds every kind, case folded, whole words only."""

    def __init__(self, kinds: dict[str, list[str]]):
        self.table: dict[tuple[str, ...], str] = {}
        self.first: dict[str, int] = {}  # a phrase's first word -> the most words of a phrase it starts
        for kind, phrases in kinds.items():
            for phrase in phrases:
                key = tuple(_SIDE_TOKEN.findall(phrase.lower()))
                self.table.setdefault(key, kind)
                self.first[key[0]] = max(self.first.get(key[0], 0), len(key))

    def find(self, text: str) -> dict[str, str]:
        """Each kind found -> its first phrase."""
        tokens = _SIDE_TOKEN.findall(text.lower())
        found: dict[str, str] = {}
        first = self.first
        for i, token in enumerate(tokens):
            longest = first.get(token)
            if not longest:
                continue
            for n in range(min(longest, len(tokens) - i), 0, -1):
                kind = self.table.get(tuple(tokens[i:i + n]))
                if kind and kind not in found:
                    found[kind] = " ".join(tokens[i:i + n])
                    break
        return found


@cache
def _cues() -> _Cues:
    """Scopes (`scopes`, in their order of precedence), plans, an incident's toll, and
    words that make a sentence about an incident."""
    a = _assess()
    kinds = {f"scope:{scope}": words for scope, words in a["scopes"].items()}
    kinds["planned"] = a["planned"]
    kinds["incident toll"] = a["incident_scope"]
    kinds["freed"] = a["freed"]
    return _Cues(kinds)


@cache
def _incident_cues() -> _Cues:
    words = _assess()["incident_words"]
    return _Cues({"incident": [*words, *(f"{w}s" for w in words)]})


# ---------------------------------------------------------------- features of one claim

def sides_in(text: str | None) -> frozenset[str]:
    """The countries whose people a phrase names ("Ukrainian and Western military
    personnel" -> UA; "combined Russian and North Korean units" -> RU, KP)."""
    if not text:
        return frozenset()
    return _sides_cached(text)


@lru_cache(maxsize=262144)
def _sides_cached(text: str) -> frozenset[str]:
    table = _side_words()
    tokens = [t for t in _SIDE_TOKEN.findall(text) if t != "s"]  # "Russia's" -> Russia
    found, i = set(), 0
    while i < len(tokens):  # longest first: "North Korean", not "Korean"
        for n in (4, 3, 2, 1):
            code = table.get(tuple(tokens[i:i + n]))
            if code:
                found.add(code)
                i += n
                break
        else:
            i += 1
    return frozenset(found)


def counted_of(text: str | None, after: int | None = None) -> tuple[str | None, str | None]:
    """The class of what a phrase counts, by its head (the last counted word, longest
    phrase first), and a named type of things before it ("British-made Storm Shadow
    missiles" -> missiles, "storm shadow"). With `after` (the number's offset in a
    figure's stretch of sentence), the head nearest after the number, else before it."""
    if not text:
        return None, None
    tokens = list(_WORD.finditer(text))
    words = [m.group().lower().strip("'’") for m in tokens]
    table = _counted()
    heads = []
    for i in range(len(words) - 1, -1, -1):
        for n in (4, 3, 2, 1):
            if i - n + 1 < 0:
                continue
            head = words[i - n + 1:i + 1]
            klass = next((table[k] for k in ((*head[:-1], f) for f in _singular(head[-1])) if k in table), None)
            if klass:
                heads.append((i - n + 1, klass))
                break
    if not heads:
        return None, None
    if after is None:
        first, klass = heads[0]
    else:
        # The head right after the number ("4,500 [soldiers]"), not one a few words on
        # ("hundreds, including women and children"); else the nearest before it.
        number = next((i for i, m in enumerate(tokens) if m.start() >= after), len(tokens))
        following = [h for h in heads if number <= h[0] <= number + 3]
        preceding = [h for h in heads if tokens[h[0]].start() < after]
        if following:
            first, klass = min(following)
        elif preceding:
            first, klass = max(preceding)
        else:
            return None, None
    kind = None
    if klass in _assess()["named_types"]:
        named = [m.group() for m in tokens[max(0, first - 4):first]
                 if m.group()[0].isupper() and m.group().lower() not in _side_tokens() | _stop_names()]
        kind = " ".join(named).lower() or None
    return klass, kind


@cache
def _stop_names() -> frozenset[str]:
    return frozenset(_assess()["not_incident_names"])


def sentence_start(claim: Claim) -> int | None:
    """Where the claim's sentence starts in its document (hop offsets are the
    document's), or None when the sentence does not hold the claim's text."""
    text = claim.text.strip()
    at = claim.sentence.find(text) if text else -1
    return None if at < 0 else claim.start + (len(claim.text) - len(claim.text.lstrip())) - at


def _own_sentence(claim: Claim) -> str:
    """The claim's sentence with its sources' mentions and its dateline blanked out:
    "Ukraine's General Staff said" names neither a place nor the people counted."""
    sentence = _strip_dateline(claim.sentence)
    offset = sentence_start(claim)
    if offset is None:
        return sentence
    chars = list(sentence)
    for chain in claim.chains:
        for hop in chain:
            if hop.start is None or hop.end is None:
                continue
            start, end = hop.start - offset, hop.end - offset
            if 0 <= start < end <= len(chars):
                chars[start:end] = " " * (end - start)
            if hop.cue_end is not None and 0 <= hop.cue_end - offset <= len(chars):
                # "reported last week that", "told lawmakers in Seoul on Wednesday that": when
                # and where it was said, not what the figure counts
                after = _SAID_WHEN.match(sentence, hop.cue_end - offset)
                if after:
                    chars[after.start(1):after.end(1)] = " " * (after.end(1) - after.start(1))
    return "".join(chars)


# What follows a cue up to its "that" (a few words, no number).
_SAID_WHEN = re.compile(r"([^,;:.\d\"“]{1,40}?)\bthat\b")


def _window(claim: Claim, sentence: str) -> tuple[str, int]:
    """The stretch of the sentence that belongs to this figure's number (up to the
    neighbouring numbers, years aside, within a few words), and the number's offset in it."""
    q = claim.quantity
    at = sentence.find(q.text) if q and q.text else -1
    if at < 0:
        return claim.text, 0
    end = at + len(q.text)
    start, stop = max(0, at - _WINDOW_BEFORE), min(len(sentence), end + _WINDOW_AFTER)
    for match in _NUMBER.finditer(sentence):
        digits = match.group().replace(",", "")
        if len(digits) == 4 and digits.startswith(("19", "20")):
            continue  # a year bounds nothing
        if match.end() <= at and match.end() > start:
            start = match.end()
        elif match.start() >= end and match.start() < stop:
            stop = match.start()
    return sentence[start:stop], at - start


def scope_of(cues: dict[str, str]) -> tuple[str | None, str | None]:
    for scope in _assess()["scopes"]:
        phrase = cues.get(f"scope:{scope}")
        if phrase:
            return scope, (phrase.removeprefix("course of ").removeprefix("during ").removeprefix("in the month of ")
                           if scope == "period" else None)
    return None, None


def _names(sentence: str, exclude: set[str]) -> frozenset[str]:
    stop = _stop_names()
    words = set()
    for match in _WORD.finditer(sentence):
        word = match.group()
        if match.start() > 0 and word[0].isupper() and word.lower() not in stop and word.lower() not in exclude:
            words.add(word.lower().strip("'’"))
    return frozenset(words)


def _event_date(claim: Claim) -> date | None:
    text = claim.time.date if claim.time else None
    if text and len(text) >= 10:
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            return None
    return None


def _own_places(claim: Claim, window: str, sentence: str) -> frozenset[str]:
    g = gazetteer()
    location = claim.location
    if location and _VENUE.search(sentence[:max(0, sentence.find(location))]):
        location = None  # "briefed reporters in the capital": where it was said
    for text in (location, window, sentence):
        # the dead of "the war in Gaza" died there; troops sent to fight in a war are elsewhere
        found = g.find(text, claim.event in _loss_events()) if text else ()
        if found:
            return g.narrowest(frozenset(found))
    return frozenset()


def _strip_dateline(sentence: str) -> str:
    """ "KYIV (Reuters) - ..." with the dateline blanked (offsets kept)."""
    match = _DATELINE.match(sentence)
    return " " * match.end() + sentence[match.end():] if match else sentence


def frame_of(claim: Claim) -> Frame:
    """The claim's own features (no document context)."""
    sentence = _own_sentence(claim)
    if claim.kind == "figure":
        window, at = _window(claim, sentence)
    else:
        window, at = claim.text, None
    subject = _own_subject(claim)
    if subject:
        counted, kind = counted_of(subject)
    else:
        counted, kind = counted_of(window, at)
    if counted is None and claim.kind == "figure" and _OTHERS.match(claim.subject or ""):
        # "31 civilians were killed and 57 others injured": the others are civilians too
        number = sentence.find(claim.quantity.text) if claim.quantity and claim.quantity.text else -1
        if number > 0:
            counted, kind = counted_of(_ASIDE.sub(" ", sentence[:number]))  # not "including women and children"
    sides = sides_in(subject) if subject else frozenset()
    if not subject and counted:
        sides = _sides_before_head(window)
    if not sides and claim.event in _loss_events():
        sides = _loser(window, at)
    cues = _cues().find(window)
    if counted == "people" and claim.event == "other" and "freed" in cues:
        counted = "prisoners"  # "189 Ukrainians had returned home" from an exchange were prisoners
    scope, period = scope_of(cues)
    if scope is None and claim.kind == "figure":
        scope = _opening_scope(sentence)
    when = _event_date(claim)
    if claim.time and claim.time.text and _since(claim.time.text, sentence):
        # "since the start of the operation on 6 August 2024": a running total from that
        # date, which holds when it is reported
        scope, when = scope or "cumulative", _first_date(claim.published)
    source_words = {w.lower() for chain in claim.chains for hop in chain for w in _WORD.findall(hop.name)}
    incident = bool(_incident_cues().find(claim.sentence))
    names = _names(claim.sentence, source_words | _side_tokens() | _place_tokens()) if incident else frozenset()
    event = claim.event
    if claim.kind == "statement" and event is None and counted == "troops":
        event = "deployed"
    if event == "casualties" and _LIVES.search(subject or window):
        event = "killed"  # "3,000 civilian lives lost": lives lost are the dead, not the wounded too
    return Frame(
        event=event, counted=counted, kind=kind, sides=sides, places=_own_places(claim, window, sentence),
        context_places=frozenset(), context_sides=frozenset(), scope=scope, period=period,
        planned="planned" in cues,
        incident=claim.kind == "figure" and "incident toll" in cues, names=names,
        when=when,
    )


_LIVES = re.compile(r"\blives\b", re.IGNORECASE)
_ASIDE = re.compile(r"\b(?:including|among them|among whom)\b[^,;]*[,;]?", re.IGNORECASE)
_POINTS_BACK = re.compile(r"^\s*(?:more\s+)?(?:of|among)\s+(?:them|those|these|whom)\b", re.IGNORECASE)


def _own_subject(claim: Claim) -> str | None:
    """The claim's subject if its own sentence says it, or points back to it ("killed 300 of
    them"): a bare figure ("224 have been killed") takes its subject from a figure before
    it, which may count other people ("security force personnel" two sentences up); its
    own words decide instead."""
    words = _WORD.findall(claim.subject or "")
    if not words:
        return None
    head = words[-1].lower()
    if any(w.lower() == head for w in _WORD.findall(claim.sentence)):
        return claim.subject
    q = claim.quantity
    at = claim.sentence.find(q.text) if q and q.text else -1
    after = claim.sentence[at + len(q.text):at + len(q.text) + 25] if at >= 0 else ""
    return claim.subject if _POINTS_BACK.match(after) else None  # "killed 300 of them": those named before


def _opening_scope(sentence: str) -> str | None:
    """A running total that the sentence opens with ("Since the launch of the operation,
    losses amounted to 62,400 ..., including 25,200 killed"): it scopes all its numbers."""
    lead = sentence.split(",", 1)[0]
    if len(lead) > 160:
        return None
    phrase = _cues().find(lead).get("scope:cumulative")
    # at the sentence's start, or right after a credit ("MENAFN - UkrinForm) Since ...")
    opens = phrase and re.search(rf"(?:^|[)\-–—])[\s\"“‘']*{re.escape(phrase)}\b", lead, re.IGNORECASE)
    return "cumulative" if opens else None


def _first_date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text[:10]) if text and len(text) >= 10 else None
    except ValueError:
        return None


def _since(time_text: str, sentence: str) -> bool:
    """Whether the sentence gives this date as the start of what it counts ("since the
    start of the operation on 6 August 2024", "since June 13")."""
    at = sentence.find(time_text)
    return at >= 0 and re.search(r"\bsince\b[^.;:]{0,80}$", sentence[:at], re.IGNORECASE) is not None


def _sides_before_head(window: str) -> frozenset[str]:
    """A demonym right before a counted word, at most two words between ("losses of the
    North Korean army", "Russian army personnel"), not any country the sentence names
    ("Israeli strikes on Iran" counts no Israelis)."""
    table = _counted()
    for match in _WORD.finditer(window):
        word = match.group().lower()
        if any((form,) in table for form in _singular(word)):
            before = re.split(r"[,;:()\[\]]", window[max(0, match.start() - 40):match.start()])[-1]
            words = []
            for w in reversed(before.split()):
                if any(ch.isdigit() for ch in w) or w.lower() in _NOT_MODIFIERS:
                    break
                words.insert(0, w)
            sides = sides_in(" ".join(words[-4:]))
            if sides:
                return sides
    return frozenset()


def _main_place(counts: Counter) -> frozenset[str]:
    """The narrowest place most figures name, when at least `main_place_share` of the
    document's figure places lie in it, contain it or are it; else none."""
    g = gazetteer()
    total = sum(counts.values())
    share = float(_assess()["matching"]["main_place_share"])
    best, support = None, 0
    for place in g.narrowest(frozenset(counts)):
        held = sum(n for other, n in counts.items() if g.compatible(frozenset([place]), frozenset([other])))
        if held > support or (held == support and best is not None and counts[place] > counts[best]):
            best, support = place, held
    return frozenset([best]) if best and support >= share * total else frozenset()


@cache
def _loss_events() -> frozenset[str]:
    return frozenset(_assess()["loss_events"])


@cache
def _loser_pattern() -> re.Pattern:
    words = "|".join(re.escape(word) for word, _ in _side_pairs())
    return re.compile(rf"\b({words})(?:['’]s)?\s+(?:army\s+|military\s+|armed forces\s+|forces\s+|troops\s+)?"
                      r"(?:has\s+|have\s+|had\s+)?(?:lost|loses|losses|suffered|casualties|side|dead|toll)\b")


def _loser(window: str, at: int | None = None) -> frozenset[str]:
    """Whose losses a figure counts, where it says so with a verb, a possessive or a side
    rather than on the people counted ("Russia has lost 62,000 soldiers", "Kiev lost
    300", "Russian army losses", "on the Russian side, 18 dead"): the loser named before
    its number, if any ("Russian army losses reached 62,400, while North Korean forces
    have suffered ..." counts Russians)."""
    found = list(_loser_pattern().finditer(window))
    before = [m for m in found if at is not None and m.start() < at]
    return sides_in(" ".join(m.group(1) for m in (before or found)))


@cache
def _place_tokens() -> frozenset[str]:
    g = gazetteer()
    return frozenset(token for key in g.names for token in key)


# ---------------------------------------------------------------- document context

# Claims a worker process reads frames of at a time, and the fewest claims worth a
# process (forking one costs about as much as reading a few thousand frames).
FRAMES_PER_TASK = 25_000
FRAMES_IN_WORKERS = 50_000

_FORKED: list[Claim] = []
_FIELDS = tuple(f.name for f in fields(Frame))  # the claims forked workers read (inherited: not pickled to them)


def _values(claims: list[Claim]) -> list[tuple]:
    return [tuple(getattr(f, name) for name in _FIELDS) for f in map(frame_of, claims)]


def _frames_between(start: int, stop: int) -> list[tuple]:
    return _values(_FORKED[start:stop])


def _own_frames(claims: list[Claim], workers: int) -> list[Frame]:
    """Each claim's own frame; with `workers` > 1, in that many processes (this one and
    forked ones, which inherit the claims): frames are pure and about half the cost of
    a large assessment. Equal sets of places, sides and names are one object: a
    frozenset takes 200 bytes, and a million claims name few distinct ones."""
    shared: dict[frozenset, frozenset] = {}

    def compact(values: tuple) -> Frame:
        return Frame(*(shared.setdefault(v, v) if type(v) is frozenset else v for v in values))

    if workers <= 1 or len(claims) < FRAMES_IN_WORKERS or "fork" not in multiprocessing.get_all_start_methods():
        return [compact(values) for values in _values(claims)]
    global _FORKED
    _FORKED = claims
    mine = len(claims) // workers
    try:
        with ProcessPoolExecutor(workers - 1, mp_context=multiprocessing.get_context("fork")) as pool:
            starts = range(mine, len(claims), FRAMES_PER_TASK)
            theirs = pool.map(_frames_between, starts, [min(s + FRAMES_PER_TASK, len(claims)) for s in starts])
            frames = [compact(values) for values in _values(claims[:mine])]
            for chunk in theirs:
                frames.extend(compact(values) for values in chunk)
    finally:
        _FORKED = []
    return frames


def frames_of(claims: list[Claim], workers: int = 1) -> dict[str, Frame]:
    """Frames of all claims, with what their documents say where a claim is silent: the
    document's main place (where its figures say they happened, when one place holds
    most of them), and whose people its other figures of the same event and class count.
    With `workers` > 1, a large ledger's frames are read in that many processes (forked:
    not from a process that runs threads, such as the web app)."""
    own = dict(zip((c.id for c in claims), _own_frames(claims, workers)))
    figure_places: dict[str, Counter] = defaultdict(Counter)
    sides_by_doc: dict[tuple, Counter] = defaultdict(Counter)
    for claim in claims:
        f = own[claim.id]
        if claim.kind == "figure":
            for place in f.places:
                figure_places[claim.doc][place] += 1
            if f.sides:
                sides_by_doc[(claim.doc, f.event, f.counted)][f.sides] += 1
    context = {doc: _main_place(counts) for doc, counts in figure_places.items()}
    parts = _breakdown_parts(claims, own)
    result = {}
    for claim in claims:
        f = own[claim.id]
        if claim.id in parts:
            f = Frame(**{**f.__dict__, "part": True, "by_place": parts[claim.id]})
        context_places, context_sides = frozenset(), frozenset()
        if not f.places:
            context_places = context.get(claim.doc) or frozenset()
        if not f.sides and claim.kind == "figure":
            seen = sides_by_doc.get((claim.doc, f.event, f.counted))
            if seen:
                context_sides = max(seen, key=seen.get)
        if context_places or context_sides:
            f = Frame(**{**f.__dict__, "context_places": context_places, "context_sides": context_sides})
        result[claim.id] = f
    return result


def _breakdown_parts(claims: list[Claim], own: dict[str, Frame]) -> dict[str, bool]:
    """Figures that their sentence adds up to another of its figures of the same event
    ("the day's toll was 30: 18 dead in Varnitsa and 12 in Kolmar": 18 and 12 are parts of
    30), or to a figure of the same event that its report gives elsewhere, within the range
    that figure allows ("about 1,500 died", then "1,100 have been buried and 400 are still
    unidentified"). Each part says whether it is its own
    place's toll: every part of its breakdown names a place of its own, and no two the same."""
    by_sentence: dict[tuple, list[Claim]] = defaultdict(list)
    by_doc: dict[tuple, list[Claim]] = defaultdict(list)
    for claim in claims:
        if claim.kind == "figure" and claim.quantity and claim.quantity.value:
            by_sentence[(claim.doc, claim.sentence, claim.event)].append(claim)
            by_doc[(claim.doc, claim.event)].append(claim)
    parts: dict[str, bool] = {}
    for (doc, sentence, event), figures in by_sentence.items():
        if len(figures) < 2:
            continue
        totals = [(c, *_range(c)) for c in by_doc[(doc, event)] if c.sentence != sentence]
        for total in figures:
            if len(figures) >= 3:
                totals.append((total, total.quantity.value, total.quantity.value))
        for total, low, high in totals:
            smaller = [c for c in figures if c.quantity.value < total.quantity.value][:8]
            for size in range(2, len(smaller) + 1):
                for subset in combinations(smaller, size):
                    if low - 1e-9 <= sum(c.quantity.value for c in subset) <= high + 1e-9:
                        places = [_stretch_places(c) for c in subset]
                        by_place = all(places) and len(set(places)) == len(places)
                        for c in subset:
                            parts[c.id] = parts.get(c.id, True) and by_place
    return parts


def _stretch_places(claim: Claim) -> frozenset[str]:
    """The places the stretch of its sentence around a figure's number names ("with 18
    dead in Varnitsa and"), whatever place its sentence's other parts name."""
    g = gazetteer()
    window, _ = _window(claim, _own_sentence(claim))
    return g.narrowest(frozenset(g.find(window)))


def _range(claim: Claim) -> tuple[float, float]:
    """The sums a figure stated elsewhere in its report can be the total of: its own
    number, or the range an approximate one allows ("about 2,900", "nearly 3,000"; the
    grading's `approx_tolerance`)."""
    value = claim.quantity.value
    if claim.quantity.approx or claim.quantity.bound == "approx":
        width = float(_assess()["grading"]["approx_tolerance"])
        return value * (1 - width), value * (1 + width)
    return value, value
