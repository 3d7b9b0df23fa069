"""Charts drawn on the server as SVG: the estimates of a claim group over time, and its
provenance graph.

Why hand-written SVG and not a charting library: the machine is offline (no CDN), the
pages must render fast with no build step, and both pictures are small (tens of points,
tens of nodes). SVG text is escaped like any HTML; colours are presentation attributes,
so the strict Content-Security-Policy (no inline styles, no inline script) holds.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date, timedelta
from urllib.parse import quote

from markupsafe import Markup, escape

# Okabe-Ito: tells series apart for colour-blind readers too.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#7a5c00", "#333333")
GRADE_COLOURS = {"A": "#1b7f3b", "B": "#3f8f29", "C": "#b58a00", "D": "#c8611b", "E": "#b3261e", "F": "#6b6b6b"}
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def number(value: float | None) -> str:
    """12000 -> "12,000"; 1.5 -> "1.5"."""
    if value is None:
        return "?"
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.1f}"


def parse_date(text: str | None) -> date | None:
    """An ISO date, or a year-month / year (first day), or None."""
    if not text:
        return None
    text = str(text)[:10]
    try:
        if len(text) == 4:
            return date(int(text), 1, 1)
        if len(text) == 7:
            return date(int(text[:4]), int(text[5:7]), 1)
        return date.fromisoformat(text)
    except ValueError:
        return None


def _attr(**attrs) -> str:
    return " ".join(f'{name.rstrip("_").replace("_", "-")}="{escape(value)}"' for name, value in attrs.items())


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


# ---------------------------------------------------------------- estimates over time

class _Scale:
    def __init__(self, lo: float, hi: float, a: float, b: float, log: bool):
        self.log = log
        self.lo, self.hi = (math.log10(lo), math.log10(hi)) if log else (lo, hi)
        self.a, self.b = a, b

    def __call__(self, value: float) -> float:
        v = math.log10(max(value, 10 ** self.lo)) if self.log else value
        span = (self.hi - self.lo) or 1.0
        return self.a + (v - self.lo) / span * (self.b - self.a)


def _nice_ticks(hi: float, log: bool, lo: float) -> list[float]:
    if log:
        return [10.0**e for e in range(math.floor(math.log10(lo)), math.ceil(math.log10(hi)) + 1)]
    raw = hi / 5 or 1
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return [step * i for i in range(int(hi / step) + 2)]


def series_of(points: list[dict]) -> list[tuple[str, str, list[dict]]]:
    """(origin, colour, dated points) per origin, the most prolific first."""
    by_origin: dict[str, list[dict]] = defaultdict(list)
    for point in points:
        when = parse_date(point.get("date"))
        value = point.get("best")
        if value is None:
            value = point.get("low") if point.get("low") is not None else point.get("high")
        if when is None or value is None:
            continue
        by_origin[point.get("origin") or "unknown"].append(dict(point, when=when, value=float(value)))
    ordered = sorted(by_origin.items(), key=lambda item: (-len(item[1]), item[0]))
    return [(name, PALETTE[i % len(PALETTE)], sorted(ps, key=lambda p: p["when"])) for i, (name, ps) in enumerate(ordered)]


def estimates_chart(points: list[dict], event: str | None = None, width: int = 900, height: int = 300) -> Markup:
    """One series per origin: a dot at the best figure, a whisker (or a band between two
    dated ranges) from low to high, an arrow where the figure is open ("more than")."""
    series = series_of(points)
    if not series:
        return Markup("")
    left, right, top, bottom = 64, 16, 16, 40
    values = [p["value"] for _, _, ps in series for p in ps]
    values += [p[b] for _, _, ps in series for p in ps for b in ("low", "high") if p.get(b) is not None]
    positive = [v for v in values if v > 0] or [1.0]
    hi, lo = max(positive), min(positive)
    log = hi / lo > 60
    hi_axis = hi * (1.6 if log else 1.12)
    ticks = _nice_ticks(hi_axis, log, lo)
    hi_axis = max(ticks[-1], hi_axis) if not log else ticks[-1]
    y = _Scale(ticks[0] if log else 0.0, hi_axis, height - bottom, top, log)
    dates = [p["when"] for _, _, ps in series for p in ps]
    first, last = min(dates), max(dates)
    pad = max((last - first).days * 0.06, 12)
    first, last = first - timedelta(days=pad), last + timedelta(days=pad)
    span = (last - first).days or 1

    def x(when: date) -> float:
        return left + (when - first).days / span * (width - left - right)

    label = f"Estimates over time{f' ({event})' if event else ''}: {len(series)} origins"
    out = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" {_attr(aria_label=label)} xmlns="http://www.w3.org/2000/svg">',
           f"<title>{escape(label)}</title>"]
    for tick in ticks:
        ty = y(tick)
        if ty < top - 1:
            continue
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{ty:.1f}" y2="{ty:.1f}" stroke="#e3e6ea" stroke-width="1"/>')
        out.append(f'<text x="{left - 8}" y="{ty + 4:.1f}" text-anchor="end" class="tick">{escape(number(tick))}</text>')
    month = date(first.year, first.month, 1)
    months = []
    while month <= last:
        months.append(month)
        month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    every = max(1, math.ceil(len(months) / 8))
    for i, m in enumerate(months):
        if m < first or i % every:
            continue
        mx = x(m)
        out.append(f'<line x1="{mx:.1f}" x2="{mx:.1f}" y1="{top}" y2="{height - bottom}" stroke="#f0f2f4" stroke-width="1"/>')
        text = f"{MONTHS[m.month - 1]} {m.year}" if m.month == 1 or i == 0 else MONTHS[m.month - 1]
        out.append(f'<text x="{mx:.1f}" y="{height - bottom + 18}" text-anchor="middle" class="tick">{escape(text)}</text>')
    out.append(f'<line x1="{left}" x2="{width - right}" y1="{height - bottom}" y2="{height - bottom}" stroke="#9aa3ad" stroke-width="1"/>')
    if log:
        out.append(f'<text x="{left}" y="{height - 6}" class="note">log scale</text>')
    for name, colour, ps in series:
        out.append(f'<g class="series" {_attr(data_origin=name)}>')
        ranged = [p for p in ps if p.get("low") is not None and p.get("high") is not None]
        if len(ranged) >= 2:
            upper = " ".join(f"{x(p['when']):.1f},{y(p['high']):.1f}" for p in ranged)
            lower = " ".join(f"{x(p['when']):.1f},{y(p['low']):.1f}" for p in reversed(ranged))
            out.append(f'<polygon points="{upper} {lower}" fill="{colour}" fill-opacity="0.14" stroke="none"/>')
        by_date: dict[date, list[float]] = defaultdict(list)
        for p in ps:
            by_date[p["when"]].append(p["value"])
        if len(by_date) >= 2:  # one vertex per date (the median), so same-day figures draw no spike
            line = " ".join(f"{x(when):.1f},{y(sorted(vs)[len(vs) // 2]):.1f}" for when, vs in sorted(by_date.items()))
            out.append(f'<polyline points="{line}" fill="none" stroke="{colour}" stroke-width="1.6" stroke-opacity="0.7"/>')
        for p in ps:
            px, py = x(p["when"]), y(p["value"])
            low, high = p.get("low"), p.get("high")
            if low is not None and high is not None and high > low:
                y1, y2 = y(low), y(high)
                out.append(f'<line x1="{px:.1f}" x2="{px:.1f}" y1="{y1:.1f}" y2="{y2:.1f}" stroke="{colour}" stroke-width="2"/>')
                for cap in (y1, y2):
                    out.append(f'<line x1="{px - 5:.1f}" x2="{px + 5:.1f}" y1="{cap:.1f}" y2="{cap:.1f}" stroke="{colour}" stroke-width="2"/>')
            elif low is not None and high is None:  # "more than": open upwards
                out.append(f'<path d="M{px:.1f},{py:.1f} V{py - 22:.1f} M{px - 5:.1f},{py - 16:.1f} L{px:.1f},{py - 23:.1f} L{px + 5:.1f},{py - 16:.1f}" fill="none" stroke="{colour}" stroke-width="2"/>')
            elif high is not None and low is None:  # "up to": open downwards
                out.append(f'<path d="M{px:.1f},{py:.1f} V{py + 22:.1f} M{px - 5:.1f},{py + 16:.1f} L{px:.1f},{py + 23:.1f} L{px + 5:.1f},{py + 16:.1f}" fill="none" stroke="{colour}" stroke-width="2"/>')
            bounds = f" ({number(low)}\u2013{number(high)})" if low is not None or high is not None else ""
            tip = f"{name}: {number(p['value'])}{bounds}, {p['when'].isoformat()}"
            out.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="5.5" fill="{colour}" stroke="#fff" stroke-width="1.5">'
                       f"<title>{escape(tip)}</title></circle>")
        out.append("</g>")
    out.append("</svg>")
    return Markup("".join(out))


# ---------------------------------------------------------------- provenance graph

class _Node:
    __slots__ = ("claims", "colour", "column", "href", "key", "label", "order", "title", "y")

    def __init__(self, key, label, column, href=None, colour="#dfe6ee", title=None):
        self.key, self.label, self.column, self.href = key, label, column, href
        self.colour, self.title = colour, title or label
        self.claims: set[str] = set()
        self.order = 0.0
        self.y = 0.0


def provenance_graph(members: list[dict], resolve, reliability_of, max_documents: int = 28) -> Markup:
    """Documents -> outlets -> cited sources -> origins, for the claims of one group.

    `resolve(name)` gives (key, display name) of a cited name, so that spellings and
    aliases of one source fall onto one node; echoes visibly converge on their origin.
    `reliability_of(key)` gives the source's grade letter (colours the origins)."""
    if not members:
        return Markup("")
    nodes: dict[tuple, _Node] = {}
    edges: dict[tuple, set[str]] = defaultdict(set)
    docs_seen: list[str] = []
    depth = 0
    for claim in members:
        depth = max([depth] + [len(chain) - 1 for chain in claim.get("chains") or []])
    origin_column = 2 + depth
    for claim in members:
        doc = claim["doc"]
        if doc not in docs_seen:
            docs_seen.append(doc)
        if len(docs_seen) > max_documents and doc not in docs_seen[:max_documents]:
            doc_key = ("doc", "__more__")
            more = len(docs_seen) - max_documents
            nodes.setdefault(doc_key, _Node(doc_key, "", 0))
            nodes[doc_key].label = f"+{more} more documents"
        else:
            doc_key = ("doc", doc)
            nodes.setdefault(doc_key, _Node(doc_key, _shorten(claim.get("title") or doc, 28), 0,
                                            href=f"/documents/{quote(doc, safe='')}", title=claim.get("title") or doc))
        outlet_name = claim.get("outlet") or "unknown outlet"
        okey, oname = resolve(outlet_name)
        outlet_key = ("outlet", okey)
        nodes.setdefault(outlet_key, _Node(outlet_key, _shorten(oname, 28), 1, href=f"/sources/{quote(okey, safe='')}", title=oname))
        chain_paths = [list(chain) for chain in claim.get("chains") or []] or [[]]
        for node in (nodes[doc_key], nodes[outlet_key]):
            node.claims.add(claim["id"])
        edges[(doc_key, outlet_key)].add(claim["id"])
        for chain in chain_paths:
            previous = outlet_key
            hops = [resolve(hop["name"]) for hop in chain] or [(okey, oname)]
            for position, (hkey, hname) in enumerate(hops):
                is_origin = position == len(hops) - 1
                column = origin_column if is_origin else 2 + position
                role = "origin" if is_origin else f"relay{position}"
                key = (role, hkey)
                if key not in nodes:
                    colour = GRADE_COLOURS.get(reliability_of(hkey), "#6b6b6b") if is_origin else "#e8eef5"
                    nodes[key] = _Node(key, _shorten(hname, 21 if is_origin else 28), column, href=f"/sources/{quote(hkey, safe='')}",
                                       colour=colour, title=hname)
                nodes[key].claims.add(claim["id"])
                if key != previous:
                    edges[(previous, key)].add(claim["id"])
                previous = key
    return _draw_graph(nodes, edges, origin_column, members)


def _draw_graph(nodes: dict, edges: dict, origin_column: int, members: list[dict]) -> Markup:
    columns: dict[int, list[_Node]] = defaultdict(list)
    for node in nodes.values():
        columns[node.column].append(node)
    used = sorted(columns)
    slot = {col: i for i, col in enumerate(used)}
    col_width, node_w, node_h, gap, top = 236, 198, 26, 10, 34
    # Order right to left: origins by weight, then each column by where its edges lead.
    successors: dict[tuple, list[tuple]] = defaultdict(list)
    for a, b in edges:
        successors[a].append(b)
    for col in reversed(used):
        for node in columns[col]:
            targets = [nodes[t].order for t in successors[node.key] if nodes[t].column > col]
            node.order = sum(targets) / len(targets) if targets else -len(node.claims)
        columns[col].sort(key=lambda n: (n.order, -len(n.claims), n.label))
        for i, node in enumerate(columns[col]):
            node.order = i
    tallest = max(len(ns) for ns in columns.values())
    height = top + tallest * (node_h + gap) + 8
    width = len(used) * col_width - (col_width - node_w) + 4
    for col, ns in columns.items():
        offset = top + (tallest - len(ns)) * (node_h + gap) / 2
        for i, node in enumerate(ns):
            node.y = offset + i * (node_h + gap)
    reports = len({m["doc"] for m in members})
    origins = len(columns[origin_column])
    label = f"Provenance: {reports} documents trace back to {origins} origin{'s' if origins != 1 else ''}"
    out = [f'<svg class="graph" viewBox="0 0 {width} {height:.0f}" width="{width}" role="img" {_attr(aria_label=label)} xmlns="http://www.w3.org/2000/svg">',
           f"<title>{escape(label)}</title>"]
    headers = {0: "Documents", 1: "Outlets", origin_column: "Origins"}
    for col in used:
        hx = slot[col] * col_width + 2
        text = headers.get(col, "Cited" if col == 2 else f"Cited ({col - 1})")
        out.append(f'<text x="{hx}" y="16" class="colhead">{escape(text)}</text>')
    widest = max((len(ids) for ids in edges.values()), default=1)
    for (a, b), ids in sorted(edges.items(), key=lambda e: len(e[1])):
        na, nb = nodes[a], nodes[b]
        x1, y1 = slot[na.column] * col_width + 2 + node_w, na.y + node_h / 2
        x2, y2 = slot[nb.column] * col_width + 2, nb.y + node_h / 2
        mid = (x1 + x2) / 2
        stroke = 1.2 + 4.5 * math.log1p(len(ids)) / math.log1p(widest)
        tip = f"{na.title} \u2192 {nb.title}: {len(ids)} claim{'s' if len(ids) != 1 else ''}"
        out.append(f'<path d="M{x1:.1f},{y1:.1f} C{mid:.1f},{y1:.1f} {mid:.1f},{y2:.1f} {x2:.1f},{y2:.1f}" fill="none" '
                   f'stroke="#8aa1b8" stroke-opacity="0.75" stroke-width="{stroke:.1f}"><title>{escape(tip)}</title></path>')
    for node in nodes.values():
        nx = slot[node.column] * col_width + 2
        is_origin = node.column == origin_column
        fill = node.colour
        text_colour = "#ffffff" if is_origin else "#1d2733"
        box = (f'<rect x="{nx}" y="{node.y:.1f}" width="{node_w}" height="{node_h}" rx="6" fill="{fill}" '
               f'stroke="{"#00000022" if is_origin else "#b8c6d6"}"/>')
        count = len(node.claims)
        badge = f" \u00b7 {count}" if is_origin else ""
        text = (f'<text x="{nx + 8}" y="{node.y + 17:.1f}" fill="{text_colour}" class="node{" origin" if is_origin else ""}">'
                f"{escape(node.label)}{escape(badge)}</text>")
        tip = f"<title>{escape(node.title)} ({count} claim{'s' if count != 1 else ''})</title>"
        inner = box + text + tip
        if node.href:
            out.append(f'<a {_attr(href=node.href)}>{inner}</a>')
        else:
            out.append(f"<g>{inner}</g>")
    out.append("</svg>")
    return Markup("".join(out))


def range_bar(estimate: dict | None, scale_max: float, width: int = 120) -> Markup:
    """A tiny bar for the overview: low..high with a tick at the best figure."""
    if not estimate or estimate.get("best") is None or scale_max <= 0:
        return Markup("")
    def pos(v):
        return 2 + min(max(math.log1p(v) / math.log1p(scale_max), 0), 1) * (width - 4)
    best = float(estimate["best"])
    low = float(estimate.get("low") if estimate.get("low") is not None else best)
    high = estimate.get("high")
    high = float(high) if high is not None and high != float("inf") else best
    out = [f'<svg class="rangebar" viewBox="0 0 {width} 12" width="{width}" height="12" aria-hidden="true" xmlns="http://www.w3.org/2000/svg">',
           f'<line x1="2" x2="{width - 2}" y1="6" y2="6" stroke="#e3e6ea" stroke-width="4" stroke-linecap="round"/>',
           f'<line x1="{pos(low):.1f}" x2="{max(pos(high), pos(low) + 1):.1f}" y1="6" y2="6" stroke="#7fa7cf" stroke-width="4" stroke-linecap="round"/>',
           f'<circle cx="{pos(best):.1f}" cy="6" r="4" fill="#0b4f8a"/></svg>']
    return Markup("".join(out))
