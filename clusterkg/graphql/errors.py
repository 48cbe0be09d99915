"""Error codes a front-end can rely on, and a message a user understands.

Every error in a response carries `extensions.code`:
  BAD_USER_INPUT  the request is wrong (syntax, unknown field or enum value, bad argument)
  NOT_FOUND       an id names nothing
  TIMEOUT         the engine stopped a query at the request's time limit
  LIMIT_EXCEEDED  page size, depth, aliases, tokens or estimated cost over the limit
  UNAUTHORIZED    a matching job asked for without an analyst token (when served beyond loopback)
  UNAUTHENTICATED a write (or a private read) without a valid token or session
  FORBIDDEN       signed in, but not allowed this (an editor of another cluster, a role it lacks)
  CONFLICT        a stale revision, or a state that does not allow the move (`extensions.current` names it)
BAD_USER_INPUT from a field check carries `extensions.fields`: field -> reason; nothing was written.
  INTERNAL        anything else; the message is generic and the detail is logged, never sent
"""

from __future__ import annotations

import logging
from typing import Any

from graphql import GraphQLError

from clusterkg.errors import ClusterKGError, Conflict, FieldErrors

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


# Codes of clusterkg.errors as the API names them: an engine error in GraphQL is a failure of
# clusterkg's own Cypher, so it is internal here (the analyst page shows it as the analyst's).
GRAPHQL_CODES = {"ENGINE": "INTERNAL", "READ_ONLY": "INTERNAL", "ENGINE_UNAVAILABLE": "INTERNAL"}
TIMEOUT_MESSAGE = "the query took longer than this server allows; narrow it (fewer results, more filters)"


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
    if not isinstance(original, ClusterKGError):
        log.exception("unexpected error in a resolver", exc_info=original)
        return "INTERNAL", "internal error"
    code = GRAPHQL_CODES.get(original.code, original.code)
    if code == "INTERNAL":
        log.error("%s: %s", type(original).__name__, original)
        return code, original.public_message or "internal error"
    if code == "TIMEOUT":
        return code, TIMEOUT_MESSAGE
    return code, str(original)


def format_error(error: GraphQLError) -> dict[str, Any]:
    code, message = code_and_message(error)
    formatted: dict[str, Any] = {"message": message, "extensions": {"code": code, **_details(error.original_error)}}
    if error.locations:
        formatted["locations"] = [{"line": loc.line, "column": loc.column} for loc in error.locations]
    if error.path:
        formatted["path"] = list(error.path)
    return formatted


def _details(original: BaseException | None) -> dict[str, Any]:
    """What a client needs to fix or retry: each bad field and why, or the current revision or state."""
    if isinstance(original, FieldErrors):
        return {"fields": original.fields}
    if isinstance(original, Conflict) and original.current is not None:
        return {"current": original.current}
    return {}


def coded(error: ClusterKGError) -> GraphQLError:
    """The error with its code in `extensions`, as a subscription's event carries it (the WebSocket transport sends
    errors as graphql-core formats them, without format_error)."""
    code = GRAPHQL_CODES.get(error.code, error.code)
    return GraphQLError(str(error), original_error=error, extensions={"code": code, **_details(error)})
