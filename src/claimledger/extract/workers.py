"""Extraction in worker processes: every core of one machine.

Documents go out in small chunks to a pool of processes, each of which loads the spaCy
pipeline once and extracts a chunk at a time (in memory zones, as `Extractor` does); the
claims come back in input order. At most a few chunks per worker are in flight, so memory
stays bounded however long the stream. A document the extractors fail on, or that makes
its worker crash, is that document's failure: the chunk it was in is run again one
document at a time, and a document that crashes a worker twice, alone, is reported.

The same ordering and isolation serve the Dask engine (`cluster.py`).
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import cache
from itertools import chain, islice

from ..errors import ClaimledgerError, ExtractionError
from ..models import Claim, Document
from .pipeline import Extractor

Result = list[Claim] | ClaimledgerError
Submit = Callable[[list[Document]], Future]

# Documents per task: small enough that both cores stay busy to the end of a run and
# the progress bar moves, large enough that the parser still works on batches.
CHUNK = 8
# Chunks in flight per worker: while one chunk waits for a slow one before it (results go
# out in input order), the other workers have queued chunks to go on with.
IN_FLIGHT = 4

_LOCK = threading.Lock()  # a Dask worker may run tasks in threads; spaCy's zones are not shared


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@cache
def _extractor(model: str | None, batch_size: int | None) -> Extractor:
    return Extractor(model, batch_size)


def load_extractor(model: str | None, batch_size: int | None) -> None:
    """Load the pipeline into this worker process once, before its first task."""
    _extractor(model, batch_size)


def extract_chunk(docs: list[Document], model: str | None, batch_size: int | None) -> list[Result]:
    """In a worker: the claims (or the error) of each document of a chunk."""
    with _LOCK:
        return [claims for _, claims in _extractor(model, batch_size).extract_many(docs)]


def chunks(docs: Iterable[Document], size: int) -> Iterator[list[Document]]:
    iterator = iter(docs)
    while batch := list(islice(iterator, size)):
        yield batch


def in_order(
    docs: Iterable[Document],
    submit: Submit,
    chunk: int,
    in_flight: int,
    crashed: Callable[[BaseException], bool],
) -> Iterator[tuple[Document, Result]]:
    """(document, claims or error) for each document, in input order, with `in_flight`
    chunks submitted ahead. `crashed(exc)` tells a lost worker from an exception raised
    by the extraction of the chunk."""
    batches = chunks(docs, chunk)
    pending: deque[tuple[list[Document], Future]] = deque()

    def top_up() -> None:
        while len(pending) < in_flight and (batch := next(batches, None)):
            pending.append((batch, submit(batch)))

    top_up()
    while pending:
        batch, future = pending.popleft()
        try:
            results = future.result()
        except Exception:  # noqa: BLE001 - one document of the chunk, or its worker, failed
            results = _one_at_a_time(batch, submit, crashed)
        yield from zip(batch, results)
        top_up()


def _one_at_a_time(batch: list[Document], submit: Submit, crashed) -> list[Result]:
    """The documents of a failed chunk, each as its own task; a document whose task was
    lost with its worker is tried once more, alone, before the crash is put down to it."""
    futures = [submit([doc]) for doc in batch]
    results: list[Result] = []
    for doc, future in zip(batch, futures):
        try:
            [result] = future.result()
        except Exception as exc:  # noqa: BLE001
            if crashed(exc):
                try:
                    [result] = submit([doc]).result()
                except Exception as again:  # noqa: BLE001
                    result = _error(doc, again, crashed)
            else:
                result = _error(doc, exc, crashed)
        results.append(result)
    return results


def _error(doc: Document, exc: BaseException, crashed) -> ExtractionError:
    if crashed(exc):
        message = f"the extraction worker crashed on this document ({type(exc).__name__})"
    else:
        message = f"extraction failed: {exc!r}".splitlines()[0]
    return ExtractionError.of_document(message, doc.source_path or doc.id, doc.input_kind)


class ProcessExtractor:
    """`Extractor.extract_many` across `workers` processes. Fewer documents than fill the
    chunks in flight are extracted in this process: starting workers (each loads the
    pipeline) would cost more than it saves."""

    def __init__(self, workers: int, model: str | None = None, batch_size: int | None = None, chunk: int = CHUNK):
        self.workers, self.model, self.batch_size, self.chunk = workers, model, batch_size, chunk
        self._pool: ProcessPoolExecutor | None = None

    def extract_many(self, docs: Iterable[Document]) -> Iterator[tuple[Document, Result]]:
        iterator = iter(docs)
        head = list(islice(iterator, self.workers * self.chunk * IN_FLIGHT))
        if len(head) < self.workers * self.chunk * IN_FLIGHT:
            yield from _extractor(self.model, self.batch_size).extract_many(head)
            return
        try:
            yield from in_order(chain(head, iterator), self._submit, self.chunk, self.workers * IN_FLIGHT,
                                lambda exc: isinstance(exc, BrokenProcessPool))
        finally:
            if self._pool is not None:
                self._pool.shutdown(wait=True, cancel_futures=True)
                self._pool = None

    def _submit(self, batch: list[Document]) -> Future:
        if self._pool is None:
            self._pool = self._start()
        try:
            return self._pool.submit(extract_chunk, batch, self.model, self.batch_size)
        except BrokenProcessPool:  # a worker died: the others went with it; start afresh
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = self._start()
            return self._pool.submit(extract_chunk, batch, self.model, self.batch_size)

    def _start(self) -> ProcessPoolExecutor:
        """A pool whose workers have loaded the pipeline; an error that stops the whole run
        when they cannot (the pipeline is not installed, the processes cannot start)."""
        # Spawned, not forked: the parent may hold threads (the progress bar) and locks.
        pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"))
        try:
            for loading in [pool.submit(load_extractor, self.model, self.batch_size) for _ in range(self.workers)]:
                loading.result()
        except Exception as exc:
            pool.shutdown(wait=False, cancel_futures=True)
            raise ClaimledgerError(f"the extraction workers cannot start: {exc}") from exc
        return pool
