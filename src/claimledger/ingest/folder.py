"""Files and folders: walking folders, reading a file's bytes safely, choosing its kind.

Reading must never hang or exhaust memory on whatever a folder holds: a file is opened
without blocking (a FIFO would otherwise wait forever for a writer), anything but a
regular file is refused, and the size is checked on the open file before it is read.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Callable, Iterator

from ..errors import InputError

EXTENSION_KINDS = {
    ".txt": "text", ".md": "text", ".markdown": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".xml": "feed", ".rss": "feed", ".atom": "feed",
    ".jsonl": "jsonl",
}
SNIFF_BYTES = 4096  # enough to see past an XML declaration, a DOCTYPE and comments
# Files a folder of reports often holds beside them that are not reports: tables, data,
# code, configuration, images, archives. Read as text they would give claims made of
# spreadsheet rows or source code, so a folder walk skips them (and counts them); a file
# named directly on the command line is still read.
NOT_DOCUMENTS = frozenset({
    ".tsv", ".csv", ".json", ".yaml", ".yml", ".toml", ".ini", ".cfg", ".py", ".js", ".css",
    ".sh", ".sql", ".db", ".sqlite", ".parquet", ".pkl", ".png", ".jpg", ".jpeg", ".gif",
    ".svg", ".webp", ".ico", ".pdf", ".zip", ".gz", ".tar", ".bz2", ".xz", ".7z",
})

_FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:rdf)[\s>]|<!entity")
_MARKUP = re.compile(rb"<(?:!doctype\s+html|html|head|body|p|div|article)[\s>]")


def is_document_name(path: str) -> bool:
    """False for a name whose extension says it is not a report (NOT_DOCUMENTS)."""
    return os.path.splitext(path)[1].lower() not in NOT_DOCUMENTS


def walk(folder: str, on_skip: Callable[[str], None] | None = None) -> Iterator[str | InputError]:
    """Paths of the documents under `folder`, depth first in name order; hidden names
    skipped, and files that are not documents (NOT_DOCUMENTS) passed to `on_skip`.

    Symbolic links to folders are followed once each (a link back up would loop forever).
    A folder that cannot be listed gives an InputError in its place.
    """
    yield from _walk(folder, set(), on_skip)


def _walk(folder: str, seen: set[str], on_skip: Callable[[str], None] | None) -> Iterator[str | InputError]:
    real = os.path.realpath(folder)
    if real in seen:
        return
    seen.add(real)
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError as exc:
        yield InputError(f"cannot read folder: {_reason(exc, folder)}", path=folder)
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = os.path.join(folder, entry.name)
        try:
            is_folder = entry.is_dir()
        except OSError:
            is_folder = False  # reading it will say what is wrong
        if is_folder:
            yield from _walk(path, seen, on_skip)
        elif not is_document_name(entry.name):
            if on_skip:
                on_skip(path)
        else:
            yield path


def path_id(path: str) -> str:
    """The id of the document a file holds: the same file always gives the same id,
    however it was named ("demo/a.txt", "./demo/a.txt" or "/home/ana/demo/a.txt" from
    /home/ana all give "demo/a.txt"). Its path from the working directory when it lies
    below it, else its absolute path."""
    absolute = os.path.abspath(path)
    try:
        relative = os.path.relpath(absolute)
    except ValueError:  # on another drive (Windows): no relative path exists
        return absolute
    return absolute if relative == os.pardir or relative.startswith(os.pardir + os.sep) else relative


def read_bytes(path: str, limit: int) -> bytes:
    """The content of a regular file of at most `limit` bytes; InputError otherwise."""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise InputError(f"cannot read: {_reason(exc, path)}", path=path) from exc
    with os.fdopen(descriptor, "rb") as file:
        info = os.fstat(descriptor)
        if stat.S_ISDIR(info.st_mode):
            raise InputError("cannot read: is a folder", path=path)
        if not stat.S_ISREG(info.st_mode):
            raise InputError("cannot read: not a regular file (a pipe, socket, device)", path)
        if info.st_size > limit:
            raise InputError(_too_big(info.st_size, limit), path=path)
        try:
            data = file.read(limit + 1)
        except OSError as exc:
            raise InputError(f"cannot read: {_reason(exc, path)}", path=path) from exc
    if len(data) > limit:  # grew after it was measured
        raise InputError(_too_big(len(data), limit), path=path)
    return data


def kind_of(path: str, data: bytes) -> str:
    """text, html, feed or jsonl: by extension, else by what the content starts with."""
    extension = os.path.splitext(path)[1].lower()
    if extension in EXTENSION_KINDS:
        return EXTENSION_KINDS[extension]
    head = data[:SNIFF_BYTES].removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    if head.startswith(b"{") and _is_json_object(head.split(b"\n", 1)[0]):
        return "jsonl"
    if head.startswith(b"<"):
        if _FEED_ROOT.search(head):
            return "feed"
        if _MARKUP.search(head) or not head.startswith(b"<?xml"):
            return "html"
        return "feed"  # other XML: the feed reader says why it is not a feed
    return "text"


def _is_json_object(line: bytes) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except ValueError:  # JSONDecodeError and UnicodeDecodeError both are
        return False


def _reason(exc: OSError, path: str) -> str:
    reason = (exc.strerror or str(exc)).lower()
    if isinstance(exc, FileNotFoundError) and os.path.islink(path):
        return f"{reason} (a symbolic link to a missing file)"
    return reason


def _too_big(size: int, limit: int) -> str:
    return f"file is {size / 2**20:.1f} MB, above the {limit / 2**20:.0f} MB limit"
