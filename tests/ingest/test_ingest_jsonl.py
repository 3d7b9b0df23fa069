"""JSON Lines batches: text and html lines, and bad lines reported with their line numbers."""

from __future__ import annotations

import json
from pathlib import Path

from claimledger.ingest import read_jsonl_file
from claimledger.ingest.folder import path_id
from claimledger.models import content_hash

FIXTURES = Path(__file__).parent / "fixtures"


def test_text_and_html_lines_become_documents(read_batch):
    path = FIXTURES / "batch.jsonl"
    (wire, ledger, bare), errors = read_batch([path])
    assert errors == []
    assert wire.id == "wire-8812"
    assert wire.text.startswith("About 11,000 North Korean troops")
    assert (wire.outlet, wire.title) == ("Example Wire", "North Korean troops in Kursk")
    assert wire.published == "2024-11-25T06:30:00+00:00"
    assert wire.source_path == f"{path}:1"
    assert wire.input_kind == "jsonl"
    assert ledger.text == (
        "A Ukrainian commander said his unit had met North Korean soldiers near Plekhovo.\n\n"
        "The enemy lost dozens of men in two days."
    )
    (block,) = ledger.quoted
    assert ledger.text[block.start:block.end] == "The enemy lost dozens of men in two days."
    assert block.cite == "https://gov.example/brief"
    assert ledger.published == "2024-11-26"
    assert ledger.id == content_hash(ledger.text)  # no id given: the text's hash
    assert bare.source_path == f"{path}:3"
    assert bare.outlet is None


def test_bad_lines_are_errors_with_line_numbers_and_good_lines_still_read(read_batch, names_file):
    path = FIXTURES / "batch_with_bad_lines.jsonl"
    documents, errors = read_batch([path, FIXTURES / "report.txt"])
    assert [d.id for d in documents] == ["ok-1", "ok-2", path_id(str(FIXTURES / "report.txt"))]
    assert documents[1].source_path == f"{path}:7"
    assert [e.line for e in errors] == [2, 4, 5, 6]  # line 3 is blank: skipped
    for error in errors:
        names_file(error, path, "")
        assert str(error).startswith(f"{path}:{error.line}: ")
    assert errors[0].message.startswith("invalid JSON")
    assert errors[1].message == "expected a JSON object, got list"
    assert errors[2].message == "no 'text' or 'html' field"
    assert errors[3].message.startswith("empty document")


def test_wrongly_typed_field_and_bad_encoding_fail_their_line_only():
    data = (
        b'{"id": "a", "text": "Kursk", "outlet": 7}\n'
        b'{"id": "b", "text": "caf\xe9 in Sudzha"}\n'
        b'{"id": 3, "text": "Seoul counts 11,000.", "published": "last week"}\n'
    )
    outlet_error, encoding_error, doc = read_jsonl_file(data, "b.jsonl")
    assert (outlet_error.line, outlet_error.message) == (1, "field 'outlet' must be a string")
    assert encoding_error.line == 2 and "not UTF-8" in encoding_error.message
    assert doc.id == "3"
    assert doc.published is None  # a stated date that is no date is left for the default


def test_html_page_line_fills_what_the_line_lacks_from_the_page():
    page = (
        '<html lang="en"><head><meta property="og:site_name" content="Page Outlet">'
        '<link rel="canonical" href="https://p.example/x"></head><body><p>Seoul counts about '
        "11,000 North Korean soldiers in Kursk.</p></body></html>"
    )
    line = json.dumps({"id": "p-1", "outlet": "Line Outlet", "html": page})
    (doc,) = read_jsonl_file(line.encode(), "pages.jsonl")
    assert doc.outlet == "Line Outlet"  # the line's own field wins
    assert (doc.url, doc.language) == ("https://p.example/x", "en")
    assert doc.text == "Seoul counts about 11,000 North Korean soldiers in Kursk."
