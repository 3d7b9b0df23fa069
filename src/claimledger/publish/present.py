"""Words for what the ledger holds: titles of claim groups, figures, grades and chains,
shared by the pages, the exports and the report so that all say the same thing."""

from __future__ import annotations

import re
from datetime import UTC, datetime
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
    """A headline for a claim group: "Killed: North Korean soldiers, Russia's Kursk region";
    for a group of statements, what they say and who says it (`with_titles` puts it in
    the record as `title`), else who says it."""
    event = cluster.get("event")
    if is_statements(cluster):
        return cluster.get("title") or (_statements_by(cluster) if not event else event.capitalize())
    subject = cluster.get("subject")
    location = cluster.get("location")
    head = event.capitalize() if event != "other" else "Other figures"
    parts = [p for p in (subject, location) if p]
    if not parts:
        return head
    if subject and location:
        return f"{head}: {subject}, {location}"
    return f"{head}: {parts[0]}"


def is_statements(cluster: dict) -> bool:
    """A group of statements (no figure) that its event, subject and place do not name."""
    return not cluster.get("event") or (
        not cluster.get("estimate") and not cluster.get("subject") and not cluster.get("location"))


def _who(names: list[str], limit: int = 2) -> str:
    names = list(dict.fromkeys(n for n in names if n))
    if len(names) > limit:
        return ", ".join(names[:limit]) + f" and {len(names) - limit} more"
    return " and ".join(names)


def _statements_by(cluster: dict) -> str:
    origins = cluster.get("origins") or []
    deniers = [o["name"] for o in origins if o.get("denies")]
    sayers = [o["name"] for o in origins if not o.get("denies")]
    if sayers:
        return f"Statements by {_who(sayers)}"
    if deniers:
        return f"Denials by {_who(deniers)}"
    return "Statements"


_WORD = re.compile(r"[A-Za-z][\w'-]+")
_SMALL = frozenset(("the", "a", "an", "of", "in", "on", "at", "to", "for", "and", "or", "by", "with", "as",
                    "its", "it", "is", "are", "was", "were", "that", "this", "such", "any", "about", "from",
                    "than", "more"))


def statement_title(cluster: dict, members: list[dict], limit: int = 80) -> str:
    """What a group of statements says, in the words most of them share, and who says it:
    "“Reports of the deployment fake”, denied by Kremlin (President of Russia) and ..."."""
    texts = [m for m in members if (m.get("text") or "").strip()]
    if not texts:
        return _statements_by(cluster)
    counts: dict[str, int] = {}
    for m in texts:
        for word in {w.lower() for w in _WORD.findall(m["text"])} - _SMALL:
            counts[word] = counts.get(word, 0) + 1

    def score(m: dict) -> tuple:  # the words the others share, then a headline's length
        words = {w.lower() for w in _WORD.findall(m["text"])} - _SMALL
        return (sum(counts[w] for w in words if counts[w] > 1), -abs(len(m["text"]) - 50))

    chosen = max(texts, key=score)
    text = " ".join(chosen["text"].split()).strip(" ,.;:")
    if len(text.split()) < 4 and chosen.get("sentence"):  # "in April" says nothing alone: its sentence
        text = " ".join(chosen["sentence"].split()).strip(" ,.;:\"\u201c\u201d")
    if len(text) > limit:
        text = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,.;:") + "\u2026"
    text = text[:1].upper() + text[1:]
    origins = cluster.get("origins") or []
    denied = all(m.get("stance") == "denied" for m in texts)
    names = [o["name"] for o in origins if bool(o.get("denies")) == denied] or [o["name"] for o in origins]
    who = _who([_without_via(n) for n in names])
    if not who:
        return f"\u201c{text}\u201d"
    return f"\u201c{text}\u201d, {'denied by' if denied else 'says'} {who}" if denied or len(names) == 1 else \
        f"\u201c{text}\u201d, say {who}"


def origin_key(origin: dict) -> str:
    """The source a counted origin is: its registry id, else its normalized name."""
    from .sources import unregistered_key

    return origin.get("registry_id") or unregistered_key(origin["name"])


def origin_keys(cluster: dict):
    """name -> source key for the names of a group's origins (as its timeline names them)."""
    from .sources import unregistered_key

    keys = {o["name"]: origin_key(o) for o in cluster.get("origins") or []}
    return lambda name: keys.get(name) or unregistered_key(name)


def with_titles(conn, clusters: list[dict], sample: int = 8) -> list[dict]:
    """The groups, each group of statements with its `title` (statement_title over its
    first `sample` claims, read in one query)."""
    from . import queries

    wanted = [c for c in clusters if c and is_statements(c) and not c.get("title")]
    ids = [claim_id for c in wanted for claim_id in (c.get("claims") or [])[:sample]]
    found = {m["id"]: m for m in queries.claims_by_ids(conn, ids)} if ids else {}
    for c in wanted:
        members = [found[i] for i in (c.get("claims") or [])[:sample] if i in found]
        c["title"] = statement_title(c, members)
    return clusters


def _without_via(name: str) -> str:
    """"Ukrainian officials (via Dnipro Ledger)" -> "Ukrainian officials"."""
    return name.split(" (via ", 1)[0]


def party_words(origin: dict, country_names: dict[str, str], entry_name=None) -> str:
    """An origin's independence group in words: "the state of Ukraine", "Ukrainian
    officials, anonymous", "its own" (a source no one else speaks for)."""
    party = origin.get("party") or ""
    if party.startswith("anonymous:"):
        return f"{_without_via(origin['name'])}, anonymous"
    if not party or party.startswith("unregistered:") or party == origin.get("registry_id"):
        return "its own"
    if party.startswith("state-"):
        code = party.removeprefix("state-").upper()
        words = f"the state of {country_names.get(code, code)}"
        return f"{words}, anonymous" if origin.get("anonymous") else words  # "Pakistani officials"
    name = entry_name(party) if entry_name else None
    return name or party.replace("-", " ").title()


ACTION_WORDS = {"confirm": "confirmed", "refute": "refuted", "split": "split out", "merge": "merged",
                "reliability": "set the reliability of", "undo": "undid a decision on"}


def action_words(decision: dict) -> str:
    return ACTION_WORDS.get(decision.get("action"), decision.get("action") or "")


def decision_text(decision: dict) -> str:
    """"Ana refuted claim 1f2e...": what an analyst's decision did, in a sentence."""
    target, target_id, value = decision.get("target"), decision.get("target_id"), decision.get("value")
    what = {"cluster": "this group" if decision.get("action") != "merge" else f"group {target_id}",
            "claim": f"claim {target_id}", "source": f"source {target_id}"}.get(target, target_id)
    action = decision.get("action")
    if action == "reliability":
        return f"{decision.get('who')} set the reliability of {decision.get('label') or target_id} to {value}."
    if action == "merge":
        return f"{decision.get('who')} merged {what} into group {value}."
    if action == "split":
        return f"{decision.get('who')} split {what} out of its group."
    if action == "undo":
        return f"{decision.get('who')} undid decision #{value} (on {what})."
    return f"{decision.get('who')} {ACTION_WORDS.get(action, action)} {what}."


def time_text(value: str | None) -> str:
    """"2025-05-03T10:21:07+00:00" -> "3 May 2025, 10:21 UTC"."""
    if not value:
        return ""
    try:
        when = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if when.tzinfo is not None:
        when = when.astimezone(UTC)
    return f"{when.day} {when.strftime('%b %Y, %H:%M')} UTC"


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


def origins_text(count: int) -> str:
    """"3 independent origins"; a group only denied has none: "no origin asserts it"."""
    return "no origin asserts it" if not count else plural(count, "independent origin")


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count:,} {word if count == 1 else (many or word + 's')}"


def template_globals() -> dict:
    return {
        "grade_words": grade_words, "grade_class": grade_class, "credibility_class": credibility_class,
        "group_title": group_title, "time_text": time_text, "action_words": action_words,
        "decision_text": decision_text, "estimate_text": estimate_text, "quantity_text": quantity_text,
        "chain_text": chain_text, "chain_names": chain_names, "origin_of": origin_of, "date_text": date_text,
        "safe_url": safe_url, "doc_href": doc_href, "source_href": source_href, "group_href": group_href,
        "plural": plural, "origins_text": origins_text, "number": number, "RELIABILITY": RELIABILITY, "CREDIBILITY": CREDIBILITY,
        "STANCE_WORDS": STANCE_WORDS, "inf": float("inf"),
    }
