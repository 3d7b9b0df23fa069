"""Long documents: extraction cost grows linearly with length, and a document over its
size or time budget fails alone, with one line naming it and the limit, while the rest
of the batch is extracted and stored. Generated from sentences we wrote.

Times are CPU seconds of this process (`time.process_time`): the machine running the
suite may be shared, and waiting for a core is not extraction cost."""

from __future__ import annotations

import time

import pytest
from profile_extract import long_document as long_text  # (benchmarks/: the documents it profiles)
from profile_extract import run_on_sentence as run_on

from claimledger.errors import BudgetExceeded
from claimledger.models import Document


def cpu_seconds(extractor, text: str) -> tuple[float, int]:
    started = time.process_time()
    claims = extractor.extract(Document(id="long", text=text, published="2024-12-20"))
    return time.process_time() - started, len(claims)


def test_two_thousand_sentences_extract_in_under_five_seconds_and_cost_grows_linearly(extractor):
    extractor.extract(Document(id="warm", text=long_text(20)))  # lexicons and caches loaded
    half, half_claims = cpu_seconds(extractor, long_text(1000))
    full, full_claims = cpu_seconds(extractor, long_text(2000))
    assert full_claims > 1.8 * half_claims > 500  # the sentences hold claims, and all are found
    assert full < 5.0
    assert full < 2.5 * half  # before: 9 s for 1,000 sentences, 59 s for 2,000


@pytest.fixture()
def budget(monkeypatch):
    """An extractor whose documents get `seconds` and `chars` at most."""
    from claimledger.extract.pipeline import Extractor

    def make(seconds: float = 60.0, chars: int = 1_000_000) -> Extractor:
        monkeypatch.setenv("CLAIMLEDGER_DOCUMENT_TIME_BUDGET_SECONDS", str(seconds))
        monkeypatch.setenv("CLAIMLEDGER_MAX_DOCUMENT_CHARS", str(chars))
        return Extractor()

    return make


def test_a_forty_thousand_character_run_on_sentence_finishes_or_fails_by_its_budget(budget):
    extractor = budget(seconds=20)
    text = run_on(40_000)
    assert len(text) >= 40_000 and text.count(".") == 1
    started = time.perf_counter()
    [(_, result)] = list(extractor.extract_many([Document(id="run-on", text=text)]))
    elapsed = time.perf_counter() - started
    if isinstance(result, BudgetExceeded):
        assert "document_time_budget_seconds" in str(result)
    else:
        assert isinstance(result, list) and len(result) > 100
    assert elapsed < 20 + 15  # the budget, and the parse it cannot interrupt  (before: 55 s, 204 s profiled)


def test_a_document_over_the_size_limit_fails_alone_without_being_parsed(budget):
    extractor = budget(chars=5_000)
    docs = [Document(id="small-1", text=long_text(5, seed=1)), Document(id="big.txt", text=long_text(200)),
            Document(id="small-2", text=long_text(5, seed=2))]
    results = {doc.id: result for doc, result in extractor.extract_many(docs)}
    assert results["small-1"] and results["small-2"]
    error = results["big.txt"]
    assert isinstance(error, BudgetExceeded)
    assert str(error) == (f"big.txt: document too large to extract: {len(docs[1].text):,} characters, "
                          "over the limit of 5,000 (setting max_document_chars)")


def test_a_ten_thousand_sentence_document_fails_by_its_budget_and_the_batch_is_stored(budget, tmp_path):
    from claimledger.pipeline import ingest_paths
    from claimledger.store import open_ledger

    folder = tmp_path / "corpus"
    folder.mkdir()
    for i in range(3):
        (folder / f"report-{i}.txt").write_text(long_text(4, seed=10 + i), encoding="utf-8")
    (folder / "huge.txt").write_text(long_text(10_000), encoding="utf-8")
    ledger = open_ledger(str(tmp_path / "ledger.db"))
    extractor = budget(seconds=2)
    started = time.perf_counter()
    summary = ingest_paths(ledger, [str(folder)], extractor=extractor)
    elapsed = time.perf_counter() - started
    assert (summary.stored, summary.failed) == (3, 1)
    [error] = summary.errors
    assert error["path"].endswith("huge.txt")
    assert error["error"].startswith("extraction stopped after ") and error["error"].endswith(
        "over the limit of 2 s (setting document_time_budget_seconds)"
    )
    assert {d.id.rsplit("/", 1)[-1] for d in ledger.documents()} == {"report-0.txt", "report-1.txt", "report-2.txt"}
    assert elapsed < 240  # its parse runs to its end; nothing after it (before: not done in 10 minutes)
