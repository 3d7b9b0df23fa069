"""When: date expressions resolved against the publication date.

A weekday name is the latest such day on or before publication; "last week" is the
week before (given as the date seven days earlier); "on the 20th" is that day of the
publication month, or of the month before when the 20th is still to come; a month and
day without a year take the publication year, or the year before when that would lie
more than a day after publication (a report stamped late on 6 May in one time zone tells
of "early on May 7" in another). Where only a year or a month is known, the date says only that.
A figure "since August" (or "since 2021") is a count that runs up to the report: it holds
at publication, so its date is the publication date (August is when the count began).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache

from dateutil import parser as dateparser

from ..models import TimeRef

_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTHS = {m: i + 1 for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august",
     "september", "october", "november", "december"])}
_FULL_MONTHS = tuple(_MONTHS)
_MONTHS.update({m[:3]: i for m, i in list(_MONTHS.items())})
_MONTHS["sept"] = 9

_PATTERNS = [
    ("full", re.compile(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}\b|\b\d{1,2}\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?,?\s+\d{4}\b|\b\d{4}-\d{2}-\d{2}\b")),
    ("month_day", re.compile(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?\b|\b\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:January|February|March|April|May|June|July|August|September|October|November|December)\b")),
    ("month_year", re.compile(r"\b(?:January|February|March|April|May|June|July|August|September|October|November|December)\s+\d{4}\b")),
    ("weekday", re.compile(r"\b(?:on\s+)?(?:last\s+)?(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")),
    ("relative", re.compile(r"\b(yesterday|today|last week|last month|last year|this week|earlier this week|on the (\d{1,2})(?:st|nd|rd|th))\b", re.IGNORECASE)),
    ("month", re.compile(r"\b(?:in|since|by|during|late|early|mid-)\s*(January|February|March|April|May|June|July|August|September|October|November|December)\b")),
    ("year", re.compile(r"\b(?:in|since|of|during|by)\s+((?:19|20)\d{2})\b")),
]


def _pubdate(published: str | None) -> date | None:
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10])
    except ValueError:
        return None


def resolve(expression: str, kind: str, published: date | None) -> str | None:
    text = expression.strip()
    lower = text.lower()
    if kind == "full":
        try:
            return dateparser.parse(text, fuzzy=True).date().isoformat()
        except (ValueError, OverflowError):
            return None
    if kind == "year" and not lower.startswith("since"):
        return re.search(r"\d{4}", text).group()
    if kind == "month_year":
        parsed = dateparser.parse(text, default=dateparser.parse("2000-01-01"))
        return f"{parsed.year:04d}-{parsed.month:02d}"
    if published is None:
        return None
    if kind in ("month", "year") and lower.startswith("since"):
        return published.isoformat()
    if kind == "month_day":
        try:
            parsed = dateparser.parse(text, default=dateparser.parse(f"{published.year}-01-01")).date()
        except (ValueError, OverflowError):
            return None
        if parsed > published + timedelta(days=1):  # (a report dated the evening before, in another time zone)
            parsed = parsed.replace(year=parsed.year - 1)
        return parsed.isoformat()
    if kind == "weekday":
        name = next(d for d in _WEEKDAYS if d in lower)
        back = (published.weekday() - _WEEKDAYS.index(name)) % 7
        if "last" in lower and back == 0:
            back = 7
        return (published - timedelta(days=back)).isoformat()
    if kind == "month":
        month = _MONTHS[next(m for m in _FULL_MONTHS if m in lower)]
        year = published.year if month <= published.month else published.year - 1
        return f"{year:04d}-{month:02d}"
    if kind == "relative":
        if lower == "yesterday":
            return (published - timedelta(days=1)).isoformat()
        if lower in {"today", "this week", "earlier this week"}:
            return published.isoformat()
        if lower == "last week":
            return (published - timedelta(days=7)).isoformat()
        if lower == "last month":
            first = published.replace(day=1) - timedelta(days=1)
            return f"{first.year:04d}-{first.month:02d}"
        if lower == "last year":
            return f"{published.year - 1:04d}"
        day = int(re.search(r"\d+", lower).group())
        candidate = published.replace(day=1)
        if day > published.day:
            candidate = (candidate - timedelta(days=1)).replace(day=1)
        try:
            return candidate.replace(day=day).isoformat()
        except ValueError:
            return None
    return None


@lru_cache(maxsize=1024)
def _expressions(text: str) -> tuple[tuple[int, int, str], ...]:
    """(start, end, kind) of the date expressions of a sentence (read once per sentence,
    however many claims it holds)."""
    found: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            if any(s <= match.start() < e for s, e in taken):
                continue
            taken.append((match.start(), match.end()))
            found.append((match.start(), match.end(), kind))
    return tuple(found)


def find_time(text: str, published: str | None, near: int | None = None) -> TimeRef | None:
    """The date expression of a sentence (the one nearest offset `near`), resolved."""
    pub = _pubdate(published)
    found = list(_expressions(text))
    if not found:
        return None
    if near is not None:
        found.sort(key=lambda f: abs(f[0] - near))
    start, end, kind = found[0]
    surface = text[start:end]
    return TimeRef(surface, resolve(surface, kind, pub))
