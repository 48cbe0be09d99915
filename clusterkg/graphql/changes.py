"""The write side of the API: edits of a cluster, their review and revert, the profile's history, co-editors.

Resolvers are thin: they read who is asking (the request's principal), turn
the input into a clusterkg.changes Edit, and run it in a worker thread. The
service authorises, validates and writes; its errors carry their codes
(UNAUTHENTICATED, FORBIDDEN, CONFLICT, BAD_USER_INPUT with `extensions.fields`).
These names are a contract front-ends build on: change them only with a
deprecation.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from clusterkg.changes import service
from clusterkg.changes.fields import NewMember
from clusterkg.changes.records import ChangeRecord, HistoryEntry
from clusterkg.errors import FieldErrors
from clusterkg.graphql.types import check_page, ctx


@strawberry.enum(description="Where a change stands.")
class ChangeStatus(enum.Enum):
    PUBLISHED = "PUBLISHED"
    PENDING_REVIEW = "PENDING_REVIEW"
    REJECTED = "REJECTED"
    REVERTED = "REVERTED"


@strawberry.enum(description="A moderator's decision on a pending change.")
class ReviewDecision(enum.Enum):
    APPROVE = "APPROVE"
    REJECT = "REJECT"


@strawberry.type(
    description="One field of a change: before and after (lists of ids for offers, seeks, ecosystems, members)."
)
class FieldChange:
    field: str
    before: JSON | None
    after: JSON | None


@strawberry.type(
    description="An edit of a cluster's profile: who made it (an account, never a token), when, and its review."
)
class Change:
    id: strawberry.ID
    cluster_id: strawberry.ID
    kind: str
    status: ChangeStatus
    by: str = strawberry.field(description="The e-mail of the account that made it.")
    at: str
    base_revision: int = strawberry.field(description="The cluster's revision the change was made against.")
    revision: int | None = strawberry.field(description="The cluster's revision it published, if it did.")
    reviewed_by: str | None
    reviewed_at: str | None
    comment: str | None
    reverts: strawberry.ID | None
    reverted_by: strawberry.ID | None
    fields: list[FieldChange]
    unmet_rules: list[str] = strawberry.field(
        description="Why it waits for review: the publication rules the profile does not meet (empty once decided)."
    )
    cluster_name: str | None = strawberry.field(default=None, description="The cluster's name (in the review queue).")

    @classmethod
    def of(cls, record: ChangeRecord) -> Change:
        return cls(
            id=strawberry.ID(record.id),
            cluster_id=strawberry.ID(record.cluster_id),
            kind=record.kind,
            status=ChangeStatus(record.status),
            by=record.by_email or record.by,
            at=record.at,
            base_revision=record.base_revision,
            revision=record.revision,
            reviewed_by=record.reviewed_by,
            reviewed_at=record.reviewed_at,
            comment=record.comment,
            reverts=strawberry.ID(record.reverts) if record.reverts else None,
            reverted_by=strawberry.ID(record.reverted_by) if record.reverted_by else None,
            fields=[FieldChange(field=f.field, before=f.before, after=f.after) for f in record.fields],
            unmet_rules=list(record.unmet_rules),
        )


@strawberry.type(description="One field of one change in a profile's history.")
class HistoryItem:
    cursor: str
    change_id: strawberry.ID
    at: str
    by: str = strawberry.field(description="The e-mail of the account that made the change.")
    field: str
    before: JSON | None
    after: JSON | None
    status: ChangeStatus
    reviewed_by: str | None
    comment: str | None

    @classmethod
    def of(cls, entry: HistoryEntry) -> HistoryItem:
        change = entry.change
        return cls(
            cursor=entry.cursor,
            change_id=strawberry.ID(change.id),
            at=change.at,
            by=change.by_email or change.by,
            field=entry.field.field,
            before=entry.field.before,
            after=entry.field.after,
            status=ChangeStatus(change.status),
            reviewed_by=change.reviewed_by,
            comment=change.comment,
        )


@strawberry.input(
    description="Profile fields to change; a field left out is kept, null clears it (name cannot be cleared)."
)
class ClusterChanges:
    name: str | None = strawberry.UNSET
    acronym: str | None = strawberry.UNSET
    website: str | None = strawberry.field(default=strawberry.UNSET, description="An http(s) address.")
    city: str | None = strawberry.UNSET
    founded: int | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    members_total: int | None = strawberry.UNSET
    sme_members: int | None = strawberry.UNSET
    large_members: int | None = strawberry.UNSET
    research_members: int | None = strawberry.UNSET
    management_fte: float | None = strawberry.field(
        default=strawberry.UNSET, description="Full-time equivalents of cluster management staff (the ECCP asks 0.5)."
    )
    cluster_programme: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="The regional or national cluster programme it belongs to (waives the ECCP criteria).",
    )
    contact_name: str | None = strawberry.UNSET
    contact_email: str | None = strawberry.UNSET


@strawberry.input(description="A member to add: an organisation of the graph by id, or a new one by name and kind.")
class MemberInput:
    organisation_id: strawberry.ID | None = None
    name: str | None = None
    kind: str | None = strawberry.field(default=None, description="sme, large, research, university, public or other")


_API_NAMES = {
    "members_total": "membersTotal",
    "sme_members": "smeMembers",
    "large_members": "largeMembers",
    "research_members": "researchMembers",
    "management_fte": "managementFte",
    "cluster_programme": "clusterProgramme",
    "contact_name": "contactName",
    "contact_email": "contactEmail",
}


def _given(changes: ClusterChanges) -> dict[str, Any]:
    return {_API_NAMES.get(name, name): value for name, value in vars(changes).items() if value is not strawberry.UNSET}


async def _result(info: Info, run: Callable[[], ChangeRecord]) -> Change:
    record: ChangeRecord = await ctx(info).call(run)
    return Change.of(record)


def _edit(info: Info, cluster_id: str, edit: service.Edit, revision: int) -> Callable[[], ChangeRecord]:
    context = ctx(info)
    return lambda: service.edit_cluster(
        context.store, context.principal, cluster_id, edit, revision, review=context.settings.review
    )


async def update_cluster(info: Info, id: strawberry.ID, changes: ClusterChanges, revision: int) -> Change:
    edit = service.Edit("profile", profile=_given(changes))
    return await _result(info, _edit(info, str(id), edit, revision))


async def update_cluster_competences(
    info: Info, id: strawberry.ID, revision: int, offers: list[strawberry.ID] | None, seeks: list[strawberry.ID] | None
) -> Change:
    if offers is None and seeks is None:
        raise FieldErrors({"offers": "give offers, seeks or both"})
    edit = service.Edit("competences", offers=offers, seeks=seeks)
    return await _result(info, _edit(info, str(id), edit, revision))


async def update_cluster_ecosystems(
    info: Info, id: strawberry.ID, revision: int, ecosystems: list[strawberry.ID]
) -> Change:
    edit = service.Edit("ecosystems", ecosystems=ecosystems)
    return await _result(info, _edit(info, str(id), edit, revision))


async def update_cluster_members(
    info: Info, id: strawberry.ID, revision: int, add: list[MemberInput] | None, remove: list[strawberry.ID] | None
) -> Change:
    members = [NewMember(str(m.organisation_id) if m.organisation_id else None, m.name, m.kind) for m in add or []]
    edit = service.Edit("members", add_members=members, remove_members=[str(r) for r in remove or []])
    return await _result(info, _edit(info, str(id), edit, revision))


async def review_change(info: Info, id: strawberry.ID, decision: ReviewDecision, comment: str | None) -> Change:
    context = ctx(info)
    return await _result(
        info, lambda: service.review_change(context.store, context.principal, str(id), decision.value, comment)
    )


async def revert_change(info: Info, id: strawberry.ID, comment: str | None) -> Change:
    context = ctx(info)
    return await _result(info, lambda: service.revert_change(context.store, context.principal, str(id), comment))


async def cluster_history(info: Info, cluster_id: str, first: int, after: str | None) -> list[HistoryItem]:
    check_page(info, first)
    context = ctx(info)
    entries = await context.call(lambda: service.history(context.store, context.principal, cluster_id, first, after))
    return [HistoryItem.of(e) for e in entries]


async def pending_of(info: Info, cluster_id: str) -> list[Change]:
    context = ctx(info)
    if not context.principal.may_see_pending(cluster_id):
        return []
    rows = await context.query(
        "changes_of", {"cluster_id": cluster_id, "statuses": ["PENDING_REVIEW"], "skip": 0, "limit": 100}
    )
    return [Change.of(ChangeRecord.from_node(r["change"])) for r in rows]


async def review_queue(info: Info, first: int) -> list[Change]:
    check_page(info, first)
    context = ctx(info)
    found = await context.call(lambda: service.pending(context.store, context.principal, first))
    return [replace(Change.of(record), cluster_name=name) for record, name in found]


async def change(info: Info, id: strawberry.ID) -> Change:
    context = ctx(info)
    record = await context.call(lambda: service.get_change(context.store, str(id)))
    if record.status in ("PENDING_REVIEW", "REJECTED") and not context.principal.may_see_pending(record.cluster_id):
        from clusterkg.errors import NotFound

        raise NotFound(f"no change has the id '{id}'")  # a pending change is its editors' and the moderators' only
    return Change.of(record)


@strawberry.type(description="Who is asking: the signed-in account, with its roles and the clusters it edits.")
class Me:
    email: str
    name: str | None
    roles: list[str]
    clusters: list[strawberry.ID]


@strawberry.type(
    description="A co-editor added; `token` only when the call made a new account (shown this once: hand it over)."
)
class EditorAdded:
    email: str
    cluster_id: strawberry.ID
    token: str | None


def me(info: Info) -> Me | None:
    account = ctx(info).principal.account
    if account is None:
        return None
    return Me(
        email=account.email,
        name=account.name,
        roles=sorted(account.roles),
        clusters=[strawberry.ID(c) for c in sorted(account.clusters)],
    )


async def add_cluster_editor(info: Info, cluster_id: strawberry.ID, email: str) -> EditorAdded:
    context = ctx(info)
    inviter = context.principal.require_editor_of(str(cluster_id))
    accounts = context.require_accounts()

    def run() -> EditorAdded:
        service.read_current(context.store, str(cluster_id))  # NOT_FOUND for a cluster that is not there
        existing = accounts.by_email(email)
        if existing is not None:
            accounts.add_editor(existing.id, str(cluster_id), inviter.id)
            return EditorAdded(email=existing.email, cluster_id=cluster_id, token=None)
        account, token = accounts.add(email, ["editor"], [str(cluster_id)], granted_by=inviter.id)
        return EditorAdded(email=account.email, cluster_id=cluster_id, token=token.text)

    added: EditorAdded = await context.call(run)
    return added
