"""JSON Lines batches: one document per line, a bad line reported without losing the rest.

Each line is an object with `text` (taken unchanged: offsets point into it) or `html` (read
like a page when it has <html>/<head>/<body>, else as a fragment, keeping quoted blocks;
what the page states fills the fields the line lacks) and optionally `id`,
`url`, `outlet`, `published`, `title`, `language`. Blank lines are skipped. Lines are
decoded one at a time as UTF-8 (JSON Lines is UTF-8 by definition), so a badly encoded
line fails alone. Lines are numbered from 1; source_path is "path:line".

A line without `id` gets a content hash of its document text: the same text gives the
same id in any file and at any line, so re-ingesting a re-ordered batch changes nothing
(a "path:line" id would change whenever a line moved).
"""

from __future__ import annotations

import json

from ..errors import InputError
from ..models import Document, content_hash
from .decode import normalize_published
from .html import Extracted, extract_markup

METADATA_FIELDS = ("url", "outlet", "published", "title", "language")


def read_jsonl_file(data: bytes, path: str) -> list[Document | InputError]:
    """A document for each good line and an InputError (with its line) for each bad one."""
    if b"\x00" in data:
        raise InputError("binary file, not text", path=path)
    records: list[Document | InputError] = []
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]  # a UTF-8 byte order mark
        if not raw.strip():
            continue
        try:
            records.append(_line_document(raw, path, number))
        except InputError as error:
            records.append(error)
    return records


def _line_document(raw: bytes, path: str, number: int) -> Document:
    def bad(message: str) -> InputError:
        return InputError(message, path=path, line=number)

    try:
        record = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise bad(f"line is not UTF-8: {exc.reason}") from exc
    except json.JSONDecodeError as exc:
        raise bad(f"invalid JSON: {exc.msg} at column {exc.colno}") from exc
    if not isinstance(record, dict):
        raise bad(f"expected a JSON object, got {type(record).__name__}")
    for name in ("text", "html", *METADATA_FIELDS):
        if record.get(name) is not None and not isinstance(record[name], str):
            raise bad(f"field '{name}' must be a string")
    if record.get("id") is not None and type(record["id"]) not in (str, int):  # not a bool
        raise bad("field 'id' must be a string or a number")
    if "text" not in record and "html" not in record:
        raise bad("no 'text' or 'html' field")
    if record.get("text") is not None:
        page, text, quoted = Extracted(text=""), record["text"], ()
    else:
        page = extract_markup(record.get("html") or "")
        text, quoted = page.text, page.quoted
    if not text.strip():
        raise bad("empty document ('text' or 'html' holds no text)")

    def stated(name: str) -> str | None:
        return record.get(name) or getattr(page, name)

    return Document(
        id=str(record["id"]) if record.get("id") not in (None, "") else content_hash(text),
        text=text,
        source_path=f"{path}:{number}",
        input_kind="jsonl",
        url=stated("url"),
        outlet=stated("outlet"),
        published=normalize_published(record.get("published")) or page.published,
        title=stated("title"),
        language=stated("language"),
        quoted=quoted,
    )
