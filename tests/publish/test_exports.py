"""Exports validate: CSV columns, JSON Lines contracts, ClaimReview required fields, PROV
read back by the `prov` package; the report tells each story; the CLI writes them."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from typer.testing import CliRunner

from claimledger.cli import app
from claimledger.publish.exports import FORMATS, write_export
from claimledger.publish.exports.claimreview import REQUIRED
from claimledger.store import open_ledger

UCDP_COLUMNS = ("id", "event", "low", "best", "high", "source_article", "source_office", "source_date",
                "source_original", "where", "when", "claim_grade")


@pytest.fixture(scope="module")
def exported(module_ledger_db):
    ledger = open_ledger(module_ledger_db)
    out = {}
    for fmt in FORMATS:
        stream = io.StringIO()
        count = write_export(ledger.engine, fmt, stream, "http://ledger.test")
        out[fmt] = (count, stream.getvalue())
    ledger.engine.dispose()
    return out


def test_csv_has_the_ucdp_columns(exported):
    count, text = exported["csv"]
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == count > 100
    assert set(UCDP_COLUMNS) <= set(rows[0])
    figure = next(r for r in rows if r["best"])
    assert float(figure["best"]) > 0 and figure["source_office"] and figure["source_original"]
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "@")), "a formula would run in a spreadsheet"


def test_jsonl_claims_and_clusters_follow_the_contract(exported):
    count, text = exported["jsonl"]
    claims = [json.loads(line) for line in text.splitlines()]
    assert len(claims) == count
    assert {"id", "doc", "sentence", "text", "start", "end", "kind", "chains", "stance", "cluster", "grade"} <= set(claims[0])
    count, text = exported["clusters"]
    clusters = [json.loads(line) for line in text.splitlines()]
    assert len(clusters) == count > 0
    keys = {"id", "event", "subject", "location", "claims", "estimate", "origins", "independent_origins",
            "reports", "contradiction", "grade", "explanation"}
    assert all(keys <= set(c) for c in clusters)
    ids = {c["id"] for c in claims}
    assert all(set(c["claims"]) <= ids for c in clusters)


def test_claimreview_has_the_required_fields(exported):
    count, text = exported["claimreview"]
    document = json.loads(text)
    assert document["@context"] == "https://schema.org"
    reviews = document["@graph"]
    assert len(reviews) == count > 0
    for review in reviews:
        for field in REQUIRED:
            assert review.get(field), (field, review.get("@id"))
        assert review["@type"] == "ClaimReview" and review["url"].startswith("http://ledger.test/groups/")
        assert review["author"]["name"] and review["reviewRating"]["alternateName"]
        rating = review["reviewRating"]
        if "ratingValue" in rating:
            assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
        assert review["itemReviewed"]["@type"] == "Claim" and review["itemReviewed"]["appearance"]
        for appearance in review["itemReviewed"]["appearance"]:
            assert not str(appearance.get("url", "http")).lower().startswith("javascript")


def test_prov_reads_back_with_the_prov_package(exported):
    from prov.constants import PROV
    from prov.model import ProvAttribution, ProvDerivation, ProvDocument, ProvMembership

    count, text = exported["prov"]
    document = ProvDocument.deserialize(content=text, format="json")
    records = document.get_records()
    assert len(records) == count > 100
    kinds = {type(r) for r in records}
    assert {ProvDerivation, ProvMembership, ProvAttribution} <= kinds
    derivation_types = {t for r in records if isinstance(r, ProvDerivation) for t in r.get_asserted_types()}
    assert {PROV["Quotation"], PROV["PrimarySource"]} <= derivation_types  # wasQuotedFrom, hadPrimarySource
    assert document.get_provn()  # serialises to PROV-N as well
    again = ProvDocument.deserialize(content=document.serialize(format="json"), format="json")
    assert again == document


def test_markdown_report_reads_like_a_post(exported):
    count, text = exported["markdown"]
    assert text.startswith("# ") and text.count("\n## ") == count > 0
    assert "How far to trust it" in text and "Who said what" in text and "citing" in text
    assert "\\<script\\>" in text  # the hostile document's markup, taken literally
    assert not re.search(r"(?<!\\)<(script|img|svg|iframe)", text)


def test_html_report_is_escaped(exported):
    count, text = exported["html"]
    assert text.startswith("<!doctype html>") and text.count("<h2>") == count
    assert "<script" not in text and "onerror=\"" not in text and 'href="javascript:' not in text


def test_cli_export_and_report(ledger_db, tmp_path):
    runner = CliRunner()
    target = tmp_path / "claims.csv"
    result = runner.invoke(app, ["export", "--format", "csv", "--output", str(target), "--db", ledger_db])
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8").startswith("id,event,kind")
    result = runner.invoke(app, ["export", "--format", "clusters", "--db", ledger_db])
    assert result.exit_code == 0 and json.loads(result.stdout.splitlines()[0])["id"]
    result = runner.invoke(app, ["report", "--stories", "2", "--db", ledger_db])
    assert result.exit_code == 0 and result.stdout.count("\n## ") == 2
    result = runner.invoke(app, ["export", "--format", "nonsense", "--db", ledger_db])
    assert result.exit_code != 0
    result = runner.invoke(app, ["export", "--format", "csv", "--output", str(tmp_path / "no" / "such" / "dir.csv"), "--db", ledger_db])
    assert result.exit_code == 2


def test_csv_columns_say_whose_they_are(exported):
    _, text = exported["csv"]
    rows = list(csv.DictReader(io.StringIO(text)))
    whose = ("claim_grade", "claim_decision", "group_id", "group_title", "group_grade", "group_explanation",
             "group_independent_origins", "group_reports", "group_contradiction")
    assert set(whose) <= set(rows[0]) and not {"grade", "explanation", "cluster", "reports"} & set(rows[0])
    grouped = [r for r in rows if r["group_id"]]
    assert grouped and all(r["group_title"] and r["group_grade"] and r["group_explanation"] for r in grouped)
    assert all(r["claim_grade"][1:] == r["group_grade"][1:] for r in grouped if not r["claim_decision"])
    by_group: dict[str, list[dict]] = {}
    for row in grouped:
        by_group.setdefault(row["group_id"], []).append(row)
    statements = [rs for rs in by_group.values() if all(r["kind"] == "statement" and not r["where"] for r in rs)]
    assert statements and all(rs[0]["group_title"].startswith("\u201c") for rs in statements)


def test_reports_link_to_the_base_url_and_draw_each_chart_with_its_legend(exported):
    _, html = exported["html"]
    links = re.findall(r'href="(http://ledger\.test/[^"]+)"', html)
    assert any("/groups/" in link for link in links) and any("/sources/" in link for link in links)
    assert "127.0.0.1" not in html
    charts = re.findall(r'<figure>(.*?)</figure>', html, re.DOTALL)
    assert charts
    for figure in charts:
        assert '<svg class="chart wide"' in figure and '<ul class="legend"' in figure
        assert figure.count('class="series"') // 2 == figure.count("<li>")  # one entry per origin
    _, markdown = exported["markdown"]
    assert "(http://ledger.test/groups/" in markdown and "Origins: [" in markdown
    assert "(http://ledger.test/sources/" in markdown


def test_cli_report_uses_the_base_url_given(demo_db):
    result = CliRunner().invoke(app, ["report", "--format", "html", "--stories", "3", "--db", demo_db,
                                      "--base-url", "https://ledger.example.org/"])
    assert result.exit_code == 0
    assert 'href="https://ledger.example.org/groups/' in result.stdout and "127.0.0.1" not in result.stdout
    result = CliRunner().invoke(app, ["export", "--format", "html", "--db", demo_db, "--base-url",
                                      "https://ledger.example.org"])
    assert 'href="https://ledger.example.org/sources/' in result.stdout


def test_a_group_only_denied_is_told_as_such():
    from claimledger.publish.report import lead

    cluster = {"origins": [{"name": "Kremlin", "denies": True}], "reports": 5, "independent_origins": 0}
    sentences = lead(cluster, [{"stance": "denied"}] * 5)
    assert sentences[0] == "5 reports carry this, and no origin asserts it." and "Kremlin denied it." in sentences
