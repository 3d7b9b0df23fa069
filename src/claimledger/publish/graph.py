"""The provenance graph of a claim group: documents -> outlets -> cited sources -> origins.

Its origins are exactly the group's counted origins (the `origins` records the assessment
stored), one node each; every other source is one node too, whatever its spellings and
wherever it stands in the chains (registry id when the registry knows it, else its
normalized name), so echoes visibly converge on their origin.

Two drawings of the same paths: a layered SVG (documents left, origins right) that fits
the width of a laptop's page, and, for a phone, a tree in HTML that starts at each origin
and lists who relayed it, in which outlets and documents (full names, wrapping).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import pairwise
from urllib.parse import quote

from markupsafe import Markup, escape

from .charts import GRADE_COLOURS
from .sources import unregistered_key

WIDTH = 1100  # the SVG's own units: drawn 1:1 in a laptop's page, scaled down below that
COLUMN_GAP = 44
ROW = 32
NODE_H = 24
TOP = 30
ORIGIN_EXTRA = 0.35
CHAR_W = 7.4  # width of a 12px label character, generously (DejaVu Sans runs wide)


@dataclass
class Node:
    key: str
    name: str
    kind: str  # document, source, more
    href: str | None = None
    origin: bool = False
    reliability: str | None = None
    claims: set[str] = field(default_factory=set)
    layer: int = 0
    order: float = 0.0
    y: float = 0.0


@dataclass
class Provenance:
    nodes: dict[str, Node]
    edges: dict[tuple[str, str], set[str]]
    paths: list[tuple[list[str], str]]  # node keys from a document to where the claim ends; claim id
    documents: int

    @property
    def origins(self) -> list[Node]:
        return sorted((n for n in self.nodes.values() if n.origin), key=lambda n: (-len(n.claims), n.name.casefold()))


def _nicer(a: str, b: str) -> str:
    return a if sum(ch.isupper() for ch in a) >= sum(ch.isupper() for ch in b) else b


def build(members: list[dict], origins: list[dict], resolve, max_documents: int = 28) -> Provenance:
    """The paths of the claims of one group. `origins` are the group's origin records, each
    with its `key` (registry id, else normalized name) and `reliability`; `resolve(name)`
    gives (key, display name) of any cited name."""
    nodes: dict[str, Node] = {}
    edges: dict[tuple[str, str], set[str]] = defaultdict(set)
    origins_of: dict[str, list[str]] = defaultdict(list)
    for record in origins:
        key = record["key"]
        node = nodes.get(key)
        if node is None:
            node = nodes[key] = Node(key, record["name"], "source", href=_source_href(key), origin=True,
                                     reliability=record.get("reliability"))
        else:  # the same source under two spellings: one node
            node.name = _nicer(node.name, record["name"])
        for claim_id in record.get("claims") or []:
            node.claims.add(claim_id)  # all its claims, also those beyond the documents drawn
            if key not in origins_of[claim_id]:
                origins_of[claim_id].append(key)
    docs: list[str] = []
    paths: list[tuple[list[str], str]] = []

    def source(name: str, kind: str | None = None) -> str:
        # An unnamed source ("Western officials") is never a registry entry, as in the assessment.
        key, display = (unregistered_key(name), name) if kind == "anonymous" else resolve(name)
        if key not in nodes:
            nodes[key] = Node(key, display, "source", href=_source_href(key))
        return key

    for claim in members:
        doc = claim["doc"]
        if doc not in docs:
            docs.append(doc)
        if docs.index(doc) < max_documents:
            doc_key = "doc:" + doc
            nodes.setdefault(doc_key, Node(doc_key, claim.get("title") or doc, "document",
                                           href="/documents/" + quote(doc, safe="")))
        else:
            doc_key = "doc:+more"
            nodes.setdefault(doc_key, Node(doc_key, "", "more"))
            nodes[doc_key].name = f"+{len(docs) - max_documents} more documents"
        outlet = source(claim.get("outlet") or "unknown outlet")
        for path in _claim_paths(claim, outlet, origins_of.get(claim["id"], []), source, nodes):
            path = _without_loops([doc_key, *path])
            paths.append((path, claim["id"]))
            for key in path:
                if not nodes[key].origin:
                    nodes[key].claims.add(claim["id"])
            for a, b in pairwise(path):
                edges[(a, b)].add(claim["id"])
    linked = {key for edge in edges for key in edge}
    nodes = {k: n for k, n in nodes.items() if n.origin or k in linked}  # a hop that became its origin
    return Provenance(nodes, edges, paths, len(docs))


def _claim_paths(claim: dict, outlet: str, claim_origins: list[str], source, nodes) -> list[list[str]]:
    """outlet -> relays -> origin, one path per chain. A chain's last hop is the origin when
    it is one of the claim's counted origins; an unregistered last hop stands for the
    counted origin it became ("South Korean officials" cited by Harbor Wire); otherwise the
    counted origin lies beyond the chain (another report showed whom its last hop cited)."""
    unmatched = list(claim_origins)
    paths = []
    for chain in claim.get("chains") or []:
        hops = [source(hop["name"], hop.get("kind")) for hop in chain]
        if hops and hops[-1] in claim_origins:
            if hops[-1] in unmatched:
                unmatched.remove(hops[-1])
            paths.append([outlet, *hops])
            continue
        if hops and unmatched and not nodes[hops[-1]].origin and _unregistered(hops[-1]) and _unregistered(unmatched[0]):
            paths.append([outlet, *hops[:-1], unmatched.pop(0)])
            continue
        target = unmatched.pop(0) if unmatched else (claim_origins[0] if claim_origins else None)
        paths.append([outlet, *hops] + ([target] if target else []))
    if not paths:  # the document asserts it: the outlet, or the origin its other reports name
        target = [] if outlet in claim_origins else claim_origins[:1]
        paths.append([outlet, *target])
        unmatched = [k for k in unmatched if k != outlet and k not in target]
    for key in unmatched:  # a counted origin no chain reached
        paths.append([outlet, key])
    return paths


def _unregistered(key: str) -> bool:
    return key.startswith("unregistered:")


def _without_loops(path: list[str]) -> list[str]:
    out: list[str] = []
    for key in path:
        if key in out:
            out = out[: out.index(key) + 1]
        else:
            out.append(key)
    return out


def _source_href(key: str) -> str:
    return "/sources/" + quote(key, safe="")


# ---------------------------------------------------------------- layout

def _layers(p: Provenance) -> int:
    """Longest path from the documents (back edges of a cycle ignored); origins that lead
    nowhere further stand in the last column. Returns the last layer's number."""
    successors: dict[str, list[str]] = defaultdict(list)
    for a, b in p.edges:
        successors[a].append(b)
    state: dict[str, int] = {}
    order: list[str] = []
    forward: set[tuple[str, str]] = set()
    for start in sorted(k for k, n in p.nodes.items() if n.kind != "source"):
        stack = [(start, iter(sorted(successors[start])))]
        state[start] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                order.append(node)
                stack.pop()
            elif state.get(child) == 1:
                continue  # a back edge: A cites B in one report, B cites A in another
            else:
                forward.add((node, child))
                if child not in state:
                    state[child] = 1
                    stack.append((child, iter(sorted(successors[child]))))
    for key in reversed(order):
        for child in successors[key]:
            if (key, child) in forward:
                p.nodes[child].layer = max(p.nodes[child].layer, p.nodes[key].layer + 1)
    last = max((n.layer for n in p.nodes.values()), default=0)
    leads_on = {a for a, _ in forward}
    for node in p.nodes.values():
        if node.origin and node.key not in leads_on:
            node.layer = last
    return last


def _order(p: Provenance, last: int) -> dict[int, list[Node]]:
    """Origins by weight; every other column by where its edges lead (barycentres), two
    sweeps, so that lines cross little."""
    columns: dict[int, list[Node]] = defaultdict(list)
    for node in p.nodes.values():
        columns[node.layer].append(node)
    nxt: dict[str, list[str]] = defaultdict(list)
    prev: dict[str, list[str]] = defaultdict(list)
    for a, b in p.edges:
        nxt[a].append(b)
        prev[b].append(a)
    columns[last].sort(key=lambda n: (-len(n.claims), n.name.casefold()))
    for i, node in enumerate(columns[last]):
        node.order = i

    def sweep(layers, links):
        for layer in layers:
            for node in columns[layer]:
                linked = [p.nodes[k].order for k in links[node.key] if p.nodes[k].layer != layer]
                node.order = sum(linked) / len(linked) if linked else 1e6 - len(node.claims)
            columns[layer].sort(key=lambda n: (n.order, -len(n.claims), n.name.casefold()))
            for i, node in enumerate(columns[layer]):
                node.order = i

    sweep(range(last - 1, -1, -1), nxt)
    sweep(range(1, last), prev)
    sweep(range(last - 1, -1, -1), nxt)
    return columns


def graph_svg(p: Provenance) -> Markup:
    """The layered drawing, WIDTH units wide whatever the number of columns: labels are
    cut to their box, the full name is the node's title (hover) and data-tip (tap)."""
    if not p.nodes:
        return Markup("")
    last = _layers(p)
    columns = _order(p, last)
    count = last + 1
    # The origins' column is a third wider than the others: their names matter most.
    node_w = min(230.0, (WIDTH - (count - 1) * COLUMN_GAP) / (count + (ORIGIN_EXTRA if count > 1 else 0)))
    origin_w = node_w * (1 + ORIGIN_EXTRA) if count > 1 else node_w
    step = (WIDTH - origin_w) / (count - 1) if count > 1 else 0

    def width_of(node: Node) -> float:
        return origin_w if node.layer == last else node_w

    tallest = max(len(ns) for ns in columns.values())
    height = TOP + tallest * ROW + 6
    for layer, ns in columns.items():
        offset = TOP + (tallest - len(ns)) * ROW / 2
        for i, node in enumerate(ns):
            node.y = offset + i * ROW
    origins = len(p.origins)
    label = (f"Provenance: {p.documents} document{'s' if p.documents != 1 else ''} trace back to "
             f"{origins} origin{'s' if origins != 1 else ''}")
    out = [(f'<svg class="graph" viewBox="0 0 {WIDTH} {height:.0f}" role="img" aria-label="{escape(label)}" '
            f'xmlns="http://www.w3.org/2000/svg"><title>{escape(label)}</title>')]
    for layer in range(count):
        text = "Documents" if layer == 0 else "Origins" if layer == last else "Outlets" if layer == 1 else (
            "Cited" if layer == 2 else f"Cited ({layer - 1})")
        out.append(f'<text x="{layer * step:.1f}" y="16" class="colhead">{escape(text)}</text>')
    widest = max((len(ids) for ids in p.edges.values()), default=1)
    for (a, b), ids in sorted(p.edges.items(), key=lambda e: len(e[1])):
        na, nb = p.nodes[a], p.nodes[b]
        forward = nb.layer > na.layer
        x1 = na.layer * step + (width_of(na) if forward else 0)
        x2 = nb.layer * step + (0 if forward else width_of(nb))
        y1, y2 = na.y + NODE_H / 2, nb.y + NODE_H / 2
        bend = (x2 - x1) / 2 if forward else -60
        stroke = 1.2 + 4.5 * math.log1p(len(ids)) / math.log1p(widest)
        tip = f"{na.name} \u2192 {nb.name}: {len(ids)} claim{'s' if len(ids) != 1 else ''}"
        out.append(f'<path d="M{x1:.1f},{y1:.1f} C{x1 + bend:.1f},{y1:.1f} {x2 - bend:.1f},{y2:.1f} {x2:.1f},{y2:.1f}" '
                   f'fill="none" stroke="#8aa1b8" stroke-opacity="0.75" stroke-width="{stroke:.1f}">'
                   f"<title>{escape(tip)}</title></path>")
    for node in p.nodes.values():
        width = width_of(node)
        out.append(_node_svg(node, node.layer * step, width, max(6, int((width - 16) / CHAR_W))))
    out.append("</svg>")
    return Markup("".join(out))


def _node_svg(node: Node, x: float, width: float, chars: int) -> str:
    count = len(node.claims)
    badge = f" \u00b7 {count}" if node.origin else ""
    label = _shorten(node.name, chars - len(badge), middle=node.kind == "source") + badge
    what = "origin" if node.origin else node.kind
    tip = f"{node.name} ({what}; {count} claim{'s' if count != 1 else ''})"
    if node.origin:
        fill, stroke, ink = GRADE_COLOURS.get(node.reliability or "F", "#6b6b6b"), "#00000022", "#ffffff"
    else:
        fill, stroke, ink = ("#dfe6ee" if node.kind == "document" else "#e8eef5"), "#b8c6d6", "#1d2733"
    inner = (f'<rect x="{x:.1f}" y="{node.y:.1f}" width="{width:.1f}" height="{NODE_H}" rx="6" fill="{fill}" stroke="{stroke}"/>'
             f'<text x="{x + 8:.1f}" y="{node.y + 16:.1f}" fill="{ink}" class="node g-{what}">{escape(label)}</text>'
             f"<title>{escape(tip)}</title>")
    key = escape(node.key)
    if node.href:
        return f'<a href="{escape(node.href)}" data-tip="{escape(tip)}" data-key="{key}" class="g-{what}">{inner}</a>'
    return f'<g data-tip="{escape(tip)}" data-key="{key}" class="g-{what}">{inner}</g>'


def _shorten(text: str, limit: int, middle: bool = False) -> str:
    """The text cut to `limit` characters; a source's name is cut in the middle, so that
    "South Korean officials (via Harbor Wire)" keeps what tells it from its neighbours."""
    limit = max(limit, 4)
    if len(text) <= limit:
        return text
    if middle and limit >= 16:
        tail = (limit - 1) * 2 // 5
        return text[: limit - 1 - tail].rstrip() + "\u2026" + text[-tail:].lstrip()
    return text[: limit - 1].rstrip() + "\u2026"


# ---------------------------------------------------------------- the tree, for a phone

def graph_tree(p: Provenance) -> Markup:
    """Each origin, then who relayed it, in which outlets and documents (nearest the origin
    first): the same paths as the graph, read top to bottom."""
    if not p.nodes:
        return Markup("")
    trie: dict = {}
    for path, _ in p.paths:
        end = p.nodes[path[-1]]
        root = path[-1] if end.origin else "__uncounted__"
        hops = list(reversed(path[1:-1] if end.origin else path[1:]))
        branch = trie.setdefault(root, {"children": {}, "docs": []})
        for key in hops:
            branch = branch["children"].setdefault(key, {"children": {}, "docs": []})
        if path[0] not in branch["docs"]:
            branch["docs"].append(path[0])
    items = []
    for i, origin in enumerate(o for o in p.origins if o.key in trie):
        count = len(origin.claims)
        grade = origin.reliability or "F"
        docs = len({path[0] for path, _ in p.paths if path[-1] == origin.key})
        head = (f'<span class="grade grade-{grade.lower()}" title="reliability {grade}">{grade}</span> '
                f'<span class="pt-name">{escape(origin.name)}</span> <span class="muted small">{count} claim{"s" if count != 1 else ""}'
                f', {docs} document{"s" if docs != 1 else ""}</span>')
        items.append(f'<li class="pt-origin" data-key="{escape(origin.key)}"><details{" open" if i < 2 else ""}>'
                     f'<summary>{head}</summary><p class="pt-open">{_link(origin, "the source")}</p>'
                     f'{_branch(p, trie[origin.key], 0)}</details></li>')
    if "__uncounted__" in trie:
        items.append('<li class="pt-origin pt-uncounted"><details><summary><span class="muted">Not counted as an origin '
                     f'(refuted, or no origin found)</span></summary>{_branch(p, trie["__uncounted__"], 0)}</details></li>')
    return Markup(f'<ol class="ptree" aria-label="Provenance, each origin first">{"".join(items)}</ol>')


def _branch(p: Provenance, branch: dict, depth: int) -> str:
    rows = []
    docs = [p.nodes[k] for k in branch["docs"]]
    if docs:
        listed = "; ".join(_link(d) for d in docs)
        rows.append(f'<li class="pt-docs"><span class="pt-role">{"its own reports" if depth == 0 else "in"}</span> {listed}</li>')
    for key, child in sorted(branch["children"].items(), key=lambda kv: p.nodes[kv[0]].name.casefold()):
        role = "published by" if not child["children"] and child["docs"] else "relayed by"
        rows.append(f'<li><span class="pt-role">{role}</span> {_link(p.nodes[key])}{_branch(p, child, depth + 1)}</li>')
    return f"<ul>{''.join(rows)}</ul>" if rows else ""


def _link(node: Node, text: str | None = None) -> str:
    if node.href:
        return f'<a href="{escape(node.href)}">{escape(text or node.name)}</a>'
    return f"<span>{escape(text or node.name)}</span>"
