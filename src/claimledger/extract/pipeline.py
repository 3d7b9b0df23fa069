"""Extraction orchestrator: documents in, claims out.

A cheap first pass (segment.py) picks the sentences worth parsing; only those go
through the spaCy pipeline, in batches across documents. The pure extractors then run
per sentence (attribution.py, figures.py), and per document (chains.py, stance.py).
"""

from __future__ import annotations

import bisect
import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import cache
from itertools import islice

import numpy
import spacy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.symbols import NORM, ORTH
from spacy.tokens import Doc

from .. import settings
from ..errors import BudgetExceeded, ClaimledgerError, ExtractionError
from ..models import Claim, Document, Hop, claim_id
from . import attribution, chains, figures, lexicon, quotes, relays, segment, stance, timeref
from .attribution import Attribution, Link
from .docs import entities_of, tokens_over
from .intervals import AttributionIndex, RangeIndex, blanked
from .mentions import Mention, mention, proper_name
from .quantities import find_quantities, find_vague_counts

# "Citing Global Defense Corp., a defense news publisher, RBC Ukraine said ...": the
# parser reads the cited name as the subject, so the lead is parsed on its own.
_LEADING_CITE = re.compile(
    r"^(Citing|Quoting|Relaying)\s+([^,]+?(?:,\s+(?:a|an|the)\s(?:(?!\b(?:said|says|reported|reports|told|added)\b)[^,])+|"
    r",\s+which\s+(?:in\s+turn\s+|itself\s+)?(?:cited|quoted|relayed)\s[^,]+)?),\s+(?=\S)"
)
# "Agence Sahel Presse, relaying a report by a local committee, said ...": the parser
# often takes the participle for the main verb, so the cited clause is parsed on its own
# and blanked (same length, offsets kept) in the sentence.
_MID_CITE = re.compile(
    r"^[^,]{2,80}?(,\s+(citing|relaying|quoting)\s+([^,]{2,150}?),)\s+"
    r"(?=(?:said|says|reported|reports|told|added|wrote|claimed|estimated|announced|stated|put)\b)"
)
_LEAD_IN = re.compile(r":\s*$")
_TRANSCRIPT_LABEL = re.compile(r"[A-Z][A-Z'-]{1,30}(?:\s[A-Z][A-Z'-]{1,30}){0,2}:\s+")
_TRANSCRIPT_ROLES = {"anchor", "host", "presenter", "reporter", "correspondent", "moderator", "narrator", "announcer"}
# "Our correspondent Rania Khoury", "our defence reporter, Park Min-jae": the outlet's own people.
_OWN_STAFF = re.compile(
    r"\b[Oo]ur\s+(?:[\w-]+\s+){0,2}(?:correspondent|reporter|editor|anchor|host)s?,?\s+((?:[A-Z][\w'-]+\s?){1,3})"
)
# "MOSCOW (Reuters) -", "UNITED NATIONS, United States (AFP) —", "KOLMAR, March 04, 2025
# (Test Wire):", "(MENAFN - UkrinForm)": a dateline and the agency credited with the copy, who is
# the writer, not a source.
_DATELINE = re.compile(
    r"\s*(?:[A-Z][A-Z.'’ -]{1,40}(?:,\s*[^()\n]{1,60}?)?\s*\([^)\n]{1,40}\)|\(?[A-Z][A-Za-z]{1,15}\s*-\s*[A-Za-z]{2,20}\)"
    r"\s*[-–—:]?|[A-Z][A-Z.'’]+(?:[ /][A-Z][A-Z.'’]+)*\s+[-–—])\s+"  # "ISLAMABAD/NEW DELHI -"
)
_TIMESTAMP = re.compile(r"(?:\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?|GMT|UTC|BST|CET|EST|local time)?\s*[—–|-]\s+)")
# '"..." - Defence Minister Oleksii Lenko': a quotation signed after a dash.
# "The NIS: roughly 300 dead", "TRUMP: We will win": a speaker's name and a colon.
_COLON_SPEAKER = re.compile(r"((?:[Tt]he\s+)?[A-Z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*){0,4}):\s+(?=\S)")
# A full stop inside the signature only after a title ("Col. Amadou Keïta").
_TITLE_STOP = r"(?:(?<=\b[A-Z][a-z])|(?<=\b[A-Z][a-z]{2})|(?<=\b[A-Z][a-z]{3})|(?<=\b[A-Z][a-z]{4}))\.(?=\s+[A-Z])"
_DASH_SIGNATURE = re.compile(r"\s*[-–—]{1,2}\s*([A-Z](?:[^\n.;:!?\"“”]|" + _TITLE_STOP + r"){1,80})")
_QUOTED_PARAGRAPH = re.compile(r"\s*(?:>|[\"“«„'‘])")
# "..., the ministry said, though its tallies have often proved inflated": the writer's aside.
_WRITERS_ASIDE = re.compile(r",\s+(?:though|although|even though|but)\s+([^,;]+)")
_SIGNED_RELAY = re.compile(r",\s*(quoted by|speaking to|told|via|as quoted by)\s+(\S.*)$")
_HOP_KINDS = {"person", "organization", "outlet", "government", "military", "document", "anonymous", "other"}


ATTRIBUTIONS = "claimledger.attributions"


@Language.component("claimledger_attributions")
def attributions_component(doc: Doc) -> Doc:
    """Attributions of each sentence, offsets into this doc, in doc.user_data."""
    doc.user_data[ATTRIBUTIONS] = {
        sent.start_char: attribution.find_attributions(sent, sent.start_char) for sent in doc.sents
    }
    return doc


@cache
def load_pipeline(name: str | None = None):
    """The spaCy pipeline named by the `spacy_model` setting, loaded once per process,
    with claimledger's attributions component last (sentence starts are set by `make_doc`)."""
    name = name or settings.get("spacy_model")
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise ClaimledgerError(
            f"spaCy pipeline {name!r} is not installed; install it or set CLAIMLEDGER_SPACY_MODEL"
        ) from exc
    # "Brig. Khalid al-Amin": keep titles with their full stop, or the parser splits the name.
    for abbreviation in lexicon.phrase_set("attribution", "abbreviations"):
        title = abbreviation[:1].upper() + abbreviation[1:]
        if len(nlp.tokenizer(title)) > 1:
            nlp.tokenizer.add_special_case(title, [{ORTH: title, NORM: title[:-1].lower()}])
    nlp.add_pipe("claimledger_attributions", last=True)
    return nlp


def make_doc(nlp, plan: _Plan) -> Doc:
    """The tokenized text of a plan's pieces, one per line, each line one sentence: the
    first pass already found them, so the parser keeps to them. The starts are set in one
    array write at construction (setting `token.is_sent_start` token by token makes spaCy
    rescan the whole doc each time: quadratic). The tokenizer's own doc is kept, rather
    than a `Doc(words=...)`, for the norms its special cases give ("Brig.")."""
    doc = nlp.tokenizer("\n".join(piece.text for piece in plan.pieces))
    words = [token.text for token in doc]
    starts = [1] + [1 if "\n" in before else -1 for before in words[:-1]]
    if words:
        doc.from_array([SENT_START], numpy.array(starts, dtype=numpy.int64).astype(numpy.uint64))
    return doc


def piece_spans(parsed: Doc, plan: _Plan) -> list:
    """The span of each of a plan's pieces in its parsed doc."""
    spans, offset = [], 0
    for piece in plan.pieces:
        spans.append(parsed.char_span(offset, offset + len(piece.text), alignment_mode="expand"))
        offset += len(piece.text) + 1
    return spans


@dataclass
class _Piece:
    """A stretch of text sent to the parser, with its offset in the document."""

    text: str
    base: int
    sentence: int
    role: str  # sentence or cited
    cue: tuple[int, int] | None = None  # document offsets of "citing" for a cited piece


class Budget:
    """The time one document may take, its first pass and its share of the batch's parse
    included (setting `document_time_budget_seconds`; 0: no limit)."""

    def __init__(self, doc: Document, seconds: float, spent: float = 0.0):
        self.doc, self.seconds, self.spent = doc, seconds, spent
        self._since = time.perf_counter()

    def resume(self, parse_share: float) -> None:
        """Count the document's share of its batch's parse; its own work starts now."""
        self.spent += parse_share
        self._since = time.perf_counter()

    def check(self) -> None:
        """Raise `BudgetExceeded` once the document is over its time."""
        elapsed = self.spent + time.perf_counter() - self._since
        if 0 < self.seconds < elapsed:
            raise BudgetExceeded.of_document(
                f"extraction stopped after {elapsed:.0f} s, over the limit of {self.seconds:g} s "
                "(setting document_time_budget_seconds)", self.doc.source_path or self.doc.id, self.doc.input_kind,
            )


@dataclass
class _Plan:
    doc: Document
    sentences: list[segment.Sentence]
    pieces: list[_Piece] = field(default_factory=list)
    budget: Budget | None = None

    def check_time(self) -> None:
        if self.budget is not None:
            self.budget.check()


def _plan(doc: Document) -> _Plan:
    plan = _Plan(doc, segment.sentences(doc.text))
    for number, sent in enumerate(plan.sentences):
        if not segment.worth_parsing(sent):
            continue
        # "14:45 — Pakistan's military denies ...": a live blog's time; "KHOURY: The agency is
        # reporting ...": a transcript's speaker label (read by `_colon_speakers`).
        stamp = _DATELINE.match(sent.text) or _TIMESTAMP.match(sent.text) or _TRANSCRIPT_LABEL.match(sent.text)
        skip = stamp.end() if stamp else 0
        text, start = segment.sentence_case(sent.text[skip:]), sent.start + skip
        match = _LEADING_CITE.match(text)
        middle = None if match else _MID_CITE.match(text)
        if match:
            cue = (start + match.start(1), start + match.end(1))
            plan.pieces.append(_Piece(match.group(2), start + match.start(2), number, "cited", cue))
            rest = match.end()
            plan.pieces.append(_Piece(text[rest:], start + rest, number, "sentence"))
        elif middle:
            cue = (start + middle.start(2), start + middle.end(2))
            plan.pieces.append(_Piece(middle.group(3), start + middle.start(3), number, "cited", cue))
            a, b = middle.span(1)
            blanked = text[:a] + " " * (b - a) + text[b:]
            plan.pieces.append(_Piece(blanked, start, number, "sentence"))
        else:
            plan.pieces.append(_Piece(text, start, number, "sentence"))
    return plan


class Extractor:
    """Loads the pipeline once; extracts claims from documents in batches."""

    def __init__(self, model: str | None = None, batch_size: int | None = None):
        self.nlp = load_pipeline(model)
        self.batch_size = batch_size or int(settings.get("batch_size"))
        self.max_chars = int(settings.get("max_document_chars"))
        self.seconds = float(settings.get("document_time_budget_seconds"))

    def extract(self, doc: Document) -> list[Claim]:
        claims = next(self.extract_many([doc]))[1]
        if isinstance(claims, ExtractionError):
            raise claims
        return claims

    def _batches(self, docs: Iterable[Document], build, budgeted: bool = False) -> Iterator[tuple[Document, object]]:
        """`build(plan, spans)` for every document, a batch at a time. Each batch is parsed
        inside a spaCy memory zone, so the strings it adds are freed after it and memory
        stays flat however long the stream; `build` returns plain records. `budgeted`:
        a document over `max_document_chars` gives a `BudgetExceeded` without being
        parsed, and each plan carries the document's time `Budget`."""
        iterator = iter(docs)
        while batch := list(islice(iterator, self.batch_size)):
            results: list = [None] * len(batch)
            plans: dict[int, _Plan] = {}
            for n, doc in enumerate(batch):
                if budgeted and 0 < self.max_chars < len(doc.text):
                    results[n] = (doc, BudgetExceeded.of_document(
                        f"document too large to extract: {len(doc.text):,} characters, over the limit of "
                        f"{self.max_chars:,} (setting max_document_chars)", doc.source_path or doc.id, doc.input_kind,
                    ))
                    continue
                started = time.perf_counter()
                plans[n] = _plan(doc)
                if budgeted:
                    plans[n].budget = Budget(doc, self.seconds, time.perf_counter() - started)
            with self.nlp.memory_zone():
                # One spaCy doc per document, holding only the selected sentences.
                started = time.perf_counter()
                parsed = list(self.nlp.pipe((make_doc(self.nlp, plan) for plan in plans.values()), batch_size=self.batch_size))
                elapsed, tokens = time.perf_counter() - started, sum(len(d) for d in parsed) or 1
                for (n, plan), parsed_doc in zip(plans.items(), parsed):
                    if plan.budget is not None:  # its share of the parse, by its tokens
                        plan.budget.resume(elapsed * len(parsed_doc) / tokens)
                    results[n] = (plan.doc, build(plan, piece_spans(parsed_doc, plan)))
            yield from results

    def extract_many(self, docs: Iterable[Document]) -> Iterator[tuple[Document, list[Claim] | ExtractionError]]:
        """Claims per document; a document the extractors fail on gives an error, and
        the rest of the batch goes on."""

        def build(plan: _Plan, spans) -> list[Claim] | ExtractionError:
            try:
                plan.check_time()
                return build_claims(plan, spans)
            except BudgetExceeded as exc:
                return exc
            except Exception as exc:  # noqa: BLE001 - one bad document must not stop a batch
                return ExtractionError(f"extraction failed: {exc!r}", path=plan.doc.source_path or plan.doc.id)

        return self._batches(docs, build, budgeted=True)

    def attributions_many(self, docs: Iterable[Document]) -> Iterator[tuple[Document, list[Attribution]]]:
        """The resolved attributions of each document (source, cue and content spans)."""
        return self._batches(docs, lambda plan, spans: analyse(plan, spans).records)


def _leading_links(plan: _Plan, spans) -> dict[int, tuple[Link, ...]]:
    """The hops of a sentence's leading "Citing Y, which in turn cited Z, ..."."""
    links = {}
    for piece, span in zip(plan.pieces, spans):
        if piece.role == "cited" and len(span):
            head = span.root
            cue_start, cue_end = piece.cue
            first = Link(mention(head, span, piece.base), plan.doc.text[cue_start:cue_end], cue_start, cue_end)
            links[piece.sentence] = (first, *attribution.relative_citing(head, span, piece.base))
    return links


def _dash_signatures(text: str, runs) -> list[Attribution]:
    found = []
    for run in runs:
        last = run[-1]
        match = _DASH_SIGNATURE.match(text, last.end) if last.closed else None
        if not match:
            continue
        signature = match.group(1).rstrip(" ,")
        start = match.start(1)
        dash = text.index(match.group().strip()[0], last.end)
        # "- Anatolii Barhylevych, quoted by RBC Ukraine": the outlet is the nearer hop.
        relay = _SIGNED_RELAY.search(signature)
        name = signature[: relay.start()].rstrip(" ,") if relay else signature
        name = re.split(r",\s+(?=[a-z])", name)[0]  # "..., speaking on Wednesday", "..., on state television"
        source = Mention(name, start, start + len(name), "person", name.split()[-1].lower(), True, False)
        chain: tuple[Link, ...] = (Link(source, text[dash], dash, dash + 1),)
        if relay:
            r_start, r_end = start + relay.start(2), start + relay.end(2)
            outlet = Mention(relay.group(2), r_start, r_end, "outlet", relay.group(2).split()[-1].lower(), True, False)
            chain = (Link(outlet, relay.group(1), start + relay.start(1), start + relay.end(1)), *chain)
        inner = run[0].inner[0], run[-1].inner[1]
        found.append(Attribution((chain,), inner[0], inner[1], None, True))
    return found


def _next_paragraph(text: str, previous: tuple, start: int) -> bool:
    """The next quotation follows the previous one with nothing between but its own
    attribution ("she said.") and a line break."""
    _, end, speaker = previous
    cue = speaker.chains[0][0]
    between = text[end:start]
    if end <= cue.cue_start < start:
        between = text[end:cue.source.start] + text[max(cue.cue_end, cue.source.end):start]
    return between.count("\n") <= 2 and not between.strip(" \t\n,.")


def _colon_speakers(text: str, sents: list[segment.Sentence]) -> list[Attribution]:
    """ "The NIS: roughly 300 dead", "TRUMP: We will win". In a broadcast transcript the
    anchor and the outlet's own correspondents ("Our correspondent Rania Khoury is in
    Tyre." ... "KHOURY: ...") speak for the outlet: no hop."""
    found = []
    not_names = lexicon.phrase_set("attribution", "not_speakers")
    staff = {w.lower() for m in _OWN_STAFF.finditer(text) for w in m.group(1).split()}
    for sent in sents:
        match = _COLON_SPEAKER.match(sent.text)
        if not match or match.group(1).lower().removeprefix("the ") in not_names:
            continue
        if match.group(1).lower() in _TRANSCRIPT_ROLES or match.group(1).lower().split()[-1] in staff:
            continue
        name = match.group(1)
        start = sent.start + match.start(1)
        colon = sent.start + match.end(1)
        kind = "person" if name.isupper() else "organization"
        source = Mention(name, start, start + len(name), kind, name.split()[-1].lower(), True, False)
        content_start = sent.start + match.end()
        if content_start < sent.end:
            found.append(Attribution(((Link(source, ":", colon, colon + 1),),), content_start, sent.end, None))
    return found


# Headlines name their source at the end: "Ukraine loses 19,550 soldiers in Kursk - MoD",
# "Over 100 feared dead in camp attack: UN", "Russian losses near record highs, says UK
# intelligence".
_HEADLINE_SOURCE = re.compile(
    r"^(?P<content>\S.{10,}?)(?:\s+(?P<dash>[-–—])\s+|(?P<colon>:)\s+|,\s+(?P<says>says|say|claims|reports)\s+)"
    r"(?P<name>(?:the\s+)?[A-Z][\w.&'’-]*(?:\s+[A-Za-z][\w.&'’-]*){0,3})\s*$"
)


def _headline_sources(sents: list[segment.Sentence]) -> list[Attribution]:
    """A headline (a line without a full stop) whose source is named at its end."""
    found = []
    for sent in sents:
        line = sent.text.rstrip()
        if not line or line[-1] in ".!?\"”" or "\n" in line.strip():
            continue
        match = _HEADLINE_SOURCE.match(line)
        if match is None or len(match.group("name").split()) > 4:
            continue
        name = match.group("name")
        start = sent.start + match.start("name")
        key = name.lower().removeprefix("the ")
        kind = "outlet" if key in lexicon.media_names() else "organization"
        source = Mention(name, start, start + len(name), kind, name.split()[-1].lower(), True, False)
        cue = match.group("dash") or match.group("colon") or match.group("says")
        group = "dash" if match.group("dash") else "colon" if match.group("colon") else "says"
        cue_start = sent.start + match.start(group)
        link = Link(source, cue, cue_start, cue_start + len(cue))
        found.append(Attribution(((link,),), sent.start + match.start("content"), sent.start + match.end("content"), None))
    return found


def _passages(doc: Document, sents: list[segment.Sentence], resolved: list[Attribution]) -> list[tuple[int, int, tuple, bool]]:
    """Quoted passages of a blog: (start, end, the chains they come through, doubted).

    HTML gives them as quoted blocks (the quoted outlet from the block's cite); in plain
    text a writer's lead-in line ending in a colon introduces a quoted passage that runs
    to the next lead-in, and comes from whoever the lead-in names ("here is how the
    outlet Severny Vestnik described the fighting:").
    """
    text = doc.text
    result = []
    if doc.quoted:
        for block in doc.quoted:
            lead = text[max(0, block.start - 400) : block.start]
            hop = Hop(block.cite, "outlet", "quoted", False, None, None) if block.cite and "://" not in block.cite else None
            result.append((block.start, block.end, ((hop,),) if hop else (), stance.doubt_in(lead)))
        return result
    paras = segment.paragraphs(text)
    labels = tuple(lexicon.phrase_set("stance", "fact_check_claims"))
    for start, end in paras:  # "Claim: A post says ...": presented to be checked, the writer's doubt
        if text[start:end].lstrip().lower().startswith(labels):
            result.append((start, end, (), True))

    def named_in(para) -> bool:
        return any(para[0] <= r.chains[0][0].cue_start < para[1] for r in resolved)

    leads = [i for i, (s, e) in enumerate(paras) if _LEAD_IN.search(text[s:e]) and i + 1 < len(paras)]
    for n, i in enumerate(leads):
        stop = leads[n + 1] if n + 1 < len(leads) else len(paras)
        # The passage: the quoted paragraphs after the lead-in ("> ...", '"...'), or the one paragraph.
        last = i + 1
        while last + 1 < stop and _QUOTED_PARAGRAPH.match(text, paras[last + 1][0]):
            last += 1
        if not _QUOTED_PARAGRAPH.match(text, paras[i + 1][0]) and stop > i + 2:
            last = stop - 1 if not named_in(paras[i]) else i + 1
        start, end = paras[i + 1][0], paras[last][1]
        lead_text = text[max(0, paras[i][1] - 400) : paras[i][1]]  # the writer's words before the passage
        named = [r for r in resolved if paras[i][0] <= r.chains[0][0].cue_start < paras[i][1]]
        chains_ = tuple(_hops(named[-1].relayed + c, False) for c in named[-1].chains) if named else ()
        result.append((start, end, chains_, stance.doubt_in(lead_text)))
    return result


def _hops(chain: tuple[Link, ...], quote: bool) -> tuple[Hop, ...]:
    return tuple(
        Hop(
            name=proper_name(link.source.text),
            kind=link.source.kind if link.source.kind in _HOP_KINDS else "other",
            cue=link.cue,
            quote=quote and n == 0,
            start=link.source.start,
            end=link.source.end,
            cue_start=link.cue_start,
            cue_end=link.cue_end,
        )
        for n, link in enumerate(chain)
    )


@dataclass
class Analysis:
    """A document's attributions, resolved, with what claims are built from."""

    records: list[Attribution]
    parsed: list
    speakers: list
    sentence_of: object
    sourcing: list[Attribution] = field(default_factory=list)  # where reports came from: not claims
    alone: list[Attribution] = field(default_factory=list)  # quotations standing alone, given to the speaker before


def analyse(plan: _Plan, spans) -> Analysis:
    doc, sents = plan.doc, plan.sentences
    starts = [s.start for s in sents]

    def sentence_of(offset: int) -> int:
        return max(0, bisect.bisect_right(starts, offset) - 1)

    leading = _leading_links(plan, spans)
    records: list[Attribution] = []
    entities: list[chains.Entity] = []
    parsed: list[tuple[_Piece, object]] = []
    for piece, span in zip(plan.pieces, spans):
        plan.check_time()
        if piece.role != "sentence":
            continue
        found = [
            attribution.shifted(r, piece.base - span.start_char)
            for r in span.doc.user_data[ATTRIBUTIONS].get(span.start_char, [])
        ]
        if piece.sentence in leading:
            extra = leading[piece.sentence]
            found = [replace(r, chains=tuple(c + extra for c in r.chains)) for r in found]
        records.extend(found)
        entities.extend(
            chains.Entity(e.text, piece.base + e.start_char - span.start_char, piece.base + e.end_char - span.start_char, e.label_)
            for e in entities_of(span)
        )
        parsed.append((piece, span))

    runs = quotes.continued_runs(doc.text, quotes.find_quotes(doc.text))
    records.extend(_dash_signatures(doc.text, runs))
    records.extend(_colon_speakers(doc.text, sents))
    records.extend(_headline_sources(sents))
    resolved = chains.resolve(records, entities, runs, sentence_of, doc.text)
    sourcing = [r for r in resolved if r.sourcing]
    resolved = relays.merge_outlet_echoes([r for r in resolved if not r.sourcing])
    speakers = []
    alone: list[Attribution] = []
    cues = chains.cues_by_sentence(resolved, sentence_of)
    contents = RangeIndex(resolved, lambda r: [(r.content_start, r.content_end)])
    for run in runs:
        plan.check_time()
        speaker = chains.speaker_of_quote(run, cues, sentence_of, doc.text)
        if speaker is None and speakers and _next_paragraph(doc.text, speakers[-1], run[0].start):
            speaker = speakers[-1][2]  # quotation paragraphs in a row: the same speaker
        if speaker is None:
            # 'He said 21 passengers had been killed. "Not a single hostage remains."': a
            # quotation standing alone right after someone spoke is theirs, a claim of its own.
            before = [r for _, r in cues.get(sentence_of(run[0].start) - 1, ())
                      if not r.reaction and r.chains[0][0].cue_start < run[0].start]
            if before and not any(r.content_start <= run[0].start < r.content_end for r in contents.at(run[0].start)):
                last = before[-1]
                inner = run[0].inner[0], run[-1].inner[1]
                speaker = replace(last, content_start=inner[0], content_end=inner[1], quote=True, cue_stance=None)
                alone.append(speaker)
        if speaker is not None:
            speakers.append((run[0].start, run[-1].end, speaker))
    return Analysis(resolved, parsed, speakers, sentence_of, sourcing, alone)


def build_claims(plan: _Plan, spans) -> list[Claim]:
    doc, sents = plan.doc, plan.sentences
    analysis = analyse(plan, spans)
    resolved, parsed, speakers, sentence_of = (
        analysis.records, analysis.parsed, analysis.speakers, analysis.sentence_of
    )
    passages = _passages(doc, sents, sorted(resolved + analysis.sourcing, key=lambda r: r.chains[0][0].cue_start))
    index = AttributionIndex(resolved, sentence_of)
    speaking_at = RangeIndex(speakers, lambda s: [(s[0], s[1])])

    claims: list[Claim] = []
    covered: set[int] = set()
    previous: figures.Figure | None = None
    for piece, span in parsed:
        plan.check_time()
        sent = sents[piece.sentence]
        shift = span.start_char - piece.base  # document offsets to offsets in the parsed doc
        in_piece = find_quantities(piece.text)
        in_piece += find_vague_counts(piece.text, in_piece)  # "several armoured vehicles"
        found_q = [replace(q, start=q.start + span.start_char, end=q.end + span.start_char) for q in in_piece]
        exclude = [(start + shift, end + shift)  # "Two police officers said": no figure
                   for start, end in index.sources[piece.sentence] if sent.start <= start < sent.end]
        clauses = _clauses(span, shift)
        for fig in figures.find_figures(span, found_q, exclude):
            plan.check_time()
            if fig.anaphoric:
                if previous is None:
                    if not fig.event:
                        continue  # "a first group of 1,500" with nothing before: not known to count anything
                    previous = fig  # "The NIS said 1,100 were killed."
                event = fig.event or previous.event  # "2,700 wounded", "thousands have been displaced" keep their own
                if event == "deployed" and previous.event != "deployed":
                    event = previous.event  # "thousands more were waiting to cross": people moving, as before
                fig = replace(fig, event=event, subject=previous.subject, location=fig.location or previous.location)
            previous = fig
            offset = fig.quantity.start - shift
            owner = _owner(offset, index, speaking_at, sentence_of)
            if owner is not None and not owner.quote and _in_background_clause(span, fig.quantity.start):
                owner = None  # "X denied involvement in the attack, where at least 31 people were killed"
            if owner is not None and not owner.content_start <= offset < owner.content_end and _cue_in_contrast(
                    span, owner.chains[0][0].cue_start + shift, fig.quantity.start):
                owner = None  # "While X says 150 were freed, Y welcomes 189 home": not X's 189
            borrowed = owner is None and (_agentless_report(span) or _continues(span))
            if borrowed:
                owner = _last_before(piece.sentence, index)  # "Losses were put at 18 dead."
            # Other figures' words ("among them an estimated 6,000 children") do not hedge this one.
            others_q = [(q.start - shift, q.end - shift) for q in found_q if q.start != fig.quantity.start]
            asides = [(lo, hi) for lo, hi in clauses if not lo <= offset < hi]
            claims.append(_claim(doc, sent, fig, offset, owner, passages, index, asides + others_q, borrowed))
            if owner is not None and not borrowed:
                covered.add(id(owner))
    for record in resolved + analysis.alone:
        plan.check_time()
        if id(record) in covered or _only_relays(record, index, doc.text):
            continue
        sent = sents[sentence_of(record.chains[0][0].cue_start)]
        claims.append(_statement(doc, sent, record, passages, index))
    claims = _said_this(claims, resolved, doc.text, sentence_of)
    claims = relays.apply(_distance(_one_per_content(claims), sents), doc.text, doc.outlet)
    return sorted(claims, key=lambda c: (c.start, c.end, c.id))


_THIS = re.compile(r"\W*(?:this|that|so|these)\b", re.IGNORECASE)


def _said_this(claims: list[Claim], resolved: list[Attribution], text: str, sentence_of) -> list[Claim]:
    """ "Losses reached 62,400. The General Staff said this in a post on Facebook": the
    claims nobody is cited for in the sentence before are the source's."""
    back = {}
    for record in resolved:
        words = text[record.content_start : record.content_end]
        if _THIS.match(words) and len(words.split()) <= 8 and not record.reaction:
            back[sentence_of(record.chains[0][0].cue_start) - 1] = record
    if not back:
        return claims
    return [
        replace(c, chains=tuple(_hops(r.relayed + chain, False) for chain in r.chains))
        if not c.chains and (r := back.get(sentence_of(c.start))) is not None else c
        for c in claims
    ]


def _one_per_content(claims: list[Claim]) -> list[Claim]:
    """ "He confirmed ..., adding ...": two cues of one source over the same words are one
    claim (the same id); a denial among them is kept, else the first cue."""
    kept: dict[str, Claim] = {}
    for claim in claims:
        first = kept.setdefault(claim.id, claim)
        if first is not claim and claim.stance == "denied" and first.stance != "denied":
            kept[claim.id] = claim
    return list(kept.values())


def _only_relays(record: Attribution, index: AttributionIndex, text: str) -> bool:
    """ "Lee said the agency described its count as conservative": what Lee says is only
    what the agency said, a claim of its own with Lee as the nearer hop; Lee's says nothing more."""
    outer = record.chains[0]
    for other in index.by_first_link.get(outer[0], ()):  # the others start with the same hop
        chain = other.chains[0]
        if other is record or len(chain) <= len(outer) or chain[: len(outer)] != outer:
            continue
        inner = chain[len(outer)].source
        if record.content_start <= inner.start and text[record.content_start : inner.start].strip().lower() in {"", "that"}:
            return True
    return False


_REPORTED_PASSIVES = {"put", "estimate", "report", "give", "place", "say", "list", "tally", "count", "number", "set"}


def _agentless_report(span) -> bool:
    """ "Russian losses were put at 18 dead": a figure reported in the passive with no one
    named; it comes from the source of the sentence before."""
    return any(
        tok.lemma_.lower() in _REPORTED_PASSIVES and tok.pos_ == "VERB"
        and any(c.dep_ == "auxpass" for c in tok.children) and not any(c.dep_ == "agent" for c in tok.children)
        for tok in span
    )


_CONTINUING_SUBJECTS = {"it", "they", "this", "these", "those", "she", "he"}
_ADDING_WORDS = {"further", "another", "still", "additionally"}


def _continues(span) -> bool:
    """ "It treated 17 people with serious injuries", "These included 23 patients in
    critical condition": a sentence with no cue of its own that goes on with what the
    source of the sentence before said (its subject refers back to it or its figures)."""
    root = next((t for t in span if t.dep_ == "ROOT"), None)
    if root is None:
        return False
    # "A further 15 children were also injured", "There are still 33 injured": more of the same count
    if any(t.lower_ in _ADDING_WORDS and (t.i < span.start + 6 or t.head.like_num or any(c.like_num for c in t.head.children))
           and t.head.pos_ in {"VERB", "AUX", "NUM", "NOUN"} for t in span) or any(t.lower_ == "also" for t in span):
        return True  # "Over the past day alone, the army eliminated another 1,170 soldiers"
    if root.lemma_.lower() == "be":
        return False  # "This is the first such claim ...": the writer's
    subject = next((c for c in root.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
    return subject is not None and subject.lower_ in _CONTINUING_SUBJECTS and subject.i == span.start


def _in_background_clause(span, char: int) -> bool:
    """A figure in a "where ..." clause describing a place or an event someone speaks
    about is the writer's account of it, not the speaker's."""
    token = next(iter(tokens_over(span, char, char + 1)), None)
    if token is None:
        return False
    for clause in [token, *token.ancestors]:
        if clause.dep_ == "relcl" and any(c.lower_ in {"where", "when"} and c.dep_ == "advmod" for c in clause.children):
            return True
    return False


_CONTRASTING = {"while", "whereas", "although", "though"}


def _cue_in_contrast(span, cue: int, char: int) -> bool:
    """Whether a cue sits in a "while ..." clause that does not hold the figure at `char`:
    the sentence's other clause is not that source's."""
    token = next(iter(tokens_over(span, cue, cue + 1)), None)
    figure = next(iter(tokens_over(span, char, char + 1)), None)
    if token is None or figure is None:
        return False
    for clause in [token, *token.ancestors]:
        if clause.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in _CONTRASTING for c in clause.children):
            return figure not in clause.subtree
    return False


def _last_before(sentence: int, index: AttributionIndex) -> Attribution | None:
    before = index.speaking.get(sentence - 1)
    return before[-1] if before else None


def _owner(offset, index: AttributionIndex, speakers: RangeIndex, sentence_of) -> Attribution | None:
    inside = [r for r in index.contents.at(offset) if r.content_start <= offset < r.content_end and not r.reaction]
    if inside:
        return min(inside, key=lambda r: r.content_end - r.content_start)
    for start, end, speaker in speakers.at(offset):
        if start <= offset < end:
            return speaker
    same = index.speaking.get(sentence_of(offset))
    return same[0] if same else None


def _passage_of(offset: int, passages):
    for start, end, chains_, doubted in passages:
        if start <= offset < end:
            return chains_, doubted
    return (), False


def _with_passage(chains_: tuple[tuple[Hop, ...], ...], passage: tuple[tuple[Hop, ...], ...]) -> tuple[tuple[Hop, ...], ...]:
    """A claim inside a quoted passage comes through the passage's chain."""
    if not passage:
        return chains_
    if not chains_:
        return passage
    lead = passage[0]
    return tuple(chain if chain[0].name == lead[0].name else (*lead, *chain) for chain in chains_)


def _distance(claims: list[Claim], sents) -> list[Claim]:
    """ "The toll could not be independently verified.": the outlet distances itself from
    the claims of the nearest sentence before that has figures (or, for "the claim",
    "the report", from the sentence right before)."""
    for i, sent in enumerate(sents):
        if i == 0 or not stance.distances_before(sent.text):
            continue
        words = re.search(r"\b(?:the|this|these|that|neither|side's)\s+(?:death\s+|casualty\s+)?(toll|figures?|numbers?|count|tally|estimate)\b", sent.text, re.IGNORECASE)

        def meant(c: Claim, words=words) -> bool:
            if words is None:
                return True
            if words.group(1).lower() == "toll":  # a toll counts the dead and wounded
                return c.kind == "figure" and c.event in {"killed", "wounded", "casualties"}
            return c.kind == "figure"

        # "Neither side's figures could be verified": every sentence with figures just before.
        every = bool(re.match(r"\W*(?:neither|none)\b", sent.text, re.IGNORECASE))
        targets = []
        for back in range(i - 1, max(-1, i - 4), -1):
            if any(c.sentence == sents[back].text and meant(c) for c in claims):
                targets.append(sents[back].text)
                if not every:
                    break
            elif words is None:
                break
        claims = [
            replace(c, **dict(zip(("stance", "hedges"), stance.distanced(c.stance, c.hedges, sent.text))))
            if c.sentence in targets and meant(c) else c
            for c in claims
        ]
    return claims


def _claim(doc: Document, sent, fig: figures.Figure, offset: int, owner, passages, index: AttributionIndex, asides,
           borrowed: bool = False) -> Claim:
    """A figure claim; a `borrowed` owner is the source of the sentence before, whose
    chain the figure takes while its words stay its own sentence's."""
    q = fig.quantity
    hops = tuple(_hops(owner.relayed + c, owner.quote) for c in owner.chains) if owner is not None else ()
    if owner is not None and not borrowed:
        start, end = owner.content_start, owner.content_end
        cue_stance = owner.cue_stance
    else:
        start, end = sent.start, sent.end
        cue_stance = None
    passage, doubted = _passage_of(offset, passages)
    words = _own_words(doc.text, None if borrowed else owner, index, (start, end), asides)
    writer_doubt = not passage and not doubted and stance.doubt_in(
        sent.text if owner is None else _writers_words(doc.text, sent, owner, index)
    )
    content = _own_words(doc.text, None if borrowed else owner, index, (start, end), asides, [owner] if owner else [])
    kind_stance, hedges = stance.stance_of(sent.text, words, cue_stance, doubted or writer_doubt, content)
    if owner is not None and not borrowed and stance.set_aside(doc.text, offset):
        kind_stance = "denied"  # its source sets this figure against its own
    return Claim(
        id=claim_id(doc.id, start, end, "figure", f"{offset}:{q.text}"),
        doc=doc.id,
        outlet=doc.outlet,
        published=doc.published,
        sentence=sent.text,
        text=doc.text[start:end],
        start=start,
        end=end,
        kind="figure",
        event=fig.event,
        quantity=q.to_quantity(),
        subject=fig.subject,
        location=fig.location,
        time=timeref.find_time(sent.text, doc.published, near=offset - sent.start),
        chains=_with_passage(hops, passage),
        stance=kind_stance,
        hedges=tuple(hedges),
    )


def _own_words(text: str, record: Attribution | None, index: AttributionIndex, span: tuple[int, int],
               asides: list[tuple[int, int]] = (), also: list[Attribution] = ()) -> str:
    """The claim's own words: the attribution's clause (cue and content), or `span` when
    nobody is cited, without the cues of the document's attributions (and of `also`)
    inside it ("71 died, which Yerevan denied": the denial is Yerevan's; the claim's own
    cue when its attribution is among them) and without `asides`, relative clauses about
    something else ("among them a woman who may have served as an interpreter")."""
    if record is not None:
        cue = record.chains[0][0]
        start, end = min(cue.cue_start, record.content_start), max(cue.cue_end, record.content_end)
    else:
        start, end = span
    cues = [(o.chains[0][0].cue_start, o.chains[0][0].cue_end) for o in [*index.cues.near(start, end), *also]]
    return blanked(text, start, end, [*cues, *asides])


def _writers_words(text: str, sent, record: Attribution, index: AttributionIndex) -> str:
    """The words of the sentence nobody is cited for: "..., the ministry said, though its
    tallies have often proved inflated" (the writer's doubt about the ministry's claim)."""
    unsaid = index.unsaid(text, sent.start, sent.end)  # the sentence without any attribution's words
    cue = record.chains[0][0]
    said = [(record.content_start, record.content_end), (cue.cue_start, cue.cue_end), (cue.source.start, cue.source.end)]
    aside = _WRITERS_ASIDE.search(text, cue.cue_end, sent.end)
    return blanked(unsaid, 0, len(unsaid), [(lo - sent.start, hi - sent.start) for lo, hi in said]) + (
        " " + aside.group(1) if aside else ""
    )


def _clauses(span, shift: int) -> list[tuple[int, int]]:
    """Document ranges of the relative clauses in a parsed sentence (asides to a figure
    they do not hold)."""
    result = []
    for tok in span:
        if tok.dep_ == "relcl" or (tok.dep_ == "acl" and tok.head.pos_ in {"NOUN", "PROPN"}):
            result.append((tok.left_edge.idx - shift, tok.right_edge.idx + len(tok.right_edge.text) - shift))
    return result


def _statement(doc: Document, sent, record: Attribution, passages, index: AttributionIndex) -> Claim:
    start, end = record.content_start, record.content_end
    passage, doubted = _passage_of(start, passages)
    own = _own_words(doc.text, record, index, (start, end))
    doubted = doubted or (not passage and stance.doubt_in(_writers_words(doc.text, sent, record, index)))
    content = _own_words(doc.text, record, index, (start, end), also=[record])
    kind_stance, hedges = stance.stance_of(sent.text, own, record.cue_stance, doubted, content)
    return Claim(
        id=claim_id(doc.id, start, end, "statement", doc.text[start:end]),
        doc=doc.id,
        outlet=doc.outlet,
        published=doc.published,
        sentence=sent.text,
        text=doc.text[start:end],
        start=start,
        end=end,
        kind="statement",
        subject=None,
        time=timeref.find_time(sent.text, doc.published),
        chains=_with_passage(tuple(_hops(record.relayed + c, record.quote) for c in record.chains), passage),
        stance=kind_stance,
        hedges=tuple(hedges),
    )
