"""Document-level work on attributions: who "he", "Lee", "the agency" and "the
statement" are; which speaker a quotation belongs to; nested and cross-sentence chains
("A Ukrainian outlet reported ... . Citing X, RBC Ukraine said ...").

Pure: attributions and entity mentions in, resolved attributions out.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, replace
from functools import lru_cache

from . import lexicon
from .attribution import Attribution, Link
from .intervals import ByStart, RangeIndex
from .mentions import Mention, proper_name
from .quotes import Quote


@dataclass(frozen=True)
class Entity:
    """A named entity seen in a parsed sentence (PERSON, ORG, ...), for coreference."""

    text: str
    start: int
    end: int
    label: str


_PERSON_PRONOUNS = {"he", "she", "him", "her", "his"}
# Heads that refer back to an earlier institution without repeating its name: "the
# agency" (the National Intelligence Service, or a news agency) to one of any kind, "the
# newspaper" to an outlet.
_GENERIC_HEADS = {"agency", "organization", "organisation", "group", "service", "body", "institute", "monitor",
                  "company", "firm", "foundation", "charity"}
_GROUP_HEADS = {"group", "organization", "organisation", "company", "firm", "foundation", "charity"}
_OUTLET_HEADS = lexicon.phrase_set("attribution", "outlet_heads") - _GENERIC_HEADS
_INSTITUTIONS = {"outlet", "organization", "government", "military"}
_GROUP_KINDS = {"organization", "military"}  # "the group": not an outlet or a government
# "the army" for "the Israeli military" (and back): heads that name the same body.
_SAME_HEADS = {h: {"army", "military", "idf", "forces"} for h in ("army", "military", "idf")}
_PERSON_ROLES = lexicon.phrase_set("attribution", "person_roles")
_INSTITUTION_WORDS = (
    lexicon.phrase_set("attribution", "outlet_heads") | lexicon.phrase_set("attribution", "government_heads")
    | lexicon.phrase_set("attribution", "military_heads")
    | {"agency", "service", "institute", "bureau", "organization", "organisation", "press", "news", "times", "post"}
)
_COMPATIBLE = {
    "outlet": {"outlet", "organization"},
    "government": {"government", "military", "organization"},
    "military": {"military", "government", "organization"},
    "organization": {"organization", "outlet", "government", "military"},
    "other": {"organization", "outlet", "government", "military"},
}


def _institution(name: str) -> bool:
    """A name that says what kind of body it is: "National Intelligence Service", "Hayk Press"."""
    return bool(set(re.findall(r"[a-z]+", name.lower())) & _INSTITUTION_WORDS)


def _last(items: ByStart, before: int, test):
    """The last item before offset `before` that passes `test`."""
    return items.last(before, test)


_TITLE_WORDS = lexicon.phrase_set("attribution", "name_titles") | {
    w.rstrip(".") for w in lexicon.phrase_set("attribution", "abbreviations")
} | {"lt", "gen", "maj", "col", "capt", "brig", "adm", "general", "lieutenant", "colonel", "major", "captain"}
# Posts a description may name a person by ("the Ukrainian leader": the president).
_ROLE_FAMILIES = [
    {"leader", "president", "premier", "prime", "chancellor", "head of state"},
    {"spokesman", "spokeswoman", "spokesperson", "press secretary"},  # not the "Defense Secretary"
    {"secretary"},
    {"mayor"},
    {"governor"},
    {"minister"},
    {"chief", "head", "director", "commander", "dg"},
    {"ambassador", "envoy"},
    {"coordinator"},
    {"commissioner"},
]


# Words that make a post a different post: "prime minister", "defence minister".
_POST_QUALIFIERS = {"prime", "foreign", "defence", "defense", "interior", "information", "health", "deputy", "vice",
                    "press", "military", "army", "police", "regional", "district", "chief"}


_TITLED_PERSON = re.compile(
    r"(?i:\b(?:" + "|".join(sorted({re.escape(w) for w in _PERSON_ROLES | lexicon.phrase_set("attribution", "name_titles")
                                    if w.isalpha()}, key=len, reverse=True)) + r"))\s+"
    r"((?:[A-Z][\w’'-]+)(?:\s+(?:[A-Z][\w’'-]+|al-\w+|bin|van|de)(?![\w’'-])){1,2})"
)


def _titled_people(text: str | None) -> list[Entity]:
    """People the text names after a post ("rights chief Peeter Saar"), in sentences the
    parser did not see."""
    if not text:
        return []
    return [Entity(m.group(1), m.start(1), m.end(1), "PERSON") for m in _TITLED_PERSON.finditer(text)
            if not _institution(m.group(1))]


@lru_cache(maxsize=8192)
def _name_words(text: str) -> tuple[str, ...]:
    """A person's name without titles and ranks, lower case: "Lt Gen Chaudhry" -> chaudhry."""
    words = [w.strip(".,’'").lower() for w in proper_name(text).split()]
    return tuple(w.removesuffix("’s").removesuffix("'s") for w in words if w and w not in _TITLE_WORDS)


def _contains(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    n = len(shorter)
    return any(longer[i : i + n] == shorter for i in range(len(longer) - n + 1))


_RANKS = re.compile(
    r"(?<![\w-])(?:(?:Lt|Lieut|Maj|Gen|Col|Capt|Brig|Adm|Sgt|Cmdr|Lieutenant|Major|General|Colonel|Captain|Brigadier|Admiral|"
    r"Sergeant|Commander|Air Marshal|Vice Admiral|Rear Admiral)\.?\s+)+$"
)


# "Secretary General", "Attorney General": civil titles ending in a word that is also a rank.
_CIVIL_GENERALS = ("secretary", "attorney", "inspector", "surgeon", "solicitor", "auditor", "director", "prosecutor", "consul")


def _with_rank(entity: Entity, text: str | None) -> str:
    """ "Ahmed Sharif Chaudhry" as the text names him: "Lt Gen Ahmed Sharif Chaudhry"."""
    if text is None:
        return entity.text
    before = text[max(0, entity.start - 40) : entity.start]
    rank = _RANKS.search(before)
    if rank and re.search(r"\b(?:" + "|".join(_CIVIL_GENERALS) + r")\s+$", before[: rank.start()], re.IGNORECASE):
        return entity.text  # "NATO Secretary General Mark Rutte": a civil title, not a rank
    return (rank.group(0) + entity.text) if rank else entity.text


class _Seen:
    """What the document names, for the lookups each source mention makes (the last
    person before it, the fuller form of a name, who holds a post): the mentions resolved
    so far (`named`, growing in document order), the parser's entities, the people named
    after a post in the text. Each lookup reads only what can match, in the order the
    rules read it, so that reading a long document stays linear."""

    def __init__(self, entities: list[Entity], text: str | None):
        self.named: ByStart = ByStart()
        self.entities = ByStart(entities)
        self.text = text
        self._titled: ByStart | None = None
        # People by the words of their names: keys (0, i) for named[i], (1, i) for entities[i].
        self._people: dict[tuple[int, int], tuple[str, str, int]] = {}
        self._by_word: dict[str, list[tuple[int, int]]] = defaultdict(list)
        self._people_read = 0
        for i, e in enumerate(entities):
            if e.label == "PERSON":
                self._file((1, i), (_with_rank(e, text), "person", e.start))
        self._holders: dict[str, list] = {}  # a post's pattern -> [named read, holders named, holders in the text]

    @property
    def titled(self) -> ByStart:
        if self._titled is None:
            self._titled = ByStart(_titled_people(self.text))
        return self._titled

    def _file(self, key: tuple[int, int], person: tuple[str, str, int]) -> None:
        self._people[key] = person
        for word in set(_name_words(person[0])):
            self._by_word[word].append(key)

    def people_named(self, word: str) -> list[tuple[str, str, int]]:
        """(name, kind, start) of the people whose name holds `word`: those named so far,
        then the parser's entities."""
        for i in range(self._people_read, len(self.named)):
            n = self.named[i]
            if n.kind == "person" and n.proper:
                self._file((0, i), (n.text, n.kind, n.start))
        self._people_read = len(self.named)
        return [self._people[key] for key in sorted(self._by_word.get(word, ()))]

    def holders(self, pattern: re.Pattern) -> list[tuple[str, int]]:
        """(name, start) of the people named with the post `pattern` matches: those named
        so far, then the parser's entities the post comes before, then "Prime Minister
        Shehbaz Sharif", "spokesperson Ravina Shamdasani" in sentences not parsed."""
        state = self._holders.get(pattern.pattern)
        if state is None:
            in_text = []
            text = self.text
            if text is not None:
                in_text += [(_with_rank(e, text), e.start) for e in self.entities
                            if e.label == "PERSON" and not e.text.isupper() and pattern.search(text[max(0, e.start - 80) : e.start])
                            and not re.search(r"[.!?]\s", text[max(0, e.start - 80) : e.start])]
                titled = re.compile("(?i:" + pattern.pattern + r"),?\s+((?:[A-Z][\w’'-]+)(?:\s+(?:[A-Z][\w’'-]+|al-\w+|bin|van|de)(?![\w’'-])){1,3})")
                in_text += [(match.group(1), match.start(1)) for match in titled.finditer(text)
                            if match.group(1)[:1].isupper() and not _institution(match.group(1))]
                # "Kyrylo Budanov, Head of Defence Intelligence of Ukraine, said": the post in apposition
                apposed = re.compile(r"\b([A-Z][\w’'-]+(?:\s+(?:[A-Z][\w’'-]+|al-\w+|bin|van|de)(?![\w’'-])){1,3}),\s+(?:the\s+|a\s+)?"
                                     r"[^,.;:\n]{0,40}?\b(?i:" + pattern.pattern + r")\b[^,.;:\n]{0,50},")
                in_text += [(match.group(1), match.start(1)) for match in apposed.finditer(text)
                            if not _institution(match.group(1)) and match.group(1).split()[0].lower() not in _TITLE_WORDS]
            state = self._holders[pattern.pattern] = [0, [], in_text]
        read, named, in_text = state
        for n in self.named[read:]:
            if n.kind == "person" and n.proper and pattern.search(n.text + " " + (n.description or "")):
                named.append((n.text, n.start))
        state[0] = len(self.named)
        return named + in_text


def _fullest_name(m: Mention, seen: _Seen) -> Mention | None:
    """ "Lt Gen Chaudhry", "Van de Perre", "Zelenskyy": the fullest mention of the same
    person in the document (before it, else after)."""
    words = _name_words(m.text)
    if not words:
        return None
    candidates = seen.people_named(words[0])  # a fuller name holds all of the words
    size = len(proper_name(m.text).split())
    fuller = [c for c in candidates if _contains(_name_words(c[0]), words)
              and (len(_name_words(c[0])) > len(words) or len(proper_name(c[0]).split()) > size)]
    if not fuller:
        return None
    before = [c for c in fuller if c[2] < m.start]
    text, kind, _ = max(before or fuller, key=lambda c: (len(proper_name(c[0]).split()), -abs(c[2] - m.start)))
    return replace(m, text=text, kind=kind)


def _role_holder(m: Mention, seen: _Seen) -> Mention | None:
    """ "The Ukrainian leader", "the Pentagon spokeswoman", "The mayor of the industrial
    hub": the person the document names with that post (the last before, else the first after)."""
    family = next((f for f in _ROLE_FAMILIES if m.head in f), None)
    if family is None and m.definite is False and m.text.lower().startswith("the "):
        # "The DG ISPR": a post named by its abbreviation before the body's
        family = next((f for f in _ROLE_FAMILIES for w in m.text.split()[1:-1] if w.isupper() and w.lower() in f), None)
    elif family is not None and not m.text.split()[-1][:1].islower():
        return None  # a name ("President Zelenskyy"), not a post ("the UN spokesperson")
    if family is None:
        return None
    words = m.text.lower().split()
    post = " ".join(words[-2:]) if len(words) >= 2 and words[-2] in _POST_QUALIFIERS else None
    if post is not None:  # "the country's prime minister": a prime minister, not any minister
        family = {post}
    pattern = _post_pattern(tuple(sorted(family, key=len, reverse=True)))
    holders = seen.holders(pattern)
    body = _body_words(m.text, family) if m.text.lower().startswith(("a ", "an ")) else ()
    if body and seen.text is not None:
        # "a GHF spokesperson" is a new person, not the UN spokesperson the document named
        # before: one named later with the same body ("GHF spokesperson Jo Smith"), if any.
        holders = [h for h in holders if all(_named_near(w, seen.text, h) for w in body)]
    if not holders:
        return None
    people = {tuple(_name_words(h[0])) for h in holders}
    if len({p[-1:] for p in people}) > 1:
        return None  # two people hold such posts: ambiguous
    before = [h for h in holders if h[1] < m.start]
    name, _ = max(before, key=lambda h: h[1]) if before else min(holders, key=lambda h: h[1])
    return replace(m, text=name, kind="person", proper=True, definite=False)


def _body_words(text: str, family: set[str]) -> tuple[str, ...]:
    """The capitalised words that say whose post a mention names ("GHF" in "a GHF
    spokesperson", "Pentagon" in "a Pentagon spokeswoman")."""
    words = re.findall(r"[\w’'.-]+", text)[1:-1]
    return tuple(w.lower().replace(".", "") for w in words
                 if w[:1].isupper() and w.lower() not in family and w.lower().strip(".") not in _TITLE_WORDS)


def _named_near(word: str, text: str, holder: tuple[str, int]) -> bool:
    """Whether `word` is written beside the holder's name, in its sentence ("Ukrainian"
    matches "Ukraine's")."""
    name, start = holder
    before = re.split(r"[.!?][\s\"“”]+(?=[A-Z]|$)", text[max(0, start - 80) : start])[-1]
    after = re.split(r"[.!?][\s\"“”]+(?=[A-Z])", text[start + len(name) : start + len(name) + 80])[0]
    near = re.findall(r"[\w’'-]+", f"{before} {name} {after}".lower().replace(".", ""))  # "U.N." is "un"
    if len(word) < 4:
        return word in near
    return any(w.startswith(word[:5]) or (len(w) >= 4 and word.startswith(w[:5])) for w in near)


@lru_cache(maxsize=64)
def _post_pattern(words: tuple[str, ...]) -> re.Pattern:
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b", re.IGNORECASE)


def _resolve(m: Mention, seen: _Seen, issuers: ByStart, genders: dict[str, str] | None = None) -> Mention:
    genders = {} if genders is None else genders
    named, entities = seen.named, seen.entities
    lower = m.text.lower()
    # "the Pentagon spokeswoman", and "a UN spokesperson" whom the document names later
    speaks_for = m.head in {"spokesman", "spokeswoman", "spokesperson"} and lower.startswith(("a ", "an "))
    described = m.definite or "’s " in m.text or "'s " in m.text or lower.startswith("the ")  # "the country's prime minister"
    if m.kind != "pronoun" and (described or speaks_for) and (held := _role_holder(m, seen)):
        return held
    if m.proper and m.kind in {"person", "other", "organization"} and (full := _fullest_name(m, seen)):
        return full
    if m.kind == "pronoun":
        if lower in _PERSON_PRONOUNS:
            # "he", "she": the last person, or a single unnamed one ("a nurse said ... She"),
            # not one the document has called by the other pronoun.
            gender = "f" if lower in {"she", "her"} else "m"
            fits = lambda name: genders.get(name, gender) == gender
            hit = _last(
                named, m.start,
                lambda n: (n.kind == "person" or (n.kind in {"anonymous", "other"} and not _plural(n)) or n.head in _PERSON_ROLES)
                and fits(n.text),
            )  # "the region's governor said ... . One person was injured, he said."
            if hit is None:
                ent = _last(entities, m.start, lambda e: e.label == "PERSON" and fits(e.text)) or _last(
                    seen.titled, m.start, lambda e: fits(e.text)
                )  # "... after rights chief Peeter Saar decried the attacks. '...,' he said."
                resolved = replace(m, text=ent.text, kind="person") if ent else m
            else:
                resolved = replace(m, text=hit.text, kind=hit.kind, description=hit.description)
            if resolved is not m:
                genders.setdefault(resolved.text, gender)
            return resolved
        # "it", "they": the last source that spoke, else the last one named (a cited hop).
        hit = _last(issuers, m.start, lambda n: n.kind not in {"person", "anonymous", "document"}) or _last(
            named, m.start, lambda n: n.kind not in {"person", "anonymous", "document"}
        )
        return replace(m, text=hit.text, kind=hit.kind) if hit else m
    if m.kind == "document" and m.definite:
        # "The report said": whoever issued a report, else the last source that spoke.
        head = m.head
        issued = issuers.where(("via", head), lambda n: n.via == head)
        hit = _last(issued, m.start, lambda n: True) or _last(issuers, m.start, lambda n: True) or _last(
            named, m.start, lambda n: n.kind in _INSTITUTIONS | {"person"} and n.kind != "document"
        )  # "The Russian ministry released a statement ... 'At 18:49 ...,' the statement read."
        return replace(m, text=hit.text, kind=hit.kind) if hit else m
    if m.proper and " " not in m.text.strip():
        surname = m.text.strip()
        hit = _last(named.with_word(surname), m.start, lambda n: n.text != m.text)
        if hit:
            return replace(m, text=hit.text, kind=hit.kind, description=hit.description)
        ent = _last(entities.with_word(surname), m.start, lambda e: e.label == "PERSON" and e.text != surname)
        return replace(m, text=ent.text, kind="person") if ent else m
    if m.definite and m.kind == "anonymous":  # "the officials", "the officer"
        plural, head = _plural(m), m.head
        same_head = named.where(("head", head), lambda n: n.head == head and not n.definite)
        people = named.where(("people", plural), lambda n: n.kind in {"anonymous", "person"} and _plural(n) == plural)
        hit = _last(same_head, m.start, lambda n: n.text != m.text) or _last(
            people, m.start, lambda n: n.text != m.text
        )  # "the official": "a Taliban official" first, else the last unnamed or named person
        return replace(m, text=hit.text) if hit else m
    if m.definite and m.kind in _COMPATIBLE:
        head, kind = m.head, m.kind
        compatible = named.where(
            ("same body", kind, head),
            lambda n: (n.proper or not n.definite) and n.kind in _COMPATIBLE[kind] | {kind}
            and any(h in n.text.lower() or h in (n.description or "").lower() for h in _SAME_HEADS.get(head, {head})),
        )
        hit = _last(compatible, m.start, lambda n: True)
        if hit is None:  # "the foundation": a body named earlier with that word, quoted or not
            word = re.compile(rf"\b{re.escape(head)}\b")
            ent = _last(entities.where(("named with", head), lambda e: e.label == "ORG" and word.search(e.text.lower())),
                        m.start, lambda e: True)
            if ent is not None:
                return replace(m, text=ent.text, kind="organization")
        if hit is None and (head in _GENERIC_HEADS or head in _OUTLET_HEADS):
            # the source that spoke last before a source it cited ("The agency said ...")
            kinds = _GROUP_KINDS if head in _GROUP_HEADS else _INSTITUTIONS
            fits = lambda n: n.proper and (
                (head in _GENERIC_HEADS and n.kind in kinds) or (head in _OUTLET_HEADS and n.kind in _COMPATIBLE[kind])
            )
            key = ("may speak for", kind, head)
            hit = _last(issuers.where(key, fits), m.start, lambda n: True) or _last(named.where(key, fits), m.start, lambda n: True)
        if hit is None:  # an organization named earlier without being quoted ("the army" must say army)
            ent = _last(
                entities.where(("organization", head), lambda e: e.label == "ORG" and (
                    head in e.text.lower() or (head in _GENERIC_HEADS | _OUTLET_HEADS and _institution(e.text)))),
                m.start, lambda e: True,
            )
            return replace(m, text=ent.text, kind="organization") if ent else m
        return replace(m, text=hit.text, kind=hit.kind)
    return m


# "X said ..., while media reports put it at ...", "X said ..., and Seoul has warned ...": a new source.
_CONTRAST = re.compile(r"(?:\b(?:while|whereas|but|although|though)|[,;]\s*and)\s*$", re.IGNORECASE)


def _nested(records: list[Attribution], text: str | None = None) -> list[Attribution]:
    """A cue inside another attribution's content: the outer source is the nearer hop."""
    contrast = _CONTRAST if text is not None else None
    contents = RangeIndex(records, lambda r: [(r.content_start, r.content_end)])
    result = []
    for record in records:
        cue = record.chains[0][0].cue_start
        source = record.chains[0][0].source.start
        if record.reaction or (contrast is not None and contrast.search(text[max(0, source - 12) : source])):
            result.append(record)
            continue
        if record.attitude:  # "Aliyev said Baku still expected ...": part of what Aliyev said
            continue
        outers = [
            o for o in contents.at(cue)
            if o is not record and not o.reaction and o.content_start <= cue < o.content_end
            and (o.content_end - o.content_start) > (record.content_end - record.content_start)
        ]
        if outers:
            outer = min(outers, key=lambda o: o.content_end - o.content_start)
            same = outer.chains[0][-1].source.text == record.chains[0][0].source.text
            chains = record.chains if same else tuple(outer.chains[0] + chain for chain in record.chains)
            record = replace(record, chains=chains)
        result.append(record)
    return result


_DOCUMENT_NOUNS = lexicon.phrase_set("attribution", "document_nouns")


def _documents_relayed(records: list[Attribution]) -> list[Attribution]:
    """ "X said this ..., according to Ukrinform. '...,' the statement reads.": a document
    reference resolved to an outlet that relayed X's words is X's document, through the outlet."""
    result = []
    for record in records:
        link = record.chains[0][0]
        if len(record.chains) == 1 and len(record.chains[0]) == 1 and link.source.head in _DOCUMENT_NOUNS \
                and link.source.kind != "document":
            before = [r.chains[0] for r in result if r.chains[0][0].cue_start < link.cue_start and len(r.chains[0]) > 1
                      and r.chains[0][0].source.text == link.source.text]
            if before:
                record = replace(record, chains=((link, *before[-1][1:]),))
        result.append(record)
    return result


def _inside_another(record: Attribution, records: list[Attribution]) -> bool:
    cue = record.chains[0][0].cue_start
    return any(o is not record and not o.reaction and o.content_start <= cue < o.content_end for o in records)


def _vague(link: Link) -> bool:
    """ "A Ukrainian media outlet", "a Ukraine news report": one source, named later."""
    m = link.source
    return (
        not m.proper and not m.definite and m.kind in {"outlet", "document", "organization", "other"}
        and m.text.lower().startswith(("a ", "an "))
    )


def _forward(records: list[Attribution], sentence_of) -> list[Attribution]:
    """ "A Ukrainian media outlet reported X. Citing Y, RBC Ukraine said ...": the vague
    source is named in the next sentences; its chain becomes that chain."""
    result = []
    for i, record in enumerate(records):
        chain = record.chains[0]
        if len(record.chains) == 1 and len(chain) == 1 and _vague(chain[0]):
            here = sentence_of(chain[0].cue_start)
            for later in records[i + 1 :]:
                if sentence_of(later.chains[0][0].cue_start) - here > 2:
                    break
                first = later.chains[0][0].source
                if first.proper and first.kind in {"outlet", "organization", "government", "military"}:
                    named = tuple(replace(link) for link in later.chains[0])
                    record = replace(record, chains=(named,))
                    break
        result.append(record)
    return result


def _same_report(m: Mention) -> bool:
    """ "the report", "the same report", "it": a reference to a report seen before."""
    return (m.kind == "document" and m.definite) or m.text.lower() == "it"


def _cited_by(issuer: Mention, upstream: list[tuple[Link, ...]]) -> tuple[tuple[Link, ...], tuple[Link, ...]]:
    """The hops before and after `issuer` in the first chain that holds it: how the
    document introduced that source's report ("RBC Ukraine reported, citing X, ..." makes
    its later "It put losses at ..." X's too; a citation added later for one detail does not)."""
    for chain in upstream:
        for i, link in enumerate(chain):
            if link.source.start < issuer.start and link.source.text == issuer.text:
                return chain[:i], chain[i + 1 :]
    return (), ()


def _quoted_by(person: Mention, relayed: list[tuple[Mention, tuple[Link, ...]]]) -> tuple[Link, ...]:
    for mention_, before in reversed(relayed):
        if mention_.start < person.start and mention_.text == person.text:
            return before
    return ()


def _plural(m: Mention) -> bool:
    """ "officials", "sources" (the head is a lemma, so the text's last word decides)."""
    word = m.text.split()[-1].lower() if m.text.split() else ""
    return word.endswith("s") and not word.endswith("ss")


def _plural_reference(m: Mention) -> bool:
    return m.definite and m.kind == "anonymous" and _plural(m)


def _siblings(resolved: Mention, together: list[tuple[Mention, ...]]) -> tuple[Mention, ...]:
    for group in reversed(together):
        if any(m.text == resolved.text for m in group):
            return tuple(replace(resolved, text=m.text, kind=m.kind) for m in group)
    return ()


def _key(name: str) -> tuple[str, ...]:
    words = re.sub(r"[’']s\b", "", name.lower())
    return tuple(w for w in re.findall(r"[\w.-]+", words) if w != "the")


def _same(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """ "The Ukrainian portal RBC-Ukraine" and "RBC-Ukraine": one names the other at its end."""
    short, long = sorted((a, b), key=len)
    return bool(short) and long[len(long) - len(short) :] == short


def _complete_from_sourcing(records: list[Attribution]) -> list[Attribution]:
    """ "RBC Ukraine's source was Global Defense Corp.": every chain of the document that
    ends at RBC Ukraine goes on to Global Defense Corp. (The sourcing statements themselves
    stay, flagged: they are not claims, but they name the source of a quoted passage.)"""
    sourced = [(_key(r.chains[0][0].source.text), r.chains[0][1:]) for r in records if r.sourcing]
    if not sourced:
        return records

    def completed(chain: tuple[Link, ...]) -> tuple[Link, ...]:
        for _ in range(3):  # Yonhap's source was RBC Ukraine, whose source was ...
            key = _key(chain[-1].source.text)
            rest = next((rest for k, rest in sourced if _same(k, key)), None)
            if rest is None or any(_same(_key(l.source.text), _key(r.source.text)) for l in chain for r in rest):
                break
            chain = chain + rest
        return chain

    return [r if r.sourcing else replace(r, chains=tuple(completed(c) for c in r.chains)) for r in records]


def resolve(
    records: list[Attribution], entities: list[Entity], quote_runs: list[list[Quote]], sentence_of,
    text: str | None = None,
) -> list[Attribution]:
    """Resolve references, join nested chains and give quotations their speakers.

    `sentence_of(offset)` maps a document offset to its sentence number.
    """
    records = sorted(records, key=lambda r: r.chains[0][0].cue_start)
    seen: set[tuple] = set()
    unique = []
    for record in records:  # one attribution per cue, source and content
        key = (tuple((link.cue_start, link.source.start) for link in record.chains[0]), record.content_start, record.sourcing)
        if key not in seen:
            seen.add(key)
            unique.append(record)
    records = unique
    seen = _Seen(entities, text)
    named = seen.named
    issuers = ByStart()
    resolved = []
    # In document order, so that "he" and "Lee" see the full mentions made before them.
    upstream: list[tuple[Link, ...]] = []  # the chains seen so far
    together: list[tuple[Mention, ...]] = []  # sources that spoke together ("A and B said")
    relayed: list[tuple[Mention, tuple[Link, ...]]] = []  # people quoted through others
    genders: dict[str, str] = {}  # who the document calls "he" or "she"
    for record in records:
        new_chains = []
        for chain in record.chains:
            links = tuple(replace(link, source=_resolve(link.source, seen, issuers, genders)) for link in chain)
            named.extend(
                link.source for link in links
                if link.source.proper or link.source.kind in {"anonymous", "other"}
                or (not link.source.definite and link.source.kind not in {"pronoun", "document"})
            )
            if len(chain) == 1 and _same_report(chain[0].source):
                # "According to the report, ...", "It put losses at ...": the report's whole chain.
                before, after = _cited_by(links[0].source, upstream)
                links += after
                if before and len(record.chains) == 1 and chain[0].source.kind == "document":
                    record = replace(record, relayed=before)
            elif len(chain) == 1 and len(record.chains) == 1 and links[0].source.text != chain[0].source.text:
                # "RBC Ukraine quoted Barhylevych as saying ... . He also said ...": still quoted by RBC Ukraine.
                record = replace(record, relayed=_quoted_by(links[0].source, relayed))
            if len(record.chains) == 1 and _plural_reference(chain[0].source):
                # "Sudanese and Chadian officials said ... . The officials added ...": both of them.
                siblings = _siblings(links[0].source, together)
                if siblings:
                    new_chains.extend((replace(links[0], source=sibling), *links[1:]) for sibling in siblings)
                    continue
            new_chains.append(links)
        for chain in new_chains:
            for i, link in enumerate(chain[1:], start=1):
                if link.source.kind in {"person", "anonymous"}:
                    relayed.append((link.source, chain[:i]))
        if len(new_chains) > 1:
            together.append(tuple(chain[0].source for chain in new_chains))
        first = new_chains[0][0].source
        if first.proper:
            issuers.append(first)
        # "The General Staff's report, relayed by Ukrainian News Wire, said": the report's issuer too.
        issuers.extend(link.source for link in new_chains[0][1:] if link.source.via)
        upstream.append(record.relayed + new_chains[0])
        resolved.append(replace(record, chains=tuple(new_chains)))
    records = resolved
    # A pronoun nothing earlier explains ("it said" with no source before) is no source.
    records = [r for r in records if all(link.source.kind != "pronoun" for chain in r.chains for link in chain)]
    records = [r for r in records if not (r.attitude and _inside_another(r, records))]
    records = _nested([r for r in records if not r.sourcing], text) + [r for r in records if r.sourcing]
    records = _documents_relayed(records)
    records = _forward(records, sentence_of)
    records = _complete_from_sourcing(records)
    runs = RangeIndex(quote_runs, lambda run: [(run[0].inner[0], run[-1].inner[1])])
    return [_quoted(r, runs) for r in records]


def _quoted(record: Attribution, runs: RangeIndex) -> Attribution:
    """An attribution whose content is a direct quotation says so, with the quote's span."""
    for run in runs.near(record.content_start, record.content_end):  # a quotation it shares words with
        start, end = run[0].inner[0], run[-1].inner[1]
        cue = record.chains[0][0].cue_start
        inside = start <= cue < end
        shared = min(end, record.content_end) - max(start, record.content_start)
        mostly = shared > 0.5 * (record.content_end - record.content_start)
        if mostly and not inside:
            return replace(record, quote=True, content_start=start, content_end=end)
    return record


def cues_by_sentence(records: list[Attribution], sentence_of) -> dict[int, list[tuple[int, Attribution]]]:
    """The attributions (with their place in `records`) by the sentence of their cue."""
    found = defaultdict(list)
    for n, record in enumerate(records):
        found[sentence_of(record.chains[0][0].cue_start)].append((n, record))
    return found


def speaker_of_quote(run: list[Quote], cues: dict[int, list[tuple[int, Attribution]]], sentence_of,
                     text: str = "") -> Attribution | None:
    """The attribution a quotation belongs to: a cue just outside it, in the sentence
    where it opens or closes (or the one right after, in the same paragraph). `cues`
    are the document's attributions by sentence (`cues_by_sentence`)."""
    start, end = run[0].start, run[-1].end
    near = {sentence_of(start), sentence_of(max(start, end - 1)), sentence_of(max(start, end - 1)) + 1}
    best = None
    for _, record in sorted((item for sentence in near for item in cues.get(sentence, ())), key=lambda item: item[0]):
        cue = record.chains[0][0].cue_start
        if start <= cue < end:
            continue
        if cue >= end and "\n\n" in text[end:cue]:
            continue  # the next paragraph's speaker is someone else's story
        distance = min(abs(cue - start), abs(cue - end))
        if best is None or distance < best[0]:
            best = (distance, record)
    return best[1] if best else None
