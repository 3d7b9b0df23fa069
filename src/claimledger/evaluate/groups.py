"""Score claim groups against the gold stories of a passages file
(`claimledger eval groups FILE`, contract: "Evaluation reports").

The passages are ingested into a fresh ledger and assessed as `claimledger ingest` would.
Each gold figure is matched to an extracted figure as `eval gold` matches them (sentence,
event, numbers; one-to-one, in document order); the groups are scored over the gold
figures found:

- B-cubed precision, recall and F1, a gold cluster being a figure's `series` where it has
  one, else its `story`;
- echo sets: the stories whose found figures come from 2 or more passages; the share held
  in one group, and the share whose group counts as many independent origins as the gold
  `origins` of the story (of the whole series, for a point of a series: origins that share
  a name count once, and so do two of different stories one of which names the other in
  fewer words, "health ministry officials" and "Congo's health ministry"). A story whose figures lie in two gold clusters (a contradiction
  between a toll of civilians and a count of soldiers, one of them a point of a series)
  gives one echo set per cluster, each with the story's origins its gold chains name.
"""

from __future__ import annotations

import tempfile
from collections import defaultdict
from pathlib import Path

from ..errors import ClaimledgerError
from ..extract.pipeline import Extractor
from ..models import Claim, Document
from .gold import _load, _numbers_match, normalize


def match_figures(gold_claims: list[dict], predicted: list[Claim]) -> list[tuple[dict, Claim]]:
    """(gold figure, extracted figure) pairs, matched as `eval gold` matches figures."""
    figures = [c for c in predicted if c.kind == "figure"]
    used: set[str] = set()
    pairs = []
    for gold in gold_claims:
        if gold["kind"] != "figure":
            continue
        hit = next((c for c in figures if c.id not in used and gold["sentence"] in c.sentence
                    and _numbers_match(gold["quantity"], c) and gold.get("event") in (None, c.event)), None)
        if hit is not None:
            used.add(hit.id)
            pairs.append((gold, hit))
    return pairs


def _count_origins(origin_lists: list[list], stories: list[str] | None = None) -> int:
    """Distinct origins among lists of alternative names: two that share a name are one.
    With `stories` (the story of each list, for the points of a series), two lists of
    different stories are also one when a name of one is the other's in fewer words:
    each story's gold names an origin once, but the stories of a series spell one source
    their own way ("health ministry officials" and "Congo's health ministry", "United
    Nations" and "United Nations mission in the DRC"; "Pakistan" stays apart from "Webnews
    Pakistan")."""
    groups: list[tuple[set[str], set[str]]] = []
    for i, names in enumerate(origin_lists):
        names = {normalize(n) for n in ([names] if isinstance(names, str) else names)}
        story = {stories[i]} if stories else set()
        joined = [g for g in groups if g[0] & names or (stories and not g[1] & story and _spelled_apart(g[0], names))]
        for g in joined:
            groups.remove(g)
            names |= g[0]
            story |= g[1]
        groups.append((names, story))
    return len(groups)


# Words that make no other source of a name: "health ministry officials" speak for the ministry.
_SPOKESPEOPLE = frozenset("officials official spokesperson spokesman spokeswoman s of".split())


def _spelled_apart(a: set[str], b: set[str]) -> bool:
    """Whether a name of `a` is one of `b` in fewer words, or the other way round; in two
    words at least: "Pakistan" is not "Webnews Pakistan"."""
    words = lambda name: set(name.split()) - _SPOKESPEOPLE
    return any(min(len(x), len(y)) >= 2 and (x <= y or y <= x) for x in map(words, a) for y in map(words, b))


def _cited(origins: list[list], figures: list[dict]) -> list[list]:
    """The story's origins that these figures' gold chains end at (all, if none does)."""
    last = {normalize(n) for g in figures for chain in g.get("chains") or [] if chain
            for n in ([chain[-1]] if isinstance(chain[-1], str) else chain[-1])}
    named = [o for o in origins if {normalize(n) for n in ([o] if isinstance(o, str) else o)} & last]
    return named or origins


def score_groups(found: list[tuple[str, dict, str]], stories: list[dict], independent: dict[str, int]) -> dict:
    """Metrics of `found` (passage id, gold figure, id of the group of its extracted
    figure), given the gold `stories` and each group's count of independent origins."""
    gold_of = [g.get("series") or g["story"] for _, g, _ in found]
    group_of = [gid for _, _, gid in found]
    by_gold, by_group = defaultdict(list), defaultdict(list)
    for i, (key, gid) in enumerate(zip(gold_of, group_of)):
        by_gold[key].append(i)
        by_group[gid].append(i)
    precision = recall = 0.0
    for i in range(len(found)):
        shared = sum(1 for j in by_group[group_of[i]] if gold_of[j] == gold_of[i])
        precision += shared / len(by_group[group_of[i]])
        recall += shared / len(by_gold[gold_of[i]])
    n = len(found)
    p, r = (precision / n, recall / n) if n else (0.0, 0.0)
    origins = {s["id"]: s.get("origins") or [] for s in stories}
    # An echo set is a story's figures within one gold cluster: a story that contradicts
    # across clusters (a toll of civilians against a count of soldiers) gives one per part.
    members: dict[tuple[str, str], list[tuple[str, dict, str]]] = defaultdict(list)
    for item, key in zip(found, gold_of):
        members[(item[1]["story"], key)].append(item)
    wanted: dict[tuple[str, str], list] = {}
    series_origins: dict[str, list] = defaultdict(list)
    series_stories: dict[str, list] = defaultdict(list)
    parts = defaultdict(int)
    for story, _ in members:
        parts[story] += 1
    for (story, key), items in members.items():
        named = origins.get(story, [])
        if parts[story] > 1:
            named = _cited(named, [g for _, g, _ in items])
        wanted[(story, key)] = named
        if key != story:
            series_origins[key].extend(named)
            series_stories[key].extend([story] * len(named))
    echoes = [k for k, items in members.items() if len({passage for passage, _, _ in items}) >= 2]
    groups = {k: {gid for _, _, gid in members[k]} for k in echoes}
    together = [k for k in echoes if len(groups[k]) == 1]
    right = [
        k for k in together
        if independent.get(next(iter(groups[k]))) == (
            _count_origins(series_origins[k[1]], series_stories[k[1]]) if k[1] != k[0] else _count_origins(wanted[k]))
    ]

    def ratio(a: int, b: int) -> float:
        return round(a / b, 4) if b else 0.0

    return {
        "group_b3_precision": round(p, 4),
        "group_b3_recall": round(r, 4),
        "group_b3_f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
        "grouped_figures": n,
        "echo_sets": len(echoes),
        "echo_sets_one_group": ratio(len(together), len(echoes)),
        "echo_sets_origins_right": ratio(len(right), len(echoes)),
        "echo_sets_split": sorted(k[0] for k in set(echoes) - set(together)),
        "echo_sets_origins_wrong": sorted(k[0] for k in set(together) - set(right)),
    }


def evaluate_groups(file: str | Path, extractor: Extractor | None = None) -> dict:
    """Ingest the passages of `file` into a fresh ledger, assess it, score its groups."""
    from ..pipeline import assess_ledger
    from ..store import open_ledger

    path = Path(file)
    if not path.is_file():
        raise ClaimledgerError("passages file not found", path=str(path))
    data = _load(path)
    if not isinstance(data, dict) or not isinstance(data.get("passages"), list):
        raise ClaimledgerError("not a passages file: expected `passages:` (and `stories:`)", path=str(path))
    passages = data["passages"]
    extractor = extractor or Extractor()
    docs = [
        Document(id=p["id"], text=p["text"], outlet=p.get("outlet"), published=str(p.get("published") or "") or None)
        for p in passages
    ]
    gold = {p["id"]: p["claims"] for p in passages}
    with tempfile.TemporaryDirectory() as folder:
        ledger = open_ledger(str(Path(folder) / "ledger.db"))
        extracted: dict[str, list[Claim]] = {}
        for doc, claims in extractor.extract_many(docs):
            claims = claims if isinstance(claims, list) else []
            ledger.store(doc, claims)
            extracted[doc.id] = claims
        result = assess_ledger(ledger)
        ledger.engine.dispose()
    group_of = {c["id"]: c["cluster"] for c in result["claims"]}
    independent = {g["id"]: g["independent_origins"] for g in result["clusters"]}
    found = [(doc_id, g, group_of[c.id]) for doc_id, claims in extracted.items()
             for g, c in match_figures(gold[doc_id], claims) if c.id in group_of]
    return score_groups(found, data.get("stories") or [], independent)
