"""The report: the ledger told as a careful blog post, in Markdown or HTML.

Each story (a claim group, the most reported first) says what is claimed and the
figures, who said them citing whom, how many independent origins stand behind the echoes,
where the figures disagree, and how far to trust them (the grade, in words, with its
reason and any analyst's decision). Text from articles is escaped for the format.
"""

from __future__ import annotations

import re
from datetime import date
from typing import IO

from jinja2 import Environment, PackageLoader, select_autoescape

from . import queries
from .charts import chart_legend, estimates_chart, number, series_of
from .present import (
    chain_text,
    date_text,
    estimate_text,
    grade_words,
    group_href,
    group_title,
    is_statements,
    origin_key,
    origin_keys,
    origin_of,
    plural,
    quantity_text,
    safe_url,
    source_href,
    statement_title,
)

DEFAULT_STORIES = 30
INTRO = ("Fifty outlets repeating one website are one origin, not fifty confirmations. Below, each story "
         "counts its independent origins, shows who said each figure citing whom, and grades it on the "
         "Admiralty scale: source reliability A (completely reliable) to F (cannot be judged), information "
         "credibility 1 (confirmed) to 6 (cannot be judged). The usual caveats apply.")
MAX_FIGURES = 12
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


def md(text) -> str:
    """Text safe inside Markdown: its markup characters taken literally."""
    return _MD_SPECIAL.sub(r"\\\1", str(text or "")).replace("\n", " ")


def _names(names: list[str], limit: int = 4) -> str:
    names = list({n.casefold(): n for n in reversed([n for n in names if n])}.values())[::-1]
    if not names:
        return ""
    shown = names[:limit]
    rest = len(names) - len(shown)
    if rest:
        return ", ".join(shown) + f" and {rest} more"
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def lead(cluster: dict, members: list[dict]) -> list[str]:
    """The story's sentences, plain text (escaped later for the format)."""
    origins = [o["name"] for o in cluster.get("origins") or [] if not o.get("denies")]
    deniers = [o["name"] for o in cluster.get("origins") or [] if o.get("denies")]
    reports, independent = int(cluster.get("reports") or 0), int(cluster.get("independent_origins") or 0)
    out = []
    if not independent and not origins:
        out.append(f"{plural(reports, 'report')} carry this, and no origin asserts it.")
    elif reports > 1 and independent <= 1 and origins:
        out.append(f"{plural(reports, 'report')} carry this, but they all trace back to one origin, "
                   f"{origins[0]}: the rest are echoes, not confirmations.")
    elif independent > 1:
        out.append(f"{plural(reports, 'report')} carry this, resting on {independent} independent origins: "
                   f"{_names(origins)}.")
    else:
        out.append(f"One report, from {origins[0] if origins else 'an unnamed source'}.")
    estimate = cluster.get("estimate") or {}
    if estimate.get("best") is not None:
        low, high = estimate.get("low"), estimate.get("high")
        if low is not None and high is not None and low != high:
            high_text = "an open upper bound" if high == float("inf") else number(high)
            out.append(f"The figures run from {number(low)} to {high_text}; the best estimate from independent "
                       f"origins is {number(estimate['best'])}.")
        else:
            out.append(f"The figure is {number(estimate['best'])}.")
    if cluster.get("contradiction"):
        pairs = cluster.get("conflicting_pairs", len(cluster.get("conflicting_claims") or []))
        out.append("The figures contradict each other" + (f": {plural(pairs, 'pair')} of claims cannot both hold "
                                                          "for the same time." if pairs else "."))
    if deniers:
        out.append(f"{_names(deniers)} denied it.")
    if cluster.get("interested"):
        names = cluster["interested"]
        out.append(f"{_names(names)} {'is' if len(names) == 1 else 'are'} a party to the conflict, with a stake in it.")
    questioned = sum(1 for m in members if m.get("stance") in ("hedged", "questioned"))
    if questioned:
        out.append(f"{plural(questioned, 'report')} {'hedges or questions what it says' if questioned == 1 else 'hedge or question what they say'}.")
    return out


def figure_lines(members: list[dict]) -> list[dict]:
    figures = [m for m in members if m.get("kind") == "figure"] or members
    lines = []
    for claim in sorted(figures, key=lambda m: m.get("published") or ""):
        chains = claim.get("chains") or []
        lines.append({
            "date": date_text(claim.get("published")), "outlet": claim.get("outlet") or "an unknown outlet",
            "title": claim.get("title") or claim.get("doc"), "url": safe_url(claim.get("url")),
            "figure": (quantity_text(claim) + (f" {claim['event']}" if claim.get("event") else "")).strip(),
            "text": claim.get("text"), "chain": chain_text(claim) if chains else "its own reporting",
            "origin": origin_of(claim), "stance": claim.get("stance"), "id": claim["id"],
        })
    return lines


def trust(cluster: dict, verdicts: list[dict]) -> list[str]:
    grade = cluster.get("grade")
    out = [f"How far to trust it: {grade or 'not graded'}, {grade_words(grade)}.", cluster.get("explanation") or ""]
    for v in verdicts:
        out.append(f"An analyst ({v['who']}, {date_text(v['at'])}) marked it {v['action']}ed: {v['why']}")
    return [s for s in out if s]


def origin_links(cluster: dict, base_url: str) -> list[dict]:
    """The group's counted origins (two spellings of one source once), each with the link
    to its page in the web UI under `base_url`."""
    seen: dict[str, dict] = {}
    for origin in cluster.get("origins") or []:
        key = origin_key(origin)
        if key not in seen:
            seen[key] = {"name": origin["name"], "url": base_url + source_href(key), "denies": bool(origin.get("denies"))}
    return list(seen.values())


def build_report(engine, base_url: str, limit: int = DEFAULT_STORIES) -> dict:
    with engine.connect() as conn:
        stats = queries.stats(conn)
        page = queries.list_clusters(conn, limit, 0, view="reports")
        stories = []
        for cluster in page.items:
            members = queries.cluster_members(conn, cluster)
            if is_statements(cluster):
                cluster = dict(cluster, title=statement_title(cluster, members))
            verdicts = [o for o in queries.overrides_for(conn, [("cluster", cluster["id"])]) if o["active"]]
            figures = figure_lines(members)
            series = series_of(queries.timeline(cluster, members), key_of=origin_keys(cluster))
            stories.append({
                "id": cluster["id"], "title": group_title(cluster), "url": base_url + group_href(cluster["id"]),
                "grade": cluster.get("grade"), "estimate": estimate_text(cluster.get("estimate")),
                "lead": lead(cluster, members), "figures": figures[:MAX_FIGURES],
                "more_figures": max(len(figures) - MAX_FIGURES, 0), "trust": trust(cluster, verdicts),
                "origins": origin_links(cluster, base_url),
                "chart": estimates_chart(series, cluster.get("event"), width=720, height=280),
                "chart_narrow": estimates_chart(series, cluster.get("event"), width=360, height=300, compact=True),
                "legend": chart_legend(series),
            })
    return {
        "title": "What the reports claim, and how far to trust them",
        "generated": date.today().isoformat(), "stats": stats, "stories": stories,
        "total_groups": page.total, "base_url": base_url,
    }


def render_markdown(report: dict) -> str:
    s = report["stats"]
    byline = (f"*{s['documents']:,} documents from {s['outlets']:,} outlets, {s['claims']:,} claims in "
              f"{s['groups']:,} groups; generated {report['generated']} by claimledger.*")
    out = [f"# {report['title']}", "", byline, "", INTRO, ""]
    for story in report["stories"]:
        heading = f"**{story['grade'] or '-'}** · {md(story['estimate'])} · [the ledger's page]({_link(story['url'])})"
        out += [f"## {md(story['title'])}", "", heading, "", md(" ".join(story["lead"])), ""]
        if story["origins"]:
            links = ", ".join(f"[{md(o['name'])}]({_link(o['url'])})" + (" (denies it)" if o["denies"] else "")
                              for o in story["origins"])
            out += [f"Origins: {links}.", ""]
        out += ["Who said what:", ""]
        for f in story["figures"]:
            source = f"[{md(f['title'])}]({_link(f['url'])})" if f["url"] else f"\"{md(f['title'])}\""
            stance = f" ({f['stance']})" if f["stance"] and f["stance"] != "asserted" else ""
            out.append(f"- {md(f['date'])}, {md(f['outlet'])}, {source}: **{md(f['figure'] or f['text'])}**, "
                       f"from {md(f['chain'])}{stance}.")
        if story["more_figures"]:
            out.append(f"- ... and {story['more_figures']} more.")
        out += ["", "> " + md(" ".join(story["trust"])), ""]
    if report["total_groups"] > len(report["stories"]):
        out.append(f"*{report['total_groups'] - len(report['stories']):,} smaller groups are in the ledger, not in this report.*")
    return "\n".join(out).rstrip() + "\n"


def render_html(report: dict) -> str:
    env = Environment(loader=PackageLoader("claimledger.publish", "templates"),
                      autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)
    return env.get_template("report.html").render(report=report)


def _link(url: str) -> str:
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29").replace("<", "%3C").replace(">", "%3E")


def write_markdown(engine, stream: IO[str], base_url: str, limit: int = DEFAULT_STORIES) -> int:
    report = build_report(engine, base_url, limit)
    stream.write(render_markdown(report))
    return len(report["stories"])


def write_html(engine, stream: IO[str], base_url: str, limit: int = DEFAULT_STORIES) -> int:
    report = build_report(engine, base_url, limit)
    stream.write(render_html(report))
    return len(report["stories"])
