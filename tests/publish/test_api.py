"""The JSON API in-process: shapes, pagination, filters, the one error shape, and auth."""

from __future__ import annotations

from urllib.parse import quote

import pytest

CLAIM_KEYS = {"id", "doc", "outlet", "published", "sentence", "text", "start", "end", "kind", "event",
              "quantity", "subject", "location", "time", "chains", "stance", "hedges", "cluster", "grade"}
GROUP_KEYS = {"id", "event", "subject", "location", "claims", "estimate", "origins", "independent_origins",
              "reports", "contradiction", "grade", "explanation"}


def assert_error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}, body
    if code:
        assert body["error"]["code"] == code
    assert body["error"]["message"]
    return body["error"]


def test_stats_count_the_demo(shared_client):
    stats = shared_client.get("/api/stats").json()
    assert stats["documents"] >= 25 and stats["claims"] >= 100 and stats["groups"] > 0


def test_lists_paginate(shared_client):
    first = shared_client.get("/api/claims", params={"limit": 5}).json()
    second = shared_client.get("/api/claims", params={"limit": 5, "offset": 5}).json()
    assert set(first) == {"items", "total", "limit", "offset"}
    assert len(first["items"]) == 5 and first["total"] > 10 and second["offset"] == 5
    assert not {c["id"] for c in first["items"]} & {c["id"] for c in second["items"]}
    assert CLAIM_KEYS <= set(first["items"][0])


def test_claim_filters(shared_client):
    killed = shared_client.get("/api/claims", params={"event": "killed", "limit": 500}).json()["items"]
    assert killed and all(c["event"] == "killed" for c in killed)
    figures = shared_client.get("/api/claims", params={"kind": "figure", "stance": "hedged"}).json()["items"]
    assert all(c["kind"] == "figure" and c["stance"] == "hedged" for c in figures)
    storm = shared_client.get("/api/claims", params={"q": "Storm Shadow"}).json()
    assert storm["total"] > 0 and all("storm shadow" in (c["text"] + (c["subject"] or "")).lower()
                                      or "storm" in c["sentence"].lower() for c in storm["items"])
    wild = shared_client.get("/api/claims", params={"q": "%_%"}).json()
    assert wild["total"] == 0  # LIKE wildcards are taken literally


def test_groups_views_and_detail(shared_client):
    groups = shared_client.get("/api/groups", params={"limit": 3}).json()["items"]
    assert groups and GROUP_KEYS <= set(groups[0])
    reports = [g["reports"] for g in groups]
    assert reports == sorted(reports, reverse=True)
    for view in ("recent", "contradictions", "spreading"):
        items = shared_client.get("/api/groups", params={"view": view}).json()["items"]
        if view == "contradictions":
            assert all(g["contradiction"] for g in items)
        if view == "spreading":
            assert all(g["independent_origins"] <= 1 and g["reports"] >= 2 for g in items)
    detail = shared_client.get(f"/api/groups/{groups[0]['id']}").json()
    assert {m["id"] for m in detail["members"]} == set(detail["claims"])
    assert detail["audit"] == []


def test_group_filters_by_origin_and_grade(shared_client):
    source = shared_client.get("/api/sources", params={"limit": 1}).json()["items"][0]
    items = shared_client.get("/api/groups", params={"origin": source["key"], "limit": 500}).json()["items"]
    assert items
    letter = items[0]["grade"][0]
    graded = shared_client.get("/api/groups", params={"grade": letter, "limit": 500}).json()["items"]
    assert graded and all(g["grade"].startswith(letter) for g in graded)


def test_documents_and_document(shared_client):
    docs = shared_client.get("/api/documents", params={"limit": 100}).json()
    assert docs["total"] == shared_client.get("/api/stats").json()["documents"]
    doc = next(d for d in docs["items"] if d["id"].startswith("https://"))
    detail = shared_client.get("/api/documents/" + quote(doc["id"], safe="")).json()
    assert detail["id"] == doc["id"] and detail["text"] and isinstance(detail["claims"], list)
    assert all(c["doc"] == doc["id"] for c in detail["claims"])


def test_sources_and_source(shared_client):
    page = shared_client.get("/api/sources", params={"limit": 200}).json()
    assert page["total"] >= len(page["items"]) > 5
    registered = next(s for s in page["items"] if s["registry_id"])
    detail = shared_client.get("/api/sources/" + quote(registered["key"], safe="")).json()
    assert detail["name"] == registered["name"] and "track_record" in detail
    assert detail["originated"] == registered["originated"]
    unregistered = next(s for s in page["items"] if not s["registry_id"])
    assert shared_client.get("/api/sources/" + quote(unregistered["key"], safe="")).status_code == 200


def test_search(shared_client):
    result = shared_client.get("/api/search", params={"q": "NIS"}).json()
    assert set(result) == {"query", "groups", "claims", "documents", "sources"}
    assert result["claims"] or result["sources"]


def test_ledger_is_the_cli_object(shared_client):
    ledger = shared_client.get("/api/ledger").json()
    stats = shared_client.get("/api/stats").json()
    assert len(ledger["claims"]) == stats["claims"] and len(ledger["clusters"]) == stats["groups"]
    ids = {c["id"] for c in ledger["clusters"]}
    assert all(c["cluster"] in ids for c in ledger["claims"] if c["cluster"])
    assert CLAIM_KEYS <= set(ledger["claims"][0]) and GROUP_KEYS <= set(ledger["clusters"][0])


@pytest.mark.parametrize("url, status, code", [
    ("/api/claims/nope", 404, "not_found"),
    ("/api/groups/nope", 404, "not_found"),
    ("/api/documents/nope", 404, "not_found"),
    ("/api/sources/nope", 404, "not_found"),
    ("/api/nothing-here", 404, "not_found"),
    ("/api/claims?limit=0", 422, "invalid_request"),
    ("/api/claims?event=exploded", 422, "invalid_request"),
    ("/api/groups?since=yesterday", 422, "invalid_request"),
    ("/api/search", 422, "invalid_request"),
])
def test_one_error_shape(shared_client, url, status, code):
    assert_error(shared_client.get(url), status, code)


def test_wrong_method_has_the_error_shape(shared_client):
    assert_error(shared_client.delete("/api/claims"), 405, "method_not_allowed")


def _override(client, **fields):
    group = client.get("/api/groups", params={"limit": 1}).json()["items"][0]
    body = {"target": "cluster", "target_id": group["id"], "action": "refute", "who": "api test",
            "why": "checked against satellite imagery", **fields}
    return group, body


def test_writes_need_the_token(client):
    _, body = _override(client)
    assert_error(client.post("/api/overrides", json=body), 401, "unauthorized")
    assert_error(client.post("/api/overrides", json=body, headers={"Authorization": "Bearer wrong"}), 401)
    # A logged-in browser's cookie does not authorize an API write either.
    client.cookies.set("claimledger_session", "forged.value")
    assert_error(client.post("/api/overrides", json=body), 401)


def test_read_only_without_a_token(readonly_client, auth_header):
    _, body = _override(readonly_client)
    assert_error(readonly_client.post("/api/overrides", json=body, headers=auth_header), 403, "read_only")


def test_override_is_recorded_and_audited(client, auth_header):
    group, body = _override(client)
    response = client.post("/api/overrides", json=body, headers=auth_header)
    assert response.status_code == 201, response.text
    result = response.json()
    assert result["override"]["who"] == "api test" and result["override"]["active"]
    audit = client.get("/api/overrides", params={"target": "cluster", "target_id": group["id"]}).json()["items"]
    assert audit[0]["why"] == "checked against satellite imagery"
    detail = client.get(f"/api/groups/{result['group'] or group['id']}")
    if result["rebuilt"] and detail.status_code == 200:
        assert detail.json()["grade"].endswith("5")  # refuted: credibility 5
    # A second decision replaces the first; both stay in the audit trail.
    body["action"] = "confirm"
    assert client.post("/api/overrides", json=body, headers=auth_header).status_code == 201
    trail = client.get("/api/overrides", params={"target_id": group["id"]}).json()["items"]
    assert [o["action"] for o in trail] == ["confirm", "refute"]


def test_answers_kept_per_state_follow_a_decision(client, auth_header):
    """Searches and group pages are kept per state of the ledger: a decision changes the
    state, so what was kept before it is never shown after it."""
    group, body = _override(client)
    before = client.get(f"/api/groups/{group['id']}").json()
    page_before = client.get(f"/groups/{group['id']}").text
    assert client.get(f"/api/groups/{group['id']}").json() == before  # asked again: the same answer
    assert not [a for a in before["audit"] if a["why"] == body["why"]]
    result = client.post("/api/overrides", json=body, headers=auth_header).json()
    after = client.get(f"/api/groups/{result['group'] or group['id']}").json()
    assert [a["action"] for a in after["audit"] if a["why"] == body["why"]] == ["refute"]
    assert after["grade"] != before["grade"] or not result["rebuilt"]
    page_after = client.get(f"/groups/{result['group'] or group['id']}").text
    assert body["why"] not in page_before and body["why"] in page_after


def test_kept_answers_are_bounded(demo_db):
    from sqlalchemy import create_engine

    from claimledger.publish import sources

    cache = sources.SourceCache(registry=None)
    engine = create_engine(f"sqlite:///{demo_db}")
    computed = []
    with engine.connect() as conn:
        for n in range(sources.ANSWERS + 5):
            assert cache.answer(conn, ("n", n), lambda _, n=n: computed.append(n) or n) == n
        assert cache.answer(conn, ("n", sources.ANSWERS + 4), lambda _: -1) == sources.ANSWERS + 4  # kept
        assert cache.answer(conn, ("n", 0), lambda _: -1) == -1  # the oldest was dropped
    with engine.connect() as conn:
        conn.exec_driver_sql("INSERT INTO overrides (target, target_id, action, who, why, active, at) "
                             "VALUES ('source', 'x', 'reliability', 'test', 'test', 0, '2024-01-01')")
        conn.commit()
    with engine.connect() as conn:  # a new state: nothing kept from the old one
        assert cache.answer(conn, ("n", sources.ANSWERS + 4), lambda _: -2) == -2
    engine.dispose()


@pytest.mark.parametrize("change, status, code", [
    ({"action": "reliability"}, 422, "invalid_request"),  # a group takes no reliability
    ({"target_id": "no-such-group"}, 404, "not_found"),
    ({"action": "merge", "value": "no-such-group"}, 404, "not_found"),
    ({"why": ""}, 422, "invalid_request"),
    ({"extra": 1}, 422, "invalid_request"),
    ({"action": "merge", "value": "SELF"}, 400, "invalid_action"),
])
def test_bad_overrides_are_refused(client, auth_header, change, status, code):
    group, body = _override(client, **change)
    if body.get("value") == "SELF":
        body["value"] = group["id"]
    assert_error(client.post("/api/overrides", json=body, headers=auth_header), status, code)


def test_source_reliability_override(client, auth_header):
    source = client.get("/api/sources", params={"limit": 1}).json()["items"][0]
    body = {"target": "source", "target_id": source["key"], "action": "reliability", "value": "e",
            "who": "api test", "why": "record of fabrication"}
    assert client.post("/api/overrides", json=body, headers=auth_header).status_code == 201
    detail = client.get("/api/sources/" + quote(source["key"], safe="")).json()
    assert detail["reliability"] == "E" and detail["reliability_override"] == "E"
    body["value"] = "Z"
    assert_error(client.post("/api/overrides", json=body, headers=auth_header), 422, "invalid_request")


def test_security_headers_on_api(shared_client):
    headers = shared_client.get("/api/stats").headers
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"


def test_ledger_matches_the_assessment(client, ledger_db):
    """GET /api/ledger reads back what `assess_ledger` (the CLI's `ledger --format json`) returns."""
    build = pytest.importorskip("claimledger.pipeline").assess_ledger
    from claimledger.store import open_ledger

    expected = build(open_ledger(ledger_db))
    served = client.get("/api/ledger").json()
    assert [c["id"] for c in served["clusters"]] == [c["id"] for c in sorted(
        expected["clusters"], key=lambda c: (-c["reports"], c["id"]))]
    by_id = {c["id"]: c for c in expected["claims"]}
    for claim in served["claims"]:
        want = {k: v for k, v in by_id[claim["id"]].items() if k != "computed_grade"}  # not stored
        assert {k: claim[k] for k in want} == json_round_trip(want)
    # (each explanation served in full, though stored once per group: a member's row holds none of its own)
    from sqlalchemy import select

    from claimledger.store import schema
    with open_ledger(ledger_db).engine.connect() as conn:
        stored = set(conn.execute(select(schema.claim_grades.c.explanation)).scalars())
    assert "" in stored and all(claim["explanation"] for claim in served["claims"] if claim["cluster"])


def json_round_trip(value):
    import json

    return json.loads(json.dumps(value))


def test_group_members_page(shared_client, monkeypatch):
    from claimledger.publish import pages

    groups = shared_client.get("/api/groups", params={"limit": 50}).json()["items"]
    big = max(groups, key=lambda g: len(g["claims"]))
    whole = shared_client.get(f"/api/groups/{big['id']}").json()
    first = shared_client.get(f"/api/groups/{big['id']}", params={"limit": 2, "offset": 1}).json()
    assert first["member_count"] == whole["member_count"] == len(whole["members"])
    assert [m["id"] for m in first["members"]] == [m["id"] for m in whole["members"][1:3]]
    monkeypatch.setattr(pages, "MEMBERS_PER_PAGE", 2)
    html = shared_client.get(f"/groups/{big['id']}", params={"page": 2}).text
    assert "page 2 of" in html and "Claims 3 to 4 of" in html
