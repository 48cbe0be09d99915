"""Who may ask for a field, declared on the field (strawberry's `permission_classes`), never checked by hand in a resolver.

A refused field answers with the class's message and its code in
`extensions.code`, and its resolver does not run.
"""

from __future__ import annotations

from typing import Any

from strawberry.permission import BasePermission
from strawberry.types import Info

from clusterkg.graphql.types import ctx


class AnalystOnly(BasePermission):
    """The matching fields and jobs: analysts only when the server is served beyond loopback."""

    message = "the matching jobs need an analyst token on this server: send Authorization: Bearer <token>"
    error_extensions = {"code": "UNAUTHORIZED"}

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return bool(ctx(info).may_run_jobs)
