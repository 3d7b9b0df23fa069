"""Attribution spans against PolNeAR (BRAT standoff): source, cue and content P/R/F1.

Matching: `exact` needs the same character span (after trimming spaces and quotation
marks at the edges). `overlap` needs the two spans to share at least half of the
tokens of the longer one, so that a prediction cannot match by being long (spans with no
word, such as a ":" cue, compare characters). Each gold
span matches at most one predicted span. A relation matches when its source (or the
absence of one), cue and content all match. Discontinuous gold spans (`;`) count as the
stretch from their first to their last character.

Articles annotated by several annotators are scored once, against the annotator whose
file name sorts first (a fixed, blind choice).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import ClaimledgerError
from ..extract.pipeline import Extractor
from ..models import Document

_TOKEN = re.compile(r"\w+")
_EDGE = " \t\n\"“”‘’'.,;:"


@dataclass(frozen=True)
class Relation:
    source: tuple[int, int] | None
    cue: tuple[int, int]
    content: tuple[int, int]


def _span(offsets: str) -> tuple[int, int]:
    parts = [tuple(map(int, p.split())) for p in offsets.split(";")]
    return parts[0][0], parts[-1][1]


def read_annotations(path: Path) -> list[Relation]:
    spans: dict[str, tuple[str, tuple[int, int]]] = {}
    events = []
    for line in path.read_text(encoding="utf-8").splitlines():
        # Surface text may run over several lines; only T and E lines carry structure.
        if re.match(r"T\d+\t", line):
            ident, info = line.split("\t")[:2]
            kind, offsets = info.split(" ", 1)
            spans[ident] = (kind, _span(offsets))
        elif re.match(r"E\d+\t", line):
            events.append(dict(part.split(":") for part in line.split("\t")[1].split()))
    relations = []
    for event in events:
        roles = {k.rstrip("0123456789"): v for k, v in event.items()}
        if "Cue" not in roles or "Content" not in roles:
            continue
        source = spans[roles["Source"]][1] if "Source" in roles else None
        relations.append(Relation(source, spans[roles["Cue"]][1], spans[roles["Content"]][1]))
    return relations


def articles(folder: Path, split: str) -> Iterator[tuple[str, str, list[Relation]]]:
    text_dir, ann_dir = folder / split / "text", folder / split / "attributions"
    if not text_dir.is_dir() or not ann_dir.is_dir():
        raise ClaimledgerError(f"PolNeAR {split} split not found (expected text/ and attributions/)", path=str(folder))
    chosen: dict[str, Path] = {}
    for ann in sorted(ann_dir.glob("*.ann")):
        name = ann.stem.rsplit("_", 1)[0]
        chosen.setdefault(name, ann)
    for name, ann in sorted(chosen.items()):
        text_path = text_dir / f"{name}.txt"
        if text_path.exists():
            yield name, text_path.read_text(encoding="utf-8"), read_annotations(ann)


def _tokens(text: str, span: tuple[int, int]) -> set[int]:
    return {m.start() for m in _TOKEN.finditer(text, span[0], span[1])}


def _trim(text: str, span: tuple[int, int]) -> tuple[int, int]:
    start, end = span
    while start < end and text[start] in _EDGE:
        start += 1
    while end > start and text[end - 1] in _EDGE:
        end -= 1
    return start, end


def _match(text: str, gold, pred, exact: bool) -> bool:
    if gold is None or pred is None:
        return gold is None and pred is None
    if exact:
        return _trim(text, gold) == _trim(text, pred)
    g, p = _tokens(text, gold), _tokens(text, pred)
    if not g or not p:  # a punctuation cue (":", "—"): compare characters
        shared = min(gold[1], pred[1]) - max(gold[0], pred[0])
        return shared > 0 and shared >= 0.5 * max(gold[1] - gold[0], pred[1] - pred[0])
    return len(g & p) >= 0.5 * max(len(g), len(p))


def _prf(tp: int, n_pred: int, n_gold: int) -> dict:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f1, 4)}


def _greedy(text, golds, preds, exact) -> int:
    used, tp = set(), 0
    for g in golds:
        for i, p in enumerate(preds):
            if i not in used and _match(text, g, p, exact):
                used.add(i)
                tp += 1
                break
    return tp


def predicted_relations(records) -> list[Relation]:
    relations = []
    for record in records:
        first = record.chains[0][0]
        source = (first.source.start, first.source.end)
        relations.append(Relation(source, (first.cue_start, first.cue_end), (record.content_start, record.content_end)))
    return relations


def evaluate_polnear(folder: str | Path, split: str = "dev", extractor: Extractor | None = None, limit: int | None = None) -> dict:
    folder = Path(folder)
    if not folder.is_dir():
        raise ClaimledgerError("PolNeAR folder not found", path=str(folder))
    extractor = extractor or Extractor()
    items = list(articles(folder, split))[:limit]
    docs = (Document(id=name, text=text) for name, text, _ in items)
    counts = {mode: {k: [0, 0, 0] for k in ("source", "cue", "content", "relation")} for mode in ("overlap", "exact")}
    for (name, text, gold), (_, records) in zip(items, extractor.attributions_many(docs)):
        pred = predicted_relations(records)
        for mode in ("overlap", "exact"):
            exact = mode == "exact"
            c = counts[mode]
            gold_sources = [g.source for g in gold if g.source]
            pred_sources = [p.source for p in pred if p.source]
            for key, golds, preds in (
                ("source", gold_sources, pred_sources),
                ("cue", [g.cue for g in gold], [p.cue for p in pred]),
                ("content", [g.content for g in gold], [p.content for p in pred]),
            ):
                c[key][0] += _greedy(text, golds, preds, exact)
                c[key][1] += len(preds)
                c[key][2] += len(golds)
            tp, used = 0, set()
            for g in gold:
                for i, p in enumerate(pred):
                    if i in used:
                        continue
                    if all(_match(text, getattr(g, f), getattr(p, f), exact) for f in ("source", "cue", "content")):
                        used.add(i)
                        tp += 1
                        break
            c["relation"][0] += tp
            c["relation"][1] += len(pred)
            c["relation"][2] += len(gold)
    result = {key: _prf(*counts["overlap"][key]) for key in ("source", "cue", "content", "relation")}
    result["exact"] = {key: _prf(*counts["exact"][key]) for key in ("source", "cue", "content", "relation")}
    result["articles"] = len(items)
    result["split"] = split
    return result
