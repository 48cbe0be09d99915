"""Expressions of interest: by an editor of another cluster, seen only by the two clusters, accepted or declined.

One per cluster and posting (the private store's key), in a published
posting that is not the cluster's own, with a short message. The posting's
editors accept or decline (CONFLICT when it was decided already); an accepted
interest becomes a CONNECTED tie in the graph. The private row is written
first and marks its tie written after: a crash in between leaves an accepted
interest without its tie, which `reconcile_ties` (run when the server starts)
writes again; MERGE makes that harmless.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import replace

from clusterkg import queries
from clusterkg.accounts.principal import Principal
from clusterkg.errors import Conflict, FieldErrors, NotFound
from clusterkg.graph.store import GraphStore
from clusterkg.postings.fields import check_message
from clusterkg.postings.notices import Notices
from clusterkg.postings.private import InterestRecord, InterestStatus, PrivateStore
from clusterkg.postings.records import PostingRecord
from clusterkg.postings.service import get_posting, now, today


def express_interest(
    store: GraphStore,
    private: PrivateStore,
    principal: Principal,
    posting_id: str,
    cluster_id: str,
    message: str | None,
    *,
    notices: Notices | None = None,
    day: dt.date | None = None,
) -> InterestRecord:
    """Cluster `cluster_id` (the principal edits it) is interested in the posting."""
    account = principal.require_editor_of(cluster_id)
    posting = get_posting(store, posting_id, principal, day or today())
    text = check_message(message)
    if posting.cluster_id == cluster_id:
        raise FieldErrors({"clusterId": f"'{cluster_id}' published this posting: a cluster answers others' postings"})
    if posting.status != "PUBLISHED":
        raise Conflict(
            f"posting '{posting_id}' is {posting.status}: interest is expressed in a PUBLISHED posting",
            current=posting.status,
        )
    if not queries.run(store, "existing_ids", {"ids": [cluster_id]}, labels={"label": "Cluster"}).rows:
        raise NotFound(f"no cluster has the id '{cluster_id}'")
    interest = private.add_interest(posting_id, cluster_id, text, account.id, account.email)
    if interest is None:
        earlier = private.interest_of(posting_id, cluster_id)
        raise Conflict(
            f"cluster '{cluster_id}' expressed interest in this posting already"
            + (f" on {earlier.at[:10]} (it is {earlier.status})" if earlier else ""),
            current=earlier.status if earlier else None,
        )
    if notices is not None:
        names = queries.run(store, "entities_by_id", {"ids": [cluster_id]}, labels={"label": "Cluster"}).rows
        notices.new_interest(posting, interest, names[0]["node"].get("name") if names else None)
    return interest


def write_tie(store: GraphStore, private: PrivateStore, posting: PostingRecord, interest: InterestRecord) -> None:
    queries.write(
        store,
        "interest_connect",
        {
            "owner_id": posting.cluster_id,
            "cluster_id": interest.cluster_id,
            "posting_id": posting.id,
            "interest_id": interest.id,
            "since": interest.decided_at or now(),
            "graph_revision": uuid.uuid4().hex,
        },
    )
    private.mark_tie_written(interest.id)


def decide_interest(
    store: GraphStore,
    private: PrivateStore,
    principal: Principal,
    interest_id: str,
    accept: bool,
    reason: str | None = None,
    *,
    notices: Notices | None = None,
) -> InterestRecord:
    """The posting's editors accept (a tie between the two clusters) or decline an interest."""
    principal.require()  # who asks comes first: the public learns nothing of which ids exist
    interest = private.interest(interest_id)
    if interest is None:
        raise NotFound(f"no interest has the id '{interest_id}'")
    posting = get_posting(store, interest.posting_id, principal)
    account = principal.require_editor_of(posting.cluster_id)
    text = check_message(reason)
    status: InterestStatus = "ACCEPTED" if accept else "DECLINED"
    if interest.status != "PENDING" or not private.decide(interest_id, status, account.id, text):
        current = private.interest(interest_id)
        state = current.status if current else interest.status
        raise Conflict(f"interest '{interest_id}' is {state}: it was decided already", current=state)
    decided = private.interest(interest_id) or replace(interest, status=status)
    if accept:
        write_tie(store, private, posting, decided)
    if notices is not None:
        notices.decided(posting, decided)
    return decided


def reconcile_ties(store: GraphStore, private: PrivateStore) -> int:
    """Write the ties of accepted interests that a crash kept from the graph; how many."""
    written = 0
    for interest in private.accepted_without_tie():
        try:
            posting = get_posting(store, interest.posting_id, Principal())
        except NotFound:
            continue
        write_tie(store, private, posting, interest)
        written += 1
    return written


def visible_interests(
    private: PrivateStore, principal: Principal, posting: PostingRecord
) -> list[InterestRecord] | None:
    """All interests in the posting for its cluster's editors (and moderators); None for anyone else."""
    if not principal.may_see_pending(posting.cluster_id):
        return None
    return private.interests_in([posting.id])


def own_interests(private: PrivateStore, principal: Principal, posting_id: str) -> list[InterestRecord]:
    """The interests the principal's own clusters expressed in the posting."""
    if principal.account is None or not principal.account.clusters:
        return []
    return [i for i in private.interests_from(sorted(principal.account.clusters)) if i.posting_id == posting_id]


def inbox(store: GraphStore, private: PrivateStore, principal: Principal) -> list[tuple[InterestRecord, str | None]]:
    """Interests in the postings of the clusters the principal edits, newest first, each with its posting's title."""
    account = principal.require()
    rows = queries.run(store, "postings_of_clusters", {"cluster_ids": sorted(account.clusters)}).rows
    titles = {r["id"]: r["title"] for r in rows}
    return [(i, titles.get(i.posting_id)) for i in private.interests_in(list(titles))]
