"""The write side's root fields, merged into Query and Mutation (clusterkg.graphql.schema): thin calls into graphql.changes."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from clusterkg.graphql import changes
from clusterkg.graphql.changes import (
    Change,
    ChangeStatus,
    ClusterChanges,
    EditorAdded,
    Me,
    MemberInput,
    ReviewDecision,
    update_cluster,
)
from clusterkg.graphql.entities import Cluster, load_clusters


@strawberry.type(description="The result of an edit: the change as recorded, and the cluster as it now is.")
class ChangeResult:
    change: Change
    status: ChangeStatus
    revision: int = strawberry.field(
        description="The cluster's revision now (unchanged while the change waits for review)."
    )

    @strawberry.field
    async def cluster(self, info: Info) -> Cluster | None:
        return (await load_clusters(info, [str(self.change.cluster_id)]))[0]

    @classmethod
    def of(cls, change: Change) -> ChangeResult:
        return cls(
            change=change,
            status=change.status,
            revision=change.revision if change.revision is not None else change.base_revision,
        )


EDIT_NOTE = (
    " `revision` is the cluster's revision you read: a stale one is CONFLICT (extensions.current names the current)."
    " The change publishes at once or waits for review (its status says which)."
)


@strawberry.type
class ChangeQuery:
    @strawberry.field(description="The signed-in account (null for the public).")
    def me(self, info: Info) -> Me | None:
        return changes.me(info)

    @strawberry.field(
        description="One change by id (a pending or rejected one only for its cluster's editors and the moderators)."
    )
    async def change(self, info: Info, id: strawberry.ID) -> Change:
        return await changes.change(info, id)

    @strawberry.field(description="The moderators' queue: changes waiting for review, oldest first (moderators).")
    async def review_queue(self, info: Info, first: int = 50) -> list[Change]:
        return await changes.review_queue(info, first)


@strawberry.type
class ChangeMutation:
    @strawberry.mutation(description="Change a cluster's profile fields (its editors and the moderators)." + EDIT_NOTE)
    async def update_cluster(
        self, info: Info, id: strawberry.ID, changes: ClusterChanges, revision: int
    ) -> ChangeResult:
        return ChangeResult.of(await update_cluster(info, id, changes, revision))

    @strawberry.mutation(description="Replace what a cluster offers and/or seeks (competence ids)." + EDIT_NOTE)
    async def update_cluster_competences(
        self,
        info: Info,
        id: strawberry.ID,
        revision: int,
        offers: list[strawberry.ID] | None = None,
        seeks: list[strawberry.ID] | None = None,
    ) -> ChangeResult:
        return ChangeResult.of(await changes.update_cluster_competences(info, id, revision, offers, seeks))

    @strawberry.mutation(
        description="Replace the industrial ecosystems a cluster is active in (ecosystem ids)." + EDIT_NOTE
    )
    async def update_cluster_ecosystems(
        self, info: Info, id: strawberry.ID, revision: int, ecosystems: list[strawberry.ID]
    ) -> ChangeResult:
        return ChangeResult.of(await changes.update_cluster_ecosystems(info, id, revision, ecosystems))

    @strawberry.mutation(description="Add member organisations (of the graph, or new) and remove others." + EDIT_NOTE)
    async def update_cluster_members(
        self,
        info: Info,
        id: strawberry.ID,
        revision: int,
        add: list[MemberInput] | None = None,
        remove: list[strawberry.ID] | None = None,
    ) -> ChangeResult:
        return ChangeResult.of(await changes.update_cluster_members(info, id, revision, add, remove))

    @strawberry.mutation(description="Approve (publish) or reject a pending change (moderators).")
    async def review_change(
        self, info: Info, id: strawberry.ID, decision: ReviewDecision, comment: str | None = None
    ) -> ChangeResult:
        return ChangeResult.of(await changes.review_change(info, id, decision, comment))

    @strawberry.mutation(description="Undo a published change: every field set back, in a new change (moderators).")
    async def revert_change(self, info: Info, id: strawberry.ID, comment: str | None = None) -> ChangeResult:
        return ChangeResult.of(await changes.revert_change(info, id, comment))

    @strawberry.mutation(
        description="Add a colleague as co-editor of a cluster you edit; a new account's token is returned this once."
    )
    async def add_cluster_editor(self, info: Info, cluster_id: strawberry.ID, email: str) -> EditorAdded:
        return await changes.add_cluster_editor(info, cluster_id, email)
