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


def test_version():
    from importlib.metadata import version

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"claimledger {version('claimledger')}"


def test_help_has_no_type_tags_and_keeps_its_defaults():
    for command in (["--help"], ["ingest", "--help"], ["extract", "--help"], ["ledger", "--help"],
                    ["export", "--help"], ["report", "--help"], ["serve", "--help"], ["eval", "gold", "--help"],
                    ["eval", "polnear", "--help"]):
        result = runner.invoke(app, command)
        assert result.exit_code == 0, command
        for tag in ("<list[str]>", "<str>", "<bool>", "<int>", "<text|json>"):
            assert tag not in result.stdout, (command, tag)
    ingest_help = " ".join(runner.invoke(app, ["ingest", "--help"]).stdout.split())
    assert "(default: claimledger.db)" in ingest_help.replace("│ ", "").replace(" │", "")
    assert "text|json" in ingest_help


def test_export_and_report_help_say_where_links_point():
    for command in ("export", "report"):
        text = " ".join(runner.invoke(app, [command, "--help"]).stdout.split())
        assert "--base-url" in text and "claimledger serve is reachable" in text


def test_ingest_skips_files_that_are_not_documents_and_counts_them(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "story.txt").write_text(STORY, encoding="utf-8")
    (docs / "index.tsv").write_text("id\tnote\n1\tat least 100 soldiers killed, officials said\n", encoding="utf-8")
    db = str(tmp_path / "ledger.db")
    first = runner.invoke(app, ["ingest", str(docs), "--db", db])
    assert first.exit_code == 0, first.output
    lines = first.stdout.strip().splitlines()
    assert lines[-1] == "skipped 1 file that is not a document: index.tsv"
    assert lines[-2].startswith("stored 1 (new versions 0), unchanged 0, near-copies 0, failed 0; ")
    assert lines[-2].endswith(" new claims")
    for name in ("notes.csv", "meta.json", "tool.py", "config.yaml"):
        (docs / name).write_text("officials said 300 soldiers were killed\n", encoding="utf-8")
    again = runner.invoke(app, ["ingest", str(docs), "--db", db, "--format", "json"])
    summary = json.loads(again.stdout.strip().splitlines()[-1])
    assert (summary["stored"], summary["unchanged"], summary["claims"], summary["skipped"]) == (0, 1, 0, 5)
    assert sorted(p.rsplit("/", 1)[-1] for p in summary["skipped_files"]) == [
        "config.yaml", "index.tsv", "meta.json", "notes.csv", "tool.py"]
    text = runner.invoke(app, ["ingest", str(docs), "--db", db]).stdout.strip().splitlines()
    assert text[-2] == "stored 0 (new versions 0), unchanged 1, near-copies 0, failed 0; 0 new claims"
    assert text[-1] == ("skipped 5 files that are not documents: config.yaml, index.tsv, meta.json, "
                        "notes.csv, tool.py")
    ledger = json.loads(runner.invoke(app, ["ledger", "--db", db, "--format", "json"]).stdout)
    assert ledger["claims"] and all(c["doc"].endswith("story.txt") for c in ledger["claims"])


def test_readme_ledger_excerpt_is_the_real_demo_output(tmp_path):
    """The README's excerpt of `bash scripts/demo` is what `claimledger demo` prints, verbatim
    (when the assessment changes, paste the new output there)."""
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    excerpt = readme.split("real output; `claimledger ledger` prints the same):\n\n```\n", 1)[1].split("\n```", 1)[0]
    result = runner.invoke(app, ["demo", "--db", str(tmp_path / "demo.db")])
    assert result.exit_code == 0, result.output
    for block in excerpt.split("\n\n"):
        assert block in result.stdout, block


def test_readme_lists_every_command():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    for command in ("ingest", "extract", "ledger", "demo", "serve", "export", "report", "eval"):
        assert f"| `claimledger {command}" in readme, command
