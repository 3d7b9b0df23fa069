"""NewsQuant evaluation of the quantity parser (`extract/quantities.find_quantities`).

NewsQuant (the CQE benchmark, Almasian et al. 2023) is a JSON list of news sentences, each
with its gold quantities: `value` (a number, or "low-high" for a range), `unit` and
`change` (=, ~, >, <, up, down).

What is compared. NewsQuant annotates amounts of something: counts (spelled out or in
digits, "one tank" included), money, percentages, measures, durations, ages
("a 19-year-old") and fractions ("a third of"). It does not annotate years, dates,
clock times or ordinals ("in 2010", "on Nov. 23", "10:30 a.m.", "the second"). So the
comparison keeps our kinds count, money, percent, measure, duration, age and fraction,
and drops year, date, time and ordinal (`quantities.NOT_FIGURES`).

Value matching, per sentence, as multisets: a predicted and a gold quantity match when
their values are equal after normalising (floats with a relative tolerance of 1e-6; a
range is the pair low, high in increasing order, as CQE writes ranges in either order).
CQE writes vague amounts as order-of-magnitude ranges ("thousands" is 1000-10000,
"dozens" 12-120); ours are tighter (2000-9999, 24-99), so a vague prediction matches a
gold range that contains it.

Unit matching (CQE's published score counts units): a value match whose unit also
agrees, after both are normalised (lower case, singular, symbols and abbreviations
spelled out: "$" dollar, "%" percentage, "km" kilometre; no unit is CQE's "-"). For a
count our unit is the counted noun ("300 soldiers": soldier), as CQE's is.

Bound matching: a value match whose bound also agrees. Our bounds map to CQE's `change`:
exact "=", approx "~", lower ">", upper "<", range "~" when approximate ("about 10-12")
else "=", vague "=" (CQE marks vague amounts "=" and carries the vagueness in the range).
Gold `up`/`down` say which way a figure moved, not how exact it is; they count as "=".
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from pathlib import Path

from claimledger.errors import ClaimledgerError
from claimledger.extract.quantities import NOT_FIGURES, QuantityMention, find_quantities

BOUND_TO_CHANGE = {"exact": "=", "approx": "~", "lower": ">", "upper": "<", "vague": "="}
GOLD_CHANGE_AS_BOUND = {"up": "=", "down": "="}

_NUMBER = r"-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_GOLD_RANGE = re.compile(rf"\s*({_NUMBER})\s*-\s*({_NUMBER})\s*")


def evaluate_newsquant(path: str | Path) -> dict:
    """Value and value+bound precision, recall and F1 of `find_quantities` on NewsQuant."""
    path = Path(path)
    if not path.is_file():
        raise ClaimledgerError(f"NewsQuant file not found: {path} (get dev.json from the CQE "
                               "repository, or give the path)", path=str(path))
    try:
        sentences = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ClaimledgerError(f"cannot read NewsQuant file: {exc}", path=str(path)) from exc
    n_pred = n_gold = value_hits = bound_hits = unit_hits = 0
    for item in sentences:
        golds = [(key, q) for q in item.get("quantities", []) if (key := _gold_key(q))]
        mentions = [m for m in find_quantities(item["text"]) if m.kind not in NOT_FIGURES]
        gold = [key for key, _ in golds]
        pred = [_pred_key(m) for m in mentions]
        n_pred, n_gold = n_pred + len(pred), n_gold + len(gold)
        value_hits += _match_count([v for v, _ in pred], [v for v, _ in gold])
        bound_hits += _match_count(pred, gold)
        unit_hits += _match_count(
            [(v, normalize_unit(m.unit)) for (v, _), m in zip(pred, mentions)],
            [(v, normalize_unit(q.get("normalized_unit") or q.get("unit"))) for (v, _), q in golds],
        )
    value = _prf(value_hits, n_pred, n_gold)
    bound = _prf(bound_hits, n_pred, n_gold)
    unit = _prf(unit_hits, n_pred, n_gold)
    return {"value_p": value[0], "value_r": value[1], "value_f1": value[2],
            "value_bound_f1": bound[2], "value_bound_p": bound[0], "value_bound_r": bound[1],
            "value_unit_f1": unit[2], "value_unit_p": unit[0], "value_unit_r": unit[1],
            "n_sentences": len(sentences), "n_gold": n_gold, "n_pred": n_pred}


_UNIT_NAMES = {"$": "dollar", "us$": "dollar", "usd": "dollar", "%": "percentage", "percent": "percentage",
               "per cent": "percentage", "pct": "percentage", "£": "pound sterling", "€": "euro", "eur": "euro",
               "¥": "japanese yen", "yen": "japanese yen", "km": "kilometre", "kilometer": "kilometre",
               "m": "metre", "meter": "metre", "cm": "centimetre", "mm": "millimetre", "kg": "kilogram",
               "mph": "mile per hour", "km/h": "kilometre per hour", "ft": "foot", "feet": "foot",
               "lb": "pound", "lbs": "pound", "°c": "celsius", "°f": "fahrenheit", "sq km": "square kilometre",
               "hr": "hour", "hrs": "hour", "min": "minute", "mins": "minute", "yr": "year", "yrs": "year",
               "people": "people", "persons": "people", "person": "people", "p": "point", "pt": "point",
               "pts": "point", "year-old": "year of age", "years old": "year of age", "$us": "dollar",
               "a$": "australian dollar", "$a": "australian dollar", "hk$": "hong kong dollar",
               "c$": "canadian dollar", "nz$": "new zealand dollar", "jpy": "japanese yen", "rm": "malaysian ringgit",
               "mpg": "mile per gallon", "kw": "kilowatt", "w": "watt", "mw": "megawatt", "gw": "gigawatt",
               "kwh": "kilowatt hour", "ppb": "parts-per-billion", "ppm": "parts-per-million", "gb": "gigabyte",
               "tb": "terabyte", "mb": "megabyte", "hz": "hertz", "ghz": "gigahertz", "μm": "micrometre",
               "mah": "milliampere-hour", "rpm": "revolutions per minute", "bhp": "brake horsepower",
               "hp": "horsepower", "pound-feet": "pound-foot", "nm": "nanometre", "ml": "millilitre", "l": "litre"}


def normalize_unit(unit: str | None) -> str:
    """A unit as compared: lower case, singular, spelled out; none is "-"."""
    text = (unit or "").strip().lower()
    if not text or text == "-":
        return "-"
    if text in _UNIT_NAMES:
        return _UNIT_NAMES[text]
    text = " ".join(_singular(word) for word in text.split())  # "miles per hour": mile per hour
    return _UNIT_NAMES.get(text, text)


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith(("ss", "us")) and len(word) > 3:
        return word[:-1]
    return word


def parse_gold_value(text: str) -> tuple | None:
    """A gold value as a key: ("=", x) for a number, ("range", low, high) for a range."""
    text = str(text).strip()
    try:
        return ("=", float(text))
    except ValueError:
        pass
    if m := _GOLD_RANGE.fullmatch(text):
        low, high = sorted((float(m.group(1)), float(m.group(2))))
        return ("range", low, high)
    return None


def _gold_key(q: dict) -> tuple | None:
    value = parse_gold_value(q.get("value", ""))
    if value is None:
        return None
    change = q.get("change", "=")
    return value, GOLD_CHANGE_AS_BOUND.get(change, change)


def _pred_key(m: QuantityMention) -> tuple:
    if m.bound == "vague":
        value = ("vague", m.low, m.high)
    elif m.bound == "range":
        value = ("range", m.low, m.high)
    else:
        value = ("=", m.value)
    change = ("~" if m.approx else "=") if m.bound == "range" else BOUND_TO_CHANGE[m.bound]
    return value, change


def _same_number(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)


def _values_match(pred, gold) -> bool:
    if isinstance(pred[0], tuple):  # (value, bound) pairs
        return pred[1] == gold[1] and _values_match(pred[0], gold[0])
    if pred[0] == "vague":
        return gold[0] == "range" and gold[1] <= pred[1] and pred[2] <= gold[2]
    if pred[0] != gold[0]:
        return False
    return all(_same_number(a, b) for a, b in zip(pred[1:], gold[1:]))


def _match_count(pred: list, gold: list) -> int:
    """Size of a maximum matching between the two multisets (greedy, exact keys first)."""
    remaining = Counter()
    for g in gold:
        remaining[g] += 1
    hits, left = 0, []
    for p in pred:
        if remaining[p] > 0:
            remaining[p] -= 1
            hits += 1
        else:
            left.append(p)
    pool = list(remaining.elements())
    for p in left:
        for i, g in enumerate(pool):
            if _values_match(p, g):
                hits += 1
                del pool[i]
                break
    return hits


def _prf(hits: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = hits / n_pred if n_pred else 0.0
    r = hits / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return round(p, 4), round(r, 4), round(f, 4)
