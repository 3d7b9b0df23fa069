"""Flat exports: CSV with UCDP GED-style columns (one row per claim), and JSON Lines of
claims and of claim groups in the shapes of the contracts."""

from __future__ import annotations

import csv
import json
import math
from typing import IO

from .. import queries
from ..present import chain_text, group_title, safe_url, with_titles

# UCDP GED names where one exists (low, best, high, source_article, source_office,
# source_date, source_headline, source_original, where_description -> where, date -> when).
# Each grade column says whose it is: the claim's own (its source's reliability, the
# group's credibility, or an analyst's verdict on the claim) or its group's.
CSV_COLUMNS = (
    "id", "event", "kind", "subject", "where", "when", "low", "best", "high", "bound",
    "source_article", "source_headline", "source_office", "source_date", "source_original",
    "source_chain", "source_url", "stance", "hedges", "claim_grade", "claim_decision",
    "group_id", "group_title", "group_grade", "group_explanation", "group_independent_origins",
    "group_reports", "group_contradiction", "sentence", "doc",
)
GROUP_FIELDS = ("title", "grade", "explanation", "independent_origins", "reports", "contradiction")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    """A CSV cell; text that a spreadsheet would run as a formula is prefixed with '."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        return str(int(value)) if value == int(value) else repr(value)
    if isinstance(value, int):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _bounds(quantity: dict | None) -> tuple:
    if not quantity:
        return None, None, None, None
    value, low, high = quantity.get("value"), quantity.get("low"), quantity.get("high")
    bound = quantity.get("bound") or ("approx" if quantity.get("approx") else "exact")
    if bound in ("exact", "approx"):
        low = value if low is None else low
        high = value if high is None else high
    return low, value, high, bound


def csv_row(claim: dict, cluster: dict | None) -> dict:
    low, best, high, bound = _bounds(claim.get("quantity"))
    chains = claim.get("chains") or []
    origins = "; ".join(dict.fromkeys(chain[-1]["name"] for chain in chains)) or claim.get("outlet")
    published = (claim.get("published") or "")[:10]
    article = ", ".join(p for p in (claim.get("outlet"), f'"{claim["title"]}"' if claim.get("title") else None, published) if p)
    cluster = cluster or {}
    return {
        "id": claim["id"], "event": claim.get("event"), "kind": claim.get("kind"), "subject": claim.get("subject"),
        "where": claim.get("location"), "when": (claim.get("time") or {}).get("date"),
        "low": low, "best": best, "high": high, "bound": bound,
        "source_article": article, "source_headline": claim.get("title"), "source_office": claim.get("outlet"),
        "source_date": published or None, "source_original": origins, "source_chain": chain_text(claim),
        "source_url": safe_url(claim.get("url")), "stance": claim.get("stance"),
        "hedges": "; ".join(claim.get("hedges") or []), "claim_grade": claim.get("grade"),
        "claim_decision": _claim_decision(claim, cluster), "group_id": claim.get("cluster"),
        "group_title": cluster.get("title"), "group_grade": cluster.get("grade"),
        "group_explanation": cluster.get("explanation"),
        "group_independent_origins": cluster.get("independent_origins"), "group_reports": cluster.get("reports"),
        "group_contradiction": cluster.get("contradiction"), "sentence": claim.get("sentence"), "doc": claim.get("doc"),
    }


def _claim_decision(claim: dict, cluster: dict) -> str | None:
    """What the claim's explanation adds to its group's: an analyst's verdict on the claim."""
    own, group = claim.get("explanation") or "", cluster.get("explanation") or ""
    extra = own[len(group):].strip() if group and own.startswith(group) else ""
    return extra or None


def write_csv(engine, stream: IO[str], base_url: str) -> int:
    writer = csv.DictWriter(stream, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    count = 0
    with engine.connect() as conn:
        clusters = {c["id"]: c for c in queries.iter_clusters(conn)}
        titled = with_titles(conn, list(clusters.values()))
        clusters = {c["id"]: {k: c.get(k) for k in GROUP_FIELDS} | {"title": group_title(c)} for c in titled}
        for claim in queries.iter_claims(conn):
            row = csv_row(claim, clusters.get(claim.get("cluster")))
            writer.writerow({k: _cell(v) for k, v in row.items()})
            count += 1
    return count


def _dump(record: dict) -> str:
    try:
        return json.dumps(record, ensure_ascii=False, allow_nan=False)
    except ValueError:  # an open bound stored as infinity
        return json.dumps(queries.finite(record), ensure_ascii=False)


def write_claims(engine, stream: IO[str], base_url: str) -> int:
    count = 0
    with engine.connect() as conn:
        for claim in queries.iter_claims(conn):
            stream.write(_dump(queries.ledger_claim(claim)) + "\n")
            count += 1
    return count


def write_clusters(engine, stream: IO[str], base_url: str) -> int:
    count = 0
    with engine.connect() as conn:
        for cluster in queries.iter_clusters(conn):
            stream.write(_dump(cluster) + "\n")
            count += 1
    return count
