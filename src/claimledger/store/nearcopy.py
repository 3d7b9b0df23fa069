"""Syndicated near-copies: the same story with small edits, recognised by MinHash.

Word 4-shingles; 128 permutations; an LSH index finds candidates above the
`near_copy_threshold` setting (0.7 estimated Jaccard by default: wire copies re-edited
with a new headline and a line or two changed stay above it, while two different
stories about the same event share far fewer 4-word shingles).
"""

from __future__ import annotations

import re

import numpy as np
from datasketch import MinHash, MinHashLSH

NUM_PERM = 128
SCHEME = "affine32"  # datasketch 2's default; stored signatures must be read back with it
SHINGLE = 4
_WORD = re.compile(r"\w+", re.UNICODE)


def signature(text: str) -> MinHash:
    words = [w.lower() for w in _WORD.findall(text)]
    grams = {" ".join(words[i : i + SHINGLE]) for i in range(max(1, len(words) - SHINGLE + 1))}
    mh = MinHash(num_perm=NUM_PERM, scheme=SCHEME)
    mh.update_batch([g.encode("utf-8") for g in grams])
    return mh


def to_bytes(mh: MinHash) -> bytes:
    return mh.hashvalues.astype(np.uint64).tobytes()


def from_bytes(blob: bytes) -> MinHash:
    return MinHash(num_perm=NUM_PERM, scheme=SCHEME, hashvalues=np.frombuffer(blob, dtype=np.uint64))


class NearCopyIndex:
    """Candidates among documents already stored, plus those added during this run."""

    def __init__(self, threshold: float):
        self.threshold = threshold
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self._sigs: dict[str, MinHash] = {}

    def add(self, key: str, mh: MinHash) -> None:
        if key not in self._sigs:
            self._lsh.insert(key, mh)
            self._sigs[key] = mh

    def best_match(self, mh: MinHash, exclude: set[str]) -> tuple[str, float] | None:
        best: tuple[str, float] | None = None
        for key in self._lsh.query(mh):
            if key in exclude:
                continue
            similarity = mh.jaccard(self._sigs[key])
            if similarity >= self.threshold and (best is None or similarity > best[1]):
                best = (key, similarity)
        return best
