"""Cached reads of a parsed spaCy document.

`Doc.text` and `Doc.ents` rebuild from every token on each call; the extractors read
them per sentence and per figure, which made a long document quadratic. Each is built
once per document and kept in its `user_data`.
"""

from __future__ import annotations

import bisect

from spacy.tokens import Doc, Span

_TEXT = "claimledger.text"
_ENTS = "claimledger.ents"


def text_of(doc: Doc) -> str:
    text = doc.user_data.get(_TEXT)
    if text is None:
        text = doc.user_data[_TEXT] = doc.text
    return text


def entities_of(span: Span) -> list[Span]:
    """The named entities inside `span` (found by their starts: entities are in order)."""
    cached = span.doc.user_data.get(_ENTS)
    if cached is None:
        ents = list(span.doc.ents)
        cached = span.doc.user_data[_ENTS] = (ents, [e.start for e in ents])
    ents, starts = cached
    first, last = bisect.bisect_left(starts, span.start), bisect.bisect_left(starts, span.end)
    return [e for e in ents[first:last] if e.end <= span.end]


def lower_words_of(span: Span) -> str:
    """The span's words in lower case, joined by single spaces (built once per span)."""
    key = ("claimledger.lower_words", span.start, span.end)
    words = span.doc.user_data.get(key)
    if words is None:
        words = span.doc.user_data[key] = " ".join(t.lower_ for t in span)
    return words


def tokens_over(span: Span, start: int, end: int) -> list:
    """The tokens of `span` that overlap the doc characters [start, end), found by
    bisection (tokens are in order and do not overlap)."""
    key = ("claimledger.token_edges", span.start, span.end)
    edges = span.doc.user_data.get(key)
    if edges is None:
        edges = span.doc.user_data[key] = ([t.idx for t in span], [t.idx + len(t.text) for t in span])
    starts, ends = edges
    first, last = bisect.bisect_right(ends, start), bisect.bisect_left(starts, end)
    return [span[i] for i in range(first, last)]
