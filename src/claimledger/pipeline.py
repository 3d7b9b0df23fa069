"""The library calls behind the CLI: extract claims from inputs, ingest them into the
ledger, assess the ledger. Documents stream through: nothing holds a whole corpus in
memory."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from . import settings
from .assess.context import origins_in_context
from .assess.corroboration import registrable
from .assess.frames import frames_of
from .assess.ledger import (
    assess_groups,
    collector_paused,
    group_with_decisions,
    source_settings,
    split_claims,
)
from .assess.registry import Registry, load_registry
from .assess.state import claim_state
from .errors import ClaimledgerError, StoreError
from .extract.pipeline import Extractor
from .ingest import read_paths
from .models import Claim, Document
from .store import Ledger

log = logging.getLogger(__name__)
Progress = Callable[[str, int], None]  # (event, claims) per document: stored, unchanged, ...


def open_extractor(workers: int | None = None, scheduler: str | None = None):
    """The extraction engine the settings ask for: the Dask cluster at `scheduler`, else
    `workers` processes (0: one per core), else this process. Each gives
    `extract_many(docs)`: (document, claims or error) in input order."""
    from .extract.workers import ProcessExtractor, cores

    scheduler = scheduler if scheduler is not None else settings.get("scheduler")
    if scheduler:
        try:
            from .extract.cluster import DaskExtractor
        except ImportError as exc:
            raise ClaimledgerError(
                "extracting on a Dask cluster needs the distributed package: pip install 'claimledger[distributed]'"
            ) from exc
        return DaskExtractor(scheduler)
    workers = workers if workers is not None else int(settings.get("workers"))
    if workers < 0:
        raise ClaimledgerError(f"workers must be 0 (one per core) or more, got {workers}")
    workers = workers or cores()
    return Extractor() if workers == 1 else ProcessExtractor(workers)


@dataclass
class IngestSummary:
    stored: int = 0
    unchanged: int = 0
    new_versions: int = 0
    near_copies: int = 0
    failed: int = 0
    claims: int = 0
    errors: list[dict] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # files in folders that are not documents

    def as_dict(self) -> dict:
        return {
            "stored": self.stored,
            "unchanged": self.unchanged,
            "new_versions": self.new_versions,
            "near_copies": self.near_copies,
            "failed": self.failed,
            "claims": self.claims,
            "errors": self.errors,
            "skipped": len(self.skipped),
            "skipped_files": self.skipped,
        }


def extract_paths(
    paths: Iterable[str],
    outlet: str | None = None,
    published: str | None = None,
    extractor: Extractor | None = None,
    on_error: Callable[[ClaimledgerError], None] | None = None,
) -> Iterator[Claim]:
    """Claims of every document under `paths`; unreadable inputs go to `on_error`."""
    extractor = extractor or open_extractor()

    def documents() -> Iterator[Document]:
        for item in read_paths(paths, outlet=outlet, published=published):
            if isinstance(item, ClaimledgerError):
                if on_error:
                    on_error(item)
            else:
                yield item

    for _, claims in extractor.extract_many(documents()):
        if isinstance(claims, ClaimledgerError):
            if on_error:
                on_error(claims)
            continue
        yield from claims


def ingest_paths(
    ledger: Ledger,
    paths: Iterable[str],
    outlet: str | None = None,
    published: str | None = None,
    extractor: Extractor | None = None,
    progress: Progress | None = None,
) -> IngestSummary:
    """Read, extract and store every document under `paths`; each in its own transaction.

    Extraction runs where `open_extractor` says (worker processes, a Dask cluster); the
    claims come back in input order and this process alone writes. Documents already
    stored (same id and content) are not parsed again. A document that
    cannot be read, extracted or stored, for whatever reason, is counted as failed with
    one error naming its file; its transaction is rolled back and the batch goes on.
    """
    summary = IngestSummary()
    extractor = extractor or open_extractor()

    def report(event: str, claims: int = 0) -> None:
        if progress:
            progress(event, claims)

    def fresh() -> Iterator[Document]:
        for item in read_paths(paths, outlet=outlet, published=published, on_skip=summary.skipped.append):
            if isinstance(item, ClaimledgerError):
                summary.failed += 1
                summary.errors.append(item.as_dict())
                report("failed")
            elif ledger.has_version(item.content_hash):
                summary.unchanged += 1
                report("unchanged")
            else:
                yield item

    for doc, claims in extractor.extract_many(fresh()):
        try:
            if isinstance(claims, ClaimledgerError):
                raise claims
            result = ledger.store(doc, claims)
        except ClaimledgerError as exc:
            summary.failed += 1
            summary.errors.append(exc.as_dict())
            report("failed")
            continue
        except Exception as exc:  # whatever else: one document's failure never sinks the batch
            log.debug("storing %s failed", doc.source_path or doc.id, exc_info=True)
            summary.failed += 1
            message = f"cannot store this document: {type(exc).__name__}: {exc}".splitlines()[0]
            summary.errors.append(StoreError.of_document(message, doc.source_path or doc.id, doc.input_kind).as_dict())
            report("failed")
            continue
        if result.status == "unchanged":
            summary.unchanged += 1
        else:  # an edited document is stored as a new version; the old one is kept
            summary.stored += 1
            summary.new_versions += result.status == "new_version"
        if result.near_copy_of:
            summary.near_copies += 1
        summary.claims += len(claims)
        report(result.status, len(claims))
    return summary


def assess_ledger(ledger: Ledger, registry: Registry | None = None, workers: int = 1) -> dict:
    """Assess every current claim of the ledger (`assess.ledger`), store the groups and
    grades, what the web UI lists and counts from them, and the matching state the
    incremental assessment starts from, in one transaction; return the ledger object
    (`claimledger ledger --format json`). With `workers` > 1 a large ledger's frames are
    read in that many processes (forked: only from a process that runs no threads)."""
    from .incremental import assessment_rows, remember
    from .publish.sources import precompute_sources
    from .store import matching

    registry = registry or load_registry(settings.get("registry_file") or None)
    stamp = ledger.content_fingerprint()  # before reading: a change meanwhile makes it stale
    versions = ledger.claim_versions()
    claims = list(ledger.claims())
    overrides = ledger.overrides()
    roots = ledger.story_roots()
    with collector_paused():
        origins = origins_in_context(claims, registry, source_settings(overrides))
        frames = frames_of(claims, workers)
        splits = set(split_claims(overrides))
        states = [claim_state(c, frames[c.id], origins[c.id], c.id in splits, registry) for c in claims]
        grouping, followed, before_merges = group_with_decisions(claims, origins, frames, overrides)
        clusters, out_claims, bases = assess_groups(grouping, origins, roots, followed, registry)
    unregistered = sorted({o.name for os in origins.values() for o in os if registrable(o)})
    result = {"claims": out_claims, "clusters": clusters, "unregistered_sources": unregistered}
    cluster_rows, grade_rows, summary_rows = assessment_rows(clusters, out_claims, bases)
    source_rows, source_claim_rows = precompute_sources(out_claims, clusters, registry)

    def keep_state(conn) -> None:
        versions.update({claim.id: versions.get(claim.id, "") for claim in claims})
        matching.replace_all(conn, states, versions, grouping.components, before_merges, roots, grouping.joined)
        remember(conn, stamp, overrides, registry)

    ledger.store_assessment(cluster_rows, grade_rows, summary_rows, source_rows, source_claim_rows, stamp, keep_state)
    return result


def ensure_assessed(ledger: Ledger, registry: Registry | None = None) -> bool:
    """Bring the stored assessment up to date with the claims and decisions, regrouping
    only what changed (`incremental.update_assessment`); True if anything was assessed."""
    from .incremental import update_assessment

    return update_assessment(ledger, registry).kind != "current"
