"""The ledger of the demo corpus says what an analyst would: single-origin stories are
one origin however often repeated, troop numbers have several independent origins, the
casualty estimates form a timeline by origin, and every grade is explained. On SQLite and
(marked `postgres`) on PostgreSQL."""

from __future__ import annotations

import contextlib

import pytest

from claimledger.cli import demo_folder
from claimledger.pipeline import assess_ledger, ingest_paths
from claimledger.store import open_ledger


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def ledger(request, tmp_path_factory, extractor):
    if request.param == "sqlite":
        db = str(tmp_path_factory.mktemp("demo") / "ledger.db")
    else:
        db = request.getfixturevalue("postgres").create_database("assess")
    with contextlib.chdir(demo_folder().parent):
        ingest_paths(open_ledger(db), ["demo"], extractor=extractor)
    return assess_ledger(open_ledger(db))


def _group(ledger, doc, value):
    """The group of the figure `value` in the demo document `doc`."""
    claim = next(c for c in ledger["claims"] if c["doc"] == doc and (c["quantity"] or {}).get("value") == value)
    return next(g for g in ledger["clusters"] if g["id"] == claim["cluster"])


def test_storm_shadow_story_has_one_origin_and_many_reports(ledger):
    group = _group(ledger, "demo/wire/storm-shadow-rbc.txt", 500)
    assert group["independent_origins"] == 1
    assert group["reports"] >= 5
    assert [o["name"] for o in group["origins"] if not o["denies"]] == ["Global Defense Corp."]
    assert group["grade"][1] in "3456"
    assert "One origin, Global Defense Corp." in group["explanation"]


def test_friendly_fire_story_has_one_origin(ledger):
    group = _group(ledger, "demo/wire/friendly-fire-hur.txt", 8)
    assert group["independent_origins"] == 1
    assert group["reports"] >= 2
    assert "Defence Intelligence of Ukraine" in group["explanation"]
    assert group["interested"]


def test_troop_numbers_have_several_independent_origins(ledger):
    group = _group(ledger, "demo/briefings/pentagon-ryder-dec16.txt", 10000)
    assert group["independent_origins"] >= 3
    assert group["estimate"]["high"] >= 15000


def test_casualty_estimates_form_a_timeline_by_origin(ledger):
    group = _group(ledger, "demo/blogs/casualty-timeline.md", 300)
    nis = [t for t in group["timeline"] if "National Intelligence Service" in t["origin"]]
    assert [t["best"] for t in nis if t["best"] in (300, 600)] == [300, 600]
    dates = [t["date"] for t in group["timeline"] if t["date"]]
    assert dates == sorted(dates)


def test_every_group_and_claim_has_a_grade_and_an_explanation(ledger):
    for group in ledger["clusters"]:
        assert len(group["grade"]) == 2 and group["grade"][0] in "ABCDEF" and group["grade"][1] in "123456"
        assert group["explanation"].endswith(".")
    assert all(c["grade"] and c["cluster"] for c in ledger["claims"])
