"""Text and Markdown files: offsets line up with the file, front matter, decoding, bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimledger.errors import InputError
from claimledger.ingest import read_text_file
from claimledger.ingest.folder import path_id

FIXTURES = Path(__file__).parent / "fixtures"


def test_text_is_the_file_content_unchanged(read_batch):
    path = FIXTURES / "report.txt"
    (doc,), errors = read_batch([path])
    content = path.read_text(encoding="utf-8")
    assert errors == []
    assert doc.text == content
    start = content.index("About 11,000")
    assert doc.text[start:start + len("About 11,000")] == "About 11,000"
    assert doc.id == path_id(str(path))  # its path from the working directory, however named
    assert doc.source_path == str(path)
    assert doc.input_kind == "text"
    assert (doc.outlet, doc.published, doc.title, doc.quoted) == (None, None, None, ())


def test_front_matter_gives_metadata_and_offsets_count_after_it(read_batch):
    path = FIXTURES / "briefing.md"
    (doc,), _ = read_batch([path])
    content = path.read_text(encoding="utf-8")
    body = content[content.index("# Kursk briefing"):]
    assert doc.text == body
    assert doc.title == "Kursk briefing: what officials say"
    assert doc.outlet == "The Example Ledger"
    assert doc.published == "2024-11-25"
    assert doc.url == "https://ledger.example/kursk-briefing"
    assert doc.id == path_id(str(path))  # a text file states no id of its own


def test_a_markdown_rule_above_prose_is_not_front_matter():
    content = "---\nA line of prose, not a field.\n---\nMore prose about Kursk.\n"
    (doc,) = read_text_file(content.encode(), "rule.md")
    assert doc.text == content
    assert doc.title is None


def test_utf8_bom_is_dropped_and_offsets_count_from_after_it():
    (doc,) = read_text_file(b"\xef\xbb\xbfAbout 11,000 troops.", "bom.txt")
    assert doc.text == "About 11,000 troops."


def test_non_utf8_text_decodes(tmp_path, read_batch):
    original = (
        "Ukraine\u2019s president Zelens\u2019kyi said the units were \u201cbadly hit\u201d "
        "near Kursk \u2013 a caf\u00e9 owner in Sudzha saw them \u2026\n"
    )
    path = tmp_path / "cp1252.txt"
    path.write_bytes(original.encode("cp1252"))
    (doc,), errors = read_batch([path])
    assert errors == []
    assert doc.text == original


def test_latin1_text_decodes(tmp_path, read_batch):
    original = "Le caf\u00e9 de la gare, \u00e0 Koursk, a ferm\u00e9 ses portes en novembre.\n"
    path = tmp_path / "latin1.txt"
    path.write_bytes(original.encode("latin-1"))
    (doc,), _ = read_batch([path])
    assert doc.text == original


def test_empty_file_is_an_error_and_the_batch_goes_on(tmp_path, read_batch, names_file):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    documents, (error,) = read_batch([empty, FIXTURES / "report.txt"])
    names_file(error, empty, "empty document")
    assert [d.source_path for d in documents] == [str(FIXTURES / "report.txt")]


def test_whitespace_only_file_is_an_error(tmp_path, read_batch, names_file):
    blank = tmp_path / "blank.md"
    blank.write_text("  \n\n\t \n")
    documents, (error,) = read_batch([blank, FIXTURES / "briefing.md"])
    names_file(error, blank, "empty document")
    assert len(documents) == 1


def test_front_matter_without_text_is_an_empty_document(tmp_path, read_batch, names_file):
    path = tmp_path / "only_meta.md"
    path.write_text("---\ntitle: Nothing here\n---\n\n")
    _, (error,) = read_batch([path])
    names_file(error, path, "empty document")


def test_binary_file_is_an_error_and_the_batch_goes_on(tmp_path, read_batch, names_file):
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    documents, (error,) = read_batch([binary, FIXTURES / "report.txt"])
    names_file(error, binary, "binary file, not text")
    assert len(documents) == 1


def test_read_text_file_raises_for_a_bad_file():
    with pytest.raises(InputError, match="empty document"):
        read_text_file(b"\n", "x.txt")
