"""The GraphQL API as an ASGI app: strawberry's view with clusterkg's context and error format."""

from __future__ import annotations

from typing import Any

from strawberry.asgi import GraphQL

from clusterkg.graphql.context import ApiSettings, Context
from clusterkg.graphql.errors import format_error
from clusterkg.graphql.schema import build_schema


class ClusterKGGraphQL(GraphQL):
    def __init__(self, api_settings: ApiSettings) -> None:
        super().__init__(build_schema(api_settings), graphql_ide="graphiql", allow_queries_via_get=False)
        self.api_settings = api_settings

    async def get_context(self, request: Any, response: Any) -> dict[str, Any]:
        return {"request": request, "response": response, "clusterkg": Context(request.app.state.store, self.api_settings)}

    async def process_result(self, request: Any, result: Any) -> dict[str, Any]:
        payload: dict[str, Any] = {"data": result.data}
        if result.errors:
            payload["errors"] = [format_error(e) for e in result.errors]
        return payload
