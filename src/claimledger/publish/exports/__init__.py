"""Exports of the ledger (`claimledger export --format FORMAT`): CSV with UCDP-style
columns, JSON Lines of claims and of groups, ClaimReview JSON-LD, W3C PROV-JSON, and the
Markdown / HTML report."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO

from ...errors import ClaimledgerError
from ...store import open_ledger

FORMATS = ("csv", "jsonl", "clusters", "claimreview", "prov", "markdown", "html")
DEFAULT_BASE_URL = "http://127.0.0.1:8000"


def _writer(fmt: str) -> Callable:
    if fmt in ("csv", "jsonl", "clusters"):
        from . import tables

        return {"csv": tables.write_csv, "jsonl": tables.write_claims, "clusters": tables.write_clusters}[fmt]
    if fmt == "claimreview":
        from .claimreview import write_claimreview

        return write_claimreview
    if fmt == "prov":
        from .provenance import write_prov

        return write_prov
    from ..report import write_html, write_markdown

    return write_markdown if fmt == "markdown" else write_html


def write_export(engine, fmt: str, stream: IO[str], base_url: str = DEFAULT_BASE_URL,
                 stories: int | None = None) -> int:
    """Write the ledger behind `engine` in `fmt` to `stream`; return how many records.
    `stories` limits the report formats (markdown, html) to that many claim groups."""
    if fmt not in FORMATS:
        raise ClaimledgerError(f"unknown export format {fmt!r}: one of {', '.join(FORMATS)}")
    if stories is not None and fmt in ("markdown", "html"):
        return _writer(fmt)(engine, stream, base_url.rstrip("/"), stories)
    return _writer(fmt)(engine, stream, base_url.rstrip("/"))


def export(db: str | None, fmt: str, output: str | None = None, base_url: str = DEFAULT_BASE_URL,
           stories: int | None = None) -> int:
    """`claimledger export`: the ledger at `db` in `fmt`, to `output` (a path) or stdout."""
    ledger = open_ledger(db)
    try:
        if output in (None, "", "-"):
            return write_export(ledger.engine, fmt, sys.stdout, base_url, stories)
        path = Path(output)
        try:
            with contextlib.ExitStack() as stack:
                stream = stack.enter_context(path.open("w", encoding="utf-8", newline=""))
                return write_export(ledger.engine, fmt, stream, base_url, stories)
        except OSError as exc:
            raise ClaimledgerError(f"cannot write the export: {exc.strerror}", path=str(path)) from exc
    finally:
        ledger.engine.dispose()
