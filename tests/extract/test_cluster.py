"""Extraction on a Dask cluster (a LocalCluster of 2 worker processes): the same claims,
and the same ledger, as the local run on the demo corpus."""

from __future__ import annotations

import contextlib

import pytest

from claimledger.cli import demo_folder
from claimledger.errors import ClaimledgerError
from claimledger.ingest import read_paths
from claimledger.models import Document
from claimledger.pipeline import ingest_paths, open_extractor
from claimledger.store import open_ledger

distributed = pytest.importorskip("distributed", reason="pip install -e '.[distributed]'")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def scheduler():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        yield cluster.scheduler_address


def test_the_cluster_gives_the_claims_of_the_local_run(scheduler, extractor):
    from claimledger.extract.cluster import DaskExtractor

    docs = [d for d in read_paths([str(demo_folder())]) if isinstance(d, Document)]
    local = [(doc.id, claims) for doc, claims in extractor.extract_many(docs)]
    engine = DaskExtractor(scheduler, chunk=4)
    remote = [(doc.id, claims) for doc, claims in engine.extract_many(docs)]
    assert sum(len(claims) for _, claims in local) > 100
    assert remote == local  # in input order, claim for claim


def test_ingest_through_the_scheduler_stores_the_local_ledger(scheduler, extractor, tmp_path):
    local, remote = open_ledger(str(tmp_path / "local.db")), open_ledger(str(tmp_path / "remote.db"))
    with contextlib.chdir(demo_folder().parent):
        here = ingest_paths(local, ["demo"], extractor=extractor)
        there = ingest_paths(remote, ["demo"], extractor=open_extractor(scheduler=scheduler))
    assert there.as_dict() == here.as_dict() and there.failed == 0
    assert [c.to_json() for c in remote.claims()] == [c.to_json() for c in local.claims()]


def test_an_unreachable_scheduler_is_one_plain_error():
    engine = open_extractor(scheduler="tcp://127.0.0.1:9")
    with pytest.raises(ClaimledgerError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        list(engine.extract_many([Document(id="a", text="Troops were deployed.")]))


def test_a_scheduler_without_workers_fails_after_the_wait_setting(monkeypatch):
    monkeypatch.setenv("CLAIMLEDGER_SCHEDULER_WAIT_SECONDS", "1")
    with distributed.LocalCluster(n_workers=0, processes=False, dashboard_address=None) as empty:
        engine = open_extractor(scheduler=empty.scheduler_address)
        with pytest.raises(ClaimledgerError, match=r"no Dask worker joined the scheduler at .* within 1 s"):
            list(engine.extract_many([Document(id="a", text="Troops were deployed.")]))


def test_the_command_line_names_an_unreachable_scheduler_in_one_line(tmp_path):
    from typer.testing import CliRunner

    from claimledger.cli import app

    (tmp_path / "a.txt").write_text("Officials said 300 soldiers were killed.", encoding="utf-8")
    result = CliRunner().invoke(app, ["ingest", str(tmp_path / "a.txt"), "--db", str(tmp_path / "l.db"),
                                      "--scheduler", "tcp://127.0.0.1:9"])
    assert result.exit_code == 2
    last = result.stderr.splitlines()[-1]  # after the progress bar's last state
    assert last.startswith("error: cannot reach the Dask scheduler at tcp://127.0.0.1:9")
