"""What a claim is about, as a key that groups claims: the event, whose people (a
country), what kind of people or things, and whether it is one incident or a total."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from ..extract import lexicon
from ..models import Claim

_WORD = re.compile(r"[A-Za-z][\w'’-]*")


@dataclass(frozen=True)
class Topic:
    event: str | None
    country: str | None  # whose people are counted (ISO code), from the subject's words
    klass: str | None  # troops, workers, civilians, weapons
    incident: bool  # one strike or attack, not a running total
    names: frozenset[str]  # capitalised words that may name the incident ("Storm Shadow")


@cache
def _place_words() -> dict[str, str]:
    """Place words of the registry's lexicon ("North Korean" -> KP)."""
    path = resources.files("claimledger") / "data" / "registry.yaml"
    places = yaml.safe_load(path.read_text(encoding="utf-8"))["lexicon"]["places"]
    peoples = lexicon.load("assess")["peoples"]
    return {word: code for table in (places, peoples) for code, words in table.items() for word in words}


@cache
def _place_tokens() -> frozenset[str]:
    return frozenset(w.lower() for word in _place_words() for w in _WORD.findall(word))


@cache
def _places() -> list[tuple[re.Pattern, str]]:
    pairs = list(_place_words().items())
    pairs.sort(key=lambda p: len(p[0]), reverse=True)  # "North Korean" before "Korean"
    return [(re.compile(rf"\b{re.escape(word)}(?:['’]s)?\b"), code) for word, code in pairs]


@cache
def _classes() -> dict[str, str]:
    return {word: klass for klass, words in lexicon.load("assess")["classes"].items() for word in words}


@cache
def _incident() -> re.Pattern:
    words = sorted(lexicon.load("assess")["incident_words"], key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")s?\b", re.IGNORECASE)


def country_of(text: str | None, near: int | None = None) -> str | None:
    """The country whose people a phrase names ("North Korean soldiers" -> KP); with
    `near`, the place word closest to that offset ("three North Koreans wounded, and on
    the Russian side 18 dead": 18 is Russian)."""
    if not text:
        return None
    best: tuple[int, str] | None = None
    for pattern, code in _places():
        for match in pattern.finditer(text):
            if near is None:
                return code
            distance = min(abs(match.start() - near), abs(match.end() - near))
            if best is None or distance < best[0]:
                best = (distance, code)
    return best[1] if best else None


def class_of(text: str | None) -> str | None:
    if not text:
        return None
    classes = _classes()
    for word in reversed(_WORD.findall(text.lower())):
        singular = word[:-1] if word.endswith("s") and word[:-1] in classes else word
        if singular in classes:
            return classes[singular]
    return None


def _names(sentence: str, exclude: set[str]) -> frozenset[str]:
    stop = set(lexicon.load("assess")["not_incident_names"])
    words = set()
    for match in _WORD.finditer(sentence):
        word = match.group()
        if match.start() > 0 and word[0].isupper() and word.lower() not in stop and word.lower() not in exclude:
            words.add(word.lower().strip("'’"))
    return frozenset(words)


def topic_of(claim: Claim) -> Topic:
    sentence = claim.sentence
    source_words = {w.lower() for chain in claim.chains for hop in chain for w in _WORD.findall(hop.name)}
    place_words = _place_tokens()
    near = claim.text.find(claim.quantity.text) if claim.quantity else -1
    country = country_of(claim.subject) or country_of(claim.text, near if near >= 0 else None)
    klass = class_of(claim.subject) or class_of(claim.text)
    incident = bool(_incident().search(sentence))
    names = _names(sentence, source_words | place_words) if incident else frozenset()
    event = claim.event
    if claim.kind == "statement" and event is None and klass == "troops":
        event = "deployed"
    return Topic(event, country, klass, incident, names)
