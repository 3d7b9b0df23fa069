"""What the speed work must not change: words search through the full-text index, the
claims and groups lists (counted and ordered through indexes), group summaries in lists,
and the sources counted when the ledger is built."""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import date, timedelta
from urllib.parse import quote

import pytest
from sqlalchemy import create_engine, text

from claimledger.publish import queries
from claimledger.publish.sources import build_index, load_index, source_claims, track_record

HOSTILE_QUERIES = ['"', '""', "AND OR (", "NOT", "a*", "*", "-x", "^y", "text:kursk", "NEAR(a b)", "(((",
                   "kursk\"", "%", "_", "\\", "'; DROP TABLE claims; --", "Kursk AND", "ü", "\u00a0", "x" * 200,
                   "C \u02bc", "\u02bc"]  # a letter that folds to a quote on PostgreSQL


@pytest.mark.parametrize("q", HOSTILE_QUERIES)
def test_search_syntax_never_fails(shared_client, q):
    for url in ("/api/search", "/api/claims", "/api/groups", "/api/documents", "/api/sources"):
        response = shared_client.get(url, params={"q": q})
        assert response.status_code == 200, (url, q, response.text)
    for url in ("/search", "/", "/documents", "/sources"):
        assert shared_client.get(url, params={"q": q}).status_code == 200, (url, q)


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text.lower())


def _matches(claim: dict, words: list[str]) -> bool:
    """The meaning of a search: every word is a word of (or starts one of) the claim's
    text, sentence, subject or outlet."""
    have = set(_words(" ".join(str(claim.get(k) or "") for k in ("text", "sentence", "subject", "outlet"))))
    return all(any(h == w or (len(w) > 1 and h.startswith(w)) for h in have) for w in words)


@pytest.fixture(scope="module")
def ledger_claims(shared_client) -> list[dict]:
    return shared_client.get("/api/ledger").json()["claims"]


@pytest.mark.parametrize("q", ["Kursk", "kursk", "Storm Shadow", "shadow storm", "NIS", "North Korean soldiers",
                               "Kurs", "killed 500", "Yonhap", "Han River"])
def test_claims_search_finds_exactly_the_claims_holding_every_word(shared_client, ledger_claims, q):
    words = [w.lower() for w in _words(q)]
    expected = {c["id"] for c in ledger_claims if _matches(c, words)}
    found = shared_client.get("/api/claims", params={"q": q, "limit": 500}).json()
    assert {c["id"] for c in found["items"]} == expected and found["total"] == len(expected)
    # Groups: those holding such a claim, or whose subject and place hold the words.
    groups = shared_client.get("/api/groups", params={"q": q, "limit": 500}).json()["items"]
    holding = {c["cluster"] for c in ledger_claims if c["id"] in expected}
    assert holding <= {g["id"] for g in groups}


def test_search_without_the_index_means_the_same(demo_db):
    """The LIKE fallback (PostgreSQL) finds a superset (it matches inside words too)."""
    engine = create_engine(f"sqlite:///{demo_db}")
    with engine.connect() as conn:
        for q in ("Kursk", "Storm Shadow", "North Korean"):
            indexed = queries.list_claims(conn, 500, 0, q=q)
            conn.info["claimledger_fts"] = False
            plain = queries.list_claims(conn, 500, 0, q=q)
            conn.info.pop("claimledger_fts")
            assert {c["id"] for c in indexed.items} <= {c["id"] for c in plain.items}
            assert indexed.total > 0


def _reference_ids(conn, where: str = "", params: dict | None = None, grades: bool = False) -> list[str]:
    """The claims list as one plain query: current versions, newest first."""
    join = "JOIN claim_grades g ON g.claim_id = c.id" if grades else ""
    sql = (f"SELECT c.id FROM claims c JOIN documents d ON d.version_id = c.version_id AND d.current = 1 {join} "
           f"{'WHERE ' + where if where else ''} ORDER BY c.published DESC, c.id")
    return [r[0] for r in conn.execute(text(sql), params or {})]


FILTERS = [
    ({}, "", {}, False),
    ({"event": "killed"}, "c.event = 'killed'", {}, False),
    ({"event": "killed", "kind": "figure"}, "c.event = 'killed' AND c.kind = 'figure'", {}, False),
    ({"stance": "hedged"}, "c.stance = 'hedged'", {}, False),
    ({"grade": "F"}, "g.grade LIKE 'F_'", {}, True),
    ({"grade": "B2"}, "g.grade = 'B2'", {}, True),
    ({"origin": "NIS"}, "c.origin LIKE '%NIS%'", {}, False),
    ({"since": "2024-11-01", "until": "2024-11-30"}, "c.published >= '2024-11-01' AND c.published <= '2024-11-30\uffff'", {}, False),
]


@pytest.mark.parametrize("filters, where, params, grades", FILTERS)
def test_claims_lists_match_a_plain_query(demo_db, filters, where, params, grades):
    engine = create_engine(f"sqlite:///{demo_db}")
    with engine.connect() as conn:
        expected = _reference_ids(conn, where, params, grades)
        for limit, offset in ((5, 0), (7, 3), (50, 0), (3, len(expected) - 2), (10, len(expected) + 5)):
            page = queries.list_claims(conn, limit, offset, **filters)
            assert page.total == len(expected), filters
            assert [c["id"] for c in page.items] == expected[offset : offset + limit], (filters, limit, offset)


def test_claims_of_replaced_versions_are_left_out(demo_db):
    engine = create_engine(f"sqlite:///{demo_db}")
    with engine.begin() as conn:
        version = conn.execute(text(
            "SELECT version_id FROM claims GROUP BY version_id ORDER BY count(*) DESC LIMIT 1")).scalar()
        gone = set(conn.execute(text("SELECT id FROM claims WHERE version_id = :v"), {"v": version}).scalars())
        conn.execute(text("UPDATE documents SET current = 0 WHERE version_id = :v"), {"v": version})
    with engine.connect() as conn:
        for filters, where, params, grades in FILTERS + [({"q": "soldiers"}, None, None, None)]:
            page = queries.list_claims(conn, 500, 0, **filters)
            assert not gone & {c["id"] for c in page.items}
            if where is not None:
                assert page.total == len(_reference_ids(conn, where, params, grades)), filters
        assert queries.list_claims(conn, 1, 0).total == conn.execute(text(
            "SELECT count(*) FROM claims c JOIN documents d ON d.version_id = c.version_id AND d.current = 1")).scalar()


def test_group_lists_give_summaries_cut_only_for_big_groups(shared_client):
    page = shared_client.get("/api/groups", params={"limit": 500}).json()
    ledger = {c["id"]: c for c in shared_client.get("/api/ledger").json()["clusters"]}
    assert page["total"] == len(ledger)
    for item in page["items"]:
        assert item == ledger[item["id"]] or item.get("truncated")
    days = [date(2024, 1, 1) + timedelta(days=i) for i in range(250)]
    timeline = [{"claim": f"c{i}", "date": day.isoformat(), "origin": "XY"[i % 2], "low": i, "best": i, "high": i,
                 "reports": 1} for i, day in enumerate(days)]
    big = {"id": "g", "claims": [f"c{i}" for i in range(250)], "timeline": timeline,
           "origins": [{"name": "X", "claims": [f"c{i}" for i in range(250)]}], "conflicting_claims": []}
    summary = queries.cluster_summary(big)
    assert summary["truncated"] and summary["claim_count"] == 250 and summary["origins"][0]["claim_count"] == 250
    assert len(summary["claims"]) == len(summary["origins"][0]["claims"]) == queries.LIST_ITEMS
    # The timeline is merged per origin and month (250 days do not fit in 200 points):
    # every figure is still counted, the range of each month kept.
    months = sorted({(p["date"][:7], p["origin"]) for p in timeline})
    assert [(p["date"], p["origin"]) for p in summary["timeline"]] == months
    assert sum(p["reports"] for p in summary["timeline"]) == 250
    january_x = summary["timeline"][0]
    assert (january_x["low"], january_x["high"], january_x["merged"]) == (0, 30, 16)
    assert len(big["claims"]) == len(big["timeline"]) == 250  # the record itself is untouched
    small = {"id": "s", "claims": ["a", "b"], "origins": []}
    assert queries.cluster_summary(small) is small


@pytest.mark.parametrize("params", [{}, {"view": "recent"}, {"view": "contradictions"}, {"view": "spreading"},
                                    {"event": "killed"}, {"grade": "F"}, {"q": "Kursk"}, {"location": "Kursk"}])
def test_group_lists_count_what_they_list(shared_client, params):
    everything = shared_client.get("/api/groups", params={**params, "limit": 500}).json()
    assert everything["total"] == len(everything["items"])
    pages = [shared_client.get("/api/groups", params={**params, "limit": 4, "offset": o}).json()["items"]
             for o in range(0, everything["total"], 4)]
    assert [g["id"] for p in pages for g in p] == [g["id"] for g in everything["items"]]


def test_groups_by_origin_match_their_claims(shared_client, ledger_claims):
    source = shared_client.get("/api/sources", params={"limit": 1}).json()["items"][0]
    names = set(source["names"])
    expected = {c["cluster"] for c in ledger_claims if c["cluster"] and (
        (c["chains"][0][-1]["name"] if c["chains"] else c["outlet"]) in names)}
    found = shared_client.get("/api/groups", params={"origin": source["key"], "limit": 500}).json()
    assert {g["id"] for g in found["items"]} == expected and found["total"] == len(expected)


def _registry():
    from claimledger.assess.registry import registry_from_settings

    return registry_from_settings()


def test_counted_sources_equal_the_sources_read_from_the_claims(demo_template):
    registry = _registry()
    engine = create_engine(f"sqlite:///{demo_template}")
    with engine.connect() as conn:
        counted = load_index(conn, registry)
        live = build_index(conn, registry)
        assert counted is not None and set(counted.sources) == set(live.sources)
        assert counted.key_of == live.key_of
        for key, source in counted.sources.items():
            other = live.sources[key]
            mine, theirs = source.as_dict(registry), other.as_dict(registry)
            if not source.entry:  # an unregistered source is named by one of its spellings
                assert mine.pop("name") in source.names and theirs.pop("name") in other.names
            assert mine == theirs, key
            assert track_record(conn, source) == track_record(conn, other), key
            for role in ("originated", "relayed"):
                for limit, offset in ((500, 0), (3, 1)):
                    a, b = source_claims(conn, source, role, limit, offset), source_claims(conn, other, role, limit, offset)
                    assert a.total == b.total and [c["id"] for c in a.items] == [c["id"] for c in b.items], (key, role)


def test_sources_are_read_from_the_claims_when_the_counts_are_stale(demo_db):
    registry = _registry()
    conn = sqlite3.connect(demo_db)
    claim_id = conn.execute("SELECT id FROM claims LIMIT 1").fetchone()[0]
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("DELETE FROM claim_grades WHERE claim_id = ?", (claim_id,))
    conn.execute("DELETE FROM hops WHERE claim_id = ?", (claim_id,))
    conn.execute("DELETE FROM claims WHERE id = ?", (claim_id,))
    conn.commit()
    conn.close()
    engine = create_engine(f"sqlite:///{demo_db}")
    with engine.connect() as conn:
        assert load_index(conn, registry) is None  # claims changed since the build


def test_a_decision_keeps_the_sources_counts_and_reads_their_track_records_again(demo_db):
    """The sources' counts come from the claims, which an analyst's decision leaves as
    they are: they stay; the track records (grades, verdicts) are read from the grades."""
    from claimledger.incremental import update_assessment
    from claimledger.store import open_ledger

    registry = _registry()
    ledger = open_ledger(demo_db)
    with ledger.engine.connect() as conn:
        before = load_index(conn, registry)
        source = max(before.sources.values(), key=lambda s: (s.originated, s.key))
        track = track_record(conn, source)
        claims = [c["id"] for c in source_claims(conn, source, "originated", 500).items]
    ledger.add_override("claim", claims[0], "refute", None, "ana", "checked")
    assert update_assessment(ledger, registry).kind == "incremental"
    with ledger.engine.connect() as conn:
        after = load_index(conn, registry)
        assert after is not None and after.key_of == before.key_of
        mine = after.sources[source.key]
        assert mine.track is None and mine.as_dict(registry) == source.as_dict(registry)
        assert track_record(conn, mine)["refuted"] == track["refuted"] + 1
        assert track_record(conn, mine) == track_record(conn, build_index(conn, registry).sources[source.key])
        assert [c["id"] for c in source_claims(conn, mine, "originated", 500).items] == claims


def test_a_verdict_shows_in_the_source_track_record(client, auth_header):
    source = client.get("/api/sources", params={"limit": 1}).json()["items"][0]
    url = "/api/sources/" + quote(source["key"], safe="")
    claim = client.get(url).json()["originated_claims"][0]
    before = client.get(url).json()["track_record"]
    for action in ("confirm", "refute"):
        body = {"target": "claim", "target_id": claim["id"], "action": action, "who": "api test", "why": "checked"}
        assert client.post("/api/overrides", json=body, headers=auth_header).status_code == 201
    record = client.get(url).json()["track_record"]
    # The refutation replaced the confirmation: one verdict, not both.
    assert record["refuted"] == before["refuted"] + 1 and record["confirmed"] == before["confirmed"]
    active = client.get("/api/overrides", params={"target_id": claim["id"], "active": True}).json()["items"]
    assert [o["action"] for o in active] == ["refute"]


def test_pages_still_show_sources_and_search(shared_client):
    source = shared_client.get("/api/sources", params={"limit": 1}).json()["items"][0]
    html = shared_client.get("/sources/" + quote(source["key"], safe="")).text
    assert "Track record" in html
    assert shared_client.get("/search", params={"q": "Storm Shadow"}).status_code == 200
    json.dumps(shared_client.get("/api/search", params={"q": "Storm Shadow"}).json())


def test_group_search_without_the_claims_rowids_means_the_same(demo_db):
    """Grades stored without their claims' rowids (an older build) take the longer way."""
    engine = create_engine(f"sqlite:///{demo_db}")
    with engine.connect() as conn:
        fast = {q: queries.list_clusters(conn, 500, 0, q=q) for q in ("Kursk", "Storm Shadow", "NIS")}
    with engine.begin() as conn:
        conn.execute(text("UPDATE claim_grades SET claim_rowid = NULL WHERE rowid = (SELECT min(rowid) FROM claim_grades)"))
    with engine.connect() as conn:
        assert not queries._grades_know_rowids(conn)
        for q, page in fast.items():
            slow = queries.list_clusters(conn, 500, 0, q=q)
            assert page.total == slow.total > 0 and [g["id"] for g in page.items] == [g["id"] for g in slow.items]
