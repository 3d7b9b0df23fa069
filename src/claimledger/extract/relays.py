"""Relays across a document: how an outlet's carrying of another's report reaches the
claims the document does not attribute sentence by sentence.

- "..., Reuters reported, BTA reported": one chain, the later outlet the nearer hop.
- "Source: Yonhap" (a label line, as some outlets print under the lead) and a lead that
  only outlets report one after the other ("..., Reuters reported, BTA reported": wire
  copy) make the outlets the first hops of every claim after them, and the source of the
  writer's own claims.
- The document's own outlet is not a hop ("..., Censor.NET reports" in Censor.NET).

Pure: attributions, claims and the document's text in, the same records out.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..models import Claim, Hop
from . import lexicon
from .attribution import Attribution
from .mentions import proper_name

# "Source: Yonhap, a major South Korean news agency", "Sources: Reuters, citing ...".
_SOURCE_LINE = re.compile(r"^[ \t]*Sources?:[ \t]*(\S[^\n]*)$", re.MULTILINE)
_BACKGROUND = re.compile(r"^[ \t]*(?:Background|Context|Reminder|Previously|Read also|Related)\s*:", re.MULTILINE | re.IGNORECASE)
_INTERVIEW = re.compile(r"^(.+?)\s+in\s+(?:an?\s+)?(?:interview|conversation|comments?)\s+(?:with|to)\s+(.+)$", re.IGNORECASE)
_CITING = re.compile(r"^(.+?),?\s+(?:citing|quoting|with reference to|referring to)\s+(.+)$", re.IGNORECASE)
_DESCRIBED = re.compile(r",\s+(?:a|an|the)\s+.*$")
_REPORTED = {"reported", "reports", "said", "says"}
_LEAD_LINES = 3  # lines of text before a lead's claim: a dateline, a headline, a standfirst


def _key(name: str) -> str:
    return re.sub(r"[^\w]+", " ", proper_name(name).lower()).strip().removeprefix("the ")


def is_outlet(hop: Hop) -> bool:
    return hop.kind == "outlet" or _key(hop.name) in lexicon.media_names()


def merge_outlet_echoes(records: list[Attribution]) -> list[Attribution]:
    """ "..., Reuters reported, BTA reported": outlets reporting the same words one after
    the other are one chain, the last named the nearest hop."""
    groups: dict[tuple[int, int], list[Attribution]] = {}
    for record in records:
        groups.setdefault((record.content_start, record.content_end), []).append(record)
    merged = []
    for record in records:
        group = groups[(record.content_start, record.content_end)]
        single = all(len(r.chains) == 1 and len(r.chains[0]) == 1 and r.chains[0][0].source.kind == "outlet" for r in group)
        if len(group) < 2 or not single:
            merged.append(record)
        elif record is group[0]:
            links = sorted((r.chains[0][0] for r in group), key=lambda link: -link.cue_start)
            merged.append(replace(record, chains=(tuple(links),)))
    return merged


def _hop(name: str, start: int, kind: str | None = None, text: str = "") -> Hop:
    name = name.strip().rstrip(".")
    key = _key(name)
    kind = kind or ("outlet" if key in lexicon.media_names() else "organization")
    known = proper_name(name)
    if kind == "person" and " " not in known:  # "Source: Budanov ...": as the text names him in full
        known = _full_name(known, text)
    return Hop(name=known, kind=kind, cue="source", start=start, end=start + len(name))


def _full_name(surname: str, text: str) -> str:
    """ "Kyrylo Budanov" for "Budanov", when the text names him with a given name."""
    for match in re.finditer(r"\b([A-Z][\w’'-]+)\s+" + re.escape(surname) + r"\b", text):
        fuller = proper_name(match.group(0))
        if len(fuller.split()) == 2 and match.group(1).lower() not in lexicon.phrase_set("attribution", "name_titles"):
            return fuller
    return surname


def _platform_free(name: str) -> str:
    platforms = "|".join(re.escape(p) for p in sorted(lexicon.phrase_set("attribution", "platforms"), key=len, reverse=True))
    return re.sub(rf"\s+(?:on|via)\s+(?:{platforms})\b.*$", "", name, flags=re.IGNORECASE)


def source_line(text: str) -> tuple[tuple[Hop, ...], int, int] | None:
    """The chain a "Source:" line names, and the stretch of the document it covers (up to
    a "Background:" section): "Budanov in an interview with The War Zone" is
    (The War Zone, Budanov)."""
    match = _SOURCE_LINE.search(text)
    if match is None:
        return None
    body, at = match.group(1).strip(), match.start(1)
    body = _platform_free(_DESCRIBED.sub("", body))
    if interview := _INTERVIEW.match(body):
        person, outlet = interview.group(1), _DESCRIBED.sub("", interview.group(2))
        chain = (_hop(outlet, at + interview.start(2), "outlet"), _hop(person, at + interview.start(1), "person", text))
    elif citing := _CITING.match(body):
        chain = (_hop(citing.group(1), at), _hop(citing.group(2), at + citing.start(2)))
    else:
        chain = (_hop(body.split(";")[0], at),)
    if not chain[0].name:
        return None
    stop = _BACKGROUND.search(text, match.end())
    return chain, 0, stop.start() if stop else len(text)


def _outlet_part(chain: tuple[Hop, ...]) -> tuple[Hop, ...]:
    n = 0
    while n < len(chain) and is_outlet(chain[n]):
        n += 1
    return chain[:n]


def _prefixed(chain: tuple[Hop, ...], relay: tuple[Hop, ...]) -> tuple[Hop, ...]:
    if not relay:
        return chain
    keys = [_key(h.name) for h in chain]
    if keys[: len(relay)] == [_key(h.name) for h in relay]:
        return chain
    if chain and _key(relay[-1].name) == keys[0]:
        return relay[:-1] + chain  # the relay's own origin speaking again
    return relay + chain


def wire_lead(claims: list[Claim], text: str) -> tuple[tuple[Hop, ...], int] | None:
    """A lead whose claims come only through outlets ("..., Reuters reported, BTA
    reported"): the chain and where it starts applying. The lead is the first attributed
    claim, within the first lines of the document (a dateline, a headline, the lead)."""
    first = min((c for c in claims if c.chains), key=lambda c: c.start, default=None)
    if first is None or len(first.chains) != 1 or len(first.chains[0]) < 2:
        return None
    if not all(is_outlet(h) and h.cue.lower() in _REPORTED for h in first.chains[0]):
        return None  # "Yonhap, relaying RBC Ukraine, ...": a chain to an origin, not wire copy
    lines = [line for line in text[: first.start].split("\n") if line.strip()]
    return (first.chains[0], first.start) if len(lines) <= _LEAD_LINES else None


def apply(claims: list[Claim], text: str, own_outlet: str | None) -> list[Claim]:
    """The document's relays applied to its claims (see the module's doc)."""
    own = _key(own_outlet) if own_outlet else None
    if own:  # "..., Censor.NET reports" in Censor.NET: the writer's own words
        claims = [replace(c, chains=tuple(ch for ch in (tuple(h for h in chain if _key(h.name) != own) for chain in c.chains) if ch))
                  for c in claims]
    scopes: list[tuple[tuple[Hop, ...], int, int]] = []
    if (line := source_line(text)) is not None:
        scopes.append(line)
    elif (lead := wire_lead(claims, text)) is not None:
        scopes.append((lead[0], lead[1], len(text)))
    result = []
    for claim in claims:
        chains = claim.chains
        for chain, start, end in scopes:
            if start <= claim.start < end:
                relay = _outlet_part(chain)
                chains = tuple(_prefixed(c, relay) for c in chains) if chains else (chain,)
        result.append(replace(claim, chains=chains) if chains != claim.chains else claim)
    return result
