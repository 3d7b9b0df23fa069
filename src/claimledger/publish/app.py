"""The web application: `create_app(db, token)` gives a FastAPI app serving the pages
(`pages.py`), the JSON API under /api (`api.py`, OpenAPI at /openapi.json, documented at
/docs) and the static assets shipped in the package.

Every error, from any route, has one shape: `{"error": {"code", "message"}}` for the API
(and any client asking for JSON), an error page with the same code and message for a
browser. Security headers are set on every response, errors included; a NUL or an
oversized value in the path or query is refused with a 400 (`Guard`).
"""

from __future__ import annotations

import logging
import os
import threading
from importlib import resources
from urllib.parse import parse_qsl

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import settings
from ..assess.registry import registry_from_settings
from ..errors import ClaimledgerError, NotFound
from ..store import open_ledger
from .auth import Auth, TooManyAttempts
from .present import template_globals
from .sources import SourceCache

log = logging.getLogger(__name__)

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
]
STATUS_CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 409: "conflict", 413: "too_large", 415: "unsupported_media_type",
    422: "invalid_request", 429: "too_many_requests", 500: "internal_error",
}


class ApiError(Exception):
    """An error with its HTTP status, a stable code and a message a person understands."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


class Context:
    """What every request needs: the ledger, the registry, the sources index, the auth."""

    def __init__(self, db: str | None, token: str | None, rebuild: bool = True):
        self.ledger = open_ledger(db)
        self.engine = self.ledger.engine
        self.registry = registry_from_settings()
        self.sources = SourceCache(self.registry)
        self.auth = Auth(token if token is not None else settings.get("api_token"))
        self.rebuild = rebuild
        self.lock = threading.Lock()


# What a query may carry: no value longer than the longest id (a document's, 2,000
# characters) and no query string longer than a few of them; no NUL anywhere, which no
# id or search holds and PostgreSQL cannot even compare.
MAX_QUERY_VALUE = 2000
MAX_QUERY_BYTES = 16 * 1024
MAX_PATH = 4096


def refusal(scope) -> str | None:
    """Why this request's path or query cannot be answered (a 400), or None."""
    path = scope.get("path", "")
    if "\x00" in path:
        return "the path holds a NUL character"
    if len(path) > MAX_PATH:
        return f"the path is longer than {MAX_PATH:,} characters"
    raw = scope.get("query_string", b"")
    if len(raw) > MAX_QUERY_BYTES:
        return f"the query string is longer than {MAX_QUERY_BYTES:,} bytes"
    for name, value in parse_qsl(raw.decode("latin-1"), keep_blank_values=True):
        if "\x00" in name or "\x00" in value:
            return f"query parameter {name[:40]!r} holds a NUL character"
        if len(value) > MAX_QUERY_VALUE:
            return f"query parameter {name[:40]!r} is longer than {MAX_QUERY_VALUE:,} characters"
    return None


class Guard:
    """The app's outer layer (pure ASGI: no per-request task). It refuses a path or query
    holding a NUL or an oversized value (400), answers any unexpected exception with the
    one error shape (500) without closing the connection, and sets the security headers
    on every response, errors included."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_with_headers(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(n, v) for n, v in SECURITY_HEADERS if n not in present]
                message["headers"] = headers
            await send(message)

        problem = refusal(scope)
        if problem:
            response = error_response(Request(scope), 400, "bad_request", problem)
            await response(scope, receive, send_with_headers)
            return
        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            log.exception("unexpected error on %s", scope.get("path"))
            if started:  # half an answer is out: only closing the connection can say so
                raise
            response = error_response(Request(scope), 500, "internal_error",
                                      "the server failed to answer; the error is logged")
            await response(scope, receive, send_with_headers)


def wants_json(request: Request) -> bool:
    path = request.url.path
    if path.startswith("/api") or path == "/openapi.json":
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def error_response(request: Request, status: int, code: str, message: str):
    if wants_json(request):
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return JSONResponse({"error": {"code": code, "message": message}}, status_code=status, headers=headers)
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(
        request, "error.html", {"status": status, "code": code, "message": message, "user": None, "csrf": ""},
        status_code=status,
    )


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for error in exc.errors()[:5]:
        where = ".".join(str(p) for p in error.get("loc", ()) if p not in ("query", "path", "body"))
        parts.append(f"{where or 'request'}: {error.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError):
        return error_response(request, exc.status, exc.code, exc.message)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException):
        code = STATUS_CODES.get(exc.status_code, "error")
        message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
        if exc.status_code == 404 and message == "Not Found":
            message = f"nothing at {request.url.path}"
        return error_response(request, exc.status_code, code, message)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError):
        return error_response(request, 422, "invalid_request", _validation_message(exc))

    @app.exception_handler(NotFound)
    async def _not_found(request: Request, exc: NotFound):
        return error_response(request, 404, "not_found", exc.message)

    @app.exception_handler(ClaimledgerError)
    async def _claimledger_error(request: Request, exc: ClaimledgerError):
        return error_response(request, 400, "bad_request", exc.message)

    @app.exception_handler(TooManyAttempts)
    async def _too_many_attempts(request: Request, exc: TooManyAttempts):
        response = error_response(request, 429, "too_many_requests", exc.message)
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    # Anything else is answered by Guard (a 500, the connection kept).


def create_app(db: str | None = None, token: str | None = None, rebuild: bool = True) -> FastAPI:
    """The app over the ledger at `db` (default: the `db` setting). `token` unlocks the
    analyst actions (default: the `api_token` setting; empty means read-only).
    `rebuild` re-runs the assessment after each analyst decision."""
    from . import api, pages

    app = FastAPI(
        title="claimledger",
        version="1",
        summary="A ledger of claims in conflict reporting: who claims what, citing whom, how far to trust it.",
        description=(
            "Read-only JSON over the ledger, plus analysts' overrides (which need "
            "`Authorization: Bearer <token>`). Lists take `limit` and `offset` and answer "
            "`{items, total, limit, offset}`. Every error answers `{\"error\": {\"code\", \"message\"}}`."
        ),
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.ctx = Context(db, token, rebuild)
    templates = Jinja2Templates(directory=str(resources.files("claimledger") / "publish" / "templates"))
    templates.env.globals.update(template_globals())
    app.state.templates = templates
    install_error_handlers(app)
    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=str(resources.files("claimledger") / "publish" / "static")), name="static")
    app.add_middleware(Guard)
    return app


def app_from_settings() -> FastAPI:
    """The app over the `db` and `api_token` settings: what each worker process builds."""
    return create_app()


def serve(db: str | None = None, host: str = "127.0.0.1", port: int = 8000, token: str | None = None,
          workers: int = 1) -> None:
    """`claimledger serve`: the app on uvicorn, until interrupted. With several `workers`
    (processes, each with its own connections and caches), requests are answered in
    parallel on as many cores; each worker throttles wrong tokens on its own."""
    import uvicorn

    if workers > 1:
        for name, value in (("CLAIMLEDGER_DB", db), ("CLAIMLEDGER_API_TOKEN", token)):
            if value is not None:
                os.environ[name] = value
        create_app(db, token).state.ctx.engine.dispose()  # migrated once, errors said once, here
        writable = "analyst actions enabled" if settings.get("api_token") else "read-only: no api_token set"
        target, options = "claimledger.publish.app:app_from_settings", {"factory": True, "workers": workers}
    else:
        target, options = create_app(db, token), {}
        writable = "analyst actions enabled" if target.state.ctx.auth.enabled else "read-only: no api_token set"
    shown = f"[{host}]" if ":" in host else host
    processes = f", {workers} worker processes" if workers > 1 else ""
    print(f"claimledger: serving {db or settings.get('db')} at http://{shown}:{port}/ ({writable}{processes}); "
          "Ctrl-C stops.", flush=True)
    uvicorn.run(target, host=host, port=port, log_level="warning", **options)
