"""What real use throws at the web app: a NUL or an oversized value in any parameter (a
400, never a 500), an error anywhere (security headers, the connection kept), wrong
tokens in a row (throttled), a group of hundreds of claims (paged, its timeline merged),
the whole ledger asked for (streamed), and links that must lead somewhere. On SQLite and
(marked `postgres`) on PostgreSQL."""

from __future__ import annotations

import http.client
import json
import re
from datetime import date, timedelta
from html import unescape
from urllib.parse import quote, urlparse

import pytest

from claimledger.publish import queries
from claimledger.publish.auth import Throttle

NUL_REQUESTS = [
    "/api/claims?q=Kursk%00", "/api/claims?outlet=%00", "/api/claims?doc=a%00b", "/api/groups?location=%00",
    "/api/groups?origin=%00", "/api/documents?outlet=x%00", "/api/search?q=a%00b", "/api/sources?q=%00",
    "/api/overrides?target_id=%00", "/api/documents/%00", "/api/claims/x%00", "/api/groups/%00y", "/api/sources/%00",
    "/?q=%00", "/?location=%00", "/?origin=%00", "/search?q=%00", "/documents?q=%00", "/documents?outlet=%00",
    "/sources?q=%00", "/documents/%00", "/groups/%00", "/sources/%00", "/login?next=/%00", "/?%00=1",
]
LONG = "a" * 2001
OVERSIZED = [f"/api/claims?doc={LONG}", f"/api/overrides?target_id={LONG}", f"/?q={LONG}", f"/documents?outlet={LONG}",
             f"/sources/{'k' * 5000}", "/?" + "&".join(f"p{i}=" + "x" * 1000 for i in range(20))]


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def login(client, token: str) -> None:
    page = client.get("/login")
    response = client.post("/login", data={"csrf": csrf_of(page.text), "who": "Ana", "token": token, "next": "/"},
                           follow_redirects=False)
    assert response.status_code == 303, response.text


def _security_headers(response) -> None:
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"


@pytest.mark.parametrize("url", NUL_REQUESTS + OVERSIZED)
def test_nul_and_oversized_values_are_a_400(shared_client, url):
    response = shared_client.get(url)
    assert response.status_code == 400, (url, response.status_code, response.text[:300])
    _security_headers(response)
    if url.startswith("/api"):
        error = response.json()["error"]
        assert error["code"] == "bad_request" and ("NUL" in error["message"] or "longer than" in error["message"])
    else:
        assert "text/html" in response.headers["content-type"]


def test_nul_in_a_decision_is_refused_not_a_500(client, auth_header, api_token):
    group = client.get("/api/groups", params={"limit": 1}).json()["items"][0]
    body = {"target": "cluster", "target_id": group["id"], "action": "refute", "who": "ana", "why": "wrong\u0000place"}
    response = client.post("/api/overrides", json=body, headers=auth_header)
    assert 400 <= response.status_code < 500
    login(client, api_token)
    html = client.get(f"/groups/{group['id']}").text
    form = {"target": "cluster", "target_id": group["id"], "action": "refute", "why": "a\u0000b", "csrf": csrf_of(html)}
    assert client.post("/actions/override", data=form).status_code == 400
    assert client.get("/api/overrides").json()["total"] == 0


def test_a_server_error_keeps_the_headers_and_the_connection(live_server, monkeypatch):
    def broken(conn):
        raise RuntimeError("the disk is on fire")

    monkeypatch.setattr(queries, "stats", broken)
    address = urlparse(live_server)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
    answers, sockets = [], set()
    for path in ("/api/stats", "/api/nothing-here", "/documents", "/api/stats", "/api/groups?limit=1"):
        connection.request("GET", path, headers={"Accept": "application/json"})
        sockets.add(id(connection.sock))
        response = connection.getresponse()
        answers.append((path, response.status, response.getheader("x-frame-options"),
                        response.getheader("connection"), response.read()))
    assert len(sockets) == 1
    assert [status for _, status, *_ in answers] == [500, 404, 200, 500, 200]
    assert all(frame == "DENY" for _, _, frame, _, _ in answers)  # errors too
    assert all(keep != "close" for *_, keep, _ in answers)  # one connection served them all
    error = json.loads(answers[0][4])["error"]
    assert error == {"code": "internal_error", "message": "the server failed to answer; the error is logged"}
    connection.close()


def test_a_server_error_on_a_page_is_an_html_error_page(client, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the disk is on fire")

    monkeypatch.setattr(queries, "list_documents", broken)
    response = client.get("/documents")
    assert response.status_code == 500 and "text/html" in response.headers["content-type"]
    assert "fire" not in response.text  # the cause is logged, not shown
    _security_headers(response)


def test_wrong_tokens_are_throttled(client, auth_header, api_token):
    group = client.get("/api/groups", params={"limit": 1}).json()["items"][0]
    body = {"target": "cluster", "target_id": group["id"], "action": "refute", "who": "ana", "why": "checked"}
    statuses = [client.post("/api/overrides", json=body, headers={"Authorization": f"Bearer guess-{i}"}).status_code
                for i in range(8)]
    assert statuses == [401] * 5 + [429] * 3
    refused = client.post("/api/overrides", json=body, headers=auth_header)  # even the right one, for now
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0
    assert refused.json()["error"]["code"] == "too_many_requests"
    html = client.get("/login").text
    login = client.post("/login", data={"csrf": csrf_of(html), "who": "ana", "token": api_token})
    assert login.status_code == 429 and "try again in" in login.text


def test_the_throttle_forgets_after_its_window_and_counts_each_client_alone():
    now = [1000.0]
    throttle = Throttle(attempts=3, window=60, clients=2, clock=lambda: now[0])
    for _ in range(3):
        assert throttle.wait("a") == 0
        throttle.failed("a")
    assert throttle.wait("a") == 60 and throttle.wait("b") == 0
    now[0] += 30
    assert throttle.wait("a") == 30
    now[0] += 30
    assert throttle.wait("a") == 0  # the oldest failure is a minute old
    throttle.failed("b")
    throttle.failed("c")
    throttle.failed("d")
    assert len(throttle._failures) == 2  # the longest quiet forgotten first


def test_document_detail_does_not_tell_where_the_file_lay(shared_client):
    doc = shared_client.get("/api/documents", params={"limit": 1}).json()["items"][0]
    detail = shared_client.get(f"/api/documents/{quote(doc['id'], safe='')}").json()
    assert "source_path" not in detail
    assert "/tmp/" not in json.dumps(detail) and "/work/" not in json.dumps(detail)


def test_every_source_link_of_every_group_page_leads_somewhere(shared_client):
    groups = shared_client.get("/api/groups", params={"limit": 500}).json()["items"]
    links = set()
    for group in groups:
        html = shared_client.get(f"/groups/{quote(group['id'], safe='')}").text
        links.update(unescape(href) for href in re.findall(r'href="(/sources/[^"]+)"', html))
    assert len(links) > 20
    broken = [link for link in links if shared_client.get(link).status_code != 200]
    assert not broken


def test_the_ledger_is_streamed_in_pieces(shared_client, monkeypatch):
    whole = shared_client.get("/api/ledger")
    assert "content-length" not in whole.headers  # streamed, not built whole first
    monkeypatch.setattr(queries, "CHUNK_CHARS", 4096)
    with shared_client.stream("GET", "/api/ledger") as response:
        pieces = list(response.iter_raw())
    assert len(pieces) > 10 and max(len(p) for p in pieces) < 4096 + 50_000  # a piece and a record at most
    ledger = json.loads(b"".join(pieces))
    assert ledger == whole.json()
    assert list(ledger) == ["claims", "clusters", "unregistered_sources"]


@pytest.fixture()
def big_group_client(ledger_url):
    """A ledger of 250 reports echoing one origin over 250 days: one group of 250 claims."""
    from fastapi.testclient import TestClient

    from claimledger.models import Claim, Document, Hop, Quantity, claim_id
    from claimledger.pipeline import assess_ledger as build_ledger
    from claimledger.publish import create_app
    from claimledger.store import open_ledger

    ledger = open_ledger(ledger_url)
    text = "About 500 North Korean soldiers were killed in the Storm Shadow missile strike near Kursk"
    chain = ((Hop("RBC Ukraine", "outlet", "citing"), Hop("Global Defense Corp.", "organization", "said")),)
    for i in range(250):
        day, doc = (date(2024, 6, 1) + timedelta(days=i)).isoformat(), f"wire-{i:03}"
        claim = Claim(id=claim_id(doc, 0, len(text), "figure", "500"), doc=doc, outlet=f"Outlet {i % 7}",
                      published=day, sentence=text + ".", text=text, start=0, end=len(text), kind="figure",
                      event="killed", quantity=Quantity(500.0 + i, None, None, True, "about 500", "approx"),
                      subject="North Korean soldiers", chains=chain)
        ledger.store(Document(id=doc, text=f"{text}. Report {i}.", outlet=claim.outlet, published=day), [claim])
    [group] = build_ledger(ledger)["clusters"]
    ledger.engine.dispose()
    with TestClient(create_app(ledger_url, token="")) as client:
        yield client, group


def test_a_big_group_pages_its_claims_and_merges_its_timeline(big_group_client):
    client, group = big_group_client
    assert len(group["claims"]) == len(group["timeline"]) == 250
    detail = client.get(f"/api/groups/{group['id']}").json()
    assert detail["member_count"] == 250 and detail["claim_count"] == 250 and detail["truncated"]
    assert len(detail["members"]) == 100 and len(detail["claims"]) == queries.LIST_ITEMS
    assert detail["origins"][0]["claim_count"] == 250
    assert len(detail["timeline"]) <= queries.TIMELINE_POINTS
    assert sum(p["reports"] for p in detail["timeline"]) == 250
    last = client.get(f"/api/groups/{group['id']}", params={"limit": 100, "offset": 200}).json()
    assert [m["published"] for m in last["members"]][-1] == "2025-02-05"
    every = [m["id"] for o in (0, 100, 200) for m in client.get(
        f"/api/groups/{group['id']}", params={"offset": o}).json()["members"]]
    assert sorted(every) == sorted(group["claims"])
    html = client.get(f"/groups/{group['id']}", params={"page": 3}).text
    assert "250 claims in 250 documents" in html and "page 3 of 3" in html and "Claims 201 to 250 of 250" in html
    assert html.count('class="claim') < 120  # one page of claims, not all of them
    with client.app.state.ctx.engine.connect() as conn:
        members = queries.group_members(conn, group["id"], 10, 245, graph_documents=3)
    assert (members.count, members.documents) == (250, 250)
    assert [m["doc"] for m in members.page] == ["wire-245", "wire-246", "wire-247", "wire-248", "wire-249"]
    assert [m["doc"] for m in members.graph] == ["wire-000", "wire-001", "wire-002"]



def test_serve_answers_from_several_worker_processes(demo_db):
    """`claimledger serve --workers 2`: two processes answer, the same ledger."""
    import socket
    import subprocess
    import sys
    import time
    from pathlib import Path

    import httpx

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "claimledger", "serve", "--db", demo_db, "--port", str(port),
                               "--workers", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline, stats = time.monotonic() + 90, None
        while stats is None and time.monotonic() < deadline and server.poll() is None:
            try:
                stats = httpx.get(f"http://127.0.0.1:{port}/api/stats", timeout=5).json()
            except httpx.HTTPError:
                time.sleep(0.3)
        assert stats is not None, server.stderr.read() if server.poll() is not None else "no answer"
        assert stats["documents"] >= 25 and stats["groups"] > 0
        workers = [child for task in Path(f"/proc/{server.pid}/task").glob("*/children")
                   for child in task.read_text().split()]
        assert len(workers) >= 2
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert "2 worker processes" in server.stdout.read()
