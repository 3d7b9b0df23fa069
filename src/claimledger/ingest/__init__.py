"""Reading inputs into Documents: text/Markdown, HTML pages, RSS/Atom feeds, JSON Lines.

`read_paths` is the one entry point: it walks folders, picks each file's reader by its
extension (else by sniffing the content), and yields Documents. An input that cannot be
read is yielded as an InputError naming the file (and line, for JSON Lines) instead of
raised, so one bad file never stops a batch. Each reader module also exposes a function
taking raw bytes and a path: `read_text_file`, `read_html_file`, `read_feed_file`,
`read_jsonl_file`. Each returns a list of Documents (plus an InputError for each feed item
or JSONL line that fails) and raises InputError when the whole input cannot be read.

What an input states about itself always wins; the `outlet` and `published` arguments
only fill what it leaves out.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from ..errors import InputError
from ..models import Document
from .decode import normalize_published
from .feed import read_feed_file
from .folder import kind_of, read_bytes, walk
from .html import read_html_file
from .jsonl import read_jsonl_file
from .text import read_text_file

# Largest file read. A news page, feed or batch of reports is far smaller (a long page is
# ~1 MB, a busy feed a few MB); a bigger file is most likely a wrong path or a dump, and
# parsing holds several copies of the text in memory (trafilatura, feedparser, spaCy),
# so it is refused before it is read rather than risk exhausting memory.
MAX_BYTES = 20 * 1024 * 1024

READERS = {
    "text": read_text_file,
    "html": read_html_file,
    "feed": read_feed_file,
    "jsonl": read_jsonl_file,
}

__all__ = [
    "MAX_BYTES",
    "normalize_published",
    "read_feed_file",
    "read_file",
    "read_html_file",
    "read_jsonl_file",
    "read_paths",
    "read_text_file",
]


def read_paths(
    paths: Iterable[str | Path] | str | Path,
    outlet: str | None = None,
    published: str | None = None,
    on_skip: Callable[[str], None] | None = None,
) -> Iterator[Document | InputError]:
    """Every document in the files and folders given, and an InputError for each failure.

    Folders are walked recursively in name order, skipping hidden names and files that
    are not documents (a table, data, code: each passed to `on_skip`); a path given
    directly is read even when hidden. `published` must be a date (or datetime): an
    InputError is raised at once if it is not, since every document would carry it.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    default_published = normalize_published(published)
    if published and not default_published:
        raise InputError(f"published must be a date such as 2024-11-24, got {published!r}")
    return _read_all(paths, outlet, default_published, on_skip)


def _read_all(
    paths: Iterable[str | Path], outlet: str | None, published: str | None,
    on_skip: Callable[[str], None] | None,
) -> Iterator[Document | InputError]:
    for given in paths:
        path = os.fspath(given)
        if os.path.isdir(path):
            for found in walk(path, on_skip):
                if isinstance(found, InputError):
                    yield found
                else:
                    yield from read_file(found, outlet, published)
        else:
            yield from read_file(path, outlet, published)


def read_file(
    path: str, outlet: str | None = None, published: str | None = None
) -> list[Document | InputError]:
    """The documents of one file (several for a feed or batch), or the errors it gives."""
    try:
        data = read_bytes(path, MAX_BYTES)
        if not data.strip():
            raise InputError("empty document", path=path)
        records = READERS[kind_of(path, data)](data, path)
    except InputError as error:
        return [error]
    return [_fill(record, outlet, published) for record in records]


def _fill(record: Document | InputError, outlet: str | None, published: str | None):
    if isinstance(record, InputError):
        return record
    filled = dataclasses.replace(record, outlet=record.outlet or outlet, published=record.published or published)
    return dataclasses.replace(filled, **_without_nul(filled))


def _without_nul(record: Document) -> dict:
    """NUL characters (a JSON "\\u0000") replaced by U+FFFD: no report means one, and
    PostgreSQL cannot store them. One character for one, so that offsets still hold."""
    fields = {}
    for name in ("id", "text", "url", "outlet", "title", "language"):
        value = getattr(record, name)
        if value and "\x00" in value:
            fields[name] = value.replace("\x00", "\ufffd")
    return fields
