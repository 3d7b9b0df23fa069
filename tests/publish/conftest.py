"""Fixtures for the publishing tests: the demo corpus ingested once per session (plus one
hostile document full of script), assessed into claim groups, then copied per test so
that tests which record overrides do not see each other's decisions."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import sqlite3
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

import pytest

TOKEN = "test-token-3f9a"
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"

# A document written to attack the pages: markup in its title, outlet, URL and text.
HOSTILE = {
    "id": "hostile-<script>window.__pwned='id'</script>",
    "url": "javascript:window.__pwned='url'",
    "outlet": "<img src=x onerror=\"window.__pwned='outlet'\">Evil Outlet",
    "published": "2024-11-26",
    "title": "<script>window.__pwned='title'</script>Hostile <b>report</b>",
    "text": (
        "Officials of the <script>window.__pwned='text'</script> ministry said on Tuesday that "
        "about 700 soldiers were killed near <img src=x onerror=\"window.__pwned='img'\">Kursk, "
        "citing <a href=\"javascript:window.__pwned='link'\">the general staff</a>.\n\n"
        "Reuters reported, citing <svg onload=\"window.__pwned='svg'\">Ukraine's military "
        "intelligence</svg>, that 40 North Korean soldiers were captured "
        "<iframe src=\"javascript:window.__pwned='iframe'\"></iframe>.\n\n"
        "\"We have <style>body{display:none}</style> killed 300 of them\", the spokesman "
        "<input autofocus onfocus=\"window.__pwned='focus'\"> told reporters."
    ),
}


def _fallback_assessment(db_path: Path) -> None:
    """Claim groups as the assessment would store them, for when it is not importable:
    figures grouped by event, each with its origins, estimate and a plain grade."""
    conn = sqlite3.connect(db_path)
    rows = conn.execute(
        "select c.id, c.record, c.event, c.doc_id, c.published from claims c "
        "join documents d on d.version_id = c.version_id and d.current = 1 where c.kind = 'figure'"
    ).fetchall()
    groups: dict[str, list] = defaultdict(list)
    for row in rows:
        groups[row[2] or "other"].append(row)
    for event, members in groups.items():
        gid = f"grp-{event}"
        origins: dict[str, dict] = {}
        values = []
        for claim_id, record, _, _, _ in members:
            record = json.loads(record)
            chains = record["chains"]
            name = chains[0][-1]["name"] if chains else record["outlet"]
            origins.setdefault(name, {"name": name, "registry_id": None, "claims": [], "party": None})["claims"].append(claim_id)
            if record["quantity"] and record["quantity"]["value"] is not None:
                values.append(record["quantity"]["value"])
        values.sort()
        estimate = {"low": values[0], "best": values[len(values) // 2], "high": values[-1]} if values else None
        grade = "C3" if len(origins) > 1 else "F6"
        cluster = {
            "id": gid, "event": event, "subject": None, "location": None,
            "claims": [m[0] for m in members], "estimate": estimate, "origins": list(origins.values()),
            "independent_origins": len(origins), "reports": len({m[3] for m in members}),
            "contradiction": len(set(values)) > 3, "grade": grade,
            "explanation": f"{len(origins)} origins across {len({m[3] for m in members})} reports.",
            "timeline": [], "interested": [],
        }
        latest = max((m[4] or "" for m in members), default=None)
        conn.execute(
            "insert into clusters (id, event, subject, location, grade, contradiction, independent_origins, "
            "reports, latest, record) values (?,?,?,?,?,?,?,?,?,?)",
            (gid, event, None, None, grade, cluster["contradiction"], cluster["independent_origins"],
             cluster["reports"], latest, json.dumps(cluster)),
        )
        conn.executemany(
            "insert into claim_grades (claim_id, cluster_id, grade, explanation) values (?,?,?,?)",
            [(m[0], gid, grade, cluster["explanation"]) for m in members],
        )
    conn.commit()
    conn.close()


def assess(db: str | Path) -> None:
    """Fill the clusters and claim_grades tables: with the assessment stage when present."""
    try:
        from claimledger.pipeline import assess_ledger as build_ledger
    except ImportError:
        _fallback_assessment(Path(db))
        return
    from claimledger.store import open_ledger

    ledger = open_ledger(str(db))
    build_ledger(ledger)
    ledger.engine.dispose()


def _ingest_demo(db: str) -> None:
    from claimledger.cli import demo_folder
    from claimledger.pipeline import ingest_paths
    from claimledger.store import open_ledger

    ledger = open_ledger(db)
    with contextlib.chdir(demo_folder().parent):
        summary = ingest_paths(ledger, ["demo"])
    assert summary.failed == 0, summary.errors
    with tempfile.TemporaryDirectory() as folder:
        hostile = Path(folder) / "hostile.jsonl"
        hostile.write_text(json.dumps(HOSTILE) + "\n", encoding="utf-8")
        assert ingest_paths(ledger, [str(hostile)]).failed == 0
    ledger.engine.dispose()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> Path:
    """The demo ledger as a SQLite file (tests of SQLite's own paths read it directly)."""
    db_path = tmp_path_factory.mktemp("ledger") / "demo.db"
    _ingest_demo(str(db_path))
    assess(db_path)
    _checkpoint(db_path)
    return db_path


@pytest.fixture(scope="session")
def demo_template_postgres(postgres) -> str:
    """The demo ledger as a PostgreSQL database, the template of each test's copy."""
    url = postgres.create_database("demo_template")
    _ingest_demo(url)
    assess(url)
    return url.rsplit("/", 1)[1]


def _checkpoint(db_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


@pytest.fixture()
def demo_db(demo_template, tmp_path) -> str:
    """A copy of the demo ledger as a SQLite file."""
    target = tmp_path / "demo.db"
    shutil.copyfile(demo_template, target)
    return str(target)


def _demo_copy(request, backend: str, tmp_path: Path) -> str:
    if backend == "sqlite":
        target = tmp_path / "demo.db"
        shutil.copyfile(request.getfixturevalue("demo_template"), target)
        return str(target)
    template = request.getfixturevalue("demo_template_postgres")
    return request.getfixturevalue("postgres").create_database("demo", template=template)


def _dropper(request, db: str):
    """What to call after the test: a PostgreSQL copy is dropped (its connections
    closed), so that the cluster stays small however many tests ran."""
    if "://" not in db:
        return lambda: None
    postgres = request.getfixturevalue("postgres")
    return lambda: postgres.drop_database(db)


@pytest.fixture(params=BACKENDS)
def ledger_db(request, tmp_path):
    """A copy of the demo ledger, on SQLite and (marked `postgres`) on PostgreSQL."""
    db = _demo_copy(request, request.param, tmp_path)
    drop = _dropper(request, db)
    yield db
    drop()


@pytest.fixture(scope="module", params=BACKENDS)
def module_ledger_db(request, tmp_path_factory):
    """A copy of the demo ledger shared by a module's tests."""
    db = _demo_copy(request, request.param, tmp_path_factory.mktemp("module"))
    drop = _dropper(request, db)
    yield db
    drop()


@pytest.fixture()
def client(ledger_db):
    from fastapi.testclient import TestClient

    from claimledger.publish import create_app

    app = create_app(ledger_db, token=TOKEN)
    with TestClient(app) as test_client:
        yield test_client
    app.state.ctx.engine.dispose()


@pytest.fixture()
def readonly_client(ledger_db):
    from fastapi.testclient import TestClient

    from claimledger.publish import create_app

    app = create_app(ledger_db, token="")
    with TestClient(app) as test_client:
        yield test_client
    app.state.ctx.engine.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def shared_client(request, tmp_path_factory):
    """A read-only-use client over a session copy of the demo ledger (no test may write
    through it), on SQLite and (marked `postgres`) on PostgreSQL."""
    from fastapi.testclient import TestClient

    from claimledger.publish import create_app

    db = _demo_copy(request, request.param, tmp_path_factory.mktemp("shared"))
    drop = _dropper(request, db)
    app = create_app(db, token=TOKEN)
    with TestClient(app) as test_client:
        yield test_client
    app.state.ctx.engine.dispose()
    drop()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture()
def live_server(ledger_db):
    """The app served by uvicorn in a thread on a free port; yields its base URL."""
    import uvicorn

    from claimledger.publish import create_app

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(ledger_db, token=TOKEN), host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


CHROMIUM = os.environ.get("CLAIMLEDGER_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright. Missing: the test fails in CI, skips elsewhere."""
    problem = None
    if not Path(CHROMIUM).exists():
        problem = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    else:
        try:
            from playwright.sync_api import sync_playwright
        except ImportError:
            problem = "playwright is not installed (pip install playwright)"
    if problem:
        if os.environ.get("CI"):
            pytest.fail(problem)
        pytest.skip(problem)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-background-networking"]
        )
        yield chromium
        chromium.close()


@pytest.fixture()
def screenshots() -> Path:
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture()
def auth_header() -> dict:
    return {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture()
def api_token() -> str:
    return TOKEN
