"""Records looked up by the character ranges they cover, for the document-level rules
that ask, per figure or per claim, which attributions hold an offset or touch a range:
scanning every attribution each time made a long document quadratic.

The document is cut into blocks; each record is filed under the blocks its ranges
cover, and a query reads only the blocks it touches. Answers keep the order the records
were given in, so a rule that takes the first of several finds the same one.
"""

from __future__ import annotations

import bisect
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
        self._unsaid: dict[tuple[int, int], str] = {}
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

    def unsaid(self, text: str, start: int, end: int) -> str:
        """text[start:end] without the words of any attribution (content, first cue and
        its source blanked): the writer's own words, kept per sentence."""
        found = self._unsaid.get((start, end))
        if found is None:
            said = []
            for record in self.words.near(start, end):
                cue = record.chains[0][0]
                said += [(record.content_start, record.content_end), (cue.cue_start, cue.cue_end),
                         (cue.source.start, cue.source.end)]
            found = self._unsaid[(start, end)] = blanked(text, start, end, said)
        return found


class ByStart(list):
    """Mentions (anything with a `start`) in the order given, also kept sorted by start,
    for the last one before an offset that passes a test, without reading them all."""

    def __init__(self, items: Iterable = ()):
        super().__init__()
        self._keys: list[tuple[int, int]] = []  # (start, position in the list)
        self._views: dict[object, list] = {}  # key -> [items read, ByStart of those that passed]
        self._words: dict[str, ByStart] = {}
        self._words_read = 0
        self.extend(items)

    def append(self, item) -> None:
        key = (item.start, len(self))
        super().append(item)
        if not self._keys or self._keys[-1] < key:
            self._keys.append(key)
        else:
            bisect.insort(self._keys, key)

    def extend(self, items: Iterable) -> None:
        for item in items:
            self.append(item)

    def last(self, before: int, test: Callable) -> object | None:
        """The item with the greatest start before `before` that passes `test`; of several
        at that start, the first given."""
        i = bisect.bisect_left(self._keys, (before, -1)) - 1
        while i >= 0:
            start, first = self._keys[i][0], i
            while first > 0 and self._keys[first - 1][0] == start:
                first -= 1
            for k in range(first, i + 1):
                item = self[self._keys[k][1]]
                if test(item):
                    return item
            i = first - 1
        return None

    def where(self, key: object, test: Callable) -> ByStart:
        """The items that pass `test`, a test of the item alone that `key` names, kept
        up to date as items are added: a lookup that rarely passes reads only those."""
        view = self._views.setdefault(key, [0, ByStart()])
        for item in self[view[0] :]:
            if test(item):
                view[1].append(item)
        view[0] = len(self)
        return view[1]

    def with_word(self, word: str) -> ByStart:
        """The items whose text has `word` among its space-separated words."""
        for item in self[self._words_read :]:
            for each in dict.fromkeys(item.text.split()):
                self._words.setdefault(each, ByStart()).append(item)
        self._words_read = len(self)
        return self._words.get(word, ByStart())
