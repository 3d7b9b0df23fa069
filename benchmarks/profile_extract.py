"""Where extraction time goes, and how it grows with a document's length.

Documents are generated from sentences we wrote (claims, cues, quotations and plain
narrative, numbers varied), so that any length can be measured:

    python benchmarks/profile_extract.py --sentences 500 1000 2000 4000
    python benchmarks/profile_extract.py --run-on 40000
    python benchmarks/profile_extract.py --sentences 2000 --profile 25

prints one JSON line per document (sentences, characters, seconds, claims); with
`--profile N` the N functions with the most cumulative time under cProfile. With
`--stages` it also times the stages of one run: the first pass, the spaCy pipeline
(per component) and the claims built from it.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import time

SENTENCES = (
    "The ministry said {n} soldiers were killed near {place} on {day}.",
    "According to local officials, about {n} civilians were wounded in the shelling of {place}.",
    "\"We lost {n} men in two days,\" a commander told reporters in {place}.",
    "Residents of {place} described a quiet morning before the sirens started.",
    "The regional governor reported that {n} drones were shot down overnight.",
    "Aid workers were handing out bread and blankets near the station in {place}.",
    "The army denied that its forces had shelled the market in {place}.",
    "Some {n} troops have been deployed to the border, the agency reported, citing a defence source.",
    "Schools in {place} remained closed for a third day.",
    "Officials estimated that between {n} and {m} people had fled the district.",
    "It was not possible to verify the figures independently.",
    "A spokesman for the monitoring group said at least {n} people had died since {day}.",
)
PLACES = ("Varnitsa", "Kolmar", "Dunovo", "Estrel", "Pelagonia", "Tiraspolye", "Ostrava Nova")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def long_document(sentences: int, seed: int = 11) -> str:
    """`sentences` generated sentences, in paragraphs of about five."""
    rng = random.Random(seed)
    paragraphs, current = [], []
    for i in range(sentences):
        template = SENTENCES[rng.randrange(len(SENTENCES))]
        n = rng.randint(2, 9000)
        current.append(template.format(n=f"{n:,}", m=f"{n + rng.randint(1, 500):,}",
                                       place=rng.choice(PLACES), day=rng.choice(DAYS)))
        if len(current) == 5 or i == sentences - 1:
            paragraphs.append(" ".join(current))
            current = []
    return "\n\n".join(paragraphs)


def run_on_sentence(chars: int, seed: int = 11) -> str:
    """One sentence of about `chars` characters: clauses joined by commas and "and"."""
    rng = random.Random(seed)
    clauses = []
    while sum(len(c) + 2 for c in clauses) < chars:
        n = rng.randint(2, 9000)
        clauses.append(rng.choice((
            f"officials said {n:,} soldiers were killed near {rng.choice(PLACES)}",
            f"about {n:,} people were wounded on {rng.choice(DAYS)}",
            f"the army reported that {n:,} drones were shot down",
            "residents described a quiet morning before the sirens started",
        )))
    return "The fighting went on, and " + ", and ".join(clauses) + "."


def measure(text: str, label: dict, profile: int = 0, stages: bool = False) -> dict:
    from claimledger.extract.pipeline import Extractor
    from claimledger.models import Document

    extractor = Extractor()  # the pipeline is loaded once per process
    doc = Document(id="long", text=text, published="2024-12-20")
    profiler = cProfile.Profile() if profile else None
    start = time.perf_counter()
    if profiler:
        profiler.enable()
    claims = extractor.extract(doc)
    if profiler:
        profiler.disable()
    seconds = time.perf_counter() - start
    result = {**label, "chars": len(text), "seconds": round(seconds, 2), "claims": len(claims)}
    if stages:
        result["stages"] = stage_times(extractor, doc)
    print(json.dumps(result), flush=True)
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(profile)
    return result


def stage_times(extractor, doc) -> dict:
    """Seconds of each stage of one extraction, run stage by stage."""
    from claimledger.extract import pipeline

    times: dict[str, float] = {}
    start = time.perf_counter()
    plan = pipeline._plan(doc)
    times["first_pass"] = time.perf_counter() - start
    nlp = extractor.nlp
    start = time.perf_counter()
    parsed = pipeline.make_doc(nlp, plan)
    times["tokenizer"] = time.perf_counter() - start
    for name, component in nlp.pipeline:
        start = time.perf_counter()
        parsed = component(parsed)
        times[name] = time.perf_counter() - start
    start = time.perf_counter()
    pipeline.build_claims(plan, pipeline.piece_spans(parsed, plan))
    times["claims"] = time.perf_counter() - start
    return {k: round(v, 3) for k, v in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, nargs="*", default=[])
    parser.add_argument("--run-on", type=int, nargs="*", default=[], help="characters of one run-on sentence")
    parser.add_argument("--profile", type=int, default=0, help="print the N costliest functions")
    parser.add_argument("--stages", action="store_true", help="also time each stage")
    args = parser.parse_args()
    os.environ.setdefault("CLAIMLEDGER_DOCUMENT_TIME_BUDGET_SECONDS", "0")  # measure to the end
    measure(long_document(20), {"warm_up": 20})  # the pipeline and lexicons loaded before timing
    for n in args.sentences:
        measure(long_document(n), {"sentences": n}, args.profile, args.stages)
    for chars in args.run_on:
        measure(run_on_sentence(chars), {"run_on": chars}, args.profile, args.stages)


if __name__ == "__main__":
    main()
