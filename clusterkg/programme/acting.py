"""Who may act for whom: a cluster's editors act for it and its member organisations; a partnership's
coordinator cluster's editors act for the partnership; moderators act for everyone (the programme officers)."""

from __future__ import annotations

from clusterkg import queries
from clusterkg.accounts.principal import Account, Principal
from clusterkg.errors import Forbidden, NotFound
from clusterkg.graph.store import GraphStore


def party_clusters(store: GraphStore, party_id: str) -> list[str]:
    """The clusters that speak for a party: the cluster itself, or the clusters an organisation is a member of."""
    rows = queries.run(store, "party_clusters", {"id": party_id}).rows
    if not rows:
        raise NotFound(f"no cluster or organisation has the id '{party_id}'")
    return sorted({c for r in rows for c in r["clusters"]})


def require_for_party(store: GraphStore, principal: Principal, party_id: str) -> Account:
    account = principal.require()
    if account.has("moderator"):
        return account
    clusters = party_clusters(store, party_id)
    if not any(account.edits(c) for c in clusters):
        raise Forbidden(
            f"{account.email} does not act for '{party_id}' (an editor of {', '.join(clusters) or 'its cluster'} does)"
        )
    return account


def require_coordinator(store: GraphStore, principal: Principal, partnership_id: str) -> Account:
    account = principal.require()
    rows = queries.run(store, "partnership_coordinators", {"id": partnership_id}).rows
    if not rows:
        raise NotFound(f"no partnership has the id '{partnership_id}'")
    coordinators = sorted(c for c in rows[0]["coordinators"] if c)
    if account.has("moderator") or any(account.edits(c) for c in coordinators):
        return account
    raise Forbidden(
        f"{account.email} is not an editor of the coordinator of partnership '{partnership_id}' "
        f"({', '.join(coordinators) or 'none recorded'})"
    )
