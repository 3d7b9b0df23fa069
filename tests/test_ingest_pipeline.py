"""Ingest into the ledger: idempotent, versioned, near-copies linked, bad input reported,
and safe to kill mid-run."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from claimledger.pipeline import ingest_paths
from claimledger.store import open_ledger, schema

WIRE = (
    "KYIV, Dec 16 (Harbor Wire) - Ukraine's military intelligence said on Saturday that about "
    "200 soldiers of combined Russian and North Korean units had been killed near the village. "
    "The figure could not be independently verified. Officials in Seoul said they were "
    "checking the report with their American counterparts."
)


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _db(tmp_path: Path) -> str:
    """A ledger outside the folder being ingested."""
    folder = tmp_path.parent / (tmp_path.name + "-db")
    folder.mkdir(exist_ok=True)
    return str(folder / "ledger.db")


def _stored_so_far(db: str) -> int:
    """Documents stored by a run still going: read-only, never migrating the database
    under it (opening it with `open_ledger` would), 0 until its tables exist."""
    if not Path(db).exists():
        return 0
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
    try:
        return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    except sqlite3.OperationalError:  # not migrated yet
        return 0
    finally:
        conn.close()


def _doc_rows(db: str) -> list[tuple[str, int]]:
    ledger = open_ledger(db)
    with ledger.engine.connect() as conn:
        t = schema.documents
        return list(conn.execute(select(t.c.doc_id, func.count()).group_by(t.c.doc_id)))


def test_ingest_twice_stores_nothing_new(tmp_path, extractor):
    _write(tmp_path, "a.txt", WIRE)
    _write(tmp_path, "b.txt", "The governor said 12 people were wounded in the shelling on Friday.")
    db = _db(tmp_path)
    first = ingest_paths(open_ledger(db), [str(tmp_path)], extractor=extractor)
    second = ingest_paths(open_ledger(db), [str(tmp_path)], extractor=extractor)
    assert (first.stored, first.unchanged, first.failed) == (2, 0, 0)
    assert first.claims > 0
    assert (second.stored, second.unchanged, second.claims) == (0, 2, 0)
    counts = open_ledger(db).counts()
    assert counts["documents"] == 2 and counts["claims"] == first.claims


def test_edited_document_becomes_a_new_version(tmp_path, extractor):
    path = _write(tmp_path, "a.txt", WIRE)
    db = _db(tmp_path)
    ingest_paths(open_ledger(db), [str(path)], extractor=extractor)
    path.write_text(WIRE.replace("about 200", "about 250"), encoding="utf-8")
    summary = ingest_paths(open_ledger(db), [str(path)], extractor=extractor)
    assert summary.new_versions == 1
    ledger = open_ledger(db)
    assert ledger.counts()["versions"] == 2 and ledger.counts()["documents"] == 1
    values = {c.quantity.value for c in ledger.claims() if c.quantity}
    assert 250 in values and 200 not in values


def test_syndicated_near_copy_is_linked(tmp_path, extractor):
    _write(tmp_path, "a.txt", WIRE)
    _write(tmp_path, "b.txt", WIRE.replace("Harbor Wire", "Eastbridge Daily") + " More follows.")
    db = _db(tmp_path)
    summary = ingest_paths(open_ledger(db), [str(tmp_path)], extractor=extractor)
    assert summary.stored == 2 and summary.near_copies == 1


def test_bad_inputs_are_reported_and_the_rest_is_stored(tmp_path, extractor):
    _write(tmp_path, "good.txt", WIRE)
    _write(tmp_path, "empty.txt", "")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02\xff" * 100)
    _write(tmp_path, "batch.jsonl", '{"id": "ok-1", "text": "Officials said 3 people died."}\nnot json\n')
    db = _db(tmp_path)
    summary = ingest_paths(open_ledger(db), [str(tmp_path)], extractor=extractor)
    assert summary.stored == 2
    assert summary.failed == 3
    paths = {Path(e["path"]).name for e in summary.errors}
    assert {"empty.txt", "binary.txt", "batch.jsonl"} <= paths
    assert any(e["line"] == 2 for e in summary.errors)
    assert open_ledger(db).counts()["documents"] == 2


def test_killed_mid_run_then_rerun_stores_every_document_once(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(60):
        _write(corpus, f"doc{i:03}.txt", f"Report {i}. " + WIRE.replace("about 200", f"about {200 + i}"))
    db = _db(tmp_path)
    env = dict(os.environ, CLAIMLEDGER_BATCH_SIZE="2")
    cmd = [sys.executable, "-m", "claimledger", "ingest", str(corpus), "--db", db, "--format", "json"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        time.sleep(0.2)
        if _stored_so_far(db) >= 5:
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    stored_before = sum(n for _, n in _doc_rows(db))
    assert 0 < stored_before < 60, "the run should have been killed part-way"
    rerun = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    summary = json.loads(rerun.stdout.strip().splitlines()[-1])
    assert summary["unchanged"] == stored_before
    rows = _doc_rows(db)
    assert len(rows) == 60 and all(n == 1 for _, n in rows)


def test_a_document_is_the_same_by_any_path_that_reaches_it(tmp_path, extractor, monkeypatch):
    from claimledger.pipeline import assess_ledger as build_ledger

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _write(corpus, "a.txt", WIRE)
    _write(corpus, "b.txt", "The governor said 12 people were wounded in the shelling on Friday.")
    monkeypatch.chdir(tmp_path)
    ledgers = {}
    for name, path in (("relative", "corpus"), ("absolute", str(corpus)), ("dotted", "./corpus/../corpus")):
        ledger = open_ledger(str(tmp_path / f"{name}.db"))
        assert ingest_paths(ledger, [path], extractor=extractor).stored == 2
        built = build_ledger(ledger)
        ledgers[name] = (sorted(d.id for d in ledger.documents()), sorted(c["id"] for c in built["claims"]),
                         sorted(g["id"] for g in built["clusters"]))
    assert ledgers["relative"][0] == ["corpus/a.txt", "corpus/b.txt"]
    assert ledgers["relative"] == ledgers["absolute"] == ledgers["dotted"]
    again = ingest_paths(open_ledger(str(tmp_path / "relative.db")), [str(corpus / "a.txt")], extractor=extractor)
    assert (again.stored, again.unchanged) == (0, 1)


def test_error_lines_do_not_wrap_when_stderr_is_not_a_terminal(tmp_path):
    missing = tmp_path / ("a-folder-with-a-rather-long-name-" * 3) / "and-a-report-that-is-not-there.txt"
    done = subprocess.run([sys.executable, "-m", "claimledger", "ingest", str(missing), "--db", _db(tmp_path)],
                          check=False, capture_output=True, text=True, env=dict(os.environ, COLUMNS="", TERM="dumb"))
    assert done.returncode == 1
    [line] = [line for line in done.stderr.splitlines() if "failed:" in line]
    assert line == f"failed: {missing}: cannot read: no such file or directory"
