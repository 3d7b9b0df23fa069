"""Source mentions: the noun phrase that names who says something, its kind (person,
outlet, government, ...), whether it names a particular source or refers back to one
("the agency"), and what a document noun stands for ("a report by UN experts": UN experts).

Pure: a spaCy token in, a `Mention` out; offsets are into the document text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from spacy.tokens import Span, Token

from . import lexicon
from .docs import lower_words_of, text_of

_NAME_DEPS = {"relcl", "appos", "acl", "advcl", "punct", "cc", "conj", "parataxis"}
_PRONOUNS = {"he", "she", "they", "it", "we", "i", "him", "her", "them", "its", "their", "his"}
_QUOTE_CHARS = "\"“”«»„'‘’"


def word_list(key: str) -> frozenset[str]:
    """A word list of the attribution lexicon."""
    return lexicon.phrase_set("attribution", key)


@dataclass(frozen=True)
class Mention:
    """A source as the text names it; `kind` as the contract's hop kinds (plus pronoun)."""

    text: str
    start: int
    end: int
    kind: str
    head: str  # lemma of the head noun, lower case
    proper: bool  # names a particular source (a proper noun), not "officials"
    definite: bool  # "the agency", "the report": refers back to an earlier mention
    description: str | None = None  # an apposition: "the chief of the General Staff"
    via: str | None = None  # the document it issued: "report" for "a report by UN experts"


# Documents whose "of" names who gave them: "accounts of survivors", "counts by volunteers".
_TOLD_BY = {"account", "testimony", "count", "tally", "estimate", "figure"}


def name_tokens(head: Token) -> list[Token]:
    """The head's noun phrase without clauses, appositions and coordinated parts."""
    keep = [head]
    stack = [c for c in head.children if (c.dep_ not in _NAME_DEPS or _hyphen(c) or _ampersand(c)) and not _is_time(c)]
    while stack:
        tok = stack.pop()
        keep.append(tok)
        stack.extend(c for c in tok.children if c.dep_ not in {"relcl", "acl", "advcl", "appos"})
    keep.sort(key=lambda t: t.i)
    # Keep a contiguous run around the head; trim edge punctuation and quote marks.
    lo = hi = keep.index(head)
    while lo > 0 and keep[lo - 1].i == keep[lo].i - 1:
        lo -= 1
    while hi < len(keep) - 1 and keep[hi + 1].i == keep[hi].i + 1:
        hi += 1
    run = keep[lo : hi + 1]
    while run and (run[0].is_punct or run[0].text in _QUOTE_CHARS) and run[0] is not head:
        run = run[1:]
    while run and (run[-1].is_punct or run[-1].is_space or run[-1].text in _QUOTE_CHARS or run[-1].dep_ == "case") and run[-1] is not head:
        run = run[:-1]
    return run


def _ampersand(tok: Token) -> bool:
    """ "Bridge & Deck", "Reuters & Co.": one name joined by an ampersand."""
    if tok.dep_ == "cc":
        return tok.text == "&"
    return tok.dep_ == "conj" and tok.pos_ == "PROPN" and tok.i > 0 and tok.doc[tok.i - 1].text == "&"


def _hyphen(tok: Token) -> bool:
    """The hyphen of "Lee Seong-kweun", which the tokenizer splits off."""
    return tok.text in {"-", "–"} and not tok.whitespace_ and tok.i > 0 and not tok.doc[tok.i - 1].whitespace_


def _is_time(tok: Token) -> bool:
    """ "RBC Ukraine on Sunday": a date phrase the parser hung on the name."""
    return tok.dep_ in {"prep", "npadvmod"} and any(t.ent_type_ in {"DATE", "TIME"} for t in tok.subtree)


def _issuing_modifiers(doc_noun: Token) -> list[Token]:
    """ "an Indian military statement", "a rebel group statement": the body the words before
    the document noun name, when they end in an institution's word (not "a press statement")."""
    words = sorted((t for c in doc_noun.lefts if c.dep_ in {"amod", "compound", "nmod"} for t in c.subtree
                    if t.dep_ not in {"det", "punct", "case", "poss"}), key=lambda t: t.i)
    bodies = word_list("institution_words") | word_list("military_heads") | word_list("government_heads") | {"group"}
    ends = [k for k, t in enumerate(words) if t.lemma_.lower() in bodies or t.lower_ in bodies]
    if not ends or any(t.i != words[0].i + k for k, t in enumerate(words)):
        return []
    words = words[: ends[-1] + 1]
    while len(words) > 1 and words[0].dep_ == "amod" and not words[0].text[:1].isupper():
        words = words[1:]  # "a new military statement": the military
    return words


def _issuer_mention(tokens: list[Token], doc_noun: Token, sentence: Span, base: int) -> Mention:
    body = tokens[-1]
    kind = _kind(body, tokens, sentence)
    if kind in {"other", "anonymous"}:
        kind = "organization"
    proper = any(t.pos_ == "PROPN" or t.text[:1].isupper() for t in tokens)
    start = base + tokens[0].idx - sentence.start_char
    end = base + body.idx + len(body.text) - sentence.start_char
    text = text_of(sentence.doc)[tokens[0].idx : body.idx + len(body.text)]
    # "an army statement" refers back to the army named before; "a rebel group statement" describes its body
    return Mention(text, start, end, kind, body.lemma_.lower(), proper, not proper and len(tokens) == 1, via=doc_noun.lemma_.lower())


def _kind(head: Token, tokens: list[Token], sentence: Span) -> str:
    lemma = head.lemma_.lower()
    words = {t.lower_ for t in tokens}
    if head.lower_ in _PRONOUNS:
        return "pronoun"
    span_text = lower_words_of(sentence)
    if lemma in word_list("document_nouns"):
        return "document"
    owned = any(c.dep_ == "poss" for c in head.children)
    # "Pentagon officials" are the Pentagon's; "Nigerien officials" (an adjective, whatever its entity tag) are anonymous.
    if lemma in word_list("anonymous_heads") and not owned and not any(t.ent_type_ in {"PERSON", "ORG"} and t.dep_ not in {"amod", "conj", "cc"} for t in tokens):
        return "anonymous"
    if any(marker in span_text for marker in word_list("anonymous_markers")) and (
        lemma in word_list("anonymous_heads") or (head.pos_ == "NOUN" and lemma in word_list("person_roles"))
    ):
        return "anonymous"  # "a captain ..., who asked not to be named"
    if lemma in word_list("outlet_heads") or words & word_list("outlet_heads"):
        return "outlet"  # before people: "the German daily Hamburger Morgenblatt" is tagged a person
    if _registered_medium(tokens):
        return "outlet"  # "Reuters", "AP News": news media the registry knows
    if head.ent_type_ == "PERSON" or (head.pos_ == "PROPN" and any(t.ent_type_ == "PERSON" for t in tokens)):
        return "person"
    if lemma in word_list("military_heads") or words & word_list("military_heads"):
        return "military"
    place = head.ent_type_ in {"GPE", "NORP"} and not any(  # "Kyiv", not "RBC Ukraine"
        t.pos_ == "PROPN" and t.ent_type_ not in {"GPE", "NORP", "LOC"} for t in tokens
    )
    if lemma in word_list("government_heads") or words & word_list("government_heads") or place:
        return "government"
    if head.ent_type_ == "ORG" or head.pos_ == "PROPN":
        return "organization"
    return "other"


def _registered_medium(tokens: list[Token]) -> bool:
    names = lexicon.media_names()
    words = [t.text for t in tokens if not (t.dep_ == "det" and t.i == tokens[0].i)]
    return " ".join(words).lower() in names or proper_name(" ".join(t.text for t in tokens)).lower() in names


def mention(head: Token, sentence: Span, base: int) -> Mention:
    """The source mention headed by `head`; a report "by X" or "X's report" names X."""
    doc_noun = head.lemma_.lower() in word_list("document_nouns")
    if doc_noun:
        issuer = issuer_of(head)
        if issuer is not None:
            return replace(mention(issuer, sentence, base), via=head.lemma_.lower())
        if issuing := _issuing_modifiers(head):
            return _issuer_mention(issuing, head, sentence, base)
    # "the Ukrainian outlet RBC Ukraine": the proper name in apposition names the source.
    named = next((c for c in head.children if c.dep_ == "appos" and c.pos_ == "PROPN" and c.i == head.i + len(list(c.lefts)) + 1), None)
    role = None
    if named is None and head.pos_ == "NOUN" and head.lemma_.lower() in word_list("person_roles"):
        # "A spokesman for the group, Hashem al-Qadi, said": the person's name names the source.
        named = next((c for c in head.children if c.dep_ == "appos" and c.pos_ == "PROPN" and c.i > head.i), None) or next(
            # "the chief of Ukraine's General Staff, Anatolii Barhylevych": hung on the last noun
            (t for t in head.subtree if t.dep_ == "appos" and t.pos_ == "PROPN" and t.i > head.i and t.head.dep_ == "pobj"
             and t.ent_type_ not in {"ORG", "GPE", "NORP", "LOC", "FAC"} and t.doc[t.left_edge.i - 1].text == ","),
            None,
        )
        if named is not None:
            role_tokens = name_tokens(head)
            role = text_of(sentence.doc)[role_tokens[0].idx : role_tokens[-1].idx + len(role_tokens[-1].text)]
    if named is None and head.pos_ == "NOUN" and head.lemma_.lower() not in word_list("document_nouns"):
        # "a Ukrainian news site, Kyiv Frontline Daily, ...", "a rights group, Human Rights Activists,"
        named = next(
            (c for c in head.children if c.dep_ == "appos" and c.pos_ == "PROPN" and c.i > head.i
             and c.doc[c.left_edge.i - 1].text == "," and c.ent_type_ not in {"GPE", "LOC", "DATE", "TIME"}),
            None,
        )
    noun_kind = None
    if head.pos_ == "NOUN" and named is not None:
        noun_kind = _kind(head, [head], sentence)  # "the Ukrainian outlet RBC Ukraine": an outlet
        head = named
    tokens = name_tokens(head)
    while len(tokens) > 1 and tokens[0].lower_ in {"neither", "either", "both"}:
        tokens = tokens[1:]  # "Neither Moscow nor Pyongyang": Moscow
    first, last = tokens[0], tokens[-1]
    kind = "person" if role is not None else _kind(head, tokens, sentence)
    if role is None and noun_kind in {"outlet", "government", "military"}:
        kind = noun_kind
    if role is None and head.pos_ == "PROPN" and kind in {"organization", "other"}:
        # "the chief of the General Staff, Anatolii Barhylevych" / "Barhylevych, the chief ...": a person.
        roles = [head.head] if head.dep_ == "appos" else [c for c in head.children if c.dep_ == "appos"]
        if any(r.pos_ == "NOUN" and r.lemma_.lower() in word_list("person_roles") for r in roles):
            kind = "person"
        elif head.dep_ == "conj" and head.head.lower_ in word_list("name_titles") and head.head.i < head.i:
            kind = "person"  # "High Commissioner for Human Rights Volker Türk" (a parse that joins them)
    proper = any(t.pos_ == "PROPN" for t in tokens) and kind not in {"anonymous", "document"}
    # "the agency", "the Ukrainian outlet" refer back; "the Israeli military", "the Gaza health
    # ministry" name a state's own institution.
    national = kind in {"government", "military"} and any(
        t.text[:1].isupper() or t.ent_type_ in {"NORP", "GPE", "ORG"} for t in tokens[1:]
    )
    # "the region's counter-terrorism service", "the ministry of natural resources": a full description
    described_in_full = any(c.dep_ in {"poss", "prep"} for c in head.children if c.i in {t.i for t in tokens})
    # "the U.S. company": a body described by its country refers back, like "the company"
    placed = proper and head.pos_ == "NOUN" and kind in {"organization", "other"} and all(
        t.ent_type_ in {"GPE", "NORP"} for t in tokens if t.pos_ == "PROPN")
    definite = tokens[0].lower_ in {"the", "this", "that"} and (not proper or placed) and not national and not described_in_full
    appos = next((c for c in head.children if c.dep_ == "appos"), None)
    description = role
    if appos is not None and role is None:
        described = name_tokens(appos)
        description = text_of(sentence.doc)[described[0].idx : described[-1].idx + len(described[-1].text)]
        described_kind = _kind(appos, [appos], sentence) if appos.pos_ == "NOUN" else None
        role = appos.lemma_.lower().split("-")[0] in word_list("person_roles") | word_list("name_titles")
        if described_kind in {"outlet", "government", "military"} and kind in {"person", "organization", "other"} and not role:
            kind = described_kind  # "The Kyiv Ledger, a daily newspaper"
    start = base + first.idx - sentence.start_char
    end = base + last.idx + len(last.text) - sentence.start_char
    text = text_of(sentence.doc)[first.idx : last.idx + len(last.text)]
    return Mention(text, start, end, kind, head.lemma_.lower(), proper, definite, description)


# "sources in Sanaa", "envoy to the United Nations": the name is a place or body the
# mention is about, not the source ("investigators from the Network" are the Network's).
# "Head of the Border Guard Service Andrii Demchenko": a person named after the post
_PERSON_AFTER = re.compile(r"(?:Service|Staff|Ministry|Forces|Office|Council|Committee|Commission|Agency|Department|Directorate|\))\s+"
                           r"(?:[A-Z][a-z]+\.?\s+)*[A-Z][\w'’-]+\s+[A-Z][\w'’-]+$")
_PREPOSITIONS = {"in", "at", "near", "inside", "outside", "across", "around", "within", "to", "for", "with",
                 "by", "on", "about", "against", "over", "like", "including"}
# "the Magen David Adom ambulance service": a name with what kind of body it is after it.
_KIND_AFTER_NAME = {"service", "group", "organisation", "organization", "network", "foundation", "charity", "monitor",
                    "society"}
_CONNECTORS = {"of", "for", "the", "and", "&", "de", "du", "des", "la", "le", "al", "el", "bin", "van", "der", "von", "y", "on"}


def _capitalized(word: str) -> bool:
    return word[:1].isupper() or word[:1].isdigit() or bool(re.match(r"(?:al|el|ad|as|ash|bin|ibn)-[A-Z]", word))


def proper_name(text: str) -> str:
    """The name a hop is known by: the proper name of a mention, without the description
    and the civil title before it ("the Ukrainian portal RBC-Ukraine": RBC-Ukraine;
    "Kremlin spokesman Dmitry Peskov": Dmitry Peskov). A mention with no proper name
    ("Ukrainian officials", "the ministry") is its own name."""
    name = re.sub(r"\s*\([^)]*$", "", text.strip())  # "the Service(NIS": an unclosed bracket
    platforms = "|".join(re.escape(p) for p in sorted(word_list("platforms"), key=len, reverse=True))
    name = re.sub(rf"\s+(?:on|via)\s+(?:{platforms})\.?$", "", name, flags=re.IGNORECASE)
    if ", " in name:  # "the UN rights chief, Volker Türk": the person named after the comma
        tail = name.rsplit(", ", 1)[1].split()
        if len(tail) >= 2 and all(_capitalized(w) for w in tail):
            name = " ".join(tail)
    words = name.split()
    lead = words[1:] if words and words[0].lower() in {"the", "a", "an"} else words
    first_run = next((k for k, w in enumerate(lead) if not _capitalized(w)), len(lead))
    roles = word_list("person_roles") | word_list("name_titles")
    if 0 < first_run < len(lead) and lead[first_run] in {"of", "for"} and not _PERSON_AFTER.search(name) \
            and not any(w.lower() in roles for w in lead[first_run:] if not _capitalized(w)):
        return name  # "The Central Military Commission of the North's ruling Workers' Party": one name
    if len(words) >= 3 and words[-1] in _KIND_AFTER_NAME:
        kind_words = 1 + (len(words) >= 4 and words[-2][:1].islower())
        head = words[: len(words) - kind_words]
        if head and head[-1][:1].isupper() and not head[-1].endswith(("’s", "'s")) \
                and sum(w[:1].isupper() and w.lower() not in {"the", "a", "an"} for w in head) >= 2:
            words = head  # "Israel's Magen David Adom rescue service": Magen David Adom
            name = " ".join(words)
    i = len(words)
    while i > 0 and (_capitalized(words[i - 1]) or (words[i - 1] in _CONNECTORS and i < len(words) and i > 1)):
        i -= 1
    run = words[i:]
    while run and run[0] in _CONNECTORS:
        run = run[1:]
    k = len(words) - len(run) - 1  # the word before the name, past an article
    if k >= 0 and words[k].lower() in {"the", "a", "an"}:
        k -= 1
    before = words[k].lower() if k >= 0 else ""
    if not run or (k < 0 and len(run) < len(words)) or before in _PREPOSITIONS:
        # no proper name, "the Kremlin", "sources in Sanaa": the mention as written
        return name
    closing = max((j for j, w in enumerate(run[:-2]) if w.endswith(")")), default=None)
    if closing is not None:  # "Inter-Services Public Relations (ISPR) Lt Gen Ahmed Sharif Chaudhry"
        run = run[closing + 1 :]
    titles, institutions = word_list("name_titles"), word_list("institution_words")
    clean = [w.lower().strip(".,").rstrip("’'s") if w.lower().endswith(("’s", "'s")) else w.lower().strip(",") for w in run]
    # "Ukrainian President Volodymyr Zelenskyy", "Chief of the General Staff Valery Gerasimov":
    # the person is the words after the last title or institution word, when at least two.
    for j in range(len(run) - 2, -1, -1):
        if clean[j] in titles or clean[j] in institutions or clean[j].split("-")[-1] in titles:
            tail = run[j + 1 :]
            plain = not any(c in institutions or c in _CONNECTORS for c in clean[j + 1 :])
            if plain and (len(tail) >= 2 or (j == 0 and clean[j] in titles)):
                run = tail  # "President Zelenskyy" too
                if len(run) >= 3 and clean[j] in titles and run[0] == "General":
                    run = run[1:]  # "Secretary General Mark Rutte": a civil title, not a rank
            break
    return " ".join(run)


def issuer_of(doc_noun: Token) -> Token | None:
    """X in "X's report", "a report by X", "a statement from X", "accounts of survivors"."""
    by = {"by", "from", "of"} if doc_noun.lemma_.lower() in _TOLD_BY else {"by", "from"}
    for child in doc_noun.children:
        if child.dep_ == "poss" and (child.pos_ in {"PROPN", "NOUN"} or child.lower_ in {"its", "their"}):
            return child  # "X's report"; "its account" (resolved to what "its" stands for)
        if child.dep_ == "prep" and child.lower_ in by:
            obj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if obj is not None:
                return issuer_of(obj) or obj if obj.lemma_.lower() in word_list("document_nouns") else obj
    return None


def _coordinated(head: Token) -> list[Token]:
    """Heads of "A and B said": the head and its conjuncts."""
    heads = [head]
    for tok in head.conjuncts:
        before = tok.doc[tok.left_edge.i - 1]
        if tok.ent_type_ == "PERSON" and tok.i > head.i and head.ent_type_ != "PERSON" and head.pos_ == "PROPN" \
                and head.lower_ in word_list("person_roles") and not any(c.dep_ == "det" for c in head.children) \
                and any(t.lower_ in word_list("name_titles") for t in tok.subtree if t.i < tok.i):
            return [tok]  # "UN Resident and Humanitarian Coordinator Mara Lind": two posts, one person
        if tok.pos_ == "PROPN" and tok.i > head.i and not before.is_punct and before.dep_ != "cc" \
                and any(t.lower_ in word_list("name_titles") for t in head.subtree if t.i < tok.left_edge.i):
            return [tok]  # "UN High Commissioner for Human Rights Volker Türk": the post's holder, one person
        # "A and B said", not "... killing 38 worshippers, the UN mission ... said" (a parse
        # that joins the source to the noun before it), nor "the Taliban, or TTP," (one name).
        joined_by = [c.lower_ for c in tok.head.children if c.dep_ == "cc"]
        if tok.pos_ in {"PROPN", "NOUN"} and tok.i > head.i and "or" not in joined_by:
            heads.append(tok)
    return heads


def _split_modifiers(head: Token, sentence: Span, base: int) -> list[Mention] | None:
    """ "South Korean and U.S. officials": two sources sharing one head noun."""
    mods = [c for c in head.children if c.dep_ in {"amod", "compound", "nmod"} and c.conjuncts]
    if not mods:
        return None
    first = mods[0]
    groups = [first, *first.conjuncts]
    whole = mention(head, sentence, base)
    result = []
    for mod in groups:
        toks = sorted(
            [mod, *[t for c in mod.lefts if c.dep_ not in {"cc", "conj", "punct"} for t in c.subtree]],
            key=lambda t: t.i,
        )
        label = text_of(sentence.doc)[toks[0].idx : toks[-1].idx + len(toks[-1].text)] + " " + head.text
        result.append(replace(whole, text=label))
    return result


def _post_holder(subject: Token, sentence: Span, base: int) -> Mention | None:
    """ "UN Resident and Humanitarian Coordinator in Estland Mara Lind": posts written
    before a name (a parse may hang the name anywhere under them) name that one person."""
    if subject.pos_ != "PROPN" or subject.lower_ not in word_list("person_roles") | word_list("name_titles"):
        return None
    last = subject.right_edge
    person = next((e for e in sentence.ents if e.label_ == "PERSON" and e.end - 1 == last.i), None)
    if person is None or person.start <= subject.i:
        return None
    if any(t.is_punct or t.pos_ in {"VERB", "AUX"} for t in sentence.doc[subject.i + 1 : person.start]):
        return None
    start = base + person.start_char - sentence.start_char
    return replace(mention(person.root, sentence, base), text=person.text, start=start, end=start + len(person.text),
                   kind="person", proper=True, definite=False)


def sources(subject: Token, sentence: Span, base: int) -> list[Mention]:
    split = _split_modifiers(subject, sentence, base)
    if split:
        return split
    held = _post_holder(subject, sentence, base)
    if held is not None:
        return [held]
    return [mention(h, sentence, base) for h in _coordinated(subject)]
