"""The JSON API under /api, documented by the app's OpenAPI schema (/openapi.json, /docs).

Reads need nothing; the one write (an analyst's override) needs `Authorization: Bearer
<token>`. Lists answer `{items, total, limit, offset}`. Handlers return JSONResponse
directly (the response models document the shapes without re-validating every item).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field

from . import actions, queries
from .app import ApiError
from .sources import source_claims, track_record

Event = Literal["killed", "wounded", "casualties", "captured", "missing", "deployed", "strike", "combat", "other"]
View = Literal["reports", "recent", "contradictions", "spreading"]
DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
GRADE = r"^[A-F][1-6]?$"

Limit = Annotated[int, Query(ge=1, le=queries.MAX_LIMIT, description="Items per page.")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="Items to skip.")]
# No text may hold a NUL (app.Guard answers 400 before any route is reached).
NO_NUL = r"^[^\x00]*$"
Text = Annotated[str | None, Query(max_length=200, pattern=NO_NUL)]
Id = Annotated[str, Path(max_length=2000, pattern=NO_NUL)]
# Some character that is not blank (Python's strip() also drops the separators \x1c-\x1f), no NUL.
NOT_BLANK = r"^[^\x00]*[^\s\x1c-\x1f\x00][^\x00]*$"
Date = Annotated[str | None, Query(pattern=DATE, description="ISO date, year-month or year.")]
Grade = Annotated[str | None, Query(pattern=GRADE, description='A grade ("B2") or a reliability letter ("B").')]


class ErrorBody(BaseModel):
    code: str
    message: str


class ErrorOut(BaseModel):
    error: ErrorBody


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class ClaimOut(_Open):
    id: str
    doc: str
    outlet: str | None = None
    published: str | None = None
    sentence: str
    text: str
    start: int
    end: int
    kind: str
    event: str | None = None
    quantity: dict | None = None
    subject: str | None = None
    location: str | None = None
    time: dict | None = None
    chains: list[list[dict]]
    stance: str
    hedges: list[str]
    cluster: str | None = None
    grade: str | None = None
    explanation: str | None = None


class GroupOut(_Open):
    id: str
    event: str | None = None
    subject: str | None = None
    location: str | None = None
    claims: list[str]
    estimate: dict | None = None
    origins: list[dict]
    independent_origins: int
    reports: int
    contradiction: bool
    grade: str | None = None
    explanation: str | None = None


class OverrideOut(BaseModel):
    id: int
    target: str
    target_id: str
    action: str
    value: str | None = None
    who: str
    why: str
    at: str
    active: bool


class GroupDetail(GroupOut):
    members: list[ClaimOut]
    member_count: int
    limit: int
    offset: int
    audit: list[OverrideOut]


class _DocumentBase(_Open):
    id: str
    version_id: str
    version: int
    title: str | None = None
    outlet: str | None = None
    published: str | None = None
    url: str | None = None


class DocumentOut(_DocumentBase):
    input_kind: str
    claims: int | None = None


class DocumentDetail(_DocumentBase):
    text: str
    quoted: list[list[Any]]
    claims: list[ClaimOut]


class SourceOut(_Open):
    key: str
    name: str
    registry_id: str | None = None
    kind: str | None = None
    country: str | None = None
    reliability: str
    originated: int
    relayed: int
    published: int


class SourceDetail(SourceOut):
    track_record: dict
    originated_claims: list[ClaimOut]
    relayed_claims: list[ClaimOut]


class ClaimPage(BaseModel):
    items: list[ClaimOut]
    total: int
    limit: int
    offset: int


class GroupPage(BaseModel):
    items: list[GroupOut]
    total: int
    limit: int
    offset: int


class DocumentPage(BaseModel):
    items: list[DocumentOut]
    total: int
    limit: int
    offset: int


class SourcePage(BaseModel):
    items: list[SourceOut]
    total: int
    limit: int
    offset: int


class OverridePage(BaseModel):
    items: list[OverrideOut]
    total: int
    limit: int
    offset: int


class SearchOut(BaseModel):
    query: str
    groups: list[GroupOut]
    claims: list[ClaimOut]
    documents: list[DocumentOut]
    sources: list[SourceOut]


class LedgerOut(_Open):
    claims: list[ClaimOut]
    clusters: list[GroupOut]


class StatsOut(BaseModel):
    documents: int
    claims: int
    groups: int
    outlets: int
    overrides: int


class _Decision(BaseModel):
    model_config = ConfigDict(extra="forbid")
    target_id: str = Field(min_length=1, max_length=2000, pattern=NO_NUL, description="The id (a source's key) it concerns.")
    who: str = Field(min_length=1, max_length=200, pattern=NOT_BLANK, description="Who decides (for the audit trail).")
    why: str = Field(min_length=1, max_length=actions.MAX_WHY, pattern=NOT_BLANK,
                     description="Why (kept in the audit trail).")


class SourceReliability(_Decision):
    """Set a source's reliability, A (completely reliable) to F (cannot be judged)."""

    target: Literal["source"]
    action: Literal["reliability"]
    value: str = Field(pattern=r"^[A-Fa-f]$")


class Verdict(_Decision):
    """Confirm or refute a claim or a claim group (credibility 1 or 5)."""

    target: Literal["claim", "cluster"]
    action: Literal["confirm", "refute"]
    value: str | None = Field(None, max_length=2000, pattern=NO_NUL)


class Split(_Decision):
    """Take a claim out of its group, into a group of its own."""

    target: Literal["claim"]
    action: Literal["split"]
    value: str | None = Field(None, max_length=2000, pattern=NO_NUL)


class Merge(_Decision):
    """Merge a claim group into another (value: the other group's id)."""

    target: Literal["cluster"]
    action: Literal["merge"]
    value: str = Field(min_length=1, max_length=2000, pattern=NOT_BLANK)


OverrideIn = SourceReliability | Verdict | Split | Merge


class OverrideResult(BaseModel):
    override: OverrideOut
    rebuilt: bool
    group: str | None = None


ERRORS = {status: {"model": ErrorOut, "description": text} for status, text in (
    (400, "Bad request"), (401, "Missing or wrong bearer token"), (403, "Read-only: no token is configured"),
    (404, "Not found"), (422, "Invalid parameters"), (429, "Too many wrong tokens: wait (Retry-After)"),
    (500, "Server error"),
)}
router = APIRouter(prefix="/api", tags=["ledger"], responses=ERRORS)
bearer = HTTPBearer(auto_error=False, description="The API token (setting api_token).")


class JSON(JSONResponse):
    """JSON that never fails on an infinite bound (an open range is stored as inf)."""

    def render(self, content) -> bytes:
        try:
            text = json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        except ValueError:
            text = json.dumps(queries.finite(content), ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        return text.encode("utf-8")


def answered(context, conn, key: tuple, compute) -> Response:
    """The JSON of `compute(conn)`, kept as text per state of the ledger (SourceCache.answer):
    a search or a big group asked again costs neither its reads nor its encoding."""
    body = context.sources.answer(conn, ("api",) + key, lambda connection: JSON(compute(connection)).body)
    return Response(body, media_type=JSON.media_type)


def ctx(request: Request):
    return request.app.state.ctx


Ctx = Annotated[Any, Depends(ctx)]


def _origin_names(context, conn, origin: str | None) -> list[str] | None:
    """The spellings the reports use for the source `origin` (a key or a name)."""
    if not origin:
        return None
    index = context.sources.get(conn)
    source = index.get(origin) or index.get(index.key_of.get(origin, "")) or next(iter(index.find(origin, 1)), None)
    return sorted(source.names) if source else [origin]


@router.get("/stats", response_model=StatsOut, summary="Counts of documents, claims, groups, outlets, overrides")
def stats(context: Ctx):
    with context.engine.connect() as conn:
        return JSON(context.sources.memo(conn, "stats", queries.stats))


@router.get("/documents", response_model=DocumentPage, summary="Documents (current versions), newest first")
def documents(context: Ctx, q: Text = None, outlet: Text = None, since: Date = None,
              until: Date = None, limit: Limit = 50, offset: Offset = 0):
    with context.engine.connect() as conn:
        page = queries.list_documents(conn, limit, offset, q=q, outlet=outlet, since=since, until=until)
    return JSON(page.as_dict())


@router.get("/documents/{doc_id:path}", response_model=DocumentDetail, summary="One document with its claims")
def document(doc_id: Id, context: Ctx):
    with context.engine.connect() as conn:
        doc = queries.get_document(conn, doc_id)
        if doc is None:
            raise ApiError(404, "not_found", f"no document {doc_id!r}")
        doc["claims"] = [queries.ledger_claim(c) for c in queries.document_claims(conn, doc["version_id"])]
    return JSON(doc)


@router.get("/claims", response_model=ClaimPage, summary="Claims with their group and grade")
def claims(context: Ctx, q: Text = None, event: Event | None = None,
           kind: Literal["figure", "statement"] | None = None,
           stance: Literal["asserted", "hedged", "questioned", "denied"] | None = None,
           outlet: Text = None, origin: Text = None, doc: Annotated[str | None, Query(max_length=2000, pattern=NO_NUL)] = None,
           group: Text = None, grade: Grade = None, since: Date = None, until: Date = None,
           limit: Limit = 50, offset: Offset = 0):
    filters = {"q": q, "event": event, "kind": kind, "stance": stance, "outlet": outlet, "origin": origin, "doc": doc,
                   "cluster": group, "grade": grade, "since": since, "until": until}

    def compute(conn):
        page = queries.list_claims(conn, limit, offset, **filters)
        return {**page.as_dict(), "items": [queries.ledger_claim(c) for c in page.items]}

    with context.engine.connect() as conn:
        return answered(context, conn, ("claims", limit, offset, *filters.values()), compute)


@router.get("/claims/{claim_id}", response_model=ClaimOut, summary="One claim")
def claim(claim_id: Id, context: Ctx):
    with context.engine.connect() as conn:
        found = queries.get_claim(conn, claim_id)
    if found is None:
        raise ApiError(404, "not_found", f"no claim {claim_id!r}")
    return JSON(queries.ledger_claim(found))


@router.get("/groups", response_model=GroupPage, summary="Claim groups (the ledger's clusters)")
def groups(context: Ctx, q: Text = None, event: Event | None = None, location: Text = None,
           origin: Text = None, grade: Grade = None, since: Date = None, until: Date = None,
           view: View = "reports", limit: Limit = 50, offset: Offset = 0):
    def compute(conn):
        names = _origin_names(context, conn, origin)
        return queries.list_clusters(conn, limit, offset, view=view, q=q, event=event, location=location,
                                     origin_names=names, grade=grade, since=since, until=until,
                                     summaries=True).as_dict()

    with context.engine.connect() as conn:
        return answered(context, conn, ("groups", q, event, location, origin, grade, since, until, view, limit, offset),
                        compute)


@router.get("/groups/{group_id}", response_model=GroupDetail, summary="One claim group with its members and audit trail")
def group(group_id: Id, context: Ctx, limit: Limit = 100, offset: Offset = 0):
    """`members` is one page (limit, offset) of the group's claims; `member_count` is all.
    A big group's long lists (`claims`, each origin's claims) are cut to their first 100
    (`truncated`, `claim_count` say so) and its timeline is merged by period: page the
    members for all of them."""
    def compute(conn):
        cluster = queries.get_cluster_summary(conn, group_id)
        if cluster is None:
            raise ApiError(404, "not_found", f"no claim group {group_id!r}")
        members = queries.group_members(conn, group_id, limit, offset)
        targets = [("cluster", group_id)] + [("claim", m["id"]) for m in members.page]
        audit = queries.overrides_for(conn, targets)
        return {**cluster, "members": [queries.ledger_claim(m) for m in members.page],
                "member_count": members.count, "limit": limit, "offset": offset, "audit": audit}

    with context.engine.connect() as conn:
        return answered(context, conn, ("group", group_id, limit, offset), compute)


@router.get("/sources", response_model=SourcePage, summary="Sources cited, resolved against the registry")
def sources(context: Ctx, q: Text = None, kind: Annotated[str | None, Query(max_length=40, pattern=NO_NUL)] = None,
            limit: Limit = 50, offset: Offset = 0):
    with context.engine.connect() as conn:
        index = context.sources.get(conn)
    items = index.find(q, limit=10**9) if q else index.ranked(kind)
    if q and kind:
        items = [s for s in items if s.kind == kind]
    page = [s.as_dict(context.registry) for s in items[offset : offset + limit]]
    return JSON({"items": page, "total": len(items), "limit": limit, "offset": offset})


@router.get("/sources/{key:path}", response_model=SourceDetail, summary="One source: registry data, claims, track record")
def source(key: Id, context: Ctx, limit: Limit = 50, offset: Offset = 0):
    with context.engine.connect() as conn:
        found = context.sources.get(conn).lookup(key)
        if found is None:
            raise ApiError(404, "not_found", f"no source {key!r}")
        record = track_record(conn, found)
        originated = source_claims(conn, found, "originated", limit, offset)
        relayed = source_claims(conn, found, "relayed", limit, offset)
    return JSON({
        **found.as_dict(context.registry), "track_record": record,
        "originated_claims": [queries.ledger_claim(c) for c in originated.items],
        "relayed_claims": [queries.ledger_claim(c) for c in relayed.items],
    })


@router.get("/search", response_model=SearchOut, summary="Full-text search over groups, claims, documents and sources")
def search(q: Annotated[str, Query(min_length=1, max_length=200, pattern=NO_NUL, description="Words to find.")],
           context: Ctx, limit: Annotated[int, Query(ge=1, le=100)] = 10):
    def compute(conn):
        return {
            "query": q,
            "groups": queries.list_clusters(conn, limit, 0, q=q, summaries=True).items,
            "claims": [queries.ledger_claim(c) for c in queries.list_claims(conn, limit, 0, q=q).items],
            "documents": queries.list_documents(conn, limit, 0, q=q).items,
            "sources": [s.as_dict(context.registry) for s in context.sources.get(conn).find(q, limit)],
        }

    with context.engine.connect() as conn:
        return answered(context, conn, ("search", q, limit), compute)


@router.get("/ledger", response_model=LedgerOut, summary="The whole ledger, as `claimledger ledger --format json`")
def ledger(context: Ctx):
    """Streamed as it is read: the server holds a piece of it at a time, whatever its size."""
    return StreamingResponse(_ledger_stream(context.engine), media_type="application/json")


def _ledger_stream(engine) -> Iterator[bytes]:
    with engine.connect() as conn:
        yield from queries.ledger_json_chunks(conn)


@router.get("/overrides", response_model=OverridePage, summary="The audit trail of analysts' decisions, newest first")
def overrides(context: Ctx, target: Literal["source", "claim", "cluster"] | None = None,
              target_id: Annotated[str | None, Query(max_length=2000, pattern=NO_NUL)] = None, active: bool | None = None,
              limit: Limit = 50, offset: Offset = 0):
    with context.engine.connect() as conn:
        return JSON(queries.list_overrides(conn, limit, offset, target, target_id, active).as_dict())


@router.post("/overrides", response_model=OverrideResult, status_code=201,
             summary="Record an analyst's decision (needs the bearer token)")
def add_override(body: OverrideIn, context: Ctx, request: Request,
                 credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]):
    if not context.auth.enabled:
        raise ApiError(403, "read_only", "this ledger is read-only: no API token is configured")
    if credentials is None or not context.auth.verify(request, credentials.credentials):
        raise ApiError(401, "unauthorized", "send the API token as 'Authorization: Bearer <token>'")
    try:
        outcome = actions.record(context, body.target, body.target_id, body.action, body.value, body.who, body.why)
    except actions.InvalidAction as exc:
        raise ApiError(400, "invalid_action", exc.message) from exc
    return JSON(outcome.as_dict(), status_code=201)
