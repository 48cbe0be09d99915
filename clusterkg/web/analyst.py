"""The analyst page: Cypher in the browser, on any engine, safely.

    GET  /cypher           the page (static HTML + vendored CodeMirror 5 and cytoscape.js)
    POST /cypher/run       {"query", "params"?, "timeoutMs"?, "maxRows"?} -> columns, rows, plan
    GET  /cypher/library   the named queries of clusterkg/queries (name, description, parameters, text)
    GET  /cypher/schema    labels, relationship types and property keys with counts

Every safety rule is enforced here, on the server: reads run in the engine's
read-only mode with a time limit (clusterkg.queries.adhoc), rows are capped,
EXPLAIN/PROFILE go through the engine's plan calls. Refusals are JSON errors
with a code and, for the engine's own errors, the line and column it gave:
never a 500 for a query a person typed.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

import anyio
from anyio import to_thread
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from clusterkg import queries
from clusterkg.errors import ClusterKGError, QueryError, QueryTimeout, ReadOnlyViolation
from clusterkg.graph import GraphStore
from clusterkg.graphql.context import ApiSettings
from clusterkg.queries.adhoc import run_adhoc
from clusterkg.schema import statements
from clusterkg.schema.model import NODE_TYPES, REL_TYPES
from clusterkg.validation import load_json

STATIC = Path(__file__).resolve().parent / "static"
SCHEMA_CACHE_S = 60.0
log = logging.getLogger("clusterkg.analyst")

# The page's own names for codes of clusterkg.errors (its documented vocabulary, older than the shared one).
ANALYST_CODES = {"BAD_USER_INPUT": "BAD_REQUEST"}


def _refusal(exc: ClusterKGError, timeout_ms: int) -> JSONResponse:
    """A failed run, coded from the error's own class; the engine's messages name line and column."""
    code = ANALYST_CODES.get(exc.code, exc.code)
    if exc.internal:
        log.error("%s: %s", type(exc).__name__, exc)
        return _error(code, exc.public_message or "internal error", status=exc.status)
    if isinstance(exc, QueryTimeout):
        return _error(
            code,
            f"the query was stopped at the time limit ({timeout_ms / 1000:g} s): narrow it with a WHERE or a LIMIT",
        )
    if isinstance(exc, ReadOnlyViolation):
        return _error(code, f"refused: {exc}. The analyst page only reads; nothing was changed.")
    if isinstance(exc, QueryError) and code == "ENGINE":
        return _error(code, str(exc), line=exc.line, column=exc.column)
    return _error(code, str(exc))


def _error(
    code: str, message: str, status: int = 400, headers: dict[str, str] | None = None, **extra: Any
) -> JSONResponse:
    body = {"error": {"code": code, "message": message, **{k: v for k, v in extra.items() if v is not None}}}
    return JSONResponse(body, status_code=status, headers=headers)


def schema_counts(store: GraphStore) -> dict[str, Any]:
    """Labels, relationship types and declared property keys, each with how many nodes or relationships have it."""
    labels = []
    for node_type in NODE_TYPES:
        properties = node_type.all_properties
        row = store.read(statements.property_counts_statement(node_type.label)).rows[0]
        if row["total"]:
            labels.append(
                {
                    "label": node_type.label,
                    "count": row["total"],
                    "description": node_type.description,
                    "properties": [{"key": p, "count": row[p]} for p in properties if row[p]],
                }
            )
    relationships = []
    for rel in REL_TYPES:
        row = store.read(statements.relationship_property_counts_statement(rel.type)).rows[0]
        if row["total"]:
            relationships.append(
                {
                    "type": rel.type,
                    "count": row["total"],
                    "description": rel.description,
                    "properties": [{"key": p, "count": row[p]} for p in rel.properties if row[p]],
                }
            )
    keys = sorted({p["key"] for item in labels + relationships for p in item["properties"]})
    synthetic = queries.run(store, "count_synthetic").scalar() or 0
    return {"labels": labels, "relationships": relationships, "propertyKeys": keys, "syntheticNodes": synthetic}


def library_json(engine: str) -> list[dict[str, Any]]:
    found = []
    for query in sorted(queries.library().values(), key=lambda q: q.name):
        if query.mode != "read":
            continue  # the page only reads: the write side's queries are clusterkg's own
        found.append(
            {
                "name": query.name,
                "description": query.description,
                "mode": query.mode,
                "params": [{"name": p.name, "type": p.type, "description": p.description} for p in query.params],
                "example": query.example,
                "labels": {slot: list(choices) for slot, choices in query.labels.items()},
                "text": query.text_for("neo4j" if engine.startswith("neo4j") else "falkordb"),
            }
        )
    return found


def _whole_number(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def analyst_routes(settings: ApiSettings, concurrency: int = 1) -> list[Route | Mount]:
    schema_cache: dict[str, Any] = {}
    # Analyst queries at once in this worker: FalkorDB runs THREAD_COUNT queries (one per core) at a time,
    # so runaway Cypher must never take every engine thread from the API and /health.
    slots = anyio.Semaphore(concurrency)

    async def page(request: Request) -> FileResponse:
        return FileResponse(STATIC / "analyst.html", headers={"Cache-Control": "no-cache"})

    async def run(request: Request) -> JSONResponse:
        try:
            body = load_json(await request.body() or b"{}")
        except ValueError as exc:
            return _error("BAD_REQUEST", f'{exc}: send {{"query": "MATCH …", "params": {{…}}}}')
        if not isinstance(body, dict) or not isinstance(body.get("query"), str):
            return _error("BAD_REQUEST", 'send {"query": "…"} with the Cypher text as a string')
        params = body.get("params") or {}
        if not isinstance(params, dict):
            return _error("BAD_REQUEST", "params must be a JSON object of name: value")
        timeout_ms = body.get("timeoutMs", settings.analyst_timeout_ms)
        max_rows = body.get("maxRows", settings.analyst_max_rows)
        if not _whole_number(timeout_ms) or not 1 <= timeout_ms <= settings.analyst_timeout_ms:
            return _error("BAD_REQUEST", f"timeoutMs must be a whole number from 1 to {settings.analyst_timeout_ms}")
        if not _whole_number(max_rows) or not 1 <= max_rows <= settings.analyst_max_rows:
            return _error("BAD_REQUEST", f"maxRows must be a whole number from 1 to {settings.analyst_max_rows}")
        store: GraphStore = request.app.state.store
        with anyio.move_on_after(timeout_ms / 1000) as waited:
            await slots.acquire()
        if waited.cancelled_caught:
            return _error(
                "BUSY",
                f"{concurrency} analyst quer{'y is' if concurrency == 1 else 'ies are'} running on this server; try again in a moment",
                status=429,
                headers={"Retry-After": "2"},
            )
        try:
            result = await to_thread.run_sync(
                lambda: run_adhoc(store, body["query"], params, timeout_ms=timeout_ms, max_rows=max_rows)
            )
        except ClusterKGError as exc:
            return _refusal(exc, timeout_ms)
        finally:
            slots.release()
        payload = result.as_json()
        payload["maxRows"] = max_rows
        payload["engine"] = store.engine
        return JSONResponse(payload)

    async def library(request: Request) -> JSONResponse:
        return JSONResponse(library_json(request.app.state.store.engine))

    async def schema(request: Request) -> JSONResponse:
        cached = schema_cache.get("value")
        if cached is None or time.monotonic() - schema_cache["at"] > SCHEMA_CACHE_S:
            cached = await to_thread.run_sync(schema_counts, request.app.state.store)
            schema_cache.update(value=cached, at=time.monotonic())
        return JSONResponse(cached)

    return [
        Route("/cypher", page),
        Route("/cypher/run", run, methods=["POST"]),
        Route("/cypher/library", library),
        Route("/cypher/schema", schema),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
