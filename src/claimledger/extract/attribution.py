"""Attributed statements in one parsed sentence: who says it, the cue, the content, and
the sources they cite in turn (the chain, nearest hop first).

Pure: a spaCy span in, `Attribution` records out; offsets are into the document text.
Who a source mention is (its phrase and kind) is `mentions.py`'s; cross-sentence work
(pronouns, "the agency", quotations spanning sentences, a vague "a Ukrainian outlet"
named in the next sentence) is done by `chains.py`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache

from spacy.tokens import Span, Token

from . import lexicon, stance
from .docs import text_of
from .mentions import Mention, issuer_of, mention, name_tokens, sources

_QUOTE_CHARS = "\"“”«»„'‘’"
_AUDIENCE = {"reporter", "journalist", "lawmaker", "audience", "crowd", "supporter", "television", "interview"}


@dataclass(frozen=True)
class Link:
    """One hop: the source mention and the cue that attributes to it."""

    source: Mention
    cue: str
    cue_start: int
    cue_end: int


@dataclass(frozen=True)
class Attribution:
    chains: tuple[tuple[Link, ...], ...]  # usually one; several for "A and B said"
    content_start: int
    content_end: int
    cue_stance: str | None  # denied / hedged when the cue verb carries it
    quote: bool = False
    # Hops the document showed this source's words coming through earlier ("RBC Ukraine
    # quoted Barhylevych as saying ... . He also said ..."): they go before each chain.
    relayed: tuple[Link, ...] = ()
    # A source answering the clause before it ("..., which Yerevan denied"): a claim of its
    # own about that clause, never the owner of the figures in it.
    reaction: bool = False
    # Not a claim but a statement of where a source's report came from ("RBC Ukraine's
    # source was Global Defense Corp."): it completes the document's other chains.
    sourcing: bool = False
    # A state's belief or expectation ("Israel believed", "Baku expected"): inside another
    # source's words ("an Israeli official said Israel believed ...") part of what they said.
    attitude: bool = False


@cache
def _lex() -> dict:
    return lexicon.load("attribution")


def _speech_verbs() -> dict:
    return _lex()["speech_verbs"]


def _set(key: str) -> frozenset[str]:
    return lexicon.phrase_set("attribution", key)


def _relayed_by(subject: Token) -> tuple[Token, Token] | None:
    """(cue, relayer) of "Y's report, relayed by X": X is the nearer hop."""
    for child in subject.children:
        if child.dep_ == "acl" and child.lemma_.lower() in {"relay", "carry", "quote", "publish", "cite", "republish"}:
            agent = next((c for c in child.children if c.dep_ == "agent"), None)
            by = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
            if by is not None:
                return child, by
    return None


def _told_outlet(verb: Token, sentence: Span, base: int) -> tuple[Token, Token] | None:
    """(cue, outlet) of "An army officer told Al-Nilain TV that ...", "... told the agency
    that ...", "officials, speaking to the daily La Prensa, said": the outlet relays (not
    "told this newspaper", "told us": the writer's own outlet)."""
    def outlet(tok: Token) -> bool:
        if tok.pos_ not in {"PROPN", "NOUN"} or any(c.lower_ in {"this", "our"} for c in tok.children):
            return False
        if tok.lower_ in {"media", "press", "reporters", "journalists"} and not list(tok.children):
            return False  # "told media in a briefing": an audience, not an outlet that relays
        told = mention(tok, sentence, base)
        return told.kind == "outlet"  # "told Al-Nilain TV", "told the agency", "told state media"

    if verb.lemma_.lower() == "tell":
        child = next((c for c in verb.children if c.dep_ in {"dobj", "dative"} and outlet(c)), None)
        if child is not None:
            return verb, child
    subject = _subject(verb)
    around = [*verb.children, *(subject.children if subject is not None else [])]
    for speaking in around:
        if speaking.lemma_.lower() == "speak" and speaking.dep_ in {"acl", "advcl"}:
            # "speaking on condition of anonymity to the daily La Prensa": "to" may hang lower
            to = next((t for t in speaking.subtree if t.dep_ == "prep" and t.lower_ == "to"), None)
            obj = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
            if obj is not None and outlet(obj):
                return speaking, obj
    return None


# -- cues -----------------------------------------------------------------------------


def _cited(verb: Token, sentence: Span, base: int) -> list[Link]:
    """Sources a cue verb cites in turn: "..., citing Y", "relaying a report by Y"."""
    links = []
    for child in verb.children:
        if child.dep_ in {"advcl", "xcomp", "conj", "acl"} and child.lemma_.lower() in _lex()["citing_verbs"] and child.tag_ == "VBG":
            obj = next((c for c in child.children if c.dep_ in {"dobj", "pobj", "attr"}), None)
            if obj is not None:
                links.append(_link(obj, child, sentence, base))
                # "citing RBC Ukraine, which in turn cited Global Defense Corp."
                links.extend(_cited(child, sentence, base) or relative_citing(obj, sentence, base))
        if child.dep_ == "prep" and child.lower_ in {"after", "following", "at", "during"} and not links:
            # "said after a closed-door briefing by the National Intelligence Service"
            obj = next((c for c in child.children if c.dep_ == "pobj"), None)
            issuer = issuer_of(obj) if obj is not None and obj.lemma_.lower() in _set("document_nouns") else None
            if issuer is not None and any(c.dep_ == "prep" and c.lower_ in {"by", "from"} for c in obj.children):
                links.append(_link(issuer, obj, sentence, base))
    return links


def relative_citing(subject: Token, sentence: Span, base: int) -> list[Link]:
    """ "X, which in turn cited Y", "X, relaying a report by Y" and "X, which attributed
    the figure to Y" hang off the source."""
    # "citing its network of contacts inside the country, which in turn cited ...": the
    # clause may hang on the last noun of the phrase.
    near = [subject, *(c for c in subject.children if c.dep_ == "appos")]  # "the channel Al-Hadath, which cited ..."
    clauses = [c for n in near for c in n.children if c.dep_ in {"relcl", "acl", "advcl"}] or [
        t for t in subject.subtree if t.dep_ == "relcl" and t.head.dep_ == "pobj" and t.head != subject
    ]
    for child in clauses:
        if child.lemma_.lower() in _lex()["citing_verbs"]:
            obj = next((c for c in child.children if c.dep_ in {"dobj", "pobj"}), None)
            if obj is not None:
                return [_link(obj, child, sentence, base), *(_cited(child, sentence, base) or relative_citing(obj, sentence, base))]
        origin = _origin_of(child)
        if origin is not None:
            return [_link(origin, child, sentence, base), *relative_citing(origin, sentence, base)]
    return []


_SOURCE_PREPS = {"attribute": "to", "base": "on", "rely": "on", "draw": "on"}
_SOURCE_NOUNS = {"basis", "data", "datum", "information", "report", "reports", "document", "documents", "figure", "figures"}


def _origin_of(verb: Token) -> Token | None:
    """Y in "attributed the figure to Y", "based its report on Y", "writing on the basis
    of data of Y", "Yonhap is basing on Y"."""
    lemma = verb.lemma_.lower()
    for child in verb.children:
        wanted = _SOURCE_PREPS.get(lemma)
        if child.dep_ == "prep" and (child.lower_ == wanted or child.lower_ == "on"):
            obj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if obj is None or (wanted is None and obj.lemma_.lower() != "basis"):
                continue
            while obj.lemma_.lower() in _SOURCE_NOUNS:  # "the basis of data of the website X"
                of = next((c for c in obj.children if c.dep_ == "prep" and c.lower_ in {"of", "from"}), None)
                deeper = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
                if deeper is None:
                    break
                obj = deeper
            return None if obj.lemma_.lower() in _SOURCE_NOUNS else obj
        if child.dep_ == "dobj" and wanted:  # "based its report on documents from X"
            found = _origin_of_object(child, wanted)
            if found is not None:
                return found
    return None


def _relayed_statement(verb: Token) -> Token | None:
    """Y in "how Al-Masirah TV relayed the latest statement by Y:", "X quoted a post by Y"."""
    if verb.lemma_.lower() not in _lex()["citing_verbs"] or any(c.dep_ in {"ccomp", "xcomp"} for c in verb.children):
        return None
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    if obj is None or obj.lemma_.lower() not in _set("document_nouns"):
        return None
    return issuer_of(obj)


def _origin_of_object(obj: Token, prep_word: str) -> Token | None:
    prep = next((c for c in obj.children if c.dep_ == "prep" and c.lower_ == prep_word), None)
    target = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
    while target is not None and target.lemma_.lower() in _SOURCE_NOUNS:
        of = next((c for c in target.children if c.dep_ == "prep" and c.lower_ in {"of", "from"}), None)
        target = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
    return target


def _sourcing(sentence: Span, base: int) -> list[Attribution]:
    """Where a source's report came from, said in a sentence of its own: "RBC Ukraine's
    source was Global Defense Corp.", "The portal is writing this on the basis of data of
    X", "The agency Yonhap is basing on RBC-Ukraine, which is citing X"."""
    found = []
    lead_in = sentence.text.rstrip().endswith(":")  # read once: Span.text is rebuilt on each call
    for tok in sentence:
        relayer = origin = None
        if tok.lemma_.lower() == "be":
            subject = next((c for c in tok.children if c.dep_ == "nsubj" and c.lemma_.lower() == "source"), None)
            owner = next((c for c in subject.children if c.dep_ == "poss"), None) if subject is not None else None
            attr = next((c for c in tok.children if c.dep_ == "attr"), None)
            relayer, origin = (owner, attr) if owner is not None and attr is not None else (None, None)
        elif tok.pos_ == "VERB" and tok.dep_ != "relcl":
            origin = _origin_of(tok) or _relayed_statement(tok) or _cited_alone(tok)
            relayer = _subject(tok) if origin is not None else None
        start, _ = _span(tok, sentence, base)
        if (relayer is None or origin is None) and lead_in:
            # A writer's lead-in to a quoted passage: "Here is how the site Libya Pulse relayed
            # the latest toll:", "This one comes from the Telegram channel Dvina Front:".
            lone = _lead_in_source(tok)
            if lone is not None:
                link = Link(mention(lone, sentence, base), tok.text, *_span(tok, sentence, base))
                found.append(Attribution(((link, *relative_citing(lone, sentence, base)),), start, start, None, sourcing=True))
            continue
        if relayer is None or origin is None or relayer.lower_ in {"which", "that", "who"}:
            continue
        chain = (Link(mention(relayer, sentence, base), tok.text, *_span(tok, sentence, base)),
                 _link(origin, tok, sentence, base), *relative_citing(origin, sentence, base))
        found.append(Attribution((chain,), start, start, None, sourcing=True))
    return found


def _cited_alone(verb: Token) -> Token | None:
    """Y in "It cited a local aid worker." (a citing verb as the main verb, nothing reported)."""
    if verb.lemma_.lower() not in _lex()["citing_verbs"] or verb.dep_ not in {"ROOT", "conj"}:
        return None
    if any(c.dep_ in {"ccomp", "xcomp", "prep", "advcl"} for c in verb.children):
        return None  # "quoted X as saying ...": an attribution, not a statement of sources
    return next((c for c in verb.children if c.dep_ == "dobj" and c.lemma_.lower() not in _set("document_nouns")), None)


def _lead_in_source(verb: Token) -> Token | None:
    """The source a lead-in names: the subject of "relayed"/"reported"/"described", or the
    origin of "comes from"."""
    lemma = verb.lemma_.lower()
    if lemma == "come":
        prep = next((c for c in verb.children if c.dep_ == "prep" and c.lower_ == "from"), None)
        return next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
    if lemma in _lex()["citing_verbs"] or lemma in {"report", "describe", "put", "tell"}:
        subject = _subject(verb)
        return subject if subject is not None and subject.pos_ in {"NOUN", "PROPN"} else None
    return None


def _link(head: Token, cue: Token | list[Token], sentence: Span, base: int) -> Link:
    cue_tokens = cue if isinstance(cue, list) else [cue]
    start = base + cue_tokens[0].idx - sentence.start_char
    end = base + cue_tokens[-1].idx + len(cue_tokens[-1].text) - sentence.start_char
    text = text_of(sentence.doc)[cue_tokens[0].idx : cue_tokens[-1].idx + len(cue_tokens[-1].text)]
    return Link(mention(head, sentence, base), text, start, end)


def _subject(verb: Token) -> Token | None:
    subjects = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}]
    if subjects:  # "..., most of them civilians, Iran's health ministry said": the nearest
        before = sorted((c for c in subjects if c.i < verb.i), key=lambda c: c.i)
        if len(before) > 1 and before[-1].left_edge.lower_ in {"a", "an"}:
            return before[-2]  # "The Kyiv Ledger, a daily newspaper, published": an apposition
        return before[-1] if before else subjects[0]
    # "X said and added": the second verb shares the first one's subject; so does
    # "X left the room, saying ..." (a participle hanging off the main verb).
    # Only from a verb that is itself a cue or an action of the speaker's, not from
    # "soldiers are in Kursk and ..., the chief was quoted".
    # "They reversed themselves ... and said ...": a verb conjoined to a main-clause verb
    # shares its subject (not one conjoined inside reported words: "X said Y had ... and offered").
    main_clause = verb.head.dep_ in {"ROOT", "conj"} or verb.head.lemma_.lower() in _speech_verbs()
    if verb.dep_ == "conj" and _second_act(verb):
        return _subject(verb.head.head)  # "X said it had targeted militiamen and denied hitting civilians"
    if (verb.dep_ == "conj" and verb.head.pos_ in {"VERB", "AUX"} and main_clause) or (
        verb.tag_ == "VBG" and verb.dep_ in {"advcl", "xcomp"}
    ):
        head = verb.head
        if verb.tag_ == "VBG" and head.dep_ == "ccomp" and head.head.lemma_.lower() in _speech_verbs():
            head = head.head  # "X denied that its forces had shelled ..., saying ...": X says it
        return _subject(head)
    # "..., said Cook.", "..., claimed a monitoring group on Friday": an inverted subject
    # the parser took for an object, after the reported clause and a comma.
    reported_before = verb.i > 0 and verb.doc[verb.i - 1].text == "," and any(
        c.dep_ == "ccomp" and c.i < verb.i for c in verb.children
    )
    for child in verb.rights:
        if child.dep_ in {"dobj", "attr", "npadvmod", "appos", "oprd"} and (
            (child.pos_ == "PROPN" and _ends_clause(child)) or (child.pos_ == "NOUN" and reported_before)
        ):
            return child
    return None


def _that_clause(tok: Token) -> bool:
    """ "is reporting, citing X, that nine bodies have been pulled ...": a reported clause
    the parser conjoined to the cue."""
    return tok.dep_ == "conj" and any(c.dep_ == "mark" and c.lower_ == "that" for c in tok.children)


def _second_act(verb: Token) -> bool:
    """A cue the parser conjoined to the reported clause of another cue when it is the
    speaker's own second act: "X said it had targeted militiamen and denied hitting
    civilians", "Y said Washington had indications, but offered no figure"."""
    head = verb.head
    return (
        verb.dep_ == "conj" and verb.lemma_.lower() in _speech_verbs()
        and not any(c.dep_ in {"nsubj", "nsubjpass"} for c in verb.children)
        and head.dep_ == "ccomp" and head.head.lemma_.lower() in _speech_verbs()
    )


def _puts_figure(verb: Token) -> bool:
    """ "The agency put the toll at 300": a source giving a figure."""
    if verb.lemma_.lower() not in {"put", "place", "estimate", "set"}:
        return False
    if any((c.dep_ == "prep" and c.lower_ in {"at", "as"}) or (c.dep_ == "advmod" and c.lower_ in {"high", "low"}) for c in verb.children):
        return True
    # "put Russian losses in the same attack at 18": the parser hangs "at" lower down.
    clause = [t for t in verb.subtree if not any(a.dep_ in {"ccomp", "xcomp", "relcl"} and a.i != verb.i for a in t.ancestors if a in verb.subtree)]
    return any(t.dep_ == "prep" and t.lower_ in {"at", "as"} and any(c.like_num for c in t.children) for t in clause)


def _counts_figure(verb: Token) -> bool:
    """ "The ministry documented 3,238 admissions", "the office has recorded 798 killings",
    "It treated 17 people": a source counting what it saw is the source of the figure."""
    if verb.lemma_.lower() not in _set("counting_verbs") or verb.tag_ == "VBN" and verb.dep_ in {"amod", "acl"}:
        return False
    if any(a.lemma_.lower() in _speech_verbs() for a in verb.ancestors):
        return False  # "The group said it has identified 263 civilians": the group's words
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    return any(t.like_num or t.pos_ == "NUM" or t.lower_ in {"dozens", "hundreds", "thousands"}
               for o in objects for t in o.subtree)


def _inverted_source(verb: Token) -> Token | None:
    """ "At least 80 people have died ..., claimed a monitoring group on Friday":
    a cue after the reported clause and a comma, its source after it (the parser takes the
    source for an object, and the cue for a verb conjoined to the reported one)."""
    if verb.dep_ != "conj" or verb.doc[verb.i - 1].text != "," or verb.head.i > verb.i or verb.tag_ not in {"VBD", "VBZ", "VBP"}:
        return None
    if any(c.dep_ in {"nsubj", "nsubjpass", "ccomp"} for c in verb.children):
        return None
    objects = [c for c in verb.rights if c.dep_ in {"dobj", "attr"} and c.pos_ in {"NOUN", "PROPN"}]
    if not objects:
        return None
    obj = objects[0]
    speakers = _set("speaker_nouns") | _set("person_roles") | _set("anonymous_heads") | _set("document_nouns")
    if obj.pos_ == "NOUN" and obj.lemma_.lower() not in speakers | lexicon.phrase_set("events", "people"):
        return None  # "..., questioning their seriousness": an act, not a source
    rest = [t for t in verb.doc[obj.right_edge.i + 1 : verb.sent.end] if not t.is_punct]
    if any(t.pos_ in {"VERB", "AUX"} for t in rest):
        return None  # "..., and sent 300 troops to the border": an act with its object
    return obj


def _trailing_source(verb: Token) -> Token | None:
    """ "..., the Ukrainian outlet RBC Ukraine reported": a subject the parser hung
    elsewhere, standing right before a clause-final cue verb."""
    if verb.i == 0:
        return None
    inverted = _inverted_source(verb)
    if inverted is not None:
        return inverted  # "..., claimed a monitoring group on Friday."
    if verb.dep_ == "ROOT" and not any(c.dep_ in {"nsubj", "nsubjpass"} for c in verb.children):
        return _phrase_before(verb)  # "..., a confidential report by UN experts said."
    if verb.dep_ not in {"conj", "ccomp", "parataxis", "advcl"}:
        return None
    i = verb.i - 1  # "..., Anatolii Barhylevych, was quoted": past auxiliaries and a comma
    while i > 0 and (verb.doc[i].dep_ in {"aux", "auxpass"} or verb.doc[i].text == ","):
        i -= 1
    while i > 0 and verb.doc[i].dep_ == "cc" and verb.doc[i].text[:1].isupper():
        i -= 1  # "Défenseurs Plus said": a capitalized word of a name the parser took for a conjunction
    prev = verb.doc[i]
    if prev.pos_ not in {"PROPN", "NOUN"} or prev.dep_ in {"nsubj", "nsubjpass", "dobj"}:
        return None
    # The name must follow a comma: "..., RBC Ukraine reported".
    start = name_tokens(prev)[0].i
    if prev.dep_ == "appos" and prev.head.i == start - 1:  # "the Ukrainian outlet RBC Ukraine"
        start = min(t.i for t in prev.head.lefts) if list(prev.head.lefts) else prev.head.i
    before = verb.doc[start - 1] if start > 0 else None
    if any(c.dep_ in {"nsubj", "nsubjpass"} and prev in c.subtree and c.left_edge.i < start - 1 for c in verb.children):
        return None  # "while a faction loyal to the governor, Ali Musa, claimed ...": its own subject's
    if before is not None and before.text in {",", "—", "–"}:
        return prev
    if any(c.dep_ in {"nsubj", "nsubjpass"} for c in verb.children):
        return None
    # "..., the Christian Association of Nigeria said", "..., the rights group Défenseurs
    # Plus said": the parser joined the source to the object before it; climb to the
    # phrase that starts after the comma.
    node = prev
    while node.dep_ in {"pobj", "prep", "appos", "compound"} and node.head.i < node.i:
        node = node.head
        if node.pos_ in {"NOUN", "PROPN"} and node.left_edge.i > 0 and verb.doc[node.left_edge.i - 1].text == ",":
            return node
    return None


def _phrase_before(verb: Token) -> Token | None:
    """The head of the noun phrase between the last comma and `verb`, when it is one phrase."""
    i = verb.i - 1
    while i > verb.sent.start and verb.doc[i].dep_ in {"aux", "auxpass", "neg"}:
        i -= 1
    if verb.doc[i].text == "," and i > verb.sent.start:
        # "..., the UN mission in Congo, MONUSCO, said": the name closes an apposition.
        named = verb.doc[i - 1]
        while named.dep_ in {"appos", "pobj", "prep"} and named.head.i < named.i:  # up to the phrase's head
            named = named.head
            edge = named.left_edge.i
            if named.pos_ in {"NOUN", "PROPN"} and edge > verb.sent.start and verb.doc[edge - 1].text == ",":
                return named  # the phrase that starts after a comma
        return None
    comma = next((k for k in range(i, verb.sent.start - 1, -1) if verb.doc[k].text in {",", "—", "–"}), None)
    if comma is None or comma >= i:
        return None
    span = verb.doc[comma + 1 : i + 1]
    roots = [t for t in span if t.head.i < span.start or t.head.i >= span.end or t.head.i == t.i]
    root = roots[0] if len(roots) == 1 else None
    return root if root is not None and root.pos_ in {"NOUN", "PROPN"} else None


def _ends_clause(tok: Token) -> bool:
    """The token's phrase runs to the end of the sentence or to a comma."""
    last = tok.right_edge
    nxt = tok.doc[last.i + 1] if last.i + 1 < len(tok.doc) else None
    return nxt is None or nxt.is_punct


def _content_tokens(verb: Token, sentence: Span, exclude: set[int]) -> list[Token]:
    """What the cue introduces: its clausal complement, else the sentence around it."""
    for child in verb.children:
        if (child.dep_ in {"ccomp", "xcomp"} and child.lemma_.lower() not in {"quote"}) or _that_clause(child):
            second = {t.i for c in child.children if _second_act(c) for t in c.subtree}
            return [t for t in child.subtree if t.i not in second]
    for child in verb.children:
        if child.dep_ in {"prep", "advcl"} and child.lower_ in {"as", "that"}:
            for grand in child.children:  # "quoted as saying that ..."
                inner = _content_tokens(grand, sentence, exclude)
                if inner:
                    return inner
        if child.dep_ == "pcomp" or (
            child.dep_ == "advcl" and child.lemma_.lower() in _speech_verbs() and child.lemma_.lower() not in _lex()["citing_verbs"]
            and not any(c.dep_ in {"nsubj", "nsubjpass"} for c in child.children)  # not "..., while Y said ..."
        ):
            inner = _content_tokens(child, sentence, exclude)
            if inner:
                return inner
    objects = [c for c in verb.children if c.dep_ in {"dobj", "prep", "oprd"} and c.lemma_.lower() not in _AUDIENCE
               and c.lower_ != "according"]  # "According to the site, HUR blamed ...": another attribution
    if objects:  # "denied the reports", "called for a ceasefire", "praised his positions"
        return [t for c in objects for t in c.subtree]
    # '"We are ready," the commander said.': the words before the cue, or after a colon.
    if verb.dep_ not in {"ROOT", "parataxis"}:
        return []
    rest = [
        t for t in sentence
        if t.i not in exclude and t.i < verb.i and not (t.is_punct and t.text not in _QUOTE_CHARS)
    ]
    if len(rest) < 3:
        rest = [t for t in sentence if t.i > verb.i and t.i not in exclude and not t.is_punct]
    conj = {t.i for c in verb.children if c.dep_ in {"conj", "cc"} for t in c.subtree}
    rest = [t for t in rest if t.i not in conj]
    return rest if len(rest) >= 3 else []


def _trim(tokens: list[Token]) -> list[Token]:
    tokens = sorted(tokens, key=lambda t: t.i)
    while tokens and (tokens[0].is_punct or tokens[0].dep_ in {"mark", "cc"}) and tokens[0].text not in "\"“":
        tokens = tokens[1:]
    while tokens and ((tokens[-1].is_punct and tokens[-1].text not in "\"”") or tokens[-1].dep_ == "cc"):
        tokens = tokens[:-1]
    return tokens


# Heads of mentions that cannot speak: abstract nouns ("This revelation", "the move") and
# what is counted or done ("The strike", "Russian losses near record highs").
_ABSTRACT_NOUN = re.compile(r"(?:tion|sion|ment|ness|ity|ance|ence|ing|ure|cy|ism|dom|ship)$")


@cache
def _event_words() -> frozenset[str]:
    return frozenset(str(w).lower() for words in lexicon.load("events")["words"].values() for w in words)


def _speaks(link: Link) -> bool:
    """Whether a mention can be the source of an evidential cue ("shows", "indicates",
    "suggests"): not "This revelation", "The strike", "Russian losses near record highs".
    Whoever "said" or "told" something is a source whatever the noun."""
    source = link.source
    if link.cue.lower().split()[0] not in _evidential_forms() or source.kind != "other" or source.proper:
        return True
    head = source.head
    if head in _set("speaker_nouns") | _set("person_roles") | _set("anonymous_heads") | _set(
        "document_nouns"
    ) | lexicon.phrase_set("events", "people"):
        return True
    return not (_ABSTRACT_NOUN.search(head) or head in _event_words() or head in _set("not_sources"))


@cache
def _evidential_forms() -> frozenset[str]:
    """Forms of the cues that things as well as people do ("the figures show")."""
    forms = set()
    for verb in _set("evidential_cues"):
        stem = verb.removesuffix("e")
        forms |= {verb, verb + "s", stem + "ed", stem + "ing", verb + "d", verb + "es"}
    return frozenset(forms)


def _attribution(chains: list[list[Link]], content: list[Token], sentence: Span, base: int, stance) -> Attribution | None:
    content = _trim(content)
    chains = [chain for chain in chains if all(_speaks(link) for link in chain)]
    if not content or not chains:
        return None
    start = base + content[0].idx - sentence.start_char
    end = base + content[-1].idx + len(content[-1].text) - sentence.start_char
    return Attribution(tuple(tuple(c) for c in chains), start, end, stance)


def _verb_attributions(sentence: Span, base: int) -> list[Attribution]:
    found = []
    verbs = _speech_verbs()
    reactions = {i for t in sentence if t.lemma_.lower() in verbs and _reacts_to_antecedent(t) for i in _reaction_clause(t)}
    for tok in sentence:
        lemma = tok.lemma_.lower()
        # "Early reports from a volunteer group put the toll at 57": the parser hung the verb
        # on its subject.
        put_by_report = tok.dep_ == "acl" and _puts_figure(tok) and tok.head.lemma_.lower() in _set("document_nouns")
        if tok.pos_ not in {"VERB", "AUX"} or (tok.dep_ in {"pcomp", "acl"} and not put_by_report):
            continue
        if tok.tag_ == "VBG" and tok.dep_ == "advcl" and lemma in _lex()["citing_verbs"]:
            continue  # "..., citing X" is a hop of the main verb's chain
        is_read = lemma == "read" and _subject(tok) is not None and _subject(tok).lemma_.lower() in _set("document_nouns")
        if lemma not in verbs and not is_read and not _puts_figure(tok) and not _counts_figure(tok):
            continue
        if lemma in _set("cues_needing_a_clause") and not any(c.dep_ in {"ccomp", "xcomp"} for c in tok.children):
            continue  # "its troops answered Indian fire", "ordered an investigation": acts, not words
        if any(c.dep_ == "prt" and c.lower_ in {"up", "off", "in", "out"} for c in tok.children):
            continue  # "called up reservists", "called off the talks"
        if any(c.dep_ == "dobj" and c.lemma_.lower() in _set("act_objects") for c in tok.children):
            continue  # "claimed the lives of 12", "recalled its ambassador": acts, not words
        trailing = _trailing_source(tok)
        subject = tok.head if put_by_report else trailing or _subject(tok)
        if tok.dep_ == "relcl" and lemma in _lex()["citing_verbs"]:
            continue  # "RBC Ukraine, which in turn cited X": a hop of RBC Ukraine's chain
        if subject is not None and subject.lower_ in {"who", "that", "which"} and tok.dep_ == "relcl":
            subject = tok.head  # "Barkley, who said he votes Democratic": Barkley
        if subject is not None and subject.lemma_.lower() in _OWN_WORK and any(
            c.dep_ == "poss" and c.lower_ in {"our", "my"} for c in subject.children
        ):
            continue  # "Our data show ...": the writer's own (not "our source", someone they quote)
        if subject is not None and subject.lower_ in {"most", "many", "some", "all", "none", "few", "several"} and any(
            c.dep_ == "prep" and c.lower_ == "of" for c in subject.children
        ):
            continue  # "..., most of them suspected gang members": a description, not a source
        if subject is None or subject.lower_ in {"which", "that", "who", "what", "i", "we"}:
            continue  # "we assess" is the quoted speaker's or the writer's own words
        if (subject.like_num or subject.pos_ == "NUM") and not any(c.lower_ == "of" for c in subject.children):
            continue  # "Over 100 feared dead": a count, not a source ("one of the soldiers told" is)
        if subject.dep_ == "nsubjpass" and lemma != "quote":
            continue  # "200 soldiers were estimated to ...": not a speech act of theirs
        exclude = {t.i for t in subject.subtree} | {tok.i} | {t.i for t in tok.children if t.dep_ in {"aux", "auxpass", "neg", "npadvmod", "advmod", "agent", "punct"} and t.text not in _QUOTE_CHARS}
        chains: list[list[Link]] = []
        cited_saying = lemma == "cite" and any(  # "KCNA cited the commission as saying"
            c.dep_ == "prep" and c.lower_ == "as" and any(g.dep_ == "pcomp" and g.lemma_.lower() in verbs for g in c.children)
            for c in tok.children
        )
        late_citing: set[int] = set()
        if (lemma == "quote" or cited_saying) and tok.dep_ != "pcomp":
            # "X was quoted by Y as saying": Y is the nearer hop, X the origin.
            agent = next((c for c in tok.children if c.dep_ == "agent"), None)
            by = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
            saying = [t for t in tok.subtree if t.dep_ == "pcomp" and t.lemma_.lower() in verbs]
            cue_tokens = saying[:1] or [tok]
            for source in sources(subject, sentence, base):
                chain = [Link(source, cue_tokens[0].text, *_span(cue_tokens[0], sentence, base))]
                if by is not None:
                    chain.insert(0, _link(by, tok, sentence, base))
                chains.append(chain)
            if by is not None:
                exclude |= {t.i for t in by.subtree}
            quoted = next((c for c in tok.children if c.dep_ == "dobj"), None)
            if by is None and subject.dep_ == "nsubj" and quoted is not None and saying:
                # "RBC Ukraine quoted the chief ... as saying": the quoted one is the origin.
                origin = Link(mention(quoted, sentence, base), saying[0].text, *_span(saying[0], sentence, base))
                chains = [[Link(source, tok.text, *_span(tok, sentence, base)), origin] for source in sources(subject, sentence, base)]
                exclude |= {t.i for t in quoted.subtree}
        else:
            # "X reported that ..., citing Y": the parser often hangs "citing" on the reported clause.
            reported = [c for c in tok.children if (c.dep_ == "ccomp" or _that_clause(c)) and lemma not in _lex()["citing_verbs"]]
            cited = _cited(tok, sentence, base) or next(
                (links for c in reported if (links := _cited(c, sentence, base))), []
            ) or relative_citing(subject, sentence, base)
            late_citing = {t.i for c in reported for a in c.children
                           if a.dep_ == "advcl" and a.tag_ == "VBG" and a.lemma_.lower() in _lex()["citing_verbs"] for t in a.subtree}
            relayer = _relayed_by(subject) or _told_outlet(tok, sentence, base)
            for source in sources(subject, sentence, base):
                chain = [Link(source, tok.text, *_span(tok, sentence, base)), *cited]
                if relayer is not None:  # "RBC Ukraine's report, relayed by Yonhap, said"
                    chain.insert(0, _link(relayer[1], relayer[0], sentence, base))
                chains.append(chain)
            for link in cited:
                exclude |= set(range(_token_at(sentence, link.source.start - base), _token_at(sentence, link.source.end - base) + 1))
            exclude |= {t.i for c in tok.children if c.dep_ == "advcl" and c.lemma_.lower() in _lex()["citing_verbs"] for t in c.subtree}
        stance = _cue_stance(tok, lemma, verbs)
        if _reacts_to_antecedent(tok):  # "..., which Yerevan denied", "..., a version the army disputed"
            content = _antecedent(tok) + [t for t in sentence if t.i in _reaction_clause(tok)]
        elif trailing:  # "..., the Ukrainian outlet RBC Ukraine reported": the clause before
            comma = max(t.i for t in sentence if t.i < subject.i and t.text in {",", "—", "–"})
            content = [t for t in sentence if t.i < comma and t.i not in reactions]
        elif cited_saying and not any(c.dep_ == "ccomp" for c in tok.subtree) and subject.left_edge.i > sentence.start \
                and tok.doc[subject.left_edge.i - 1].text == ",":
            # "..., KCNA cited the commission as saying.": the clause before the comma
            content = [t for t in sentence if t.i < subject.left_edge.i - 1 and t.i not in reactions]
        else:
            content = _content_tokens(tok, sentence, exclude)
            if lemma != "quote":
                content = [t for t in content if t.i not in late_citing]
            content = [t for t in content if t.i not in reactions]  # another source's answer
            subjects = [c for c in tok.children if c.dep_ in {"nsubj", "nsubjpass"}] or [subject]
            edge = min(c.left_edge.i for c in subjects)
            if not content and tok.dep_ in {"conj", "ccomp", "parataxis"} and edge > sentence.start and tok.doc[edge - 1].text in {",", "—", "–"}:
                # "... killed three people, the state news agency SANA reported, citing ...": the clause before
                content = [t for t in sentence if t.i < edge - 1 and t.i not in reactions]
        record = _attribution(chains, content, sentence, base, stance)
        if record is not None:
            # "Baku still expected", "Israel believed": a state's belief, told by its own official
            state_belief = lemma in _set("attitude_verbs") and subject.ent_type_ in {"GPE", "NORP"}
            found.append(replace(record, reaction=_reacts_to_antecedent(tok), attitude=state_belief))
    return found


_UNCONFIRMED = {"confirm", "acknowledge", "verify", "corroborate", "disclose"}


def _cue_stance(cue: Token, lemma: str, verbs: dict) -> str | None:
    """The stance the cue carries: "has not denied" none, "would not confirm" and
    "declined to confirm" a hedge."""
    negated = any(c.dep_ == "neg" for c in cue.children) or (
        cue.dep_ == "xcomp" and cue.head.lemma_.lower() in {"decline", "refuse"}
    ) or any(  # "Neither Moscow nor Pyongyang has acknowledged ...", "No official confirmed ..."
        c.dep_ in {"nsubj", "nsubjpass"} and any(d.dep_ in {"det", "preconj"} and d.lower_ in {"neither", "no"} for d in c.children)
        for c in cue.children
    )
    if lemma in {"decline", "refuse"} and any(
        c.dep_ == "xcomp" and c.lemma_.lower() in _UNCONFIRMED for c in cue.children
    ):
        return "hedged"  # "declined to confirm that ..."
    if not negated:
        return verbs.get(lemma)
    if lemma in _UNCONFIRMED or verbs.get(lemma) is None and lemma in {"say", "tell", "state", "comment", "mention"}:
        return "hedged"  # "has not said anything about losses": no claim of its own
    return None if verbs.get(lemma) == "denied" else verbs.get(lemma)


_OWN_WORK = {"data", "datum", "figure", "count", "tally", "team", "monitoring", "analysis", "research", "reporting",
             "record", "records", "investigation", "tracking", "database"}
_CLAIM_NOUNS = {"version", "claim", "account", "allegation", "assertion", "figure", "toll", "report", "estimate"}


def _reaction_clause(verb: Token) -> set[int]:
    """The tokens of a reacting clause: "which Yerevan denied", "a version the army disputed"."""
    clause = verb.head if verb.head.dep_ == "appos" and verb.head.lemma_.lower() in _CLAIM_NOUNS else verb
    return {t.i for t in clause.subtree}


def _reacts_to_antecedent(verb: Token) -> bool:
    """A relative clause whose source reacts to what came before: "which Yerevan denied"."""
    if verb.dep_ != "relcl":
        return False
    which = any(c.dep_ in {"dobj", "nsubjpass"} and c.lower_ in {"which", "that"} for c in verb.children)
    return which or verb.head.lemma_.lower() in _CLAIM_NOUNS


def _antecedent(verb: Token) -> list[Token]:
    """The clause a reacting relative clause refers to, without the relative clause."""
    drop = {t.i for t in verb.subtree}
    if verb.head.dep_ == "appos":  # "40 soldiers, a version the army disputed"
        drop |= {t.i for t in verb.head.subtree}
    node = verb.head
    while node.dep_ != "ROOT" and not (node.pos_ in {"VERB", "AUX"} and node.dep_ not in {"pcomp", "acl", "relcl", "amod"}):
        node = node.head
    return [t for t in node.subtree if t.i not in drop]


def _span(tok: Token, sentence: Span, base: int) -> tuple[int, int]:
    start = base + tok.idx - sentence.start_char
    return start, start + len(tok.text)


def _token_at(sentence: Span, offset: int) -> int:
    for tok in sentence:
        if tok.idx - sentence.start_char >= offset:
            return tok.i
    return sentence.end - 1


def _according_to(sentence: Span, base: int) -> list[Attribution]:
    """ "according to X" (and "per X", "as reported by X"): X is the source of the clause."""
    found = []
    for tok in sentence:
        first, to = _source_preposition(tok, sentence)
        if to is None:
            continue
        obj = next((c for c in to.children if c.dep_ in {"pobj", "pcomp"}), None)
        if obj is None and to.i + 1 < sentence.end and to.doc[to.i + 1].pos_ in {"PROPN", "NOUN"}:
            obj = to.doc[to.i + 1]  # "as cited by AP News": the parser hung the name elsewhere
            while obj.head.i > obj.i and obj.head.i < sentence.end and obj.head.pos_ == "PROPN":
                obj = obj.head
        if obj is None:
            continue
        if obj.lower_ in {"reports", "report"} and not list(obj.children):
            continue  # "as per reports", "according to reports": hearsay (a hedge), not a source
        if (first.lower_ == "per" or first.lower_ == "as" and to.lower_ == "per") and obj.pos_ != "PROPN" and (
                obj.lemma_.lower() not in _set("speaker_nouns") | _set("anonymous_heads") | _set("document_nouns")):
            continue  # "1,200 per day"
        phrase = set(range(first.i, to.i + 1)) | {t.i for t in obj.subtree}
        tok = first
        cue_start, cue_end = _span(tok, sentence, base)[0], _span(to, sentence, base)[1]
        cue_text = text_of(sentence.doc)[tok.idx : to.idx + len(to.text)]
        rest = relative_citing(obj, sentence, base)
        # "according to South Korean and U.S. officials": one chain each.
        chains = [[Link(source, cue_text, cue_start, cue_end), *rest] for source in sources(obj, sentence, base)]
        for sub in obj.children:
            if sub.dep_ == "acl" and sub.lemma_.lower() in _lex()["citing_verbs"]:
                phrase |= {t.i for t in sub.subtree}
        content = [t for t in sentence if t.i not in phrase and not t.is_punct]
        record = _attribution(chains, content, sentence, base, None)
        if record is not None:
            found.append(record)
    return found


def _claim_nouns(sentence: Span, base: int) -> list[Attribution]:
    """ "the ambassador's words that ...", "claims by the United States suggesting that
    ...": a noun of what a source said, its source the noun's owner or after "by", opens a
    clause that is the source's."""
    found = []
    nouns = _set("claim_nouns")
    for tok in sentence:
        if tok.pos_ != "NOUN" or tok.lower_ not in nouns:
            continue
        by = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "by"), None)
        owner = next((c for c in tok.children if c.dep_ == "poss"), None)
        source = owner if owner is not None else next(
            (c for c in by.children if c.dep_ == "pobj"), None) if by is not None else None
        if source is None or source.pos_ not in {"NOUN", "PROPN"}:
            continue  # "his words that": whose, the sentence before says
        after = max(t.i for t in by.subtree) + 1 if owner is None else tok.i + 1
        if after < sentence.end and sentence.doc[after].tag_ == "VBG" and (
                sentence.doc[after].lemma_.lower() in _speech_verbs()):
            after += 1  # "claims by X suggesting that"
        if after + 1 >= sentence.end or sentence.doc[after].lower_ != "that":
            continue
        cue_start, cue_end = _span(tok, sentence, base)
        rest = relative_citing(source, sentence, base)
        chains = [[Link(m, tok.text, cue_start, cue_end), *rest] for m in sources(source, sentence, base)]
        record = _attribution(chains, list(sentence.doc[after + 1:sentence.end]), sentence, base, None)
        if record is not None:
            found.append(record)
    return found


_RELAY_CUES = ("as cited by", "as reported by", "as quoted by", "as relayed by")
# "..., not 2,000 civilians as reported by the UN": the cue ends a figure set against the
# clause (another source's, denied), not the clause relayed.
_CONTRAST = re.compile(stance.CONTRAST + r"\s+(?:[^,;:]|(?<=\d),(?=\d))*$", re.IGNORECASE)


def _relayed_at_end(found: list[Attribution], sentence: Span, base: int) -> list[Attribution]:
    """ "X said ..., as cited by AP News": the relay's words are not X's; X's attribution
    ends before them, so that the relay holds it (AP News, then X). After a contrast ("X
    said 1,200 were soldiers, not 2,000 civilians as reported by the UN") the cue names
    whose figure X sets aside: no relay of X (X's words still end before the cue, and the
    figure set aside is X's, denied: `stance.set_aside`)."""
    text = text_of(sentence.doc)
    relays, set_aside = [], []
    for r in found:
        if r.chains[0][0].cue.lower().startswith(_RELAY_CUES):
            cue = r.chains[0][0].cue_start
            before = text[sentence.start_char:cue - base + sentence.start_char]
            (set_aside if _CONTRAST.search(before) else relays).append(r)
    result = []
    for record in found:
        if any(record is r for r in set_aside):
            continue
        for relay in [*relays, *set_aside]:
            cue = relay.chains[0][0].cue_start
            if relay is not record and record.content_start < cue <= record.content_end and record.chains[0][0].cue_start < cue:
                end = cue
                while end > record.content_start and text[end - 1 - base + sentence.start_char] in " ,;":
                    end -= 1
                record = replace(record, content_end=end)
        result.append(record)
    return result


def _source_preposition(tok: Token, sentence: Span) -> tuple[Token, Token | None]:
    """The first and last words of "according to", "as cited by", "as reported by", "as
    quoted by", "as per", "per" at `tok` (its first word), else (tok, None)."""
    nxt = tok.doc[tok.i + 1] if tok.i + 1 < sentence.end else None
    if tok.lower_ == "according":
        to = next((c for c in tok.children if c.lower_ == "to"), None)
        return tok, to if to is not None else (nxt if nxt is not None and nxt.lower_ == "to" else None)
    if tok.lower_ == "as" and nxt is not None:
        after = tok.doc[tok.i + 2] if tok.i + 2 < sentence.end else None
        if nxt.lower_ in {"cited", "reported", "quoted", "relayed"} and after is not None and after.lower_ == "by":
            return tok, after
        if nxt.lower_ == "per":
            return tok, nxt
    if tok.lower_ == "per" and (tok.i == sentence.start or tok.doc[tok.i - 1].lower_ != "as"):
        return tok, tok
    return tok, None


def _sentence_initial_citing(sentence: Span, base: int, found: list[Attribution]) -> list[Attribution]:
    """ "Citing Y, X said ...": when the parser hangs "citing" off the subject instead."""
    citing = []  # the sentence's "citing Y" hops, found once for all its attributions
    if found:
        for tok in sentence:
            if tok.lemma_.lower() in _lex()["citing_verbs"] and tok.tag_ == "VBG":
                obj = next((c for c in tok.children if c.dep_ in {"dobj", "pobj"}), None)
                if obj is not None:
                    citing.append(_link(obj, tok, sentence, base))
    result = []
    for record in found:
        chains = []
        for chain in record.chains:
            names = {link.source.text for link in chain}
            extra = []
            for link in citing:
                if link.source.text not in names and not (record.content_start <= link.cue_start < record.content_end):
                    extra.append(link)
                    names.add(link.source.text)
            chains.append(tuple(chain) + tuple(extra))
        result.append(replace(record, chains=tuple(chains)))
    return result


def shifted(record: Attribution, delta: int) -> Attribution:
    """The same attribution with every offset moved by `delta`."""
    def moved(hop: Link) -> Link:
        m = hop.source
        return Link(replace(m, start=m.start + delta, end=m.end + delta), hop.cue, hop.cue_start + delta, hop.cue_end + delta)

    return replace(
        record,
        chains=tuple(tuple(moved(hop) for hop in chain) for chain in record.chains),
        content_start=record.content_start + delta,
        content_end=record.content_end + delta,
    )


def find_attributions(sentence: Span, base: int) -> list[Attribution]:
    """All attributions in one parsed sentence. `base` is the sentence's document offset."""
    sourcing = _sourcing(sentence, base)
    cues = {r.chains[0][0].cue_start for r in sourcing}
    # "The portal is writing this on the basis of data of X" says where, not what.
    found = [r for r in _verb_attributions(sentence, base) if r.chains[0][0].cue_start not in cues]
    found += _according_to(sentence, base) + _claim_nouns(sentence, base) + sourcing
    found = _sentence_initial_citing(sentence, base, _relayed_at_end(found, sentence, base))
    # A cue nested in another's content ("X said Y told him ..."): keep both; the outer
    # one is the nearer hop of the inner, which chains.py joins.
    return found
