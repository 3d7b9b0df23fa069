"""Named migrations, applied in order and recorded in the `migrations` table."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone

from sqlalchemy import Connection, inspect, select, text

from . import schema


def _initial(conn: Connection) -> None:
    schema.metadata.create_all(conn, checkfirst=True)


def _override_members(conn: Connection) -> None:
    columns = {c["name"] for c in inspect(conn).get_columns("overrides")}
    if "members" not in columns:
        conn.execute(text("ALTER TABLE overrides ADD COLUMN members JSON"))


MIGRATIONS: tuple[tuple[str, Callable[[Connection], None]], ...] = (
    ("0001_initial", _initial),
    ("0002_override_members", _override_members),
)


def migrate(conn: Connection) -> list[str]:
    """Apply the migrations not yet applied; return their names."""
    schema.migrations.create(conn, checkfirst=True)
    done = set(conn.execute(select(schema.migrations.c.name)).scalars())
    applied = []
    for name, step in MIGRATIONS:
        if name in done:
            continue
        step(conn)
        conn.execute(
            schema.migrations.insert().values(
                name=name, applied_at=datetime.now(timezone.utc).isoformat(timespec="seconds")
            )
        )
        applied.append(name)
    return applied
