"""The Dask path against the local one on PolNeAR's news articles (read at run time from
the data folder, never copied): the same ledger, and the speed-up with 1 and 2 workers.

Each run ingests the same articles into a fresh SQLite ledger:
- local: one process (`workers=1`), the reference ledger;
- dask-N: a `distributed.LocalCluster` of N worker processes (one thread each), the
  client storing what the workers return; timed from the client's connection (workers
  loading the pipeline included) to the last document stored, the cluster's own start
  not included.

    python benchmarks/cluster_speed.py --docs 300 --workers 1 2

prints one JSON line per run (seconds, documents/s, speed-up over local, whether its
claims and summary equal the local run's), then skips cleanly where PolNeAR is absent.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path


def _articles(n: int) -> list[str]:
    from claimledger import settings

    folder = Path(settings.get("data_dir")) / "polnear" / "train" / "text"
    return [str(p) for p in sorted(folder.glob("*.txt"))[:n]]


def _ingest(paths: list[str], db: str, extractor) -> tuple[float, dict, list[dict]]:
    from claimledger.pipeline import ingest_paths
    from claimledger.store import open_ledger

    ledger = open_ledger(db)
    start = time.perf_counter()
    summary = ingest_paths(ledger, paths, extractor=extractor)
    seconds = time.perf_counter() - start
    return seconds, summary.as_dict(), [c.to_json() for c in ledger.claims()]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=300)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    paths = _articles(args.docs)
    if not paths:
        print(json.dumps({"skipped": "PolNeAR not found under the data_dir setting"}))
        return
    import distributed

    from claimledger.extract.cluster import DaskExtractor
    from claimledger.extract.pipeline import Extractor

    with tempfile.TemporaryDirectory() as folder:
        load = os.getloadavg()[0]
        local_s, local_summary, local_claims = _ingest(paths, f"{folder}/local.db", Extractor())
        print(json.dumps({"run": "local", "docs": len(paths), "claims": len(local_claims), "seconds": round(local_s, 2),
                          "docs_per_s": round(len(paths) / local_s, 2), "load_before": round(load, 2)}), flush=True)
        for n in args.workers:
            with distributed.LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                                          dashboard_address=None) as cluster:
                load = os.getloadavg()[0]
                seconds, summary, claims = _ingest(paths, f"{folder}/dask{n}.db", DaskExtractor(cluster.scheduler_address))
            print(json.dumps({
                "run": f"dask-{n}", "docs": len(paths), "claims": len(claims), "seconds": round(seconds, 2),
                "docs_per_s": round(len(paths) / seconds, 2), "speed_up": round(local_s / seconds, 3),
                "same_claims": claims == local_claims, "same_summary": summary == local_summary,
                "load_before": round(load, 2),
            }), flush=True)


if __name__ == "__main__":
    main()
