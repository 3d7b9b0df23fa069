"""Extraction throughput against the bare spaCy pipeline, on the same texts and cores, in
one run.

Three sides, each timed end to end (starting its processes included), in an order that
rotates from one repetition to the next so that a change in the machine's load falls on
all of them:
- bare: `nlp.pipe(texts)` over whole documents, one process, the model as shipped (the
  same `spacy_model`, without claimledger's components);
- bare_n: `nlp.pipe(texts, n_process=CORES)`, spaCy's own multiprocessing;
- claimledger: `open_extractor().extract_many(documents)` with the default settings
  (worker processes, one per core): first pass, parse of the selected sentences, all
  extractors, claims back in input order.

The corpus is generated from the demo corpus's own documents (ours) or PolNeAR's news
articles read at run time from the data folder (never copied): paragraphs shuffled and
numbers varied.

    python benchmarks/speed.py --docs 300 --source polnear --repeat 3

prints one JSON line per size: tokens, each side's median seconds, tokens/s and CPU
seconds (its processes', which the machine's load does not inflate as it does wall time), the
median of each repetition's ratios (claimledger over bare, claimledger over bare_n), the
load average before and after, and peak resident memory (this process; the largest child).
Each size runs in a child process, so that peaks do not carry over.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator


def _base(source: str) -> list[str]:
    """Seed texts: the demo corpus (ours, dense with claims), or PolNeAR's news articles
    read at run time from the data folder (typical news; never copied)."""
    from pathlib import Path

    from claimledger import settings
    from claimledger.cli import demo_folder
    from claimledger.ingest import read_paths
    from claimledger.models import Document

    if source == "polnear":
        folder = Path(settings.get("data_dir")) / "polnear" / "train" / "text"
        return [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]
    return [d.text for d in read_paths([str(demo_folder())]) if isinstance(d, Document)]


def corpus(n: int, source: str = "demo", seed: int = 7) -> Iterator[str]:
    base = _base(source)
    rng = random.Random(seed)
    for i in range(n):
        paragraphs = [p for p in base[i % len(base)].split("\n\n") if p.strip()]
        rng.shuffle(paragraphs)
        text = "\n\n".join(paragraphs)
        yield re.sub(r"\d[\d,]*", lambda m: f"{rng.randint(2, 20000):,}", text)


def _cpu_seconds() -> float:
    """CPU time of this process and of its children that have ended."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def run_one(n: int, source: str, repeat: int) -> dict:
    import spacy

    from claimledger import settings
    from claimledger.extract.workers import cores
    from claimledger.models import Document
    from claimledger.pipeline import open_extractor

    nlp = spacy.load(settings.get("spacy_model"))  # the model as shipped, none of our components
    texts = list(corpus(n, source))
    docs = [Document(id=str(i), text=t, published="2024-12-20") for i, t in enumerate(texts)]
    tokens = sum(len(doc) for doc in nlp.tokenizer.pipe(texts))
    n_cores = cores()
    found = {}

    def bare() -> None:
        for _ in nlp.pipe(texts, batch_size=64):
            pass

    def bare_n() -> None:
        for _ in nlp.pipe(texts, batch_size=64, n_process=n_cores):
            pass

    def claimledger() -> None:
        found["claims"] = sum(len(claims) for _, claims in open_extractor().extract_many(docs))

    sides = {"bare": bare, "bare_n": bare_n, "claimledger": claimledger}
    seconds: dict[str, list[float]] = {name: [] for name in sides}
    cpu: dict[str, list[float]] = {name: [] for name in sides}
    load_before = os.getloadavg()[0]
    for r in range(repeat):
        names = list(sides)
        for name in names[r % 3:] + names[: r % 3]:
            start, cpu_start = time.perf_counter(), _cpu_seconds()
            sides[name]()
            seconds[name].append(time.perf_counter() - start)
            multiprocessing.active_children()  # reap the side's processes: their CPU time counts
            cpu[name].append(_cpu_seconds() - cpu_start)
    result = {"source": source, "docs": n, "tokens": tokens, "cores": n_cores, "claims": found["claims"],
              "repeat": repeat}
    for name, times in seconds.items():
        result[f"{name}_seconds"] = round(statistics.median(times), 2)
        result[f"{name}_tokens_per_s"] = round(tokens / statistics.median(times))
        result[f"{name}_cpu_seconds"] = round(statistics.median(cpu[name]), 2)
    result["ratio_vs_bare"] = round(statistics.median(b / c for b, c in zip(seconds["bare"], seconds["claimledger"])), 3)
    result["ratio_vs_bare_n"] = round(
        statistics.median(b / c for b, c in zip(seconds["bare_n"], seconds["claimledger"])), 3)
    result["ratios_vs_bare"] = [round(b / c, 2) for b, c in zip(seconds["bare"], seconds["claimledger"])]
    result["ratios_vs_bare_n"] = [round(b / c, 2) for b, c in zip(seconds["bare_n"], seconds["claimledger"])]
    result["load_before"], result["load_after"] = round(load_before, 2), round(os.getloadavg()[0], 2)
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    result["peak_child_rss_mb"] = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, nargs="+", default=[300])
    parser.add_argument("--source", choices=["demo", "polnear"], default="demo")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", type=int)
    args = parser.parse_args()
    if args.source == "polnear" and not _base_exists():
        print(json.dumps({"skipped": "PolNeAR not found under the data_dir setting"}))
        return
    if args.child:
        print(json.dumps(run_one(args.child, args.source, args.repeat)))
        return
    for n in args.docs:
        command = [sys.executable, __file__, "--child", str(n), "--source", args.source, "--repeat", str(args.repeat)]
        result = subprocess.run(command, capture_output=True, text=True, check=True)
        print(result.stdout.strip().splitlines()[-1], flush=True)


def _base_exists() -> bool:
    from pathlib import Path

    from claimledger import settings

    return (Path(settings.get("data_dir")) / "polnear" / "train" / "text").is_dir()


if __name__ == "__main__":
    main()
