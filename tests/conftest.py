"""Shared fixtures: the spaCy pipeline is loaded once per test session."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def extractor():
    from claimledger.extract.pipeline import Extractor

    return Extractor()


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The public evaluation corpora; tests that need them skip where absent."""
    return Path(os.environ.get("CLAIMLEDGER_DATA_DIR", REPO.parent / "shared" / "data"))


@pytest.fixture()
def extract(extractor):
    from claimledger.models import Document

    def run(text: str, published: str = "2024-12-16", outlet: str = "Test Daily"):
        return extractor.extract(Document(id="t", text=text, published=published, outlet=outlet))

    return run


# ---------------------------------------------------------------- PostgreSQL
#
# Tests marked `postgres` run against a private PostgreSQL cluster that the session starts
# itself: Debian's server binaries (apt-get install postgresql), initdb into a temporary
# folder, a free local port, trust authentication for one user, no fsync. As root (CI),
# the server runs as the `postgres` user (or `nobody`): PostgreSQL refuses to run as root.
# Without server binaries or psycopg the tests skip, saying why, except where
# CLAIMLEDGER_REQUIRE_POSTGRES (set by .ci/run) says they must run.

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def _postgres_bin() -> Path | None:
    found = shutil.which("pg_ctl")
    if found and shutil.which("initdb"):
        return Path(found).resolve().parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parts[-3]))
    return versions[-1].parent if versions else None


def _postgres_missing() -> str | None:
    if _postgres_bin() is None:
        return "no PostgreSQL server binaries (initdb, pg_ctl) found: apt-get install postgresql"
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed (pip install -e '.[postgres]')"
    return None


class PostgresCluster:
    """A throwaway PostgreSQL server: `url(name)` of a fresh database on it."""

    def __init__(self, bin_dir: Path, root: Path):
        import pwd
        import socket

        self.bin, self.root, self.data = bin_dir, root, root / "data"
        self.user = None
        if os.geteuid() == 0:
            for name in ("postgres", "nobody"):
                try:
                    self.user = pwd.getpwnam(name)
                    break
                except KeyError:
                    continue
            os.chown(root, self.user.pw_uid, self.user.pw_gid)
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self._run("initdb", "-D", str(self.data), "-U", "claimledger", "--auth=trust", "-E", "UTF8",
                  "--locale=C.UTF-8")
        options = (f"-p {self.port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(root / "server.log"), "-o", options, "-w", "start")
        self._count = 0

    def _run(self, program: str, *args: str) -> None:
        import subprocess

        kwargs = {"user": self.user.pw_uid, "group": self.user.pw_gid, "extra_groups": []} if self.user else {}
        done = subprocess.run([str(self.bin / program), *args], check=False, capture_output=True, text=True, cwd=self.root,
                              env={**os.environ, "LC_ALL": "C.UTF-8"}, **kwargs)
        if done.returncode != 0:
            raise RuntimeError(f"{program} failed: {done.stderr or done.stdout}")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://claimledger@127.0.0.1:{self.port}/{database}"

    def create_database(self, prefix: str = "t", template: str | None = None, icu_locale: str | None = None) -> str:
        """A new database (a copy of `template` when given; sorting text by an ICU locale
        such as "en-US" when given, as a server set up for a language does); its
        SQLAlchemy URL."""
        import psycopg

        self._count += 1
        name = f"{prefix}_{self._count}"
        clause = f" TEMPLATE {template}" if template else ""
        if icu_locale:
            clause = f" TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE '{icu_locale}'"
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=claimledger dbname=postgres",
                             autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"{clause}')
        return self.url(name)

    def drop_database(self, url: str) -> None:
        """Drop a test's database, closing whatever connections it left open, so that the
        cluster stays small however many tests ran."""
        import psycopg

        name = url.rsplit("/", 1)[1]
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=claimledger dbname=postgres",
                             autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")


@pytest.fixture(scope="session")
def postgres():
    """The session's PostgreSQL cluster (skips, or fails where it is required, without one)."""
    import tempfile

    problem = _postgres_missing()
    if problem:
        if os.environ.get("CLAIMLEDGER_REQUIRE_POSTGRES"):
            pytest.fail(problem)
        pytest.skip(problem)
    root = Path(tempfile.mkdtemp(prefix="claimledger-pg-"))
    cluster = PostgresCluster(_postgres_bin(), root)
    yield cluster
    cluster.stop()
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(params=BACKENDS)
def ledger_url(request, tmp_path):
    """An empty ledger database: a SQLite file, and (marked `postgres`) a PostgreSQL database."""
    if request.param == "sqlite":
        yield str(tmp_path / "ledger.db")
        return
    postgres = request.getfixturevalue("postgres")
    url = postgres.create_database()
    yield url
    postgres.drop_database(url)
