"""Stance of a claim: asserted, hedged, questioned (the writer's own doubt) or denied.

Denial and hedging come from the cue verb and the claim's own words, distancing from the
outlet's words in the sentence or in the next one when it refers back;
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


_RESPONSIBILITY = re.compile(r"\s+(?:by|responsibility)\b", re.IGNORECASE)


def hedges_in(text: str) -> list[str]:
    """Hedging words; not "claimed by" / "claimed responsibility" (an attack claimed by a group)."""
    return [
        m.group().lower() for m in _pattern("hedges").finditer(text)
        if not (m.group().lower().startswith("claim") and _RESPONSIBILITY.match(text, m.end()))
    ]


def distancing_in(text: str) -> list[str]:
    return [m.group().lower() for m in _pattern("distancing").finditer(text)]


def denied_in(text: str) -> bool:
    return bool(_pattern("denials").search(text))


def doubt_in(text: str) -> bool:
    return bool(_pattern("doubts").search(text))


def distanced(claim_stance: str, hedges: tuple[str, ...], later: str) -> tuple[str, tuple[str, ...]]:
    """A claim's stance and hedges after a later sentence distanced the outlet from it."""
    added = tuple(d for d in distancing_in(later) if d not in hedges)
    return ("hedged" if claim_stance == "asserted" else claim_stance), hedges + added


def distances_before(sentence: str) -> bool:
    """ "The toll could not be independently verified.": a sentence that distances the
    outlet from the claims just before it (it refers back to them and says so)."""
    back, distancing = _pattern("back_references").pattern, _pattern("distancing").pattern
    # "The toll could not be verified.", "We cannot verify the figure."
    return bool(re.search(back + r"\s+" + distancing, sentence, re.IGNORECASE)) or bool(
        re.search(distancing + r"\s+" + back, sentence, re.IGNORECASE)
    )


def stance_of(sentence: str, own: str, cue_stance: str | None, doubted: bool) -> tuple[str, list[str]]:
    """The stance and the hedging words found. Hedges count in the claim's own words
    (cue and content), the outlet's distancing anywhere in the sentence; a denial only in the claim's own words or its
    cue ("71 died, a toll Yerevan denied" denies the toll, not the dying)."""
    hedges = hedges_in(own)
    hedges += [d for d in distancing_in(sentence) if d not in hedges]
    if cue_stance == "denied" or denied_in(own):
        return "denied", hedges
    if doubted:
        return "questioned", hedges
    if cue_stance == "hedged" or hedges:
        return "hedged", hedges
    return "asserted", hedges
