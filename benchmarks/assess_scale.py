"""Time and peak memory to assess a ledger (group, count origins, find contradictions,
grade) as the number of claims grows.

Claims are generated: figures about many incidents and totals (several events, peoples,
kinds and places), relayed through chains of registry sources and unregistered outlets,
plus statements. The timed part is `claimledger.assess.ledger.assess` (the pure stage:
frames, source resolution in context, matching, origins, contradictions, estimates,
grades; each claim's result as a compact `Graded` tuple, `records=False`), the claims'
frames read in `--workers` processes (default: one per core; the others forked, their
largest resident set given apart as `worker_peak_mb`); generating the claims and storing
are not timed. Each size runs in a process of its own, so that its peak memory (resident
set) is its own. Forked workers share the parent's pages until they write them, so the two
resident sets overlap: `total_peak_mb` is the peak of the proportional set sizes (each
shared page divided among the processes sharing it) of the process and its workers
together, sampled every 0.2 s by the launching process (Linux; absent elsewhere). The load average before and after says how busy the machine was; `cpu_seconds` is this
process's own CPU time (the workers' aside).

    python benchmarks/assess_scale.py --claims 100000 300000 1000000

`--incremental` measures keeping a stored ledger's assessment current instead: the
generated claims are stored as documents of 5 claims each (in SQL, in one transaction:
not timed) into `--db`, assessed in full once (`pipeline.assess_ledger`, timed), then
20 new documents are ingested (`Ledger.store`, as `claimledger ingest` stores them) and
`incremental.update_assessment` brings the assessment up to date (timed), and analysts'
decisions are recorded one by one, each followed by the update (timed, as the web app
does after each decision). Last, the stored groups are compared with a full assessment
of the final ledger (they must be the same).

    python benchmarks/assess_scale.py --incremental --claims 100000 --db /tmp/scale100k.db

`--keep PATH` saves the ledger as assessed in full; `--start-from PATH` starts the next
run from a copy of it (no generation, no full assessment), to compare versions of the
incremental code on the same ledger in minutes (the stored assessment is taken as made
by the running code: check with `--groups-hash` that both versions match alike).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time

PEOPLES = ["North Korean", "Russian", "Ukrainian", "Sudanese", "Israeli", "Palestinian", "Syrian"]
KINDS = ["soldiers", "troops", "civilians", "fighters", "engineers", "missiles"]
EVENTS = ["killed", "wounded", "deployed", "captured", "missing", "strike"]
PLACES = ["Kursk", "Bakhmut", "Rafah", "El Fasher", "Idlib", "Kherson", "Avdiivka", "Khartoum"]
SOURCES = ["RBC Ukraine", "Yonhap", "Reuters", "TASS", "South Korea's National Intelligence Service",
           "the Pentagon", "Ukraine's military intelligence", "Global Defense Corp.", "Bild", "Al Jazeera"]


def generate(n: int, seed: int = 3) -> list:
    from claimledger.models import Claim, Hop, Quantity, TimeRef, claim_id

    rng = random.Random(seed)
    claims = []
    for i in range(n):
        people, kind, event = rng.choice(PEOPLES), rng.choice(KINDS), rng.choice(EVENTS)
        incident = rng.random() < 0.5
        name = f"Operation {rng.randint(1, n // 20 + 1)}" if incident else ""
        value = float(rng.choice([8, 12, 100, 200, 500, 3000, 11000]))
        text = f"About {value:.0f} {people} {kind} were {event} in {rng.choice(PLACES)} {'in the ' + name + ' strike' if incident else 'so far'}"
        chain = tuple(Hop(rng.choice(SOURCES), "organization", "said") for _ in range(rng.randint(0, 2)))
        if rng.random() < 0.1:
            chain = chain + (Hop(f"Outlet {rng.randint(1, 500)}", "outlet", "said"),)
        day = 1 + rng.randint(0, 27)
        published = f"2024-{rng.randint(10, 12):02d}-{day:02d}"
        kind_of = "figure" if rng.random() < 0.8 else "statement"
        claims.append(Claim(
            id=claim_id(f"doc{i // 5}", i, i + 1, kind_of, text), doc=f"doc{i // 5}", outlet=f"Outlet {i % 300}",
            published=published, sentence=text, text=text, start=0, end=len(text), kind=kind_of,
            event=event if kind_of == "figure" else None,
            quantity=Quantity(value, None, None, True, f"about {value:.0f}", "approx") if kind_of == "figure" else None,
            subject=f"{people} {kind}", time=TimeRef("on Monday", published),
            chains=(chain,) if chain else (), stance="denied" if rng.random() < 0.03 else "asserted",
        ))
    return claims


def run_one(n: int, workers: int) -> dict:
    from claimledger.assess.ledger import assess
    from claimledger.assess.registry import load_registry

    registry = load_registry()
    claims = generate(n)
    load = _load()
    start, cpu = time.perf_counter(), time.process_time()
    result = assess(claims, {}, [], registry, records=False, workers=workers)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    worker_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"claims": n, "workers": workers, "groups": len(result["clusters"]), "seconds": round(seconds, 1),
            "cpu_seconds": round(cpu, 1), "claims_per_s": round(n / seconds), "peak_mb": round(peak_mb), "worker_peak_mb": round(worker_mb),
            "load_before": load, "load_after": _load()}


def _load() -> float | None:
    """The machine's load average over the last minute (the benchmark shares the machine)."""
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else None


def groups_hash(n: int, workers: int) -> str:
    """What the matching decided on `n` generated claims, as one hash: to compare two
    versions of the code (the records' shape aside)."""
    import hashlib

    from claimledger.assess.ledger import assess
    from claimledger.assess.registry import load_registry

    result = assess(generate(n), {}, [], load_registry(), workers=workers)
    groups = sorted((c["id"], c["claims"], c["grade"], c["explanation"]) for c in result["clusters"])
    return f"{hashlib.sha256(json.dumps(groups).encode()).hexdigest()} {len(groups)} groups"


def store_generated(db: str, claims: list) -> None:
    """The claims as documents of the ledger at `db` (one per `doc`), in one transaction."""
    from collections import defaultdict

    from claimledger.store import open_ledger, schema

    ledger = open_ledger(db)
    by_doc = defaultdict(list)
    for claim in claims:
        by_doc[claim.doc].append(claim)
    with ledger.writing() as conn:
        for doc_id, members in by_doc.items():
            version_id = f"v-{doc_id}"
            conn.execute(schema.documents.insert().values(
                version_id=version_id, doc_id=doc_id, version=1, current=True, text=" ".join(c.text for c in members),
                input_kind="text", outlet=members[0].outlet, published=members[0].published, quoted=[],
                ingested_at="2024-12-01T00:00:00"))
            ledger._insert_claims(conn, version_id, members)
    ledger.engine.dispose()


def run_incremental(n: int, db: str, keep: str | None = None, start_from: str | None = None) -> list[dict]:
    """Full assessment of `n` stored claims, then 20 documents and decisions, each kept
    current. `keep`: a copy of the ledger as assessed in full, to `start_from` next time
    (skipping the generation and the full assessment)."""
    import os
    import shutil
    from dataclasses import replace

    from sqlalchemy import func, select

    from claimledger.assess.ledger import assess
    from claimledger.assess.registry import load_registry
    from claimledger.incremental import update_assessment
    from claimledger.models import Document
    from claimledger.pipeline import assess_ledger
    from claimledger.store import open_ledger, schema

    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    registry = load_registry()
    if start_from:
        shutil.copy(start_from, db)
    else:
        store_generated(db, generate(n))
    ledger = open_ledger(db)
    results, store_time = [], {}

    def timed(step: str, action) -> None:
        start, cpu = time.perf_counter(), time.process_time()
        outcome = action()
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu  # (CPU: this process's, whatever the load)
        row = {"claims": n, "step": step, "seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2), **store_time}
        store_time.clear()
        if hasattr(outcome, "as_dict"):
            row.update({f"{k}_assessed" if k != "kind" else k: v for k, v in outcome.as_dict().items()})
        results.append(row)
        print(json.dumps(row), flush=True)

    if start_from:
        # Assessed by another version of the code, maybe: its rules are taken as this
        # one's (compare what the two decide with --groups-hash).
        from claimledger.assess.state import rules_fingerprint
        from claimledger.store.db import set_state_values

        with ledger.writing() as conn:
            set_state_values(conn, {"assessed_rules": rules_fingerprint(registry)})
    else:
        timed("full assessment", lambda: assess_ledger(ledger, registry) and None)
    if keep:
        with ledger.engine.connect() as conn:
            if os.path.exists(keep):
                os.remove(keep)
            conn.exec_driver_sql("VACUUM INTO ?", (keep,))
    fresh = generate(100, seed=11)
    new_docs = {}
    for i, claim in enumerate(fresh):
        doc_id = f"new{i // 5}"
        new_docs.setdefault(doc_id, []).append(replace(claim, id=f"{claim.id[:-3]}n{i:02d}", doc=doc_id))

    def ingest_20():
        start = time.perf_counter()
        for doc_id, members in new_docs.items():
            text = " ".join(c.text for c in members)
            ledger.store(Document(id=doc_id, text=text, outlet=members[0].outlet, published=members[0].published,
                                  input_kind="text"), members)
        # of which storing (the first store also imports the near-copy detection: datasketch, scipy)
        store_time["stored_seconds"] = round(time.perf_counter() - start, 2)
        return update_assessment(ledger, registry)

    timed("+20 documents (100 claims)", ingest_20)
    figures = [c for c in generate(300, seed=12) if c.kind == "figure"][:100]
    new_docs = {}
    for i, claim in enumerate(figures):
        doc_id = f"fig{i // 5}"
        new_docs.setdefault(doc_id, []).append(replace(claim, id=f"{claim.id[:-3]}f{i:02d}", doc=doc_id))
    timed("+20 documents of figures only (100 claims)", ingest_20)
    with ledger.engine.connect() as conn:
        g = schema.claim_grades
        sizes = conn.execute(select(g.c.cluster_id, func.count()).group_by(g.c.cluster_id)
                             .order_by(func.count().desc(), g.c.cluster_id)).all()
        middle = [gid for gid, size in sizes if size == 3][:3]
        claim = conn.execute(select(g.c.claim_id).where(g.c.cluster_id == middle[0]).order_by(g.c.claim_id)).scalars().first()
        in_largest = conn.execute(select(g.c.claim_id).where(g.c.cluster_id == sizes[0][0])
                                  .order_by(g.c.claim_id)).scalars().first()
    decisions = [
        ("confirm a claim", ("claim", claim, "confirm", None)),
        ("refute a group", ("cluster", middle[1], "refute", None)),
        ("merge two groups", ("cluster", middle[2], "merge", middle[1])),
        ("split a claim out", ("claim", claim, "split", None)),
        ("reliability of an outlet (Outlet 7)", ("source", "unregistered:outlet 7", "reliability", "E")),
        (f"largest group refuted ({sizes[0][1]} claims)", ("cluster", sizes[0][0], "refute", None)),
        ("a claim of the largest group refuted", ("claim", in_largest, "refute", None)),
        ("a claim of the largest group confirmed", ("claim", in_largest, "confirm", None)),
    ]
    for step, (target, target_id, action, value) in decisions:
        def decide(target=target, target_id=target_id, action=action, value=value):
            ledger.add_override(target, target_id, action, value, "bench", "measured")
            return update_assessment(ledger, registry)
        timed(step, decide)
    full = assess(list(ledger.claims()), ledger.story_roots(), ledger.overrides(), registry)
    with ledger.engine.connect() as conn:
        stored = {row.id: row.record for row in conn.execute(select(schema.clusters.c.id, schema.clusters.c.record))}
    same = stored == {c["id"]: c for c in full["clusters"]}
    print(json.dumps({"claims": n, "same_as_full_assessment": same}), flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--claims", type=int, nargs="+", default=[10000, 100000])
    parser.add_argument("--incremental", action="store_true", help="keep a stored ledger current (see above)")
    parser.add_argument("--db", default="/tmp/assess_scale.db", help="the ledger --incremental builds")
    parser.add_argument("--keep", metavar="PATH", help="--incremental: a copy of the ledger assessed in full")
    parser.add_argument("--start-from", metavar="PATH", help="--incremental: start from a copy --keep made")
    parser.add_argument("--groups-hash", type=int, metavar="N",
                        help="print a hash of every group's id, members, grade and explanation for N claims")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="processes reading the claims' frames (default: one per core)")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # one size, in this process
    args = parser.parse_args()
    if args.groups_hash:
        print(groups_hash(args.groups_hash, args.workers))
        return
    if args.incremental:
        for n in args.claims:
            run_incremental(n, args.db, args.keep, args.start_from)
        return
    if args.one:
        print(json.dumps(run_one(args.one, args.workers)), flush=True)
        return
    for n in args.claims:
        child = subprocess.Popen([sys.executable, __file__, "--one", str(n), "--workers", str(args.workers)],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        total_peak = 0
        while child.poll() is None:
            total_peak = max(total_peak, _tree_pss_kb(child.pid))
            time.sleep(0.2)
        out, err = child.communicate()
        if child.returncode != 0:
            print(err.strip().splitlines()[-1] if err.strip() else f"exit {child.returncode}", flush=True)
            continue
        row = json.loads(out.strip().splitlines()[-1])
        if total_peak:
            row["total_peak_mb"] = round(total_peak / 1024)
        print(json.dumps(row), flush=True)


def _tree_pss_kb(pid: int) -> int:
    """The proportional set size of a process and its descendants, in kB (Linux's /proc;
    0 where it is absent; a process that ends while it is read counts for nothing)."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            with open(f"/proc/{current}/smaps_rollup") as rollup:
                total += next((int(line.split()[1]) for line in rollup if line.startswith("Pss:")), 0)
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    pending.extend(int(c) for c in children.read().split())
        except OSError:
            continue
    return total


if __name__ == "__main__":
    main()
