"""Who a request speaks for, and what it may do: the roles of clusterkg's write side."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from clusterkg.errors import Forbidden, Unauthenticated

Role = Literal["editor", "moderator", "admin", "analyst"]
ROLES: tuple[Role, ...] = ("editor", "moderator", "admin", "analyst")


def role_of(text: str) -> Role:
    """The role named by `text`, or an error naming the four."""
    for role in ROLES:
        if text.strip().lower() == role:
            return role
    raise ValueError(f"role must be one of {', '.join(ROLES)}, not '{text}'")


@dataclass(frozen=True)
class Account:
    """A person who may write: roles, and the clusters they edit (an editor's)."""

    id: str
    email: str
    name: str | None
    roles: frozenset[Role]
    clusters: frozenset[str] = field(default_factory=frozenset)
    oidc_subject: str | None = None
    created_at: str = ""
    revoked_at: str | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def has(self, role: Role) -> bool:
        # an admin manages accounts and may also do what a moderator does
        return role in self.roles or (role == "moderator" and "admin" in self.roles)

    def edits(self, cluster_id: str) -> bool:
        return cluster_id in self.clusters or self.has("moderator")


@dataclass(frozen=True)
class Principal:
    """The account a request carries, or none (the public)."""

    account: Account | None = None
    via: str = ""  # "token" or "session": how it signed in

    @property
    def signed_in(self) -> bool:
        return self.account is not None

    def require(self) -> Account:
        """The account, or UNAUTHENTICATED."""
        if self.account is None:
            raise Unauthenticated("sign in first: send Authorization: Bearer <token> (clusterkg users add prints one)")
        return self.account

    def require_role(self, role: Role) -> Account:
        account = self.require()
        if not account.has(role):
            raise Forbidden(
                f"this needs the {role} role; {account.email} has {', '.join(sorted(account.roles)) or 'none'}"
            )
        return account

    def require_editor_of(self, cluster_id: str) -> Account:
        account = self.require()
        if not account.edits(cluster_id):
            raise Forbidden(f"{account.email} is not an editor of cluster '{cluster_id}'")
        return account

    def may_see_pending(self, cluster_id: str) -> bool:
        return self.account is not None and self.account.edits(cluster_id)


PUBLIC = Principal()
