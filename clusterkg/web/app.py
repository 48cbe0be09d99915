"""The starlette app: GraphQL (GraphiQL for browsers), the explorer pages, the analyst page (/cypher), health.

    uvicorn --factory clusterkg.web.app:create_served_app     (or: clusterkg serve)

The store is opened once at start-up (starting the embedded engine if the
settings name it) and shared by all requests; each request gets its own
DataLoaders.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from anyio import to_thread
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route, WebSocketRoute
from starlette.types import ASGIApp, Receive, Scope, Send

from clusterkg.accounts.store import AccountStore
from clusterkg.errors import ClusterKGError
from clusterkg.graph import GraphStore, open_store
from clusterkg.graphql.api import ClusterKGGraphQL
from clusterkg.graphql.context import ApiSettings
from clusterkg.loaders import journal
from clusterkg.queries import vectors
from clusterkg.queries.saved import SavedStore
from clusterkg.runner.jobs import JobStore
from clusterkg.schema import schema_version, statements
from clusterkg.settings import Settings, WebSettings
from clusterkg.web.analyst import analyst_routes
from clusterkg.web.auth import auth_routes, principal_of
from clusterkg.web.explorer import explorer_routes, graphiql_page, wants_html
from clusterkg.web.oidc import OidcSettings, OidcSignIn, oidc_routes, session_secret
from clusterkg.web.page_operations import page_operations
from clusterkg.web.postings_runtime import postings_runtime
from clusterkg.web.read_position import ReadPosition
from clusterkg.web.security import Guard, is_analyst
from clusterkg.web.workbench import workbench_routes

log = logging.getLogger("clusterkg.web")


def refresh_vectors(store: GraphStore) -> None:
    """The score vectors' catch-up at start (clusterkg.queries.vectors); a read-only store leaves it to the primary."""
    try:
        refreshed = vectors.refresh(store)
        if refreshed:
            log.warning("recomputed %d stale score vector(s)", refreshed)
    except ClusterKGError as exc:
        log.warning("could not refresh the score vectors: %s", exc)


HEALTH_TIMEOUT_MS = 5_000
GC_YOUNG_THRESHOLD, GC_OLDER_THRESHOLD, GC_OLDEST_THRESHOLD = 20_000, 50, 100  # Python's defaults: 700, 10, 10
HEALTH_CACHE_S = 5.0  # /health is polled; the counts behind it need not be fresher than this


def create_served_app() -> Starlette:
    """The app as `clusterkg serve` runs it: one process, or one per worker, that is the server's alone."""
    return create_app(settle_heap_at_start=True)


def settle_heap() -> None:
    """Freeze what start-up allocated and collect the youngest generation less often.

    A GraphQL answer allocates thousands of short-lived objects, and every collection of
    the older generations walked the schema, the modules and the caches again. Measured
    in one run at s (`benchmarks/partner_search.py`, 2 workers, 32 clients): uncached
    53 -> 73 req/s, cached 154 -> 202, HTTP p50 25 -> 18 ms, p99 121 -> 29 ms. It changes
    the whole process, so only a process of its own (`create_served_app`) does it."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_YOUNG_THRESHOLD, GC_OLDER_THRESHOLD, GC_OLDEST_THRESHOLD)


def create_app(
    settings: Settings | None = None,
    api_settings: ApiSettings | None = None,
    store: GraphStore | None = None,
    web_settings: WebSettings | None = None,
    oidc_settings: OidcSettings | None = None,
    *,
    settle_heap_at_start: bool = False,
) -> Starlette:
    settings = settings or Settings.from_env()
    api_settings = api_settings or ApiSettings.from_env()
    web_settings = web_settings or WebSettings.from_env()
    health_cache: dict[str, Any] = {}

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        app.state.store = store or await to_thread.run_sync(open_store, settings)
        app.state.jobs = JobStore(settings.data_dir / "jobs", app.state.store)
        app.state.accounts = AccountStore(settings.data_dir)
        app.state.saved = SavedStore(settings.data_dir)
        if settle_heap_at_start:
            settle_heap()
        # profiles a crash left stale (a load killed before its refresh): in the background, the exact query answers meanwhile
        catch_up = threading.Thread(
            target=refresh_vectors, args=(app.state.store,), name="clusterkg-profiles", daemon=True
        )
        catch_up.start()
        app.state.profiles_catch_up = catch_up
        try:
            async with postings_runtime(app.state.store, app.state.accounts, settings.data_dir) as notices:
                app.state.notices, app.state.postings_private = notices, notices.private
                yield
        finally:
            await to_thread.run_sync(catch_up.join, 5)
            app.state.jobs.close()
            if store is None:
                app.state.store.close()

    def health_payload(current: GraphStore) -> dict[str, Any]:
        counts = current.read(statements.label_counts_statement(), timeout_ms=HEALTH_TIMEOUT_MS).rows
        incomplete = journal.incomplete(current)
        return {
            "status": "ok",
            "engine": current.engine,
            "schema_version": schema_version(current),
            "nodes": {r["label"]: r["count"] for r in counts if r["count"]},
            # loads that never committed, each with the command that completes it (clusterkg.loaders.journal)
            "incomplete_loads": [{**load, "message": journal.describe(load)} for load in incomplete],
        }

    async def health(request: Request) -> JSONResponse:
        current: GraphStore = request.app.state.store
        if health_cache.get("at", -HEALTH_CACHE_S) < time.monotonic() - HEALTH_CACHE_S:
            try:
                health_cache.update(value=await to_thread.run_sync(health_payload, current), at=time.monotonic())
            except ClusterKGError as exc:
                return JSONResponse(
                    {"status": "unavailable", "engine": current.engine, "error": str(exc)}, status_code=503
                )
        return JSONResponse(health_cache["value"])

    # one folder per graph: the workers of a server share their answers there (a graph's revision names its state only)
    shared = (
        settings.data_dir / "cache" / hashlib.sha256(settings.graph_url.encode()).hexdigest()[:12]
        if api_settings.shared_cache
        else None
    )
    graphql: ASGIApp = ClusterKGGraphQL(
        api_settings,
        may_run_jobs=lambda request: is_analyst(web_settings, request.headers),
        shared_cache_dir=shared,
        principal_of=principal_of,
        published=page_operations(),
    )
    if web_settings.cors_origins:
        # a browser page on one of these origins may call the API; a preflight from any other is refused
        graphql = CORSMiddleware(
            graphql,
            allow_origins=list(web_settings.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["content-type", "authorization", "if-none-match", "x-clusterkg-position"],
            expose_headers=["etag", "x-cache", "x-clusterkg-position"],
            max_age=600,
        )
    routes = [
        Route("/health", health),
        Route("/graphql", GraphQLOrGraphiQL(graphql), methods=["GET", "POST", "OPTIONS"]),
        WebSocketRoute("/graphql", graphql),  # subscriptions: graphql-transport-ws
        *analyst_routes(api_settings, web_settings.analyst_concurrency),
        *workbench_routes(api_settings),
        *auth_routes(),
        *explorer_routes(),
    ]
    middleware = [Middleware(Guard, settings=web_settings), Middleware(ReadPosition)]
    oidc = oidc_settings or OidcSettings.from_env()
    if oidc is not None:  # the sign-in's state and PKCE verifier ride in a signed cookie session
        routes += oidc_routes()
        middleware.append(
            Middleware(
                SessionMiddleware,
                secret_key=session_secret(settings.data_dir),
                session_cookie="clusterkg_oidc",
                max_age=600,
                https_only=web_settings.public,
            )
        )
    handlers = {404: json_error, 405: json_error, 500: server_error}
    app = Starlette(routes=routes, lifespan=lifespan, middleware=middleware, exception_handlers=handlers)
    app.state.oidc = OidcSignIn(oidc) if oidc is not None else None
    return app


class GraphQLOrGraphiQL:
    """/graphql: browsers opening it get GraphiQL from this server (strawberry's page loads React from a CDN), programs the API."""

    def __init__(self, api: ASGIApp) -> None:
        self.api = api

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and wants_html(Request(scope)):
            await graphiql_page()(scope, receive, send)
        else:
            await self.api(scope, receive, send)


async def json_error(request: Request, exc: Exception) -> JSONResponse:
    status = getattr(exc, "status_code", 500)
    code = {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED"}.get(status, "BAD_REQUEST")
    message = {
        404: f"nothing at {request.url.path}",
        405: f"{request.method} is not allowed on {request.url.path}",
    }.get(status, str(exc))
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


async def server_error(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error answering %s %s", request.method, request.url.path, exc_info=exc)
    return JSONResponse({"error": {"code": "INTERNAL", "message": "internal error"}}, status_code=500)
