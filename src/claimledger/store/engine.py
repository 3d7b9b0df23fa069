"""Opening a ledger database: its URL, SQLite's settings, the locks that let several
processes write to one ledger, and the migrations applied once under the migration lock."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, inspect, select, text
from sqlalchemy.exc import SQLAlchemyError

from ..errors import StoreError
from . import schema
from .migrations import MIGRATIONS, migrate

# How long a writer waits for another's write lock (another `ingest`, an assessment being
# stored) before giving up: storing one document takes milliseconds, storing the
# assessment of a 100,000-claim ledger some seconds.
BUSY_SECONDS = 120
# PostgreSQL advisory lock keys ("cl" + a number): one for migrations, one for writes.
MIGRATION_LOCK, WRITE_LOCK = 0x636C0001, 0x636C0002


def lock_for_writing(conn: Connection, key: int = WRITE_LOCK) -> None:
    """Hold the database's write lock from the start of this transaction, so that what
    it reads before writing cannot change under it (two `ingest` runs at once).

    SQLite: BEGIN IMMEDIATE, the first statement of the transaction (the driver would
    otherwise begin only at the first write, after the reads). PostgreSQL: an advisory
    lock released at commit. Other writers wait for it (SQLite: up to BUSY_SECONDS).
    """
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    elif conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def failure(exc: Exception) -> str:
    """The first line of a database error, without SQLAlchemy's statement and parameters."""
    reason = getattr(exc, "orig", None) or exc
    return (str(reason).strip().splitlines() or [type(reason).__name__])[0]


def _url(db: str) -> str:
    """A SQLAlchemy URL: a path is a SQLite file; `postgresql://` means psycopg (version
    3, the `postgres` extra), not SQLAlchemy's default driver psycopg2."""
    if "://" not in db:
        return f"sqlite:///{Path(db)}"
    for scheme in ("postgresql://", "postgres://"):
        if db.startswith(scheme):
            return "postgresql+psycopg://" + db[len(scheme):]
    return db


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cursor = dbapi_conn.cursor()
    _use_wal(cursor)
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _use_wal(cursor) -> None:
    """Switch a new SQLite database to WAL (the mode stays with the file). SQLite does
    not wait for the lock this takes, as it waits for a write lock: where several
    processes open a new ledger at once, the losers retry until one has switched it."""
    deadline = time.monotonic() + BUSY_SECONDS
    while cursor.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return  # switched, or a database that cannot be (in memory)
        except sqlite3.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def connect(db: str) -> Engine:
    """An engine on the ledger at a path or SQLAlchemy URL, created and migrated as needed."""
    url = _url(db)
    try:
        sqlite = url.startswith("sqlite")
        engine = create_engine(url, connect_args={"timeout": BUSY_SECONDS} if sqlite else {})
        if sqlite:
            event.listen(engine, "connect", _sqlite_pragmas)
        if _needs_migrations(engine):
            # Under the migration lock, so that two processes opening a fresh ledger at
            # once migrate it once: the second waits, then finds nothing left to do.
            with engine.begin() as conn:
                lock_for_writing(conn, MIGRATION_LOCK)
                migrate(conn)
    except (SQLAlchemyError, ModuleNotFoundError) as exc:
        raise StoreError(f"cannot open the ledger database: {failure(exc)}", path=db) from exc
    return engine


def _needs_migrations(engine: Engine) -> bool:
    """Whether any migration is still to apply (read without taking a lock)."""
    with engine.connect() as conn:
        if not inspect(conn).has_table(schema.migrations.name):
            return True
        done = set(conn.execute(select(schema.migrations.c.name)).scalars())
    return any(name not in done for name, _ in MIGRATIONS)
