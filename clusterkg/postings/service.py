"""Creating, editing, closing, renewing and expiring postings: authorised, validated, then one guarded write each.

Every operation checks the principal first (an editor of the posting's
cluster, or a moderator), validates everything before writing (FieldErrors
naming each field; unknown competences, value chains or ecosystems too), and
writes once with a named query that bumps the posting's revision and the
graph's, so two editors never silently overwrite each other (CONFLICT names
the current revision) and the response cache forgets what it showed.
Who hears of it is decided after the write commits (clusterkg.postings.notices).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import replace
from typing import Any

from clusterkg import queries
from clusterkg.accounts.principal import Principal
from clusterkg.errors import Conflict, FieldErrors, NotFound
from clusterkg.graph.store import GraphStore
from clusterkg.postings.fields import PostingDraft, check_deadline, check_draft, unknown_ids_error
from clusterkg.postings.notices import Notices
from clusterkg.postings.records import PostingRecord, relation_params
from clusterkg.postings.search import postings_by_id

LABEL_OF = {"competences": "Competence", "value_chains": "ValueChain", "ecosystems": "Ecosystem"}


def today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def get_posting(store: GraphStore, posting_id: str, principal: Principal, day: dt.date | None = None) -> PostingRecord:
    """The posting as of `day`; a draft only for its cluster's editors (NOT_FOUND for everyone else)."""
    found = postings_by_id(store, [posting_id], day or today()).get(posting_id)
    if found is None or (found.status == "DRAFT" and not principal.may_see_pending(found.cluster_id)):
        raise NotFound(f"no posting has the id '{posting_id}'")
    return found


def _unknown_ids(store: GraphStore, values: dict[str, Any]) -> None:
    missing: dict[str, list[str]] = {}
    for prop, label in LABEL_OF.items():
        wanted = values.get(prop)
        if wanted:
            rows = queries.run(store, "existing_ids", {"ids": wanted}, labels={"label": label}).rows
            missing[prop] = sorted(set(wanted) - {r["id"] for r in rows})
    error = unknown_ids_error(missing)
    if error is not None:
        raise error


def create_posting(
    store: GraphStore,
    principal: Principal,
    cluster_id: str,
    draft: PostingDraft,
    *,
    publish: bool = True,
    notices: Notices | None = None,
    day: dt.date | None = None,
) -> PostingRecord:
    """A new posting of the cluster, published at once or kept as a draft only its editors see."""
    account = principal.require_editor_of(cluster_id)
    day = day or today()
    values = check_draft(draft, day, new=True)
    _unknown_ids(store, values)
    at = now()
    posting = {
        **values,
        "id": f"post-{uuid.uuid4().hex[:12]}",
        "cluster_id": cluster_id,
        "status": "PUBLISHED" if publish else "DRAFT",
        "created_at": at,
        "updated_at": at,
        "published_at": at if publish else None,
        "by": account.id,
        "revision": 0,
        "synthetic": False,
        "source": "edit",
    }
    stats = queries.write(
        store,
        "posting_create",
        {
            "cluster_id": cluster_id,
            "posting": posting,
            **relation_params(values["kind"], values["competences"]),
            "value_chains": values["value_chains"],
            "ecosystems": values["ecosystems"],
            "graph_revision": uuid.uuid4().hex,
            "at": at,
        },
    )
    if not stats.returned:
        raise NotFound(f"no cluster has the id '{cluster_id}'")
    created = get_posting(store, posting["id"], principal, day)
    if notices is not None and publish:
        notices.new_posting(store, created, day)
    return created


def _write(
    store: GraphStore,
    current: PostingRecord,
    revision: int,
    properties: dict[str, Any],
    replace_relations: dict[str, list[str]] | None = None,
) -> None:
    relations = replace_relations or {}
    kind = properties.get("kind", current.kind)
    competences = relations.get("competences")
    params = {
        "id": current.id,
        "revision": revision,
        "properties": {**properties, "updated_at": now()},
        "replace_competences": competences is not None,
        **relation_params(kind, competences if competences is not None else []),
        "replace_value_chains": "value_chains" in relations,
        "value_chains": relations.get("value_chains", []),
        "replace_ecosystems": "ecosystems" in relations,
        "ecosystems": relations.get("ecosystems", []),
        "graph_revision": uuid.uuid4().hex,
        "at": now(),
    }
    if not queries.write(store, "posting_update", params).returned:
        latest = postings_by_id(store, [current.id], today())[current.id]
        raise Conflict(
            f"posting '{current.id}' is at revision {latest.revision}, not {revision}: someone changed it since you "
            "read it; read it again and re-apply your change",
            current=latest.revision,
        )


def _owned(store: GraphStore, principal: Principal, posting_id: str, day: dt.date) -> PostingRecord:
    principal.require()  # who asks comes first: the public learns nothing of which ids exist
    current = get_posting(store, posting_id, principal, day)
    principal.require_editor_of(current.cluster_id)
    return current


def update_posting(
    store: GraphStore,
    principal: Principal,
    posting_id: str,
    draft: PostingDraft,
    revision: int,
    *,
    notices: Notices | None = None,
    day: dt.date | None = None,
) -> PostingRecord:
    """Change what a posting says (its editors); a closed one stays closed."""
    day = day or today()
    current = _owned(store, principal, posting_id, day)
    if current.status == "CLOSED":
        raise Conflict(f"posting '{posting_id}' is CLOSED: post a new one", current="CLOSED")
    values = check_draft(draft, day, new=False)
    _unknown_ids(store, values)
    changed = {k: v for k, v in values.items() if v != _value(current, k)}
    if "kind" in changed and "competences" not in changed:
        changed["competences"] = list(current.competences)  # a new kind turns SEEKS into OFFERS or back
    if not changed:
        raise FieldErrors({"changes": "nothing to change: every value given is the posting's value already"})
    relations = {k: changed[k] for k in LABEL_OF if k in changed}
    if "deadline" in changed and current.status == "EXPIRED":
        changed["status"] = "PUBLISHED"  # a new deadline ahead renews an expired posting
    if revision != current.revision:
        raise Conflict(
            f"posting '{posting_id}' is at revision {current.revision}, not {revision}: read it again",
            current=current.revision,
        )
    _write(store, current, revision, changed, relations)
    updated = get_posting(store, posting_id, principal, day)
    if notices is not None:
        notices.posting_changed(updated, "was updated (" + ", ".join(sorted(changed)) + ")")
    return updated


def _value(record: PostingRecord, prop: str) -> Any:
    value = getattr(record, prop)
    return list(value) if isinstance(value, tuple) else value


def _move(
    store: GraphStore,
    principal: Principal,
    posting_id: str,
    allowed: tuple[str, ...],
    properties: dict[str, Any],
    what: str,
    notices: Notices | None,
    day: dt.date | None,
) -> PostingRecord:
    day = day or today()
    current = _owned(store, principal, posting_id, day)
    if current.status not in allowed:
        raise Conflict(
            f"posting '{posting_id}' is {current.status}: only a {' or '.join(allowed)} posting can be {what}",
            current=current.status,
        )
    _write(store, current, current.revision, properties)
    moved = get_posting(store, posting_id, principal, day)
    if notices is not None:
        notices.posting_changed(moved, f"was {what}")
    return moved


def close_posting(
    store: GraphStore,
    principal: Principal,
    posting_id: str,
    *,
    notices: Notices | None = None,
    day: dt.date | None = None,
) -> PostingRecord:
    """Close a posting (found a partner, or gave up): it stays visible as CLOSED, and takes no more interest."""
    properties = {"status": "CLOSED", "closed_at": now()}
    return _move(store, principal, posting_id, ("PUBLISHED", "EXPIRED", "DRAFT"), properties, "closed", notices, day)


def publish_posting(
    store: GraphStore,
    principal: Principal,
    posting_id: str,
    *,
    notices: Notices | None = None,
    day: dt.date | None = None,
) -> PostingRecord:
    """Publish a draft (its deadline must still lie ahead)."""
    day = day or today()
    current = _owned(store, principal, posting_id, day)
    try:
        check_deadline(current.deadline, day)
    except ValueError as exc:
        raise FieldErrors({"deadline": f"{exc}: renew it with a new deadline first"}) from None
    published = _move(
        store, principal, posting_id, ("DRAFT",), {"status": "PUBLISHED", "published_at": now()}, "published", None, day
    )
    if notices is not None:
        notices.new_posting(store, published, day)
    return published


def renew_posting(
    store: GraphStore,
    principal: Principal,
    posting_id: str,
    deadline: str,
    *,
    notices: Notices | None = None,
    day: dt.date | None = None,
) -> PostingRecord:
    """A new deadline for a published or expired posting: published again until then."""
    day = day or today()
    try:
        new_deadline = check_deadline(deadline, day)
    except ValueError as exc:
        raise FieldErrors({"deadline": str(exc)}) from None
    properties = {"status": "PUBLISHED", "deadline": new_deadline}
    return _move(store, principal, posting_id, ("PUBLISHED", "EXPIRED"), properties, "renewed", notices, day)


def expire_due(store: GraphStore, *, notices: Notices | None = None, day: dt.date | None = None) -> list[str]:
    """Write EXPIRED on the published postings past their deadline (reads count them expired already); their ids."""
    day = day or today()
    stats = queries.write(
        store, "postings_expire", {"today": day.isoformat(), "graph_revision": uuid.uuid4().hex, "at": now()}
    )
    expired: list[str] = sorted({r["id"] for r in stats.returned})
    if notices is not None and expired:
        for posting in postings_by_id(store, expired, day).values():
            notices.posting_changed(replace(posting, status="EXPIRED"), "expired (its deadline passed)")
    return expired
