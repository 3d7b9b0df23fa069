"""Shared helpers for the ingest tests: the fixture folder, and reading a batch."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from claimledger.errors import InputError
from claimledger.ingest import read_paths
from claimledger.models import Document

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def fixture_copy(tmp_path):
    """Copy a fixture into tmp_path (to sit beside generated bad inputs); returns its path."""

    def copy(name: str, as_name: str | None = None) -> Path:
        target = tmp_path / (as_name or name)
        shutil.copyfile(FIXTURES / name, target)
        return target

    return copy


@pytest.fixture
def read_batch():
    """Read paths; return (documents, errors), checking nothing else is yielded."""

    def read(paths, **options) -> tuple[list[Document], list[InputError]]:
        records = list(read_paths([str(p) for p in paths], **options))
        documents = [r for r in records if isinstance(r, Document)]
        errors = [r for r in records if isinstance(r, InputError)]
        assert len(documents) + len(errors) == len(records)
        return documents, errors

    return read


@pytest.fixture
def names_file():
    """Check an error names the file (in its path and printed form) and says what is wrong."""

    def check(error: InputError, path: Path, message: str) -> None:
        assert error.path == str(path)
        assert str(error).startswith(str(path))
        assert message in error.message

    return check
