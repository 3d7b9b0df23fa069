"""Extraction on a Dask distributed cluster: beyond one machine.

Each Dask worker loads the spaCy pipeline once, when it joins (a worker plugin), then
takes chunks of documents and returns their claims; the client gets them back in input
order and stores them (`pipeline.ingest_paths`: one writer). The ordering, the bound on
chunks in flight and the isolation of a failing document are `workers.in_order`'s; a
document whose worker dies is retried by the scheduler, and a document that kills
workers again and again (KilledWorker) is that document's failure.

Start a scheduler and workers (each with claimledger installed):

    dask scheduler                                   # listens on tcp://HOST:8786
    dask worker tcp://HOST:8786 --nworkers auto --nthreads 1
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from distributed import Client, KilledWorker
from distributed.diagnostics.plugin import WorkerPlugin

from .. import settings
from ..errors import ClaimledgerError
from ..models import Document
from .workers import CHUNK, IN_FLIGHT, Result, extract_chunk, in_order, load_extractor


class LoadPipeline(WorkerPlugin):
    """Load the pipeline into each worker as it joins the cluster, before its first task."""

    name = "claimledger-pipeline"

    def __init__(self, model: str, batch_size: int):
        self.model, self.batch_size = model, batch_size

    def setup(self, worker) -> None:
        load_extractor(self.model, self.batch_size)


class DaskExtractor:
    """`Extractor.extract_many` on the cluster of the Dask scheduler at `scheduler`."""

    def __init__(self, scheduler: str, model: str | None = None, batch_size: int | None = None, chunk: int = CHUNK):
        self.scheduler, self.chunk = scheduler, chunk
        # The client's settings name the pipeline, so that every worker runs the same one.
        self.model = model or settings.get("spacy_model")
        self.batch_size = batch_size or int(settings.get("batch_size"))

    def extract_many(self, docs: Iterable[Document]) -> Iterator[tuple[Document, Result]]:
        try:
            client = Client(self.scheduler, timeout=settings.get("scheduler_connect_seconds"), set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise ClaimledgerError(f"cannot reach the Dask scheduler at {self.scheduler}: {exc}") from exc
        with client:
            workers = self._ready(client)

            def submit(batch: list[Document]):
                return client.submit(extract_chunk, batch, self.model, self.batch_size, pure=False)

            yield from in_order(docs, submit, self.chunk, workers * IN_FLIGHT,
                                lambda exc: isinstance(exc, KilledWorker))

    def _ready(self, client: Client) -> int:
        """How many workers the cluster has, once one at least has joined and every one has
        loaded the pipeline (those that join later load it as they join)."""
        wait = settings.get("scheduler_wait_seconds")
        try:
            client.wait_for_workers(1, timeout=wait)
        except TimeoutError as exc:
            raise ClaimledgerError(
                f"no Dask worker joined the scheduler at {self.scheduler} within {wait:g} s"
            ) from exc
        try:
            client.register_plugin(LoadPipeline(self.model, self.batch_size))
        except Exception as exc:  # whatever stops a worker loading the pipeline
            raise ClaimledgerError(f"the Dask workers cannot load the pipeline: {exc}") from exc
        return max(1, len(client.scheduler_info()["workers"]))
