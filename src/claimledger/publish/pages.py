"""The server-rendered pages: overview, search, claim group, source, document, login,
audit trail and the API reference. Filters arrive as query strings typed by people, so
an unknown value is ignored rather than refused; every value reaches SQL as a bound
parameter and every text reaches HTML through Jinja2's autoescaping."""

from __future__ import annotations

import re
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from . import actions, graph, queries
from .app import ApiError
from .auth import CSRF_COOKIE, SESSION_COOKIE, SESSION_SECONDS
from .charts import chart_legend, estimates_chart, range_bar, series_of
from .highlight import highlight
from .present import group_href, origin_key, origin_keys, party_words, source_href, with_titles
from .sources import country_names, resolve_source, source_claims, track_record

router = APIRouter(include_in_schema=False)
PAGE = 25
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_GRADE = re.compile(r"^[A-F][1-6]?$")


def _ctx(request: Request):
    return request.app.state.ctx


def render(request: Request, template: str, data: dict, status: int = 200) -> HTMLResponse:
    """A page, with the analyst (if logged in) and a CSRF token for its forms."""
    context = _ctx(request)
    seed = request.cookies.get(CSRF_COOKIE)
    new_seed = None
    if not seed:
        seed = new_seed = context.auth.new_csrf_seed()
    data = {
        "user": context.auth.session_user(request),
        "auth_enabled": context.auth.enabled,
        "csrf": context.auth.csrf_token(seed),
        "path": request.url.path,
        **data,
    }
    response = request.app.state.templates.TemplateResponse(request, template, data, status_code=status)
    if new_seed:
        response.set_cookie(CSRF_COOKIE, new_seed, httponly=True, samesite="strict",
                            secure=request.url.scheme == "https", path="/")
    return response


def _clean(value: str | None, limit: int = 200) -> str | None:
    value = (value or "").strip()[:limit]
    return value or None


def _date(value: str | None) -> str | None:
    value = _clean(value, 10)
    return value if value and _DATE.match(value) else None


def _offset(value: str | None) -> int:
    return int(value) if value and value.isdigit() and len(value) < 9 else 0


def safe_next(target: str | None) -> str:
    """Only a path on this site: never `//evil.example` or `javascript:`."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return "/"
    return target


def split_sentence(claim: dict) -> tuple[str, str, str]:
    """The sentence around the claim's content span: (before, span, after)."""
    sentence, text = claim.get("sentence") or "", claim.get("text") or ""
    at = sentence.find(text) if text else -1
    if at < 0:
        return sentence, "", ""
    return sentence[:at], text, sentence[at + len(text):]


def _resolver(index, registry):
    """(key, display name) of a cited name: the sources index first (what the ledger was
    counted with), else resolve_source."""
    def resolve(name: str) -> tuple[str, str]:
        key = index.key_of.get(name)
        if key and key in index.sources:
            return key, index.sources[key].name
        key, display, _ = resolve_source(name, registry)
        return key, (index.sources[key].name if key in index.sources else display)
    return resolve


def _reliability_of(index, registry):
    def reliability(key: str) -> str:
        source = index.get(key)
        if source:
            return source.reliability
        entry = registry.get(key)
        return entry.reliability if entry else "F"
    return reliability


def _titled(conn, page: queries.Page) -> queries.Page:
    with_titles(conn, page.items)
    return page


@router.get("/", response_class=HTMLResponse)
def overview(request: Request, view: str = "reports", q: str | None = None, event: str | None = None,
             location: str | None = None, origin: str | None = None, grade: str | None = None,
             since: str | None = None, until: str | None = None, offset: str | None = None):
    context = _ctx(request)
    view = view if view in queries.VIEWS else "reports"
    filters = {
        "q": _clean(q), "event": event if event in queries.EVENTS else None, "location": _clean(location),
        "grade": grade if grade and _GRADE.match(grade) else None, "since": _date(since), "until": _date(until),
    }
    origin = _clean(origin, 500)
    with context.engine.connect() as conn:
        index = context.sources.get(conn)
        names = None
        if origin:
            source = index.get(origin)
            names = sorted(source.names) if source else [origin]
        start = _offset(offset)
        page = context.sources.answer(
            conn, ("overview", view, start, tuple(names or ()) if names is not None else None, *filters.values()),
            lambda connection: _titled(connection, queries.list_clusters(
                connection, PAGE, start, view=view, origin_names=names, summaries=True, **filters)),
        )
        stats = context.sources.memo(conn, "stats", queries.stats)
        facets = context.sources.memo(conn, "facets", queries.facets)
    scale = max([(c.get("estimate") or {}).get("high") or (c.get("estimate") or {}).get("best") or 0
                 for c in page.items if (c.get("estimate") or {}).get("high") != float("inf")] + [1])
    params = {k: v for k, v in {**filters, "origin": origin}.items() if v}
    origins = [s for s in index.ranked() if s.originated][:60]
    return render(request, "overview.html", {
        "nav": "overview", "page": page, "view": view, "views": queries.VIEWS, "filters": filters,
        "origin": origin, "origins": origins, "stats": stats, "facets": facets, "events": queries.EVENTS,
        "params": params, "query": lambda **extra: urlencode({**params, "view": view, **extra}),
        "bar": lambda est: range_bar(est, scale), "q": filters["q"],
    })


@router.get("/search", response_class=HTMLResponse)
def search(request: Request, q: str | None = None):
    context = _ctx(request)
    q = _clean(q)
    result = {"groups": [], "claims": [], "documents": [], "sources": []}
    totals = {}
    if q:
        def find(conn):
            groups = queries.list_clusters(conn, 20, 0, q=q, summaries=True)
            claims = queries.list_claims(conn, 30, 0, q=q)
            docs = queries.list_documents(conn, 20, 0, q=q)
            return ({"groups": with_titles(conn, groups.items), "claims": claims.items, "documents": docs.items,
                     "sources": context.sources.get(conn).find(q, 20)},
                    {"groups": groups.total, "claims": claims.total, "documents": docs.total})

        with context.engine.connect() as conn:
            result, totals = context.sources.answer(conn, ("search", q), find)
    return render(request, "search.html", {"nav": "search", "q": q, "result": result, "totals": totals,
                                           "split_sentence": split_sentence})


MEMBERS_PER_PAGE = 100
GRAPH_DOCUMENTS = 60


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


CONFLICT_PAIRS = 12
TABLE_POINTS = 300  # figures listed under the chart; a group of thousands has its API


def origin_rows(cluster: dict, reliability_of, registry) -> list[dict]:
    """The group's counted origins, one row per source (two spellings of one source are
    one row), each with its key, reliability and party in words, most claims first."""
    countries = country_names(registry.files)

    def entry_name(party: str) -> str | None:
        entry = registry.get(party)
        return entry.name if entry else None

    rows: dict[str, dict] = {}
    for origin in cluster.get("origins") or []:
        # The assessment resolved each origin already: its registry id, else its name.
        key = origin_key(origin)
        row = rows.get(key)
        # A big group's summary lists an origin's first claims only, and how many it has.
        count = origin.get("claim_count", len(origin.get("claims") or []))
        if row is None:
            rows[key] = dict(origin, key=key, claims=list(origin.get("claims") or []), claim_count=count,
                             reliability=origin.get("reliability") or reliability_of(key),
                             party_words=party_words(origin, countries, entry_name))
            continue
        if sum(ch.isupper() for ch in origin["name"]) > sum(ch.isupper() for ch in row["name"]):
            row["name"] = origin["name"]  # "Several media reports" over "several media reports"
        added = [c for c in origin.get("claims") or [] if c not in row["claims"]]
        row["claims"] += added
        row["claim_count"] += count if "claim_count" in origin else len(added)
    return sorted(rows.values(), key=lambda r: (-r["claim_count"], r["name"].casefold()))


def audit_links(conn, rows: list[dict], index) -> list[dict]:
    """Audit rows with a link to what each decision changed and a label for it."""
    claims: dict[str, dict | None] = {}
    undone = {row["value"] for row in rows if row["action"] == "undo"}
    out = []
    for row in rows:
        target, target_id = row["target"], row["target_id"]
        if target == "cluster":
            href, label = group_href(target_id), f"group {target_id}"
        elif target == "claim":
            if target_id not in claims:
                claims[target_id] = queries.get_claim(conn, target_id)
            claim = claims[target_id]
            href = (f"{group_href(claim['cluster'])}#member-{target_id}" if claim and claim.get("cluster")
                    else f"/claims/{quote(target_id, safe='')}")
            label = f"claim {target_id}"
        else:
            source = index.get(target_id)
            href, label = source_href(target_id), (source.name if source else target_id)
        out.append(dict(row, href=href, label=label, undone=str(row["id"]) in undone))
    return out


def _decision(conn, request: Request, index) -> dict | None:
    """The decision just recorded (`?done=ID`), for the confirmation shown after it."""
    found = actions.decision(conn, _int(request.query_params.get("done"), 0))
    return audit_links(conn, [found], index)[0] if found else None


@router.get("/groups/{group_id}", response_class=HTMLResponse)
def group(request: Request, group_id: str):
    context = _ctx(request)
    page = max(1, _int(request.query_params.get("page"), 1))
    with context.engine.connect() as conn:
        shown = context.sources.answer(conn, ("group", group_id, page),
                                       lambda connection: _group_view(connection, context, group_id, page))
        if shown is None:
            raise ApiError(404, "not_found", f"no claim group {group_id!r}")
        done = _decision(conn, request, context.sources.get(conn))
    was = request.query_params.get("was")
    return render(request, "group.html", {
        **shown, "done": done, "was": was if was and _GRADE.match(was) else None,
    })


def _group_view(conn, context, group_id: str, page: int) -> dict | None:
    """What a group's page shows (but the decision just made), the same for every
    request in one state of the ledger. A group of thousands of reports: its summary
    (long lists cut, timeline merged by period), its claims a page at a time, the
    provenance graph drawn from the reports of its first GRAPH_DOCUMENTS documents."""
    cluster = queries.get_cluster_summary(conn, group_id)
    if cluster is None:
        return None
    members = queries.group_members(conn, group_id, MEMBERS_PER_PAGE, (page - 1) * MEMBERS_PER_PAGE,
                                    GRAPH_DOCUMENTS)
    pages = max(1, -(-members.count // MEMBERS_PER_PAGE))
    if page > pages:  # past the last page: the last page
        page = pages
        members = queries.group_members(conn, group_id, MEMBERS_PER_PAGE, (page - 1) * MEMBERS_PER_PAGE,
                                        GRAPH_DOCUMENTS)
    shown = members.page
    by_id = {m["id"]: m for m in [*shown, *members.graph]}
    pair_ids = (cluster.get("conflicting_claims") or [])[:CONFLICT_PAIRS]
    missing = sorted({i for pair in pair_ids for i in pair} - set(by_id))
    by_id.update({m["id"]: m for m in queries.claims_by_ids(conn, missing)})
    with_titles(conn, [cluster])
    index = context.sources.get(conn)
    resolve = _resolver(index, context.registry)
    origins = origin_rows(cluster, _reliability_of(index, context.registry), context.registry)
    targets = [("cluster", group_id)] + [("claim", m["id"]) for m in shown] + [("source", o["key"]) for o in origins]
    audit = audit_links(conn, queries.overrides_for(conn, targets), index)
    neighbours = (with_titles(conn, queries.list_clusters(conn, 40, 0, event=cluster.get("event"), summaries=True).items)
                  if cluster.get("event") else [])
    points = queries.timeline(cluster, members.graph)
    series = series_of(points, key_of=origin_keys(cluster))
    provenance = graph.build(members.graph, origins, resolve)
    claim_origin: dict[str, dict] = {}
    for origin in origins:
        for claim_id in origin["claims"]:
            claim_origin.setdefault(claim_id, origin)
    pairs = [(by_id[a], by_id[b]) for a, b in pair_ids if a in by_id and b in by_id]
    return {
        "nav": "overview", "cluster": cluster, "member_count": members.count, "shown": shown, "page": page,
        "pages": pages, "per_page": MEMBERS_PER_PAGE, "audit": audit,
        "active_verdicts": [a for a in audit if a["active"] and a["target"] == "cluster" and a["action"] != "undo"],
        "refuted": {a["target_id"] for a in audit if a["active"] and a["target"] == "claim" and a["action"] == "refute"},
        "chart": estimates_chart(series, cluster.get("event")),
        "chart_narrow": estimates_chart(series, cluster.get("event"), width=360, height=300, compact=True),
        "legend": chart_legend(series), "series": series, "points": points,
        "graph": graph.graph_svg(provenance), "tree": graph.graph_tree(provenance),
        "origins": origins, "claim_origin": claim_origin, "pairs": pairs, "split_sentence": split_sentence,
        "neighbours": [n for n in neighbours if n["id"] != group_id],
        "documents": members.documents, "TABLE_POINTS": TABLE_POINTS,
    }


@router.get("/claims/{claim_id}")
def claim(request: Request, claim_id: str):
    with _ctx(request).engine.connect() as conn:
        found = queries.get_claim(conn, claim_id)
    if found is None:
        raise ApiError(404, "not_found", f"no claim {claim_id!r}")
    from .present import doc_href

    return RedirectResponse(f"{doc_href(found['doc'])}#claim-{found['id']}", status_code=303)


@router.get("/sources", response_class=HTMLResponse)
def sources(request: Request, q: str | None = None, kind: str | None = None, offset: str | None = None):
    context = _ctx(request)
    q, kind = _clean(q), _clean(kind, 40)
    with context.engine.connect() as conn:
        index = context.sources.get(conn)
    items = index.find(q, 10**9) if q else index.ranked()
    kinds = sorted({s.kind for s in index.sources.values() if s.kind})
    if kind:
        items = [s for s in items if s.kind == kind]
    start = _offset(offset)
    page = queries.Page(items[start : start + 50], len(items), 50, start)
    params = {k: v for k, v in {"q": q, "kind": kind}.items() if v}
    return render(request, "sources.html", {
        "nav": "sources", "page": page, "q_sources": q, "kind": kind, "kinds": kinds,
        "query": lambda **extra: urlencode({**params, **extra}),
    })


@router.get("/sources/{key:path}", response_class=HTMLResponse)
def source(request: Request, key: str, offset: str | None = None):
    context = _ctx(request)
    with context.engine.connect() as conn:
        found = context.sources.get(conn).lookup(key)
        if found is None:
            raise ApiError(404, "not_found", f"no source {key!r}")
        record = track_record(conn, found)
        originated = source_claims(conn, found, "originated", 30, _offset(offset))
        relayed = source_claims(conn, found, "relayed", 30, 0)
        groups = with_titles(conn, [g for g in queries.clusters_by_ids(conn, record["group_ids"][:40], summaries=True) if g])
        index = context.sources.get(conn)
        audit = audit_links(conn, queries.overrides_for(conn, [("source", found.key)]), index)
        done = _decision(conn, request, index)
    info = found.as_dict(context.registry)
    party = party_words({"name": found.name, "party": info["party"], "registry_id": info["registry_id"]},
                        country_names(context.registry.files),
                        lambda pid: context.registry.get(pid).name if context.registry.get(pid) else None)
    return render(request, "source.html", {
        "nav": "sources", "source": found, "info": info, "record": record, "party": party,
        "originated": originated, "relayed": relayed, "groups": groups, "audit": audit,
        "split_sentence": split_sentence, "done": done,
    })


@router.get("/documents", response_class=HTMLResponse)
def documents(request: Request, q: str | None = None, outlet: str | None = None, offset: str | None = None):
    context = _ctx(request)
    q, outlet = _clean(q), _clean(outlet, 500)
    with context.engine.connect() as conn:
        page = queries.list_documents(conn, 50, _offset(offset), q=q, outlet=outlet)
    params = {k: v for k, v in {"q": q, "outlet": outlet}.items() if v}
    return render(request, "documents.html", {
        "nav": "documents", "page": page, "q_docs": q, "outlet": outlet,
        "query": lambda **extra: urlencode({**params, **extra}),
    })


@router.get("/documents/{doc_id:path}", response_class=HTMLResponse)
def document(request: Request, doc_id: str):
    context = _ctx(request)
    with context.engine.connect() as conn:
        doc = queries.get_document(conn, doc_id)
        if doc is None:
            raise ApiError(404, "not_found", f"no document {doc_id!r}")
        claims = queries.document_claims(conn, doc["version_id"])
        index = context.sources.get(conn)
    blocks = highlight(doc["text"], doc["quoted"], claims)
    outlet_key = _resolver(index, context.registry)(doc["outlet"])[0] if doc.get("outlet") else None
    return render(request, "document.html", {
        "nav": "documents", "doc": doc, "claims": claims, "blocks": blocks, "outlet_key": outlet_key,
    })


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str | None = None):
    return render(request, "login.html", {"next": safe_next(next), "failed": False})


@router.post("/login")
async def login(request: Request):
    context = _ctx(request)
    form = await request.form()
    target = safe_next(str(form.get("next") or "/"))
    if not context.auth.csrf_ok(request, str(form.get("csrf") or "")):
        raise ApiError(403, "csrf", "the form expired or did not come from this site: reload the page and try again")
    if not context.auth.enabled:
        raise ApiError(403, "read_only", "this ledger is read-only: no API token is configured")
    who = str(form.get("who") or "").strip()[:100]
    if not context.auth.verify(request, str(form.get("token") or "")) or not who:
        return render(request, "login.html", {"next": target, "failed": True, "who": who}, status=401)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(SESSION_COOKIE, context.auth.make_session(who), max_age=SESSION_SECONDS, httponly=True,
                        samesite="strict", secure=request.url.scheme == "https", path="/")
    return response


@router.post("/logout")
async def logout(request: Request):
    form = await request.form()
    if not _ctx(request).auth.csrf_ok(request, str(form.get("csrf") or "")):
        raise ApiError(403, "csrf", "the form expired or did not come from this site: reload the page and try again")
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.post("/actions/override")
async def override(request: Request):
    """Every analyst action of the UI: a form naming target, target_id, action, value, why."""
    context = _ctx(request)
    form = await request.form()
    if not context.auth.csrf_ok(request, str(form.get("csrf") or "")):
        raise ApiError(403, "csrf", "the form expired or did not come from this site: reload the page and try again")
    who = context.auth.session_user(request)
    if who is None:
        raise ApiError(401, "unauthorized", "log in with the API token to change the ledger")
    fields = {name: str(form.get(name) or "") for name in ("target", "target_id", "action", "value", "why")}
    was = actions.grade_before(context, fields["target"], fields["target_id"], fields["action"], fields["value"])
    try:
        if fields["action"] == "undo":
            outcome = actions.undo(context, _int(fields["value"], 0), who, fields["why"])
        else:
            outcome = actions.record(context, fields["target"], fields["target_id"], fields["action"],
                                     fields["value"] or None, who, fields["why"])
    except actions.InvalidAction as exc:
        raise ApiError(400, "invalid_action", exc.message) from exc
    target = safe_next(str(form.get("next") or "/")).split("?", 1)[0].split("#", 1)[0]
    if outcome.group and (target.startswith("/groups/") or fields["target"] == "claim"):
        target = group_href(outcome.group)
    done = urlencode({"done": outcome.override["id"], **({"was": was} if was else {})})
    return RedirectResponse(f"{target}?{done}#done", status_code=303)


@router.get("/audit", response_class=HTMLResponse)
def audit(request: Request, offset: str | None = None):
    context = _ctx(request)
    with context.engine.connect() as conn:
        page = queries.list_overrides(conn, 50, _offset(offset))
        index = context.sources.get(conn)
        rows = audit_links(conn, page.items, index)
        done = _decision(conn, request, index)
    page = queries.Page(rows, page.total, page.limit, page.offset)
    return render(request, "audit.html", {"nav": "audit", "page": page, "done": done,
                                          "query": lambda **extra: urlencode(extra)})


@router.get("/docs", response_class=HTMLResponse)
def api_docs(request: Request):
    schema = request.app.openapi()
    return render(request, "apidocs.html", {"nav": "api", "schema": schema})
