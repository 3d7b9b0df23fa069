"""One document never sinks a batch: whatever goes wrong while storing one document
(claims sharing an id, metadata longer than the ledger takes, an unexpected exception)
is that document's failure, rolled back and reported in one line naming its file; the
rest of the batch is stored. On SQLite and (marked `postgres`) on PostgreSQL."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from claimledger.errors import StoreError
from claimledger.models import Document
from claimledger.pipeline import ingest_paths
from claimledger.store import open_ledger

REPORT = ("Ukraine's military intelligence said on Saturday that about {n} North Korean soldiers "
          "had been killed near the village of {place}.")


class FaultyExtractor:
    """The real extractor, with one fault injected into the claims of the document whose
    id ends with `victim`: its first claim repeated (two claims, one id), or a failure
    raised while its claims are read."""

    def __init__(self, real, victim: str, fault: str):
        self.real, self.victim, self.fault = real, victim, fault

    def extract_many(self, docs):
        for doc, claims in self.real.extract_many(docs):
            if doc.id.endswith(self.victim) and isinstance(claims, list) and claims:
                claims = [*claims, claims[0]] if self.fault == "duplicate" else self._exploding(claims)
            yield doc, claims

    @staticmethod
    def _exploding(claims):
        yield claims[0]
        raise RuntimeError("connection to the extraction worker lost")


def _corpus(folder: Path) -> Path:
    folder.mkdir()
    for i, place in enumerate(["Plekhovo", "Sudzha", "Korenevo"]):
        (folder / f"report-{i}.txt").write_text(REPORT.format(n=100 * (i + 1), place=place), encoding="utf-8")
    return folder


@pytest.mark.parametrize("fault", ["duplicate", "exception"])
def test_a_document_that_cannot_be_stored_fails_alone(ledger_url, tmp_path, extractor, fault):
    corpus = _corpus(tmp_path / "corpus")
    ledger = open_ledger(ledger_url)
    summary = ingest_paths(ledger, [str(corpus)], extractor=FaultyExtractor(extractor, "report-1.txt", fault))
    assert (summary.stored, summary.failed) == (2, 1)
    [error] = summary.errors
    assert error["path"].endswith("report-1.txt") and error["error"].startswith("cannot store this document")
    assert "\n" not in error["error"]
    assert {d.id.rsplit("/", 1)[-1] for d in ledger.documents()} == {"report-0.txt", "report-2.txt"}
    assert {c.doc.rsplit("/", 1)[-1] for c in ledger.claims()} == {"report-0.txt", "report-2.txt"}  # rolled back
    again = ingest_paths(ledger, [str(corpus)], extractor=extractor)  # nothing half-stored stands in the way
    assert (again.stored, again.unchanged, again.failed) == (1, 2, 0)
    assert ledger.counts()["documents"] == 3


def test_the_store_names_the_file_and_keeps_the_ledger_as_it_was(ledger_url, extractor):
    ledger = open_ledger(ledger_url)
    doc = Document(id="a", text=REPORT.format(n=300, place="Giri"), source_path="in/a.txt", outlet="Harbor Wire")
    claims = extractor.extract(doc)
    with pytest.raises(StoreError) as raised:
        ledger.store(doc, [*claims, claims[0]])
    assert raised.value.path == "in/a.txt" and "cannot store this document" in raised.value.message
    assert ledger.counts() == {"documents": 0, "versions": 0, "near_copies": 0, "claims": 0}
    assert ledger.store(doc, claims).status == "stored"


def test_metadata_beyond_the_ledger_limits_fails_that_line_and_nul_is_stored_safely(ledger_url, tmp_path, extractor):
    text = REPORT.format(n=200, place="Olgovka")
    lines = [
        {"id": "fine", "text": text, "outlet": "Harbor Wire"},
        {"id": "long-outlet", "text": text + " More.", "outlet": "O" * 501},
        {"id": "long-language", "text": text + " Again.", "language": "l" * 21},
        {"id": "x" * 2001, "text": text + " Once more."},
        {"id": "nul\u0000id", "text": "Officials said\u0000 about 40 soldiers were captured near Sudzha.",
         "title": "A\u0000title", "outlet": "Null\u0000 Post"},
    ]
    batch = tmp_path / "batch.jsonl"
    batch.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    ledger = open_ledger(ledger_url)
    summary = ingest_paths(ledger, [str(batch)], extractor=extractor)
    assert (summary.stored, summary.failed) == (2, 3)
    failures = {e["line"]: e["error"] for e in summary.errors}
    assert all(e["path"] == str(batch) for e in summary.errors)
    assert failures[2] == "the document's outlet is 501 characters long, above the ledger's limit of 500"
    assert failures[3] == "the document's language is 21 characters long, above the ledger's limit of 20"
    assert failures[4] == "the document's id is 2,001 characters long, above the ledger's limit of 2,000"
    stored = ledger.document("nul\ufffdid")
    assert stored is not None and stored.title == "A\ufffdtitle" and stored.outlet == "Null\ufffd Post"
    assert stored.text == "Officials said\ufffd about 40 soldiers were captured near Sudzha."
    claims = [c for c in ledger.claims() if c.doc == stored.id]
    assert claims and all(stored.text[c.start:c.end] == c.text and "\x00" not in c.sentence for c in claims)


def test_what_the_ledger_refuses_is_refused_before_anything_is_written(ledger_url):
    ledger = open_ledger(ledger_url)
    doc = Document(id="a", text="Officials said 3 people died.", source_path="a.txt", language="x" * 21)
    with pytest.raises(StoreError, match="language is 21 characters"):
        ledger.store(doc, [])
    assert ledger.store(dataclasses.replace(doc, language="en"), []).status == "stored"
