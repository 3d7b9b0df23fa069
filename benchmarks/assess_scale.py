"""Time and peak memory to assess a ledger (group, count origins, find contradictions,
grade) as the number of claims grows.

Claims are generated: figures about many incidents and totals (several events, peoples,
kinds and places), relayed through chains of registry sources and unregistered outlets,
plus statements. The timed part is `claimledger.assess.ledger.assess` (the pure stage:
frames, source resolution in context, matching, origins, contradictions, estimates,
grades); generating the claims and storing are not timed. Each size runs in a process of
its own, so that its peak memory (resident set) is its own.

    python benchmarks/assess_scale.py --claims 100000 300000 1000000
"""

from __future__ import annotations

import argparse
import json
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


def run_one(n: int) -> dict:
    from claimledger.assess.ledger import assess
    from claimledger.assess.registry import load_registry

    registry = load_registry()
    claims = generate(n)
    start = time.perf_counter()
    result = assess(claims, {}, [], registry)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"claims": n, "groups": len(result["clusters"]), "seconds": round(seconds, 1),
            "claims_per_s": round(n / seconds), "peak_mb": round(peak_mb)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--claims", type=int, nargs="+", default=[10000, 100000])
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # one size, in this process
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one)), flush=True)
        return
    for n in args.claims:
        done = subprocess.run([sys.executable, __file__, "--one", str(n)], capture_output=True, text=True)
        print(done.stdout.strip() or done.stderr.strip().splitlines()[-1], flush=True)


if __name__ == "__main__":
    main()
