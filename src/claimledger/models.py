"""The records that flow through the pipeline: small frozen dataclasses.

Ids are content hashes (or the id a document came with), so that the same input always
gives the same records and ingesting twice changes nothing.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass


def content_hash(*parts: object, length: int = 16) -> str:
    """A short stable hash of the parts, used for ids."""
    payload = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:length]


@dataclass(frozen=True)
class QuotedBlock:
    """A stretch of a document's text quoted from someone else (a <blockquote>, a <q>)."""

    start: int
    end: int
    cite: str | None = None  # the cite= URL or attribution of the block, when the page gives one


@dataclass(frozen=True)
class Document:
    """One report as read from its input: the text claims are extracted from, and metadata."""

    id: str
    text: str
    source_path: str | None = None  # the file it was read from (with the line for JSONL)
    input_kind: str = "text"  # text, html, feed, jsonl
    url: str | None = None
    outlet: str | None = None
    published: str | None = None  # ISO 8601 date or datetime
    title: str | None = None
    language: str | None = None
    quoted: tuple[QuotedBlock, ...] = ()

    @property
    def content_hash(self) -> str:
        """Identifies this version of the document: an edit gives a new hash."""
        return content_hash(self.text, self.outlet, self.published, self.title, length=24)


@dataclass(frozen=True)
class Hop:
    """One link of an attribution chain: who is cited, with which cue."""

    name: str
    kind: str  # person, organization, outlet, government, military, document, anonymous, other
    cue: str | None = None
    quote: bool = False
    start: int | None = None
    end: int | None = None
    cue_start: int | None = None
    cue_end: int | None = None


@dataclass(frozen=True)
class Quantity:
    """A number with its bound. `low`/`high` are None where the bound is open."""

    value: float | None
    low: float | None
    high: float | None
    approx: bool
    text: str
    bound: str = "exact"  # exact, approx, lower, upper, range, vague


@dataclass(frozen=True)
class TimeRef:
    text: str
    date: str | None  # ISO date, or YYYY / YYYY-MM where only that is known


@dataclass(frozen=True)
class Claim:
    """Who claims what: one statement or figure in one document, with its chains."""

    id: str
    doc: str
    outlet: str | None
    published: str | None
    sentence: str
    text: str
    start: int
    end: int
    kind: str  # figure or statement
    event: str | None = None
    quantity: Quantity | None = None
    subject: str | None = None
    location: str | None = None
    time: TimeRef | None = None
    chains: tuple[tuple[Hop, ...], ...] = ()
    stance: str = "asserted"  # asserted, hedged, questioned, denied
    hedges: tuple[str, ...] = ()

    def to_json(self) -> dict:
        """The contract shape of `claimledger extract --format jsonl`."""
        q, t = self.quantity, self.time
        return {
            "id": self.id, "doc": self.doc, "outlet": self.outlet, "published": self.published,
            "sentence": self.sentence, "text": self.text, "start": self.start, "end": self.end,
            "kind": self.kind, "event": self.event,
            "quantity": None if q is None else {
                "value": q.value, "low": q.low, "high": q.high, "approx": q.approx, "text": q.text, "bound": q.bound,
            },
            "subject": self.subject, "location": self.location,
            "time": None if t is None else {"text": t.text, "date": t.date},
            "chains": [[hop.__dict__.copy() for hop in chain] for chain in self.chains],
            "stance": self.stance, "hedges": list(self.hedges),
        }

    @classmethod
    def from_json(cls, record: dict) -> Claim:
        quantity = record.get("quantity")
        time = record.get("time")
        known = cls.__dataclass_fields__
        values = {k: v for k, v in record.items() if k in known}
        values["quantity"] = Quantity(**quantity) if quantity else None
        values["time"] = TimeRef(**time) if time else None
        values["chains"] = tuple(tuple(Hop(**hop) for hop in chain) for chain in record.get("chains", []))
        values["hedges"] = tuple(record.get("hedges", []))
        return cls(**values)


def claim_id(doc_id: str, start: int, end: int, kind: str, text: str) -> str:
    return content_hash("claim", doc_id, start, end, kind, text)
