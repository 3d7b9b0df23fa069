"""Plain text and Markdown files: the document text is the file's decoded content, unchanged.

Claim offsets point into that text, so nothing is cleaned, stripped or re-wrapped: a
reader of the file finds each claim at the offset given. Two exceptions, both at the very
start of the file:

- A UTF-8 byte order mark is dropped (it is not text; offsets count from after it).
- A front-matter block of metadata is read and left out of the text::

      ---
      title: North Korean troops reach the front
      outlet: Example Daily
      published: 2024-11-24
      url: https://example.org/kursk
      ---

  The document text is then everything AFTER the closing ``---`` line, and offsets are
  relative to that text (add the length of the front matter to find them in the file).
  Only ``key: value`` lines are read (surrounding quotes dropped, other keys ignored). A
  block without a closing ``---`` line, or holding a line that is not ``key: value``, is
  not front matter (a Markdown rule above prose), and the file is all text.

The document id is the file path (`folder.path_id`: the same for any way of naming the
file): a text file states no id of its own.
"""

from __future__ import annotations

import re

from ..errors import InputError
from ..models import Document
from .decode import decode_text, normalize_published
from .folder import path_id

FRONT_MATTER_FIELDS = ("title", "outlet", "published", "url", "language")

_FRONT_MATTER = re.compile(
    r"\A---[ \t]*\r?\n(?P<body>.*?)^---[ \t]*(?:\r?\n|\Z)", re.DOTALL | re.MULTILINE
)
_FIELD = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)[ \t]*:[ \t]*(?P<value>.*?)[ \t]*$")


def read_text_file(data: bytes, path: str) -> list[Document]:
    """The one document of a text or Markdown file (raises InputError if there is none)."""
    return [text_document(decode_text(data, path), path)]


def text_document(content: str, path: str) -> Document:
    """A document from decoded file content: front matter read, the rest kept as is."""
    fields, text = split_front_matter(content)
    if not text.strip():
        raise InputError("empty document", path=path)
    return Document(
        id=path_id(path),
        text=text,
        source_path=path,
        input_kind="text",
        url=fields.get("url"),
        outlet=fields.get("outlet"),
        published=normalize_published(fields.get("published")),
        title=fields.get("title"),
        language=fields.get("language"),
    )


def split_front_matter(content: str) -> tuple[dict[str, str], str]:
    """The front-matter fields (empty values left out) and the text after the block."""
    match = _FRONT_MATTER.match(content)
    if not match:
        return {}, content
    lines = [line for line in match.group("body").splitlines() if line.strip()]
    parsed = [_FIELD.match(line) for line in lines]
    if not all(parsed):
        return {}, content  # a Markdown rule above prose, not a metadata block
    fields = {}
    for field in parsed:
        key, value = field.group("key").lower(), _unquote(field.group("value"))
        if key in FRONT_MATTER_FIELDS and value:
            fields[key] = value
    return fields, content[match.end():]


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value
