"""The CLI, in-process, with exact expected output where the output is ours."""

from __future__ import annotations

import json
from importlib import resources

import jsonschema
from typer.testing import CliRunner

from claimledger.cli import app

runner = CliRunner()

STORY = (
    "---\n"
    "outlet: Harbor Wire\n"
    "published: 2024-12-20\n"
    "---\n"
    "South Korea's spy agency said on Thursday that at least 100 North Korean soldiers had "
    "been killed. The agency said the figure was conservative.\n"
)


def _schema() -> dict:
    path = resources.files("claimledger") / "schemas" / "claim.schema.json"
    return json.loads(path.read_text(encoding="utf-8"))


def test_extract_jsonl_follows_the_contract(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(STORY, encoding="utf-8")
    result = runner.invoke(app, ["extract", str(path)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert records
    for record in records:
        jsonschema.validate(record, _schema())
    figure = next(r for r in records if r["kind"] == "figure")
    assert figure["outlet"] == "Harbor Wire" and figure["published"] == "2024-12-20"
    assert figure["quantity"] == {"value": 100.0, "low": 100.0, "high": None, "approx": False,
                                  "text": "at least 100", "bound": "lower"}
    assert figure["event"] == "killed"
    assert figure["time"] == {"text": "on Thursday", "date": "2024-12-19"}
    assert [[hop["name"] for hop in chain] for chain in figure["chains"]] == [["South Korea's spy agency"]]
    body = STORY.split("---\n", 2)[2]
    assert body[figure["start"] : figure["end"]] == figure["text"]


def test_extract_is_stable(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(STORY, encoding="utf-8")
    first = runner.invoke(app, ["extract", str(path)]).stdout
    second = runner.invoke(app, ["extract", str(path)]).stdout
    assert first == second


def test_extract_outlet_and_published_fill_what_is_missing(tmp_path):
    path = tmp_path / "plain.txt"
    path.write_text("Officials said 12 people were wounded on Friday.", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(path), "--outlet", "Eastbridge Daily", "--published", "2024-11-24"])
    record = json.loads(result.stdout.splitlines()[0])
    assert record["outlet"] == "Eastbridge Daily" and record["published"] == "2024-11-24"
    assert record["time"]["date"] == "2024-11-22"


def test_bad_published_is_one_clear_line(tmp_path):
    path = tmp_path / "plain.txt"
    path.write_text("Officials said 12 people were wounded.", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(path), "--published", "last tuesday"])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "error: --published must be an ISO date such as 2024-11-24, got 'last tuesday'"
    )


def test_ingest_json_summary_and_exit_code(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "story.txt").write_text(STORY, encoding="utf-8")
    (docs / "empty.txt").write_text("", encoding="utf-8")
    db = str(tmp_path / "ledger.db")
    result = runner.invoke(app, ["ingest", str(docs), "--db", db, "--format", "json"])
    assert result.exit_code == 1
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert (summary["stored"], summary["unchanged"], summary["near_copies"], summary["failed"]) == (1, 0, 0, 1)
    assert summary["errors"][0]["path"].endswith("empty.txt")
    again = runner.invoke(app, ["ingest", str(docs / "story.txt"), "--db", db, "--format", "json"])
    assert again.exit_code == 0
    assert json.loads(again.stdout.strip().splitlines()[-1])["unchanged"] == 1


def test_missing_path_is_an_error_not_a_traceback(tmp_path):
    result = runner.invoke(app, ["ingest", str(tmp_path / "nope"), "--db", str(tmp_path / "l.db")])
    assert result.exit_code == 1
    assert "nope" in result.stderr and "Traceback" not in result.output


def test_help_lists_the_commands():
    result = runner.invoke(app, ["--help"])
    for command in ("ingest", "extract", "demo", "eval"):
        assert command in result.stdout
