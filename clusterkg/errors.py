"""Errors a user may see.

Every failure a user can cause or meet (bad input, a server that will not
start, a query the engine refuses) is one of these, carrying a message that
says what happened and what to do. The CLI and the API print the message,
never a traceback.
"""

from __future__ import annotations


class ClusterKGError(Exception):
    """Base class: the message is written for the user."""


class NotFound(ClusterKGError):
    """An id that names nothing in the graph."""


class BadParameter(ClusterKGError):
    """A parameter value no engine can take (a NUL in a text): the caller's input, not the engine's fault."""


class ConfigError(ClusterKGError):
    """A setting (URL, data dir, option) is unusable."""


class EngineUnavailable(ClusterKGError):
    """The graph engine cannot be reached or started."""


class AuthenticationFailed(EngineUnavailable):
    """The engine refused our credentials."""


class QueryError(ClusterKGError):
    """The engine rejected a query (syntax, semantics, runtime).

    `line` and `column` are 1-based when the engine reports a position.
    """

    def __init__(self, message: str, *, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.line = line
        self.column = column


class QueryTimeout(QueryError):
    """A query ran past its time limit and was stopped."""


class ReadOnlyViolation(QueryError):
    """A write was attempted where only reads are allowed."""


class QueryTooLarge(QueryError):
    """A query needed more memory than the engine allows one query."""
