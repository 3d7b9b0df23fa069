"""Shared fixtures: the spaCy pipeline is loaded once per test session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def extractor():
    from claimledger.extract.pipeline import Extractor

    return Extractor()


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The public evaluation corpora; tests that need them skip where absent."""
    return Path(os.environ.get("CLAIMLEDGER_DATA_DIR", REPO.parent / "shared" / "data"))


@pytest.fixture()
def extract(extractor):
    from claimledger.models import Document

    def run(text: str, published: str = "2024-12-16", outlet: str = "Test Daily"):
        return extractor.extract(Document(id="t", text=text, published=published, outlet=outlet))

    return run
