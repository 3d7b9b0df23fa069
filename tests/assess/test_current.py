"""The assessment is never stale: `ingest` leaves the ledger assessed, and `export`,
`report` and `serve` assess a ledger whose claims changed since its last assessment."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from claimledger.cli import app
from claimledger.pipeline import ensure_assessed, ingest_paths
from claimledger.store import open_ledger

runner = CliRunner()

STORY = (
    "---\noutlet: Harbor Wire\npublished: 2024-11-25\n---\n"
    "About 500 North Korean soldiers were killed in the Storm Shadow missile strike on Kursk, "
    "the Ukrainian outlet RBC Ukraine reported, citing Global Defense Corp.\n"
)


def test_ingest_then_export_gives_the_assessed_ledger(tmp_path):
    (tmp_path / "a.txt").write_text(STORY, encoding="utf-8")
    db = str(tmp_path / "ledger.db")
    assert runner.invoke(app, ["ingest", str(tmp_path / "a.txt"), "--db", db]).exit_code == 0
    exported = runner.invoke(app, ["export", "--format", "claimreview", "--db", db])
    assert exported.exit_code == 0
    assert "Global Defense Corp." in exported.stdout and json.loads(exported.stdout)
    clusters = runner.invoke(app, ["export", "--format", "clusters", "--db", db]).stdout.strip().splitlines()
    assert any(json.loads(line)["event"] == "killed" for line in clusters)


def test_a_ledger_changed_since_its_assessment_is_assessed_again(tmp_path, extractor):
    (tmp_path / "a.txt").write_text(STORY, encoding="utf-8")
    db = str(tmp_path / "ledger.db")
    ingest_paths(open_ledger(db), [str(tmp_path / "a.txt")], extractor=extractor)  # the library: not assessed
    ledger = open_ledger(db)
    assert ensure_assessed(ledger) is True
    assert ensure_assessed(ledger) is False  # current now: nothing to do
    (tmp_path / "b.txt").write_text(STORY.replace("Harbor Wire", "Eastbridge Daily"), encoding="utf-8")
    ingest_paths(ledger, [str(tmp_path / "b.txt")], extractor=extractor)
    assert ensure_assessed(ledger) is True
