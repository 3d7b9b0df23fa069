"""Turn raw input values into clean ones: bytes into text, stated dates into ISO 8601.

Every reader goes through these two functions, so that a cp1252 page and a cp1252 text file
decode alike, and an RSS pubDate and an HTML meta date end up in the same form.
"""

from __future__ import annotations

import codecs
import email.utils
import re
import warnings
from datetime import date, datetime

import charset_normalizer
from dateutil import parser as dateutil_parser

from ..errors import InputError

# When charset-normalizer finds several single-byte code pages equally plausible (short
# texts often decode cleanly as cp1250, cp1252 and cp1257 alike), we take cp1252: it is the
# legacy encoding of English-language news sites and what browsers assume for "latin-1".
PREFERRED_LEGACY_ENCODING = "cp1252"

# UTF-16/32 text legitimately holds NUL bytes; anything else with a NUL is not text.
_UNICODE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_text(data: bytes, path: str | None, declared: str | None = None) -> str:
    """The text of `data`: UTF-8 (a BOM is dropped), else `declared`, else detected.

    `declared` is the encoding the input names for itself (an HTML meta charset); it is
    used only when the bytes are not valid UTF-8, since pages often declare latin-1 and
    serve UTF-8. Raises InputError("binary file, not text") for content that is not text.
    """
    for bom, encoding in _UNICODE_BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(f"not valid {encoding} text: {exc.reason}", path=path) from exc
    if b"\x00" in data:
        raise InputError("binary file, not text", path=path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if declared:
        try:
            return data.decode(codecs.lookup(declared).name)
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong or unknown declaration: detect instead
    return _detect(data, path)


def _detect(data: bytes, path: str | None) -> str:
    matches = charset_normalizer.from_bytes(data)
    best = matches.best()
    if best is None:
        raise InputError("binary file, not text", path=path)
    tied = [m for m in matches if m.chaos <= best.chaos]
    if any(PREFERRED_LEGACY_ENCODING in m.could_be_from_charset for m in tied):
        try:
            return data.decode(PREFERRED_LEGACY_ENCODING)
        except UnicodeDecodeError:
            pass  # bytes cp1252 leaves undefined (0x81, 0x8D...): trust the detector
    return str(best)


_HAS_YEAR = re.compile(r"\b\d{4}\b")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Two defaults that differ in every field: whatever the parsed value takes from them
# was not in the input, which tells a date from a datetime and a month from a day.
_DEFAULT_A = datetime(2001, 1, 1, 0, 0, 0)
_DEFAULT_B = datetime(2002, 2, 2, 1, 1, 1)


def normalize_published(value: str | None) -> str | None:
    """A stated date in ISO 8601: a datetime when a time is given, else the date.

    Accepts ISO forms ("2024-11-24", "2024-11-24T09:30:00Z"), RFC 822 feed dates
    ("Sun, 24 Nov 2024 09:30:00 GMT") and common written forms ("November 24, 2024";
    "November 2024" gives "2024-11"). Returns None for a value that holds no date with
    a year: such a value tells nothing usable, so the caller's default may fill it.
    """
    if value is None or not value.strip():
        return None
    value = value.strip()
    if _ISO_DATE.match(value):
        try:
            return date.fromisoformat(value).isoformat()
        except ValueError:
            return None
    try:
        return datetime.fromisoformat(value).isoformat()
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(value).isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    return _parse_written_date(value)


def _parse_written_date(value: str) -> str | None:
    if not _HAS_YEAR.search(value):
        return None
    try:
        with warnings.catch_warnings():
            # An unknown zone name ("MSK") is dropped, leaving a local time, which is
            # still the stated time; the warning would only reach the user as noise.
            warnings.simplefilter("ignore", dateutil_parser.UnknownTimezoneWarning)
            a = dateutil_parser.parse(value, default=_DEFAULT_A)
            b = dateutil_parser.parse(value, default=_DEFAULT_B)
    except (ValueError, OverflowError):
        return None
    if a.year != b.year:
        return None
    if a.month != b.month:
        return f"{a.year:04d}"
    if a.day != b.day:
        return f"{a.year:04d}-{a.month:02d}"
    if a.hour != b.hour:
        return a.date().isoformat()
    return a.isoformat()  # minutes or seconds not given come from _DEFAULT_A: zero
