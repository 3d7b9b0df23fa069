"""The pages in-process: every page renders, filters work, article text is escaped,
forms carry CSRF tokens, logging in unlocks the analyst's actions, and each action lands
in the audit trail."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from claimledger.publish import graph
from claimledger.publish.charts import estimates_chart
from claimledger.publish.highlight import highlight
from claimledger.publish.pages import safe_next


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, "the page has no CSRF token"
    return match.group(1)


def login(client, token: str, who: str = "Ana Analyst") -> None:
    page = client.get("/login")
    response = client.post("/login", data={"csrf": csrf_of(page.text), "who": who, "token": token, "next": "/"},
                           follow_redirects=False)
    assert response.status_code == 303, response.text
    assert "claimledger_session" in response.cookies or client.cookies.get("claimledger_session")


def first_group(client) -> dict:
    return client.get("/api/groups", params={"limit": 1}).json()["items"][0]


@pytest.mark.parametrize("url", ["/", "/?view=recent", "/?view=contradictions", "/?view=spreading",
                                 "/search?q=Kursk", "/search", "/sources", "/documents", "/audit", "/docs", "/login"])
def test_pages_render(shared_client, url):
    response = shared_client.get(url)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "<script>" not in response.text  # only <script src=...>


def test_overview_filters(shared_client):
    all_groups = shared_client.get("/").text
    killed = shared_client.get("/", params={"event": "killed"}).text
    assert all_groups.count('class="group-card') >= killed.count('class="group-card') > 0
    assert shared_client.get("/", params={"event": "nonsense", "since": "garbage", "grade": "Z9"}).status_code == 200
    words = shared_client.get("/", params={"q": "no such words anywhere"}).text
    assert "No claim group matches" in words


def test_group_page_has_chart_graph_and_members(shared_client):
    group = first_group(shared_client)
    html = shared_client.get(f"/groups/{group['id']}").text
    assert '<svg class="chart wide"' in html and '<svg class="chart narrow"' in html and '<svg class="graph"' in html
    assert html.count('class="claim"') == group.get("claim_count", len(group["claims"]))
    assert group["grade"] in html and "Log in with the API token" in html


def test_document_page_marks_claims_sources_cues_and_quotes(shared_client):
    docs = shared_client.get("/api/documents", params={"limit": 100}).json()["items"]
    quoted = next(d for d in docs if d["input_kind"] == "html" and "frontlinenotes" in d["id"])
    html = shared_client.get("/documents/" + quote(quoted["id"], safe="")).text
    assert 'class="claim stance-' in html and 'class="source' in html or "source" in html
    assert "<blockquote class=\"quoted\"" in html
    assert 'id="claim-' in html


def test_source_page(shared_client):
    source = shared_client.get("/api/sources", params={"limit": 1}).json()["items"][0]
    html = shared_client.get("/sources/" + quote(source["key"], safe="")).text
    assert source["name"].replace("'", "&#39;") in html and "Track record" in html


def test_missing_pages_are_html_errors(shared_client):
    response = shared_client.get("/groups/nope")
    assert response.status_code == 404 and "no claim group" in response.text
    assert response.headers["content-type"].startswith("text/html")
    assert shared_client.get("/documents/nope").status_code == 404


def test_claim_link_redirects_to_its_document(shared_client):
    claim = shared_client.get("/api/claims", params={"limit": 1}).json()["items"][0]
    response = shared_client.get(f"/claims/{claim['id']}", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].endswith(f"#claim-{claim['id']}")


def test_hostile_text_is_escaped(shared_client):
    docs = shared_client.get("/api/documents", params={"q": "Hostile"}).json()["items"]
    assert docs, "the hostile document was ingested"
    doc = docs[0]
    pages = [
        shared_client.get("/documents/" + quote(doc["id"], safe="")).text,
        shared_client.get("/documents").text,
        shared_client.get("/search", params={"q": "<script>"}).text,
        shared_client.get("/search", params={"q": "ministry"}).text,
        shared_client.get("/sources").text,
    ]
    for claim in shared_client.get("/api/claims", params={"doc": doc["id"]}).json()["items"]:
        if claim["cluster"]:
            pages.append(shared_client.get(f"/groups/{claim['cluster']}").text)
    for html in pages:
        assert "<script>window" not in html
        assert "<img src=x" not in html and "<svg onload" not in html and "<iframe" not in html
        assert 'href="javascript:' not in html.lower()


def test_security_headers(shared_client):
    headers = shared_client.get("/").headers
    csp = headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert headers["x-content-type-options"] == "nosniff" and headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "no-referrer"


def test_read_only_ui_offers_no_actions(readonly_client):
    group = first_group(readonly_client)
    html = readonly_client.get(f"/groups/{group['id']}").text
    assert "/actions/override" not in html and "read-only" in html


def test_login_rejects_a_wrong_token(client):
    page = client.get("/login")
    response = client.post("/login", data={"csrf": csrf_of(page.text), "who": "x", "token": "wrong"})
    assert response.status_code == 401 and "not right" in response.text


def test_forms_need_csrf(client, api_token):
    client.get("/login")
    response = client.post("/login", data={"csrf": "forged", "who": "x", "token": api_token})
    assert response.status_code == 403 and "csrf" in response.text.lower()
    login(client, api_token)
    group = first_group(client)
    form = {"target": "cluster", "target_id": group["id"], "action": "refute", "why": "test"}
    assert client.post("/actions/override", data=form).status_code == 403
    html = client.get(f"/groups/{group['id']}").text
    foreign = client.post("/actions/override", data={**form, "csrf": csrf_of(html)},
                          headers={"Origin": "https://evil.example"})
    assert foreign.status_code == 403


def test_actions_need_login(client):
    group = first_group(client)
    html = client.get("/login").text
    form = {"target": "cluster", "target_id": group["id"], "action": "refute", "why": "test", "csrf": csrf_of(html)}
    assert client.post("/actions/override", data=form).status_code == 401


def test_analyst_override_via_the_ui(client, api_token):
    login(client, api_token, who="Ana Analyst")
    group = first_group(client)
    html = client.get(f"/groups/{group['id']}").text
    assert 'id="verdict-form"' in html and "Ana Analyst" in html
    form = {"csrf": csrf_of(html), "next": f"/groups/{group['id']}", "target": "cluster",
            "target_id": group["id"], "action": "confirm", "why": "matches the satellite imagery"}
    response = client.post("/actions/override", data=form, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].endswith("#done")
    page = client.get(response.headers["location"].split("#")[0]).text
    assert "matches the satellite imagery" in page and "Analyst decision" in page
    assert "matches the satellite imagery" in client.get("/audit").text


def test_source_reliability_via_the_ui(client, api_token):
    login(client, api_token)
    source = client.get("/api/sources", params={"limit": 1}).json()["items"][0]
    url = "/sources/" + quote(source["key"], safe="")
    html = client.get(url).text
    form = {"csrf": csrf_of(html), "next": url, "target": "source", "target_id": source["key"],
            "action": "reliability", "value": "D", "why": "two retracted figures"}
    assert client.post("/actions/override", data=form, follow_redirects=False).status_code == 303
    page = client.get(url).text
    assert "Analyst override" in page and "two retracted figures" in page


def test_logout(client, api_token):
    login(client, api_token)
    html = client.get("/").text
    response = client.post("/logout", data={"csrf": csrf_of(html)}, follow_redirects=False)
    assert response.status_code == 303
    assert "Analyst login" in client.get("/").text


@pytest.mark.parametrize("target, expected", [
    ("/groups/x", "/groups/x"), ("//evil.example", "/"), ("https://evil.example", "/"),
    ("javascript:alert(1)", "/"), ("/\\evil.example", "/"), (None, "/"),
])
def test_safe_next(target, expected):
    assert safe_next(target) == expected


def test_highlight_splits_text_without_losing_any():
    text = 'Intro.\n\nHe said 500 were killed. "Quoted block."\n\nEnd.'
    start = text.index("500")
    quote_start = text.index('"Quoted')
    claim = {"id": "c1", "start": start, "end": start + 16, "stance": "hedged", "kind": "figure",
             "chains": [[{"name": "He", "start": 8, "end": 10, "cue": "said", "cue_start": 11, "cue_end": 15}]]}
    blocks = highlight(text, [[quote_start, quote_start + 15, None]], [claim])
    assert [b.kind for b in blocks] == ["p", "p", "quote", "p"]
    assert ["".join(p.text for p in b.pieces) for b in blocks] == [
        "Intro.", "He said 500 were killed. ", '"Quoted block."', "End."]
    marked = [p for b in blocks for p in b.pieces if p.classes]
    assert [p.text for p in marked] == ["He", "said", "500 were killed."]
    assert "source" in marked[0].classes and "cue" in marked[1].classes
    assert "stance-hedged" in marked[2].classes and marked[2].anchors == ["c1"]


def test_chart_escapes_and_draws_each_point():
    points = [{"date": "2024-11-20", "origin": "<b>GDC</b>", "low": None, "best": 500, "high": None, "claim": "a"},
              {"date": "2024-12-19", "origin": "NIS", "low": 100, "best": 100, "high": None, "claim": "b"},
              {"date": "2025-01", "origin": "NIS", "low": 200, "best": 300, "high": 400, "claim": "c"}]
    svg = str(estimates_chart(points, "killed"))
    assert svg.count("data-tip=") == 3 and "<b>" not in svg and "&lt;b&gt;GDC" in svg
    assert str(estimates_chart([])) == ""


def test_graph_collapses_aliases_onto_one_origin():
    def claim(i, doc, outlet, chain):
        return {"id": f"c{i}", "doc": doc, "outlet": outlet, "title": doc,
                "chains": [[{"name": n} for n in chain]]}
    members = [claim(1, "d1", "Yonhap", ["RBC-Ukraine", "GDC"]), claim(2, "d2", "Bild", ["Yonhap", "RBC Ukraine", "GDC"]),
               claim(3, "d3", "AP", ["Global Defense Corp."])]
    aliases = {"RBC Ukraine": "RBC-Ukraine", "Global Defense Corp.": "GDC"}
    origins = [{"name": "GDC", "key": "GDC", "claims": ["c1", "c2", "c3"], "reliability": "E"}]
    provenance = graph.build(members, origins, lambda n: (aliases.get(n, n), aliases.get(n, n)))
    svg = str(graph.graph_svg(provenance))
    assert "3 documents trace back to 1 origin" in svg
    # Yonhap is an outlet of one report and cited by another: one node, not two.
    assert svg.count('data-key="Yonhap"') == 1 and svg.count('data-key="RBC-Ukraine"') == 1
