"""The GraphQL API as an ASGI app: strawberry's view with clusterkg's context, body checks and error format.

Every answer is GraphQL-shaped JSON with `extensions.code`, also when the
request never reaches the schema: a body that is not UTF-8, not JSON, not an
object, or nested too deep (clusterkg.validation.load_json) is 400 BAD_REQUEST (strawberry
alone answered some of these with a 500 or plain text).

In front of the schema: persisted queries (GET by hash), the response cache
and ETags of clusterkg.graphql.cache.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, cast

from anyio import to_thread
from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http import GraphQLHTTPResponse
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL

from clusterkg.accounts.principal import PUBLIC, Principal
from clusterkg.graph.replicas import on_primary
from clusterkg.graphql.cache import (
    PERSISTED_NOT_FOUND,
    PersistedQueries,
    ResponseCache,
    cache_key,
    inspect_operation,
    persisted_hash,
)
from clusterkg.graphql.context import ApiSettings, Context, RegionCache
from clusterkg.graphql.errors import format_error
from clusterkg.graphql.schema import build_schema
from clusterkg.loaders import journal
from clusterkg.validation import load_json

PERSISTED_ONLY = (
    'this server answers its published operations only (CLUSTERKG_PERSISTED_ONLY=1): send {"id": <name or sha256>}'
    " of one in clusterkg/graphql/operations/, or its exact text"
)
MAX_SUBSCRIPTIONS = 20  # per WebSocket connection
REVISION_KEY = "clusterkg.revision"  # the graph revision a request read, in its ASGI scope
PRINCIPAL_KEY = "clusterkg.principal"  # who the request speaks for, in its ASGI scope
STATUS_CODES = {
    400: "BAD_REQUEST",
    401: "UNAUTHORIZED",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    413: "TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
}


class Refused(HTTPException):
    """A request refused before it reaches the schema, with its error code."""

    def __init__(self, status_code: int, code: str, reason: str) -> None:
        super().__init__(status_code, reason)
        self.code = code


class ClusterKGGraphQL(GraphQL[dict[str, Any], None]):
    def __init__(
        self,
        api_settings: ApiSettings,
        may_run_jobs: Callable[[Request], bool] = lambda request: True,
        shared_cache_dir: Path | None = None,
        principal_of: Callable[[Request], Principal] = lambda request: PUBLIC,
        published: Iterable[str] = (),
    ) -> None:
        super().__init__(
            build_schema(api_settings),
            graphql_ide=None,
            allow_queries_via_get=False,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            max_subscriptions_per_connection=MAX_SUBSCRIPTIONS,
        )
        self.api_settings = api_settings
        self.may_run_jobs = may_run_jobs  # the web layer's roles: the matching jobs are for analysts
        self.principal_of = principal_of  # the web layer's accounts: who a request speaks for
        self.persisted = PersistedQueries()
        self.persisted.allow(published)  # the explorer's own operations: its pages work on a persisted-only server
        self.cache = ResponseCache(api_settings.response_cache_mb * 1024 * 1024, shared_cache_dir)
        self.regions = RegionCache()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope=scope, receive=receive)
        try:
            response = await self.answer(request)
        except HTTPException as exc:
            code = getattr(exc, "code", None) or STATUS_CODES.get(exc.status_code, "BAD_REQUEST")
            response = JSONResponse(
                {"data": None, "errors": [{"message": exc.reason, "extensions": {"code": code}}]},
                status_code=exc.status_code,
            )
        if accepts_graphql_response_json(request):
            response = as_graphql_response_json(response)
        await response(scope, receive, send)

    async def answer(self, request: Request) -> Response:
        """Persisted queries and GET resolved to the operation's text; a cacheable query answered from the cache or kept in it."""
        # the public (no token, no cookie) is the common case: no worker thread, no accounts lookup for it
        carries = "authorization" in request.headers or "cookie" in request.headers
        principal = await to_thread.run_sync(self.principal_of, request) if carries else PUBLIC
        request.scope[PRINCIPAL_KEY] = principal
        if request.method == "GET":
            payload = _get_payload(request)
        elif (
            request.method == "POST"
            and request.headers.get("content-type", "").split(";")[0].strip() == "application/json"
        ):
            payload = self.parse_json(await request.body())
        else:
            return await self.run(request)  # strawberry's own answer (multipart, other methods)
        query, rebuilt = payload.get("query"), False
        digest = payload.get("id") or persisted_hash(payload.get("extensions"))
        if self.api_settings.persisted_only and isinstance(query, str) and not self.persisted.listed(query):
            raise Refused(400, "PERSISTED_QUERY_ONLY", PERSISTED_ONLY)
        if isinstance(digest, str):
            if isinstance(query, str):
                try:
                    self.persisted.register(digest, query)
                except ValueError as exc:
                    raise Refused(400, "BAD_REQUEST", str(exc)) from None
            else:
                query = self.persisted.get(digest.lower())
                if query is None:
                    return JSONResponse(
                        {
                            "data": None,
                            "errors": [
                                {"message": PERSISTED_NOT_FOUND, "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"}}
                            ],
                        }
                    )
                rebuilt = True
        if request.method == "GET":
            rebuilt = True
            if not isinstance(query, str):
                raise Refused(
                    400,
                    "BAD_REQUEST",
                    "a GET names its operation: ?id=<sha256 of the operation text> (or extensions.persistedQuery), or ?query=…",
                )
        name = payload.get("operationName") if isinstance(payload.get("operationName"), str) else None
        operation = inspect_operation(query, name, self.api_settings.max_tokens) if isinstance(query, str) else None
        if request.method == "GET" and operation is not None and operation.kind != "query":
            raise Refused(405, "METHOD_NOT_ALLOWED", f"a {operation.kind} is sent with POST; GET is for queries")
        target = (
            _as_post(request, {"query": query, "variables": payload.get("variables"), "operationName": name})
            if rebuilt
            else request
        )
        target.scope[PRINCIPAL_KEY] = principal
        if operation is not None and operation.kind == "mutation":
            with on_primary():  # its reads check revisions: never against a replica that lags behind
                return await self.run(target)
        if operation is None or not operation.cacheable or self.cache.max_bytes <= 0 or principal.signed_in:
            return await self.run(target)  # a signed-in answer may show what is that account's alone: never cached
        analyst = self.may_run_jobs(request)
        revision = await to_thread.run_sync(journal.revision, request.app.state.store)
        target.scope[REVISION_KEY] = revision  # the region cache's key for this request (get_context)
        etag = (
            '"'
            + cache_key(operation, name, payload.get("variables"), "analyst" if analyst else "public", revision)[:40]
            + '"'
        )
        headers = {"ETag": etag, "Vary": "Authorization"}
        if request.method == "GET":
            headers["Cache-Control"] = (
                f"{'private' if analyst else 'public'}, max-age={self.api_settings.cache_max_age_s}"
            )
            if etag in (t.strip() for t in request.headers.get("if-none-match", "").split(",")):
                return Response(status_code=304, headers=headers)
        body = self.cache.get(etag, revision)
        if body is not None:
            return Response(body, media_type="application/json", headers={**headers, "X-Cache": "hit"})
        response = await self.run(target)
        if (
            response.status_code == 200 and b'"errors":' not in response.body
        ):  # an alias named errors is not cached either
            self.cache.put(etag, bytes(response.body), revision)
            response.headers.update({**headers, "X-Cache": "miss"})
        return response

    def parse_json(self, data: str | bytes) -> Any:
        try:
            value = load_json(data)
        except ValueError as exc:
            raise HTTPException(400, str(exc)) from None
        if not isinstance(value, (dict, list)):
            raise HTTPException(400, 'the request body must be a JSON object: {"query": "…", "variables": {…}}')
        if isinstance(value, list):
            raise HTTPException(400, "batched requests are not accepted: send one operation per request")
        query = value.get("query")
        if isinstance(query, str):
            # the token limit of the parser skips comments: a 30 MB comment passed it
            if len(query) > self.api_settings.max_query_chars:
                raise Refused(
                    400,
                    "LIMIT_EXCEEDED",
                    f"the query is {len(query):,} characters long; the limit is {self.api_settings.max_query_chars:,}",
                )
            if query.count("#") > self.api_settings.max_tokens:
                raise Refused(
                    400, "LIMIT_EXCEEDED", f"the query has more than {self.api_settings.max_tokens:,} comments"
                )
        return value

    async def get_context(self, request: Any, response: Any) -> dict[str, Any]:
        principal: Principal = request.scope.get(PRINCIPAL_KEY) or PUBLIC
        analyst = principal.account is not None and principal.account.has("analyst")
        context = Context(
            request.app.state.store,
            self.api_settings,
            may_run_jobs=self.may_run_jobs(request) or analyst,
            principal=principal,
            accounts=getattr(request.app.state, "accounts", None),
            private=getattr(request.app.state, "postings_private", None),
            notices=getattr(request.app.state, "notices", None),
            jobs=getattr(request.app.state, "jobs", None),
            regions=self.regions.at(request.scope.get(REVISION_KEY)),
        )
        return {"request": request, "response": response, "clusterkg": context}

    async def on_ws_connect(self, context: dict[str, Any]) -> Any:
        """A WebSocket speaks for the token of its `connection_init` payload (never a cookie: see subscriptions.py)."""
        params = context.get("connection_params") or {}
        given = params.get("Authorization") or params.get("authorization") if isinstance(params, dict) else None
        if given is None:
            return None
        if not isinstance(given, str):
            raise ConnectionRejectionError({"message": "Authorization must be text: Bearer <token>"})
        connection = context["request"]
        # the token as an HTTP request would carry it, and nothing else (no cookie)
        asked = Request(
            {
                "type": "http",
                "method": "GET",
                "path": "/graphql",
                "query_string": b"",
                "headers": [(b"authorization", given.encode("latin-1", "replace"))],
                "app": connection.scope.get("app"),
            }
        )
        principal = await to_thread.run_sync(self.principal_of, asked)
        analyst = self.may_run_jobs(asked)
        account_token = given.removeprefix("Bearer ").strip().startswith("ckg_")
        if not principal.signed_in and (account_token or not analyst):
            raise ConnectionRejectionError({"message": "the token in connection_init is not valid"})
        clusterkg: Context = context["clusterkg"]
        clusterkg.principal = principal
        clusterkg.may_run_jobs = (
            clusterkg.may_run_jobs or analyst or (principal.account is not None and principal.account.has("analyst"))
        )
        return None

    async def process_result(self, request: Any, result: Any) -> GraphQLHTTPResponse:
        payload: dict[str, Any] = {"data": result.data}
        if result.errors:
            payload["errors"] = [format_error(e) for e in result.errors]
        return cast(GraphQLHTTPResponse, payload)


GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"


def accepts_graphql_response_json(request: Request) -> bool:
    """The client asks for the GraphQL-over-HTTP media type (legacy clients, asking for JSON only, get JSON as before)."""
    return GRAPHQL_RESPONSE_JSON in request.headers.get("accept", "")


def as_graphql_response_json(response: Response) -> Response:
    """An answer in application/graphql-response+json, as the GraphQL-over-HTTP spec says.

    A request error (the document does not parse or validate, or its variables do not coerce: errors
    without a path, and no data) is a 400 without a `data` entry; everything else keeps its status.
    """
    if not response.headers.get("content-type", "").startswith("application/json") or not response.body:
        return response
    try:
        payload = json.loads(bytes(response.body))
    except ValueError:
        return response
    status = response.status_code
    errors = payload.get("errors") if isinstance(payload, dict) else None
    if errors and payload.get("data") is None and all("path" not in e for e in errors):
        payload.pop("data", None)
        status = 400 if status == 200 else status
    headers = {k: v for k, v in response.headers.items() if k.lower() not in ("content-length", "content-type")}
    headers["Vary"] = ", ".join(filter(None, [headers.get("vary", headers.pop("Vary", "")), "Accept"]))
    headers.pop("vary", None)
    return Response(
        json.dumps(payload, separators=(",", ":")).encode("utf-8"),
        status_code=status,
        media_type=f"{GRAPHQL_RESPONSE_JSON}; charset=utf-8",
        headers=headers,
    )


def _get_payload(request: Request) -> dict[str, Any]:
    """A GET's operation: ?query= or ?id= (or ?extensions=), with ?variables= and ?operationName= as JSON text."""
    params = request.query_params
    payload: dict[str, Any] = {
        "query": params.get("query"),
        "id": params.get("id"),
        "operationName": params.get("operationName"),
    }
    for name in ("variables", "extensions"):
        if params.get(name):
            try:
                payload[name] = load_json(params[name])
            except ValueError as exc:
                raise Refused(400, "BAD_REQUEST", f"?{name}= is not JSON: {exc}") from None
            if not isinstance(payload[name], dict):
                raise Refused(400, "BAD_REQUEST", f"?{name}= must be a JSON object")
    return payload


def _as_post(request: Request, payload: dict[str, Any]) -> Request:
    """The same request as a JSON POST of `payload`: how the schema runs a GET or a persisted query (same headers, same app)."""
    body = json.dumps(payload).encode("utf-8")
    headers = [(k, v) for k, v in request.scope["headers"] if k.lower() not in (b"content-type", b"content-length")]
    headers += [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    scope = {**request.scope, "method": "POST", "headers": headers, "query_string": b""}
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return Request(scope, receive)
