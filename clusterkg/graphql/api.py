"""The GraphQL API as an ASGI app: strawberry's view with clusterkg's context, body checks and error format.

Every answer is GraphQL-shaped JSON with `extensions.code`, also when the
request never reaches the schema: a body that is not UTF-8, not JSON, not an
object, or nested too deep (clusterkg.validation.load_json) is 400 BAD_REQUEST (strawberry
alone answered some of these with a 500 or plain text).
"""

from __future__ import annotations

from typing import Any, Callable

from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import Receive, Scope, Send
from strawberry.asgi import GraphQL

from clusterkg.graphql.context import ApiSettings, Context
from clusterkg.graphql.errors import format_error
from clusterkg.graphql.schema import build_schema
from clusterkg.validation import load_json

STATUS_CODES = {400: "BAD_REQUEST", 401: "UNAUTHORIZED", 404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED", 413: "TOO_LARGE", 415: "UNSUPPORTED_MEDIA_TYPE"}


class Refused(HTTPException):
    """A request refused before it reaches the schema, with its error code."""

    def __init__(self, status_code: int, code: str, reason: str) -> None:
        super().__init__(status_code, reason)
        self.code = code


class ClusterKGGraphQL(GraphQL):
    def __init__(self, api_settings: ApiSettings, may_run_jobs: Callable[[Request], bool] = lambda request: True) -> None:
        super().__init__(build_schema(api_settings), graphql_ide=None, allow_queries_via_get=False)
        self.api_settings = api_settings
        self.may_run_jobs = may_run_jobs  # the web layer's roles: the matching jobs are for analysts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope=scope, receive=receive)
        try:
            response = await self.run(request)
        except HTTPException as exc:
            code = getattr(exc, "code", None) or STATUS_CODES.get(exc.status_code, "BAD_REQUEST")
            response = JSONResponse({"data": None, "errors": [{"message": exc.reason, "extensions": {"code": code}}]}, status_code=exc.status_code)
        await response(scope, receive, send)

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
                raise Refused(400, "LIMIT_EXCEEDED", f"the query is {len(query):,} characters long; the limit is {self.api_settings.max_query_chars:,}")
            if query.count("#") > self.api_settings.max_tokens:
                raise Refused(400, "LIMIT_EXCEEDED", f"the query has more than {self.api_settings.max_tokens:,} comments")
        return value

    async def get_context(self, request: Any, response: Any) -> dict[str, Any]:
        context = Context(request.app.state.store, self.api_settings, may_run_jobs=self.may_run_jobs(request), jobs=getattr(request.app.state, "jobs", None))
        return {"request": request, "response": response, "clusterkg": context}

    async def process_result(self, request: Any, result: Any) -> dict[str, Any]:
        payload: dict[str, Any] = {"data": result.data}
        if result.errors:
            payload["errors"] = [format_error(e) for e in result.errors]
        return payload
