"""Lexicons shipped as data files under `claimledger/data/lexicons/`, loaded once."""

from __future__ import annotations

from functools import cache
from importlib import resources

import yaml


@cache
def load(name: str) -> dict:
    """The parsed YAML lexicon `data/lexicons/<name>.yaml`."""
    path = resources.files("claimledger") / "data" / "lexicons" / f"{name}.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@cache
def phrase_set(name: str, key: str) -> frozenset[str]:
    return frozenset(str(item).lower() for item in load(name)[key])


_MEDIA_KINDS = {"outlet", "wire", "channel", "defense-site"}


@cache
def media_names() -> frozenset[str]:
    """Names and aliases of the news media in the shipped source registry, lower case:
    "Reuters", "AP News", "Ukrinform" are outlets whatever the parser tags them."""
    path = resources.files("claimledger") / "data" / "registry.yaml"
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))["sources"]
    return frozenset(
        str(name).lower()
        for entry in entries if entry.get("kind") in _MEDIA_KINDS
        for name in [entry["name"], *entry.get("aliases", [])]
    )
