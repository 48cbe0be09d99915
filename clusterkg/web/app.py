"""The starlette app: GraphQL (GraphiQL on GET), the analyst page (/cypher), health, and an index page.

    uvicorn --factory clusterkg.web.app:create_app     (or: clusterkg serve)

The store is opened once at start-up (starting the embedded engine if the
settings name it) and shared by all requests; each request gets its own
DataLoaders.
"""

from __future__ import annotations

import html
from contextlib import asynccontextmanager

from anyio import to_thread
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse
from starlette.routing import Route

from clusterkg import queries
from clusterkg.errors import ClusterKGError
from clusterkg.graph import GraphStore, open_store
from clusterkg.loaders import journal
from clusterkg.graphql.api import ClusterKGGraphQL
from clusterkg.graphql.context import ApiSettings
from clusterkg.web.analyst import analyst_routes
from clusterkg.schema import schema_version
from clusterkg.settings import Settings


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


def create_app(settings: Settings | None = None, api_settings: ApiSettings | None = None, store: GraphStore | None = None) -> Starlette:
    settings = settings or Settings.from_env()
    api_settings = api_settings or ApiSettings()

    @asynccontextmanager
    async def lifespan(app: Starlette):
        app.state.store = store or await to_thread.run_sync(open_store, settings)
        try:
            yield
        finally:
            if store is None:
                app.state.store.close()

    async def health(request: Request) -> JSONResponse:
        current: GraphStore = request.app.state.store
        try:
            version = await to_thread.run_sync(schema_version, current)
            counts = await to_thread.run_sync(lambda: queries.run(current, "count_nodes_by_label").rows)
            incomplete = await to_thread.run_sync(journal.incomplete, current)
        except ClusterKGError as exc:
            return JSONResponse({"status": "unavailable", "engine": current.engine, "error": str(exc)}, status_code=503)
        return JSONResponse({
            "status": "ok", "engine": current.engine, "schema_version": version, "nodes": {r["label"]: r["count"] for r in counts},
            # loads that never committed, each with the command that completes it (clusterkg.loaders.journal)
            "incomplete_loads": [{**load, "message": journal.describe(load)} for load in incomplete],
        })

    async def index(request: Request) -> HTMLResponse:
        current: GraphStore = request.app.state.store
        example = await to_thread.run_sync(lambda: (queries.run(current, "cluster_list", EXAMPLE_CLUSTER).rows[0]["page"] or [None])[0])
        return HTMLResponse(INDEX.format(engine=html.escape(current.engine), example=html.escape(example or "CLUSTER-ID")))

    graphql = ClusterKGGraphQL(api_settings)
    routes = [
        Route("/", index),
        Route("/health", health),
        Route("/graphql", graphql, methods=["GET", "POST"]),
        *analyst_routes(api_settings),
    ]
    return Starlette(routes=routes, lifespan=lifespan)
