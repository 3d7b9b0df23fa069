"""RSS 2.0 and Atom feeds: one document per item, read safely.

Safety: feedparser's strict mode hands the bytes to expat, which expands entities that a
feed declares in its DTD (the "billion laughs" attack). So the raw bytes are checked first:
a feed declaring any entity is refused before feedparser sees it. feedparser is given a
stream, never a string, since it treats strings as URLs or file names and would open them.

Broken XML: feedparser recovers what it can from a feed that is not well-formed. Items it
recovered whole are kept (a stray "&" or an undeclared &nbsp; should not lose a feed), but
an item left without text, as the last item of a truncated feed is, gives an InputError
naming the XML problem and its line. A feed from which nothing can be recovered gives one
InputError naming the problem; a well-formed feed without items gives no documents.

Per item: id is the guid (else the link, else a content hash of the text); url is the
link when it is a web address; outlet is the item's <source> (an aggregator's item names
its origin there), else the feed's title; the item's HTML (content:encoded, Atom content,
else the summary/description) is read as a fragment so quoted blocks survive; an item with
no body at all is read as its title alone, since headline-only feeds still carry claims.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from xml.etree.ElementTree import ParseError

import defusedxml
import defusedxml.ElementTree
import feedparser

from ..errors import InputError
from ..models import Document, QuotedBlock, content_hash
from .decode import normalize_published
from .html import extract_fragment

_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)
_HTML_TYPES = ("text/html", "application/xhtml+xml", "html", "xhtml")
ENTITY_REFUSAL = "feed declares XML entities (refused: entity expansion attack)"


def read_feed_file(data: bytes, path: str) -> list[Document | InputError]:
    """The feed's items as documents, and an InputError for each item that cannot be read.

    Raises InputError when the feed is refused or holds nothing that can be read.
    """
    problem, line = _xml_problem(data, path)
    parsed = feedparser.parse(io.BytesIO(data), sanitize_html=True, resolve_relative_uris=False)
    if not parsed.entries and problem:
        raise InputError(f"broken XML, no feed items could be read: {problem}", path, line)
    if not parsed.entries and not parsed.version:
        raise InputError("not an RSS or Atom feed (no channel or feed element)", path=path)
    records: list[Document | InputError] = []
    for number, entry in enumerate(parsed.entries, start=1):
        text, quoted = _item_text(entry)
        title = _collapse(entry.get("title"))
        if not text and problem:
            message = f"feed item {number} has no text: broken XML ({problem})"
            records.append(InputError(message, path=path, line=line))
        elif not (text or title):
            message = f"feed item {number} has no text, summary or title"
            records.append(InputError(message, path=path))
        else:
            records.append(_item_document(entry, parsed.feed, text or title, quoted, path))
    return records


def _item_document(entry, feed, text: str, quoted: tuple[QuotedBlock, ...], path: str) -> Document:
    source = entry.get("source") or {}
    return Document(
        id=entry.get("id") or entry.get("link") or content_hash(text),
        text=text,
        source_path=path,
        input_kind="feed",
        url=_web_address(entry.get("link")),
        outlet=_collapse(source.get("title")) or _collapse(feed.get("title")),
        published=_published(entry),
        title=_collapse(entry.get("title")),
        language=_language(entry) or feed.get("language") or None,
        quoted=quoted,
    )


def _xml_problem(data: bytes, path: str) -> tuple[str | None, int | None]:
    """Refuse entity declarations; else the XML parse problem and its line, if any."""
    if _ENTITY_DECLARATION.search(data):
        raise InputError(ENTITY_REFUSAL, path=path)
    try:
        defusedxml.ElementTree.fromstring(data, forbid_dtd=False, forbid_entities=True)
    except (defusedxml.EntitiesForbidden, defusedxml.ExternalReferenceForbidden) as exc:
        raise InputError(ENTITY_REFUSAL, path=path) from exc
    except ParseError as exc:
        return str(exc), exc.position[0]
    return None, None


def _item_text(entry) -> tuple[str, tuple[QuotedBlock, ...]]:
    """The item's body (its fullest form), as text with quoted blocks."""
    bodies = list(entry.get("content") or [])
    if entry.get("summary_detail"):
        bodies.append(entry["summary_detail"])
    for body in bodies:
        value = body.get("value") or ""
        if body.get("type") in _HTML_TYPES:
            extracted = extract_fragment(value)
            text, quoted = extracted.text, extracted.quoted
        else:
            text, quoted = value.strip(), ()
        if text:
            return text, quoted
    return "", ()


def _published(entry) -> str | None:
    for key in ("published", "updated"):
        stated = normalize_published(entry.get(key))
        if stated:
            return stated
        parsed = entry.get(f"{key}_parsed")  # feedparser reads more forms, giving UTC
        if parsed:
            return datetime(*parsed[:6], tzinfo=UTC).isoformat()
    return None


def _language(entry) -> str | None:
    for detail in list(entry.get("content") or []) + [entry.get("summary_detail") or {}]:
        if detail.get("language"):
            return detail["language"]
    return None


def _web_address(link: str | None) -> str | None:
    """The link if it is a web address: feedparser copies an Atom id (urn:uuid:...) or a
    non-URL RSS guid into `link` when the item has none."""
    return link if link and link.lower().startswith(("http://", "https://")) else None


def _collapse(text: str | None) -> str | None:
    return (" ".join(text.split()) or None) if text else None
