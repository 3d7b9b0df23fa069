"""Quantities in plain text: numbers with their bound, kind and unit.

A pure, fast first pass (regular expressions over the lexicon in
`data/lexicons/quantities.yaml`, no spaCy), so it can run over every sentence of a corpus.
`find_quantities(text)` returns one `QuantityMention` per expression, with character
offsets that cover the bound words ("more than 11,000", "between 10 and 12").

How the fields are filled, by bound:
- exact: `low` = `high` = `value`.
- approx ("about 300"): `value` set, `low`/`high` None (the spread is unknown).
- lower ("more than 300", "300-plus"): `low` = `value`, `high` None; upper the mirror.
- range ("between 10,000 and 12,000", "10 to 12 thousand", "from X to Y"): `low`/`high`
  the ends in increasing order, `value` their midpoint.
- vague ("dozens", "tens of thousands", "several hundred"): `low`/`high` from the lexicon,
  `value` their geometric mean (the spans cover an order of magnitude).

`kind` lets callers keep casualty figures apart from everything else: count, year, date,
time, age, ordinal, money, percent, measure, duration, and fraction ("half of",
"two-thirds of", "3/4 of"; `value` is the proportion, 0.5). A date's value is its day,
a time's the hour after midnight (15.5 for "3:30 p.m.").
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from dataclasses import dataclass
from importlib import resources

import yaml

from claimledger.models import Quantity

KINDS = ("count", "year", "date", "time", "age", "ordinal", "money", "percent", "measure",
         "duration", "fraction")
NOT_FIGURES = frozenset({"year", "date", "time", "ordinal"})  # never an amount of anything


@dataclass(frozen=True)
class QuantityMention:
    start: int
    end: int
    text: str
    value: float | None
    low: float | None
    high: float | None
    approx: bool
    bound: str  # exact, approx, lower, upper, range, vague
    kind: str  # one of KINDS
    unit: str | None = None

    def to_quantity(self) -> Quantity:
        return Quantity(value=self.value, low=self.low, high=self.high, approx=self.approx,
                        text=self.text, bound=self.bound)


@functools.cache
def load_lexicon() -> dict:
    """The parsed `data/lexicons/quantities.yaml`, read once."""
    path = resources.files("claimledger") / "data" / "lexicons" / "quantities.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@dataclass
class _Atom:
    """A mention while it is being built."""

    start: int
    end: int
    value: float
    kind: str = "count"  # "" marks a name or code to drop
    unit: str | None = None
    bound: str = "exact"
    approx: bool = False
    low: float | None = None
    high: float | None = None
    scale: float = 1.0  # the scale word or abbreviation applied ("million")
    plain: bool = False  # a bare integer: no unit, currency, scale or bound
    nstart: int = 0  # where the number itself starts


def _trie(words) -> str:
    """A regex for any of `words` (longest first), factored by prefix so that a miss fails
    at once: the candidate scan runs over every character of a corpus. A space in a word
    also matches a hyphen ("per cent", "per-cent")."""
    by_first: dict[str, list[str]] = {}
    for w in {str(w) for w in words}:
        by_first.setdefault(w[:1], []).append(w[1:])
    parts = []
    for first, rests in sorted(by_first.items()):
        if not first:
            continue
        head = r"[\s-]+" if first == " " else re.escape(first)
        inner = _trie(rests)
        parts.append(head + ("(?:" + inner + ")" + ("?" if "" in rests else "") if inner else ""))
    return "|".join(parts)


_OF = re.compile(r"\s+of\b")
_OF_SPACE = re.compile(r"\s+of(?=\s)")
_OF_OR_THE = re.compile(r"\s+(?:of|the)\b")
_AND_A_HALF = re.compile(r"(?i:\s+and\s+a\s+half)\b")
_WORD_SEP = re.compile(r"(?:\s+and\s+|[\s-]+)(?=[A-Za-z])")
_ARTICLE = re.compile(r"\b[Aa]n?\s+$")
_POSSESSIVE = re.compile(r"['’]s\s+$")
_ORDINAL_SUFFIX = re.compile(r"(?:st|nd|rd|th)(?![A-Za-z])")
_END_OF_PHRASE = re.compile(r"\s*(?:[.,;:)!?]|$)")
_SPACE_LETTER = re.compile(r"\s+[A-Za-z]")
_THE_BEFORE = re.compile(r"\bthe\s+$")
_MINUS = re.compile(r"(?i:\bminus)(?:-|\s+)$")
_WORD_BEFORE = re.compile(r"([A-Za-z]+)$")
_SIGN_CONTEXT = re.compile(r"(?:^|[\s($])$")
_DIGIT_BEFORE = re.compile(r"\d\s*$")
_CAPITAL_WORD_BEFORE = re.compile(r"[A-Z]\w*\s+$")
_MID = re.compile(r"(?i:\bmid-)$")
_TOKEN = re.compile(r"[\w.,]*(?:[-:/.]\w+)*")
_OPENER = re.compile(r"(?i:\b(between|from))\s+$")
_TIGHT = re.compile(r"\s*[-–—]\s*")
_BETWEEN_GAP = re.compile(r"\s*(?:and|to|[-–—])\s*")
_FROM_GAP_END = re.compile(r"\bto[\s-]*$")
_TO_GAP = re.compile(r"\s*(?:to|through|thru)[\s-]*")
_OR_GAP = re.compile(r"\s+or\s+")
_CONVERSION_GAP = re.compile(r"\s*[(/]\s*")
_SPACES = re.compile(r"\s+")
_SEPARATORS = re.compile(r"[\s-]+")
_NEXT_WORD = re.compile(r"\s+([A-Za-z](?:[A-Za-z'’]|-(?=[A-Za-z]))*)")
_WORD = re.compile(r"[A-Za-z]+")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\n][\"'”’)]*\s+|[\"“‘(\[]\s*)$")
_PLACEHOLDER = re.compile(r"<<(\w+)>>")


def _key(phrase: str) -> str:
    """A lexicon phrase as matched text is looked up: "- or more", " or more" -> "or more"."""
    return _SEPARATORS.sub(" ", phrase.lower()).strip()


class _Rules:
    """The word tables and the compiled `patterns` of the lexicon, built once."""

    def __init__(self, lex: dict):
        self.units, self.tens, self.scales = lex["units"], lex["tens"], lex["scales"]
        self.ordinals, self.fractions = lex["ordinals"], lex["fractions"]
        self.vague = lex["vague_plurals"]
        self.modifiers = {_key(m): v for m, v in lex["vague_modifiers"].items()}
        self.vague_need_of = frozenset(lex["vague_need_of"])
        self.abbr_always = lex["scale_abbreviations"]["always"]
        self.abbr_money = lex["scale_abbreviations"]["with_currency"]
        self.function_words, self.labels, self.counted, self.change, self.year_cues, self.months = (
            frozenset(lex[k]) for k in ("function_words", "label_words", "counted_nouns",
                                        "change_words", "year_cues", "months"))
        self.weak_labels = frozenset(lex["weak_label_words"])
        self.hyphen_bounds = lex["hyphen_bounds"]
        self.year_range, self.year_default = lex["year_range"], lex["plausible_year_default"]
        b, a = lex["bounds_before"], lex["bounds_after"]
        self.bound_kind = {_key(p): k for k, ps in b.items() for p in ps}
        self.bound_last_words = frozenset(p.split()[-1] for p in self.bound_kind)
        self.bound_after_kind = {_key(p): k for k, ps in a.items() for p in ps}
        self.age_last_words = frozenset(c.split()[-1] for c in lex["age_cues_before"])
        self.unit_kind = {u.lower(): "duration" for u in lex["duration"]}
        self.unit_kind.update({u.lower(): "measure" for u in lex["measure"]})
        short = lex["glued_max_length"]  # short symbols may be glued ("60km"), words not
        heads = {w for m in self.modifiers for w in m.split()} - {"a", "of"}
        lists = {k: v for k, v in lex.items() if isinstance(v, (list, dict))}
        lists.update(
            candidate_words={w.lower() for w in [*self.units, *self.tens, *self.scales, *heads,
                                                 *self.ordinals, *self.fractions, *self.vague]},
            bound_phrases=itertools.chain(*b.values()), bound_suffixes=itertools.chain(*a.values()),
            abbreviations=[*self.abbr_always, *self.abbr_money],
            percent_words=set(lex["percent"]) - {"%"},
            short_units=[u for u in lex["duration"] + lex["measure"] if len(u) <= short],
            long_units=[u for u in lex["duration"] + lex["measure"] if len(u) > short],
            fraction_words=[f for f in self.fractions if not f.startswith("hal")],
            number_words=[*self.units, *self.tens],
            one_after_words=[w for w in lex["one_after"] if w[0].isalpha()],
            one_after_glued=[w for w in lex["one_after"] if not w[0].isalpha()])
        for name, template in lex["patterns"].items():
            regex = _PLACEHOLDER.sub(lambda m: _trie(lists[m.group(1)]), template)
            setattr(self, name, re.compile(regex))


@functools.cache
def _rules() -> _Rules:
    return _Rules(load_lexicon())


def find_quantities(text: str) -> list[QuantityMention]:
    """Every quantity expression in `text`, in order of appearance."""
    R = _rules()
    atoms: list[_Atom] = []
    pos = 0
    while m := R.candidate.search(text, pos):
        atom, skip_to = _parse_at(text, m.start(), R)
        if atom is not None and atoms and atom.start < atoms[-1].end:
            atom.start = atom.nstart  # its prefix words belong to the mention before
        if atom is not None and (not atoms or atom.start >= atoms[-1].end):
            atoms.append(atom)
            skip_to = max(skip_to, atom.end)
        pos = max(skip_to, m.end())
    atoms = _inherit_bounds(text, _merge_ranges(text, atoms, R))
    return [_finish(text, a) for a in atoms if a.kind]


_VAGUE_COUNT = ("several", "a few", "a handful of", "a couple of")


def find_vague_counts(text: str, taken: list[QuantityMention] = ()) -> list[QuantityMention]:
    """ "several armoured vehicles", "a few RSF scouts": a vague count before a plural
    noun, outside the mentions already `taken`. Kept apart from `find_quantities`
    because quantity corpora (NewsQuant) do not count these words as quantities."""
    R = _rules()
    words = "|".join(re.escape(w) for w in _VAGUE_COUNT)
    found = []
    for m in re.finditer(rf"(?<![\w-])({words})\s+(?=(?:[\w-]+\s+){{0,2}}[a-z-]+s\b)", text, re.IGNORECASE):
        if any(q.start <= m.start() < q.end or m.start() <= q.start < m.end() for q in taken):
            continue
        if re.match(r"\s*(?:hundred|thousand|million|dozen|score)", text[m.end() :], re.IGNORECASE):
            continue  # "several hundred" is the parser's
        noun = re.match(r"(?:[\w-]+\s+){0,2}?([a-z-]+s)\b", text[m.end() :])
        if noun and (noun.group(1) in R.unit_kind or noun.group(1) in {"times", "ways", "reasons"}):
            continue  # "a few days ago", "several times"
        low, high = R.modifiers[_key(m.group(1))]
        value = float(round(math.sqrt(low * high)))
        found.append(QuantityMention(m.start(1), m.end(1), m.group(1), value, low, high, True, "vague", "count"))
    return found


def _token_end(text: str, i: int) -> int:
    """The end of the code or name at i, through its joined parts: "14-981", "45:1"."""
    return _TOKEN.match(text, i).end()


def _prev_word(text: str, i: int) -> tuple[str, int]:
    """The whitespace-delimited word before i (within 30 characters), and where it starts."""
    end = i
    while end > 0 and text[end - 1].isspace() and i - end < 30:
        end -= 1
    start = end
    while start > 0 and not text[start - 1].isspace() and i - start < 30:
        start -= 1
    return text[start:end], start


def _is_sentence_start(text: str, i: int) -> bool:
    return bool(_SENTENCE_START.search(text, max(0, i - 6), i)) or (i <= 6 and not text[:i].strip())


def _parse_at(text: str, p: int, R: _Rules) -> tuple[_Atom | None, int]:
    """Read one quantity starting at candidate position p; also say where to go on."""
    if text[p].isalpha():
        return _parse_words(text, p, R)
    if p and text[p - 1].isalpha() and not R.currency_before.search(text, max(0, p - 5), p):
        return None, _token_end(text, p)  # part of a code or a name: MH17, A320, 4B2
    if m := R.numeral_date.match(text, p):
        day = m.group()[-2:] if m.group()[4:5] == "-" else m.group().split("/")[1]
        return _Atom(p, m.end(), float(day), kind="date", nstart=p), m.end()
    if m := R.time.match(text, p):
        return _Atom(p, m.end(), _hours(m.group()), kind="time", nstart=p), m.end()
    raw = R.digits.match(text, p).group()
    number = re.sub(r"[,\s]", "", raw)
    value, end, plain = float(number), p + len(raw), raw.isdigit()
    if s := R.scientific.match(text, end):
        value, end, plain = float(f"{number}e{s.group(1).replace('−', '-')}"), s.end(), False
    if f := R.slash.match(text, end):
        if f.group(1) == "⁄" or (not f.group(3) and _OF.match(text, f.end())):
            atom = _Atom(p, f.end(), value / max(float(f.group(2)), 1.0), kind="fraction", nstart=p)
            return _prefix(text, atom, R), f.end()
        return None, f.end()  # 24/7, 9/11, 11/20/2024: dates and names, not amounts
    atom = _prefix(text, _Atom(p, end, value, plain=plain, nstart=p), R)
    if not atom.kind:
        return None, _token_end(text, p)
    return _suffix(text, atom, R, digits=raw)


def _hours(clock: str) -> float:
    """A clock time as hours after midnight: "3 p.m." is 15.0, "10:30" is 10.5."""
    digits = re.findall(r"\d+", clock)
    parts = [int(digits[0][:2]), int(digits[0][2:])] if len(digits[0]) == 4 else [
        int(x) for x in digits[:2]]
    hours = parts[0] % 24 + (parts[1] / 60 if len(parts) > 1 else 0.0)
    if re.search(r"[pP]\.?[mM]", clock) and hours < 12:
        hours += 12
    elif re.search(r"[aA]\.?[mM]", clock) and hours >= 12:
        hours -= 12
    return hours


def _parse_words(text: str, p: int, R: _Rules) -> tuple[_Atom | None, int]:
    word = _WORD.match(text, p)
    w, wend = word.group().lower(), word.end()
    if word.group()[0].isupper() and w not in R.vague and not _is_sentence_start(text, p):
        return None, wend  # a name: "BBC One", "Big Three", "Group of Seven"
    if w in R.vague:
        if w in R.vague_need_of and not _OF.match(text, wend):
            return None, wend  # "he scores", "the tens digit"
        m = R.vague_amount.match(text, p)
        scale = R.scales[m.group(2).lower()[:-1]] if m.group(2) else 1
        return _vague(text, p, m.end(), R.vague[m.group(1).lower()], scale, R)
    if w not in R.units and w not in R.tens and w not in R.scales and w != "half":
        start = p - len(a.group()) if (a := _ARTICLE.search(text, max(0, p - 4), p)) else p
        if m := (R.modifier_scale.match(text, start) or R.modifier_scale.match(text, p)):
            bounds = R.modifiers[_key(m.group(1))]
            return _vague(text, m.start(), m.end(), bounds, R.scales[m.group(2).lower()], R)
        det = R.ordinal_det.search(text, max(0, p - 8), p)
        if w in R.fractions and det and _OF.match(text, wend) and det.group().strip().lower() == "a":
            return _Atom(det.start(), wend, 1 / R.fractions[w], kind="fraction", nstart=p), wend
        if w in R.ordinals and det:
            return _Atom(p, wend, float(R.ordinals[w]), kind="ordinal", nstart=p), wend
        return None, wend
    if w == "half":
        if m := R.half_a.match(text, p):
            atom = _Atom(p, m.end(), 0.5 * R.scales[m.group(1).lower()], nstart=p)
            return _suffix(text, _prefix(text, atom, R), R)
        if _OF_OR_THE.match(text, wend) and not R.ordinal_det.search(text, max(0, p - 8), p):
            return _prefix(text, _Atom(p, wend, 0.5, kind="fraction", nstart=p), R), wend
        return None, wend  # "the first half", "half-time"
    start, value, end = _word_number(text, p, R)
    if value is None:
        return None, wend
    if w == "one" and end == wend and (R.one_before.search(text, max(0, p - 12), p)
                                       or R.one_after.match(text, end)):
        return None, wend  # "one of the", "no one", "the one who": not a count
    if (m := R.fraction_after.match(text, end)) and value < R.fractions[m.group(1).lower()]:
        atom = _Atom(start, m.end(), value / R.fractions[m.group(1).lower()], kind="fraction",
                     nstart=start)
        return _prefix(text, atom, R), m.end()
    atom = _Atom(start, end, value, plain=end == wend and w not in R.scales, nstart=start)
    return _suffix(text, _prefix(text, atom, R), R)


def _vague(text: str, start: int, end: int, bounds, scale: float, R: _Rules):
    atom = _Atom(start, end, 0.0, bound="vague", approx=True, low=bounds[0] * scale,
                 high=bounds[1] * scale, nstart=start)
    return _suffix(text, _prefix(text, atom, R), R, vague=True)


def _word_number(text: str, p: int, R: _Rules) -> tuple[int, float | None, int]:
    """Read "twenty-five", "three hundred", "a dozen", "one and a half million"."""
    first, start = _WORD.match(text, p).group().lower(), p
    if first in R.scales and (a := _ARTICLE.search(text, max(0, p - 4), p)):
        start = p - len(a.group())
    elif first in R.scales and (first != "dozen" or _POSSESSIVE.search(text, max(0, p - 4), p)):
        return p, None, p  # a bare "thousand" counts nothing; "the devil's dozen" is a name
    total = current = 0.0
    last, end, pos = "", p, p
    while m := _WORD.match(text, pos):
        w = m.group().lower()
        if w in R.units and last not in ("unit", "teen") and not (last == "ten" and R.units[w] >= 10):
            current += R.units[w]
            last = "teen" if R.units[w] >= 10 else "unit"
        elif w in R.tens and last in ("", "scale", "hundred"):
            current, last = current + R.tens[w], "ten"
        elif w in ("hundred", "dozen") and last in ("", "unit", "ten", "teen"):
            current, last = (current or 1) * R.scales[w], "hundred"
        elif w in R.scales and w not in ("hundred", "dozen") and last != "scale":
            total, current, last = total + (current or 1) * R.scales[w], 0.0, "scale"
        else:
            break
        end = m.end()
        if h := _AND_A_HALF.match(text, end):
            current, end = current + 0.5, h.end()
        if not (sep := _WORD_SEP.match(text, end)):
            break
        pos = sep.end()
    return start, (total + current) if last else None, end


def _prefix(text: str, atom: _Atom, R: _Rules) -> _Atom:
    """Currency, sign and bound words before the number."""
    s = atom.start
    if s >= 2 and text[s - 1] in "-−" and not R.currency_before.search(text, max(0, s - 5), s):
        lo = max(0, s - 40)
        if m := _MINUS.search(text, lo, s):
            atom.value, s = -atom.value, m.start()
        elif m := _WORD_BEFORE.search(text, lo, s - 1):
            word = m.group(1)
            if word.lower() in R.hyphen_bounds:  # "sub-5 km"
                atom.bound, atom.plain, s = R.hyphen_bounds[word.lower()], False, m.start()
            elif any(ch.isupper() for ch in word) or word.lower() in R.labels:
                atom.kind = ""  # a model or a name: F-16, COVID-19, TA-35
        elif _SIGN_CONTEXT.search(text, lo, s - 1) and not _DIGIT_BEFORE.search(text, lo, s - 1):
            if _CAPITAL_WORD_BEFORE.search(text, lo, s - 1):
                atom.kind = ""  # "COVID -19"
            else:
                atom.value, s = -atom.value, s - 1
    if c := R.currency_before.search(text, max(0, s - 5), s):
        atom.kind, atom.unit, atom.plain, s = "money", _currency(c.group()), False, c.start()
    if m := _MINUS.search(text, max(0, s - 8), s):
        atom.value, s = -atom.value, m.start()
    word = _prev_word(text, s)[0].lstrip("\"'“‘([").lower()
    if atom.bound in ("exact", "vague") and word in R.bound_last_words and (
            b := R.bound_before.search(text, max(0, s - 40), s)):
        kind = R.bound_kind[_key(b.group("b"))]
        if atom.bound == "exact":
            atom.bound = kind
        atom.approx = atom.approx or kind == "approx"
        atom.plain, s = False, b.start("b")
    atom.start = s
    return atom


def _currency(found: str) -> str:
    unit = _SPACES.sub("", found)
    return {"PS": "£", "Y=": "¥"}.get(unit, unit)  # unidecode's spellings of £ and ¥


def _unit_at(text: str, e: int, atom: _Atom, R: _Rules) -> re.Match | None:
    """Set the kind and unit from a unit word at e: %, currency, year-old, km, days."""
    if atom.kind != "money" and (u := R.percent.match(text, e)):
        atom.kind, atom.unit = "percent", "%"
    elif u := R.money_after.match(text, e):
        atom.kind, atom.unit = "money", atom.unit or u.group().strip(" -")
    elif u := R.age_after.match(text, e):
        span = u.group().lower()
        atom.kind = "age"
        atom.unit = next(f"{w}-old" for w in ("month", "week", "day", "year") if w in span)
    elif atom.kind != "money" and (u := R.unit_after.match(text, e)):
        name = u.group().strip(" -")
        atom.kind, atom.unit = R.unit_kind.get(name.lower(), "measure"), name
    return u


def _suffix(text: str, atom: _Atom, R: _Rules, *, digits: str = "", vague: bool = False
            ) -> tuple[_Atom | None, int]:
    """Scale words, unit and suffix bounds after the number; then what kind of number it is."""
    e = atom.end
    if m := R.scale_words.match(text, e):
        for w in _WORD.findall(m.group()):
            atom.scale *= R.scales[w.lower()]
        e, atom.plain = m.end(), False
    elif digits and (m := R.abbreviation.match(text, e)):
        ab = m.group(2)
        nxt = n.group(1) if (n := _NEXT_WORD.match(text, m.end())) else ""
        # "m" is a million after a currency or glued before a counted noun, else metres
        millions = atom.kind == "money" or R.money_after.match(text, m.end()) or (
            not m.group(1) and (nxt in R.counted or nxt.endswith("s") and nxt.islower()))
        if (ab in R.abbr_always and (not m.group(1) or len(ab) > 1)) or (ab in R.abbr_money and millions):
            atom.scale *= R.abbr_always.get(ab) or R.abbr_money[ab]
            e, atom.plain = m.end(), False
    atom.value *= atom.scale
    if atom.plain and (m := R.out_of.match(text, e)):
        whole = m.group(1).lower()
        whole = float(whole) if whole[0].isdigit() else {**R.units, **R.tens}[whole]
        if whole > atom.value >= 0:  # "one in five", "3 out of 10"
            atom.value, atom.kind, atom.end = atom.value / whole, "fraction", m.end()
            return atom, m.end()
    e = _bound_after(text, e, atom, R)
    if u := _unit_at(text, e, atom, R):
        e, atom.plain = _bound_after(text, u.end(), atom, R), False
    elif e < len(text) and text[e].isalpha():
        if _ORDINAL_SUFFIX.match(text, e):
            atom.end, atom.kind = e + 2, "ordinal"
            return _date(text, atom, R), e + 2
        if text[e] == "s" and len(digits) == 4 and digits.isdigit() and not text[e + 1:e + 2].isalpha():
            atom.end, atom.kind = e + 1, "year"  # a decade: the 1990s
            return atom, e + 1
        return None, _token_end(text, e)  # glued letters we do not know: 4G, 3D
    atom.end = e
    if atom.kind == "count" and _classify_plain(text, atom, R, digits, vague) is None:
        return None, _token_end(text, e)
    return atom, atom.end


def _bound_after(text: str, e: int, atom: _Atom, R: _Rules) -> int:
    if m := R.bound_after.match(text, e):
        kind = R.bound_after_kind[_key(m.group())]
        if atom.bound == "exact":
            atom.bound = kind
        atom.approx, atom.plain = atom.approx or kind == "approx", False
        return m.end()
    return e


def _date(text: str, atom: _Atom, R: _Rules) -> _Atom:
    """Ordinals and day numbers that belong to a date: "Nov. 20", "the 20th", "20 November"."""
    if not (1 <= atom.value <= 31 and atom.value == int(atom.value)):
        return atom
    if _prev_word(text, atom.start)[0].rstrip(".") in R.months and (
            m := R.month_before.search(text, max(0, atom.start - 12), atom.start)):
        atom.start, atom.kind = m.start(), "date"
        atom.end = R.day_after_month.match(text, atom.end).end()
    elif m := R.month_after.match(text, atom.end):
        atom.end, atom.kind = m.end(), "date"
    elif atom.kind == "ordinal" and _THE_BEFORE.search(text, max(0, atom.start - 5), atom.start) \
            and _END_OF_PHRASE.match(text, atom.end):
        atom.kind = "date"
    return atom


def _classify_plain(text: str, atom: _Atom, R: _Rules, digits: str, vague: bool) -> _Atom | None:
    """A number with no unit: a date, year, age, label, address, name, or a count."""
    s, e = atom.nstart, atom.end
    if atom.plain and digits:
        if _date(text, atom, R).kind == "date":
            return atom
        if len(digits) == 4 and _prev_word(text, s)[0].rstrip(".") in R.months and (
                m := R.month_before.search(text, max(0, s - 12), s)):
            atom.start, atom.kind = m.start(), "date"  # December 2024
            return atom
    prev, prev_start = _prev_word(text, s)
    prev_word = prev.lower().strip("\"'“”(")
    nxt = m.group(1) if (m := _NEXT_WORD.match(text, e)) else ""
    if atom.plain and len(digits) == 4 and R.year_range[0] <= atom.value <= R.year_range[1]:
        cue = prev_word in R.year_cues or _MID.search(text, max(0, s - 4), s)
        if nxt.lower() not in R.counted and (cue or R.year_default[0] <= atom.value <= R.year_default[1]):
            atom.kind = "year"
            return atom
    if _prev_word(text, atom.start)[0].lower() in R.age_last_words and (
            cue := R.age_before.search(text, max(0, atom.start - 12), atom.start)):
        atom.kind, atom.start = "age", cue.start()
        return atom
    if atom.plain and len(digits) == 2 and text[e:e + 1] == "," and \
            R.apposition.search(text, max(0, s - 30), s):
        atom.kind = "age"  # "Smith, 45, said"
        return atom
    if atom.plain:
        if len(digits) >= 10 or prev_word in R.labels or R.street.match(text, e) \
                or R.label_glued.search(text, max(0, s - 4), s):
            return None  # an identifier, "Article 5", "#1", "221 Khreshchatyk Street"
        named = any(ch.isupper() for ch in prev) and not _is_sentence_start(text, prev_start)
        if prev and prev[-1].isalnum() and (named or prev_word in R.weak_labels) and (
                    not nxt or not nxt[0].islower() or nxt.lower() in R.function_words
                    or not _SPACE_LETTER.match(text, e) or R.model.search(text, max(0, s - 40), s)):
            return None  # a name with a number: "Apollo 11", "Ligue 1 side", "18 Leopard 2 tanks"
    if vague and (of := _OF_SPACE.match(text, e)):  # "tens of millions of hryvnias"
        if not _unit_at(text, of.end(), atom, R):
            atom.unit = _noun_after(text, of.end(), R)
        return atom
    atom.unit = _noun_after(text, e, R)
    return atom


def _noun_after(text: str, e: int, R: _Rules) -> str | None:
    """The counted noun: the first lower-case content word within three words."""
    pos = e
    for _ in range(3):
        if not (m := _NEXT_WORD.match(text, pos)):
            return None
        if (w := m.group(1))[0].islower():
            return None if w.lower() in R.function_words else w
        pos = m.end()
    return None


def _inherit_bounds(text: str, atoms: list[_Atom]) -> list[_Atom]:
    """A conversion in brackets shares the bound of the figure it converts:
    "more than 5 million hryvnias ($120,000)", "just under 300 km (186 miles / 160 nm)"."""
    for a, b in itertools.pairwise(atoms):
        if a.bound in ("lower", "upper", "approx") and b.bound == "exact" and b.kind == a.kind \
                and _CONVERSION_GAP.fullmatch(text, a.end, b.start):
            b.bound, b.approx = a.bound, a.approx
    return atoms


def _merge_ranges(text: str, atoms: list[_Atom], R: _Rules) -> list[_Atom]:
    """Join neighbours into ranges: "10-12", "10 to 12 thousand", "between X and Y",
    "from X to Y". Hyphenated pairs bind first, so "from 5-7% to 3-5%" gives two ranges."""
    for tight in (True, False):
        out, i = [], 0
        while i < len(atoms):
            j = _range_partner(text, atoms, i, R, tight)
            if j is None:
                out.append(atoms[i])
                i += 1
            elif j < 0:  # a score such as 2-0: neither side is an amount
                i += 2
            else:
                out.append(_join(text, atoms[i], atoms[j], R, tight))
                i = j + 1
        atoms = out
    return atoms


_NOT_IN_RANGES = ("time", "date", "ordinal", "fraction")


def _range_partner(text: str, atoms: list[_Atom], i: int, R: _Rules, tight: bool) -> int | None:
    """The index of the atom that closes a range opened by atoms[i]; -1 for a score."""
    a = atoms[i]
    if a.kind in _NOT_IN_RANGES or a.bound in ("vague", "range") or i + 1 >= len(atoms):
        return None
    opener = m.group(1).lower() if (m := _OPENER.search(text, max(0, a.start - 12), a.start)) else ""
    j = i + 1
    if opener == "from" and not tight and a.kind != "year":  # "from $40 at 9 a.m. to $35"
        while j < len(atoms) and atoms[j].kind in ("year", "time", "date"):
            j += 1
        if j == len(atoms):
            return None
    b = atoms[j]
    if b.kind in _NOT_IN_RANGES or b.bound in ("vague", "range"):
        return None
    gap = text[a.end:b.start]
    a_raw, b_raw = a.value / a.scale, b.value / b.scale
    if tight:
        if not _TIGHT.fullmatch(gap):
            return None
        if a.kind == "year" and b.plain and b.value < 100:
            return j  # a season: 2023-24
        if a.plain and b.plain and a.value >= b.value and a.kind != "year":
            return -1
        return j if a_raw < b_raw or opener == "from" else None
    if opener == "between" and _BETWEEN_GAP.fullmatch(gap):
        return j
    if opener == "from" and len(gap) <= 60 and ";" not in gap and "from" not in gap \
            and _FROM_GAP_END.search(gap):
        return j
    if _prev_word(text, a.start)[0].lower() in R.change and not a.plain:
        return None  # "rose 5% to 84", "by $4bn to $419bn": a change, then a new level
    agree = a.unit is None or b.unit is None or a.unit == b.unit or a.kind == b.kind == "money"
    if _TO_GAP.fullmatch(gap) and agree and a_raw < b_raw:
        return j
    if _OR_GAP.fullmatch(gap) and a.plain and a.value < b.value <= 100 and b.bound == "exact":
        return j  # "two or three weeks"
    return None


def _join(text: str, a: _Atom, b: _Atom, R: _Rules, tight: bool) -> _Atom:
    if a.scale == 1 and b.scale > 1 and a.value < b.value / b.scale:
        a.value *= b.scale  # "10 to 12 thousand", "$40 to $45 billion"
    start = m.start() if (m := _OPENER.search(text, max(0, a.start - 12), a.start)) else a.start
    if tight and a.kind == "year" and b.value < 100:
        return _Atom(start, b.end, a.value, kind="year", plain=True, nstart=a.nstart)
    years = a.plain and b.plain and all(R.year_range[0] <= x.value <= R.year_range[1]
                                        and x.value == int(x.value) for x in (a, b))
    kind = "year" if years and "year" in (a.kind, b.kind) else (b.kind if b.kind != "count" else a.kind)
    low, high = sorted((a.value, b.value))
    return _Atom(start, b.end, (low + high) / 2, kind=kind, unit=b.unit or a.unit, bound="range",
                 approx=a.approx or b.approx, low=low, high=high, nstart=a.nstart)


def _finish(text: str, a: _Atom) -> QuantityMention:
    value, low, high = a.value, a.low, a.high
    if a.bound == "vague":
        value = float(round(math.sqrt(low * high)))
    elif a.bound == "exact":
        low = high = value
    elif a.bound == "lower":
        low, high = value, None
    elif a.bound == "upper":
        low, high = None, value
    elif a.bound == "approx":
        low = high = None
    return QuantityMention(a.start, a.end, text[a.start:a.end], value, low, high,
                           a.approx or a.bound == "approx", a.bound, a.kind, a.unit)
