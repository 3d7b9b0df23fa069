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


_NOT_A_CLAIM = re.compile(r"\s+(?:by|responsibility|(?:the\s+|\w+\s+)?lives?)\b", re.IGNORECASE)
# "nearly 39,000 submitted property loss claims": claims filed, not claims made.
_A_CLAIM_FILED = re.compile(r"\b(?:loss|insurance|compensation|property|damage|damages|pension|asylum|land|war)\s+$", re.IGNORECASE)
_NEGATION = re.compile(r"(?:\bnot|\bnever|n't|\bno longer)\s+(?:\w+\s+)?$", re.IGNORECASE)


def _negated(text: str, start: int) -> bool:
    """ "has not denied", "did not dismiss": the word is negated."""
    return bool(_NEGATION.search(text[max(0, start - 25) : start]))


def hedges_in(text: str) -> list[str]:
    """Hedging words; not "claimed by", "claimed responsibility", "claim civilian lives"
    (an attack claimed by a group, a strike that killed)."""
    return [
        m.group().lower() for m in _pattern("hedges").finditer(text)
        if not (m.group().lower().startswith("claim") and _NOT_A_CLAIM.match(text, m.end()))
        and not (m.group().lower() in {"claim", "claims"} and _A_CLAIM_FILED.search(text[: m.start()]))
    ]


def distancing_in(text: str) -> list[str]:
    return [m.group().lower() for m in _pattern("distancing").finditer(text)]


def denied_in(text: str) -> bool:
    """A denial word not itself negated ("has not denied" is no denial), or a negated
    act ("did not lose any jet", "has not sent troops", "no known casualties")."""
    if any(not _negated(text, m.start()) for m in _pattern("denials").finditer(text)):
        return True
    return bool(_pattern("negated_acts").search(text))


def negated(text: str, start: int) -> bool:
    """ "has not denied", "did not dismiss": the word at `start` is negated."""
    return _negated(text, start)


# What sets a figure against the one before it: ", not", ", and not", "rather than", "instead of".
CONTRAST = r"(?:,\s*(?:and\s+|but\s+)?not|\brather than|\binstead of)"
_SET_ASIDE = re.compile(CONTRAST + r"\s+(?:the\s+)?(?:some|about|around|nearly|almost|over|more than)?\s*$",
                        re.IGNORECASE)


def set_aside(text: str, start: int) -> bool:
    """ "the dead were 1,200 soldiers, not 2,000 civilians", "900 rather than the 3,500
    claimed": the number at `start` is one the source sets against its own (denies)."""
    return bool(_SET_ASIDE.search(text[max(0, start - 40) : start]))


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


def stance_of(sentence: str, own: str, cue_stance: str | None, doubted: bool,
              content: str | None = None) -> tuple[str, list[str]]:
    """The stance and the hedging words found. Hedges count in the claim's own words
    (cue and content), the outlet's distancing anywhere in the sentence; a denial only in
    the claim's `content` (its own words without the cue, whose stance `cue_stance` gives:
    "has not denied" is none) or its cue ("71 died, a toll Yerevan denied" denies the
    toll, not the dying)."""
    hedges = hedges_in(own)
    hedges += [d for d in distancing_in(sentence) if d not in hedges]
    if cue_stance == "denied" or denied_in(own if content is None else content):
        return "denied", hedges
    if doubted:
        return "questioned", hedges
    if cue_stance == "hedged" or hedges:
        return "hedged", hedges
    return "asserted", hedges
