"""ClaimReview JSON-LD (schema.org) for every graded claim group.

Google's required fields are all present: `claimReviewed`, `reviewRating` (with
`alternateName`, the grade in words), `url` and `author`. The Admiralty credibility maps
onto ratingValue 5 (1, confirmed) down to 1 (5, improbable); credibility 6 (cannot be
judged) gets no number, only its name.
"""

from __future__ import annotations

import json
from datetime import date
from typing import IO

from .. import queries
from ..present import (
    CREDIBILITY,
    grade_words,
    group_title,
    is_statements,
    safe_url,
    statement_title,
)

RATING = {"1": 5, "2": 4, "3": 3, "4": 2, "5": 1}
REQUIRED = ("@type", "claimReviewed", "reviewRating", "url", "author")


def _reviewed_claim(cluster: dict, members: list[dict]) -> dict | None:
    """The member that best states the group: the one behind the best estimate, else the
    earliest figure, else the earliest claim."""
    wanted = ((cluster.get("estimate") or {}).get("best_claims") or [None])[0]
    for claim in members:
        if claim["id"] == wanted:
            return claim
    figures = [c for c in members if c.get("kind") == "figure"]
    return (figures or members or [None])[0]


def _appearance(claim: dict) -> dict:
    work = {"@type": "CreativeWork", "headline": claim.get("title") or claim.get("doc")}
    url = safe_url(claim.get("url"))
    if url:
        work["url"] = url
    if claim.get("outlet"):
        work["publisher"] = {"@type": "Organization", "name": claim["outlet"]}
    if claim.get("published"):
        work["datePublished"] = claim["published"]
    return work


def claim_review(cluster: dict, members: list[dict], base_url: str, today: str | None = None) -> dict | None:
    grade = cluster.get("grade")
    claim = _reviewed_claim(cluster, members)
    if not grade or claim is None:
        return None
    credibility = grade[1:]
    rating = {
        "@type": "Rating",
        "alternateName": f"{grade}: {grade_words(grade)}",
        "ratingExplanation": cluster.get("explanation") or "",
    }
    if credibility in RATING:
        rating.update(ratingValue=RATING[credibility], bestRating=5, worstRating=1)
    url = f"{base_url}/groups/{cluster['id']}"
    origins = cluster.get("origins") or []
    first = min(members, key=lambda c: c.get("published") or "9999")
    seen, appearances = set(), []
    for member in members:
        if member["doc"] not in seen:
            seen.add(member["doc"])
            appearances.append(_appearance(member))
    item = {
        "@type": "Claim",
        "name": group_title(cluster),
        "appearance": appearances[:50],
        "firstAppearance": _appearance(first),
    }
    if origins:
        item["author"] = {"@type": "Organization", "name": origins[0]["name"]}
    if first.get("published"):
        item["datePublished"] = first["published"][:10]
    return {
        "@type": "ClaimReview",
        "@id": url,
        "url": url,
        "claimReviewed": claim.get("sentence") or claim.get("text"),
        "datePublished": today or date.today().isoformat(),
        "author": {"@type": "Organization", "name": "claimledger", "url": base_url},
        "reviewRating": rating,
        "itemReviewed": item,
        "description": f"{CREDIBILITY.get(credibility, '')}; {cluster.get('independent_origins', 0)} independent "
                       f"origins across {cluster.get('reports', 0)} reports",
    }


def claim_reviews(engine, base_url: str) -> list[dict]:
    reviews = []
    with engine.connect() as conn:
        for cluster in queries.iter_clusters(conn):
            members = queries.cluster_members(conn, cluster)
            if is_statements(cluster):
                cluster = dict(cluster, title=statement_title(cluster, members))
            review = claim_review(cluster, members, base_url)
            if review:
                reviews.append(review)
    return reviews


def write_claimreview(engine, stream: IO[str], base_url: str) -> int:
    reviews = claim_reviews(engine, base_url)
    document = {"@context": "https://schema.org", "@graph": queries.finite(reviews)}
    json.dump(document, stream, ensure_ascii=False, indent=1)
    stream.write("\n")
    return len(reviews)
