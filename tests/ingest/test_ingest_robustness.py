"""No input crashes a reader: cut-off and scrambled inputs give documents or InputErrors only.

Seeded, so a failure reproduces. Every document produced must hold text, and every quoted
block must lie inside it.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from claimledger.errors import InputError
from claimledger.ingest import READERS
from claimledger.models import Document

FIXTURES = Path(__file__).parent / "fixtures"
MARKUP_PIECES = [
    "<p>", "</p>", "<blockquote cite='x'>", "</blockquote>", "<q>", "</q>", "<br>", "<table>",
    "<tr><td>", "</td>", "<footer>", "<cite>", "&amp;", "&nbsp;", "\x00", "\x07", "\ud800",
    "<?xml version='1.0' encoding='utf-8'?>", "<html>", "<body>", "<!--", "-->", "<script>",
    "Kursk ", "11,000 ", "\u201c", " ", "\n", "<rss><channel><item><title>", "</item>",
    "<!ENTITY", "<![CDATA[", "]]>", '{"text": ', '"', "}",
]


def read_all_kinds(data: bytes) -> list[Document | InputError]:
    records = []
    for reader in READERS.values():
        try:
            records.extend(reader(data, "input"))
        except InputError as error:
            records.append(error)
    return records


def assert_well_formed(records: list[Document | InputError]) -> None:
    for record in records:
        assert isinstance(record, (Document, InputError))
        if isinstance(record, Document):
            assert record.text
            for block in record.quoted:
                assert 0 <= block.start < block.end <= len(record.text)


@pytest.mark.parametrize("fixture", sorted(p.name for p in FIXTURES.iterdir()))
def test_cut_off_fixtures_never_crash(fixture):
    data = (FIXTURES / fixture).read_bytes()
    rng = random.Random(fixture)
    for cut in sorted(rng.randrange(len(data)) for _ in range(12)):
        assert_well_formed(read_all_kinds(data[:cut]))
        assert_well_formed(read_all_kinds(data[cut:]))


def test_scrambled_markup_never_crashes():
    rng = random.Random(7)
    for _ in range(120):
        markup = "".join(rng.choice(MARKUP_PIECES) for _ in range(rng.randrange(1, 30)))
        assert_well_formed(read_all_kinds(markup.encode("utf-8", "surrogatepass")))
        assert_well_formed(read_all_kinds(json.dumps({"html": markup}).encode()))
