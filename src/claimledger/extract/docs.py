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
