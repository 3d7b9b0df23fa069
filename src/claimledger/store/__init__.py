"""The ledger database: schema, named migrations and queries (SQLAlchemy Core)."""

from .db import Ledger, open_ledger

__all__ = ["Ledger", "open_ledger"]
