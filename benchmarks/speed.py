"""Extraction throughput against the bare spaCy pipeline, and peak memory as the corpus
grows.

The corpus is generated from the demo corpus's own documents (ours): paragraphs shuffled
and numbers varied, so every document is new to the near-copy check. Both sides run in
this process, on the same texts, with the same model, one process each:
- baseline: `nlp.pipe(texts)` over whole documents;
- claimledger: `Extractor.extract_many(documents)` (first pass, parse of the selected
  sentences, all extractors, claims built).

    python benchmarks/speed.py --docs 2000 4000

prints one JSON line per size: tokens, seconds, tokens/s for each side, their ratio and
the peak resident memory of the extraction run (a child process per size, so peaks do
not carry over).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
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


def run_one(n: int, source: str) -> dict:
    from claimledger.extract.pipeline import Extractor, load_pipeline
    from claimledger.models import Document

    nlp = load_pipeline()
    extractor = Extractor()
    # Extraction first, streaming, so that the peak memory is its own.
    start = time.perf_counter()
    claims = 0
    docs = (Document(id=str(i), text=t, published="2024-12-20") for i, t in enumerate(corpus(n, source)))
    for _, found in extractor.extract_many(docs):
        claims += len(found)
    ours = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    texts = list(corpus(n, source))
    tokens = sum(len(doc) for doc in nlp.tokenizer.pipe(texts))
    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=64):
        pass
    bare = time.perf_counter() - start
    return {
        "source": source, "docs": n, "tokens": tokens, "claims": claims,
        "spacy_seconds": round(bare, 2), "spacy_tokens_per_s": round(tokens / bare),
        "claimledger_seconds": round(ours, 2), "claimledger_tokens_per_s": round(tokens / ours),
        "ratio": round(bare / ours, 3), "peak_rss_mb": round(peak_mb),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, nargs="+", default=[1000, 4000])
    parser.add_argument("--source", choices=["demo", "polnear"], default="demo")
    parser.add_argument("--child", type=int)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_one(args.child, args.source)))
        return
    for n in args.docs:
        command = [sys.executable, __file__, "--child", str(n), "--source", args.source]
        result = subprocess.run(command, capture_output=True, text=True, check=True)
        print(result.stdout.strip().splitlines()[-1], flush=True)


if __name__ == "__main__":
    main()
