"""Score extraction against the team's gold: the demo corpus and the written passages.

Format: docs/gold-format.md. A predicted figure matches a gold figure when its sentence
holds the gold sentence substring, its event is the gold event and its numbers agree
(value, or low and high for a vague amount; a vague gold with no number, "thousands of
soldiers", matches a vague prediction). A gold statement is found when a predicted claim's sentence holds the gold
substring and the claim is attributed; of several such claims, the one sharing the most
words with the gold substring, then the one whose cue word the substring holds, then the
one with the fewest words besides. Matching is one-to-one, in document order.

Metrics (over all gold documents and passages of the chosen sets):
- figure_recall, figure_precision (predictions counted in annotated documents only);
- bound_accuracy: matched figures whose bound agrees;
- origin_accuracy: matched claims whose origins (last hop of each chain; none when the
  writer asserts) agree as sets;
- chain_accuracy: matched claims whose chains agree hop by hop;
- statement_recall; stance_accuracy over matched claims.
Names compare strictly: a predicted name matches a gold name, or one of the alternatives a
gold hop lists, after case, punctuation and a leading article only. A substring is not a
match ("Syria" is not "Syria Now") and our own registry is never consulted.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import yaml

from ..errors import ClaimledgerError
from ..extract.pipeline import Extractor
from ..ingest import read_paths
from ..models import Claim, Document

SETS = ("demo", "dev", "dev2", "dev3", "dev4")  # for tuning; "test" is held out
HELD_OUT = "test"  # scored only by the quality gate: no command prints it
def _data(*parts: str) -> Path:
    return Path(str(resources.files("claimledger").joinpath("data", *parts)))


_ARTICLE = re.compile(r"^(?:the|a|an)\s+")


def normalize(name: str) -> str:
    """A name as compared: lower case, punctuation dropped, no leading article."""
    text = re.sub(r"[^\w\s]", " ", name.lower())
    text = re.sub(r"\s+", " ", text).strip()
    return _ARTICLE.sub("", text)


def _alternatives(gold_hop: str | list[str]) -> list[str]:
    """A gold hop is a name, or a list of alternative names for the same source."""
    return [gold_hop] if isinstance(gold_hop, str) else list(gold_hop)


def same_source(gold_hop: str | list[str], predicted: str) -> bool:
    """Strict: the predicted name equals the gold name or one of its listed alternatives
    after case, punctuation and a leading article; never a substring, never our registry."""
    found = normalize(predicted)
    return bool(found) and any(normalize(name) == found for name in _alternatives(gold_hop))


def _chains_equal(gold: list[list], pred) -> bool:
    names = [[hop.name for hop in chain] for chain in pred]
    if len(gold) != len(names):
        return False
    remaining = list(names)
    for chain in gold:
        hit = next(
            (p for p in remaining if len(p) == len(chain) and all(same_source(g, n) for g, n in zip(chain, p))),
            None,
        )
        if hit is None:
            return False
        remaining.remove(hit)
    return True


def _origins_equal(gold: list[list], pred) -> bool:
    gold_origins = [chain[-1] for chain in gold if chain]
    pred_origins = [chain[-1].name for chain in pred if chain]
    if not gold_origins or not pred_origins:
        return not gold_origins and not pred_origins
    return all(any(same_source(g, p) for p in pred_origins) for g in gold_origins) and all(
        any(same_source(g, p) for g in gold_origins) for p in pred_origins
    )


def _shared_words(a: str, b: str) -> int:
    return len(set(re.findall(r"\w+", a.lower())) & set(re.findall(r"\w+", b.lower())))


def _extra_words(wanted: str, text: str) -> int:
    return len(set(re.findall(r"\w+", text.lower())) - set(re.findall(r"\w+", wanted.lower())))


def _cue_in(wanted: str, claim: Claim) -> bool:
    words = set(re.findall(r"\w+", wanted.lower()))
    return any(w in words for chain in claim.chains for hop in chain[-1:] for w in re.findall(r"\w+", hop.cue.lower()))


def _numbers_match(gold: dict, claim: Claim) -> bool:
    q = claim.quantity
    if q is None:
        return False
    if gold.get("value") is not None and q.value is not None and abs(gold["value"] - q.value) < 1e-6:
        return True
    if gold.get("value") is None:
        if gold.get("bound") == "vague" and gold.get("low") is None and gold.get("high") is None:
            return q.bound == "vague"  # "thousands of soldiers": the text gives no number
        return gold.get("low") == q.low and gold.get("high") == q.high
    return gold.get("low") is not None and gold.get("low") == q.low and gold.get("high") == q.high


@dataclass
class Tally:
    gold_figures: int = 0
    found_figures: int = 0
    predicted_figures: int = 0
    bound_right: int = 0
    gold_statements: int = 0
    found_statements: int = 0
    matched: int = 0
    origin_right: int = 0
    chain_right: int = 0
    stance_right: int = 0
    misses: list = field(default_factory=list)

    def add(self, gold_claims: list[dict], predicted: list[Claim], where: str) -> None:
        figures = [c for c in predicted if c.kind == "figure"]
        self.predicted_figures += len(figures)
        used: set[str] = set()
        for gold in gold_claims:
            wanted = gold["sentence"]
            if gold["kind"] == "figure":
                self.gold_figures += 1
                hit = next(
                    (c for c in figures if c.id not in used and wanted in c.sentence and _numbers_match(gold["quantity"], c)
                     and gold.get("event") in (None, c.event)),
                    None,
                )
                if hit is None:
                    other = next((c for c in figures if wanted in c.sentence and _numbers_match(gold["quantity"], c)), None)
                    why = f" (found as {other.event}, gold {gold.get('event')})" if other is not None else ""
                    self.misses.append((where, "figure", wanted + why))
                    continue
                self.found_figures += 1
                self.bound_right += gold["quantity"].get("bound") == hit.quantity.bound
            else:
                self.gold_statements += 1
                candidates = [c for c in predicted if c.id not in used and c.chains and (wanted in c.sentence or wanted in c.text)]
                # Several attributions in one sentence: the one whose content holds the gold
                # words, then the one whose cue word the gold words hold ("He claimed that ...",
                # not "..., a version the army disputed").
                hit = max(
                    candidates,
                    key=lambda c: (c.kind == "statement", _shared_words(wanted, c.text), _cue_in(wanted, c), -_extra_words(wanted, c.text)),
                    default=None,
                )
                if hit is None:
                    self.misses.append((where, "statement", wanted))
                    continue
                self.found_statements += 1
            used.add(hit.id)
            self.matched += 1
            gold_chains = gold.get("chains") or []
            gold_stance = gold.get("stance", "asserted")
            chain_right = _chains_equal(gold_chains, hit.chains)
            self.origin_right += _origins_equal(gold_chains, hit.chains)
            self.chain_right += chain_right
            self.stance_right += gold_stance == hit.stance
            if not chain_right or gold_stance != hit.stance:
                predicted_chains = [[hop.name for hop in chain] for chain in hit.chains]
                self.misses.append(
                    (where, "chain" if not chain_right else "stance", (f"{wanted}\n    gold {gold_chains} {gold_stance}"
                     f" | found {predicted_chains} {hit.stance}"))
                )

        for claim in figures:
            if claim.id not in used:
                self.misses.append((where, "extra figure", f"{claim.quantity.text} in: {claim.sentence}"))

    def metrics(self) -> dict:
        def ratio(a: int, b: int) -> float:
            return round(a / b, 4) if b else 0.0

        return {
            "figure_recall": ratio(self.found_figures, self.gold_figures),
            "figure_precision": ratio(self.found_figures, self.predicted_figures),
            "bound_accuracy": ratio(self.bound_right, self.found_figures),
            "origin_accuracy": ratio(self.origin_right, self.matched),
            "chain_accuracy": ratio(self.chain_right, self.matched),
            "statement_recall": ratio(self.found_statements, self.gold_statements),
            "stance_accuracy": ratio(self.stance_right, self.matched),
            "gold_figures": self.gold_figures,
            "gold_statements": self.gold_statements,
        }


def _load(path: Path) -> dict:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ClaimledgerError(f"cannot read gold file: {exc}", path=str(path)) from exc


def _demo(extractor: Extractor, tally: Tally) -> None:
    gold = {entry["doc"]: entry["claims"] for entry in _load(_data("demo_gold.yaml"))["documents"]}
    with contextlib.chdir(_data("demo")):
        docs = [d for d in read_paths(["."]) if isinstance(d, Document)]
    for doc, claims in extractor.extract_many(d for d in docs if d.id in gold):
        tally.add(gold[doc.id], claims if isinstance(claims, list) else [], doc.id)


def _passages(path: Path, extractor: Extractor, tally: Tally) -> None:
    passages = _load(path)["passages"]
    docs = [
        Document(id=p["id"], text=p["text"], outlet=p.get("outlet"), published=str(p.get("published") or "") or None)
        for p in passages
    ]
    by_id = {p["id"]: p["claims"] for p in passages}
    for doc, claims in extractor.extract_many(docs):
        tally.add(by_id[doc.id], claims if isinstance(claims, list) else [], doc.id)


def evaluate_gold(
    sets: Iterable[str] = SETS, file: str | Path | None = None, extractor: Extractor | None = None
) -> dict:
    """Metrics over the chosen gold sets (or one passages FILE), with a breakdown per set."""
    extractor = extractor or Extractor()
    result: dict = {}
    total = Tally()
    chosen = [("file", Path(file))] if file else [(name, None) for name in sets]
    for name, path in chosen:
        tally = Tally()
        if name == "demo":
            _demo(extractor, tally)
        else:
            _passages(path or _data("gold", f"passages_{name}.yaml"), extractor, tally)
        result[name] = tally.metrics()
        for key in vars(total):
            if key == "misses":
                total.misses.extend(tally.misses)
            else:
                setattr(total, key, getattr(total, key) + getattr(tally, key))
    metrics = total.metrics()
    metrics["sets"] = result
    metrics["misses"] = total.misses
    return metrics
