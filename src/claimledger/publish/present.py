"""Words for what the ledger holds: titles of claim groups, figures, grades and chains,
shared by the pages, the exports and the report so that all say the same thing."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from .charts import number, parse_date

RELIABILITY = {
    "A": "completely reliable",
    "B": "usually reliable",
    "C": "fairly reliable",
    "D": "not usually reliable",
    "E": "unreliable",
    "F": "reliability cannot be judged",
}
CREDIBILITY = {
    "1": "confirmed by other sources",
    "2": "probably true",
    "3": "possibly true",
    "4": "doubtful",
    "5": "improbable",
    "6": "truth cannot be judged",
}
EVENT_WORDS = {
    "killed": "killed", "wounded": "wounded", "casualties": "casualties", "captured": "captured",
    "missing": "missing", "deployed": "deployed", "strike": "strikes", "combat": "combat", "other": "",
}
STANCE_WORDS = {
    "asserted": "asserted", "hedged": "hedged (the report qualifies it)",
    "questioned": "questioned (the writer doubts it)", "denied": "denied",
}


def grade_words(grade: str | None) -> str:
    """"B2" -> "usually reliable source; probably true"."""
    if not grade or len(grade) < 2:
        return "not graded"
    return f"{RELIABILITY.get(grade[0], '?')} source; {CREDIBILITY.get(grade[1:], '?')}"


def grade_class(grade: str | None) -> str:
    return f"grade-{grade[0].lower()}" if grade and grade[0] in RELIABILITY else "grade-none"


def credibility_class(grade: str | None) -> str:
    return f"cred-{grade[1]}" if grade and len(grade) > 1 and grade[1] in CREDIBILITY else "cred-none"


def group_title(cluster: dict) -> str:
    """A headline for a claim group: "Killed: North Korean soldiers, Russia's Kursk region"."""
    event = cluster.get("event")
    subject = cluster.get("subject")
    location = cluster.get("location")
    head = (event or "statements").capitalize() if event != "other" else "Other figures"
    parts = [p for p in (subject, location) if p]
    if not parts:
        return head
    if subject and location:
        return f"{head}: {subject}, {location}"
    return f"{head}: {parts[0]}"


def estimate_text(estimate: dict | None) -> str:
    """"about 500 (range 100 to 3,000)"."""
    if not estimate or estimate.get("best") is None:
        return "no figure"
    best = number(estimate["best"])
    low, high = estimate.get("low"), estimate.get("high")
    if low is not None and high is not None and (low != estimate["best"] or high != estimate["best"]):
        high_text = "open" if high == float("inf") else number(high)
        return f"{best} (range {number(low)} to {high_text})"
    return best


def quantity_text(claim: dict) -> str:
    quantity = claim.get("quantity") or {}
    if quantity.get("text"):
        return quantity["text"]
    if quantity.get("value") is not None:
        return number(quantity["value"])
    return ""


def chain_names(claim: dict) -> list[list[str]]:
    return [[hop["name"] for hop in chain] for chain in claim.get("chains") or []]


def chain_text(claim: dict) -> str:
    """"Yonhap, citing RBC-Ukraine, citing Global Defense Corp." or "the outlet itself"."""
    chains = chain_names(claim)
    if not chains:
        return f"{claim.get('outlet') or 'the document'} (own reporting)"
    return "; ".join(", citing ".join(chain) for chain in chains)


def origin_of(claim: dict) -> str:
    chains = claim.get("chains") or []
    return chains[0][-1]["name"] if chains else (claim.get("outlet") or claim.get("doc") or "unknown")


def date_text(value: str | None) -> str:
    """"2024-11-24T10:30:00+01:00" -> "24 Nov 2024"; "2024-11" -> "Nov 2024"."""
    if not value:
        return ""
    when = parse_date(value)
    if when is None:
        return str(value)
    text = str(value)
    if len(text) == 4:
        return text
    if len(text) == 7:
        return when.strftime("%b %Y")
    return f"{when.day} {when.strftime('%b %Y')}"


def safe_url(url: str | None) -> str | None:
    """The URL when it is http(s), else None: a `javascript:` link is never made a link."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return url.strip()
    return None


def doc_href(doc_id: str) -> str:
    return "/documents/" + quote(doc_id, safe="")


def source_href(key: str) -> str:
    return "/sources/" + quote(key, safe="")


def group_href(cluster_id: str) -> str:
    return "/groups/" + quote(cluster_id, safe="")


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count:,} {word if count == 1 else (many or word + 's')}"


def template_globals() -> dict:
    return {
        "grade_words": grade_words, "grade_class": grade_class, "credibility_class": credibility_class,
        "group_title": group_title, "estimate_text": estimate_text, "quantity_text": quantity_text,
        "chain_text": chain_text, "chain_names": chain_names, "origin_of": origin_of, "date_text": date_text,
        "safe_url": safe_url, "doc_href": doc_href, "source_href": source_href, "group_href": group_href,
        "plural": plural, "number": number, "RELIABILITY": RELIABILITY, "CREDIBILITY": CREDIBILITY,
        "STANCE_WORDS": STANCE_WORDS,
    }
