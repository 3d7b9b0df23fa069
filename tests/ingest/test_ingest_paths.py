"""read_paths: folder walks, kind sniffing, size limit, unreadable files, metadata filling."""

from __future__ import annotations

import errno
import os
import time
from pathlib import Path

import pytest

from claimledger.errors import InputError
from claimledger.ingest import MAX_BYTES, normalize_published, read_paths

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def news_folder(tmp_path, fixture_copy):
    """A folder of mixed inputs, some without extensions, one nested, some hidden."""
    fixture_copy("report.txt", "b_report.txt")
    (tmp_path / "c_nested").mkdir()
    (tmp_path / "c_nested" / "inner.md").write_text("Kyiv says the brigade moved east.\n")
    fixture_copy("kursk_watch.atom", "d_feed")  # no extension: sniffed
    fixture_copy("blog_post.html", "e_page")
    fixture_copy("batch.jsonl", "f_batch")
    (tmp_path / "g_notes").write_text("Plain notes: 11,000 soldiers, per Seoul.\n")
    (tmp_path / ".hidden.txt").write_text("Never read: a hidden file.\n")
    (tmp_path / ".cache").mkdir()
    (tmp_path / ".cache" / "seen.txt").write_text("Never read: inside a hidden folder.\n")
    return tmp_path


def test_folder_is_walked_in_name_order_with_kinds_sniffed(news_folder, read_batch):
    documents, errors = read_batch([news_folder])
    assert errors == []
    assert [(Path(d.source_path.split(":")[0]).name, d.input_kind) for d in documents] == [
        ("b_report.txt", "text"),
        ("inner.md", "text"),
        ("d_feed", "feed"), ("d_feed", "feed"), ("d_feed", "feed"),
        ("e_page", "html"),
        ("f_batch", "jsonl"), ("f_batch", "jsonl"), ("f_batch", "jsonl"),
        ("g_notes", "text"),
    ]
    assert not any("Never read" in d.text for d in documents)


def test_hidden_file_named_directly_is_read(news_folder, read_batch):
    (doc,), _ = read_batch([news_folder / ".hidden.txt"])
    assert doc.text.startswith("Never read")


def test_a_single_path_string_is_one_path():
    (doc,) = list(read_paths(str(FIXTURES / "report.txt")))
    assert doc.source_path == str(FIXTURES / "report.txt")


def test_file_above_the_size_limit_is_refused_unread(tmp_path, read_batch, names_file):
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as file:
        file.truncate(50 * 1024 * 1024)  # sparse: 50 MB of NUL bytes, if it were read
    began = time.perf_counter()
    documents, (error,) = read_batch([huge, FIXTURES / "report.txt"])
    assert time.perf_counter() - began < 1.0
    names_file(error, huge, "file is 50.0 MB, above the 20 MB limit")
    assert len(documents) == 1
    assert MAX_BYTES == 20 * 1024 * 1024


def test_file_it_cannot_read_is_an_error_and_the_walk_goes_on(news_folder, read_batch, names_file,
                                                             monkeypatch):
    """Permission denied, made deterministic.

    Tests run as root, where chmod 000 does not stop a read, so the kernel's answer for a
    non-root user is reproduced: os.open raises EACCES for this one file, as it would.
    The mode is set too, so a non-root run meets the real refusal.
    """
    secret = news_folder / "c_nested" / "secret.txt"
    secret.write_text("Locked away.\n")
    secret.chmod(0)
    real_open = os.open

    def open_as_unprivileged(path, flags, *args, **kwargs):
        if os.fspath(path) == str(secret):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", open_as_unprivileged)
    documents, (error,) = read_batch([news_folder])
    names_file(error, secret, "cannot read: permission denied")
    assert len(documents) == 10


def test_folder_it_cannot_list_is_an_error_and_the_walk_goes_on(news_folder, read_batch, names_file,
                                                               monkeypatch):
    locked = news_folder / "c_nested"
    real_scandir = os.scandir

    def scandir_as_unprivileged(path="."):
        if os.fspath(path) == str(locked):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir_as_unprivileged)
    documents, (error,) = read_batch([news_folder])
    names_file(error, locked, "cannot read folder: permission denied")
    assert len(documents) == 9  # all but inner.md


def test_broken_symbolic_link_is_an_error(news_folder, read_batch, names_file):
    dangling = news_folder / "a_moved.txt"
    dangling.symlink_to(news_folder / "no_such_file.txt")
    documents, (error,) = read_batch([news_folder])
    names_file(error, dangling, "cannot read: no such file or directory (a symbolic link")
    assert len(documents) == 10


def test_fifo_is_refused_without_blocking(news_folder, read_batch, names_file):
    pipe = news_folder / "a_pipe"
    os.mkfifo(pipe)  # opening it for reading would wait forever for a writer
    documents, (error,) = read_batch([news_folder])
    names_file(error, pipe, "not a regular file")
    assert len(documents) == 10


def test_symlink_loop_is_walked_once(news_folder, read_batch):
    (news_folder / "c_nested" / "back_up").symlink_to(news_folder, target_is_directory=True)
    documents, errors = read_batch([news_folder])
    assert errors == [] and len(documents) == 10


@pytest.mark.parametrize("name", ["empty.txt", "empty.html", "empty.rss", "empty.jsonl", "empty"])
def test_empty_file_of_any_kind_is_an_empty_document(tmp_path, read_batch, names_file, name):
    empty = tmp_path / name
    empty.write_bytes(b" \n\r\n\t")
    documents, (error,) = read_batch([empty, FIXTURES / "report.txt"])
    names_file(error, empty, "empty document")
    assert len(documents) == 1


def test_missing_path_is_an_error(tmp_path, read_batch, names_file):
    missing = tmp_path / "missing.txt"
    documents, (error,) = read_batch([missing, FIXTURES / "report.txt"])
    names_file(error, missing, "cannot read: no such file or directory")
    assert len(documents) == 1


def test_outlet_and_published_fill_only_what_the_input_lacks(read_batch):
    documents, _ = read_batch(
        [FIXTURES / "report.txt", FIXTURES / "briefing.md"], outlet="Given", published="2024-12-01"
    )
    report, briefing = documents
    assert (report.outlet, report.published) == ("Given", "2024-12-01")
    assert (briefing.outlet, briefing.published) == ("The Example Ledger", "2024-11-25")


def test_published_argument_must_be_a_date():
    with pytest.raises(InputError, match="published must be a date"):
        read_paths([FIXTURES / "report.txt"], published="last week")


@pytest.mark.parametrize(
    ("stated", "iso"),
    [
        ("2024-11-24", "2024-11-24"),
        ("2024-11-24T09:30:00Z", "2024-11-24T09:30:00+00:00"),
        ("2024-11-24T09:30:00+03:00", "2024-11-24T09:30:00+03:00"),
        ("Sun, 24 Nov 2024 09:30:00 GMT", "2024-11-24T09:30:00+00:00"),
        ("Sun, 24 Nov 2024 09:30:00 +0100", "2024-11-24T09:30:00+01:00"),
        ("November 24, 2024", "2024-11-24"),
        ("24 November 2024 14:05", "2024-11-24T14:05:00"),
        ("November 2024", "2024-11"),
        ("yesterday", None),
        ("2024-13-45", None),
        ("", None),
        (None, None),
    ],
)
def test_published_is_normalized_to_iso_8601(stated, iso):
    assert normalize_published(stated) == iso
