"""The postings' mutations, merged into Mutation (clusterkg.graphql.schema): thin calls into clusterkg.postings."""

from __future__ import annotations

import datetime as dt

import strawberry
from strawberry.types import Info

from clusterkg.changes.fields import text_field
from clusterkg.errors import FieldErrors, NotFound
from clusterkg.graphql.postings import (
    Interest,
    Posting,
    PostingFilter,
    PostingInput,
    SavedPostingSearch,
    _notices,
    _private,
)
from clusterkg.graphql.types import ctx
from clusterkg.postings import interests as interest_flow
from clusterkg.postings import service

WRITE_NOTE = " Its cluster's editors (and moderators); CONFLICT names the current state or revision."
MAX_SAVED_SEARCHES = 20


@strawberry.type
class PostingMutation:
    @strawberry.mutation(
        description="Publish a posting of a cluster you edit (or keep it as a draft with publish: false)."
    )
    async def create_posting(
        self, info: Info, cluster_id: strawberry.ID, input: PostingInput, publish: bool = True
    ) -> Posting:
        context = ctx(info)
        created = await context.call(
            lambda: service.create_posting(
                context.store,
                context.principal,
                str(cluster_id),
                input.draft(),
                publish=publish,
                notices=_notices(info),
            )
        )
        return Posting.of(created)

    @strawberry.mutation(
        description="Change what a posting says; `revision` is the one you read. A new deadline renews an expired one."
        + WRITE_NOTE
    )
    async def update_posting(self, info: Info, id: strawberry.ID, changes: PostingInput, revision: int) -> Posting:
        context = ctx(info)
        updated = await context.call(
            lambda: service.update_posting(
                context.store, context.principal, str(id), changes.draft(), revision, notices=_notices(info)
            )
        )
        return Posting.of(updated)

    @strawberry.mutation(
        description="Close a posting: it stays visible as CLOSED and takes no more interest." + WRITE_NOTE
    )
    async def close_posting(self, info: Info, id: strawberry.ID) -> Posting:
        context = ctx(info)
        closed = await context.call(
            lambda: service.close_posting(context.store, context.principal, str(id), notices=_notices(info))
        )
        return Posting.of(closed)

    @strawberry.mutation(description="Publish a draft." + WRITE_NOTE)
    async def publish_posting(self, info: Info, id: strawberry.ID) -> Posting:
        context = ctx(info)
        published = await context.call(
            lambda: service.publish_posting(context.store, context.principal, str(id), notices=_notices(info))
        )
        return Posting.of(published)

    @strawberry.mutation(description="A new deadline for a published or expired posting." + WRITE_NOTE)
    async def renew_posting(self, info: Info, id: strawberry.ID, deadline: dt.date) -> Posting:
        context = ctx(info)
        renewed = await context.call(
            lambda: service.renew_posting(
                context.store, context.principal, str(id), deadline.isoformat(), notices=_notices(info)
            )
        )
        return Posting.of(renewed)

    @strawberry.mutation(
        description="Tell a posting's cluster that a cluster you edit is interested (once per cluster and posting;"
        " a message of at most 2,000 characters). Only the two clusters see it."
    )
    async def express_interest(
        self, info: Info, posting_id: strawberry.ID, cluster_id: strawberry.ID, message: str | None = None
    ) -> Interest:
        context = ctx(info)
        private = _private(info)
        found = await context.call(
            lambda: interest_flow.express_interest(
                context.store,
                private,
                context.principal,
                str(posting_id),
                str(cluster_id),
                message,
                notices=_notices(info),
            )
        )
        return Interest.of(found)

    @strawberry.mutation(
        description="Accept an interest in your posting: the two clusters become connected (an existing tie)."
    )
    async def accept_interest(self, info: Info, id: strawberry.ID) -> Interest:
        context = ctx(info)
        private = _private(info)
        found = await context.call(
            lambda: interest_flow.decide_interest(
                context.store, private, context.principal, str(id), True, notices=_notices(info)
            )
        )
        return Interest.of(found)

    @strawberry.mutation(description="Decline an interest in your posting, with a reason if you like.")
    async def decline_interest(self, info: Info, id: strawberry.ID, reason: str | None = None) -> Interest:
        context = ctx(info)
        private = _private(info)
        found = await context.call(
            lambda: interest_flow.decide_interest(
                context.store, private, context.principal, str(id), False, reason, notices=_notices(info)
            )
        )
        return Interest.of(found)

    @strawberry.mutation(description="Hear of every change of a posting by e-mail (follow: false to stop).")
    async def follow_posting(self, info: Info, id: strawberry.ID, follow: bool = True) -> Posting:
        context = ctx(info)
        account = context.principal.require()
        private = _private(info)

        def run() -> Posting:
            posting = service.get_posting(context.store, str(id), context.principal)
            private.follow(account.id, posting.id, follow)
            return Posting.of(posting)

        followed: Posting = await context.call(run)
        return followed

    @strawberry.mutation(
        description="Save a search of the postings board: each new posting it matches is e-mailed to you."
    )
    async def save_posting_search(self, info: Info, name: str, filter: PostingFilter) -> SavedPostingSearch:
        context = ctx(info)
        account = context.principal.require()
        private = _private(info)
        try:
            title = text_field(120, required=True)(name)
        except ValueError as exc:
            raise FieldErrors({"name": str(exc)}) from None
        search = filter.to_search().checked()

        def run() -> SavedPostingSearch:
            if len(private.saved_searches(account.id)) >= MAX_SAVED_SEARCHES:
                raise FieldErrors({"name": f"you have {MAX_SAVED_SEARCHES} saved searches: delete one first"})
            return SavedPostingSearch.of(private.save_search(account.id, title, search.as_json()))

        saved: SavedPostingSearch = await context.call(run)
        return saved

    @strawberry.mutation(description="Delete one of your saved searches.")
    async def delete_posting_search(self, info: Info, id: strawberry.ID) -> bool:
        context = ctx(info)
        account = context.principal.require()
        private = _private(info)
        if not await context.call(lambda: private.delete_search(account.id, str(id))):
            raise NotFound(f"you have no saved search with the id '{id}'")
        return True
