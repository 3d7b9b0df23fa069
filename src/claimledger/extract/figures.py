"""Figures: which numbers in a parsed sentence count an event, what they count, where.

Pure: a spaCy span and the quantity mentions found in it (by `quantities.py`) in,
`Figure` records out. Only counts are figures: years, dates, ages, money and
percentages are read by the quantity parser and left out here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from spacy.tokens import Span, Token

from . import lexicon
from .docs import entities_of, text_of, tokens_over
from .quantities import QuantityMention

_PLACE_ENTS = {"GPE", "LOC", "FAC"}
_PLACE_PREPS = {"in", "near", "at", "into", "across", "around", "outside", "inside", "on"}


@dataclass(frozen=True)
class Figure:
    quantity: QuantityMention
    event: str
    subject: str | None
    location: str | None
    anaphoric: bool = False  # "put the figure at 12,000": what it counts is said before


@cache
def _event_of_lemma() -> dict[str, str]:
    table: dict[str, str] = {}
    for event, words in lexicon.load("events")["words"].items():
        for word in words:
            table.setdefault(str(word).lower(), event)
    return table


@cache
def _phrases() -> list[tuple[re.Pattern, str]]:
    """Event phrases as whole words ("in hospital", not "in hospital morgues" or "beds")."""
    return [
        (re.compile(r"(?<!\w)" + re.escape(p.lower()) + r"(?!\w)(?!\s+(?:mor|bed|staff|official|director|source))"), event)
        for event, phrases in lexicon.load("events")["phrases"].items() for p in phrases
    ]


_PARTICLES = {"back", "down", "out", "over", "off", "up"}


def _event_word(tok: Token) -> str | None:
    table = _event_of_lemma()
    particle = next((c for c in tok.children if c.dep_ == "prt" or (c.dep_ == "advmod" and c.lower_ in _PARTICLES)),
                    None) if tok.pos_ == "VERB" else None
    if particle is not None and (event := table.get(f"{tok.lemma_.lower()} {particle.lower_}")):
        return event  # "shot down", "handed over", "wiped out"
    return table.get(tok.lemma_.lower()) or table.get(tok.lower_)


_MEASURE_NOUNS = {"number", "figure", "total", "toll", "tally", "count", "estimate", "batch", "group", "contingent"}
_MEASURE_VERBS = {"put", "estimate", "reach", "rise", "climb", "raise", "place", "set", "stand", "increase", "bring", "run",
                  "grow", "jump", "exceed", "top", "hit", "surpass", "revise", "pass"}


def _measured(number: Token) -> Token | None:
    """ "put the number of troops at 11,000", "the toll has risen above 50", "the number
    had reached 3,000": the noun that says what the number measures."""
    node = number
    if node.dep_ == "pobj" and node.head.dep_ in {"prep", "advmod"}:
        node = node.head
    def measuring(tok: Token) -> bool:  # "placed the toll at", not "two places"
        return tok.lemma_.lower() in _MEASURE_VERBS and tok.pos_ in {"VERB", "AUX"}

    for _ in range(2):
        if measuring(node.head) or node.head.pos_ == "ADV" or node.head.dep_ == "advmod":  # "as high as"
            node = node.head
        if measuring(node):
            break
    verb = node
    if not measuring(verb):
        # "put the number killed or wounded at over 3,000": "at" hangs lower down.
        verb = next((a for a in list(number.ancestors)[:5] if measuring(a)), None)
        if verb is None or number.head.lower_ not in {"at", "to", "as"}:
            return None
    nouns = _MEASURE_NOUNS | _event_nouns()
    hang = number.head.head  # "put the wounded at 4,100, and the troops sent ... at 15,000": the troops
    gapped = [c for c in hang.children if c.dep_ in {"nsubj", "nsubjpass", "dobj"} and c.pos_ in {"NOUN", "PROPN"}]
    if hang != verb and hang.pos_ == "VERB" and hang.dep_ == "conj" and hang.head == verb and gapped:
        return gapped[0]
    measured = next((c for c in verb.children if c.dep_ in {"dobj", "nsubj", "nsubjpass"} and c.lemma_.lower() in nouns), None)
    if measured is None and not any(c.dep_ in {"nsubj", "nsubjpass"} and c.pos_ in {"NOUN", "PROPN"} for c in verb.children):
        # "The number of soldiers killed while fighting ... has risen to 2,000": a subject
        # the parser gave to another verb, the nearest measure noun before this one.
        measured = next(
            (t for t in reversed(list(verb.doc[verb.sent.start : verb.i])) if t.dep_ in {"nsubj", "nsubjpass"} and t.lemma_.lower() in _MEASURE_NOUNS),
            None,
        )
    if measured is None and verb.lemma_.lower() in {"put", "place", "estimate", "set"}:
        # "put North Korean killed and wounded at 3,000", "put the wounded at 4,100"
        objects = [o for c in verb.children if c.dep_ == "dobj" for o in (c, *c.conjuncts) if o.i < number.i]
        measured = max(objects, key=lambda o: o.i, default=None)  # the nearest before the number
    if measured is not None:
        of = next((c for c in measured.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        counted = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
        return counted if counted is not None else measured
    return None


@cache
def _event_nouns() -> frozenset[str]:
    return frozenset(w for w, e in _event_of_lemma().items() if e in {"killed", "wounded", "casualties", "captured", "missing"})


def _counted(number: Token) -> Token:
    """The noun a number counts: "500 soldiers" -> soldiers; "killing eight" -> eight."""
    measured = _measured(number)
    if measured is not None:
        return measured
    of = next((c for c in number.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    counted = next((c for c in of.children if c.dep_ == "pobj" and c.pos_ in {"NOUN", "PROPN"}), None) if of is not None else None
    if counted is not None:  # "dozens of fighters"
        return counted
    if number.dep_ == "pobj" and number.head.lower_ == "of" and number.head.head.lemma_.lower() in _MEASURE_NOUNS:
        return number.head.head  # "a first group of about 1,500"
    node = number
    for _ in range(3):
        if node.dep_ in {"nummod", "quantmod", "compound", "amod", "advmod"} and node.head.pos_ in {"NOUN", "PROPN", "NUM"}:
            node = node.head
        else:
            break
    return node


def _verb_event(verb: Token) -> str | None:
    """The event a governing verb names, looking through "estimated to have been killed"."""
    for _ in range(3):
        event = _event_word(verb)
        if event and event != "combat":
            return event
        nxt = next((c for c in verb.children if (c.dep_ in {"xcomp", "ccomp"} and c.pos_ in {"VERB", "AUX"})
                    or (c.dep_ in {"acomp", "oprd"} and c.pos_ == "ADJ")), None)
        if nxt is None:
            return None
        verb = nxt
    return None


_LOSS_EVENTS = {"killed", "wounded", "casualties", "captured", "missing"}
_SET_VERBS = {"include", "be", "amount", "total", "reach", "exceed", "stand", "number", "top", "surpass", "hit", "rise", "climb"}


def _loss_word(tok: Token) -> str | None:
    """The loss a noun names, through "the number of deceased", "the bodies of"."""
    event = _event_word(tok)
    if event in _LOSS_EVENTS:
        return event
    of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    inner = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
    if inner is not None and tok.lemma_.lower() in _MEASURE_NOUNS:
        event = _event_word(inner)
        return event if event in _LOSS_EVENTS else None
    return None


def _container_event(node: Token, number: Token, sentence: Span, depth: int) -> str | None:
    """The event of a larger count this one is part of: "killed 34 people, including two
    children", "dozens of children were among the dead", "the dead included two children",
    "losses amounted to 1,200 personnel", "the bodies of 23 people"."""
    head = node.head
    if head.lower_ in {"including", "among"} and head != node:
        parent = head.head
        if head.lower_ == "among":  # "164 soldiers among the dead"
            obj = next((c for c in head.children if c.dep_ == "pobj"), None)
            if obj is not None and (event := _loss_word(obj)):
                return event
        elif parent.pos_ in {"VERB", "AUX"}:
            return _verb_event(parent)
        elif parent.pos_ in {"NOUN", "PROPN", "NUM"} and depth < 2:
            count = parent if parent.like_num else next((c for c in parent.children if c.dep_ == "nummod"), parent)
            return _event(parent, count, sentence, depth + 1)
    verb = _governing_verb(node)
    if verb is not None:
        for child in verb.children:
            if child.dep_ == "prep" and child.lower_ == "among":
                obj = next((c for c in child.children if c.dep_ == "pobj"), None)
                if obj is not None and (event := _loss_word(obj)):
                    return event
        if verb.lemma_.lower() in _SET_VERBS and node.dep_ in {"dobj", "attr", "pobj", "npadvmod", "nummod"}:
            subject = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
            if subject is not None and subject.i < node.i and (event := _loss_word(subject)):
                return event
    if node.dep_ == "pobj" and head.lower_ == "of":
        if head.head.lemma_.lower() == "life":
            return "killed"  # "claimed the lives of 224 people"
        if (event := _event_word(head.head)) in _LOSS_EVENTS:
            return event  # "the bodies of 23 migrants"
    # "17 people with serious injuries", "treated 11 people for gunshot wounds"
    for holder in (node, verb) if verb is not None else (node,):
        for child in holder.children:
            if child.dep_ == "prep" and child.lower_ in {"with", "for"}:
                obj = next((c for c in child.children if c.dep_ == "pobj"), None)
                if obj is not None and any(_event_word(o) == "wounded" for o in (obj, *obj.conjuncts)):
                    return "wounded"
            if child.dep_ == "prep" and child.lower_ in {"in", "at"} and node not in child.subtree:
                obj = next((c for c in child.children if c.dep_ == "pobj"), None)  # "900 others are in hospital morgues"
                if obj is not None and (event := _event_word(obj)) in _LOSS_EVENTS:
                    return event
    return None


def _governing_verb(node: Token) -> Token | None:
    """The verb a noun hangs on, through a preposition: "amounted to 1,200 personnel"."""
    for _ in range(3):
        if node.pos_ in {"VERB", "AUX"}:
            return node
        if node.dep_ not in {"pobj", "prep", "dobj", "attr", "nsubj", "nsubjpass", "npadvmod", "nummod", "agent", "conj"}:
            return None
        node = node.head
    return node if node.pos_ in {"VERB", "AUX"} else None


def _event(node: Token, number: Token, sentence: Span, depth: int = 0) -> str | None:
    if event := _container_event(node, number, sentence, depth):
        return event
    text, stop = text_of(sentence.doc), sentence.end_char  # windows end with the sentence
    window = text[number.idx : min(stop, number.idx + 90)].lower()
    for phrase, event in _phrases():
        if event == "casualties" and phrase.search(window):
            return event
    # A phrase right after the counted words: "200 civilians digging trenches were shot dead".
    begin = min(node.idx, number.idx)
    after = text[begin : min(stop, node.idx + 80)].lower()  # past the window, so that a phrase's end is seen whole
    limit = node.idx + 60 - begin
    # a phrase after the next number is that number's ("14 are dead ... and 43 are in hospital")
    later = next((t for t in sentence if t.i > number.i and t.i > node.i and (t.like_num or t.pos_ == "NUM")), None)
    if later is not None:
        limit = min(limit, later.idx - begin)
    for phrase, event in sorted(_phrases(), key=lambda pe: pe[1] != "casualties"):
        found = phrase.search(after)
        if found and found.end() <= limit:  # "put North Korean killed and wounded at 3,000": casualties
            return event
    # A verb hanging off the counted noun: "two Marines killed", "troops stationed".
    for child in node.children:
        if child.dep_ in {"acl", "relcl", "amod"} and (event := _verb_event(child)):
            return event
    # A participle right after the number: "300 killed and 2,700 wounded".
    for tok in sentence.doc[number.i + 1 : min(number.i + 3, sentence.end)]:
        if tok.tag_ in {"VBN", "VBD", "JJ"} and (event := _event_word(tok)) is not None:
            return event
    # The verb governing the noun: "500 soldiers were killed", "sent 10,000 troops"; a
    # noun that names a loss says more than a verb of movement ("31 bodies arrived").
    head, steps = node, 0
    while head.dep_ != "ROOT" and steps < 3:
        head = head.head
        steps += 1
        if head.pos_ in {"VERB", "AUX"}:
            if event := _verb_event(head):
                own = _event_word(node)
                if event in {"deployed", "strike", "combat"} and own in _LOSS_EVENTS:
                    return own
                return event
            break
    # The words right after the number: "about 300 killed and 2,700 wounded".
    for tok in sentence.doc[number.i + 1 : min(number.i + 5, sentence.end)]:
        if tok.is_punct and tok.text in ",;":
            break
        if tok.pos_ in {"VERB", "ADJ"} and (event := _event_word(tok)) is not None:
            return event
    own = _event_word(node)
    if own == "other":
        return own  # "60 prisoner exchanges": the exchanges, not the prisoners
    for child in node.children:  # "the death toll"
        if child.dep_ in {"compound", "amod"} and (event := _event_word(child)):
            return event
    return own


def _present_somewhere(node: Token, sentence: Span) -> bool:
    """ "11,000 troops in Kursk", "has 12,000 soldiers stationed": forces placed somewhere."""
    holders = [node, node.head] if node.head.pos_ in {"VERB", "AUX"} else [node]
    if node.dep_ == "pobj" and node.head.lower_ == "of":  # "the number of troops in the region"
        holders.append(node.head.head)

    def place(tok: Token) -> bool:
        return tok.ent_type_ in _PLACE_ENTS or tok.pos_ == "PROPN" or tok.lemma_.lower() in _PLACE_NOUNS

    return any(
        c.dep_ == "prep" and c.lower_ in {"in", "inside", "into", "to", "near", "across", "along"}
        and any(place(t) for t in c.subtree)
        for holder in holders for c in holder.children
    )


def _subject(node: Token, number: Token) -> str | None:
    if node == number or node.pos_ not in {"NOUN", "PROPN"}:
        return None
    tokens = [node] + [
        t for c in node.children if c.dep_ in {"compound", "amod", "nmod"} and c.i < node.i
        for t in c.subtree if t.i < node.i and not t.like_num
    ]
    tokens.sort(key=lambda t: t.i)
    while tokens and tokens[0].lower_ in {"more", "than", "about", "some", "up", "to", "least", "at", "over"}:
        tokens = tokens[1:]
    return " ".join(t.text for t in tokens) if tokens else None


_PLACE_NOUNS = {"region", "province", "oblast", "district", "area", "city", "town", "village", "state", "county"}


def _place_phrase(sentence: Span) -> str | None:
    """ "in the Kursk region", "near Tougouri": a proper noun the tagger did not mark."""
    for tok in sentence:
        if tok.dep_ == "pobj" and tok.head.lower_ in _PLACE_PREPS and tok.ent_type_ not in {"DATE", "TIME", "PERSON", "ORG"}:
            names = [t for t in tok.subtree if t.pos_ == "PROPN" and t.i <= tok.i]
            if names and (tok.pos_ == "PROPN" or tok.lemma_.lower() in _PLACE_NOUNS):
                start = names[0].i
                return sentence.doc[start : tok.i + 1].text
    return None


def _location(sentence: Span, exclude: list[tuple[int, int]]) -> str | None:
    best = None
    for ent in entities_of(sentence):
        if ent.label_ not in _PLACE_ENTS:
            continue
        if any(s <= ent.start_char < e for s, e in exclude):
            continue
        root = ent.root
        if root.dep_ == "pobj" and root.head.lower_ in _PLACE_PREPS:
            return ent.text
        if root.dep_ == "poss" and root.head.dep_ == "pobj":  # "in Russia's Kursk region"
            return sentence.doc[root.head.left_edge.i : root.head.i + 1].text
    return best or _place_phrase(sentence)


_APPROXIMATORS = {"about", "around", "some", "over", "nearly", "roughly", "approximately", "almost", "under"}


def _bare_subject(number: Token) -> bool:
    """A number standing for what it counts as a clause's subject: "130 were shot down",
    and "about 11,000 are already in Kursk" which the parser reads as a preposition's object."""
    if number.dep_ in {"nsubj", "nsubjpass"}:
        return True
    if number.dep_ == "dobj" and number.head.dep_ == "conj":
        return True  # "killed at least 80 people and driven more than 32,000 from their homes"
    of = next((c for c in number.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    if of is not None and any(c.dep_ == "pobj" and c.lower_ in {"them", "those", "these"} for c in of.children):
        return True  # "53 of them"
    head = number.head
    return (
        number.dep_ == "pobj" and head.lower_ in _APPROXIMATORS and head.i == number.i - 1
        and head.head.pos_ in {"VERB", "AUX"} and head.i < head.head.i
    )


def _unit_name(text: str, q: QuantityMention) -> bool:
    """ "the 444 Brigade", "the 47th Mechanized": a number in a unit's name."""
    return bool(re.search(r"\bthe\s+$", text[max(0, q.start - 5) : q.start], re.IGNORECASE)) and bool(
        re.match(r"\s+[A-Z][a-z]+", text[q.end : q.end + 20])
    )


def _multiplier(text: str, q: QuantityMention) -> bool:
    """ "three times the agency's figure", "twice as many": a ratio, not a count."""
    after = text[q.end : q.end + 30].lower()
    return (q.unit == "times" or after.startswith(" times")) and bool(
        re.match(r"\s*(?:times\s+)?(?:the|as|higher|more|larger|bigger|greater|that|what|its|their|his|her)\b", after)
    )


_MONTHS = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
# "between January 26 and 30", "May 6-7": the second day of a span of dates.
_DAY_SPAN = re.compile(_MONTHS + r"\s+\d{1,2}\s*(?:and|to|-|–)\s*$")


def _not_a_count(text: str, q: QuantityMention, node: Token, number: Token, event: str | None) -> bool:
    """Numbers that count nothing new: the second day of a date span, the pronoun "one"
    ("one with bandaged hands"), "the two men" said before, a capacity ("camps which host
    over 700,000")."""
    if _DAY_SPAN.search(text[max(0, q.start - 20) : q.start]):
        return True
    if number.lower_ == "one" and node == number and event in {None, "other"}:
        return True
    if event in {None, "other"} and number.i > 0 and number.doc[number.i - 1].lower_ == "the" and node != number:
        return True  # "the two men", "the 11 children" (an event word keeps it: "the 11 children killed")
    verb = _governing_verb(node)
    return verb is not None and verb.lemma_.lower() in _CAPACITY_VERBS and event in {None, "other", "deployed"}


_CAPACITY_VERBS = {"host", "house", "shelter", "accommodate", "employ", "have", "serve", "submit", "sit", "cheer",
                   "gather", "attend"}


def find_figures(sentence: Span, quantities: list[QuantityMention], exclude: list[tuple[int, int]]) -> list[Figure]:
    """Figures among `quantities` (whose offsets are relative to `sentence.doc`).

    `exclude` lists character ranges (relative to the doc) of source mentions, whose
    numbers are names ("the 47th Brigade"), not figures.
    """
    figures = []
    location = None
    for q in quantities:
        if q.kind != "count" or any(s <= q.start < e for s, e in exclude):
            continue
        if _multiplier(text_of(sentence.doc), q) or _unit_name(text_of(sentence.doc), q):
            continue
        tokens = tokens_over(sentence, q.start, q.end)
        numbers = [t for t in tokens if t.like_num or t.pos_ == "NUM"] or tokens
        if not numbers:
            continue
        # "between 10,000 and 12,000 troops": the number attached to the noun speaks for the range.
        inside = {t.i for t in tokens}
        # the number that attaches the mention to the sentence ("at 50-60": 50; "between X and Y": X)
        number = next((t for t in numbers if t.dep_ == "nummod" and t.head.i not in inside), None) or next(
            (t for t in numbers if t.head.i not in inside and t.dep_ in {"pobj", "dobj", "nsubj", "nsubjpass"}), numbers[-1]
        )
        node = _counted(number)
        event = _event(node, number, sentence)
        if _not_a_count(text_of(sentence.doc), q, node, number, event):
            continue
        people = lexicon.phrase_set("events", "people")
        things = lexicon.phrase_set("events", "things")
        counted = {node.lemma_.lower(), node.lower_}
        if node.ent_type_ == "NORP" and node.pos_ in {"NOUN", "PROPN"}:
            counted.add("people")  # "100,000 ethnic Armenians", "300 Rohingya"
        # "a first group of about 1,500", "130 were shot down", "43 are in hospital":
        # what is counted was said in an earlier figure.
        if node.lemma_.lower() in _MEASURE_NOUNS or (node == number and _bare_subject(number)):
            # event "" when no word says it: the figure before says what is counted
            figures.append(Figure(q, event or "", None, _location(sentence, exclude), anaphoric=True))
            continue
        military = lexicon.phrase_set("events", "military_people")
        if any(c.lower_ == "armed" for c in node.children):
            counted.add("fighters")  # "15 armed men"
        if event == "casualties" and counted & lexicon.phrase_set("events", "irregulars"):
            event = "killed"  # "eliminated more than 30 terrorists"
        if event == "deployed" and not counted & people:
            event = None  # "sent in two deployments" counts deployments, not people
        elif event == "deployed" and not counted & military:
            event = "other"  # "3,400 people arrived in Kaya": people moving, not forces
        elif event == "combat" and counted & military:
            event = "deployed"  # "2,500 soldiers are fighting alongside the rebels"
        elif event in {"strike", "combat"} and counted & people:
            event = "other"  # "dozens of militants attacked a post": the attackers are counted
        elif counted & things and not counted & people and event in _LOSS_EVENTS | {"deployed", "combat"}:
            event = "other"  # "135 tanks" lost or destroyed: equipment
        if event is None:
            if counted & military and _present_somewhere(node, sentence):
                event = "deployed"  # "some 11,000 troops in Kursk"
            elif counted & things:
                event = "other"  # equipment and places in a list of losses ("135 tanks, 66 vehicles")
            else:
                continue
        if location is None:
            location = _location(sentence, exclude) or ""
        figures.append(Figure(q, event, _subject(node, number), location or None))
    return figures
