"""Cheap first pass: paragraphs and sentences with character offsets, and which sentences
are worth a full parse (those with a cue word, a number or a quotation mark).

Parsing only those sentences is what keeps extraction no slower than running the spaCy
pipeline over whole documents.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import cache

from . import lexicon


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    paragraph: int
    text: str


_NUMBER_WORDS = (
    "two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozen|dozens|"
    "hundred|hundreds|thousand|thousands|million|millions|score|scores|several|"
    "fifteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
)


# A sentence ends at . ! or ? (with any closing quotes, brackets or Markdown emphasis)
# before white space and a capital, a digit or an opening quote. Abbreviations are mended
# afterwards.
_BOUNDARY = re.compile(r"[.!?][\"”’')\]*_]*(\s+)(?=[\"“‘'(\[*_]*[A-Z0-9])")


def _forms(lemma: str) -> set[str]:
    """Regular inflections of a verb: say -> says, sayed, saying (irregulars are data)."""
    stem = lemma.removesuffix("e")
    forms = {lemma, lemma + "s", stem + "ed", stem + "ing"}
    if lemma.endswith("y"):
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    if lemma.endswith(("sh", "ch", "s", "x")):
        forms.add(lemma + "es")
    return forms


@cache
def _interesting() -> re.Pattern:
    cues = lexicon.load("attribution")
    words = set(cues["speech_verbs"]) | set(cues["citing_verbs"]) | {"put", "place"}
    forms = set(cues["irregular_forms"]) | set(cues["sourcing_words"])
    for word in words:
        forms |= _forms(word)
    pattern = (
        r"[\"“”«»]|\d|\b(?:" + "|".join(map(re.escape, sorted(forms, key=len, reverse=True))) + r")\b|"
        r"\baccording to\b|\b(?:" + _NUMBER_WORDS + r")\b"
    )
    return re.compile(pattern, re.IGNORECASE)


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Character ranges of the paragraphs (blank-line or line-break separated)."""
    spans, start = [], 0
    for match in re.finditer(r"\n+", text):
        if text[start : match.start()].strip():
            spans.append((start, match.start()))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def sentences(text: str) -> list[Sentence]:
    """Sentences, never crossing a paragraph, with offsets into `text`."""
    result: list[Sentence] = []
    for number, (p_start, p_end) in enumerate(paragraphs(text)):
        cuts = [p_start] + [m.start(1) for m in _BOUNDARY.finditer(text, p_start, p_end)] + [p_end]
        for a, b in itertools.pairwise(cuts):
            chunk = text[a:b]
            stripped = chunk.strip()
            if not stripped:
                continue
            start = a + len(chunk) - len(chunk.lstrip())
            end = start + len(stripped)
            # A closing quotation mark alone, a split after "Maj." or "Nov.", or a short
            # attribution after a quotation ('"... missing." Trump said.') belongs to the
            # previous sentence.
            if result and result[-1].paragraph == number and (
                (len(stripped) <= 2 and not stripped.isalnum())
                or _ends_with_abbreviation(result[-1].text)
                or (result[-1].text[-1] in "\"”’'" and len(stripped.split()) <= 8 and _interesting().search(stripped))
            ):
                prev = result[-1]
                result[-1] = Sentence(prev.start, end, number, text[prev.start : end])
                continue
            result.append(Sentence(start, end, number, text[start:end]))
    return result


_INITIALS = re.compile(r"(?:^|\s)(?:[A-Za-z]\.){1,3}$")  # "U.S.", "J." (a split there is rarer)


def _ends_with_abbreviation(sentence: str) -> bool:
    last = sentence.rsplit(None, 1)[-1].lower().lstrip("(\"“")
    return last in lexicon.phrase_set("attribution", "abbreviations") or bool(_INITIALS.search(sentence))


def worth_parsing(sentence: Sentence) -> bool:
    return bool(_interesting().search(sentence.text))


_FUNCTION_WORDS = {"a", "an", "the", "and", "or", "of", "in", "on", "at", "to", "for", "from", "by", "with",
                   "after", "as", "amid", "near", "over", "into", "says", "say", "said", "claim", "claims",
                   "out", "up", "down", "off", "under", "life", "lives", "military", "operation", "army",
                   "wipes", "wipe", "than", "more", "least", "about", "nearly", "almost", "some",
                   *_NUMBER_WORDS.split("|"), "one", "eleven", "twelve"}


@cache
def _common_words() -> frozenset[str]:
    """Words a headline capitalizes that are not names: event words, what is counted,
    cue verbs and their forms."""
    events = lexicon.load("events")
    words = {str(w).lower() for ws in events["words"].values() for w in ws}
    words |= {str(w).lower() for key in ("people", "things", "military_people") for w in events[key]}
    verbs = set(lexicon.load("attribution")["speech_verbs"])
    words |= {form for verb in verbs for form in _forms(verb)} | set(lexicon.load("attribution")["irregular_forms"])
    forms = {form for word in list(words) for form in _forms(word)}
    return frozenset(words | forms | _FUNCTION_WORDS)


def sentence_case(text: str) -> str:
    """A Title Case headline ("Russia Wipes Out 60 Ukrainian Troops") as a sentence, for
    the parser: the capitals of common words dropped, names kept; the length is kept, so
    offsets hold. Other text is returned as it is."""
    words = re.findall(r"[A-Za-z][\w'’-]*", text)
    long = [w for w in words if len(w) > 3]
    if len(long) < 3 or sum(w[0].isupper() for w in long) < 0.8 * len(long):
        return text
    common = _common_words()
    return re.sub(
        r"(?<![\w'’-])[A-Z][a-z][\w'’-]*",
        lambda m: m.group().lower() if m.start() > 0 and m.group().lower() in common else m.group(),
        text,
    )
