"""Errors a user may see.

Every failure a user can cause or meet (bad input, a server that will not
start, a query the engine refuses) is one of these, carrying a message that
says what happened and what to do. The CLI and the API print the message,
never a traceback.

Each class carries its `code` (the vocabulary of GraphQL's `extensions.code`)
and the HTTP `status` it stands for: the GraphQL error mapping and the analyst
page both derive theirs from these, never from a chain of isinstance checks
of their own. `internal` marks what a user cannot fix (the engine is down, our
own query failed): the surfaces log it and answer with `public_message`.
"""

from __future__ import annotations

from typing import ClassVar


class ClusterKGError(Exception):
    """Base class: the message is written for the user."""

    code: ClassVar[str] = "BAD_USER_INPUT"
    status: ClassVar[int] = 400
    internal: ClassVar[bool] = False
    public_message: ClassVar[str | None] = None  # what an internal error says instead of its own message


class NotFound(ClusterKGError):
    """An id that names nothing in the graph."""

    code = "NOT_FOUND"
    status = 404


class BadParameter(ClusterKGError):
    """A parameter value no engine can take (a NUL in a text): the caller's input, not the engine's fault."""


class ConfigError(ClusterKGError):
    """A setting (URL, data dir, option) is unusable."""


class EngineUnavailable(ClusterKGError):
    """The graph engine cannot be reached or started."""

    code = "ENGINE_UNAVAILABLE"
    status = 503
    internal = True
    public_message = "the graph engine is not available right now"


class AuthenticationFailed(EngineUnavailable):
    """The engine refused our credentials."""


class QueryError(ClusterKGError):
    """The engine rejected a query (syntax, semantics, runtime).

    `line` and `column` are 1-based when the engine reports a position.
    The analyst page shows it as it is (the query is the analyst's); anywhere
    else the query is clusterkg's own, and its failure is internal.
    """

    code = "ENGINE"

    def __init__(self, message: str, *, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.line = line
        self.column = column


class QueryTimeout(QueryError):
    """A query ran past its time limit and was stopped."""

    code = "TIMEOUT"


class ReadOnlyViolation(QueryError):
    """A write was attempted where only reads are allowed."""

    code = "READ_ONLY"
    status = 403


class QueryTooLarge(QueryError):
    """A query needed more memory than the engine allows one query."""

    code = "LIMIT_EXCEEDED"


class Unauthenticated(ClusterKGError):
    """A write (or a private read) without a valid token or session."""

    code = "UNAUTHENTICATED"
    status = 401


class Forbidden(ClusterKGError):
    """Signed in, but this account may not do this (an editor of another cluster, a role it lacks)."""

    code = "FORBIDDEN"
    status = 403


class Conflict(ClusterKGError):
    """The thing changed since the caller read it (a stale revision), or its state does not allow the move."""

    code = "CONFLICT"
    status = 409

    def __init__(self, message: str, *, current: object = None):
        super().__init__(message)
        self.current = current  # the current revision or state, for the client to retry with


class FieldErrors(ClusterKGError):
    """Input that fails validation; `fields` maps each field (as the API names it) to why. Nothing was written."""

    def __init__(self, fields: dict[str, str]):
        super().__init__("; ".join(f"{name}: {reason}" for name, reason in fields.items()))
        self.fields = fields
