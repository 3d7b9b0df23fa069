"""Extraction in worker processes: the same claims as in one process, in input order; a
document that makes its worker crash, or whose extraction raises, fails alone."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import partial

import pytest

from claimledger.cli import demo_folder
from claimledger.errors import ExtractionError
from claimledger.extract.workers import ProcessExtractor, cores
from claimledger.ingest import read_paths
from claimledger.models import Document
from claimledger.pipeline import ingest_paths, open_extractor
from claimledger.store import open_ledger

REPORT = ("Ukraine's military intelligence said on Saturday that about {n} North Korean soldiers "
          "had been killed near the village of Plekhovo.")


@dataclass(frozen=True)
class CrashingDocument(Document):
    """A document whose worker dies as it receives it (as on a segfault in the parser)."""

    def __reduce__(self):
        return os._exit, (3,)


@dataclass(frozen=True)
class BrokenDocument(Document):
    """A document that reaches the worker without a text: the extraction raises."""

    def __reduce__(self):
        return partial(Document, id=self.id, text=None, source_path=self.source_path), ()


def _reports(n: int) -> list[Document]:
    return [Document(id=f"r{i}", text=REPORT.format(n=100 + i), source_path=f"r{i}.txt", published="2024-12-14")
            for i in range(n)]


@pytest.mark.slow
def test_two_workers_give_the_claims_of_one_process_in_input_order(extractor):
    docs = [d for d in read_paths([str(demo_folder())]) if isinstance(d, Document)]
    alone = [(doc.id, claims) for doc, claims in extractor.extract_many(docs)]
    # chunks of 2 documents: the 30 demo documents are enough to start the workers
    two = [(doc.id, claims) for doc, claims in ProcessExtractor(2, chunk=2).extract_many(docs)]
    assert [doc_id for doc_id, _ in two] == [d.id for d in docs]
    assert sum(len(claims) for _, claims in alone) > 100
    assert two == alone


@pytest.mark.slow
@pytest.mark.parametrize("kind", [CrashingDocument, BrokenDocument])
def test_a_document_that_crashes_its_worker_or_raises_fails_alone(extractor, kind):
    docs = _reports(19)
    bad = kind(id="bad", text=REPORT.format(n=999), source_path="bad.txt")
    docs.insert(5, bad)
    results = list(ProcessExtractor(2, chunk=2).extract_many(docs))
    assert [doc.id for doc, _ in results] == [d.id for d in docs]
    [(_, error)] = [(doc, claims) for doc, claims in results if doc.id == "bad"]
    assert isinstance(error, ExtractionError) and error.path == "bad.txt"
    expected = "the extraction worker crashed" if kind is CrashingDocument else "extraction failed: TypeError"
    assert error.message.startswith(expected)
    good = [(doc.id, claims) for doc, claims in results if doc.id != "bad"]
    assert good == [(doc.id, claims) for doc, claims in extractor.extract_many(_reports(19))]
    assert all(len(claims) == 1 for _, claims in good)


def test_few_documents_are_extracted_in_this_process(extractor, monkeypatch):
    engine = ProcessExtractor(2)

    def no_workers():
        raise AssertionError("workers started for three documents")

    monkeypatch.setattr(engine, "_start", no_workers)
    results = list(engine.extract_many(_reports(3)))
    assert [claims for _, claims in results] == [claims for _, claims in extractor.extract_many(_reports(3))]


def test_workers_setting(monkeypatch):
    monkeypatch.setenv("CLAIMLEDGER_WORKERS", "1")
    assert not isinstance(open_extractor(), ProcessExtractor)
    monkeypatch.setenv("CLAIMLEDGER_WORKERS", "3")
    assert open_extractor().workers == 3
    monkeypatch.setenv("CLAIMLEDGER_WORKERS", "0")  # one per core
    assert getattr(open_extractor(), "workers", 1) == cores()
    assert open_extractor(workers=2).workers == 2  # the command line over the setting


@pytest.mark.slow
def test_ingest_with_two_workers_stores_what_one_process_stores(tmp_path, extractor):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for doc in _reports(9):
        (corpus / doc.source_path).write_text(doc.text, encoding="utf-8")
    one, two = open_ledger(str(tmp_path / "one.db")), open_ledger(str(tmp_path / "two.db"))
    assert ingest_paths(one, [str(corpus)], extractor=extractor).stored == 9
    summary = ingest_paths(two, [str(corpus)], extractor=ProcessExtractor(2, chunk=1))
    assert (summary.stored, summary.failed, summary.claims) == (9, 0, 9)
    assert sorted(c.id for c in two.claims()) == sorted(c.id for c in one.claims())


def test_ingest_takes_workers_on_the_command_line(tmp_path):
    import json

    from typer.testing import CliRunner

    from claimledger.cli import app

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for doc in _reports(3):
        (corpus / doc.source_path).write_text(doc.text, encoding="utf-8")
    result = CliRunner().invoke(app, ["ingest", str(corpus), "--db", str(tmp_path / "l.db"), "--workers", "2",
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout.splitlines()[-1])["claims"] == 3
    assert "ingest (2 workers)" in result.stderr
    assert CliRunner().invoke(app, ["ingest", str(corpus), "--workers", "-1"]).exit_code == 2
