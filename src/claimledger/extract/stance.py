"""Stance of a claim: asserted, hedged, questioned (the writer's own doubt) or denied.

Denial and hedging come from the cue verb and the words of the claim's sentence;
doubt comes from the writer: a doubting line of the writer's own in the sentence, or a
lead-in ("take this with a grain of salt:") before a quoted passage.
"""

from __future__ import annotations

import re
from functools import cache

from . import lexicon


@cache
def _pattern(key: str) -> re.Pattern:
    words = sorted(lexicon.phrase_set("stance", key), key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.IGNORECASE)


def hedges_in(text: str) -> list[str]:
    return [m.group().lower() for m in _pattern("hedges").finditer(text)]


def denied_in(text: str) -> bool:
    return bool(_pattern("denials").search(text))


def doubt_in(text: str) -> bool:
    return bool(_pattern("doubts").search(text))


def stance_of(sentence: str, content: str, cue_stance: str | None, doubted: bool) -> tuple[str, list[str]]:
    """The stance and the hedging words found. Hedges count anywhere in the sentence
    ("..., the ministry said, though this could not be verified"); a denial only in the
    claim's own words or its cue ("71 died, a toll Yerevan denied" denies the toll, not
    the dying)."""
    hedges = hedges_in(sentence)
    if cue_stance == "denied" or denied_in(content):
        return "denied", hedges
    if doubted:
        return "questioned", hedges
    if cue_stance == "hedged" or hedges:
        return "hedged", hedges
    return "asserted", hedges
