"""Server CPU per request of the costly web routes, in-process, alone: `cold` drops the
answers the app keeps per ledger state before each request (as after a ledger change),
`kept` does not.

    python benchmarks/web_cpu_cold.py --db /tmp/web/web100k.db [--requests 5]

One JSON line per route; `{largest}` is the group with the most reports. Run with an
older checkout's sources first on PYTHONPATH to compare (it keeps nothing: both columns
are cold there)."""

from __future__ import annotations

import argparse
import json
import sqlite3
import time

from fastapi.testclient import TestClient

from claimledger.publish.app import create_app

ROUTES = ("/groups/{largest}", "/api/groups/{largest}", "/search?q=Kursk", "/api/search?q=Kursk", "/?q=Kursk",
          "/?origin=kr-nis", "/api/groups?q=Kursk", "/api/groups?origin=kr-nis")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", required=True, help="a SQLite ledger built by web_latency.py --build-only")
    parser.add_argument("--requests", type=int, default=5)
    args = parser.parse_args()
    largest = sqlite3.connect(args.db).execute("SELECT id FROM clusters ORDER BY reports DESC LIMIT 1").fetchone()[0]
    app = create_app(args.db, "")
    client = TestClient(app)
    kept = app.state.ctx.sources
    for route in ROUTES:
        url = route.replace("{largest}", largest)
        assert client.get(url).status_code == 200, url
        out = {"route": route}
        for mode in ("cold", "kept"):
            started = time.process_time()
            for _ in range(args.requests):
                if mode == "cold" and hasattr(kept, "_answers"):
                    kept._answers.clear()
                client.get(url)
            out[mode] = round((time.process_time() - started) / args.requests * 1000, 1)
        print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
