"""A document's text cut into marked pieces for the document page: every claim's content
span (coloured by stance), each attribution's source mention and cue, and the quoted
blocks set apart from the writer's own words.

The output is plain data (text pieces and class names); the template escapes the text,
so nothing in an article can become markup.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise

STANCE_ORDER = {"denied": 0, "questioned": 1, "hedged": 2, "asserted": 3}


@dataclass
class Piece:
    text: str
    classes: list[str] = field(default_factory=list)
    claims: list[str] = field(default_factory=list)  # ids of the claims covering this piece
    anchors: list[str] = field(default_factory=list)  # ids of the claims whose span starts here
    title: str | None = None


@dataclass
class Block:
    kind: str  # "p" (the writer's words) or "quote" (a quoted block)
    pieces: list[Piece]
    cite: str | None = None


def _spans(claims: list[dict], length: int) -> list[tuple[int, int, str, dict]]:
    spans = []
    for claim in claims:
        start, end = claim.get("start"), claim.get("end")
        if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= length:
            spans.append((start, end, "claim", claim))
        for chain in claim.get("chains") or []:
            for hop in chain:
                s, e = hop.get("start"), hop.get("end")
                if isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= length:
                    spans.append((s, e, "source", {"name": hop.get("name"), "claim": claim["id"]}))
                s, e = hop.get("cue_start"), hop.get("cue_end")
                if isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= length:
                    spans.append((s, e, "cue", {"name": hop.get("cue"), "claim": claim["id"]}))
    return spans


def _blocks(text: str, quoted: list) -> list[tuple[str, int, int, str | None]]:
    """(kind, start, end, cite): quoted blocks, and the paragraphs between them."""
    blocks = []
    cursor = 0
    for entry in sorted((q for q in quoted if len(q) >= 2), key=lambda q: q[0]):
        start, end = int(entry[0]), int(entry[1])
        cite = entry[2] if len(entry) > 2 else None
        if start < cursor or end <= start or end > len(text):
            continue
        blocks.extend(_paragraphs(text, cursor, start))
        blocks.append(("quote", start, end, cite))
        cursor = end
    blocks.extend(_paragraphs(text, cursor, len(text)))
    return blocks


def _paragraphs(text: str, start: int, end: int) -> list[tuple[str, int, int, None]]:
    out, cursor = [], start
    while cursor < end:
        brk = text.find("\n\n", cursor, end)
        stop = end if brk < 0 else brk
        if text[cursor:stop].strip():
            out.append(("p", cursor, stop, None))
        cursor = stop + 2 if brk >= 0 else end
    return out


def highlight(text: str, quoted: list, claims: list[dict]) -> list[Block]:
    spans = _spans(claims, len(text))
    blocks = []
    for kind, start, end, cite in _blocks(text, quoted):
        cuts = {start, end}
        for s, e, _, _ in spans:
            if e > start and s < end:
                cuts.update((max(s, start), min(e, end)))
        points = sorted(cuts)
        pieces = []
        for a, b in pairwise(points):
            if a >= b:
                continue
            covering = [sp for sp in spans if sp[0] <= a and sp[1] >= b]
            piece = Piece(text[a:b])
            claim_spans = [sp for sp in covering if sp[2] == "claim"]
            if claim_spans:
                strongest = min(claim_spans, key=lambda sp: STANCE_ORDER.get(sp[3].get("stance"), 3))
                piece.classes += ["claim", f"stance-{strongest[3].get('stance', 'asserted')}"]
                if len(claim_spans) > 1:
                    piece.classes.append("overlap")
                piece.claims = [sp[3]["id"] for sp in claim_spans]
                piece.anchors = [sp[3]["id"] for sp in claim_spans if sp[0] == a]
                piece.title = "; ".join(
                    f"{sp[3].get('kind', 'claim')}, {sp[3].get('stance', 'asserted')}" for sp in claim_spans
                )
            if any(sp[2] == "source" for sp in covering):
                piece.classes.append("source")
                piece.title = "source: " + next(sp[3]["name"] for sp in covering if sp[2] == "source")
            if any(sp[2] == "cue" for sp in covering):
                piece.classes.append("cue")
                piece.title = "cue: " + str(next(sp[3]["name"] for sp in covering if sp[2] == "cue"))
            pieces.append(piece)
        blocks.append(Block(kind, pieces, cite))
    return blocks
