"""Many writers at once: a fresh ledger opened by several processes is migrated once;
two `claimledger ingest` runs at once, over different or the same files, both finish and
store each document once. On SQLite and (marked `postgres`) on PostgreSQL."""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from claimledger.store import open_ledger, schema
from claimledger.store.migrations import MIGRATIONS

REPORT = (
    "KYIV, Dec {day} (Harbor Wire) - Ukraine's military intelligence said on Saturday that about "
    "{n} soldiers had been killed near the village of {place}. Officials in Seoul said they were "
    "checking the report."
)
PLACES = ["Plekhovo", "Kurilovka", "Sudzha", "Malaya Loknya", "Korenevo", "Giri", "Zeleny Shlyakh", "Olgovka"]


def _open_at_once(url: str, barrier) -> str:
    barrier.wait()
    try:
        ledger = open_ledger(url)
        ledger.engine.dispose()
    except Exception as exc:  # noqa: BLE001 (whatever fails is the answer this process gives)
        return f"{type(exc).__name__}: {exc}"
    return "ok"


def test_a_fresh_ledger_opened_by_six_processes_at_once_is_migrated_once(ledger_url, tmp_path, request):
    """Five rounds, each on a new database: the race is in the first milliseconds."""
    context = multiprocessing.get_context("fork")
    urls = [ledger_url] + [
        str(tmp_path / f"round{n}.db") if "://" not in ledger_url
        else request.getfixturevalue("postgres").create_database()
        for n in range(1, 5)
    ]
    for url in urls:
        with context.Manager() as manager:
            barrier = manager.Barrier(6)
            with context.Pool(6) as pool:
                outcomes = pool.starmap(_open_at_once, [(url, barrier)] * 6)
        assert outcomes == ["ok"] * 6
        ledger = open_ledger(url)
        with ledger.engine.connect() as conn:
            names = list(conn.execute(select(schema.migrations.c.name).order_by(schema.migrations.c.name)).scalars())
        ledger.engine.dispose()
        assert names == [name for name, _ in MIGRATIONS]


def _corpus(folder: Path, names: range) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in names:
        text = REPORT.format(day=1 + i % 28, n=100 + i, place=PLACES[i % len(PLACES)])
        (folder / f"report-{i:02}.txt").write_text(text, encoding="utf-8")
    return folder


def _ingest_at_once(url: str, *folders: list[Path], cwd: Path) -> list[subprocess.CompletedProcess]:
    env = dict(os.environ, CLAIMLEDGER_BATCH_SIZE="1")
    runs = [
        subprocess.Popen([sys.executable, "-m", "claimledger", "ingest", *map(str, paths), "--db", url,
                          "--format", "json"], cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True)
        for paths in folders
    ]
    return [subprocess.CompletedProcess(run.args, run.wait(timeout=300), *run.communicate()) for run in runs]


def _stored(url: str) -> dict[str, int]:
    ledger = open_ledger(url)
    t = schema.documents
    with ledger.engine.connect() as conn:
        rows = dict(conn.execute(select(t.c.doc_id, func.count()).group_by(t.c.doc_id)).all())
    ledger.engine.dispose()
    return rows


def test_two_ingests_at_once_on_a_fresh_ledger_both_finish(ledger_url, tmp_path):
    first = _corpus(tmp_path / "first", range(6))
    second = _corpus(tmp_path / "second", range(6, 12))
    runs = _ingest_at_once(ledger_url, [first], [second], cwd=tmp_path)
    for run in runs:
        assert run.returncode == 0, run.stderr
        assert json.loads(run.stdout.strip().splitlines()[-1])["stored"] == 6
    stored = _stored(ledger_url)
    assert len(stored) == 12 and set(stored.values()) == {1}


def test_two_ingests_of_the_same_files_at_once_store_each_once(ledger_url, tmp_path):
    corpus = _corpus(tmp_path / "corpus", range(30))
    open_ledger(ledger_url).engine.dispose()  # this time the race is over the documents
    runs = _ingest_at_once(ledger_url, [corpus], [corpus], cwd=tmp_path)
    summaries = []
    for run in runs:
        assert run.returncode == 0, run.stderr
        summaries.append(json.loads(run.stdout.strip().splitlines()[-1]))
    assert all(s["failed"] == 0 and s["stored"] + s["unchanged"] == 30 for s in summaries)
    assert sum(s["stored"] for s in summaries) == 30
    stored = _stored(ledger_url)
    assert len(stored) == 30 and set(stored.values()) == {1}
