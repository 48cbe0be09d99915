"""Error codes a front-end can rely on, and a message a user understands.

Every error in a response carries `extensions.code`:
  BAD_USER_INPUT  the request is wrong (syntax, unknown field or enum value, bad argument)
  NOT_FOUND       an id names nothing
  TIMEOUT         the engine stopped a query at the request's time limit
  LIMIT_EXCEEDED  page size, depth, aliases, tokens or estimated cost over the limit
  UNAUTHORIZED    a matching job asked for without an analyst token (when served beyond loopback)
  INTERNAL        anything else; the message is generic and the detail is logged, never sent
"""

from __future__ import annotations

import logging
from typing import Any

from graphql import GraphQLError

from clusterkg.errors import ClusterKGError, EngineUnavailable, NotFound, QueryError, QueryTimeout

log = logging.getLogger("clusterkg.graphql")

_LIMIT_MESSAGES = ("exceeds maximum operation depth", "aliases found", "tokens. parsing aborted")


class ApiError(GraphQLError):
    code = "BAD_USER_INPUT"

    def __init__(self, message: str) -> None:
        super().__init__(message, extensions={"code": self.code})


class LimitExceeded(ApiError):
    code = "LIMIT_EXCEEDED"


class Unauthorized(ApiError):
    code = "UNAUTHORIZED"


def code_and_message(error: GraphQLError) -> tuple[str, str]:
    existing = (error.extensions or {}).get("code")
    if existing:
        return existing, error.message
    original = error.original_error
    if original is None or isinstance(original, GraphQLError):
        lowered = error.message.lower()
        if any(text in lowered for text in _LIMIT_MESSAGES):
            return "LIMIT_EXCEEDED", error.message
        return "BAD_USER_INPUT", error.message
    if isinstance(original, NotFound):
        return "NOT_FOUND", str(original)
    if isinstance(original, QueryTimeout):
        return "TIMEOUT", "the query took longer than this server allows; narrow it (fewer results, more filters)"
    if isinstance(original, EngineUnavailable):
        log.error("graph engine unavailable: %s", original)
        return "INTERNAL", "the graph engine is not available right now"
    if isinstance(original, QueryError):
        log.error("engine rejected a query: %s", original)
        return "INTERNAL", "internal error"
    if isinstance(original, ClusterKGError):
        return "BAD_USER_INPUT", str(original)
    log.exception("unexpected error in a resolver", exc_info=original)
    return "INTERNAL", "internal error"


def format_error(error: GraphQLError) -> dict[str, Any]:
    code, message = code_and_message(error)
    formatted: dict[str, Any] = {"message": message, "extensions": {"code": code}}
    if error.locations:
        formatted["locations"] = [{"line": loc.line, "column": loc.column} for loc in error.locations]
    if error.path:
        formatted["path"] = list(error.path)
    return formatted
