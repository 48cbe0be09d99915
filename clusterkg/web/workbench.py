"""The analyst's workbench on the server: saved queries and dashboards (clusterkg.queries.saved), and the read-only
dashboard a link opens.

    GET    /cypher/saved                 every saved query and dashboard ("mine" marks one's own)
    POST   /cypher/saved                 save a query {name, description, query, params}   (read queries only)
    PUT    /cypher/saved/{id}            change one's own; DELETE removes it
    POST   /cypher/dashboards            save a dashboard {name, description, panels: [{queryId, view, title}]}
    PUT    /cypher/dashboards/{id}       change one's own; DELETE removes it
    GET    /dashboards/{key}             the dashboard page, read-only, for anyone with the link
    GET    /dashboards/{key}/data        its panels and their parameters
    POST   /dashboards/{key}/run         {"panel": i, "params": {…}}: one panel's saved query, read-only, limited

The /cypher paths are the analyst page's (the same role); who saved what is the account signed in, or the
analyst token's fingerprint, or "this machine" on loopback.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import Any

from anyio import to_thread
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse
from starlette.routing import Route

from clusterkg.errors import ClusterKGError, FieldErrors, ReadOnlyViolation
from clusterkg.graph.store import GraphStore
from clusterkg.graphql.context import ApiSettings
from clusterkg.queries.adhoc import run_adhoc
from clusterkg.queries.saved import SavedStore
from clusterkg.validation import load_json
from clusterkg.web.analyst import STATIC, _error
from clusterkg.web.auth import principal_of
from clusterkg.web.security import bearer_token

LOCAL = "this machine"
PARAMETER = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


def owner_of(request: Request) -> str:
    principal = principal_of(request)
    if principal.account is not None:
        return principal.account.email
    token = bearer_token(request.headers)
    if token:
        return "analyst token " + hashlib.sha256(token.encode()).hexdigest()[:8]
    return LOCAL


def _failure(exc: ClusterKGError) -> JSONResponse:
    extra = {"fields": exc.fields} if isinstance(exc, FieldErrors) else {}
    code = "BAD_REQUEST" if exc.code == "BAD_USER_INPUT" else exc.code
    return _error(code, str(exc), status=exc.status, **extra)


async def _body(request: Request) -> dict[str, Any]:
    try:
        body = load_json(await request.body() or b"{}")
    except ValueError as exc:
        raise FieldErrors({"body": str(exc)}) from None
    if not isinstance(body, dict):
        raise FieldErrors({"body": "must be a JSON object"})
    return body


def workbench_routes(settings: ApiSettings) -> list[Route]:
    def saved(request: Request) -> SavedStore:
        found: SavedStore = request.app.state.saved
        return found

    def handler(fn: Callable[[Request], Any]) -> Callable[[Request], Any]:
        async def endpoint(request: Request) -> Any:
            try:
                return await fn(request)
            except ClusterKGError as exc:
                return _failure(exc)

        return endpoint

    async def listing(request: Request) -> JSONResponse:
        store, viewer = saved(request), owner_of(request)
        return JSONResponse(
            {
                "queries": [q.as_json(viewer) for q in await to_thread.run_sync(store.queries)],
                "dashboards": [d.as_json(viewer) for d in await to_thread.run_sync(store.dashboards)],
                "you": viewer,
            }
        )

    async def save_query(request: Request) -> JSONResponse:
        body = await _body(request)
        graph: GraphStore = request.app.state.store
        text = body.get("query")
        if isinstance(text, str) and text.strip():
            given: dict[str, Any] = body["params"] if isinstance(body.get("params"), dict) else {}
            # the plan needs every parameter: those without a saved value are planned as null
            planned = {**{name: None for name in PARAMETER.findall(text)}, **given}
            reason = await to_thread.run_sync(lambda: graph.writes(text, planned))
            if reason:
                raise ReadOnlyViolation(f"a saved query reads: this one {reason}")
        item_id = request.path_params.get("id")
        owner = owner_of(request)
        found = await to_thread.run_sync(lambda: saved(request).save_query(owner, body, item_id))
        return JSONResponse(found.as_json(owner), status_code=201 if item_id is None else 200)

    async def delete_query(request: Request) -> JSONResponse:
        owner, item_id = owner_of(request), request.path_params["id"]
        await to_thread.run_sync(lambda: saved(request).delete_query(owner, item_id))
        return JSONResponse({"deleted": item_id})

    async def save_dashboard(request: Request) -> JSONResponse:
        body = await _body(request)
        owner, item_id = owner_of(request), request.path_params.get("id")
        found = await to_thread.run_sync(lambda: saved(request).save_dashboard(owner, body, item_id))
        return JSONResponse(found.as_json(owner), status_code=201 if item_id is None else 200)

    async def delete_dashboard(request: Request) -> JSONResponse:
        owner, item_id = owner_of(request), request.path_params["id"]
        await to_thread.run_sync(lambda: saved(request).delete_dashboard(owner, item_id))
        return JSONResponse({"deleted": item_id})

    async def dashboard_page(request: Request) -> FileResponse:
        return FileResponse(STATIC / "dashboard.html", headers={"Cache-Control": "no-cache"})

    async def dashboard_data(request: Request) -> JSONResponse:
        store = saved(request)
        board = await to_thread.run_sync(lambda: store.by_key(request.path_params["key"]))
        queries = {q.id: q for q in await to_thread.run_sync(store.queries)}
        panels = []
        for panel in board.panels:
            query = queries.get(panel["queryId"])
            panels.append(
                {
                    **panel,
                    "title": panel.get("title") or (query.name if query else "a saved query that was deleted"),
                    "query": query.query if query else None,
                    "params": query.params if query else {},
                    "missing": query is None,
                }
            )
        return JSONResponse({**board.as_json(None), "panels": panels})

    async def dashboard_run(request: Request) -> JSONResponse:
        store = saved(request)
        board = await to_thread.run_sync(lambda: store.by_key(request.path_params["key"]))
        body = await _body(request)
        index = body.get("panel")
        if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(board.panels):
            raise FieldErrors({"panel": f"a panel number from 0 to {len(board.panels) - 1}"})
        params = body.get("params") or {}
        if not isinstance(params, dict):
            raise FieldErrors({"params": "must be a JSON object"})
        query = await to_thread.run_sync(lambda: store.query(board.panels[index]["queryId"]))
        graph: GraphStore = request.app.state.store
        result = await to_thread.run_sync(
            lambda: run_adhoc(
                graph,
                query.query,
                {**query.params, **params},
                timeout_ms=settings.analyst_timeout_ms,
                max_rows=settings.analyst_max_rows,
            )
        )
        return JSONResponse(result.as_json())

    return [
        Route("/cypher/saved", handler(listing)),
        Route("/cypher/saved", handler(save_query), methods=["POST"]),
        Route("/cypher/saved/{id}", handler(save_query), methods=["PUT"]),
        Route("/cypher/saved/{id}", handler(delete_query), methods=["DELETE"]),
        Route("/cypher/dashboards", handler(save_dashboard), methods=["POST"]),
        Route("/cypher/dashboards/{id}", handler(save_dashboard), methods=["PUT"]),
        Route("/cypher/dashboards/{id}", handler(delete_dashboard), methods=["DELETE"]),
        Route("/dashboards/{key}", dashboard_page),
        Route("/dashboards/{key}/data", handler(dashboard_data)),
        Route("/dashboards/{key}/run", handler(dashboard_run), methods=["POST"]),
    ]
