"""Claim groups: claims about the same thing.

Figures group by event, whose people and what kind (a December and a January casualty
total are one quantity at two times); figures about one incident also need a shared
name of it ("Storm Shadow") or the same number within a few days (echoes of one story).
Statements group by shared content words; a denial joins the figure group it denies.
Analyst overrides merge and split groups.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from itertools import combinations
from datetime import date

from ..extract import lexicon
from ..models import Claim, content_hash
from .subjects import Topic, topic_of

_CONTENT = re.compile(r"[a-z][a-z'-]{2,}")
_STOP = frozenset(
    "the and that this with from were was have has had been for are its their they said says "
    "told would could about more than into over also which who what when where after before "
    "while there some said, not but his her our your them than then said.".split()
)


class _UnionFind:
    def __init__(self):
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def claim_date(claim: Claim) -> date | None:
    """When the figure holds: its own full date, else the publication date."""
    for text in ((claim.time.date if claim.time else None), claim.published):
        if text and len(text) >= 10:
            try:
                return date.fromisoformat(text[:10])
            except ValueError:
                continue
    return None


def _words(text: str) -> frozenset[str]:
    return frozenset(w for w in _CONTENT.findall(text.lower()) if w not in _STOP)


def _compatible(ta: Topic, tb: Topic, a: Claim, b: Claim) -> bool:
    """Two reports of one incident may count the same people: neither names different
    people or kinds, and both give the same number or neither gives one."""
    def agree(x, y):
        return x is None or y is None or x == y

    return agree(ta.country, tb.country) and agree(ta.klass, tb.klass)


def _echo(a: Claim, b: Claim, days: int) -> bool:
    qa, qb = a.quantity, b.quantity
    if qa is None or qb is None or qa.value is None or qa.value != qb.value:
        return False
    da, db = claim_date(a), claim_date(b)
    return da is not None and db is not None and abs((da - db).days) <= days


def group_claims(claims: list[Claim], merges: dict[str, str] | None = None, splits: Iterable[str] = ()) -> dict[str, list[Claim]]:
    """Group ids (stable: a hash of the group's key) mapped to their claims."""
    rules = lexicon.load("assess")["grading"]
    topics = _with_document_context(claims, {c.id: topic_of(c) for c in claims})
    uf = _UnionFind()
    keys: dict[str, tuple] = {}
    blocks: dict[tuple, list[Claim]] = defaultdict(list)
    statements: list[Claim] = []
    split = set(splits)
    for claim in claims:
        uf.find(claim.id)
        t = topics[claim.id]
        if claim.id in split:
            keys[claim.id] = ("split", claim.id)
            continue
        if claim.kind == "figure" or (claim.stance == "denied" and t.event and (t.country or t.klass)):
            # Totals need the same people; one incident's reports may name them differently
            # ("Chechen fighters", "its fighters"), so incidents block on the event only.
            key = (t.event, None, None, True) if t.incident else (t.event, t.country, t.klass, False)
            keys[claim.id] = key
            blocks[key].append(claim)
        else:
            statements.append(claim)
    for key, members in blocks.items():
        incident = key[3]
        if not incident:
            for other in members[1:]:
                uf.union(members[0].id, other.id)
            continue
        # One incident when two reports share two of its names ("Storm Shadow"), not one
        # ("Kursk" names a place where many incidents happen).
        first_with: dict[tuple[str, str], list[str]] = defaultdict(list)
        by_id = {c.id: c for c in members}
        for claim in members:
            names = sorted(topics[claim.id].names)
            for pair in combinations(names, 2):
                for other in first_with[pair]:
                    if _compatible(topics[claim.id], topics[other], by_id[claim.id], by_id[other]):
                        uf.union(other, claim.id)
                        break
                else:
                    if len(first_with[pair]) < 8:
                        first_with[pair].append(claim.id)
        by_value: dict[float, list[Claim]] = defaultdict(list)
        for claim in members:
            if claim.quantity and claim.quantity.value is not None:
                by_value[claim.quantity.value].append(claim)
        for same in by_value.values():
            same.sort(key=lambda c: claim_date(c) or date.min)
            for a, b in zip(same, same[1:]):
                if _echo(a, b, int(rules["echo_days"])) and _compatible(topics[a.id], topics[b.id], a, b):
                    uf.union(a.id, b.id)
    _group_statements(statements, uf, keys, float(rules["statement_similarity"]))
    groups: dict[str, list[Claim]] = defaultdict(list)
    for claim in claims:
        groups[uf.find(claim.id)].append(claim)
    result: dict[str, list[Claim]] = {}
    for members in groups.values():
        members.sort(key=lambda c: c.id)
        first = min(members, key=lambda c: (c.published or "", c.id))
        gid = content_hash("group", keys.get(first.id), first.id)
        result[gid] = members
    for source, target in (merges or {}).items():
        if source in result and target in result and source != target:
            result[target].extend(result.pop(source))
    return result


def _with_document_context(claims: list[Claim], topics: dict[str, Topic]) -> dict[str, Topic]:
    """A figure that does not say whose people it counts ("at least 100 had been
    killed") counts those its document's other figures of that event count."""
    by_doc: dict[tuple, dict] = defaultdict(lambda: defaultdict(int))
    for claim in claims:
        t = topics[claim.id]
        if claim.kind == "figure" and t.country:
            by_doc[(claim.doc, t.event)][(t.country, t.klass)] += 1
    result = {}
    for claim in claims:
        t = topics[claim.id]
        seen = by_doc.get((claim.doc, t.event))
        if claim.kind == "figure" and t.country is None and seen:
            country, klass = max(seen, key=seen.get)
            t = replace(t, country=country, klass=t.klass or klass)
        result[claim.id] = t
    return result


def _group_statements(statements: list[Claim], uf: _UnionFind, keys: dict, threshold: float) -> None:
    words = {c.id: _words(c.text) for c in statements}
    index: dict[str, list[str]] = defaultdict(list)
    for claim in statements:
        keys[claim.id] = ("statement",)
        candidates: dict[str, int] = defaultdict(int)
        for word in words[claim.id]:
            for other in index[word]:
                candidates[other] += 1
        mine = words[claim.id]
        for other, shared in candidates.items():
            union = len(mine | words[other])
            if union and shared / union >= threshold:
                uf.union(claim.id, other)
        for word in mine:
            if len(index[word]) < 50:  # very common words do not make candidates
                index[word].append(claim.id)
