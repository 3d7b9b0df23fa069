"""Records looked up by the character ranges they cover, for the document-level rules
that ask, per figure or per claim, which attributions hold an offset or touch a range:
scanning every attribution each time made a long document quadratic.

The document is cut into blocks; each record is filed under the blocks its ranges
cover, and a query reads only the blocks it touches. Answers keep the order the records
were given in, so a rule that takes the first of several finds the same one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

T = TypeVar("T")
_BLOCK = 512  # characters: a sentence or two, so most ranges sit in one or two blocks


class RangeIndex(Generic[T]):
    """`items` filed by the ranges `ranges(item)` gives (start, end: end excluded)."""

    def __init__(self, items: Iterable[T], ranges: Callable[[T], Iterable[tuple[int, int]]]):
        self._items = list(items)
        self._blocks: dict[int, list[int]] = defaultdict(list)
        for n, item in enumerate(self._items):
            filed = set()
            for start, end in ranges(item):
                if end <= start:
                    continue
                for block in range(start // _BLOCK, (end - 1) // _BLOCK + 1):
                    if block not in filed:
                        filed.add(block)
                        self._blocks[block].append(n)

    def near(self, start: int, end: int) -> list[T]:
        """The items filed under a block that [start, end) touches (a superset of those
        whose ranges overlap it), in their given order; the caller tests each."""
        if end <= start:
            return []
        first, last = start // _BLOCK, (end - 1) // _BLOCK
        if first == last:
            return [self._items[n] for n in self._blocks.get(first, ())]
        numbers = sorted({n for block in range(first, last + 1) for n in self._blocks.get(block, ())})
        return [self._items[n] for n in numbers]

    def at(self, offset: int) -> list[T]:
        """The items filed under the block holding `offset`, in their given order."""
        return self.near(offset, offset + 1)


def blanked(text: str, start: int, end: int, ranges: Iterable[tuple[int, int]]) -> str:
    """text[start:end] with every character inside one of `ranges` replaced by a space."""
    cuts = sorted((max(lo, start), min(hi, end)) for lo, hi in ranges if max(lo, start) < min(hi, end))
    parts, at = [], start
    for lo, hi in cuts:
        if hi <= at:
            continue
        lo = max(lo, at)
        parts.append(text[at:lo])
        parts.append(" " * (hi - lo))
        at = hi
    parts.append(text[at:end])
    return "".join(parts)


class AttributionIndex:
    """A document's resolved attributions, indexed for the rules that run per figure and
    per claim (`pipeline.build_claims`)."""

    def __init__(self, records: list, sentence_of: Callable[[int], int]):
        self.records = records
        self.contents = RangeIndex(records, lambda r: [(r.content_start, r.content_end)])
        self.cues = RangeIndex(records, lambda r: [(r.chains[0][0].cue_start, r.chains[0][0].cue_end)])
        self.words = RangeIndex(records, lambda r: [
            (r.content_start, r.content_end), (r.chains[0][0].cue_start, r.chains[0][0].cue_end),
            (r.chains[0][0].source.start, r.chains[0][0].source.end),
        ])
        self.speaking: dict[int, list] = defaultdict(list)  # sentence -> its cues' attributions, not reactions
        self.by_first_link: dict[object, list] = defaultdict(list)
        self.sources: dict[int, list[tuple[int, int]]] = defaultdict(list)  # sentence -> source mentions in it
        for record in records:
            if not record.reaction:
                self.speaking[sentence_of(record.chains[0][0].cue_start)].append(record)
            self.by_first_link[record.chains[0][0]].append(record)
            for chain in record.chains:
                for link in chain:
                    self.sources[sentence_of(link.source.start)].append((link.source.start, link.source.end))
