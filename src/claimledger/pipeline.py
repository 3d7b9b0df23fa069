"""The library calls behind the CLI: extract claims from inputs, ingest them into the
ledger, assess the ledger. Documents stream through: nothing holds a whole corpus in
memory."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from . import settings
from .assess.ledger import assess
from .assess.registry import Registry, load_registry
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


def assess_ledger(ledger: Ledger, registry: Registry | None = None) -> dict:
    """Assess every current claim of the ledger (`assess.ledger.assess`), store the groups
    and grades, and what the web UI lists and counts from them, in one transaction; return
    the ledger object (`claimledger ledger --format json`)."""
    from .publish.queries import cluster_summary
    from .publish.sources import precompute_sources

    registry = registry or load_registry(settings.get("registry_file") or None)
    stamp = ledger.content_fingerprint()  # before reading: a change meanwhile makes it stale
    result = assess(list(ledger.claims()), ledger.story_roots(), ledger.overrides(), registry)
    cluster_rows = [
        {
            "id": c["id"], "event": c["event"], "subject": c["subject"], "location": c["location"],
            "grade": c["grade"], "contradiction": c["contradiction"],
            "independent_origins": c["independent_origins"], "reports": c["reports"],
            "latest": c["latest"], "record": c,
        }
        for c in result["clusters"]
    ]
    grade_rows = [
        {"claim_id": c["id"], "cluster_id": c["cluster"], "grade": c["grade"], "explanation": c["explanation"]}
        for c in result["claims"]
    ]
    summary_rows = [{"cluster_id": c["id"], "summary": cluster_summary(c)} for c in result["clusters"]]
    source_rows, source_claim_rows = precompute_sources(result["claims"], result["clusters"], registry)
    ledger.store_assessment(cluster_rows, grade_rows, summary_rows, source_rows, source_claim_rows, stamp)
    return result


def ensure_assessed(ledger: Ledger, registry: Registry | None = None) -> bool:
    """Assess the ledger if documents or claims changed since its stored assessment (a
    ledger ingested without assessing, or by an older version); True if it did."""
    if ledger.assessed_stamp() == ledger.content_fingerprint():
        return False
    assess_ledger(ledger, registry)
    return True
