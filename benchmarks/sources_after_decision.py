"""The sources index after an analyst's decision, on a copy of an assessed ledger: a
group of three claims refuted (`update_assessment`), then the index read as counted
(`load_index`) and counted again from the claims (`build_index`, what the web app did
after every decision before the counts were kept), and the track record of the source
with the most claims.

    python benchmarks/sources_after_decision.py --db /tmp/l100k/snap.db

(`--db`: a SQLite ledger assessed in full, such as `assess_scale.py --incremental --keep`
saves; it is copied, not changed.) One JSON line."""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select

from claimledger.assess.registry import registry_from_settings
from claimledger.incremental import update_assessment
from claimledger.publish.sources import build_index, load_index, track_record
from claimledger.store import open_ledger, schema


def _timed(action):
    start = time.process_time()
    result = action()
    return result, round(time.process_time() - start, 3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", required=True, help="a SQLite ledger assessed in full (copied)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = str(Path(folder) / "ledger.db")
        shutil.copyfile(args.db, db)
        registry = registry_from_settings()
        ledger = open_ledger(db)
        g = schema.claim_grades
        with ledger.engine.connect() as conn:
            group = conn.execute(select(g.c.cluster_id).group_by(g.c.cluster_id).having(func.count() == 3)
                                 .order_by(g.c.cluster_id)).scalars().first()
        ledger.add_override("cluster", group, "refute", None, "bench", "measured")
        update, _ = _timed(lambda: update_assessment(ledger, registry))
        with ledger.engine.connect() as conn:
            counted, counted_cpu = _timed(lambda: load_index(conn, registry))
            live, live_cpu = _timed(lambda: build_index(conn, registry))
            top = max(live.sources.values(), key=lambda s: (s.originated, s.key))
            _, track_cpu = _timed(lambda: track_record(conn, (counted or live).sources[top.key]))
        print(json.dumps({"update": update.as_dict(), "counted": counted is not None, "load_index_cpu": counted_cpu,
                          "build_index_cpu": live_cpu, "largest_source": top.key, "its_claims": top.originated,
                          "track_record_cpu": track_cpu}))


if __name__ == "__main__":
    main()
