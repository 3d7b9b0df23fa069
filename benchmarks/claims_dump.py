"""Every claim extracted from a fixed set of documents, as sorted JSON lines: a change
meant to make extraction faster must leave this output byte-identical.

The set: the demo corpus, our gold passages (src/claimledger/data/gold), the real
passages in the data folder (realnews/dev_a.yaml, dev_b.yaml) and the PolNeAR dev
articles plus the first train articles up to `--polnear` in all (read at run time from
the data folder, never copied). Sources missing on this machine are skipped, saying so.

    python benchmarks/claims_dump.py --output /tmp/claims_main.jsonl
    python benchmarks/claims_dump.py --output /tmp/claims_new.jsonl && cmp /tmp/claims_main.jsonl /tmp/claims_new.jsonl
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import yaml

from claimledger import settings
from claimledger.cli import demo_folder
from claimledger.extract.pipeline import Extractor
from claimledger.ingest import read_paths
from claimledger.models import Document


def _passages(path: Path, prefix: str) -> Iterator[Document]:
    for p in yaml.safe_load(path.read_text(encoding="utf-8"))["passages"]:
        published = str(p.get("published") or "") or None
        yield Document(id=f"{prefix}/{p['id']}", text=p["text"], outlet=p.get("outlet"), published=published)


def documents(polnear: int) -> Iterator[Document]:
    # Relative paths, so that the ids do not depend on the checkout the script runs from.
    with contextlib.chdir(demo_folder()):
        yield from (d for d in read_paths(["."]) if isinstance(d, Document))
    gold = demo_folder().parent / "gold"
    for path in sorted(gold.glob("passages_*.yaml")):
        yield from _passages(path, path.stem)
    data = Path(settings.get("data_dir"))
    for name in ("dev_a", "dev_b"):
        path = data / "realnews" / f"{name}.yaml"
        if path.exists():
            yield from _passages(path, name)
        else:
            print(f"skipped {path}: not found", file=sys.stderr)
    texts = sorted((data / "polnear" / "dev" / "text").glob("*.txt")) + sorted(
        (data / "polnear" / "train" / "text").glob("*.txt")
    )
    if not texts:
        print(f"skipped PolNeAR: no articles under {data / 'polnear'}", file=sys.stderr)
    for path in texts[:polnear]:
        yield Document(id=f"polnear/{path.parent.parent.name}/{path.stem}", text=path.read_text(encoding="utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", required=True)
    parser.add_argument("--polnear", type=int, default=100, help="PolNeAR articles (dev first, then train)")
    args = parser.parse_args()
    lines, docs = [], 0
    for doc, claims in Extractor().extract_many(documents(args.polnear)):
        docs += 1
        if isinstance(claims, list):
            lines.extend(json.dumps(c.to_json(), sort_keys=True, ensure_ascii=False) for c in claims)
        else:
            lines.append(json.dumps({"doc": doc.id, "error": str(claims)}, ensure_ascii=False))
    Path(args.output).write_text("".join(line + "\n" for line in sorted(lines)), encoding="utf-8")
    print(f"{docs} documents, {len(lines)} lines -> {args.output}")


if __name__ == "__main__":
    main()
