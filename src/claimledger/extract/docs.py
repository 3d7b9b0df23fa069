"""Cached reads of a parsed spaCy document.

`Doc.text` and `Doc.ents` rebuild from every token on each call; the extractors read
them per sentence and per figure, which made a long document quadratic. Each is built
once per document and kept in its `user_data`.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

_TEXT = "claimledger.text"
_ENTS = "claimledger.ents"


def text_of(doc: Doc) -> str:
    text = doc.user_data.get(_TEXT)
    if text is None:
        text = doc.user_data[_TEXT] = doc.text
    return text


def entities_of(span: Span) -> list[Span]:
    """The named entities inside `span`."""
    ents = span.doc.user_data.get(_ENTS)
    if ents is None:
        ents = span.doc.user_data[_ENTS] = list(span.doc.ents)
    return [e for e in ents if span.start <= e.start and e.end <= span.end]
