"""Publishing: the web UI and JSON API (`create_app`), the exports and the report.

Everything here reads the ledger built by the earlier stages; the only writes are the
analysts' overrides, recorded through `Ledger.add_override` so that each is audited.
"""

from __future__ import annotations


def create_app(db: str | None = None, token: str | None = None, rebuild: bool = True):
    """The FastAPI application over the ledger at `db` (see `publish.app`)."""
    from .app import create_app as _create_app

    return _create_app(db=db, token=token, rebuild=rebuild)


__all__ = ["create_app"]
