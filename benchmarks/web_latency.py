"""Response times of every page and API route on a ledger of 100,000+ claims.

The ledger is the demo corpus ingested once, then copied in SQL: each copy `i` repeats
every document, claim and hop with `~i` appended to its ids and its dates moved `i`
days later (so the copies spread over a year and a half instead of piling onto the same
days), until there are at least `--claims` claims. Then `build_ledger` groups and grades
them all (and fills the precomputed sources tables), as `claimledger ledger` does.

    python benchmarks/web_latency.py --db /tmp/web100k.db            # build (or reuse) and time
    python benchmarks/web_latency.py --db /tmp/web100k.db --requests 50
    python benchmarks/web_latency.py --db /tmp/web100k.db --rebuild  # re-run build_ledger first

Every route is requested in-process through FastAPI's TestClient (no network), first
once to warm it, then `--requests` times; one JSON line per route gives p50, p95 and max
in milliseconds and whether p95 is under the target (pages 200 ms, API 50 ms). A route
whose first answer is not 200 is reported with its status and left out of the timing.
Two lines come first: the first `/sources` after the app starts, and the first after
the ledger changes (the script adds an inactive override row, times the request, and
removes the row again). `--build-only` builds (or `--rebuild`s) and stops.

With `--concurrent N` the timing is real: `claimledger serve` runs as its own process
(uvicorn, on a free local port), and N client threads, each on its own keep-alive
connection, request every route in a shuffled order `--rounds` times at once; one JSON
line per route gives p50/p95/max under that load against CONCURRENT_TARGET_MS (and the
server's CPU time per request of that route, requested alone first), then one line per
kind (overview, group, API) and the server's CPU time per request under load. Then N clients download `/api/ledger` at once
while the server's memory (VmRSS of its process, sampled every 50 ms, and its peak
VmHWM) is watched: the target is under 500 MB.

    python benchmarks/web_latency.py --db /tmp/web100k.db --concurrent 8 --rounds 5 [--workers 2]

The server's memory is that of its process and of its worker processes, added up.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote, urlencode

PAGE_TARGET_MS = 200
API_TARGET_MS = 50
CONCURRENT_TARGET_MS = 300  # p95 of each route under --concurrent clients
LEDGER_MEMORY_MB = 500  # the server's peak while --concurrent clients read /api/ledger


def _shift(column: str) -> str:
    """SQL moving an ISO date (or date-time) `column` `n.i` days later; other text unchanged."""
    return (
        f"CASE WHEN length({column}) >= 10 AND date(substr({column}, 1, 10)) IS NOT NULL "
        f"THEN date(substr({column}, 1, 10), '+' || n.i || ' days') || substr({column}, 11) "
        f"ELSE {column} END"
    )


def build(db: Path, claims: int) -> dict:
    """Ingest the demo corpus into `db`, copy it in SQL to `claims` claims, build the ledger."""
    from claimledger.cli import demo_folder
    from claimledger.pipeline import assess_ledger as build_ledger
    from claimledger.pipeline import ingest_paths
    from claimledger.store import open_ledger

    timings = {}
    start = time.perf_counter()
    ledger = open_ledger(str(db))
    with contextlib.chdir(demo_folder().parent):
        summary = ingest_paths(ledger, ["demo"])
    if summary.failed:
        raise SystemExit(f"ingesting the demo corpus failed: {summary.errors}")
    ledger.engine.dispose()
    timings["ingest_s"] = round(time.perf_counter() - start, 1)

    start = time.perf_counter()
    conn = sqlite3.connect(db)
    base_docs = conn.execute("select max(rowid) from documents").fetchone()[0]
    base_claims, base_hops = conn.execute("select max(rowid), (select max(rowid) from hops) from claims").fetchone()
    per_copy = conn.execute("select count(*) from claims").fetchone()[0]
    copies = max(0, math.ceil(claims / per_copy) - 1)
    numbers = "WITH RECURSIVE n(i) AS (SELECT 1 WHERE :copies > 0 UNION ALL SELECT i + 1 FROM n WHERE i < :copies) "
    doc_cols = [r[1] for r in conn.execute("pragma table_info(documents)")]
    shifted = {
        "version_id": "version_id || '~' || n.i", "doc_id": "doc_id || '~' || n.i",
        "published": _shift("published"),
        "near_copy_of": "CASE WHEN near_copy_of IS NULL THEN NULL ELSE near_copy_of || '~' || n.i END",
    }
    conn.execute(
        numbers + f"INSERT INTO documents ({', '.join(doc_cols)}) SELECT "
        + ", ".join(shifted.get(col, col) for col in doc_cols)
        + " FROM documents, n WHERE documents.rowid <= :base",
        {"copies": copies, "base": base_docs},
    )
    claim_cols = [r[1] for r in conn.execute("pragma table_info(claims)")]
    shifted = {
        "id": "id || '~' || n.i", "version_id": "version_id || '~' || n.i", "doc_id": "doc_id || '~' || n.i",
        "published": _shift("published"), "time_date": _shift("time_date"),
    }
    date_in_record = "json_extract(record, '$.time.date')"
    shifted["record"] = (
        "json_set(record, '$.id', id || '~' || n.i, '$.doc', doc_id || '~' || n.i, "
        f"'$.published', {_shift('published')}, '$.time.date', {_shift(date_in_record)})"
    )
    conn.execute(
        numbers + f"INSERT INTO claims ({', '.join(claim_cols)}) SELECT "
        + ", ".join(shifted.get(col, col) for col in claim_cols)
        + " FROM claims, n WHERE claims.rowid <= :base",
        {"copies": copies, "base": base_claims},
    )
    hop_cols = [r[1] for r in conn.execute("pragma table_info(hops)")]
    conn.execute(
        numbers + f"INSERT INTO hops ({', '.join(hop_cols)}) SELECT "
        + ", ".join("claim_id || '~' || n.i" if col == "claim_id" else col for col in hop_cols)
        + " FROM hops, n WHERE hops.rowid <= :base",
        {"copies": copies, "base": base_hops or 0},
    )
    conn.commit()
    total = conn.execute("select count(*) from claims").fetchone()[0]
    conn.close()
    timings["copy_s"] = round(time.perf_counter() - start, 1)

    start = time.perf_counter()
    ledger = open_ledger(str(db))  # applies any migration the copy needs
    timings["open_s"] = round(time.perf_counter() - start, 1)
    start = time.perf_counter()
    result = build_ledger(ledger)
    ledger.engine.dispose()
    timings["build_ledger_s"] = round(time.perf_counter() - start, 1)
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return {"built": str(db), "claims": total, "copies": copies + 1, "groups": len(result["clusters"]), **timings}


def rebuild(db: Path) -> dict:
    from claimledger.pipeline import assess_ledger as build_ledger
    from claimledger.store import open_ledger

    start = time.perf_counter()
    ledger = open_ledger(str(db))
    opened = time.perf_counter() - start
    start = time.perf_counter()
    result = build_ledger(ledger)
    ledger.engine.dispose()
    return {"rebuilt": str(db), "open_s": round(opened, 1), "build_ledger_s": round(time.perf_counter() - start, 1),
            "groups": len(result["clusters"])}


def shape(db: Path) -> dict:
    conn = sqlite3.connect(db)
    sizes = sorted(n for (n,) in conn.execute("select json_array_length(record, '$.claims') from clusters"))
    out = {
        "claims": conn.execute("select count(*) from claims").fetchone()[0],
        "documents": conn.execute("select count(*) from documents").fetchone()[0],
        "groups": len(sizes),
        "group_size_median": sizes[len(sizes) // 2] if sizes else 0,
        "group_size_p99": sizes[int(len(sizes) * 0.99)] if sizes else 0,
        "group_size_max": sizes[-1] if sizes else 0,
        "db_mb": round(db.stat().st_size / 2**20),
    }
    conn.close()
    return out


def percentile(sorted_ms: list[float], p: float) -> float:
    return sorted_ms[max(0, math.ceil(p * len(sorted_ms)) - 1)]


def routes(client) -> list[tuple[str, str]]:
    """(kind, url) for every page and API route, with real ids from the ledger."""
    def first(url, key="items"):
        body = client.get(url).json()
        return body[key][0] if body.get(key) else None

    biggest = first("/api/groups?view=reports&limit=1")
    groups = client.get("/api/groups", params={"view": "recent", "limit": 500}).json()["items"]
    typical = sorted(groups, key=lambda g: (len(g["claims"]), g["id"]))[len(groups) // 2]
    doc = first("/api/documents?limit=1")
    claim = first("/api/claims?limit=1")
    sources = client.get("/api/sources", params={"limit": 500}).json()["items"]
    top_source = sources[0]
    small_source = next((s for s in sources if 0 < s["originated"] < 500), sources[-1])
    unregistered = next((s for s in sources if s["key"].startswith("unregistered:")), sources[-1])
    outlet = doc["outlet"] or ""
    g = lambda gid: quote(gid, safe="")
    s = lambda key: quote(key, safe="")
    pages = [
        "/", "/?view=recent", "/?view=contradictions", "/?view=spreading", "/?event=killed",
        "/?grade=B", "/?since=2025-01-01&until=2025-06-30", "/?q=Kursk", "/?q=Storm+Shadow",
        "/?origin=" + s(top_source["key"]), "/?offset=200",
        "/search?q=Kursk", "/search?q=Storm+Shadow", "/search?q=NIS",
        "/groups/" + g(typical["id"]), "/groups/" + g(biggest["id"]),
        "/sources", "/sources?q=intelligence", "/sources/" + s(top_source["key"]),
        "/sources/" + s(top_source["key"]) + "?offset=600", "/sources/" + s(small_source["key"]),
        "/sources/" + s(unregistered["key"]),
        "/documents", "/documents?q=Kursk", "/documents?offset=5000", "/documents/" + s(doc["id"]),
        "/claims/" + g(claim["id"]),
        "/audit", "/docs", "/login",
    ]
    api = [
        "/api/stats",
        "/api/groups", "/api/groups?view=recent", "/api/groups?view=contradictions", "/api/groups?view=spreading",
        "/api/groups?event=killed", "/api/groups?grade=B2", "/api/groups?location=Kursk",
        "/api/groups?since=2025-01-01&until=2025-03-31", "/api/groups?q=Kursk", "/api/groups?q=Storm+Shadow",
        "/api/groups?origin=" + s(top_source["key"]), "/api/groups?offset=5000",
        "/api/groups/" + g(typical["id"]), "/api/groups/" + g(biggest["id"]),
        "/api/claims", "/api/claims?event=killed", "/api/claims?event=killed&kind=figure",
        "/api/claims?stance=hedged", "/api/claims?q=Kursk", "/api/claims?q=Storm+Shadow", "/api/claims?q=NIS",
        "/api/claims?" + urlencode({"outlet": outlet}), "/api/claims?origin=NIS", "/api/claims?grade=B",
        "/api/claims?grade=C3", "/api/claims?group=" + g(typical["id"]), "/api/claims?doc=" + s(doc["id"]),
        "/api/claims?since=2025-01-01&until=2025-01-31", "/api/claims?offset=50000",
        "/api/claims/" + g(claim["id"]),
        "/api/documents", "/api/documents?q=Kursk", "/api/documents?" + urlencode({"outlet": outlet}),
        "/api/documents/" + s(doc["id"]),
        "/api/sources", "/api/sources?q=intelligence", "/api/sources?kind=outlet",
        "/api/sources/" + s(top_source["key"]), "/api/sources/" + s(small_source["key"]),
        "/api/search?q=NIS", "/api/search?q=Kursk", "/api/search?q=Storm+Shadow",
        "/api/overrides",
    ]
    return [("page", u) for u in pages] + [("api", u) for u in api]


def after_a_change(db: Path, client) -> dict:
    """The first /sources after the ledger changes (here: an inactive override row is
    added, which changes what the app's caches are keyed on), then the row is removed."""
    client.get("/sources")
    conn = sqlite3.connect(db)
    conn.execute("INSERT INTO overrides (target, target_id, action, value, who, why, at, active) "
                 "VALUES ('source', 'benchmark', 'reliability', 'F', 'benchmark', 'benchmark', '2000-01-01', 0)")
    conn.commit()
    try:
        start = time.perf_counter()
        status = client.get("/sources").status_code
        ms = (time.perf_counter() - start) * 1000
    finally:
        conn.execute("DELETE FROM overrides WHERE who = 'benchmark' AND target_id = 'benchmark'")
        conn.commit()
        conn.close()
    return {"route": "first /sources after a ledger change (sources index)", "ms": round(ms, 1), "status": status}


def time_routes(db: Path, requests: int, only: str | None) -> None:
    from fastapi.testclient import TestClient

    from claimledger.publish import create_app

    start = time.perf_counter()
    app = create_app(str(db), token="")
    client = TestClient(app)
    opened = time.perf_counter() - start
    start = time.perf_counter()
    status = client.get("/sources").status_code
    print(json.dumps({"route": "first /sources after start (sources index)", "ms": round((time.perf_counter() - start) * 1000, 1),
                      "status": status, "app_start_ms": round(opened * 1000, 1)}), flush=True)
    print(json.dumps(after_a_change(db, client)), flush=True)
    for kind, url in routes(client):
        if only and only not in url:
            continue
        first = client.get(url)
        if first.status_code != 200:
            print(json.dumps({"route": url, "kind": kind, "status": first.status_code, "error": first.text[:200]}), flush=True)
            continue
        samples = []
        for _ in range(requests):
            t = time.perf_counter()
            response = client.get(url)
            samples.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        samples.sort()
        target = PAGE_TARGET_MS if kind == "page" else API_TARGET_MS
        p95 = percentile(samples, 0.95)
        print(json.dumps({
            "route": url, "kind": kind, "n": requests, "p50_ms": round(statistics.median(samples), 1),
            "p95_ms": round(p95, 1), "max_ms": round(samples[-1], 1), "bytes": len(first.content),
            "target_ms": target, "ok": p95 < target,
        }), flush=True)


class Server:
    """`claimledger serve` in its own process, on a free local port."""

    def __init__(self, db: Path, workers: int = 1):
        import socket
        import subprocess

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "claimledger", "serve", "--db", str(db), "--port", str(self.port),
             "--workers", str(workers)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while not self._answers():
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise SystemExit("the server did not start")
            time.sleep(0.2)

    def _answers(self) -> bool:
        import http.client

        try:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
            connection.request("GET", "/api/stats")
            return connection.getresponse().status == 200
        except OSError:
            return False

    def memory_mb(self, field: str = "VmRSS") -> float:
        """The server's memory: its process and the worker processes it started, added up."""
        total = 0.0
        for pid in [self.process.pid, *self._children(self.process.pid)]:
            try:
                lines = Path(f"/proc/{pid}/status").read_text().splitlines()
            except OSError:  # a worker gone
                continue
            total += sum(int(line.split()[1]) / 1024 for line in lines if line.startswith(field + ":"))
        return total

    def cpu_seconds(self) -> float:
        """CPU time (user and system) the server's processes have used so far."""
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0.0
        for pid in [self.process.pid, *self._children(self.process.pid)]:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += (int(fields[11]) + int(fields[12])) / ticks
        return total

    @staticmethod
    def _children(pid: int) -> list[int]:
        found = []
        for task in Path(f"/proc/{pid}/task").glob("*/children"):
            for child in task.read_text().split():
                found += [int(child), *Server._children(int(child))]
        return found

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def _kind_of(kind: str, url: str) -> str:
    if kind == "api":
        return "api"
    return "group" if url.startswith("/groups/") else "overview" if url.startswith(("/?", "/search")) or url == "/" else "page"


def _client_thread(port: int, urls: list[str], rounds: int, seed: int, samples: dict, errors: list) -> None:
    import http.client
    import random

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    order = random.Random(seed)
    for _ in range(rounds):
        for url in order.sample(urls, len(urls)):
            start = time.perf_counter()
            connection.request("GET", url)
            response = connection.getresponse()
            response.read()
            samples[url].append((time.perf_counter() - start) * 1000)
            if response.status >= 400:  # /claims/{id} answers 303, to its document
                errors.append((url, response.status))
    connection.close()


def time_concurrently(db: Path, clients: int, rounds: int, only: str | None, workers: int = 1) -> None:
    """Every route, requested by `clients` threads at once from a served app."""
    import threading
    from collections import defaultdict

    import httpx

    server = Server(db, workers)
    print(json.dumps({"server": f"claimledger serve --workers {workers}", "clients": clients, "rounds": rounds,
                      "load_average": [round(x, 1) for x in os.getloadavg()]}), flush=True)
    try:
        with httpx.Client(base_url=server.url, timeout=120) as discover:
            listed = [(kind, url) for kind, url in routes(discover) if not only or only in url]
            for _, url in listed:  # warm each route once
                discover.get(url)
            cpu_ms = {}  # then the server's CPU per request, one client alone (10 ms clock ticks: 5 requests)
            for _, url in listed:
                before = server.cpu_seconds()
                for _ in range(5):
                    discover.get(url)
                cpu_ms[url] = (server.cpu_seconds() - before) * 1000 / 5
        samples: dict[str, list[float]] = defaultdict(list)
        errors: list = []
        threads = [threading.Thread(target=_client_thread, args=(server.port, [u for _, u in listed], rounds, n,
                                                                samples, errors)) for n in range(clients)]
        started, cpu = time.perf_counter(), server.cpu_seconds()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall, cpu = time.perf_counter() - started, server.cpu_seconds() - cpu
        by_kind: dict[str, list[float]] = defaultdict(list)
        for kind, url in listed:
            ms = sorted(samples[url])
            by_kind[_kind_of(kind, url)].extend(ms)
            print(json.dumps({"route": url, "kind": _kind_of(kind, url), "clients": clients, "n": len(ms),
                              "cpu_ms_alone": round(cpu_ms[url]),
                              "p50_ms": round(statistics.median(ms), 1), "p95_ms": round(percentile(ms, 0.95), 1),
                              "max_ms": round(ms[-1], 1), "ok": percentile(ms, 0.95) < CONCURRENT_TARGET_MS}),
                  flush=True)
        for kind, ms in sorted(by_kind.items()):
            ms.sort()
            print(json.dumps({"kind": kind, "clients": clients, "requests": len(ms),
                              "p50_ms": round(statistics.median(ms), 1), "p95_ms": round(percentile(ms, 0.95), 1),
                              "max_ms": round(ms[-1], 1), "target_ms": CONCURRENT_TARGET_MS,
                              "ok": percentile(ms, 0.95) < CONCURRENT_TARGET_MS}), flush=True)
        requests = sum(len(v) for v in samples.values())
        print(json.dumps({"requests": requests, "wall_s": round(wall, 1),
                          "server_cpu_ms_per_request": round(cpu * 1000 / requests, 1),
                          "load_average": [round(x, 1) for x in os.getloadavg()],
                          "errors": errors[:10], "server_rss_mb": round(server.memory_mb()),
                          "server_peak_mb": round(server.memory_mb("VmHWM"))}), flush=True)
        ledger_memory(server, clients)
    finally:
        server.stop()


def ledger_memory(server: Server, clients: int) -> None:
    """`clients` downloads of /api/ledger at once, the server's memory watched."""
    import http.client
    import threading

    results: list[tuple[int, int, float]] = []

    def download() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=600)
        start = time.perf_counter()
        connection.request("GET", "/api/ledger")
        response = connection.getresponse()
        size = 0
        while chunk := response.read(1 << 20):
            size += len(chunk)
        results.append((response.status, size, time.perf_counter() - start))

    before = server.memory_mb()
    threads = [threading.Thread(target=download) for _ in range(clients)]
    for thread in threads:
        thread.start()
    highest = before
    while any(thread.is_alive() for thread in threads):
        highest = max(highest, server.memory_mb())
        time.sleep(0.05)
    statuses = sorted({status for status, _, _ in results})
    print(json.dumps({
        "route": "/api/ledger", "clients": clients, "statuses": statuses,
        "mb_each": round(statistics.mean(size for _, size, _ in results) / 2**20, 1),
        "seconds_each_max": round(max(s for _, _, s in results), 1),
        "server_rss_before_mb": round(before), "server_rss_max_mb": round(highest),
        "server_peak_mb": round(server.memory_mb("VmHWM")), "target_mb": LEDGER_MEMORY_MB,
        "ok": statuses == [200] and server.memory_mb("VmHWM") < LEDGER_MEMORY_MB,
    }), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", help="the ledger to time (built there when missing); default: a temporary file")
    parser.add_argument("--claims", type=int, default=100_000, help="claims to build (default 100000)")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per route (default 30)")
    parser.add_argument("--rebuild", action="store_true", help="run build_ledger on an existing --db first")
    parser.add_argument("--only", help="time only the routes whose URL contains this text")
    parser.add_argument("--build-only", action="store_true", help="build the ledger and stop")
    parser.add_argument("--concurrent", type=int, help="serve the app and time it under this many clients at once")
    parser.add_argument("--rounds", type=int, default=5, help="with --concurrent: passes over the routes per client")
    parser.add_argument("--workers", type=int, default=1, help="with --concurrent: the server's worker processes")
    args = parser.parse_args()
    db = Path(args.db) if args.db else Path(tempfile.mkdtemp(prefix="claimledger-web-")) / "ledger.db"
    if not db.exists():
        print(json.dumps(build(db, args.claims)), flush=True)
    elif args.rebuild:
        print(json.dumps(rebuild(db)), flush=True)
    print(json.dumps(shape(db)), flush=True)
    if args.concurrent:
        time_concurrently(db, args.concurrent, args.rounds, args.only, args.workers)
    elif not args.build_only:
        time_routes(db, args.requests, args.only)


if __name__ == "__main__":
    sys.exit(main())
