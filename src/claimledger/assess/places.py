"""Where a figure's events happen: place names found in text, resolved against the
gazetteer (`data/gazetteer.yaml`), and whether two sets of places can be the same place
("Kursk Oblast" and "Russia" can; "Sumy" and "Kryvyi Rih" cannot)."""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from importlib import resources

import yaml

_TOKEN = re.compile(r"[^\W_]+")
_POSSESSIVE = re.compile(r"['’]s?\b")
_LOCATIVE = re.compile(r"\b(?:in|on|at|across|inside|into|to|near|over|throughout|within|"
                       r"of the people of|attacked|struck|hit|bombed|shelled|targeted|invaded|"
                       r"raided|pounded|(?:areas?|parts?|regions?|cities|towns|villages|provinces?|districts?)\s+of)"
                       r"\s+(?:the\s+)?$", re.IGNORECASE)
_VENUE = re.compile(r"\b(?:conference|briefing|reporters|journalists|speaking|summit|meeting|interview|"
                    r"address|visit)\s+(?:in|at)\s+(?:the\s+)?$", re.IGNORECASE)
_WAR_IN = re.compile(r"\b(?:war|wars|conflict)\s+(?:in|on|against|with)\s+(?:the\s+)?$", re.IGNORECASE)
_OWNED_BY = re.compile(r"\b[A-Z][\w-]*\s+of\s+(?:the\s+)?$")  # "Defence Intelligence of Ukraine"
_SPEAKS = re.compile(r"\s+(?:said|says|claimed|claims|denied|denies|reported|announced|accused|insisted|"
                     r"has said|has claimed|has denied|has not|did not|does not)\b")


@lru_cache(maxsize=65536)
def _fold(token: str) -> str:
    token = unicodedata.normalize("NFKD", token)
    token = "".join(c for c in token if not unicodedata.combining(c)).lower()
    return "al" if token == "el" else token


class Gazetteer:
    """Place names (token tuples, folded) -> place id; each place's ancestors."""

    def __init__(self, data: dict):
        self.names: dict[tuple[str, ...], str] = {}
        parents: dict[str, tuple[str, ...]] = {}
        self.countries = frozenset(data["countries"])
        self.actors = set(self.countries)  # places that are as often actors
        for code, names in data["countries"].items():
            parents[code] = ()
            for name in names:
                self.names[self.key(name)] = code
        for place in data["places"]:
            within = place.get("in") or ()
            parents[place["id"]] = (within,) if isinstance(within, str) else tuple(within)
            if place.get("seat"):
                self.actors.add(place["id"])
            for name in place["names"]:
                self.names[self.key(name)] = place["id"]
        self.first: dict[str, int] = {}  # first token of a name -> the most tokens of a name it starts
        for key in self.names:
            self.first[key[0]] = max(self.first.get(key[0], 0), len(key))
        self.ancestors: dict[str, frozenset[str]] = {}
        for place, above in parents.items():
            seen, queue = {place}, list(above)
            while queue:
                up = queue.pop()
                if up not in seen:
                    seen.add(up)
                    queue.extend(parents.get(up, ()))
            self.ancestors[place] = frozenset(seen)
        self.find = lru_cache(maxsize=262144)(self._find)

    @staticmethod
    def key(name: str) -> tuple[str, ...]:
        return tuple(_fold(t) for t in _TOKEN.findall(name))

    def _find(self, text: str, wars: bool = True) -> tuple[str, ...]:
        """The places named in `text`, in order, longest names first. A match must hold
        a capital letter ("for the sake of" names no place); a possessive or a name's
        "of" names an owner, not a place ("Ukraine's General Staff", "Defence Intelligence
        of Ukraine"; "Russia's Kursk region" is Kursk); a place that speaks is its
        government ("Moscow said"); a country or a seat of government is a place only
        after a preposition of place or as what is attacked ("strikes on Iran", "sent
        to Russia", "attacked Pakistan"), else it is an actor ("India attacked",
        "Pyongyang sent"); where a speaker spoke is no place of the event ("briefed reporters
        in the capital"). Without `wars`, a war named by its place is no place either ("sent
        to serve in the war in X": where they are sent, not where they are)."""
        matches = list(_TOKEN.finditer(text))
        folded = [_fold(m.group()) for m in matches]
        found: list[str] = []
        i = 0
        while i < len(matches):
            longest = self.first.get(folded[i], 0)  # no name starts here: next token
            for n in range(min(longest, len(matches) - i), 0, -1):
                place = self.names.get(tuple(folded[i:i + n]))
                if place is None or not any(c.isupper() for m in matches[i:i + n] for c in m.group()):
                    continue
                rest, before = text[matches[i + n - 1].end():], text[:matches[i].start()]
                owner = _POSSESSIVE.match(rest) or _OWNED_BY.search(before)
                agent = place in self.actors and not _LOCATIVE.search(before)
                war = not wars and _WAR_IN.search(before)
                if not (owner or agent or war or _SPEAKS.match(rest) or _VENUE.search(before)) and place not in found:
                    found.append(place)
                i += n
                break
            else:
                i += 1
        return tuple(found)

    def compatible(self, a: frozenset[str], b: frozenset[str]) -> bool:
        """Whether places `a` and `b` can be where the same thing happened: unknown on
        either side, or one place lies in (or is) the other."""
        if not a or not b:
            return True
        return any(x in self.ancestors[y] or y in self.ancestors[x] for x in a for y in b)

    def same(self, a: frozenset[str], b: frozenset[str], below_country: bool = False) -> bool:
        """Positive evidence of one place: a shared place (below country level, with
        `below_country`), or the same country where neither says more."""
        if not a or not b:
            return False
        for x in a:
            for y in b:
                if x in self.ancestors[y] or y in self.ancestors[x]:
                    shared = self.ancestors[x] & self.ancestors[y]
                    if shared - self.countries or (x == y and not below_country):
                        return True
        return False

    def narrowest(self, places: frozenset[str]) -> frozenset[str]:
        """Drop places that another of the set lies in ("Kursk" and "Russia" -> Kursk)."""
        return frozenset(p for p in places if not any(p != q and p in self.ancestors[q] for q in places))


@cache
def gazetteer() -> Gazetteer:
    path = resources.files("claimledger") / "data" / "gazetteer.yaml"
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return Gazetteer(yaml.load(path.read_text(encoding="utf-8"), Loader=loader))
