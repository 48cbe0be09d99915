"""The starlette app: GraphQL (GraphiQL on GET), the analyst page (/cypher), health, and an index page.

    uvicorn --factory clusterkg.web.app:create_app     (or: clusterkg serve)

The store is opened once at start-up (starting the embedded engine if the
settings name it) and shared by all requests; each request gets its own
DataLoaders.
"""

from __future__ import annotations

import html
import logging
import time
from contextlib import asynccontextmanager
from typing import Any

from anyio import to_thread
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse
from starlette.routing import Route
from starlette.types import ASGIApp

from clusterkg import queries
from clusterkg.errors import ClusterKGError
from clusterkg.graph import GraphStore, open_store
from clusterkg.loaders import journal
from clusterkg.graphql.api import ClusterKGGraphQL
from clusterkg.graphql.context import ApiSettings
from clusterkg.schema import statements
from clusterkg.settings import WebSettings
from clusterkg.web.analyst import analyst_routes
from clusterkg.web.security import Guard, is_analyst
from clusterkg.schema import schema_version
from clusterkg.settings import Settings


log = logging.getLogger("clusterkg.web")
HEALTH_TIMEOUT_MS = 5_000
EXAMPLE_CLUSTER = {"countries": None, "categories": None, "ecosystems": None, "excellence_labels": None, "nuts_prefix": None, "synthetic": None, "skip": 0, "limit": 1}
INDEX = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>clusterkg</title>
<style>body{{font-family:system-ui,sans-serif;max-width:46rem;margin:3rem auto;padding:0 1rem;line-height:1.5}}code{{background:#f3f3f3;padding:0 .25rem}}</style>
</head><body>
<h1>clusterkg</h1>
<p>A knowledge graph of the European cluster ecosystem on {engine}.</p>
<ul>
<li><a href="/cypher">Analyst page</a>: read-only Cypher with table and graph views, the query library and the schema (<code>POST /cypher/run</code> for scripts)</li>
<li><a href="/graphql">GraphQL</a> (GraphiQL in the browser; <code>POST /graphql</code> for programs)</li>
<li><a href="/health">Health</a>: engine, schema version, counts</li>
</ul>
<p>Try in GraphiQL:</p>
<pre><code>{{ partnerSearch(input: {{seekerId: "{example}", regionCategories: [LESS_DEVELOPED], first: 5}}) {{
    score partner {{ ... on Cluster {{ name region {{ name category }} }} }}
    explanation {{ needFit {{ sought {{ name }} offered {{ name }} }} ties }} }} }}</code></pre>
<p>Cluster-level data in the demo graph is <strong>synthetic</strong> (<code>synthetic: true</code>); reference data (regions, cohesion categories, ecosystems, calls) is real, with sources.</p>
</body></html>"""


HEALTH_CACHE_S = 5.0  # /health is polled; the counts behind it need not be fresher than this


def create_app(
    settings: Settings | None = None, api_settings: ApiSettings | None = None, store: GraphStore | None = None, web_settings: WebSettings | None = None
) -> Starlette:
    settings = settings or Settings.from_env()
    api_settings = api_settings or ApiSettings()
    web_settings = web_settings or WebSettings.from_env()
    health_cache: dict[str, Any] = {}

    @asynccontextmanager
    async def lifespan(app: Starlette):
        app.state.store = store or await to_thread.run_sync(open_store, settings)
        try:
            yield
        finally:
            if store is None:
                app.state.store.close()

    def health_payload(current: GraphStore) -> dict[str, Any]:
        counts = current.read(statements.label_counts_statement(), timeout_ms=HEALTH_TIMEOUT_MS).rows
        incomplete = journal.incomplete(current)
        return {
            "status": "ok", "engine": current.engine, "schema_version": schema_version(current),
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
                return JSONResponse({"status": "unavailable", "engine": current.engine, "error": str(exc)}, status_code=503)
        return JSONResponse(health_cache["value"])

    async def index(request: Request) -> HTMLResponse:
        current: GraphStore = request.app.state.store
        example = await to_thread.run_sync(lambda: (queries.run(current, "cluster_list", EXAMPLE_CLUSTER).rows[0]["page"] or [None])[0])
        return HTMLResponse(INDEX.format(engine=html.escape(current.engine), example=html.escape(example or "CLUSTER-ID")))

    graphql: ASGIApp = ClusterKGGraphQL(api_settings, may_run_jobs=lambda request: is_analyst(web_settings, request.headers))
    if web_settings.cors_origins:
        # a browser page on one of these origins may call the API; a preflight from any other is refused
        graphql = CORSMiddleware(graphql, allow_origins=list(web_settings.cors_origins), allow_methods=["GET", "POST"],
                                 allow_headers=["content-type", "authorization"], max_age=600)
    routes = [
        Route("/", index),
        Route("/health", health),
        Route("/graphql", graphql, methods=["GET", "POST", "OPTIONS"]),
        *analyst_routes(api_settings, web_settings.analyst_concurrency),
    ]
    handlers = {404: json_error, 405: json_error, 500: server_error}
    return Starlette(routes=routes, lifespan=lifespan, middleware=[Middleware(Guard, settings=web_settings)], exception_handlers=handlers)


async def json_error(request: Request, exc: Exception) -> JSONResponse:
    status = getattr(exc, "status_code", 500)
    code = {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED"}.get(status, "BAD_REQUEST")
    message = {404: f"nothing at {request.url.path}", 405: f"{request.method} is not allowed on {request.url.path}"}.get(status, str(exc))
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


async def server_error(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error answering %s %s", request.method, request.url.path, exc_info=exc)
    return JSONResponse({"error": {"code": "INTERNAL", "message": "internal error"}}, status_code=500)
